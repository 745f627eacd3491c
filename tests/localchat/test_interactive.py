"""The interactive chat through a pseudo-terminal: prompt, a press by letter, Ctrl-D, Ctrl-C,
the input history (screened lines, /delete) and the files' permissions."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.localchat.runner import screened
from tests.localchat.cli import ANSI, chat_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

# Make the pseudo-terminal the child's controlling terminal, so Ctrl-C becomes SIGINT (and its
# default, whatever this process ignores: an ignored signal stays ignored across exec); the usual
# umask 022, which would leave new files readable by everyone.
LAUNCH = (
    "import fcntl, os, signal, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "signal.signal(signal.SIGINT, signal.SIG_DFL); os.umask(0o022); "
    "os.execv(sys.executable, [sys.executable, '-m', 'bot', *sys.argv[1:]])"
)


class Terminal:
    """A person at a terminal: types keys, reads the screen (styles kept in `raw`)."""

    def __init__(self, cwd: Path, *args: str) -> None:
        master, slave = os.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=chat_env(TERM="xterm", PYTHONFAULTHANDLER="1"),
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw = ""
        self._seen = 0

    @property
    def text(self) -> str:
        """Everything shown so far, without terminal control sequences."""
        return ANSI.sub("", self.raw).replace("\r", "")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.raw += chunk.decode("utf-8", errors="replace")
        return True

    def expect(self, fragment: str, timeout: float = 20.0) -> str:
        """Read until `fragment` shows up after what earlier expectations consumed."""
        deadline = _now() + timeout
        while True:
            found = self.text.find(fragment, self._seen)
            if found >= 0:
                self._seen = found + len(fragment)
                return self.text
            remaining = deadline - _now()
            if remaining <= 0 or (not self._read(remaining) and self.process.poll() is not None):
                raise AssertionError(f"{fragment!r} never appeared; screen:\n{self.text}")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def finish(self, timeout: float = 20.0) -> int:
        """Wait for the program to exit, reading the screen meanwhile (a full pty would block)."""
        deadline = _now() + timeout
        while self.process.poll() is None and _now() < deadline:
            self._read(0.1)
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGABRT)  # faulthandler shows where it hangs
            self.process.wait(timeout=5)
            while self._read(0.2):
                pass
            raise AssertionError(f"the chat did not exit; screen:\n{self.text}")
        while self._read(0.05):
            pass
        os.close(self.master)
        return self.process.returncode

    def interrupt(self) -> None:
        """Press Ctrl-C; again if needed: one pressed just as readline starts can go unseen
        until the next key (a CPython readline race; a second press is what people do)."""
        for _ in range(10):
            self.type("\x03")
            deadline = _now() + 1.0
            while self.process.poll() is None and _now() < deadline:
                self._read(0.05)
            if self.process.poll() is not None:
                return

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path, "chat", "--db", str(tmp_path / "c.sqlite3"), "--name", "Alex")
    yield term
    term.kill()


def _now() -> float:
    import time

    return time.monotonic()


def step(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT company, step FROM rejections"))


def test_prompt_press_by_letter_and_ctrl_d(terminal: Terminal, tmp_path: Path) -> None:
    terminal.expect("Comeback, right here in your terminal")
    terminal.expect("you> ")
    terminal.type("/start\r")
    terminal.expect("Which company was it?")
    terminal.expect("[a] Skip")
    terminal.expect("you> ")
    assert "\x1b[1mComeback\x1b[22m" in terminal.raw, "bold on a terminal"
    assert "\x1b[3mWhat you tell me" in terminal.raw, "italic on a terminal"

    terminal.type("a\r")  # press Skip
    terminal.expect("What was the role?")
    terminal.expect("you> ")
    terminal.type("\x04")  # Ctrl-D
    assert terminal.finish() == 0
    assert "saved in" in terminal.text
    assert "Traceback" not in terminal.text
    assert step(tmp_path / "c.sqlite3") == [(None, "role")]


def test_ctrl_c_leaves_cleanly_and_the_chat_resumes(terminal: Terminal, tmp_path: Path) -> None:
    terminal.expect("you> ")
    terminal.type("/start\r")
    terminal.expect("Which company was it?")
    terminal.expect("you> ")
    terminal.type("Acme\r")
    terminal.expect("What was the role?")
    terminal.expect("you> ")
    terminal.interrupt()
    assert terminal.finish() == 0
    assert "Traceback" not in terminal.text
    assert step(tmp_path / "c.sqlite3") == [("Acme", "role")]

    again = Terminal(tmp_path, "chat", "--db", str(tmp_path / "c.sqlite3"))
    try:
        again.expect("picking it up")
        again.expect("What was the role?")
        again.expect("you> ")
        again.type("a\r")
        again.expect("How far did you get with Acme?")
        again.expect("you> ")
        again.type(":quit\r")
        assert again.finish() == 0
    finally:
        again.kill()


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_the_input_history_never_keeps_what_the_safety_screen_flags(tmp_path: Path) -> None:
    crisis = "I want to die"
    assert screened(crisis)
    history = tmp_path / "c-files" / "history"
    history.parent.mkdir()
    history.parent.chmod(0o755)  # an existing folder (not made by the chat) keeps its mode
    history.write_text(f"/help\n{crisis}\n", encoding="utf-8")  # from before this screen
    history.chmod(0o644)
    terminal = Terminal(tmp_path, "chat", "--db", str(tmp_path / "c.sqlite3"), "--name", "Alex")
    try:
        terminal.expect("you> ")
        terminal.type("/start\r")
        terminal.expect("Which company was it?")
        terminal.expect("you> ")
        terminal.type(crisis + "\r")
        terminal.expect("you> ")
        terminal.type("\x1b[A")  # arrow up recalls the line before the screened one
        terminal.expect("/start")
        assert crisis not in terminal.text[terminal.text.rindex("you> ") :]
        terminal.type("\x1b[A")  # and before that, the old file's line, not its screened one
        terminal.expect("help")  # readline redraws only what differs from "/start"
        assert crisis not in terminal.text[terminal.text.rindex("you> ") :]
        terminal.type("\x15\x04")  # Ctrl-U empties the line, Ctrl-D leaves
        assert terminal.finish() == 0
    finally:
        terminal.kill()
    assert "Traceback" not in terminal.text
    kept = history.read_text(encoding="utf-8")
    assert "/start" in kept and "/help" in kept
    assert crisis not in kept
    assert mode(history) == "0o600"
    assert mode(history.parent) == "0o755"


def test_delete_erases_the_input_history_in_memory_and_on_disk(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    history = tmp_path / "c-files" / "history"
    first = Terminal(tmp_path, "chat", "--db", str(db), "--name", "Alex")
    try:
        first.expect("you> ")
        first.type("/start\r")
        first.expect("Which company was it?")
        first.expect("you> ")
        first.type("Acme Secret Project\r")
        first.expect("What was the role?")
        first.expect("you> ")
        first.type("\x04")
        assert first.finish() == 0
    finally:
        first.kill()
    assert "Acme Secret Project" in history.read_text(encoding="utf-8")
    # every file the chat made is its owner's alone, under umask 022, and so is its folder
    assert {mode(p) for p in [db, history, history.parent / "session.json"]} == {"0o600"}
    assert mode(history.parent) == "0o700"

    again = Terminal(tmp_path, "chat", "--db", str(db))
    try:
        again.expect("What was the role?")
        again.expect("you> ")
        again.type("/delete\r")
        again.expect("Erase everything?")
        again.expect("[a] 🗑 Yes, erase everything")
        again.expect("you> ")
        again.type("a\r")
        again.expect("Everything I held about you is erased")
        again.expect("input history here is erased too")
        again.expect("you> ")
        assert not history.exists()
        again.type("after\r")
        again.expect("you> ")
        again.type("\x04")
        assert again.finish() == 0
    finally:
        again.kill()
    assert "Traceback" not in again.text
    assert history.read_text(encoding="utf-8").split() == ["after"]


def test_keeping_the_data_keeps_the_history(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    terminal = Terminal(tmp_path, "chat", "--db", str(db), "--name", "Alex")
    try:
        terminal.expect("you> ")
        terminal.type("/start\r")
        terminal.expect("you> ")
        terminal.type("Acme\r")
        terminal.expect("you> ")
        terminal.type("/delete\r")
        terminal.expect("[b] Keep my data")
        terminal.expect("you> ")
        terminal.type("b\r")
        terminal.expect("Nothing was erased")
        terminal.expect("you> ")
        terminal.type("\x04")
        assert terminal.finish() == 0
    finally:
        terminal.kill()
    assert "input history" not in terminal.text
    history = tmp_path / "c-files" / "history"
    assert history.read_text(encoding="utf-8").split("\n")[:4] == ["/start", "Acme", "/delete", "b"]
