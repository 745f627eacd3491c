"""A busy hour (issue 22, peak hours): a check-in held back past its time says so, and one held
back into the person's quiet hours waits for the morning instead of arriving in their night."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.seed import FIRST_USER, seed
from bot import operator
from bot.clock import FakeClock, from_db
from bot.config import Settings
from bot.observability import metrics_body
from bot.rendering import Prompts
from bot.services import Services
from bot.storage.connect import settings_database
from standin import FakeBotApi
from tests.kit.checkins import arrives, finish_debrief, local, move_to, sent_at, with_text
from tests.kit.db import DbTarget, rows, write
from tests.kit.running import START, RunningBot

BERLIN = "Europe/Berlin"


async def test_a_check_in_sent_late_on_its_day_says_so(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2101, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27))
    # Due Friday 4 December at 18:00; the dispatcher first gets to it 40 minutes later.
    await move_to(bot, clock, local(date(2026, 12, 4), 18, BERLIN, minute=40))
    weekly = await arrives(api, berta, "Weekly check-in")
    assert weekly.plain_text.startswith(
        "This comes 40 minutes later than planned; sorry for the wait."
    )


async def test_lateness_counts_to_the_moment_it_reaches_them(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    """Composed 14 min 57 s after its time, it reaches her 15 minutes late: it says so
    (ARRIVAL_LEEWAY; the peak-hour benchmark found 4 of 196,533 without the line)."""
    berta = api.private_user(2105, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27))
    await move_to(
        bot, clock, local(date(2026, 12, 4), 18, BERLIN, minute=14) + timedelta(seconds=57)
    )
    weekly = await arrives(api, berta, "Weekly check-in")
    assert weekly.plain_text.startswith(
        "This comes 15 minutes later than planned; sorry for the wait."
    )


async def test_a_check_in_held_into_the_quiet_hours_waits_for_the_morning(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2102, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27))
    # Due at 18:00; a backlog kept it until 22:30, inside her quiet hours (22:00-08:00).
    await move_to(bot, clock, local(date(2026, 12, 4), 22, BERLIN, minute=30))
    assert with_text(api, berta, "Weekly check-in") == []
    [(due_at, status, error)] = rows(
        db_path,
        "SELECT due_at, status, last_error FROM check_ins"
        " WHERE user_id = ? AND local_date = '2026-12-04'",
        berta.id,
    )
    assert status == "pending" and error == "held: quiet hours"
    assert from_db(due_at) == local(date(2026, 12, 5), 8, BERLIN)

    await move_to(bot, clock, local(date(2026, 12, 5), 7, BERLIN, minute=59))
    assert with_text(api, berta, "Weekly check-in") == []
    await move_to(bot, clock, local(date(2026, 12, 5), 8, BERLIN))
    weekly = await arrives(api, berta, "Weekly check-in")
    assert sent_at(weekly).astimezone(ZoneInfo(BERLIN)) == datetime(
        2026, 12, 5, 8, tzinfo=ZoneInfo(BERLIN)
    )
    assert weekly.plain_text.startswith(
        "I meant to send this on Friday 4 December; it comes 1 day late."
    )


async def test_a_check_in_that_would_reach_them_as_their_quiet_hours_begin_waits_too(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    """Composed at 21:59:57, it would reach her after 22:00 (the limiter's window and the trip
    lie between): it waits for the morning like one held into the night (ARRIVAL_LEEWAY)."""
    berta = api.private_user(2103, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27))
    await move_to(
        bot, clock, local(date(2026, 12, 4), 21, BERLIN, minute=59) + timedelta(seconds=57)
    )
    assert with_text(api, berta, "Weekly check-in") == []
    [(due_at, error)] = rows(
        db_path,
        "SELECT due_at, last_error FROM check_ins WHERE user_id = ? AND local_date = '2026-12-04'",
        berta.id,
    )
    assert error == "held: quiet hours"
    assert from_db(due_at) == local(date(2026, 12, 5), 8, BERLIN)


async def test_a_check_in_sent_well_before_the_quiet_hours_goes_out(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2104, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 27))
    await move_to(bot, clock, local(date(2026, 12, 4), 21, BERLIN, minute=59))
    weekly = await arrives(api, berta, "Weekly check-in")
    assert sent_at(weekly).astimezone(ZoneInfo(BERLIN)).hour == 21


async def test_the_backlog_and_when_it_clears_in_stats_and_metrics(
    tmp_path: Path, settings: Settings, db_path: DbTarget
) -> None:
    await seed(db_path, 90, START, due="now")
    # Paused people's check-ins wait for them, not for the rate: not part of the backlog.
    write(db_path, "UPDATE users SET paused_until = '2027-01-01T00:00:00+00:00' WHERE id = ?",
          (FIRST_USER,))  # fmt: skip
    services = Services(
        settings=settings,
        db=settings_database(settings),
        prompts=Prompts(),
        clock=FakeClock(START),
        rng=random.Random(1),
    )
    try:
        outcome = await operator.stats(services.stats, START, 30.0)
        assert outcome.summary.endswith("check_ins_due_now 89, backlog_clears_in_seconds 3")
        paid = await operator.stats(services.stats, START, 1000.0)  # PAID_BROADCAST
        assert paid.data["backlog_clears_in_seconds"] == 1
        before = await operator.stats(services.stats, START - timedelta(minutes=1), 30.0)
        assert before.data["check_ins_due_now"] == 0
        metrics = (await metrics_body(services)).decode()
    finally:
        await services.db.close()
    assert "\ncomeback_checkins_due 89.0\n" in metrics
    assert "\ncomeback_checkins_backlog_clears_in_seconds 3.0\n" in metrics
