"""Rows read once per update, and the rules that keep them true (issue 22, target 2).

A person's row is read once per update, with the conversation states of the update's chat
and person and the person's debrief in progress in the same statement
(bot.storage.update_record): the first handler of every
update opens a new record, writes through the repositories refresh it, erasing the person
empties it, and outside an update nothing is kept. Cleared buttons are pruned at about one press in
`KEPT_PER_CHAT`, not at every press.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from bot.clock import FakeClock
from bot.storage import SqlUserRepository
from bot.storage.buttons import KEPT_PER_CHAT, SqlClearedButtons
from bot.storage.checkins import SqlCheckinRepository
from bot.storage.conversation_states import SqlConversationStateRepository
from bot.storage.database import SqlStore
from bot.storage.debriefs import Rejection, SqlDebriefRepository
from bot.storage.groups import SqlGroupRepository
from bot.storage.privacy import SqlPrivacyRepository
from bot.storage.update_record import read_once_per_update, this_update

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
T = TypeVar("T")


async def in_one_update(body: Callable[[], Awaitable[T]], key: tuple[int, int] | None = None) -> T:
    """Run `body` the way a handler runs: in a task of its own, the update's record opened
    (for the chat and person `key`, when given)."""

    async def update() -> T:
        read_once_per_update(key)
        return await body()

    return await asyncio.create_task(update())


async def _elsewhere(store: SqlStore, user_id: int, timezone: str) -> None:
    """Another process (or a path around the repository) changes the row."""
    await store.execute("UPDATE users SET timezone = ? WHERE id = ?", (timezone, user_id))


async def test_one_update_reads_the_row_once_and_the_next_update_reads_it_again(
    store: SqlStore,
) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))
    await users.ensure(1, "Ann", "en")

    async def first() -> tuple[str | None, str | None]:
        before = await users.get(1)
        await _elsewhere(store, 1, "Asia/Tokyo")
        after = await users.get(1)
        assert before is not None and after is not None
        return before.timezone, after.timezone

    assert await in_one_update(first) == (None, None)  # the update's own read, kept

    async def second() -> str | None:
        found = await users.get(1)
        return found.timezone if found is not None else None

    assert await in_one_update(second) == "Asia/Tokyo"


async def test_outside_an_update_every_read_goes_to_the_database(store: SqlStore) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))
    await users.ensure(1, "Ann", "en")
    assert (await users.get(1)) is not None
    await _elsewhere(store, 1, "Europe/Paris")
    found = await users.get(1)
    assert found is not None and found.timezone == "Europe/Paris"


async def test_writes_through_the_repository_are_read_back_in_the_same_update(
    store: SqlStore,
) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))
    privacy = SqlPrivacyRepository(store)
    await users.ensure(1, "Ann", "en")

    async def body() -> None:
        assert await users.locale_of(1) == "en"
        await users.update(1, timezone="Europe/Berlin", locale="es")
        found = await users.get(1)
        assert found is not None and found.timezone == "Europe/Berlin"
        assert await users.locale_of(1) == "es"
        await users.hold_for_safety(1)
        held = await users.get(1)
        assert held is not None and held.safety_hold_since is not None
        assert await users.release_safety_hold(1)
        released = await users.get(1)
        assert released is not None and released.safety_hold_since is None
        await users.set_active(1, False)
        inactive = await users.get(1)
        assert inactive is not None and not inactive.active
        again = await users.ensure(1, "Ann", "en")  # writing to us: active again
        assert again.active and (await users.get(1)) == again
        await privacy.delete(1)
        assert await users.get(1) is None
        assert await users.locale_of(1) is None

    await in_one_update(body)


async def test_a_person_never_seen_is_remembered_as_unknown_until_they_are_created(
    store: SqlStore,
) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))

    async def body() -> None:
        assert await users.get(7) is None
        created = await users.ensure(7, "Bo", "ru")
        assert await users.get(7) == created
        assert await users.locale_of(7) == "ru"

    await in_one_update(body)


async def test_cleared_buttons_keep_the_last_ones_and_are_pruned_now_and_then(
    store: SqlStore,
) -> None:
    buttons = SqlClearedButtons(store, FakeClock(NOW))
    presses = range(1, 6 * KEPT_PER_CHAT)
    for message_id in presses:
        await buttons.remember(5, message_id, 5, 1000 + message_id)
    kept = [r["message_id"] for r in await store.fetch_all(
        "SELECT message_id FROM cleared_buttons WHERE chat_id = 5 ORDER BY message_id"
    )]  # fmt: skip
    assert len(kept) < 2 * KEPT_PER_CHAT
    assert kept[-KEPT_PER_CHAT:] == list(presses)[-KEPT_PER_CHAT:]
    # The last ones still tell a second press from the first.
    last = presses[-1]
    assert await buttons.were_cleared(5, last, 1)
    assert not await buttons.were_cleared(5, last, 1000 + last)


async def test_a_task_started_from_an_update_keeps_nothing(store: SqlStore) -> None:
    """A task started while an update is handled (a dispatcher run it woke) inherits the
    update's context, but may outlive it: it reads the database every time."""
    users = SqlUserRepository(store, FakeClock(NOW))
    await users.ensure(1, "Ann", "en")

    async def body() -> str | None:
        assert await users.get(1) is not None  # the update's own read, kept for the update

        async def later() -> str | None:
            await users.get(1)
            await _elsewhere(store, 1, "America/Lima")
            found = await users.get(1)
            return found.timezone if found is not None else None

        return await asyncio.create_task(later())

    assert await in_one_update(body) == "America/Lima"


