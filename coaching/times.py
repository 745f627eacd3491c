"""Pure scheduling math: local hours to UTC across DST, quiet hours, business days.

Every due time is computed from a *local calendar date* plus a *local hour* through the zone's
rules (zoneinfo), never by adding multiples of 24 hours in UTC, so a check-in at 18:00 stays at
18:00 on both sides of a daylight-saving change. Which local days each kind of check-in is due
on is its planning rule in coaching.kinds. Business days are counted in the person's own week:
the weekend of the country of their time zone, from CLDR (through Babel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache

from babel.core import Locale, UnknownLocaleError, get_global

Weekend = frozenset[int]
"""The weekdays off (date.weekday(): Monday 0 ... Sunday 6)."""
SAT_SUN: Weekend = frozenset({5, 6})
"""The weekend when the country is unknown (and of Europe and the Americas)."""


@dataclass(frozen=True)
class QuietHours:
    """Local hours when no check-in is sent: [start:00, end:00), wrapping midnight if start > end.

    start == end means no quiet hours at all.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= 23 and 0 <= self.end <= 23):
            raise ValueError(f"quiet hours must be 0-23, got {self.start}-{self.end}")

    def contains(self, local: time) -> bool:
        """Whether a local wall-clock time falls inside the quiet hours."""
        if self.start == self.end:
            return False
        start, end = time(self.start), time(self.end)
        if self.start < self.end:
            return start <= local < end
        return local >= start or local < end


def at_local_hour(day: date, hour: int, tz: tzinfo) -> datetime:
    """`hour`:00 on the local `day` in `tz`, as an aware UTC datetime.

    An hour that does not exist that day (skipped by a spring-forward change) is read with the
    offset before the change, which lands just after the gap: 02:00 becomes 03:00 local. An hour
    that happens twice (autumn) is the first of the two.
    """
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0-23, got {hour}")
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar date in `tz` at an aware moment."""
    return moment.astimezone(tz).date()


def outside_quiet(moment: datetime, tz: tzinfo, quiet: QuietHours) -> datetime:
    """`moment` itself, or the end of the quiet period it falls in (local `quiet.end`:00)."""
    local = moment.astimezone(tz)
    if not quiet.contains(local.time()):
        return moment.astimezone(UTC)
    day = local.date()
    if quiet.start > quiet.end and local.hour >= quiet.start:
        day += timedelta(days=1)  # late evening: quiet until tomorrow morning
    return at_local_hour(day, quiet.end, tz)


def preferred_slot(day: date, hour: int, tz: tzinfo, quiet: QuietHours) -> datetime:
    """The user's preferred hour on a local day, moved out of their quiet hours if needed."""
    return outside_quiet(at_local_hour(day, hour, tz), tz, quiet)


def first_slot_after(moment: datetime, hour: int, tz: tzinfo, quiet: QuietHours) -> datetime:
    """The first preferred slot at or after `moment` (today's, else tomorrow's)."""
    day = local_date(moment, tz)
    slot = preferred_slot(day, hour, tz, quiet)
    if slot < moment:
        slot = preferred_slot(day + timedelta(days=1), hour, tz, quiet)
    return slot


def due_time(
    day: date,
    hour: int,
    tz: tzinfo,
    quiet: QuietHours,
    now: datetime,
    paused_until: datetime | None = None,
) -> datetime:
    """When a check-in that belongs to local `day` is due.

    The preferred hour that day, out of quiet hours; a pause pushes it to the first slot after
    the pause ends; a slot already past (a day rescheduled late) is due now, or when the quiet
    hours end.
    """
    slot = preferred_slot(day, hour, tz, quiet)
    if paused_until is not None and slot < paused_until:
        slot = first_slot_after(paused_until, hour, tz, quiet)
    if slot < now:
        slot = outside_quiet(now, tz, quiet)
    return slot


def spaced_slots(
    start: datetime, count: int, gap: timedelta, tz: tzinfo, quiet: QuietHours
) -> list[datetime]:
    """`count` send times for a backlog: the first at `start` (or when its quiet hours end),
    each next one `gap` later, any that falls in the quiet hours moved to their end (so what
    the evening cannot hold goes out the next morning)."""
    slots: list[datetime] = []
    moment = start
    for _ in range(count):
        moment = outside_quiet(moment, tz, quiet)
        slots.append(moment)
        moment += gap
    return slots


def territory_of_zone(name: str) -> str | None:
    """The country (CLDR territory code) of an IANA time zone, None when it has none (UTC,
    Etc/*, an unknown name). Old names (Asia/Tel_Aviv, US/Eastern) are read as their current
    ones."""
    canonical = get_global("zone_aliases").get(name, name)
    territory = get_global("zone_territories").get(canonical)
    if not isinstance(territory, str) or territory in ("ZZ", "001"):
        return None
    return territory


@cache
def weekend_of_territory(territory: str | None) -> Weekend:
    """A country's weekend days from CLDR (Israel Fri-Sat, Iran Fri, India Sun, the US
    Sat-Sun...); Saturday and Sunday for an unknown one."""
    if territory is None:
        return SAT_SUN
    try:
        locale = Locale.parse(f"und_{territory}")  # the country's likely language
    except (UnknownLocaleError, ValueError):
        return SAT_SUN
    start, end = locale.weekend_start, locale.weekend_end
    days = {start}
    while start != end:
        start = (start + 1) % 7
        days.add(start)
    return frozenset(days) if len(days) < 7 else SAT_SUN


def weekend_of_zone(name: str | None) -> Weekend:
    """The weekend of the country of an IANA time zone (Saturday and Sunday if unknown)."""
    return weekend_of_territory(territory_of_zone(name) if name else None)


def add_business_days(day: date, count: int, weekend: Weekend = SAT_SUN) -> date:
    """The date `count` business days after `day`: days not in `weekend` (Monday-Friday by
    default; Sunday-Thursday for a Friday-Saturday weekend)."""
    if count < 0:
        raise ValueError("count must not be negative")
    if len(weekend) >= 7:
        raise ValueError("a week needs at least one business day")
    result = day
    remaining = count
    while remaining:
        result += timedelta(days=1)
        if result.weekday() not in weekend:
            remaining -= 1
    return result
