"""`python -m bot` as a real process: its environment, a CLI run, a long-running bot."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from standin.http import StandinServer
from tests.kit.running import TOKEN


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: no TELEGRAM_* from outside, a database in `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "LOG_LEVEL": "DEBUG",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` run to its end in `tmp_path` (60 s at most), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=bot_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


async def start_bot(
    tmp_path: Path,
    server: StandinServer,
    log_level: str = "INFO",
    database_url: str | None = None,
    **extra: str,
) -> asyncio.subprocess.Process:
    """`python -m bot` started against the fake Telegram `server`, stdout and stderr piped; its
    database `database_url` (`tests.kit.db.url_of`), by default a SQLite file in `tmp_path`;
    `extra` adds to its environment."""
    database = {} if database_url is None else {"DATABASE_URL": database_url}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=bot_env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=server.base_url,
            LOG_LEVEL=log_level,
            **database,
            **extra,
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
