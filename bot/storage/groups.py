"""Groups: a coach's settings, who joined and how they share, wins, and the group post queue.

A group's weekly check-in and digest are `check_ins` rows with `user_id` NULL and the group's
`chat_id`, sent by a `Dispatcher` over `SqlGroupCheckinQueue` (the same claim-before-send
machinery as private check-ins). When a group becomes a supergroup its chat id changes:
`memberships` and `wins` follow through ON UPDATE CASCADE, the rest is moved here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from bot.clock import Clock, from_db, to_db
from bot.storage.checkins import CheckIn, Claimed, SqlCheckinRepository
from bot.storage.database import Row, SqlStore, TxConnection
from bot.storage.update_record import forget_debriefs
from coaching.cohort import MemberWeek, Sharing, WinRecord
from coaching.deadlines import TimezoneError, zone
from coaching.kinds import GROUP_KINDS, Kind
from coaching.language import ENGLISH
from coaching.weekly import digest_weekday, following_slot

SHARING_MODES = tuple(s.value for s in Sharing)
_SETTABLE = frozenset(
    {
        "title",
        "timezone",
        "checkin_weekday",
        "checkin_hour",
        "theme",
        "with_poll",
        "digest_enabled",
        "anonymous_wins",
        "topic_id",
        "settings_message_id",
        "language",
    }
)
# What a migrated supergroup keeps of its old chat: the settings, not the old chat's own title,
# topic and settings message.
_COPIED_ON_MERGE = tuple(sorted(_SETTABLE - {"title", "topic_id", "settings_message_id"}))


@dataclass(frozen=True)
class Group:
    """A group (or supergroup) the bot coaches in, with its coach's settings."""

    chat_id: int
    title: str
    kind: str
    timezone: str | None
    checkin_weekday: int
    checkin_hour: int
    theme: str
    with_poll: bool
    digest_enabled: bool
    anonymous_wins: bool
    topic_id: int | None
    active: bool
    settings_message_id: int | None
    # What the bot speaks in the group (coaching.language), set by an admin.
    language: str = ENGLISH

    @classmethod
    def from_row(cls, row: Row) -> Group:
        """Build from a `groups` row."""
        return cls(
            chat_id=row["chat_id"],
            title=row["title"],
            kind=row["kind"],
            timezone=row["timezone"],
            checkin_weekday=row["checkin_weekday"],
            checkin_hour=row["checkin_hour"],
            theme=row["theme"],
            with_poll=bool(row["with_poll"]),
            digest_enabled=bool(row["digest_enabled"]),
            anonymous_wins=bool(row["anonymous_wins"]),
            topic_id=row["topic_id"],
            active=bool(row["active"]),
            settings_message_id=row["settings_message_id"],
            language=row["language"],
        )


@dataclass(frozen=True)
class Membership:
    """A member's consent in one group."""

    chat_id: int
    user_id: int
    sharing: Sharing


@dataclass(frozen=True)
class GroupPost:
    """A weekly group post to schedule."""

    chat_id: int
    kind: Kind
    local_date: date
    due_at: datetime


def group_zone(group: Group, default: str) -> tzinfo:
    """The group's time zone (the default for none or an unusable one)."""
    try:
        return zone(group.timezone or default)
    except TimezoneError:
        return zone(default)


def post_weekday(kind: Kind, checkin_weekday: int) -> int:
    """The weekday a group post of `kind` goes out on."""
    return digest_weekday(checkin_weekday) if kind is Kind.GROUP_DIGEST else checkin_weekday


def wanted_kinds(group: Group) -> tuple[Kind, ...]:
    """The weekly posts a group gets with its settings."""
    return (
        (Kind.GROUP_CHECKIN, Kind.GROUP_DIGEST) if group.digest_enabled else (Kind.GROUP_CHECKIN,)
    )


_INSERT_POST = (
    "INSERT INTO check_ins (user_id, chat_id, kind, due_at, local_date, created_at, updated_at)"
    " SELECT NULL, :chat, :kind, :due, :day, :now, :now WHERE NOT EXISTS ("
    " SELECT 1 FROM check_ins WHERE chat_id = :chat AND kind = :kind AND status = 'pending')"
)


