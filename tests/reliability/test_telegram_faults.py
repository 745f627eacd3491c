"""Telegram faults, injected by the fake Bot API: 429, 403, 400, 5xx, timeouts, dropped
connections and slow answers, for replies to a user and for check-ins.

Replies (`bot.messages`): 429 is waited out by the rate limiter; 5xx, a timeout or a dropped
connection is retried twice (after short pauses), then given up: the step's answers are saved,
the error handler logs a warning (never an error, never "something went wrong"), and /resume
asks again. 403 and "chat not found" are not retried. Check-ins (the dispatcher): see
docs/checkins.md; the tests here add 400, timeouts and dropped connections. Throughout, the bot
keeps answering other users while one user's message is stuck.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.request import HTTPXRequest

from bot import messages
from bot.clock import FakeClock
from bot.config import Settings
from standin import FakeBotApi, FakeUser
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to, with_text
from tests.kit.db import rows
from tests.kit.faults import OOPS, error_records
from tests.kit.running import RunningBot, started

READ_TIMEOUT = 0.5  # PTB's is 5 s; short here so a "slow answer beyond the timeout" is quick
ROLE = "What was the role?"


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "RETRY_PAUSES", (0.05, 0.1))


@pytest_asyncio.fixture
async def tbot(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[RunningBot]:
    """The bot with a short read timeout on its Bot API requests (getUpdates excepted)."""
    request = HTTPXRequest(connection_pool_size=64, read_timeout=READ_TIMEOUT)
    running = RunningBot(settings, api, clock, request=request)
    async with started(running, all_answered=False):
        yield running


def roles(api: FakeBotApi, user: FakeUser) -> int:
    return sum(m.plain_text == ROLE for m in api.chat_messages(user))


async def at_company(user: FakeUser) -> None:
    await user.command("/start")


def assert_no_bug_reports(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    assert error_records(caplog) == []
    assert all(OOPS not in e.plain_text for e in api.events)


# --- Replies ---------------------------------------------------------------------------------


async def test_reply_flood_control_is_waited_out_and_arrives_once(
    bot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ann, ben = api.private_user(8001, first_name="Ann"), api.private_user(8002, first_name="Ben")
    await at_company(ann)
    await at_company(ben)
    api.fail_next("sendMessage", 429, retry_after=1, chat_id=ann.id)
    stuck = await ann.send_text("Acme")
    other = await ben.send_text("Globex")
    await api.wait_processed(stuck)
    await api.wait_processed(other)
    assert roles(api, ann) == 1 and roles(api, ben) == 1
    assert rows(db_path, "SELECT company FROM rejections ORDER BY user_id") == [
        ("Acme",),
        ("Globex",),
    ]
    assert_no_bug_reports(api, caplog)


@pytest.mark.parametrize("status", [500, 502])
async def test_reply_5xx_is_retried_and_arrives_once(
    bot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    ann = api.private_user(8003, first_name="Ann")
    await at_company(ann)
    api.fail_next("sendMessage", status, count=2, chat_id=ann.id)
    shown = await ann.say("Acme")
    assert texts(shown) == ROLE
    assert len(api.calls("sendMessage")) == 1 + 2 + 1  # /start's one, two failures, the reply
    assert_no_bug_reports(api, caplog)


async def test_a_reply_that_keeps_failing_is_given_up_without_a_crash(
    bot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ann, ben = api.private_user(8004, first_name="Ann"), api.private_user(8005, first_name="Ben")
    await at_company(ann)
    await at_company(ben)
    api.fail_next("sendMessage", 502, count=3, chat_id=ann.id)
    stuck = await ann.send_text("Acme")
    shown = await ben.say("Globex")  # served while Ann's reply is failing
    assert texts(shown) == ROLE
    await api.wait_processed(stuck)
    assert roles(api, ann) == 0  # given up after three tries
    # The answer and the step are saved; the warning names the failure; no bug report.
    assert rows(db_path, "SELECT company, step FROM rejections WHERE user_id = ?", ann.id) == [
        ("Acme", "role")
    ]
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.errors"]
    assert any("Telegram did not take a message" in w and "Bad Gateway" in w for w in warnings)
    assert_no_bug_reports(api, caplog)
    shown = await ann.command("/resume")  # the question comes back
    assert ROLE in texts(shown)
    shown = await ann.say("Analyst")
    assert "How far did you get with Acme?" in texts(shown)


async def test_a_reply_beyond_the_read_timeout_is_retried_while_others_are_served(
    tbot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ann, ben = api.private_user(8006, first_name="Ann"), api.private_user(8007, first_name="Ben")
    await at_company(ann)
    await at_company(ben)
    api.delay_next("sendMessage", 3.0, chat_id=ann.id)  # far beyond the 0.5 s read timeout
    order: list[int] = []
    api.subscribe(lambda m: order.append(m.chat_id) if m.plain_text == ROLE else None)
    stuck = await ann.send_text("Acme")
    await api.wait_for(lambda: len(api.calls("sendMessage")) == 3)  # Ann's reply is in flight
    shown = await ben.say("Globex")
    assert texts(shown) == ROLE
    await api.wait_processed(stuck)
    assert order == [ben.id, ann.id]  # Ben's answer did not wait for Ann's stuck one
    assert roles(api, ann) == 1  # the timed-out send was never applied; the retry was
    assert_no_bug_reports(api, caplog)


async def test_a_reply_that_times_out_twice_is_not_sent_a_third_time(
    tbot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    """A timed-out reply may have arrived (no idempotency key): one retry, never a stream."""
    ann = api.private_user(8016, first_name="Ann")
    await at_company(ann)
    before = len(api.calls("sendMessage"))
    api.delay_next("sendMessage", 3.0, count=2, chat_id=ann.id)
    await api.wait_processed(await ann.send_text("Acme"))
    assert len(api.calls("sendMessage")) == before + 2  # the first try and one retry
    assert_no_bug_reports(api, caplog)
    shown = await ann.command("/resume")  # the question comes back
    assert ROLE in texts(shown)


async def test_a_slow_answer_within_the_timeout_is_just_slow(
    tbot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    ann = api.private_user(8008, first_name="Ann")
    await at_company(ann)
    api.delay_next("sendMessage", READ_TIMEOUT / 3, count=3, chat_id=ann.id)
    assert texts(await ann.say("Acme")) == ROLE
    assert texts(await ann.say("Analyst")) == "How far did you get with Acme?"
    assert len(api.calls("sendMessage")) == 3  # no retries
    assert_no_bug_reports(api, caplog)


async def test_a_dropped_connection_is_retried(
    bot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    ann = api.private_user(8009, first_name="Ann")
    await at_company(ann)
    api.drop_next("sendMessage", chat_id=ann.id)  # closed before Telegram sent anything
    assert texts(await ann.say("Acme")) == ROLE
    assert roles(api, ann) == 1
    # Closed after Telegram sent it (the answer got lost): the retry shows it twice; that is
    # the price of never leaving a question unasked (docs/reliability.md).
    api.drop_next("sendMessage", chat_id=ann.id, after=True)
    await ann.say("Analyst")
    asked = [m.plain_text for m in api.chat_messages(ann)].count("How far did you get with Acme?")
    assert asked == 2
    assert_no_bug_reports(api, caplog)


async def test_a_reply_to_someone_who_blocked_the_bot_is_dropped_quietly(
    bot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ann = api.private_user(8010, first_name="Ann")
    await at_company(ann)
    api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=ann.id)
    await ann.say("Acme")
    assert len(api.calls("sendMessage")) == 2  # no retry, and no apology into the void
    assert rows(db_path, "SELECT company, step FROM rejections") == [("Acme", "role")]
    assert_no_bug_reports(api, caplog)


async def test_chat_not_found_is_given_up_without_a_crash(
    bot: RunningBot, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    ann = api.private_user(8011, first_name="Ann")
    await at_company(ann)
    api.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=ann.id)
    await ann.say("Acme")
    assert len(api.calls("sendMessage")) == 2
    assert_no_bug_reports(api, caplog)


@pytest.mark.parametrize("fault", ["timeout", "5xx", "drop"])
async def test_a_failing_button_acknowledgement_does_not_stop_the_step(
    tbot: RunningBot, api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    ann = api.private_user(8012, first_name="Ann")
    await at_company(ann)
    await ann.say("Acme")
    await ann.say("Analyst")
    if fault == "timeout":
        api.delay_next("answerCallbackQuery", 2.0)
    elif fault == "5xx":
        api.fail_next("answerCallbackQuery", 502)
    else:
        api.drop_next("answerCallbackQuery")
    shown = await ann.press_and_wait("🏢 Onsite / final rounds")
    assert "How did you hear the news?" in texts(shown)
    assert rows(db_path, "SELECT stage FROM rejections") == [("onsite",)]
    assert error_records(caplog) == []
    # The fake still counts the query as unanswered (a spinner the user saw for a moment).
    api._answered.update(api.unanswered_callback_queries())


# --- Check-ins -------------------------------------------------------------------------------


async def test_a_check_in_to_a_chat_that_is_gone_fails_once_and_is_recorded(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    cyd = api.private_user(8020, first_name="Cyd")
    await finish_debrief(bot, cyd, timezone="UTC", deadline=date(2026, 12, 4))
    api.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=cyd.id)
    await move_to(bot, clock, local(date(2026, 11, 30), 18, "UTC"))
    assert rows(
        db_path, "SELECT status, attempts, last_error FROM check_ins WHERE kind = 'goal_mid'"
    ) == [("failed", 1, "Chat not found")]
    await move_to(bot, clock, local(date(2026, 11, 30), 19, "UTC"))
    assert len(api.calls("sendMessage")) == 1  # never retried


@pytest.mark.parametrize("fault", ["timeout", "drop"])
async def test_a_check_in_that_times_out_or_is_dropped_backs_off_then_arrives(
    tbot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path, fault: str
) -> None:
    cyd = api.private_user(8021, first_name="Cyd")
    await finish_debrief(tbot, cyd, timezone="UTC", deadline=date(2026, 12, 4))
    if fault == "timeout":
        api.delay_next("sendMessage", 3.0, chat_id=cyd.id)
    else:
        api.drop_next("sendMessage", chat_id=cyd.id)
    due = local(date(2026, 11, 30), 18, "UTC")
    await move_to(tbot, clock, due)
    ((status, attempts, due_at),) = rows(
        db_path, "SELECT status, attempts, due_at FROM check_ins WHERE kind = 'goal_mid'"
    )
    assert (status, attempts, due_at) == ("pending", 1, "2026-11-30T18:01:00+00:00")
    assert with_text(api, cyd, "Halfway") == []
    await move_to(tbot, clock, due + timedelta(minutes=1))
    await arrives(api, cyd, "Halfway there")
    assert len(with_text(api, cyd, "Halfway")) == 1


async def test_a_check_in_dropped_after_sending_is_not_lost(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    cyd = api.private_user(8022, first_name="Cyd")
    await finish_debrief(bot, cyd, timezone="UTC", deadline=date(2026, 12, 4))
    api.drop_next("sendMessage", chat_id=cyd.id, after=True)
    due = local(date(2026, 11, 30), 18, "UTC")
    await move_to(bot, clock, due)
    await move_to(bot, clock, due + timedelta(minutes=1))
    # Telegram had delivered it, the bot could not know: one duplicate, never a loss.
    assert len(with_text(api, cyd, "Halfway")) == 2
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]


async def test_users_are_served_while_a_check_in_send_is_stuck(
    tbot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    cyd, dan = api.private_user(8023, first_name="Cyd"), api.private_user(8024, first_name="Dan")
    await finish_debrief(tbot, cyd, timezone="UTC", deadline=date(2026, 12, 4))
    await at_company(dan)
    api.delay_next("sendMessage", READ_TIMEOUT * 0.8, chat_id=cyd.id)  # slow, not timed out
    assert tbot.services.dispatcher is not None
    run = asyncio.create_task(tbot.services.dispatcher.settle())
    clock.set(local(date(2026, 11, 30), 18, "UTC"))
    await api.wait_for(lambda: any(c.params.get("chat_id") == cyd.id for c in api.requests))
    assert texts(await dan.say("Initech")) == ROLE
    assert with_text(api, cyd, "Halfway") == []  # still on its way
    await run
    await arrives(api, cyd, "Halfway there")
