"""Users: who they are and how they like to be checked in on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, from_db, to_db
from bot.storage.database import Row, SqlStore
from bot.storage.debriefs import DEBRIEF_PREFIX, Rejection
from bot.storage.update_record import this_update
from coaching.language import ENGLISH, language_for


@dataclass(frozen=True)
class User:
    """A person coached by Comeback (keyed by Telegram user id)."""

    id: int
    first_name: str
    language: str | None
    timezone: str | None
    checkin_hour: int
    quiet_start: int
    quiet_end: int
    checkins_enabled: bool
    paused_until: datetime | None
    active: bool
    # Set while coaching is paused after a crisis reply (see conversations.crisis).
    safety_hold_since: datetime | None = None
    # The name that signs their feedback requests (asked once, with the first draft); None
    # until they give one: the draft then ends without a name.
    signoff_name: str | None = None
    # The language the bot speaks with them (coaching.language): from Telegram's language_code
    # at first contact, then their /language choice.
    locale: str = ENGLISH

    @classmethod
    def from_row(cls, row: Row) -> User:
        """Build from a `users` row."""
        return cls(
            id=row["id"],
            first_name=row["first_name"],
            language=row["language"],
            timezone=row["timezone"],
            checkin_hour=row["checkin_hour"],
            quiet_start=row["quiet_start"],
            quiet_end=row["quiet_end"],
            checkins_enabled=bool(row["checkins_enabled"]),
            paused_until=from_db(row["paused_until"]) if row["paused_until"] else None,
            active=bool(row["active"]),
            safety_hold_since=(
                from_db(row["safety_hold_since"]) if row["safety_hold_since"] else None
            ),
            signoff_name=row["signoff_name"],
            locale=row["locale"] or language_for(row["language"]),
        )


_SETTABLE = frozenset(
    {
        "timezone",
        "checkin_hour",
        "quiet_start",
        "quiet_end",
        "checkins_enabled",
        "paused_until",
        "signoff_name",
        "locale",
    }
)


# The person, the conversation states of the update's chat and person, and the person's debrief
# in progress (its columns prefixed, for Rejection.from_row), read once per update.
_PERSON_STATES_AND_DEBRIEF = (
    "SELECT u.*, (SELECT json_group_object(name, state) FROM conversation_states"
    " WHERE key = ?) AS conversation_states_at_key,"
    " d.id AS debrief_id, d.user_id AS debrief_user_id, d.company AS debrief_company,"
    " d.role AS debrief_role, d.stage AS debrief_stage, d.how_heard AS debrief_how_heard,"
    " d.rejected_on AS debrief_rejected_on, d.mood AS debrief_mood,"
    " d.went_well AS debrief_went_well, d.lesson AS debrief_lesson, d.gaps AS debrief_gaps,"
    " d.strength AS debrief_strength, d.status AS debrief_status, d.step AS debrief_step,"
    " d.source_chat_id AS debrief_source_chat_id, d.created_at AS debrief_created_at,"
    " d.completed_at AS debrief_completed_at, d.last_update_id AS debrief_last_update_id"
    " FROM (SELECT ? AS wanted) AS w LEFT JOIN users AS u ON u.id = w.wanted"
    " LEFT JOIN rejections AS d ON d.id = (SELECT id FROM rejections"
    "  WHERE user_id = w.wanted AND status = 'in_progress' ORDER BY id DESC LIMIT 1)"
)


def _keep(user_id: int, user: User | None) -> None:
    """Note `user_id`'s row (None: no such person) in the current update's record."""
    record = this_update()
    if record is not None:
        record.users[user_id] = user


def forget_read_this_update(user_id: int) -> None:
    """Drop `user_id`'s row from the current update's record (it was written or erased)."""
    record = this_update()
    if record is not None:
        record.users.pop(user_id, None)


class SqlUserRepository:
    """Reads and writes `users`."""

    def __init__(self, db: SqlStore, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def ensure(self, user_id: int, first_name: str, language: str | None) -> User:
        """Create the user on first contact, refresh name/language, and mark them active again."""
        now = to_db(self._clock.now())
        rows = await self._db.execute_returning(
            "INSERT INTO users (id, first_name, language, locale, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name,"
            " language = excluded.language, active = 1, updated_at = excluded.updated_at"
            " RETURNING *",
            (user_id, first_name, language, language_for(language), now, now),
        )
        user = User.from_row(rows[0])
        _keep(user_id, user)
        return user

    async def locale_of(self, user_id: int) -> str | None:
        """The language the bot speaks with them, or None if they never wrote."""
        user = await self.get(user_id)
        return user.locale if user is not None else None

    async def get(self, user_id: int) -> User | None:
        """The user, or None if they never wrote (read once per update; the update's
        conversation states come with the update's person: bot.storage.update_record)."""
        record = this_update()
        if record is not None and user_id in record.users:
            return record.users[user_id]
        if record is not None and record.person == user_id and record.key is not None:
            return await self._get_with_states(record.key, user_id)
        row = await self._db.fetch_one("SELECT * FROM users WHERE id = ?", (user_id,))
        user = User.from_row(row) if row else None
        _keep(user_id, user)
        return user

    async def _get_with_states(self, key: str, user_id: int) -> User | None:
        """The person's row, the conversation states at `key` and the person's debrief in
        progress, in one statement."""
        row = await self._db.fetch_one(_PERSON_STATES_AND_DEBRIEF, (key, user_id))
        user = User.from_row(row) if row is not None and row["id"] is not None else None
        _keep(user_id, user)
        record = this_update()
        if record is not None and row is not None:
            states = row["conversation_states_at_key"]
            if isinstance(states, str):
                states = json.loads(states)
            record.states[key] = {str(k): str(v) for k, v in (states or {}).items()}
            running = row[f"{DEBRIEF_PREFIX}id"] is not None
            record.debriefs[user_id] = Rejection.from_row(row, DEBRIEF_PREFIX) if running else None
        return user

    async def update(self, user_id: int, **fields: object) -> None:
        """Change settings columns (timezone, checkin_hour, quiet hours, pause, enabled, the
        feedback request's sign-off name)."""
        unknown = set(fields) - _SETTABLE
        if unknown:
            raise ValueError(f"not user settings: {sorted(unknown)}")
        forget_read_this_update(user_id)
        values = [to_db(v) if isinstance(v, datetime) else v for v in fields.values()]
        assignments = ", ".join(f"{column} = ?" for column in fields)
        await self._db.execute(
            f"UPDATE users SET {assignments}, updated_at = ? WHERE id = ?",
            (*values, to_db(self._clock.now()), user_id),
        )

    async def set_active(self, user_id: int, active: bool) -> None:
        """Mark a user inactive (they blocked the bot) or active again."""
        forget_read_this_update(user_id)
        await self._db.execute(
            "UPDATE users SET active = ?, updated_at = ? WHERE id = ?",
            (int(active), to_db(self._clock.now()), user_id),
        )

    async def hold_for_safety(self, user_id: int) -> None:
        """Pause the coaching after a crisis reply (kept from the first reply until released)."""
        forget_read_this_update(user_id)
        now = to_db(self._clock.now())
        await self._db.execute(
            "UPDATE users SET safety_hold_since = COALESCE(safety_hold_since, ?), updated_at = ?"
            " WHERE id = ?",
            (now, now, user_id),
        )

    async def release_safety_hold(self, user_id: int) -> bool:
        """Go on with the coaching; False if it was not paused."""
        forget_read_this_update(user_id)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE users SET safety_hold_since = NULL, updated_at = ?"
                " WHERE id = ? AND safety_hold_since IS NOT NULL",
                (to_db(self._clock.now()), user_id),
            )
            return bool(cursor.rowcount > 0)
