"""The first minutes, through the real Application: commands with nothing running, odd start
links, /feedback to the operators, and the operator commands naming the database they use."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.config import Settings
from coaching.links import StartLink, parse_start_payload
from standin import FakeBotApi
from tests.kit.db import rows
from tests.kit.process import run_cli
from tests.kit.running import RunningBot, started


@pytest.mark.parametrize("command", ["/cancel", "/back", "/skip"])
async def test_controls_with_nothing_running_say_what_you_can_do(
    bot: RunningBot, api: FakeBotApi, command: str
) -> None:
    ivy = api.private_user(7001, first_name="Ivy")
    shown = await ivy.command(command)
    assert len(shown) == 1
    assert "There's no debrief running right now" in shown[0].plain_text
    assert "/help" in shown[0].plain_text
    assert shown[0].buttons  # a way forward: start a debrief
    assert "I don't know that command" not in shown[0].plain_text


async def test_resume_with_nothing_running_offers_a_debrief(
    bot: RunningBot, api: FakeBotApi
) -> None:
    ivy = api.private_user(7002, first_name="Ivy")
    shown = await ivy.command("/resume")
    assert shown[-1].buttons
    assert "I don't know that command" not in shown[-1].plain_text


@pytest.mark.parametrize(
    "payload",
    ["g99999999999999999999999", "g²", "g-", "g--5", "g-12 3", "x-100", "g١٢٣", "care2", "g0"],
)
async def test_odd_start_links_get_the_normal_start(
    bot: RunningBot, api: FakeBotApi, db_path: Path, payload: str
) -> None:
    kim = api.private_user(7003, first_name="Kim")
    shown = await kim.command("/start", payload)
    assert "Which company was it?" in shown[-1].plain_text
    assert rows(db_path, "SELECT source_chat_id FROM rejections") == [(None,)]


async def test_a_group_start_link_is_remembered(
    bot: RunningBot, api: FakeBotApi, db_path: Path
) -> None:
    kim = api.private_user(7004, first_name="Kim")
    await kim.command("/start", "g-1001234567890")
    assert rows(db_path, "SELECT source_chat_id FROM rejections") == [(-1001234567890,)]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=64))
@settings(max_examples=300)
def test_start_payload_parser_never_raises(payload: str) -> None:
    link = parse_start_payload([payload])
    if link.group_chat_id is not None:
        assert -(2**63) <= link.group_chat_id < 2**63
        assert payload == f"g{link.group_chat_id}"
    assert parse_start_payload(None) == StartLink()


async def test_feedback_reaches_the_operators_with_a_thanks(
    settings: Settings, api: FakeBotApi, clock: FakeClock
) -> None:
    operator = api.private_user(7100, first_name="Op")
    with_admin = settings.model_copy(update={"admin_user_ids": (operator.id,)})
    async with started(RunningBot(with_admin, api, clock)):
        await operator.command("/help")  # the operator has a private chat with the bot
        lou = api.private_user(7005, first_name="Lou")
        shown = await lou.command("/feedback")
        assert "/feedback followed by your note" in shown[-1].plain_text
        shown = await lou.command("/feedback", "the", "deadline", "question", "<confused>", "me")
        assert "passed your note on" in shown[-1].plain_text
        note = api.last_message(operator).plain_text
        assert "A note from Lou (user 7005)" in note
        assert "the deadline question <confused> me" in note
        # Screened like every other text: a crisis line gets help, not the operators.
        shown = await lou.command("/feedback", "I", "want", "to", "die")
        assert "you don't have to carry it alone" in shown[0].plain_text
        assert "want to die" not in api.last_message(operator).plain_text


async def test_feedback_without_operators_says_so(bot: RunningBot, api: FakeBotApi) -> None:
    lou = api.private_user(7006, first_name="Lou")
    shown = await lou.command("/feedback", "nice", "bot")
    assert "couldn't pass it on" in shown[-1].plain_text


def test_operator_commands_name_their_database_and_never_create_one(tmp_path: Path) -> None:
    missing = tmp_path / "comeback.sqlite3"
    result = run_cli(tmp_path, "stats", DATABASE_URL=f"sqlite:///{missing}")
    assert result.returncode == 1
    assert f"no database at {missing}" in result.stderr
    assert "comeback-local.sqlite3" in result.stderr
    assert not missing.exists()
    run_cli(tmp_path, "migrate", DATABASE_URL=f"sqlite:///{missing}")
    result = run_cli(tmp_path, "stats", DATABASE_URL=f"sqlite:///{missing}")
    assert result.returncode == 0, result.stderr
    assert f"database {missing}" in result.stderr
    result = run_cli(tmp_path, "check-config", DATABASE_URL=f"sqlite:///{missing}")
    assert "comeback-local.sqlite3" in result.stdout
