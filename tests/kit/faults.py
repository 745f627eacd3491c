"""Reliability: faults in the live database, conversation state, error logs, leaks to a user."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable

import pytest

from standin import FakeBotApi, FakeUser
from tests.kit.db import rows, target_of
from tests.kit.running import RunningBot

UNAVAILABLE = "I couldn't save that just now"
OOPS = "something went wrong"
NO_LIMIT = 1_073_741_823  # a max_page_count far beyond any test database


async def pragma(bot: RunningBot, statement: str) -> list[tuple[object, ...]]:
    """Run a PRAGMA on the bot's own live connection (its faults are that connection's)."""
    conn = await bot.services.db.connection()
    async with conn.execute(statement) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def read_only(bot: RunningBot, on: bool) -> None:
    """The database turns read-only (or writable again): every write fails with SQLITE_READONLY.

    chmod cannot do this for root (the tests may run as root); `query_only` makes SQLite refuse
    writes on the bot's connection with the same error a read-only file gives.
    """
    await pragma(bot, f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def retry_rounds(bot: RunningBot, rounds: int) -> None:
    """Wait until `rounds` more rounds of the inbox's retry of deferred updates have run."""
    updater = bot.services.updater
    assert updater is not None
    await asyncio.wait_for(updater.retry_rounds_pass(rounds), timeout=10.0)


async def disk_full(bot: RunningBot, on: bool) -> None:
    """The disk fills up (or has room again): anything that needs a new page fails SQLITE_FULL.

    `max_page_count` caps the file at its current size; VACUUM first, so there are no free
    pages left inside the file to grow into.
    """
    if on:
        await pragma(bot, "VACUUM")
        pages = (await pragma(bot, "PRAGMA page_count"))[0][0]
        await pragma(bot, f"PRAGMA max_page_count = {pages}")
    else:
        await pragma(bot, f"PRAGMA max_page_count = {NO_LIMIT}")


def conversation_state(bot: RunningBot, name: str, user: FakeUser) -> object:
    """The state stored for conversation `name` in a private chat (None: not in it)."""
    found = rows(
        target_of(bot.settings.database_url),
        "SELECT state FROM conversation_states WHERE name = ? AND key = ?",
        name,
        json.dumps([user.chat_id, user.id]),
    )
    return json.loads(str(found[0][0])) if found else None


def error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the error handler logged as a bug (ERROR or worse)."""
    return [r for r in caplog.records if r.name == "bot.errors" and r.levelno >= logging.ERROR]


def assert_no_leak(api: FakeBotApi, user: FakeUser, secrets: Iterable[str]) -> None:
    """No message or file the bot sent `user` contains any of `secrets` (another user's)."""
    for event in api.events:
        if event.chat_id != user.chat_id:
            continue
        shown = f"{event.text or ''}\n{event.plain_text}"
        if event.document is not None:
            shown += event.document.decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in shown, f"{user} was shown {secret!r}: {event}"