class _Counted:
    """Counts the statements that reach the database (both backends' SqlStore)."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.statements: list[str] = []

    async def fetch_one(self, sql: str, params: object = ()) -> object:
        self.statements.append(sql)
        return await self.store.fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: object = ()) -> object:
        self.statements.append(sql)
        return await self.store.fetch_all(sql, params)

    async def execute(self, sql: str, params: object = ()) -> int:
        self.statements.append(sql)
        return await self.store.execute(sql, params)

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)


async def test_the_persons_row_and_conversation_states_come_in_one_statement(
    store: SqlStore,
) -> None:
    counted = _Counted(store)
    users = SqlUserRepository(counted, FakeClock(NOW))  # type: ignore[arg-type]
    states = SqlConversationStateRepository(counted)  # type: ignore[arg-type]
    await users.ensure(1, "Ann", "en")
    await states.save("debrief", (1, 1), '"role"')
    await states.save("settings", (1, 1), '"hour"')
    await states.save("debrief", (-100, 1), '"group"')  # the same person in a group

    async def body() -> tuple[object, ...]:
        counted.statements.clear()
        user = await users.get(1)
        at_key = await states.states_of((1, 1))
        again = await states.states_of((1, 1))
        return user is not None and user.first_name, at_key, again, len(counted.statements)

    found = await in_one_update(body, (1, 1))
    expected = {"debrief": '"role"', "settings": '"hour"'}
    assert found == ("Ann", expected, expected, 1)


async def test_a_state_written_in_the_update_is_read_back_and_others_read_anew(
    store: SqlStore,
) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))
    states = SqlConversationStateRepository(store)
    await users.ensure(1, "Ann", "en")
    await states.save("debrief", (1, 1), '"role"')

    async def body() -> tuple[dict[str, str], ...]:
        await users.get(1)
        await states.save("debrief", (1, 1), '"stage"')
        after_save = await states.states_of((1, 1))
        await states.forget("debrief", (1, 1))
        after_forget = await states.states_of((1, 1))
        in_group = await states.states_of((-100, 1))  # not the update's key: read as ever
        return after_save, after_forget, in_group

    assert await in_one_update(body, (1, 1)) == ({"debrief": '"stage"'}, {}, {})


async def test_someone_never_seen_has_no_row_and_no_states(store: SqlStore) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))
    states = SqlConversationStateRepository(store)

    async def body() -> tuple[object, dict[str, str]]:
        return await users.get(9), await states.states_of((9, 9))

    assert await in_one_update(body, (9, 9)) == (None, {})


async def test_erasing_the_person_drops_their_states_from_the_update(store: SqlStore) -> None:
    users = SqlUserRepository(store, FakeClock(NOW))
    states = SqlConversationStateRepository(store)
    privacy = SqlPrivacyRepository(store)
    await users.ensure(1, "Ann", "en")
    await states.save("debrief", (1, 1), '"role"')

    async def body() -> tuple[object, dict[str, str]]:
        await users.get(1)
        await privacy.delete(1)
        return await users.get(1), await states.states_of((1, 1))

    assert await in_one_update(body, (1, 1)) == (None, {})


async def test_composing_reads_each_debrief_row_once_and_a_write_forgets_them(
    store: SqlStore,
) -> None:
    counted = _Counted(store)
    clock = FakeClock(NOW)
    debriefs = SqlDebriefRepository(counted, clock)  # type: ignore[arg-type]
    await SqlUserRepository(store, clock).ensure(1, "Ann", "en")
    rejection = await debriefs.start(1, "company", NOW.date())
    await debriefs.save_feedback(rejection.id, status="sent", recipient="Dana")

    async def compose() -> tuple[int, int, str | None]:
        counted.statements.clear()
        with debriefs.reading_once():
            for _ in range(3):
                await debriefs.get(rejection.id)
                await debriefs.feedback(rejection.id)
            reads = len(counted.statements)
            await debriefs.update(rejection.id, company="Acme")  # a write: read anew
            again = await debriefs.get(rejection.id)
        outside = len(counted.statements)
        await debriefs.get(rejection.id)
        await debriefs.get(rejection.id)
        return reads, len(counted.statements) - outside, again.company if again else None

    # Two reads in the block, then the write and one read again; after it, every read counts.
    assert await asyncio.create_task(compose()) == (2, 2, "Acme")


async def test_the_persons_debrief_in_progress_comes_with_their_row(store: SqlStore) -> None:
    counted = _Counted(store)
    clock = FakeClock(NOW)
    users = SqlUserRepository(counted, clock)  # type: ignore[arg-type]
    debriefs = SqlDebriefRepository(counted, clock)  # type: ignore[arg-type]
    await users.ensure(1, "Ann", "en")
    started = await debriefs.start(1, "role", NOW.date(), source_chat_id=-100)
    await debriefs.update(started.id, company="Acme", gaps='["system design"]', last_update_id=7)
    stored = await debriefs.get(started.id)  # outside an update: read as ever

    async def body() -> tuple[object, ...]:
        counted.statements.clear()
        await users.get(1)
        first, second = await debriefs.in_progress(1), await debriefs.in_progress(1)
        return first, second, len(counted.statements)

    assert await in_one_update(body, (1, 1)) == (stored, stored, 1)

    async def nobody() -> tuple[object, ...]:
        counted.statements.clear()
        return await users.get(2), await debriefs.in_progress(2), len(counted.statements)

    assert await in_one_update(nobody, (2, 2)) == (None, None, 1)


async def test_every_write_to_a_debrief_is_seen_in_the_same_update(store: SqlStore) -> None:
    """The rule: every write through the debrief repository, finishing a plan, a group's move
    to a new chat id and erasure drop the debriefs in progress read with the person. Each
    write below comes in an update of its own, after the person's read."""
    clock = FakeClock(NOW)
    users = SqlUserRepository(store, clock)
    debriefs = SqlDebriefRepository(store, clock)
    checkins = SqlCheckinRepository(store, clock)
    groups = SqlGroupRepository(store, clock)
    await users.ensure(1, "Ann", "en")
    first = await debriefs.start(1, "company", NOW.date(), source_chat_id=-100)

    async def after(write: Callable[[], Awaitable[object]]) -> Rejection | None:
        async def body() -> Rejection | None:
            await users.get(1)
            record = this_update()
            assert record is not None and 1 in record.debriefs  # read with the person
            await write()
            return await debriefs.in_progress(1)

        return await in_one_update(body, (1, 1))

    found = await after(lambda: debriefs.update(first.id, company="Acme", step="role"))
    assert found is not None and (found.company, found.step) == ("Acme", "role")
    found = await after(lambda: debriefs.record_mood(1, 4, "debrief", first.id))
    assert found is not None and found.mood == 4
    found = await after(lambda: groups.migrate(-100, -1009))
    assert found is not None and found.source_chat_id == -1009
    assert await after(lambda: debriefs.set_status(first.id, "cancelled")) is None
    second = await debriefs.start(1, "company", NOW.date())
    assert await after(lambda: checkins.complete_plan(second.id, None, [])) is None
    third = await after(lambda: debriefs.start(1, "company", NOW.date()))
    assert third is not None and third.id > second.id
    assert await after(lambda: SqlPrivacyRepository(store).delete(1)) is None
