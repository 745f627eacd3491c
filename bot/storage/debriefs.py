"""Rejections and their debriefs: intake, answers, feedback request, actions, resource, goal."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from bot.clock import Clock, from_db, to_db
from bot.storage.database import Row, SqlStore
from bot.storage.update_record import forget_debriefs, this_update


@dataclass(frozen=True)
class Rejection:
    """One rejection the user logged, with the answers of its debrief."""

    id: int
    user_id: int
    company: str | None
    role: str | None
    stage: str | None
    how_heard: str | None
    rejected_on: date
    mood: int | None
    went_well: str | None
    lesson: str | None
    gaps: tuple[str, ...]
    strength: str | None
    status: str
    step: str
    source_chat_id: int | None
    created_at: datetime
    completed_at: datetime | None
    # The update that last moved this debrief (see migration 0006): a re-run is recognised.
    last_update_id: int | None = None

    @classmethod
    def from_row(cls, row: Row, prefix: str = "") -> Rejection:
        """Build from a `rejections` row (its columns named `prefix` + column, when read
        beside another table's)."""

        def column(name: str) -> Any:
            return row[prefix + name]

        completed_at = column("completed_at")
        return cls(
            id=column("id"),
            user_id=column("user_id"),
            company=column("company"),
            role=column("role"),
            stage=column("stage"),
            how_heard=column("how_heard"),
            rejected_on=date.fromisoformat(column("rejected_on")),
            mood=column("mood"),
            went_well=column("went_well"),
            lesson=column("lesson"),
            gaps=tuple(json.loads(column("gaps"))),
            strength=column("strength"),
            status=column("status"),
            step=column("step"),
            source_chat_id=column("source_chat_id"),
            created_at=from_db(column("created_at")),
            completed_at=from_db(completed_at) if completed_at else None,
            last_update_id=column("last_update_id"),
        )


# How the person's read (bot.storage.users) names the columns of their debrief in progress.
DEBRIEF_PREFIX = "debrief_"


@dataclass(frozen=True)
class FeedbackRecord:
    """The request for feedback to the hirer, as drafted and followed up."""

    id: int
    rejection_id: int
    status: str
    recipient: str | None
    channel: str | None
    tone: str | None
    personal_line: str | None
    subject: str | None
    body: str | None
    sent_at: datetime | None
    reply_text: str | None
    # The date the hirer's reply said to try again from, and why (see migration 0011).
    reapply_on: date | None = None
    reapply_reason: str | None = None

    @classmethod
    def from_row(cls, row: Row) -> FeedbackRecord:
        """Build from a `feedback_requests` row."""
        return cls(
            id=row["id"],
            rejection_id=row["rejection_id"],
            status=row["status"],
            recipient=row["recipient"],
            channel=row["channel"],
            tone=row["tone"],
            personal_line=row["personal_line"],
            subject=row["subject"],
            body=row["body"],
            sent_at=from_db(row["sent_at"]) if row["sent_at"] else None,
            reply_text=row["reply_text"],
            reapply_on=date.fromisoformat(row["reapply_on"]) if row["reapply_on"] else None,
            reapply_reason=row["reapply_reason"],
        )


@dataclass(frozen=True)
class PlanAction:
    """A concrete next action on a plan."""

    id: int
    source: str
    gap: str | None
    text: str


@dataclass(frozen=True)
class ResourcePick:
    """The motivating resource the user chose, and when they plan to use it."""

    id: int
    rejection_id: int
    resource_id: str
    title: str
    planned_for: date | None
    takeaway: str | None


@dataclass(frozen=True)
class GoalRecord:
    """A retry goal as stored."""

    id: int
    user_id: int
    rejection_id: int | None
    kind: str
    target: int | None
    custom_text: str | None
    deadline: date | None
    progress: int
    not_yet_count: int
    status: str

    @classmethod
    def from_row(cls, row: Row) -> GoalRecord:
        """Build from a `goals` row."""
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            rejection_id=row["rejection_id"],
            kind=row["kind"],
            target=row["target"],
            custom_text=row["custom_text"],
            deadline=date.fromisoformat(row["deadline"]) if row["deadline"] else None,
            progress=row["progress"],
            not_yet_count=row["not_yet_count"],
            status=row["status"],
        )


