"""/start, /help, the command menu, restarts."""

from __future__ import annotations

from standin import FakeBotApi
from tests.kit.checkins import with_text
from tests.kit.running import RunningBot


async def test_start_introduces_and_asks_the_company(bot: RunningBot, api: FakeBotApi) -> None:
    alice = api.private_user(1001, first_name="Alice")
    shown = await alice.command("/start")
    texts = [m.plain_text for m in shown]
    assert len(texts) == 1  # the introduction and the first question, one message
    assert texts[0].startswith("Hi Alice, I'm Comeback:")
    assert "What you tell me is kept only to coach you" in texts[0]
    assert "Which company was it?" in texts[0]
    assert shown[-1].buttons == [["Skip"]]


async def test_help_lists_the_commands(bot: RunningBot, api: FakeBotApi) -> None:
    bob = api.private_user(1002, first_name="Bob")
    shown = await bob.command("/help")
    assert len(shown) == 1
    for command in (
        "/rejected", "/resume", "/plan", "/progress", "/history", "/settings", "/language",
        "/privacy", "/export", "/delete", "/back", "/skip", "/cancel", "/help",
    ):  # fmt: skip
        assert command in shown[0].plain_text


async def test_command_menu_is_published(bot: RunningBot, api: FakeBotApi) -> None:
    names = [name for name, _ in api.my_commands()]
    assert names == [
        "start", "rejected", "resume", "plan", "outcome", "progress", "history", "settings",
        "language", "privacy", "export", "delete", "back", "skip", "cancel", "feedback", "help",
    ]  # fmt: skip


async def test_start_after_settings_still_introduces(bot: RunningBot, api: FakeBotApi) -> None:
    """/settings first makes the person's row, but they have not met the bot: /start
    introduces."""
    carol = api.private_user(1004, first_name="Carol")
    await carol.command("/help")
    await carol.command("/settings")
    await carol.send_command("/start")  # the settings card steps aside, then /start is answered
    shown = await api.wait_for(lambda: with_text(api, carol, "Which company was it?"))
    assert shown[0].plain_text.startswith("Hi Carol, I'm Comeback:")
    assert "Good to see you again" not in shown[0].plain_text


async def test_start_after_a_debrief_welcomes_back(bot: RunningBot, api: FakeBotApi) -> None:
    dan = api.private_user(1005, first_name="Dan")
    await dan.command("/start")
    await dan.command("/cancel")
    shown = await dan.command("/start")
    assert shown[0].plain_text.startswith("Good to see you again.")
    assert "Which company was it?" in shown[0].plain_text
