"""A peak hour (issue 22, target 5): more check-ins due in one hour than Telegram's limit sends.

    python -m benchmarks.peak [--people 300000] [--json PATH]

`people` people (SQLite, seeded straight into the database: benchmarks/seed.py) each have one
check-in due in the same hour, Friday 4 December 2026 19:00-20:00 UTC, spread evenly over it
(300,000 by default, the issue's peak hour; smaller runs keep its density, 300,000 an hour,
over a shorter stretch that ends at 20:00). They live in four time zones (UTC, Berlin,
Helsinki, New York; quiet hours 22:00-08:00, the default), so the backlog runs into some
people's night: Helsinki's 22:00 is 20:00 UTC. The real Application runs with the
rate limiter on, against the fake Telegram over loopback HTTP, on a moved clock: the limiter
waits for its window by moving the bot's clock forward (`MovedClock`), and when nothing is due
the clock jumps to the next due check-in. Hours of sending at Telegram's rate take minutes.

What it measures, all on the moved clock:

* the rate: sends in the busiest second (the limit is 30) and on average from first to last;
* due order: check-ins sent after one that was due over a minute later;
* quiet hours: sends that land in the person's quiet hours (must be none), and the check-ins
  held back to the end of them instead, each due at its person's 08:00;
* the late note: every check-in that reaches Telegram 15 minutes or more after its time says so;
* the backlog `comeback stats` and `/metrics` report at the start, and when it really cleared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.common import TOKEN, BenchApi, in_process_settings, max_in_window, polling
from benchmarks.seed import DEFAULT_QUIET_HOURS, FIRST_USER, seed
from bot import operator
from bot.app import build_application
from bot.clock import FakeClock, from_db, to_db
from bot.scheduling.ratelimit import CoachRateLimiter, WindowLimiter, checkins_per_second
from bot.services import SERVICES_KEY, Services
from standin import UploadedFile
from standin.http import StandinServer

END = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # the end of the peak hour: Helsinki's 22:00
PER_HOUR = 300_000
ZONES = ("UTC", "Europe/Berlin", "Europe/Helsinki", "America/New_York")
QUIET = DEFAULT_QUIET_HOURS  # the quiet hours its people are seeded with
LATE_NOTE = "later than planned"
LATE_AFTER = timedelta(minutes=15)  # bot.scheduling.planner.LATE_AFTER
SLIP = timedelta(minutes=1)
SIZES = {"tiny": 600, "medium": 30_000, "full": 300_000}


class MovedClock:
    """The rate limiter's time on the bot's FakeClock: waiting for room in the window moves the
    clock by the wait (bot.scheduling.ratelimit.LimiterTime)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits = 0

    def now(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.waits += 1
            self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)


class PeakApi(BenchApi):
    """The fake Telegram, noting each check-in's moment on the moved clock and its late note."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(TOKEN, lean=True, now=lambda: clock.now().timestamp())
        self.clock = clock
        self.delivered: list[tuple[float, int, bool]] = []  # (moved-clock time, chat, late note)

    async def call(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, bytes | UploadedFile] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(method, params, files)
        if method == "sendMessage" and status == 200:
            late = LATE_NOTE in str(params.get("text", ""))
            moment = self.clock.now().timestamp()
            self.delivered.append((moment, int(str(params.get("chat_id"))), late))
        return status, body


@dataclass
class Peak:
    """What one run measured."""

    people: int
    results: dict[str, Any] = field(default_factory=dict)


def window_of(people: int) -> timedelta:
    """The stretch before END their check-ins are due over, at PER_HOUR."""
    return timedelta(hours=people / PER_HOUR)


async def _seed(path: Path, people: int) -> None:
    """One check-in each, due evenly over the window before END; four time zones in turn."""
    start = END - window_of(people)
    await seed(path, people, start, due="now")
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "UPDATE users SET timezone = ? WHERE id % 4 = ?",
            [(zone, index) for index, zone in enumerate(ZONES)],
        )
        conn.executemany(
            "UPDATE check_ins SET due_at = ? WHERE user_id = ?",
            (
                (to_db(start + window_of(people) * n / people), FIRST_USER + n)
                for n in range(people)
            ),
        )


def _in_quiet_hours(moment: datetime, zone: str) -> bool:
    hour = moment.astimezone(ZoneInfo(zone)).hour
    start, end = QUIET
    return hour >= start or hour < end


async def _drive(clock: FakeClock, db: sqlite3.Connection, end: datetime, limit: float) -> None:
    """Until nothing is due and nothing in flight: when the dispatcher is idle and the next
    check-in is due later in the hour, move the clock to it (nothing else would)."""
    deadline = time.monotonic() + limit
    quiet_rounds = 0
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        now = to_db(clock.now())
        (busy,) = db.execute(
            "SELECT COUNT(*) FROM check_ins WHERE status = 'claimed'"
            " OR (status = 'pending' AND due_at <= ?)",
            (now,),
        ).fetchone()
        if busy:
            quiet_rounds = 0
            continue
        (upcoming,) = db.execute(
            "SELECT MIN(due_at) FROM check_ins WHERE status = 'pending' AND due_at > ?", (now,)
        ).fetchone()
        if upcoming is not None and from_db(upcoming) <= end:
            clock.set(from_db(upcoming))
            continue
        quiet_rounds += 1
        if quiet_rounds >= 3:  # idle for 0.6 s with nothing left in the hour: done
            return
    raise TimeoutError(f"the backlog did not clear within {limit:.0f} s")


async def measure(people: int, workdir: Path | None = None, limit: float = 3600) -> Peak:
    """Seed `people`, run the bot on the moved clock until the hour's backlog is worked off."""
    peak = Peak(people)
    with tempfile.TemporaryDirectory(prefix="comeback-peak-") as scratch:
        folder = workdir or Path(scratch)
        path = folder / "peak.sqlite3"
        seeding = time.monotonic()
        await _seed(path, people)
        seeded_in = time.monotonic() - seeding
        clock = FakeClock(END - window_of(people))
        moved = MovedClock(clock)
        api = PeakApi(clock)
        for n in range(people):
            api.open_private_chat(api.private_user(FIRST_USER + n, first_name=f"User{n}"))
        server = StandinServer(api)
        await server.start()
        settings = in_process_settings(server.base_url, path)
        app = build_application(settings, clock=clock, rng=random.Random(5), limiter_clock=moved)
        limiter = app.bot.rate_limiter
        assert isinstance(limiter, CoachRateLimiter)
        taken = _record_acquisitions(limiter.overall, moved)
        reader = sqlite3.connect(path)
        try:
            services: Services = app.bot_data[SERVICES_KEY]
            backlog = await operator.stats(services.stats, END, checkins_per_second(False))
            started = time.monotonic()
            async with polling(app):
                await _drive(clock, reader, END, limit)
                took = time.monotonic() - started
                peak.results = _results(api, reader, backlog.data, moved, taken)
            peak.results["seconds_to_seed"] = round(seeded_in, 1)
            peak.results["seconds_to_run"] = round(took, 1)
            assert api.violations == [], api.violations[:3]
        finally:
            reader.close()
            await server.stop()
            api.close()
    return peak


