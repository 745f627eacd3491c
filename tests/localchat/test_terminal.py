"""Rendering Telegram HTML and entities for a terminal, lettering buttons, parsing durations."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import OffsetClock
from bot.localchat.session import parse_duration
from bot.localchat.state import LocalState, files_dir, user_id_for
from bot.localchat.terminal import (
    Screen,
    block,
    button_key,
    key_index,
    letter_buttons,
    render_entities,
    render_html,
    use_color,
)
from bot.localchat.texts import describe_duration

BOLD, UNBOLD, ITALIC, UNITALIC = "\x1b[1m", "\x1b[22m", "\x1b[3m", "\x1b[23m"


def test_bold_and_italic_become_terminal_styles_only_with_color() -> None:
    html = "Hi, I'm <b>Comeback</b>. <i>Privacy first.</i>"
    assert render_html(html, color=True) == (
        f"Hi, I'm {BOLD}Comeback{UNBOLD}. {ITALIC}Privacy first.{UNITALIC}"
    )
    assert render_html(html, color=False) == "Hi, I'm Comeback. Privacy first."


def test_nested_styles_close_independently() -> None:
    shown = render_html("<i>a <b>b</b> c</i>", color=True)
    assert shown == f"{ITALIC}a {BOLD}b{UNBOLD} c{UNITALIC}"


def test_links_show_their_address() -> None:
    html = 'Watch <a href="https://example.org/talk">this talk</a> or https://example.org'
    assert render_html(html, color=False) == (
        "Watch this talk (https://example.org/talk) or https://example.org"
    )
    same = '<a href="https://example.org">https://example.org</a>'
    assert render_html(same, color=False) == "https://example.org"


def test_pre_blocks_are_indented_on_their_own_lines() -> None:
    html = "Your draft:\n\n<pre>Hi Dana,\n\nThanks.\nAlex</pre>\nGood luck."
    assert render_html(html, color=False) == (
        "Your draft:\n\n    Hi Dana,\n\n    Thanks.\n    Alex\nGood luck."
    )
    assert render_html("Draft: <pre>one line</pre> end", color=False) == (
        "Draft: \n    one line\n end"
    )


def test_escaped_text_and_entities_after_emoji_line_up() -> None:
    # 😀 is two UTF-16 code units: entity offsets count those, Python indexes do not
    html = "😀 &lt;AT&amp;T&gt; <b>bold</b> 👍🏽 <i>it</i>"
    assert (
        render_html(html, color=True) == f"😀 <AT&T> {BOLD}bold{UNBOLD} 👍🏽 {ITALIC}it{UNITALIC}"
    )


def test_entities_from_the_bot_api_render_the_same() -> None:
    text = "Goal: 3 mock interviews"
    entities = [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "code", "offset": 6, "length": 1},
    ]
    assert render_entities(text, entities, color=False) == text
    assert render_entities(text, entities, color=True).startswith(f"{BOLD}Goal:{UNBOLD} ")
    broken = [{"type": "bold", "offset": 40, "length": 3}]
    assert render_entities(text, broken, color=True) == text


def test_blockquote_gets_a_bar() -> None:
    assert render_html("<blockquote>one\ntwo</blockquote>", color=False) == "│ one\n│ two"


def test_buttons_are_lettered_across_rows() -> None:
    assert letter_buttons([["Yes", "No"], ["Skip"]]) == ["[a] Yes  [b] No", "[c] Skip"]
    assert letter_buttons([]) == []
    many = letter_buttons([[str(n) for n in range(28)]])[0]
    assert many.startswith("[a] 0  [b] 1") and many.endswith("[z] 25  [aa] 26  [ab] 27")


@pytest.mark.parametrize("index", [0, 1, 25, 26, 27, 51, 52, 701, 702, 18277])
def test_button_keys_and_what_typing_them_presses_agree(index: int) -> None:
    key = button_key(index)
    assert key.isalpha() and key.islower()
    assert key_index(key) == index
    assert key_index(key.upper()) == index
    assert key_index(f" {key} ") == index


def test_button_keys_run_a_to_z_then_two_letters() -> None:
    assert [button_key(i) for i in (0, 2, 25, 26, 27, 51, 52, 701, 702)] == [
        "a", "c", "z", "aa", "ab", "az", "ba", "zz", "aaa"
    ]  # fmt: skip
    with pytest.raises(ValueError):
        button_key(-1)


@pytest.mark.parametrize("typed", ["1", "3", "10", "a1", "a b", "é", "ß", "", " ", "a.", "-a"])
def test_digits_and_anything_but_letters_alone_are_never_a_button(typed: str) -> None:
    assert key_index(typed) is None


def test_block_indents_later_lines_under_the_prefix() -> None:
    assert block("bot> ", "one\n\ntwo", ["[a] Skip"]) == "bot> one\n\n     two\n     [a] Skip"


def test_color_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(Tty()) is True
    assert use_color(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Tty()) is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", timedelta(days=3)),
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1D 2H", timedelta(days=1, hours=2)),
        ("soon", None),
        ("3", None),
        ("0d", None),
        ("", None),
        ("99999999999999d", None),
    ],
)
def test_wait_durations(text: str, expected: timedelta | None) -> None:
    assert parse_duration(text) == expected


def test_durations_read_naturally() -> None:
    assert describe_duration(timedelta(days=8)) == "8 days"
    assert describe_duration(timedelta(hours=2, minutes=30)) == "2 hours 30 minutes"
    assert describe_duration(timedelta(minutes=1)) == "1 minute"


def test_offset_clock_runs_ahead_of_real_time_and_wakes_listeners() -> None:
    real = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    clock = OffsetClock(timedelta(hours=1), source=lambda: real)
    woken: list[datetime] = []
    clock.on_jump(lambda: woken.append(clock.now()))
    assert clock.now() == real + timedelta(hours=1)
    assert clock.advance(days=8) == real + timedelta(days=8, hours=1)
    assert woken == [real + timedelta(days=8, hours=1)]
    assert clock.offset == timedelta(days=8, hours=1)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="negative"):
        OffsetClock(timedelta(seconds=-5))


def test_local_users_get_stable_ids_from_their_names() -> None:
    assert user_id_for("Sam") == user_id_for(" sam ") == user_id_for("SAM")
    assert user_id_for("Sam") != user_id_for("Alex")
    assert 100_000 <= user_id_for("Alex") < 900_100_000


def test_session_file_round_trip_and_damage(tmp_path: Path) -> None:
    folder = files_dir(tmp_path / "comeback-local.sqlite3")
    assert folder.name == "comeback-local-files"
    path = folder / "session.json"
    assert LocalState.load(path) == LocalState()
    state = LocalState(user="Sam", users={"Sam": 5}, clock_offset_seconds=60.0, group_joined=True)
    state.message_ids = {"5": 12}
    state.save(path)
    assert LocalState.load(path) == state
    path.write_text("{not json", encoding="utf-8")
    assert LocalState.load(path) == LocalState()


def test_output_arriving_while_typing_redraws_the_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    screen = Screen(out, color=False, live_prompt=True)

    def typing(prompt: str) -> str:
        out.write(prompt)
        screen.write("bot> A check-in, just now")  # what the bot's thread does meanwhile
        return "Acme"

    monkeypatch.setattr("builtins.input", typing)
    assert screen.read("you> ") == "Acme"
    assert out.getvalue() == "you> \r\x1b[Kbot> A check-in, just now\nyou> "
    screen.write("later")
    assert out.getvalue().endswith("you> later\n")
    screen.note("saved")
    assert out.getvalue().endswith("(saved)\n")
