"""End-to-end: a real PTB Application against the stand-in (HTTP and in-process)."""

from __future__ import annotations

import datetime as dtm
from typing import Any, TypeAlias

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import Application, ApplicationBuilder

from standin import FakeBotApi
from standin.http import StandinServer

pytestmark = pytest.mark.asyncio

AnyApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


async def test_start_press_and_edit(running_app: AnyApp, api: FakeBotApi) -> None:
    alice = api.private_user(1001, first_name="Alice")

    shown = await alice.command("/start")
    assert [m.event for m in shown] == ["sent"]
    welcome = shown[0]
    assert welcome.text == "Welcome <b>there</b> &amp; hi"
    assert welcome.plain_text == "Welcome there & hi"
    assert welcome.buttons == [["Go", "Stop"]]
    assert welcome.callback_data == [["go", "stop"]]

    update_id = await alice.press("Go")
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "noted"
    current = api.last_message(alice.chat_id)
    assert current.message_id == welcome.message_id
    assert current.plain_text == "You chose go"
    assert current.buttons == []  # editing without reply_markup removes the keyboard

    with pytest.raises(AssertionError, match="no button labelled 'Stop'"):
        await alice.press("Stop")
    assert api.unanswered_callback_queries() == []
    assert api.violations == []


async def test_stale_press_reaches_the_bot(running_app: AnyApp, api: FakeBotApi) -> None:
    bob = api.private_user(1002, first_name="Bob")
    shown = await bob.command("start")
    await bob.press_and_wait("Stop")
    # a forged/stale press of the button that is gone: the handler edits to the text the
    # message already has -> Telegram refuses with "message is not modified"
    update_id = await bob.press_data("stop", shown[0].message_id)
    await api.wait_processed(update_id)
    assert api.last_message(bob).plain_text == "You chose stop"
    edits = api.calls("editMessageText")
    assert [r.status for r in edits] == [200, 400]
    assert edits[1].response is not None
    assert "message is not modified" in edits[1].response["description"]
    assert api.violations == []


async def test_violation_is_recorded_and_bot_gets_bad_request(
    running_app: AnyApp,
    api: FakeBotApi,
) -> None:
    carol = api.private_user(1003, first_name="Carol")
    assert await carol.command("/bad") == []
    assert "can't parse entities" in running_app.bot_data["error"]
    assert len(api.violations) == 1
    assert api.violations[0].startswith("sendMessage: text: can't parse entities")
    api.violations.clear()


async def test_group_chat(running_app: AnyApp, api: FakeBotApi) -> None:
    alice = api.private_user(2001, first_name="Alice")
    group = api.group(-1001234567890, "Club", members=[alice], admins=[alice], supergroup=True)
    shown = await alice.command("/start", chat=group, timeout=5)
    assert shown[0].chat_id == group.id
    edits = await alice.press_and_wait("Go", chat=group)
    assert edits[0].event == "edited"
    assert api.chat_messages(group)[0].plain_text == "You chose go"


async def test_bot_calls_and_errors_through_ptb(
    running_app: AnyApp,
    api: FakeBotApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # without PTB_TIMEDELTA, RetryAfter.__init__ itself emits a PTBDeprecationWarning
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    bot = running_app.bot
    dave = api.private_user(3001, first_name="Dave")
    with pytest.raises(Forbidden, match=r"(?i)can.t initiate conversation"):
        await bot.send_message(dave.id, "hello")
    await dave.say("hi")  # nobody handles plain text: no reply
    message = await bot.send_message(dave.id, "hello")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("hello", chat_id=dave.id, message_id=message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=dave.id, message_id=999)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "x")
    api.block(dave.id)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(dave.id, "x")
    api.unblock(dave.id)
    api.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(dave.id, "x")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    with pytest.raises(BadRequest, match=r"BUTTON_DATA_INVALID|1-64 bytes"):
        await bot.send_message(
            dave.id,
            "x",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("a", callback_data="é" * 33)]]
            ),
        )
    assert len(api.violations) == 1
    api.violations.clear()
    await bot.set_my_commands([("start", "Start over"), ("help", "Help")])
    assert api.my_commands() == [("start", "Start over"), ("help", "Help")]


async def test_wrong_token_is_unauthorized(api: FakeBotApi) -> None:
    from telegram.error import InvalidToken

    async with StandinServer(api) as server:
        app = (
            ApplicationBuilder()
            .token("999:wrong")
            .base_url(server.base_url)
            .base_file_url(server.base_file_url)
            .build()
        )
        try:
            with pytest.raises(InvalidToken, match="rejected by the server"):
                await app.initialize()
        finally:
            await app.bot.shutdown()  # a failed initialize leaves the HTTP clients open
