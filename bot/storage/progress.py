"""Reads for /progress and /history: a user's journey as plain data, their debriefs as a list."""

from __future__ import annotations

import json
from datetime import date, tzinfo

from bot.clock import from_db
from bot.storage.database import SqlStore
from bot.storage.debriefs import Rejection
from coaching.model import Gap, GoalKind, Stage
from coaching.outcomes import Outcome
from coaching.patterns import (
    DebriefFact,
    FeedbackOutcome,
    GoalFact,
    GoalStatus,
    Journey,
    MoodPoint,
    OutcomeFact,
)

# Feedback statuses that mean the request went out (replied is counted on its own).
_SENT_STATUSES = frozenset({"sent", "already_asked", "no_reply", "closed"})


def _stage(value: str | None) -> Stage | None:
    return Stage(value) if value is not None and value in Stage.__members__.values() else None


def _gaps(value: str) -> tuple[Gap, ...]:
    known = set(Gap.__members__.values())
    return tuple(Gap(g) for g in json.loads(value) if g in known)


def _local_day(value: str | None, tz: tzinfo) -> date | None:
    return from_db(value).astimezone(tz).date() if value else None


def _goal_kind(value: str) -> GoalKind | None:
    return GoalKind(value) if value in GoalKind.__members__.values() else None


def _feedback(status: str | None, sent_at: str | None, replied_at: str | None) -> FeedbackOutcome:
    if status == "replied" or replied_at:
        return FeedbackOutcome.REPLIED
    if sent_at or status in _SENT_STATUSES:
        return FeedbackOutcome.SENT
    return FeedbackOutcome.NOT_SENT


class SqlProgressRepository:
    """Read-only views over a user's rejections, moods, goals and outcomes."""

    def __init__(self, db: SqlStore) -> None:
        self._db = db

    async def journey(self, user_id: int, tz: tzinfo) -> Journey:
        """Every rejection logged, every mood, every goal set (not drafts, replaced ones
        included), every outcome recorded; oldest first."""
        rejections = await self._db.fetch_all(
            "SELECT r.rejected_on, r.stage, r.gaps, f.status, f.sent_at, f.replied_at"
            " FROM rejections r LEFT JOIN feedback_requests f ON f.rejection_id = r.id"
            " WHERE r.user_id = ? ORDER BY r.rejected_on, r.id",
            (user_id,),
        )
        moods = await self._db.fetch_all(
            "SELECT score, source, recorded_at FROM moods WHERE user_id = ?"
            " ORDER BY recorded_at, id",
            (user_id,),
        )
        goals = await self._db.fetch_all(
            "SELECT id, status, kind, target, custom_text, progress, deadline, created_at,"
            " completed_at, updated_at FROM goals"
            " WHERE user_id = ? AND status IN ('active', 'done', 'abandoned', 'replaced')"
            " ORDER BY created_at, id",
            (user_id,),
        )
        outcomes = await self._db.fetch_all(
            "SELECT kind, goal_id, created_at FROM outcomes WHERE user_id = ?"
            " ORDER BY created_at, id",
            (user_id,),
        )
        return Journey(
            debriefs=tuple(
                DebriefFact(
                    rejected_on=date.fromisoformat(r["rejected_on"]),
                    stage=_stage(r["stage"]),
                    gaps=_gaps(r["gaps"]),
                    feedback=_feedback(r["status"], r["sent_at"], r["replied_at"]),
                    feedback_on=_local_day(r["sent_at"], tz),
                )
                for r in rejections
            ),
            moods=tuple(
                MoodPoint(at=from_db(m["recorded_at"]), score=m["score"], source=m["source"])
                for m in moods
            ),
            goals=tuple(
                GoalFact(
                    set_on=from_db(g["created_at"]).astimezone(tz).date(),
                    deadline=date.fromisoformat(g["deadline"]) if g["deadline"] else None,
                    status=GoalStatus(g["status"]),
                    progress=int(g["progress"]),
                    target=g["target"],
                    kind=_goal_kind(g["kind"]),
                    custom_text=g["custom_text"],
                    # Ended before completed_at was written for every ending: its last change.
                    ended_on=_local_day(
                        g["completed_at"] or (g["updated_at"] if g["status"] != "active" else None),
                        tz,
                    ),
                    goal_id=int(g["id"]),
                )
                for g in goals
            ),
            outcomes=tuple(
                OutcomeFact(
                    kind=Outcome(o["kind"]),
                    on=from_db(o["created_at"]).astimezone(tz).date(),
                    goal_id=o["goal_id"],
                )
                for o in outcomes
            ),
        )

    async def history(self, user_id: int, limit: int) -> tuple[list[Rejection], int]:
        """The user's newest `limit` debriefs (newest first) and how many there are in all."""
        rows = await self._db.fetch_all(
            "SELECT * FROM rejections WHERE user_id = ? ORDER BY rejected_on DESC, id DESC LIMIT ?",
            (user_id, limit),
        )
        total = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM rejections WHERE user_id = ?", (user_id,)
        )
        return [Rejection.from_row(r) for r in rows], int(total["n"]) if total else 0