class SqlGroupRepository:
    """Reads and writes `groups`, `memberships`, `wins` and the groups' `check_ins` rows."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def _now(self) -> str:
        return to_db(self._clock.now())

    # Groups ------------------------------------------------------------------------------

    async def get(self, chat_id: int) -> Group | None:
        """A group by chat id."""
        row = await self._db.fetch_one("SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
        return Group.from_row(row) if row else None

    async def register(
        self, chat_id: int, title: str, kind: str, language: str = ENGLISH
    ) -> tuple[Group, bool]:
        """Create the group (active, speaking `language`) or refresh its title and kind; returns
        it and whether it was new. An existing group's `active` flag and language are left
        alone."""
        now = self._now()
        async with self._db.transaction() as conn:
            async with conn.execute("SELECT 1 FROM groups WHERE chat_id = ?", (chat_id,)) as cur:
                existed = await cur.fetchone() is not None
            await conn.execute(
                "INSERT INTO groups (chat_id, title, kind, language, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET"
                " title = excluded.title, kind = excluded.kind, updated_at = excluded.updated_at",
                (chat_id, title, kind, language, now, now),
            )
            async with conn.execute("SELECT * FROM groups WHERE chat_id = ?", (chat_id,)) as cur:
                row = await cur.fetchone()
        assert row is not None
        return Group.from_row(row), not existed

    async def language_of(self, chat_id: int) -> str | None:
        """The group's language, or None for a chat that is not a registered group."""
        row = await self._db.fetch_one("SELECT language FROM groups WHERE chat_id = ?", (chat_id,))
        return str(row["language"]) if row else None

    async def set_active(self, chat_id: int, active: bool) -> bool:
        """Stop (the bot was removed or muted) or resume a group; True if that changed it."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE groups SET active = ?, updated_at = ? WHERE chat_id = ? AND active <> ?",
                (int(active), self._now(), chat_id, int(active)),
            )
            return bool(cursor.rowcount == 1)

    async def update(self, chat_id: int, **fields: object) -> None:
        """Change settings columns."""
        unknown = set(fields) - _SETTABLE
        if unknown:
            raise ValueError(f"not group settings: {sorted(unknown)}")
        values = [int(v) if isinstance(v, bool) else v for v in fields.values()]
        assignments = ", ".join(f"{column} = ?" for column in fields)
        await self._db.execute(
            f"UPDATE groups SET {assignments}, updated_at = ? WHERE chat_id = ?",
            (*values, self._now(), chat_id),
        )

    async def migrate(self, old: int, new: int) -> bool:
        """The group `old` became the supergroup `new`: settings, members, wins, pending posts
        and the debriefs that came from it follow. Idempotent; True if anything moved."""
        now = self._now()
        forget_debriefs()
        async with self._db.transaction() as conn:
            found = await _chat_ids(conn, (old, new))
            await conn.execute(
                "UPDATE rejections SET source_chat_id = ? WHERE source_chat_id = ?", (new, old)
            )
            if old not in found:
                return False
            if new in found:
                # The supergroup was registered on its own first (a command there): it takes the
                # old group's settings, members and wins; its own pending posts are replanned.
                copied = ", ".join(
                    f"{c} = (SELECT {c} FROM groups WHERE chat_id = :old)" for c in _COPIED_ON_MERGE
                )
                await conn.execute(
                    f"UPDATE groups SET {copied}, updated_at = :now WHERE chat_id = :new",
                    {"old": old, "new": new, "now": now},
                )
                await conn.execute(
                    "UPDATE memberships SET chat_id = ? WHERE chat_id = ? AND user_id NOT IN"
                    " (SELECT user_id FROM memberships WHERE chat_id = ?)",
                    (new, old, new),
                )
                await conn.execute("UPDATE wins SET chat_id = ? WHERE chat_id = ?", (new, old))
                await conn.execute(
                    "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                    " WHERE chat_id = ? AND status = 'pending'",
                    (now, new),
                )
                await conn.execute("DELETE FROM groups WHERE chat_id = ?", (old,))
            else:
                await conn.execute(
                    "UPDATE groups SET chat_id = ?, kind = 'supergroup',"
                    " settings_message_id = NULL, topic_id = NULL, updated_at = ?"
                    " WHERE chat_id = ?",
                    (new, now, old),
                )
            await conn.execute(
                "UPDATE check_ins SET chat_id = ?, updated_at = ?"
                " WHERE chat_id = ? AND user_id IS NULL AND status IN ('pending', 'claimed')",
                (new, now, old),
            )
            return True

    async def missing_posts(self) -> list[int]:
        """Active groups lacking a pending weekly post they should have (repaired at start)."""
        rows = await self._db.fetch_all(
            "SELECT g.chat_id FROM groups AS g WHERE g.active = 1 AND ("
            " NOT EXISTS (SELECT 1 FROM check_ins AS c WHERE c.chat_id = g.chat_id"
            "  AND c.kind = 'group_checkin' AND c.status IN ('pending', 'claimed'))"
            " OR (g.digest_enabled = 1 AND NOT EXISTS (SELECT 1 FROM check_ins AS c"
            "  WHERE c.chat_id = g.chat_id AND c.kind = 'group_digest'"
            "  AND c.status IN ('pending', 'claimed'))))"
        )
        return [int(r["chat_id"]) for r in rows]

    # Members and wins ----------------------------------------------------------------------

    async def join(self, chat_id: int, user_id: int, sharing: Sharing) -> None:
        """Record (or change) a member's consent; the user row must exist."""
        await self._db.execute(
            "INSERT INTO memberships (chat_id, user_id, sharing, joined_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(chat_id, user_id) DO UPDATE SET sharing = excluded.sharing",
            (chat_id, user_id, sharing.value, self._now()),
        )

    async def membership(self, chat_id: int, user_id: int) -> Membership | None:
        """A member's consent in a group, or None."""
        row = await self._db.fetch_one(
            "SELECT sharing FROM memberships WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )
        return Membership(chat_id, user_id, Sharing(row["sharing"])) if row else None

    async def leave(self, chat_id: int, user_id: int) -> bool:
        """Undo /join: the membership and the wins shared in that group go; True if a member."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM wins WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
            )
            cursor = await conn.execute(
                "DELETE FROM memberships WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
            )
            return bool(cursor.rowcount == 1)

    async def add_win(self, chat_id: int, user_id: int, text: str, anonymous: bool) -> int:
        """Store a shared win; returns its id."""
        rows = await self._db.execute_returning(
            "INSERT INTO wins (chat_id, user_id, text, anonymous, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (chat_id, user_id, text, int(anonymous), self._now()),
        )
        return int(rows[0]["id"])

    async def is_checkin_post(self, chat_id: int, message_id: int) -> bool:
        """Whether a message of the group is one of its weekly check-in posts."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM check_ins WHERE chat_id = ? AND kind = 'group_checkin'"
            " AND status = 'sent' AND message_id = ? LIMIT 1",
            (chat_id, message_id),
        )
        return row is not None

    async def member_weeks(
        self, chat_id: int, since: datetime, until: datetime
    ) -> list[MemberWeek]:
        """The week of each member who agreed to share: counts only, never words."""
        params = {"chat": chat_id, "since": to_db(since), "until": to_db(until)}
        rows = await self._db.fetch_all(_MEMBER_WEEKS, params)
        return [
            MemberWeek(
                user_id=r["user_id"],
                first_name=r["first_name"],
                sharing=Sharing(r["sharing"]),
                checked_in=bool(r["checked_in"]),
                feedback_sent=int(r["feedback_sent"]),
                goals_met=int(r["goals_met"]),
                mock_interviews=int(r["mock_interviews"]),
            )
            for r in rows
        ]

    async def wins_between(self, chat_id: int, since: datetime, until: datetime) -> list[WinRecord]:
        """The wins sharing members posted in the group in [since, until)."""
        rows = await self._db.fetch_all(
            "SELECT w.user_id, w.text, w.anonymous, w.created_at FROM wins AS w"
            " JOIN memberships AS m ON m.chat_id = w.chat_id AND m.user_id = w.user_id"
            " WHERE w.chat_id = ? AND w.created_at >= ? AND w.created_at < ?"
            " AND m.sharing IN ('named', 'anonymous') ORDER BY w.id",
            (chat_id, to_db(since), to_db(until)),
        )
        return [
            WinRecord(r["user_id"], r["text"], bool(r["anonymous"]), from_db(r["created_at"]))
            for r in rows
        ]

    # The weekly posts ----------------------------------------------------------------------

    async def pending_posts(self, chat_id: int) -> list[CheckIn]:
        """The group's pending weekly posts, soonest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM check_ins WHERE chat_id = ? AND user_id IS NULL"
            " AND kind IN (SELECT value FROM json_each(?)) AND status = 'pending'"
            " ORDER BY due_at, id",
            (chat_id, json.dumps([k.value for k in GROUP_KINDS])),
        )
        return [CheckIn.from_row(r) for r in rows]

    async def schedule(self, posts: Sequence[GroupPost]) -> None:
        """Schedule weekly posts; a kind that already has a pending one is skipped."""
        if not posts:
            return
        now = self._now()
        async with self._db.transaction() as conn:
            for post in posts:
                await conn.execute(_INSERT_POST, _post_params(post, now))

    async def cancel_pending(self, chat_id: int, kinds: Iterable[Kind] = GROUP_KINDS) -> int:
        """Cancel a group's pending posts of `kinds`; returns how many."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE check_ins SET status = 'cancelled', updated_at = ?"
                " WHERE chat_id = ? AND user_id IS NULL AND status = 'pending'"
                " AND kind IN (SELECT value FROM json_each(?))",
                (self._now(), chat_id, json.dumps([k.value for k in kinds])),
            )
            return int(cursor.rowcount)