# How long the fact that a safety reply was shown is kept (its date and kind; never words).
SAFETY_EVENT_DAYS = 90

_REJECTION_COLUMNS = frozenset(
    {
        "company",
        "role",
        "stage",
        "how_heard",
        "mood",
        "went_well",
        "lesson",
        "gaps",
        "strength",
        "step",
        "status",
        "last_update_id",
    }
)
_FEEDBACK_COLUMNS = frozenset(
    {
        "status",
        "recipient",
        "channel",
        "tone",
        "personal_line",
        "subject",
        "body",
        "sent_at",
        "reply_text",
        "replied_at",
        "reapply_on",
        "reapply_reason",
    }
)
_GOAL_COLUMNS = frozenset(
    {
        "kind",
        "target",
        "custom_text",
        "deadline",
        "progress",
        "not_yet_count",
        "status",
        "completed_at",
    }
)


def _db_value(value: object) -> object:
    if isinstance(value, datetime):
        return to_db(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value))
    return value


def _assignments(fields: dict[str, object], allowed: frozenset[str]) -> tuple[str, list[object]]:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown columns: {sorted(unknown)}")
    return ", ".join(f"{c} = ?" for c in fields), [_db_value(v) for v in fields.values()]


# Composing a check-in reads the debrief, its feedback request or resource twice (how long ago
# it began, then what the message says): within `SqlDebriefRepository.reading_once()` each of
# those rows is read once (issue 22). The rule that keeps it true: the memo belongs to the task
# that opened it and lives until the block ends; a write through this repository empties it.
# Only a read-only stretch opens it (composing a check-in, which writes nothing).
_reads: ContextVar[tuple[asyncio.Task[Any], dict[tuple[str, int], Any]] | None] = ContextVar(
    "debrief_reads", default=None
)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _memo() -> dict[tuple[str, int], Any] | None:
    found = _reads.get()
    if found is None or found[0] is not asyncio.current_task():
        return None
    return found[1]


