"""Check-ins: the durable schedule of every follow-up message, and what the answers need.

The `check_ins` table is the single source of truth. A row goes pending -> claimed -> sent ->
answered (or superseded, cancelled, failed). Claiming is one `UPDATE ... RETURNING` per batch in
a write transaction, so two dispatchers (two runs, or two processes on one file) never claim the
same row; memory is bounded by the batch size, whatever the size of the table.

A claim is a lease: `claimed_at` is when it was taken or last renewed, and a claim older than
the dispatcher's lease is free to be taken back (`release_stale_claims`), so a crash strands a
check-in for one lease at most. A live dispatcher renews its claims (`renew_claims`) and checks
they are still its own before it sends.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.clock import Clock, from_db, to_db
from bot.storage.database import Row, SqlStore, TxConnection
from bot.storage.debriefs import GoalRecord
from bot.storage.update_record import forget_debriefs
from bot.storage.users import forget_read_this_update
from coaching.kinds import Kind


@dataclass(frozen=True)
class CheckIn:
    """One scheduled (or sent, or answered) check-in."""

    id: int
    user_id: int | None
    chat_id: int
    kind: str
    goal_id: int | None
    rejection_id: int | None
    due_at: datetime
    local_date: date | None
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    message_id: int | None
    answer: str | None

    @classmethod
    def from_row(cls, row: Row) -> CheckIn:
        """Build from a `check_ins` row."""
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            chat_id=row["chat_id"],
            kind=row["kind"],
            goal_id=row["goal_id"],
            rejection_id=row["rejection_id"],
            due_at=from_db(row["due_at"]),
            local_date=date.fromisoformat(row["local_date"]) if row["local_date"] else None,
            status=row["status"],
            attempts=row["attempts"],
            last_error=row["last_error"],
            sent_at=from_db(row["sent_at"]) if row["sent_at"] else None,
            message_id=row["message_id"],
            answer=row["answer"],
        )


@dataclass(frozen=True)
class NewCheckIn:
    """A check-in to schedule."""

    user_id: int
    chat_id: int
    kind: str
    due_at: datetime
    local_date: date
    goal_id: int | None = None
    rejection_id: int | None = None


@dataclass(frozen=True)
class Claimed:
    """A claimed check-in, with how many older due ones of the same user were folded into it."""

    checkin: CheckIn
    folded: int


@dataclass(frozen=True)
class Focus:
    """The check-in a user is answering in words, and the goal being changed or drafted."""

    checkin_id: int
    goal_id: int | None


# The newest due row of each user whose check-ins may go out now (active, enabled, not paused;
# while coaching is held after a crisis reply, only the gentle wellbeing check goes out);
# at equal due times a goal check-in wins (the goal is the heart of the plan), then the newest.
_CLAIM = """
UPDATE check_ins SET status = 'claimed', claimed_at = :now, updated_at = :now
WHERE id IN (
    SELECT c.id FROM check_ins AS c JOIN users AS u ON u.id = c.user_id
    WHERE c.status = 'pending' AND c.due_at <= :now
      AND c.kind IN (SELECT value FROM json_each(:kinds))
      AND u.active = 1 AND u.checkins_enabled = 1
      AND (u.paused_until IS NULL OR u.paused_until <= :now OR c.kind = 'wellbeing')
      AND (u.safety_hold_since IS NULL OR c.kind = 'wellbeing')
      AND NOT EXISTS (
          SELECT 1 FROM check_ins AS n
          WHERE n.user_id = c.user_id AND n.status = 'pending' AND n.due_at <= :now
            AND n.kind IN (SELECT value FROM json_each(:kinds))
            AND (u.safety_hold_since IS NULL OR n.kind = 'wellbeing')
            AND (n.due_at > c.due_at OR (n.due_at = c.due_at AND (
                (n.kind LIKE 'goal%') > (c.kind LIKE 'goal%')
                OR ((n.kind LIKE 'goal%') = (c.kind LIKE 'goal%') AND n.id > c.id)))))
    ORDER BY c.due_at, c.id
    LIMIT :limit)
