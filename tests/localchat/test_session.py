"""The local session in-process: media saved to files, messages that arrive on their own, :wait."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.localchat import LocalChat, local_settings
from bot.localchat.session import parse_duration, wait_reaching
from bot.localchat.state import LocalState
from bot.localchat.terminal import Screen
from bot.localchat.texts import describe_moment, text
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


async def test_a_wait_that_brings_nothing_says_when_the_next_check_in_is_due(
    tmp_path: Path, out: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The debrief ends late on a Monday evening in Berlin: the plan's check-ins wait for the
    # next day and the end of the quiet hours, and a `:wait` before then must say so.
    monkeypatch.chdir(tmp_path)
    now = datetime.now(UTC)
    evening = (now + timedelta(days=7 - now.weekday())).replace(
        hour=21, minute=10, second=0, microsecond=0
    )
    db = tmp_path / "c.sqlite3"
    session = LocalChat(
        local_settings(db),
        db,
        Screen(out, color=False, live_prompt=False),
        "Alex",
        state=LocalState(clock_offset_seconds=(evening - now).total_seconds()),
    )
    await session.start()
    try:
        script = (Path(__file__).parent / "debrief.script").read_text(encoding="utf-8")
        lines = [line for line in script.splitlines() if line and not line.startswith("#")]
        for line in lines[: lines.index("/plan")]:
            assert await session.handle(line)
        assert "Berlin" in out.getvalue()

        assert await session.handle(":wait 30m")
        hint = out.getvalue().rsplit("(30 minutes later", 1)[1]
        found = re.search(
            r"\(nothing arrived yet; the next check-in is due (.+?) UTC, in (.+?) "
            r"\(:wait (\w+) gets there\)\)",
            hint,
        )
        assert found is not None, hint
        due = await session.services.checkins.next_pending(session.user.id)
        assert due is not None
        assert found[1] == describe_moment(due.due_at)
        assert due.due_at > session.clock.now() + timedelta(hours=8)  # after the quiet hours

        before = out.getvalue()
        assert await session.handle(f":wait {found[3]}")
        arrived = out.getvalue()[len(before) :]
        assert "bot> " in arrived, arrived
        assert "nothing arrived" not in arrived
        assert session.clock.now() >= due.due_at
    finally:
        await session.stop()
    assert session.api.violations == []


@pytest.mark.parametrize(
    ("ahead", "wait"),
    [
        (timedelta(seconds=1), "1m"),
        (timedelta(minutes=59, seconds=1), "1h"),
        (timedelta(hours=3, minutes=20), "3h20m"),
        (timedelta(hours=10, seconds=30), "10h1m"),
        (timedelta(days=1), "1d"),
        (timedelta(days=1, hours=13, minutes=20), "1d14h"),
        (timedelta(days=2, hours=23, minutes=1), "3d"),
    ],
)
def test_the_suggested_wait_reaches_the_check_in(ahead: timedelta, wait: str) -> None:
    assert wait_reaching(ahead) == wait
    reached = parse_duration(wait)
    assert reached is not None and reached >= ahead