def _post_params(post: GroupPost, now: str) -> dict[str, object]:
    return {
        "chat": post.chat_id,
        "kind": post.kind.value,
        "due": to_db(post.due_at),
        "day": post.local_date.isoformat(),
        "now": now,
    }


async def _chat_ids(conn: TxConnection, ids: Iterable[int]) -> set[int]:
    wanted = list(ids)
    marks = ", ".join("?" * len(wanted))
    async with conn.execute(
        f"SELECT chat_id FROM groups WHERE chat_id IN ({marks})", wanted
    ) as cur:
        return {int(r[0]) for r in await cur.fetchall()}


# Members who share, with their week as counts. "Checked in": answered a private check-in,
# finished a debrief or shared a win in the week. Mock interviews: the progress of the
# mock-interview goals touched in the week (a goal marked done counts its target).
_MEMBER_WEEKS = """
SELECT m.user_id, u.first_name, m.sharing,
  (EXISTS (SELECT 1 FROM check_ins AS c WHERE c.user_id = m.user_id AND c.status = 'answered'
           AND c.updated_at >= :since AND c.updated_at < :until)
   OR EXISTS (SELECT 1 FROM rejections AS r WHERE r.user_id = m.user_id
           AND r.completed_at >= :since AND r.completed_at < :until)
   OR EXISTS (SELECT 1 FROM wins AS w WHERE w.user_id = m.user_id AND w.chat_id = m.chat_id
           AND w.created_at >= :since AND w.created_at < :until)) AS checked_in,
  (SELECT COUNT(*) FROM feedback_requests AS f JOIN rejections AS r ON r.id = f.rejection_id
   WHERE r.user_id = m.user_id AND f.sent_at >= :since AND f.sent_at < :until) AS feedback_sent,
  (SELECT COUNT(*) FROM goals AS g WHERE g.user_id = m.user_id AND g.status = 'done'
   AND g.completed_at >= :since AND g.completed_at < :until) AS goals_met,
  (SELECT COALESCE(SUM(CASE WHEN g.status = 'done'
                            THEN CASE WHEN g.progress > COALESCE(g.target, 0) THEN g.progress
                                      ELSE COALESCE(g.target, 0) END
                            ELSE g.progress END), 0)
   FROM goals AS g WHERE g.user_id = m.user_id AND g.kind = 'mock_interviews'
   AND g.status IN ('active', 'done') AND g.updated_at >= :since AND g.updated_at < :until)
   AS mock_interviews
FROM memberships AS m JOIN users AS u ON u.id = m.user_id
WHERE m.chat_id = :chat AND m.sharing IN ('named', 'anonymous')
ORDER BY m.joined_at, m.user_id
"""

