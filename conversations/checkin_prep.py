"""The preparation check-in the day before an interview the person recorded (/outcome): a few
points drawn from the gaps they named in their debrief, and a kind word for nerves."""

from __future__ import annotations

from datetime import timedelta

from bot.services import Services
from bot.storage.checkins import CheckIn
from coaching.goals import format_deadline
from coaching.kinds import INTERVIEW_PREP_DAYS_BEFORE
from coaching.outcomes import prep_points
from conversations.checkin_turn import reply


async def interview_prep_values(services: Services, checkin: CheckIn) -> dict[str, object] | None:
    """The interview's day and the points to prepare, while that interview is on record."""
    if checkin.user_id is None or checkin.local_date is None:
        return None
    day = checkin.local_date + timedelta(days=INTERVIEW_PREP_DAYS_BEFORE)
    interview = await services.outcomes.interview_on(checkin.user_id, day)
    if interview is None:
        return None
    rejection = await services.debriefs.get(checkin.rejection_id or 0)
    return {
        "day": format_deadline(day),
        "points": prep_points(rejection.gaps if rejection is not None else ()),
        "from_debrief": rejection is not None and bool(rejection.gaps),
    }


prep_ready = reply("ready", "checkin/prep_ready")
"""Ready: wish them well."""
prep_nervous = reply("nervous", "checkin/prep_nervous")
"""Nervous: one short exercise, and a stopping time."""
