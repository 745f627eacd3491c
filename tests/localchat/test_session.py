"""The local session in-process: media saved to files, messages that arrive on their own, :wait."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.localchat import LocalChat, local_settings
from bot.localchat.terminal import Screen
from bot.standin import FakeBotApi


@pytest.fixture
def out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
async def chat(
    tmp_path: Path, out: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[LocalChat]:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "c.sqlite3"
    session = LocalChat(local_settings(db), db, Screen(out, color=False, live_prompt=False), "Alex")
    await session.start()
    yield session
    await session.stop()
    assert session.api.violations == []


async def test_photos_and_documents_are_saved_to_files(
    chat: LocalChat, out: io.StringIO, tmp_path: Path
) -> None:
    assert await chat.handle("/help")
    assert chat.app is not None
    uid = chat.user.id
    await chat.app.bot.send_photo(
        uid, b"\x89PNG card", caption="<b>Your card</b>", parse_mode="HTML"
    )
    await chat.app.bot.send_document(uid, b"the plan", filename="my plan.txt")
    await asyncio.sleep(0)  # the listener prints on the loop's next turn
    shown = out.getvalue()
    photo = tmp_path / "c-files" / f"{uid}-0003-photo.png"
    document = tmp_path / "c-files" / f"{uid}-0004-my_plan.txt"
    assert photo.read_bytes() == b"\x89PNG card"
    assert document.read_bytes() == b"the plan"
    assert f"bot> [photo saved to c-files/{photo.name}]\n     Your card\n" in shown
    assert f"bot> [document my plan.txt saved to c-files/{document.name}]\n" in shown


async def test_wait_moves_the_clock_and_shows_what_the_jump_sent(
    chat: LocalChat, out: io.StringIO
) -> None:
    await chat.handle("/help")
    assert chat.app is not None
    bot, uid = chat.app.bot, chat.user.id
    before = chat.clock.now()

    async def check_in() -> None:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="gone")]])
        await bot.send_message(uid, "How is your goal going?", reply_markup=markup)

    # what the check-in dispatcher does: run at once when the clock jumps
    chat.clock.on_jump(lambda: asyncio.get_running_loop().create_task(check_in()) and None)
    assert await chat.handle(":wait 8d")
    assert (chat.clock.now() - before).days == 8
    shown = out.getvalue()
    assert "(8 days later: it is now" in shown
    assert "bot> How is your goal going?\n     [1] Done\n" in shown

    assert await chat.handle("1")  # nobody waits for that button: the bot says so in a pop-up
    assert "bot (pop-up)> That button has expired." in out.getvalue()
    assert chat.state.clock_offset_seconds == pytest.approx(8 * 86400)


async def test_quit_and_unknown_numbers(chat: LocalChat, out: io.StringIO) -> None:
    assert await chat.handle(":quit") is False
    assert await chat.handle("   ") is True
    assert await chat.handle("7")  # no buttons anywhere: sent as text
    assert "you> " not in out.getvalue()
    assert "bot> " in out.getvalue()


async def test_a_reopened_stand_in_lets_the_bot_write_first_and_keeps_ids_unique() -> None:
    api = FakeBotApi("1000000001:LocalComebackChatTokenNeverSentAnywhere")
    alex = api.private_user(4242, first_name="Alex")
    status, _ = await api.call("sendMessage", {"chat_id": 4242, "text": "hi"})
    assert status == 403  # a bot cannot start a conversation...
    api.open_private_chat(alex)  # ...but Alex started it in an earlier run
    api.continue_message_ids({4242: 40})
    status, body = await api.call("sendMessage", {"chat_id": 4242, "text": "hi"})
    assert status == 200
    assert body["result"]["message_id"] == 40
    assert api.message_id_counters() == {4242: 41}
    api.close()