# Due posts of active groups, at most one per group per run: the earliest. After downtime a
# group's digest and check-in may both be due; the digest goes first and the check-in with the
# next run, in order and apart. No folding is needed: a group has at most one pending post of
# each kind (the next one is scheduled when this one is claimed).
_CLAIM_POSTS = """
UPDATE check_ins SET status = 'claimed', claimed_at = :now, updated_at = :now
WHERE id IN (
    SELECT c.id FROM check_ins AS c JOIN groups AS g ON g.chat_id = c.chat_id
    WHERE c.status = 'pending' AND c.due_at <= :now AND c.user_id IS NULL
      AND c.kind IN (SELECT value FROM json_each(:kinds)) AND g.active = 1
      AND NOT EXISTS (
          SELECT 1 FROM check_ins AS e
          WHERE e.chat_id = c.chat_id AND e.user_id IS NULL AND e.status = 'pending'
            AND e.due_at <= :now AND e.kind IN (SELECT value FROM json_each(:kinds))
            AND (e.due_at < c.due_at OR (e.due_at = c.due_at AND e.id < c.id)))
    ORDER BY c.due_at, c.id
    LIMIT :limit)
RETURNING *
"""
_CLAIM_POSTS_BY = {
    "sqlite": _CLAIM_POSTS,
    "postgresql": _CLAIM_POSTS.replace(
        "LIMIT :limit)", "LIMIT :limit FOR UPDATE OF c SKIP LOCKED)"
    ),
}


