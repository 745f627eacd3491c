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
from bot.localchat.texts import text
from standin import FakeBotApi


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
    assert "bot> How is your goal going?\n     [a] Done\n" in shown

    assert await chat.handle("a")  # nobody waits for that button: the bot says so in a pop-up
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


async def test_a_letter_alone_presses_its_button_and_everything_else_is_text(
    chat: LocalChat, out: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chat.handle("/help")
    assert chat.app is not None
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("3", callback_data="three")],
            [InlineKeyboardButton("5", callback_data="five")],
            [InlineKeyboardButton("10", callback_data="ten")],
        ]
    )
    await chat.app.bot.send_message(chat.user.id, "How many?", reply_markup=markup)
    await asyncio.sleep(0)
    assert "bot> How many?\n     [a] 3\n     [b] 5\n     [c] 10\n" in out.getvalue()

    pressed: list[str] = []
    sent: list[str] = []

    async def press(message: object, button: dict[str, object]) -> None:
        pressed.append(str(button["callback_data"]))

    async def send_text(text: str) -> None:
        sent.append(text)

    monkeypatch.setattr(chat, "_press", press)
    monkeypatch.setattr(chat, "_send_text", send_text)
    for line in ["3", "c", "10", "C", " b ", "d", "x", "ab", "a b", "1", ":say a", ":press 10"]:
        assert await chat.handle(line)
    assert pressed == ["ten", "ten", "five", "ten"]
    assert sent == ["3", "10", "d", "x", "ab", "a b", "1", "a"]


async def test_the_help_and_the_banner_explain_letters_and_digits(
    chat: LocalChat, out: io.StringIO
) -> None:
    banner = text("en", "banner", db="c.sqlite3")
    await chat.handle(":help")
    for shown in (out.getvalue(), banner):
        assert "[a]" in shown or "a, b, ..." in shown
        assert ":say" in shown
    assert "numbers included, is sent as text" in banner
    assert "digits, and a letter no button has, are sent as text" in out.getvalue()


async def test_a_confirmed_delete_is_noticed_and_a_kept_one_is_not(
    chat: LocalChat, out: io.StringIO
) -> None:
    for line in ["/start", "Acme", "/delete", "b"]:  # b: Keep my data
        assert await chat.handle(line)
    assert "Nothing was erased" in out.getvalue()
    assert chat.erased == []
    assert await chat.handle("/delete")
    assert await chat.handle(":press Keep")
    assert chat.erased == []
    assert await chat.handle("/delete")
    assert await chat.handle("a")  # Yes, erase everything
    assert "Everything I held about you is erased" in out.getvalue()
    assert chat.erased == [chat.user.id]
