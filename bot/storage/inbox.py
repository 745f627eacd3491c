"""The inbox: updates stored the moment they are fetched, emptied once they were handled.

python-telegram-bot's Updater acknowledges a fetched batch with its next getUpdates call,
before the batch is handled; a process killed in between loses whatever it had not handled.
Here a batch is committed to `inbox` first (one statement), and only then is Telegram asked for
more. A restart hands the rows not yet handled to the application again, in update_id order,
and polls from past the inbox's newest row, so Telegram never hands back an update that was
stored before.

A handled update's row is not removed but emptied (`handled`: no payload, no person, no chat),
so the newest row is the watermark without a statement of its own: storing a batch and moving
the watermark past it are one statement (issue 22). An emptied row is removed only once a newer
batch was fetched, as the getUpdates that fetched it confirmed to Telegram every older update;
that happens every `PRUNE_EVERY` batches, not at every one, which would cost the statement
back. Webhook mode removes a handled row and remembers its id in `inbox_handled` instead
(Telegram sends an update again until it was acknowledged). See docs/reliability.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_db, to_db
from bot.storage.database import SqlStore

TELEGRAM_KEEPS = timedelta(hours=24)  # how long Telegram keeps an unconfirmed update
PRUNE_EVERY = 16  # batches stored between two removals of the handled rows behind them


@dataclass(frozen=True)
class Incoming:
    """One fetched update as the inbox keeps it."""

    update_id: int
    user_id: int | None
    payload: dict[str, Any]
    screened: str | None = None  # set when the words were left out (the safety screen's verdict)
    chat_key: int | None = None  # whose updates go in order: the chat, else the user

    @property
    def key(self) -> int:
        """The ordering key stored: the chat, else the user, else the update on its own."""
        if self.chat_key is not None:
            return self.chat_key
        return self.user_id if self.user_id is not None else self.update_id


@dataclass(frozen=True)
class Stored:
    """An update from the inbox, to be handled (again)."""

    update_id: int
    payload: dict[str, Any]
    screened: str | None
    chat_key: int | None = None


@dataclass(frozen=True)
class InboxDepth:
    """How many updates wait in the inbox, and since when the oldest."""

    count: int
    oldest: datetime | None


class SqlInboxRepository:
    """Reads and writes `inbox` (and `inbox_handled`, in webhook mode)."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._batches = 0

    async def watermark(self) -> int | None:
        """The newest update_id ever stored, or None on a fresh database."""
        row = await self._newest()
        return int(row["update_id"]) if row else None

    async def resume_offset(self) -> int | None:
        """Where polling goes on after a restart: past the newest stored update, while Telegram
        could still hand that batch out again (it keeps unconfirmed updates for a day); after
        that, from whatever Telegram holds (its ids may then start afresh)."""
        row = await self._newest()
        if row is None:
            return None
        if from_db(row["received_at"]) < self._clock.now() - TELEGRAM_KEEPS:
            return None
        return int(row["update_id"]) + 1

    async def _newest(self) -> Any | None:
        """The inbox's newest row, handled or not: the watermark."""
        return await self._db.fetch_one(
            "SELECT update_id, received_at FROM inbox ORDER BY update_id DESC LIMIT 1"
        )

    async def store(self, batch: Sequence[Incoming]) -> None:
        """Keep a fetched batch (one statement: all of it or none; idempotent). Now and then,
        first remove the handled rows behind it: fetching it confirmed them to Telegram, and
        its own rows, newer, are the watermark."""
        if not batch:
            return
        self._batches += 1
        if self._batches % PRUNE_EVERY == 0:
            await self._db.execute(
                "DELETE FROM inbox WHERE handled = 1 AND update_id < ?",
                (min(i.update_id for i in batch),),
            )
        now = to_db(self._clock.now())
        values = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(batch))
        await self._db.execute(
            "INSERT INTO inbox (update_id, user_id, payload, screened, received_at, chat_key)"
            f" VALUES {values} ON CONFLICT DO NOTHING",
            [value for update in batch for value in _row(update, now)],
        )

    async def unfinished(self) -> list[Stored]:
        """What was stored but not handled before the last stop, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT update_id, payload, screened, chat_key FROM inbox WHERE handled = 0"
            " ORDER BY update_id"
        )
        return [_stored(r) for r in rows]

    async def done(self, update_id: int) -> None:
        """The update was handled: empty its row (the words in it, whose it was); the row is
        kept while it may be the watermark (see `store`)."""
        await self._db.execute(
            "UPDATE inbox SET handled = 1, payload = '{}', screened = NULL, user_id = NULL,"
            " chat_key = NULL WHERE update_id = ?",
            (update_id,),
        )

    async def receive(self, update: Incoming) -> None:
        """Keep one update that arrived by webhook (idempotent on update_id: Telegram sends an
        update again until it was acknowledged, even one handled already). The polling
        watermark stays as it is."""
        await self._db.execute(
            "INSERT INTO inbox (update_id, user_id, payload, screened, received_at, chat_key)"
            " SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS"
            " (SELECT 1 FROM inbox_handled WHERE update_id = ?1) ON CONFLICT DO NOTHING",
            _row(update, to_db(self._clock.now())),
        )

    async def done_remembered(self, update_id: int) -> None:
        """Webhook mode's `done`: remove the row and remember, for a day, that the update was
        handled, so that Telegram sending it again is not taken for a new one."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))
            await conn.execute(
                "INSERT INTO inbox_handled (update_id, handled_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (update_id, to_db(self._clock.now())),
            )

    async def forget_handled(self) -> int:
        """Forget the handled updates older than Telegram's retries (a day); how many."""
        return await self._db.execute(
            "DELETE FROM inbox_handled WHERE handled_at < ?",
            (to_db(self._clock.now() - TELEGRAM_KEEPS),),
        )

    async def heads(self, limit: int, held: Sequence[int] = ()) -> list[Stored]:
        """The oldest update of each chat with updates waiting, oldest first, but for the
        `held` chats (this worker's own, busy already): the only ones a worker may take, so
        each chat's updates go one at a time and in order."""
        rows = await self._db.fetch_all(
            "SELECT update_id, payload, screened, chat_key FROM inbox i"
            " WHERE i.handled = 0 AND NOT (i.chat_key IN (SELECT value FROM json_each(?1)))"
            " AND NOT EXISTS (SELECT 1 FROM inbox j WHERE j.chat_key = i.chat_key"
            "  AND j.update_id < i.update_id)"
            " ORDER BY update_id LIMIT ?2",
            (json.dumps(list(held)), limit),
        )
        return [_stored(r) for r in rows]

    async def head_of(self, chat_key: int) -> Stored | None:
        """The oldest update waiting in one chat (read again once its lock is held)."""
        row = await self._db.fetch_one(
            "SELECT update_id, payload, screened, chat_key FROM inbox WHERE chat_key = ?"
            " ORDER BY update_id LIMIT 1",
            (chat_key,),
        )
        return _stored(row) if row is not None else None

    async def depth(self) -> InboxDepth:
        """How many updates wait, and when the oldest arrived (/healthz, /metrics)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox WHERE handled = 0"
        )
        if row is None or not row["n"]:
            return InboxDepth(0, None)
        return InboxDepth(int(row["n"]), from_db(row["oldest"]))


def _row(update: Incoming, now: str) -> tuple[object, ...]:
    payload = json.dumps(update.payload)
    return (update.update_id, update.user_id, payload, update.screened, now, update.key)


def _stored(row: Any) -> Stored:
    return Stored(row["update_id"], json.loads(row["payload"]), row["screened"], row["chat_key"])