RETURNING *
"""
# On PostgreSQL several processes claim from one table at once: each locks the rows it takes
# and passes over rows another holds (SQLite serialises writers, so has no need).
_CLAIM_BY = {
    "sqlite": _CLAIM,
    "postgresql": _CLAIM.replace("LIMIT :limit)", "LIMIT :limit FOR UPDATE OF c SKIP LOCKED)"),
}

# The claimed row's older due duplicates (same subject: kind family, goal and debrief) are
# folded into the one message the user gets now. (Ids compared through COALESCE, not `IS`:
# PostgreSQL reads `goal_id IS NULL` as a reason to walk the goal index, before its statistics
# say how many rows have no goal; the user's own rows are what to walk.)
_FOLD = """
UPDATE check_ins SET status = 'superseded', updated_at = :now
WHERE user_id = :user AND status = 'pending' AND due_at <= :now
  AND kind IN (SELECT value FROM json_each(:family))
  AND COALESCE(goal_id, 0) = COALESCE(:goal, 0)
  AND COALESCE(rejection_id, 0) = COALESCE(:rejection, 0)
"""

# A backlog is spread before the claim (CheckinPlanner.catch_up: the other subjects later the
# same day, an hour apart, out of quiet hours), so this finds nothing to move. It is the fallback
# for a row that fell due between that and the claim: moved by whole days to the next occurrence
# of its own time of day after now (still the user's hour, outside quiet hours).
_DEFER_SQLITE = """
UPDATE check_ins SET
    due_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', due_at,
                      '+' || (CAST(julianday(:now) - julianday(due_at) AS INTEGER) + 1) || ' days'),
    local_date = date(local_date,
                      '+' || (CAST(julianday(:now) - julianday(due_at) AS INTEGER) + 1) || ' days'),
    updated_at = :now
WHERE user_id = :user AND status = 'pending' AND due_at <= :now
  AND kind IN (SELECT value FROM json_each(:kinds))