class SqlGroupCheckinQueue(SqlCheckinRepository):
    """The group posts' side of `check_ins`, for a `Dispatcher` of the group kinds.

    Claiming a weekly post also schedules the same kind's next one, in the same transaction:
    whatever then happens to this one (sent, refused, retried, lost in a crash and recovered),
    the week after is already in the database.
    """

    def __init__(self, db: SqlStore, clock: Clock, default_timezone: str) -> None:
        super().__init__(db, clock)
        self._queue_db = db
        self._default_timezone = default_timezone

    async def claim_due(self, now: datetime, limit: int, kinds: Iterable[str]) -> list[Claimed]:
        """Claim up to `limit` due posts of active groups, and schedule each one's successor."""
        stamp = to_db(now)
        wanted = [k for k in kinds if k in {g.value for g in GROUP_KINDS}]
        params = {"now": stamp, "limit": limit, "kinds": json.dumps(wanted)}
        async with self._queue_db.transaction() as conn:
            async with conn.execute(_CLAIM_POSTS_BY[self._db.dialect], params) as cursor:
                rows = list(await cursor.fetchall())
            for row in rows:
                await self._schedule_next(conn, CheckIn.from_row(row), now, stamp)
        claimed = [Claimed(CheckIn.from_row(r), 0) for r in rows]
        claimed.sort(key=lambda c: (c.checkin.due_at, c.checkin.id))
        return claimed

    async def _schedule_next(
        self, conn: TxConnection, post: CheckIn, now: datetime, stamp: str
    ) -> None:
        async with conn.execute("SELECT * FROM groups WHERE chat_id = ?", (post.chat_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return
        group = Group.from_row(row)
        kind = Kind(post.kind)
        if kind not in wanted_kinds(group):
            return
        tz = group_zone(group, self._default_timezone)
        previous = post.local_date or post.due_at.astimezone(tz).date()
        weekday = post_weekday(kind, group.checkin_weekday)
        day, due = following_slot(previous, weekday, group.checkin_hour, tz, now)
        await conn.execute(
            _INSERT_POST, _post_params(GroupPost(group.chat_id, kind, day, due), stamp)
        )
