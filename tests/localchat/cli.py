"""Running `python -m bot chat` as a real process, the way a person would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.localchat.state import STATE_FILE, LocalState, files_dir

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")


def chat_env(**extra: str) -> dict[str, str]:
    """The environment of a person with no bot token: nothing Telegram, no colour overrides,
    an English-neutral locale (the chat's language follows LC_ALL, LC_MESSAGES, LANG)."""
    dropped = ("TELEGRAM_", "DATABASE_URL", "NO_COLOR", "LOG_LEVEL", "LC_ALL", "LC_MESSAGES")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env["LANG"] = "C.UTF-8"
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def start_on_a_monday_morning(db: Path) -> datetime:
    """Move the local chat's clock (saved with its session, as `:wait` saves it) to the next
    Monday at 10:00 UTC, so a script's check-ins fall where it expects them whatever the time
    of day the suite runs at (one run at 22:00 UTC put them in Berlin's quiet hours)."""
    now = datetime.now(UTC)
    monday = (now + timedelta(days=7 - now.weekday())).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    LocalState(clock_offset_seconds=(monday - now).total_seconds()).save(files_dir(db) / STATE_FILE)
    return monday


def run_chat(
    cwd: Path,
    *args: str,
    stdin: str | None = None,
    command: str = "chat",
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot chat ARGS` with stdin from a string (so stdin is not a TTY), under the
    usual umask 022 (which would leave new files readable by everyone); `env` adds to
    `chat_env()` (a locale, say)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *([command] if command else []), *args],
        cwd=cwd,
        env=chat_env(**(env or {})),
        input=stdin or "",
        capture_output=True,
        text=True,
        timeout=60,
        umask=0o022,
    )


def in_order(text: str, *fragments: str) -> None:
    """Every fragment appears in `text`, each after the one before."""
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing after position {position}:\n{text[position:]}"
        position = found + len(fragment)