def _writes(
    method: Callable[_P, Coroutine[Any, Any, _R]],
) -> Callable[_P, Coroutine[Any, Any, _R]]:
    """A write: whatever the open memo holds, and the debriefs in progress the update read
    with its person (bot.storage.update_record), may be stale now."""

    @wraps(method)
    async def write(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        memo = _memo()
        if memo is not None:
            memo.clear()
        forget_debriefs()
        return await method(*args, **kwargs)

    return write


class SqlDebriefRepository:
    """Reads and writes a rejection's debrief and everything hanging off it."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    @staticmethod
    @contextmanager
    def reading_once() -> Iterator[None]:
        """Within the block, a debrief, feedback request, resource pick or goal is read once
        (see `_reads`)."""
        task = asyncio.current_task()
        token = _reads.set((task, {}) if task is not None else None)
        try:
            yield
        finally:
            _reads.reset(token)

    async def _once(self, kind: str, key: int, read: Callable[[], Awaitable[_R]]) -> _R:
        memo = _memo()
        if memo is None:
            return await read()
        if (kind, key) not in memo:
            memo[(kind, key)] = await read()
        found: _R = memo[(kind, key)]
        return found

    @_writes
    async def start(
        self, user_id: int, step: str, rejected_on: date, source_chat_id: int | None = None
    ) -> Rejection:
        """Open a new debrief (a new rejection record) at its first step."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO rejections (user_id, rejected_on, step, source_chat_id, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (user_id, rejected_on.isoformat(), step, source_chat_id, now, now),
            )
            inserted = await cursor.fetchone()
        found = await self.get(int(inserted["id"]) if inserted else 0)
        assert found is not None
        return found

    async def get(self, rejection_id: int) -> Rejection | None:
        """One rejection by id."""

        async def read() -> Rejection | None:
            row = await self._db.fetch_one("SELECT * FROM rejections WHERE id = ?", (rejection_id,))
            return Rejection.from_row(row) if row else None

        return await self._once("rejection", rejection_id, read)

    async def in_progress(self, user_id: int) -> Rejection | None:
        """The debrief the user is in the middle of, if any (read with the person, once per
        update: bot.storage.update_record)."""
        record = this_update()
        if record is not None and user_id in record.debriefs:
            return record.debriefs[user_id]
        row = await self._db.fetch_one(
            "SELECT * FROM rejections WHERE user_id = ? AND status = 'in_progress'"
            " ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return Rejection.from_row(row) if row else None

    async def resumable(self, user_id: int) -> Rejection | None:
        """The latest debrief that was not completed (running or left with /cancel)."""
        row = await self._db.fetch_one(
            "SELECT * FROM rejections WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
        )
        if row is None or row["status"] == "completed":
            return None
        return Rejection.from_row(row)

    async def latest_completed(self, user_id: int) -> Rejection | None:
        """The most recent finished debrief (its plan is what /plan shows)."""
        row = await self._db.fetch_one(
            "SELECT * FROM rejections WHERE user_id = ? AND status = 'completed'"
            " ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return Rejection.from_row(row) if row else None

    async def count(self, user_id: int) -> int:
        """How many rejections the user has logged."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM rejections WHERE user_id = ?", (user_id,)
        )
        return int(row["n"]) if row else 0

    @_writes
    async def update(self, rejection_id: int, **fields: object) -> Rejection | None:
        """Save answers and/or the step in one statement; returns the rejection as it now is
        (None if there is no such rejection), so callers need not read it again."""
        assignments, values = _assignments(fields, _REJECTION_COLUMNS)
        rows = await self._db.execute_returning(
            f"UPDATE rejections SET {assignments}, updated_at = ? WHERE id = ? RETURNING *",
            (*values, to_db(self._clock.now()), rejection_id),
        )
        return Rejection.from_row(rows[0]) if rows else None

    @_writes
    async def set_status(self, rejection_id: int, status: str) -> None:
        """Mark a debrief in_progress, cancelled or completed."""
        now = to_db(self._clock.now())
        await self._db.execute(
            "UPDATE rejections SET status = ?, updated_at = ?,"
            " completed_at = CASE WHEN ? = 'completed' THEN ? ELSE completed_at END WHERE id = ?",
            (status, now, status, now, rejection_id),
        )

    @_writes
    async def record_mood(
        self, user_id: int, score: int, source: str, rejection_id: int | None = None
    ) -> None:
        """Keep a mood score for the user's journey (debrief or check-in).

        A debrief has one mood: answering again (after /back, or resending an answer the bot
        never acknowledged because it was restarted) replaces it rather than adding a row.
        """
        debrief = rejection_id is not None and source == "debrief"
        async with self._db.transaction() as conn:
            if debrief:
                await conn.execute(
                    "DELETE FROM moods WHERE rejection_id = ? AND source = 'debrief'",
                    (rejection_id,),
                )
            await conn.execute(
                "INSERT INTO moods (user_id, rejection_id, score, source, recorded_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, rejection_id, score, source, to_db(self._clock.now())),
            )
            if debrief:
                await conn.execute(
                    "UPDATE rejections SET mood = ? WHERE id = ?", (score, rejection_id)
                )

    @_writes
    async def record_safety_event(self, user_id: int, kind: str = "crisis") -> None:
        """Remember that the safety reply was shown: the date and the kind, never the words.

        Events older than `SAFETY_EVENT_DAYS` are erased in the same transaction.
        """
        today = self._clock.now().date()
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO safety_events (user_id, shown_at, kind) VALUES (?, ?, ?)",
                (user_id, today.isoformat(), kind),
            )
            await conn.execute(
                "DELETE FROM safety_events WHERE shown_at < ?",
                ((today - timedelta(days=SAFETY_EVENT_DAYS)).isoformat(),),
            )

    # Feedback request -------------------------------------------------------------------

    async def feedback(self, rejection_id: int) -> FeedbackRecord | None:
        """The feedback request of a debrief, if one was started."""

        async def read() -> FeedbackRecord | None:
            row = await self._db.fetch_one(
                "SELECT * FROM feedback_requests WHERE rejection_id = ?", (rejection_id,)
            )
            return FeedbackRecord.from_row(row) if row else None

        return await self._once("feedback", rejection_id, read)

    @_writes
    async def save_feedback(self, rejection_id: int, **fields: object) -> FeedbackRecord:
        """Create or update the debrief's feedback request (one statement); returns it."""
        _, values = _assignments(fields, _FEEDBACK_COLUMNS)
        columns = "".join(f", {column}" for column in fields)
        marks = ", ?" * len(fields)
        changes = [f"{column} = excluded.{column}" for column in fields]
        # With nothing to set, an existing request is returned as it is (updated_at kept).
        changes.append(f"updated_at = {'excluded' if fields else 'feedback_requests'}.updated_at")
        now = to_db(self._clock.now())
        rows = await self._db.execute_returning(
            f"INSERT INTO feedback_requests (rejection_id, created_at, updated_at{columns})"
            f" VALUES (?, ?, ?{marks}) ON CONFLICT(rejection_id) DO UPDATE SET"
            f" {', '.join(changes)} RETURNING *",
            (rejection_id, now, now, *values),
        )
        return FeedbackRecord.from_row(rows[0])

    # Plan actions -----------------------------------------------------------------------

    @_writes
    async def replace_plan_actions(
        self, rejection_id: int, source: str, actions: Sequence[tuple[str | None, str]]
    ) -> None:
        """Set the actions of one source (gap or feedback) in one transaction."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM plan_actions WHERE rejection_id = ? AND source = ?",
                (rejection_id, source),
            )
            await conn.executemany(
                "INSERT INTO plan_actions (rejection_id, source, gap, text, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(rejection_id, source, gap, text, now) for gap, text in actions],
            )

    @_writes
    async def add_plan_actions(
        self, rejection_id: int, source: str, actions: Sequence[tuple[str | None, str]]
    ) -> None:
        """Append actions to a plan (e.g. from the hirer's feedback)."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO plan_actions (rejection_id, source, gap, text, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(rejection_id, source, gap, text, now) for gap, text in actions],
            )

    async def plan_actions(self, rejection_id: int) -> list[PlanAction]:
        """The plan's actions, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT id, source, gap, text FROM plan_actions WHERE rejection_id = ? ORDER BY id",
            (rejection_id,),
        )
        return [PlanAction(r["id"], r["source"], r["gap"], r["text"]) for r in rows]

    # Resource ---------------------------------------------------------------------------

    @_writes
    async def pick_resource(
        self, rejection_id: int, resource_id: str, title: str, planned_for: date | None = None
    ) -> None:
        """Save the chosen resource (one per debrief; a new pick replaces the old)."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM resource_picks WHERE rejection_id = ?", (rejection_id,))
            await conn.execute(
                "INSERT INTO resource_picks (rejection_id, resource_id, title, planned_for,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (
                    rejection_id,
                    resource_id,
                    title,
                    planned_for.isoformat() if planned_for else None,
                    to_db(self._clock.now()),
                ),
            )

    @_writes
    async def set_resource_plan(self, rejection_id: int, planned_for: date) -> None:
        """When the user plans to use their resource."""
        await self._db.execute(
            "UPDATE resource_picks SET planned_for = ? WHERE rejection_id = ?",
            (planned_for.isoformat(), rejection_id),
        )

    @_writes
    async def set_resource_takeaway(self, rejection_id: int, takeaway: str) -> None:
        """What the user took away from their resource."""
        await self._db.execute(
            "UPDATE resource_picks SET takeaway = ? WHERE rejection_id = ?",
            (takeaway, rejection_id),
        )

    async def picked_before(self, user_id: int, rejection_id: int) -> set[str]:
        """The resources the person picked in their other debriefs."""
        rows = await self._db.fetch_all(
            "SELECT p.resource_id FROM resource_picks p"
            " JOIN rejections r ON r.id = p.rejection_id"
            " WHERE r.user_id = ? AND r.id != ?",
            (user_id, rejection_id),
        )
        return {str(row["resource_id"]) for row in rows}

    async def resource_pick(self, rejection_id: int) -> ResourcePick | None:
        """The debrief's chosen resource."""
        return await self._once("resource", rejection_id, lambda: self._resource_pick(rejection_id))

    async def _resource_pick(self, rejection_id: int) -> ResourcePick | None:
        row = await self._db.fetch_one(
            "SELECT * FROM resource_picks WHERE rejection_id = ?", (rejection_id,)
        )
        if row is None:
            return None
        return ResourcePick(
            id=row["id"],
            rejection_id=row["rejection_id"],
            resource_id=row["resource_id"],
            title=row["title"],
            planned_for=date.fromisoformat(row["planned_for"]) if row["planned_for"] else None,
            takeaway=row["takeaway"],
        )

    # Goal -------------------------------------------------------------------------------

    async def goal_for(self, rejection_id: int) -> GoalRecord | None:
        """The retry goal set in this debrief (draft or active)."""
        row = await self._db.fetch_one(
            "SELECT * FROM goals WHERE rejection_id = ? ORDER BY id DESC LIMIT 1", (rejection_id,)
        )
        return GoalRecord.from_row(row) if row else None

    async def goal(self, goal_id: int) -> GoalRecord | None:
        """One goal by id."""

        async def read() -> GoalRecord | None:
            row = await self._db.fetch_one("SELECT * FROM goals WHERE id = ?", (goal_id,))
            return GoalRecord.from_row(row) if row else None

        return await self._once("goal", goal_id, read)

    @_writes
    async def save_goal(self, user_id: int, rejection_id: int, **fields: object) -> GoalRecord:
        """Create or update the debrief's draft goal (its latest); returns it. One statement
        when it exists, two when it is new: one chat's updates are handled one at a time, so
        nothing else makes the debrief's goal in between."""
        assignments, values = _assignments(fields, _GOAL_COLUMNS)
        now = to_db(self._clock.now())
        rows = await self._db.execute_returning(
            f"UPDATE goals SET {assignments + ', ' if fields else ''}updated_at = ?"
            " WHERE id = (SELECT id FROM goals WHERE rejection_id = ? ORDER BY id DESC LIMIT 1)"
            " RETURNING *",
            (*values, now, rejection_id),
        )
        if not rows:
            given = {"kind": "custom", **fields}
            columns = "".join(f", {column}" for column in given)
            rows = await self._db.execute_returning(
                f"INSERT INTO goals (user_id, rejection_id, created_at, updated_at{columns})"
                f" VALUES (?, ?, ?, ?{', ?' * len(given)}) RETURNING *",
                (user_id, rejection_id, now, now, *[_db_value(v) for v in given.values()]),
            )
        return GoalRecord.from_row(rows[0])

    @_writes
    async def update_goal(self, goal_id: int, **fields: object) -> None:
        """Change a goal (progress, status, target...)."""
        assignments, values = _assignments(fields, _GOAL_COLUMNS)
        await self._db.execute(
            f"UPDATE goals SET {assignments}, updated_at = ? WHERE id = ?",
            (*values, to_db(self._clock.now()), goal_id),
        )