def _record_acquisitions(window: WindowLimiter, moved: MovedClock) -> list[float]:
    """The moments (moved clock) the limiter let a message through."""
    taken: list[float] = []
    acquire = window.acquire

    async def recorded(amount: float = 1) -> None:
        await acquire(amount)
        taken.append(moved.now())

    setattr(window, "acquire", recorded)  # noqa: B010 (an instance's method, for this run)
    return taken


def _results(
    api: PeakApi,
    db: sqlite3.Connection,
    backlog: Mapping[str, Any],
    moved: MovedClock,
    taken: list[float],
) -> dict[str, Any]:
    rows = db.execute(
        "SELECT c.user_id, c.due_at, c.sent_at, c.status, c.last_error, u.timezone"
        " FROM check_ins AS c JOIN users AS u ON u.id = c.user_id"
    ).fetchall()
    sent = [r for r in rows if r[3] == "sent"]
    held = [r for r in rows if r[3] == "pending" and r[4] == "held: quiet hours"]
    moments = sorted(taken)
    arrived = {chat: moment for moment, chat, _ in api.delivered}
    notes = {chat for _, chat, late in api.delivered if late}
    by_send = sorted(sent, key=lambda r: from_db(r[2]))
    slips, latest_due = 0, None
    for row in by_send:
        due = from_db(row[1])
        if latest_due is not None and due < latest_due - SLIP:
            slips += 1
        latest_due = due if latest_due is None or due > latest_due else latest_due
    late = [
        r for r in sent if datetime.fromtimestamp(arrived[r[0]], UTC) - from_db(r[1]) >= LATE_AFTER
    ]
    in_quiet = [
        r for r in sent if _in_quiet_hours(datetime.fromtimestamp(arrived[r[0]], UTC), r[5])
    ]
    held_to_morning = [r for r in held if from_db(r[1]).astimezone(ZoneInfo(r[5])).hour == QUIET[1]]
    first, last = (moments[0], moments[-1]) if moments else (0.0, 0.0)
    span = last - first
    return {
        "people": len(rows),
        "sent": len(sent),
        "messages": len(api.delivered),
        "held_for_quiet_hours": len(held),
        "held_to_their_morning": len(held_to_morning),
        "other": len(rows) - len(sent) - len(held),
        "max_sends_in_any_1s": max_in_window(moments) if moments else 0,
        "max_arrivals_in_any_1s_at_the_fake": max_in_window([m for m, _, _ in api.delivered]),
        "sends_per_s_first_to_last": round((len(moments) - 1) / span, 2) if span else 0.0,
        "hours_first_to_last_send": round(span / 3600, 2),
        "limiter_waits": moved.waits,
        "sent_after_one_due_over_a_minute_later": slips,
        "sent_in_quiet_hours": len(in_quiet),
        "sent_15_min_late_or_more": len(late),
        "late_without_the_note": len({r[0] for r in late} - notes),
        "backlog_at_the_end_of_the_hour": backlog["check_ins_due_now"],
        "backlog_clears_in_seconds_reported": backlog["backlog_clears_in_seconds"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peak")
    parser.add_argument("--people", type=int, default=SIZES["full"])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    peak = asyncio.run(measure(args.people))
    for name, value in peak.results.items():
        print(f"{name:42} {value}")
    if args.json is not None:
        args.json.write_text(json.dumps(peak.results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