"""
_DEFER_POSTGRES = """
UPDATE check_ins SET
    due_at = to_char((due_at::timestamptz + moved.days * interval '1 day') AT TIME ZONE 'UTC',
                     'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
    local_date = to_char(local_date::date + moved.days, 'YYYY-MM-DD'),
    updated_at = :now
FROM (SELECT id, floor(extract(epoch FROM :now::timestamptz - due_at::timestamptz) / 86400)::int
             + 1 AS days
      FROM check_ins
      WHERE user_id = :user AND status = 'pending' AND due_at <= :now
        AND kind IN (SELECT value FROM json_each(:kinds))) AS moved
WHERE check_ins.id = moved.id
"""
_DEFER = {"sqlite": _DEFER_SQLITE, "postgresql": _DEFER_POSTGRES}

# A backlog (see CheckinPlanner.catch_up): the due rows the next claim could take, of the people
# who have more than one of them due, or one due since before :late (the bot was down, a pause
# ended), or one of :stale_kinds planned for a day before :stale_before (a mood check that may be
# too late to help). The same people as the claim's (_CLAIM); read through check_ins_due.
_BACKLOG = """
SELECT c.* FROM check_ins AS c JOIN users AS u ON u.id = c.user_id
WHERE c.status = 'pending' AND c.due_at <= ?1
  AND c.kind IN (SELECT value FROM json_each(?3))
  AND u.active = 1 AND u.checkins_enabled = 1
  AND (u.paused_until IS NULL OR u.paused_until <= ?1 OR c.kind = 'wellbeing')
  AND (u.safety_hold_since IS NULL OR c.kind = 'wellbeing')
  AND c.user_id IN (
      SELECT d.user_id FROM check_ins AS d
      WHERE d.status = 'pending' AND d.due_at <= ?1
        AND d.kind IN (SELECT value FROM json_each(?3))
      GROUP BY d.user_id HAVING COUNT(*) > 1 OR MIN(d.due_at) < ?2
          OR MAX(CASE WHEN d.kind IN (SELECT value FROM json_each(?4)) AND d.local_date < ?5
                      THEN 1 ELSE 0 END) = 1)
ORDER BY c.user_id, c.due_at, c.id
"""

# "Stop all check-ins" cancels with a reason, so "Resume" knows what to bring back.
STOPPED = "stopped"
"""check_ins.cancel_reason of what "Stop all check-ins" cancelled."""
NOT_RESUMED = "not_resumed"
"""... and of what "Resume" did not bring back (settled, or too late to help)."""
TOO_LATE = "late"
"""check_ins.cancel_reason of a check-in dropped as too late to help (a late mood check)."""

_INSERT = (
    "INSERT INTO check_ins (user_id, chat_id, kind, goal_id, rejection_id, due_at,"
    " local_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MOVE = "UPDATE check_ins SET due_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'"

# Finishing a debrief (SqlCheckinRepository.complete_plan): the goal becomes active and the
# debrief completed in the transaction that schedules the plan's check-ins.
_ACTIVATE_GOAL = (
    "UPDATE goals SET status = 'active', updated_at = :now WHERE id = :goal AND status = 'draft'"
)
_COMPLETE_DEBRIEF = """
UPDATE rejections SET status = 'completed', updated_at = :now,
    completed_at = CASE WHEN status = 'completed' THEN completed_at ELSE :now END,
    last_update_id = COALESCE(:update_id, last_update_id)
WHERE id = :rejection
"""
# Whether a subject already has check-ins of any status: a goal (its progress check-ins are the
# only ones that carry its id), or one kind family of a debrief. Planning a subject that has
# some would only duplicate them.
_GOAL_HAS_ANY = "SELECT 1 FROM check_ins WHERE goal_id = ? LIMIT 1"
_DEBRIEF_HAS_ANY = (
    "SELECT 1 FROM check_ins WHERE rejection_id = ?"
    " AND kind IN (SELECT value FROM json_each(?)) LIMIT 1"
)

# Completed plans, from a moment on, whose active goal (deadline still ahead) has never had a
# check-in (only a goal's own check-ins carry its id): a plan finished before the finishing
# transaction existed lost them to a storage fault, for good. Not for people who stopped the
# check-ins, are held after a crisis reply, or blocked the bot (their check-ins come back when
# they resume). Keyset pages after (completed_at, id) = (?1, ?2), through the partial index
# rejections_completed (migration 0007: completed debriefs only, by completed_at), so a page
# reads only the window it covers. (A row value, not "a > ?1 OR (a = ?1 AND id > ?2)": SQLite
# cannot bound the index range with that.)
_UNPLANNED = """
SELECT r.id, r.completed_at FROM rejections AS r JOIN users AS u ON u.id = r.user_id
WHERE r.status = 'completed' AND (r.completed_at, r.id) > (?1, ?2)
  AND u.active = 1 AND u.checkins_enabled = 1 AND u.safety_hold_since IS NULL
  AND EXISTS (
      SELECT 1 FROM goals AS g
      WHERE g.rejection_id = r.id AND g.status = 'active' AND g.deadline > ?3
        AND NOT EXISTS (SELECT 1 FROM check_ins AS c WHERE c.goal_id = g.id))
ORDER BY r.completed_at, r.id
LIMIT ?4
"""

# Renewing a lease: only claims still held under the stamp this dispatcher wrote (a claim
# taken back after its lease ran out, and perhaps claimed again, is someone else's now).
_RENEW = """
UPDATE check_ins SET claimed_at = :now, updated_at = :now
WHERE id IN (SELECT value FROM json_each(:ids)) AND status = 'claimed' AND claimed_at = :held
RETURNING id
"""

# An answer can come first: the person pressed a button of the message before its send was
# recorded (a storage fault or a kill came between); the answer stands.
_SENT = (
    "UPDATE check_ins SET"
    " status = CASE WHEN status IN ('claimed', 'pending') THEN 'sent' ELSE status END,"
    " sent_at = ?, message_id = ?, claimed_at = NULL, updated_at = ? WHERE id = ?"
)
_SUPERSEDE_OLDER = (
    "UPDATE check_ins SET status = 'superseded', updated_at = ?"
    " WHERE user_id = ? AND status = 'sent' AND id <> ?"
    " AND kind IN (SELECT value FROM json_each(?))"
    " AND goal_id IS ? AND rejection_id IS ?"
)


@dataclass
class _SentBatch:
    """Sends recorded in one transaction (see SqlCheckinRepository.mark_sent)."""

    done: asyncio.Future[None]
    records: list[tuple[CheckIn, int, str]] = field(default_factory=list)
    writer: asyncio.Task[None] | None = None


Repair = Callable[[datetime], Awaitable[int]]
"""Work a dispatcher run does before it claims (CheckinPlanner.repair_plans); returns how many
check-ins it scheduled."""


@dataclass(frozen=True)
class Unplanned:
    """A completed plan the repair looks at (see `SqlCheckinRepository.unplanned_plans`)."""

    rejection_id: int
    completed_at: str  # as stored: the keyset of the next page


class SqlCheckinRepository:
    """Reads and writes `check_ins` (and the small `checkin_focus` table)."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._sends: _SentBatch | None = None  # sends waiting to be recorded (mark_sent)
        self._repairs: list[Repair] = []

    # Repairs -----------------------------------------------------------------------------

    def add_repair(self, repair: Repair) -> None:
        """Have every dispatcher run over this repository call `repair(now)` before claiming
        (the planner registers the repair of plans whose check-ins were never written)."""
        self._repairs.append(repair)

    async def repair(self, now: datetime) -> int:
        """Run the registered repairs; returns how many check-ins they scheduled."""
        return sum([await repair(now) for repair in self._repairs])

    def _now(self) -> str:
        return to_db(self._clock.now())

    # Scheduling --------------------------------------------------------------------------

    async def add(self, items: Sequence[NewCheckIn]) -> None:
        """Schedule check-ins, all in one transaction."""
        if not items:
            return
        now = self._now()
        async with self._db.transaction() as conn:
            await conn.executemany(_INSERT, [_insert_row(i, now) for i in items])

    async def complete_plan(
        self,
        rejection_id: int,
        goal_id: int | None,
        items: Sequence[NewCheckIn],
        moves: Sequence[tuple[int, datetime]] = (),
        update_id: int | None = None,
    ) -> int:
        """Finish a debrief in one transaction: its goal (`goal_id`, a draft) becomes active,
        the debrief completed (by `update_id`, the person's last answer), pending check-ins get
        their new due times (`moves`), and the plan's check-ins (`items`) are scheduled, except
        on subjects that already have some.

        A storage fault anywhere leaves none of it: the debrief stays at its last step, and
        answering it again finishes it. Returns how many check-ins were scheduled.
        """
        now = self._now()
        forget_debriefs()
        async with self._db.transaction() as conn:
            if goal_id is not None:
                await conn.execute(_ACTIVATE_GOAL, {"now": now, "goal": goal_id})
            await conn.execute(
                _COMPLETE_DEBRIEF, {"now": now, "rejection": rejection_id, "update_id": update_id}
            )
            return await self._schedule_plan(conn, items, moves, now)

    async def add_missing(
        self, items: Sequence[NewCheckIn], moves: Sequence[tuple[int, datetime]] = ()
    ) -> int:
        """Schedule a completed plan's check-ins on the subjects that have none yet, and move
        pending ones, in one transaction (idempotent); returns how many were scheduled."""
        if not items and not moves:
            return 0
        now = self._now()
        async with self._db.transaction() as conn:
            return await self._schedule_plan(conn, items, moves, now)

    async def _schedule_plan(
        self,
        conn: TxConnection,
        items: Sequence[NewCheckIn],
        moves: Sequence[tuple[int, datetime]],
        now: str,
    ) -> int:
        if moves:
            await conn.executemany(_MOVE, [(to_db(due), now, cid) for cid, due in moves])
        # The check for existing rows and the insert are in one write transaction, so two
        # planners (the debrief's listener and a dispatcher's repair) never both add a subject.
        planned: dict[tuple[str, int | None, str], bool] = {}
        rows = []
        for item in items:
            subject = _subject(item)
            if subject not in planned:
                planned[subject] = await _has_any(conn, subject)
            if not planned[subject]:
                rows.append(_insert_row(item, now))
        if rows:
            await conn.executemany(_INSERT, rows)
        return len(rows)

    async def unplanned_plans(
        self, since: datetime, deadline_after: date, after: Unplanned | None, limit: int
    ) -> list[Unplanned]:
        """Completed plans since `since` whose active goal, due after `deadline_after`, never
        had a check-in (see _UNPLANNED), in pages of `limit` after `after`."""
        rows = await self._db.fetch_all(
            _UNPLANNED,
            (
                after.completed_at if after else to_db(since),
                after.rejection_id if after else 0,
                deadline_after.isoformat(),
                limit,
            ),
        )
        return [Unplanned(r["id"], r["completed_at"]) for r in rows]

    async def get(self, checkin_id: int) -> CheckIn | None:
        """One check-in by id."""
        row = await self._db.fetch_one("SELECT * FROM check_ins WHERE id = ?", (checkin_id,))
        return CheckIn.from_row(row) if row else None

    async def pending_for_user(self, user_id: int) -> list[CheckIn]:
        """The user's pending check-ins, soonest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM check_ins WHERE user_id = ? AND status = 'pending' ORDER BY due_at, id",
            (user_id,),
        )
        return [CheckIn.from_row(r) for r in rows]

    async def next_pending(self, user_id: int) -> CheckIn | None:
        """The user's next pending check-in."""
        row = await self._db.fetch_one(
            "SELECT * FROM check_ins WHERE user_id = ? AND status = 'pending'"
            " ORDER BY due_at, id LIMIT 1",
            (user_id,),
        )
        return CheckIn.from_row(row) if row else None

    async def latest_unanswered(
        self, user_id: int, kinds: Iterable[str], since: datetime
    ) -> CheckIn | None:
        """The user's most recently sent check-in of these kinds, sent after `since` and not
        answered (what a typed reply most likely answers), or None."""
        row = await self._db.fetch_one(
            "SELECT * FROM check_ins WHERE user_id = ? AND status = 'sent' AND sent_at >= ?"
            " AND kind IN (SELECT value FROM json_each(?)) ORDER BY sent_at DESC, id DESC LIMIT 1",
            (user_id, to_db(since), json.dumps(list(kinds))),
        )
        return CheckIn.from_row(row) if row else None

    async def has_any(self, rejection_id: int, kinds: Iterable[str]) -> bool:
        """Whether check-ins of these kinds were ever scheduled for a debrief."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM check_ins WHERE rejection_id = ?"
            " AND kind IN (SELECT value FROM json_each(?)) LIMIT 1",
            (rejection_id, json.dumps(list(kinds))),
        )
        return row is not None

    async def move(self, due_times: Sequence[tuple[int, datetime]]) -> None:
        """Give pending check-ins new due times (after a change of zone, hour or pause)."""
        if not due_times:
            return
        now = self._now()
        async with self._db.transaction() as conn:
            await conn.executemany(
                _MOVE, [(to_db(due), now, checkin_id) for checkin_id, due in due_times]
            )

    async def cancel_pending_for_user(self, user_id: int, reason: str | None = None) -> int:
        """Cancel every pending check-in of a user (`reason`: check_ins.cancel_reason, e.g.
        STOPPED); returns how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', cancel_reason = ?, updated_at = ?"
                " WHERE user_id = ? AND status = 'pending'",
                (reason, self._now(), user_id),
            )
            return int(cursor.rowcount)

    async def cancel(self, checkin_ids: Iterable[int], reason: str | None = None) -> int:
        """Cancel these check-ins, those still pending (`reason`: check_ins.cancel_reason);
        returns how many."""
        ids = json.dumps(sorted(set(checkin_ids)))
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', cancel_reason = ?, updated_at = ?"
                " WHERE id IN (SELECT value FROM json_each(?)) AND status = 'pending'",
                (reason, self._now(), ids),
            )
            return int(cursor.rowcount)

    async def backlog(
        self,
        now: datetime,
        late_before: datetime,
        kinds: Iterable[str],
        stale_kinds: Iterable[str] = (),
        stale_before: date | None = None,
    ) -> list[CheckIn]:
        """The due check-ins (of `kinds`) the next claim could take, of the people with more
        than one due, or one due since before `late_before`, or one of `stale_kinds` planned
        for a day before `stale_before`; by person, oldest first."""
        params = (
            to_db(now),
            to_db(late_before),
            json.dumps(list(kinds)),
            json.dumps(list(stale_kinds)),
            stale_before.isoformat() if stale_before else "",
        )
        rows = await self._db.fetch_all(_BACKLOG, params)
        return [CheckIn.from_row(r) for r in rows]

    async def stopped(self, user_id: int) -> list[CheckIn]:
        """What "Stop all check-ins" cancelled for the user and "Resume" has not looked at yet,
        oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM check_ins WHERE user_id = ? AND status = 'cancelled'"
            " AND cancel_reason = ? ORDER BY due_at, id",
            (user_id, STOPPED),
        )
        return [CheckIn.from_row(r) for r in rows]

    async def resume(self, user_id: int, revive: Sequence[tuple[int, datetime]]) -> int:
        """Bring stopped check-ins back, in one transaction: each (id, due time) pending again
        at that time; what Stop cancelled and is not brought back is marked NOT_RESUMED (a later
        Resume leaves it alone). Returns how many came back."""
        now = self._now()
        back = [(to_db(due), now, cid, STOPPED) for cid, due in revive]
        async with self._db.transaction() as conn:
            cursor = await conn.executemany(
                "UPDATE check_ins SET status = 'pending', cancel_reason = NULL, due_at = ?,"
                " claimed_at = NULL, updated_at = ? WHERE id = ? AND status = 'cancelled'"
                " AND cancel_reason = ?",
                back,
            )
            revived = int(cursor.rowcount)
            await conn.execute(
                "UPDATE check_ins SET cancel_reason = ?, updated_at = ?"
                " WHERE user_id = ? AND status = 'cancelled' AND cancel_reason = ?",
                (NOT_RESUMED, now, user_id, STOPPED),
            )
            return revived

    async def cancel_pending_of_kind(self, user_id: int, kind: str) -> int:
        """Cancel a user's pending check-ins of one kind; returns how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                " WHERE user_id = ? AND kind = ? AND status = 'pending'",
                (self._now(), user_id, kind),
            )
            return int(cursor.rowcount)

    async def cancel_pending_for_goal(self, goal_id: int) -> int:
        """Cancel a goal's pending check-ins (it is done, or its plan is redone)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                " WHERE goal_id = ? AND status = 'pending'",
                (self._now(), goal_id),
            )
            return int(cursor.rowcount)

    # Dispatching -------------------------------------------------------------------------

    async def release_stale_claims(
        self, claimed_before: datetime, kinds: Iterable[str] | None = None
    ) -> int:
        """Put claims (of `kinds`, default all) taken or last renewed before `claimed_before`
        back to pending: their lease ran out (a crash between claim and record); returns how
        many."""
        kind_list = json.dumps(list(kinds)) if kinds is not None else None
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'pending', claimed_at = NULL, updated_at = ?"
                " WHERE status = 'claimed' AND claimed_at < ?"
                " AND (? IS NULL OR kind IN (SELECT value FROM json_each(?)))",
                (self._now(), to_db(claimed_before), kind_list, kind_list),
            )
            return int(cursor.rowcount)

    async def renew_claims(self, ids: Iterable[int], held: datetime, now: datetime) -> set[int]:
        """Renew the lease of claims still held under the stamp `held` (the `now` they were
        claimed or last renewed with) to `now`; returns the ids renewed. An id missing from the
        answer is no longer this claimant's: its lease ran out and it was taken back."""
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        async with (
            self._db.transaction() as conn,
            conn.execute(
                _RENEW, {"now": to_db(now), "held": to_db(held), "ids": json.dumps(wanted)}
            ) as cursor,
        ):
            return {int(row["id"]) for row in await cursor.fetchall()}

    async def claim_due(self, now: datetime, limit: int, kinds: Iterable[str]) -> list[Claimed]:
        """Claim up to `limit` due check-ins of `kinds`, at most one per user (the newest).

        The user's older due check-ins on the same subject are superseded and counted as folded
        into it. Due ones on other subjects were spread over the day by the catch-up just
        before (CheckinPlanner.catch_up, a registered repair); one that fell due since is
        deferred to its next daily slot.
        """
        stamp = to_db(now)
        kind_list = json.dumps(list(kinds))
        async with self._db.transaction() as conn:
            params = {"now": stamp, "limit": limit, "kinds": kind_list}
            async with conn.execute(_CLAIM_BY[self._db.dialect], params) as cursor:
                rows = list(await cursor.fetchall())
            if not rows:
                return []
            folded: dict[int, int] = {}
            for row in rows:
                family = json.dumps([k.value for k in Kind(row["kind"]).family])
                cursor = await conn.execute(
                    _FOLD,
                    {"now": stamp, "user": row["user_id"], "family": family,
                     "goal": row["goal_id"], "rejection": row["rejection_id"]},
                )  # fmt: skip
                folded[row["user_id"]] = cursor.rowcount
            await conn.executemany(
                _DEFER[self._db.dialect],
                [{"now": stamp, "user": r["user_id"], "kinds": kind_list} for r in rows],
            )
        claimed = [Claimed(CheckIn.from_row(r), folded[r["user_id"]]) for r in rows]
        claimed.sort(key=lambda c: (c.checkin.due_at, c.checkin.id))
        return claimed

    async def mark_sent(self, checkin: CheckIn, message_id: int, family: Iterable[str]) -> None:
        """Record the send; earlier unanswered check-ins on the same subject are superseded.

        Returns once committed. The dispatcher sends several at a time: sends that finish while
        one write waits for (or holds) the database join the next write, so a burst of check-ins
        costs one transaction per batch rather than one per message.
        """
        batch = self._sends
        if batch is None:
            loop = asyncio.get_running_loop()
            batch = self._sends = _SentBatch(loop.create_future())
            batch.writer = loop.create_task(self._write_sent(batch))
        batch.records.append((checkin, message_id, json.dumps(list(family))))
        await asyncio.shield(batch.done)

    async def _write_sent(self, batch: _SentBatch) -> None:
        try:
            async with self._db.transaction() as conn:
                if self._sends is batch:
                    self._sends = None  # from here on, sends start the next batch
                now = self._now()
                sent = [(now, message_id, now, c.id) for c, message_id, _ in batch.records]
                older = [
                    (now, c.user_id, c.id, family, c.goal_id, c.rejection_id)
                    for c, _, family in batch.records
                ]
                if len({c.user_id for c, _, _ in batch.records}) == len(batch.records):
                    await conn.executemany(_SENT, sent)
                    await conn.executemany(_SUPERSEDE_OLDER, older)
                else:  # one user twice: in order, exactly as one at a time
                    for one_sent, one_older in zip(sent, older, strict=True):
                        await conn.execute(_SENT, one_sent)
                        await conn.execute(_SUPERSEDE_OLDER, one_older)
        except BaseException as exc:
            if self._sends is batch:
                self._sends = None
            if isinstance(exc, asyncio.CancelledError):
                batch.done.cancel()
            else:
                batch.done.set_exception(exc)
            return
        batch.done.set_result(None)

    async def retry_at(
        self, checkin_id: int, due_at: datetime, error: str, attempts: int | None = None
    ) -> None:
        """Back to pending, due again at `due_at` (after a 429 or a network error)."""
        await self._db.execute(
            "UPDATE check_ins SET status = 'pending', claimed_at = NULL, due_at = ?,"
            " attempts = COALESCE(?, attempts), last_error = ?, updated_at = ? WHERE id = ?",
            (to_db(due_at), attempts, error, self._now(), checkin_id),
        )

    async def finish(
        self, checkin_id: int, status: str, error: str | None, attempts: int | None = None
    ) -> None:
        """End a claimed check-in without sending: 'failed' or 'cancelled'."""
        if status not in ("failed", "cancelled"):
            raise ValueError(f"not a final status: {status}")
        await self._db.execute(
            "UPDATE check_ins SET status = ?, claimed_at = NULL, last_error = ?,"
            " attempts = COALESCE(?, attempts), updated_at = ? WHERE id = ?",
            (status, error, attempts, self._now(), checkin_id),
        )

    async def deactivate_user(self, user_id: int, checkin_id: int, error: str) -> int:
        """The user blocked the bot: mark them inactive and cancel this and every pending
        check-in of theirs, in one transaction; returns how many pending ones were cancelled."""
        forget_read_this_update(user_id)
        now = self._now()
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET active = 0, updated_at = ? WHERE id = ?", (now, user_id)
            )
            await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', claimed_at = NULL, last_error = ?,"
                " updated_at = ? WHERE id = ?",
                (error, now, checkin_id),
            )
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                " WHERE user_id = ? AND status = 'pending'",
                (now, user_id),
            )
            return int(cursor.rowcount)

    # Answers -----------------------------------------------------------------------------

    async def answer(self, checkin_id: int, answer: str, update_id: int | None = None) -> bool:
        """Mark a sent check-in answered; False if it was not 'sent' any more (pressed twice,
        superseded...), so exactly one press acts. The update that answered it (`update_id`)
        counts as that one press when it is handled again after a crash. A check-in still
        'claimed' was sent, its send not yet recorded: its buttons were pressed, so it was.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'answered', answer = ?, answered_by_update = ?,"
                " claimed_at = NULL, updated_at = ? WHERE id = ?"
                " AND (status IN ('sent', 'claimed') OR (status = 'answered'"
                " AND answered_by_update = ? AND answer = ?))",
                (answer, update_id, self._now(), checkin_id, update_id, answer),
            )
            return bool(cursor.rowcount == 1)

    async def follow_up(self, checkin_id: int, expected: str, answer: str) -> bool:
        """Move an answered check-in's answer from `expected` to `answer` (a follow-up button);
        False if its answer is no longer `expected`."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET answer = ?, updated_at = ?"
                " WHERE id = ? AND status = 'answered' AND answer = ?",
                (answer, self._now(), checkin_id, expected),
            )
            return bool(cursor.rowcount == 1)

    async def set_focus(self, user_id: int, checkin_id: int, goal_id: int | None = None) -> None:
        """Remember which check-in the user's next words answer."""
        await self._db.execute(
            "INSERT INTO checkin_focus (user_id, checkin_id, goal_id, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " checkin_id = excluded.checkin_id, goal_id = excluded.goal_id,"
            " updated_at = excluded.updated_at",
            (user_id, checkin_id, goal_id, self._now()),
        )

    async def focus(self, user_id: int) -> Focus | None:
        """What the user's next words answer, if anything."""
        row = await self._db.fetch_one(
            "SELECT checkin_id, goal_id FROM checkin_focus WHERE user_id = ?", (user_id,)
        )
        return Focus(row["checkin_id"], row["goal_id"]) if row else None

    async def clear_focus(self, user_id: int) -> None:
        """Forget what the user was answering."""
        await self._db.execute("DELETE FROM checkin_focus WHERE user_id = ?", (user_id,))

    # Goals -------------------------------------------------------------------------------

    async def active_goals(self, user_id: int) -> list[tuple[GoalRecord, datetime]]:
        """The user's active goals with the moment each was created."""
        rows = await self._db.fetch_all(
            "SELECT * FROM goals WHERE user_id = ? AND status = 'active' ORDER BY id", (user_id,)
        )
        return [(GoalRecord.from_row(r), from_db(r["created_at"])) for r in rows]

    async def new_goal(self, user_id: int, kind: str) -> int:
        """A draft goal outside any debrief (the "next goal" after one is done)."""
        now = self._now()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO goals (user_id, kind, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " RETURNING id",
                (user_id, kind, now, now),
            )
            inserted = await cursor.fetchone()
            return int(inserted["id"]) if inserted else 0

    async def activate_goal(self, goal_id: int, rejection_id: int | None) -> None:
        """Make a drafted next goal active, on the plan of the debrief it follows."""
        now = self._now()
        await self._db.execute(
            "UPDATE goals SET status = 'active', rejection_id = ?, updated_at = ? WHERE id = ?",
            (rejection_id, now, goal_id),
        )

    async def finish_goal(self, goal_id: int, progress: int | None, status: str = "done") -> bool:
        """End an active goal as `status` ('done', partly done being 'done' with a progress
        under the target; 'abandoned': closed by the person), with its final progress, and
        cancel its pending check-ins; False if it was not active."""
        assert status in ("done", "abandoned")
        now = self._now()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE goals SET status = ?, progress = COALESCE(?, progress),"
                " completed_at = ?, updated_at = ? WHERE id = ? AND status = 'active'",
                (status, progress, now, now, goal_id),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                " WHERE goal_id = ? AND status = 'pending'",
                (now, goal_id),
            )
            return True

    async def count_not_yet(self, goal_id: int) -> int:
        """Count one more "not yet" on a goal; returns the new count."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "UPDATE goals SET not_yet_count = not_yet_count + 1, updated_at = ?"
                " WHERE id = ? RETURNING not_yet_count",
                (self._now(), goal_id),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return int(row["not_yet_count"]) if row else 0


def _insert_row(item: NewCheckIn, now: str) -> tuple[object, ...]:
    return (
        item.user_id,
        item.chat_id,
        item.kind,
        item.goal_id,
        item.rejection_id,
        to_db(item.due_at),
        item.local_date.isoformat(),
        now,
        now,
    )


def _subject(item: NewCheckIn) -> tuple[str, int | None, str]:
    """What a check-in is about: a goal's progress, or one kind family of a debrief."""
    family = json.dumps([k.value for k in Kind(item.kind).family])
    if Kind(item.kind).is_goal and item.goal_id is not None:
        return ("goal", item.goal_id, family)
    return ("debrief", item.rejection_id, family)


async def _has_any(conn: TxConnection, subject: tuple[str, int | None, str]) -> bool:
    what, key, family = subject
    if what == "goal":
        async with conn.execute(_GOAL_HAS_ANY, (key,)) as cursor:
            return await cursor.fetchone() is not None
    async with conn.execute(_DEBRIEF_HAS_ANY, (key, family)) as cursor:
        return await cursor.fetchone() is not None
