"""Per-chat locks: whichever worker holds a chat's lock is the only one handling its updates.

On PostgreSQL each worker keeps one connection of its own for its locks (session-level advisory
locks, outside the pool): a worker that is killed loses its connection and the server releases
every lock it held at once, so another worker takes the chat at its next look at the inbox. On
SQLite there is one worker (several are refused at start), and the locks live in its memory.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

import psycopg
from psycopg import AsyncConnection

from bot.storage.database import SqlStore, StorageUnavailable
from bot.storage.postgres import conninfo

_LOGGER = logging.getLogger(__name__)

# The first key of the two-key advisory locks: chats' locks apart from the migration lock. A chat
# is the second key, its id folded into 32 bits; two chats that fold alike share a lock, which
# only makes them wait for each other.
_CHAT_LOCKS = 0x436F6D65  # "Come"


class ChatLocks(Protocol):
    """Who handles which chat right now."""

    # Whether other processes honour these locks (then the inbox is read again once one is held).
    shared: bool

    async def try_lock(self, chat_key: int) -> bool:
        """Take the chat's lock if nobody holds it; False if someone does."""
        ...

    async def unlock(self, chat_key: int) -> None:
        """Give the chat's lock back."""
        ...

    async def close(self) -> None:
        """Give every lock back."""
        ...


class LocalChatLocks:
    """The locks of the one worker on SQLite."""

    shared = False

    def __init__(self) -> None:
        self._held: set[int] = set()

    async def try_lock(self, chat_key: int) -> bool:
        """Take the chat's lock if this process does not hold it already."""
        if chat_key in self._held:
            return False
        self._held.add(chat_key)
        return True

    async def unlock(self, chat_key: int) -> None:
        """Give the chat's lock back."""
        self._held.discard(chat_key)

    async def close(self) -> None:
        """Give every lock back."""
        self._held.clear()


def _folded(chat_key: int) -> int:
    """A chat id (up to 64 bits, negative for groups) as a signed 32-bit advisory lock key."""
    folded = (chat_key ^ (chat_key >> 32)) & 0xFFFFFFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


class PgChatLocks:
    """Session-level advisory locks on a connection of this worker's own."""

    shared = True

    def __init__(self, url: str) -> None:
        self._info = conninfo(url)
        self._conn: AsyncConnection[Any] | None = None
        self._use = asyncio.Lock()
        self._held: dict[int, int] = {}  # folded key -> how many chats hold it

    async def _connection(self) -> AsyncConnection[Any]:
        if self._conn is None or self._conn.closed:
            if self._held:
                # The server released them with the lost connection: whatever runs now may be
                # taken by another worker too, and the redelivery guards keep that harmless.
                _LOGGER.warning("Lost the chat locks' connection holding %d locks", len(self._held))
                self._held.clear()
            self._conn = await AsyncConnection.connect(
                self._info, autocommit=True, connect_timeout=10
            )
        return self._conn

    async def try_lock(self, chat_key: int) -> bool:
        """Take the chat's lock if no other worker holds it."""
        key = _folded(chat_key)
        async with self._use:
            try:
                conn = await self._connection()
                cursor = await conn.execute(
                    "SELECT pg_try_advisory_lock(%s, %s)", (_CHAT_LOCKS, key)
                )
                row = await cursor.fetchone()
            except psycopg.OperationalError as exc:
                self._conn = None
                raise StorageUnavailable(str(exc).splitlines()[0] if str(exc) else "lost") from exc
            taken = bool(row and row[0])
            if taken:
                self._held[key] = self._held.get(key, 0) + 1
            return taken

    async def unlock(self, chat_key: int) -> None:
        """Give the chat's lock back (nothing to do when the connection, and so it, is gone)."""
        key = _folded(chat_key)
        async with self._use:
            if self._held.get(key, 0) <= 0:
                return
            self._held[key] -= 1
            if not self._held[key]:
                del self._held[key]
            if self._conn is None or self._conn.closed:
                return
            try:
                await self._conn.execute("SELECT pg_advisory_unlock(%s, %s)", (_CHAT_LOCKS, key))
            except psycopg.OperationalError as exc:
                _LOGGER.warning("Could not give a chat lock back: %s", exc)
                self._conn = None

    async def close(self) -> None:
        """Close the connection: the server releases every lock on it."""
        async with self._use:
            self._held.clear()
            if self._conn is not None:
                conn, self._conn = self._conn, None
                await conn.close()


def chat_locks_for(db: SqlStore) -> ChatLocks:
    """The locks that fit the database: shared on PostgreSQL, in memory on SQLite."""
    url = getattr(db, "url", None)
    if getattr(db, "dialect", "sqlite") == "postgresql" and isinstance(url, str):
        return PgChatLocks(url)
    return LocalChatLocks()
