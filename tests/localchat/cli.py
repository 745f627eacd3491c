"""Running `python -m bot chat` as a real process, the way a person would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

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
