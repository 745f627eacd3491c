"""Finishing a debrief under storage faults, and check-in claims across crashes (issue 15).

On each backend (a SQLite file in a temporary folder, a PostgreSQL schema: tests/conftest.py),
the real Application and the fake clock: time is moved, never slept.

* Finishing a debrief is one transaction (the goal, the debrief's status, the check-ins). Each
  statement of it fails in turn; the bot restarts and handles the answer again (the inbox keeps
  an update whose handling met a storage fault); the person sending it once more changes
  nothing; the plan's check-ins exist exactly once and each goes out once.
* A plan finished by the previous release, whose check-ins a storage fault lost for good, is
  repaired by the dispatcher (at start-up and on its runs), except for people who stopped their
  check-ins or are held after a crisis reply, and goals already done.
* A claim is a lease: the bot crashes at each step of a check-in's claim (claimed; in the send;
  sent but not recorded), restarts 30 s later, and the check-in goes out once its lease is over,
  exactly once.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from bot.clock import FakeClock, to_db
from bot.scheduling.dispatcher import LEASE, Dispatcher, Outgoing
from bot.scheduling.planner import REPAIR_FULL_PASS_EVERY
from bot.storage.checkins import CheckIn, SqlCheckinRepository
from bot.storage.postgres import PgConnection
from standin import FakeBotApi, FakeUser
from tests.kit.chat import texts
from tests.kit.checkins import arrives, finish_debrief, local, move_to, with_text
from tests.kit.db import DbTarget, open_store, rows
from tests.kit.faults import UNAVAILABLE
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
PLAN = [  # the walked debrief's
    "feedback", "goal_deadline", "goal_mid", "goal_overdue", "goal_overdue", "mood", "resource",
]  # fmt: skip
PLAN_CARD = "Your comeback plan"
DEADLINE_ANSWER = "in 10 days"
DEADLINE_QUESTION = "By when?"

# --- Helpers ------------------------------------------------------------------------------------


async def to_the_deadline(user: FakeUser) -> None:
    """A whole debrief as a person walks it, up to the last question (the goal's deadline):
    a low mood (a mood check), feedback request sent (its check-in is scheduled right then),
    a resource for tomorrow, a goal of 3 mock interviews, Berlin time."""
    await user.command("/rejected")
    await user.say("Acme")
    await user.say("Backend engineer")
    await user.press_and_wait("💻 Technical test or assignment")
    await user.press_and_wait("✉️ Email")
    await user.press_and_wait("2 🙁")
    await user.press_and_wait("No thanks, go on")
    await user.say("I explained my design clearly")
    await user.say("Practise live coding under time pressure")
    await user.press_and_wait("Yes, draft it for me")
    await user.say("Dana")
    await user.press_and_wait(f"Use {user.first_name}")
    await user.press_and_wait("📨 I've sent it")
    await user.press_and_wait("▫️ Technical skills")
    await user.press_and_wait("Done")
    await user.press_and_wait("1")
    await user.press_and_wait("Tomorrow")
    await user.say("3 mock interviews")
    shown = await user.say("Berlin")
    assert DEADLINE_QUESTION in texts(shown), shown


def planned(db_path: DbTarget) -> list[str]:
    """The kinds of every check-in row, sorted (duplicates would show twice)."""
    return sorted(str(r[0]) for r in rows(db_path, "SELECT kind FROM check_ins"))


def debrief_state(db_path: DbTarget) -> list[tuple[object, ...]]:
    return rows(
        db_path,
        "SELECT r.status, r.step, g.status FROM rejections AS r"
        " LEFT JOIN goals AS g ON g.rejection_id = r.id",
    )


def checkin_sends(api: FakeBotApi, user: FakeUser) -> Counter[int]:
    """How many messages the bot sent for each check-in (by the id in its buttons)."""
    sent: Counter[int] = Counter()
    for event in api.events:
        if event.chat_id != user.chat_id or event.event != "sent" or not event.reply_markup:
            continue
        ids = {
            int(str(button["callback_data"]).split(":")[1])
            for row in event.reply_markup.get("inline_keyboard", [])
            for button in row
            if str(button.get("callback_data", "")).startswith("c:")
        }
        sent.update(ids)
    return sent


async def through_every_check_in(bot: RunningBot, clock: FakeClock, db_path: DbTarget) -> None:
    """Move the clock to each pending check-in's due time in turn, a run each."""
    for _ in range(20):
        due = rows(
            db_path, "SELECT MIN(due_at) FROM check_ins WHERE status IN ('pending', 'claimed')"
        )[0][0]
        if due is None:
            return
        moment = datetime.fromisoformat(str(due))
        await move_to(bot, clock, max(moment, clock.now()) + timedelta(minutes=1))
    raise AssertionError("check-ins still pending after 20 runs")


def assert_each_sent_once(api: FakeBotApi, user: FakeUser, db_path: DbTarget) -> None:
    ids = [int(str(r[0])) for r in rows(db_path, "SELECT id FROM check_ins ORDER BY id")]
    assert checkin_sends(api, user) == Counter(ids), (checkin_sends(api, user), ids)


class FinishFault:
    """Fails one statement of the finishing transaction (`CheckinPlanner.complete_plan`) on the
    bot's live connection, the way a failing disk (SQLITE_IOERR) or a lost server connection
    does. Statements outside it (the dispatcher's, the steps before) go through untouched.

    On SQLite the transaction's own BEGIN IMMEDIATE and COMMIT are statements on the connection;
    on PostgreSQL psycopg sends them itself, so they are marked (and can fail) where the
    transaction starts and where its last statement has run, inside it."""

    def __init__(self, prefix: str | None) -> None:
        self.prefix = prefix
        self.fired = False
        self.statements: list[str] = []
        self._finishing: ContextVar[bool] = ContextVar("finishing", default=False)
        self._fault: Callable[[], Exception] = lambda: sqlite3.OperationalError("disk I/O error")

    async def install(self, bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
        planner = bot.services.planner
        complete = planner.complete_plan

        async def finishing(rejection_id: int, update_id: int | None = None) -> int:
            token = self._finishing.set(True)
            try:
                return await complete(rejection_id, update_id)
            finally:
                self._finishing.reset(token)

        monkeypatch.setattr(planner, "complete_plan", finishing)
        db = bot.services.db
        if db.dialect == "sqlite":
            conn = await db.connection()  # type: ignore[attr-defined]
            for name in ("execute", "executemany"):
                monkeypatch.setattr(conn, name, self._guard(getattr(conn, name)))
            return
        self._fault = lambda: psycopg.OperationalError("server closed the connection unexpectedly")
        for name in ("_execute", "executemany"):  # every statement of a PgConnection
            monkeypatch.setattr(PgConnection, name, self._guard_async(getattr(PgConnection, name)))
        transaction = db.transaction

        @asynccontextmanager
        async def marked() -> AsyncIterator[Any]:
            async with transaction() as tx:
                self._check("BEGIN")
                yield tx
                self._check("COMMIT")

        monkeypatch.setattr(db, "transaction", marked)

    def _check(self, sql: str) -> None:
        """Record a statement of the finishing transaction; fail it if it is the one."""
        if not self._finishing.get():
            return
        statement = " ".join(sql.split())
        self.statements.append(statement)
        if self.prefix and not self.fired and statement.startswith(self.prefix):
            self.fired = True
            raise self._fault()

    def _guard(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(sql: str, *args: Any, **kwargs: Any) -> Any:
            self._check(sql)
            return real(sql, *args, **kwargs)

        return call

    def _guard_async(self, real: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        async def call(conn: PgConnection, sql: str, *args: Any) -> Any:
            self._check(sql)
            return await real(conn, sql, *args)

        return call


# Every statement of the finishing transaction that writes, or takes or ends the write lock
# (test_the_finishing_transaction_is_these_writes keeps this list complete).
FINISHING_WRITES = (
    "BEGIN",  # the write lock (SQLite's BEGIN IMMEDIATE; PostgreSQL's transaction)
    "UPDATE goals",  # the goal becomes active
    "UPDATE rejections",  # the debrief completed
    "UPDATE check_ins",  # pending check-ins follow the time zone set in the debrief
    "INSERT INTO check_ins",  # the plan's check-ins
    "COMMIT",
)


# --- Finishing a debrief --------------------------------------------------------------------


async def test_the_finishing_transaction_is_these_writes(
    bot: RunningBot, api: FakeBotApi, db_path: DbTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = api.private_user(7101, first_name="Ada")
    await to_the_deadline(ada)
    watch = FinishFault(None)
    await watch.install(bot, monkeypatch)
    shown = await ada.say(DEADLINE_ANSWER)
    assert PLAN_CARD in texts(shown)
    writes = [
        s for s in watch.statements if not s.startswith(("SELECT", "ROLLBACK"))
    ]  # reads are not faults that leave anything half-written
    assert [w for w in FINISHING_WRITES if not any(s.startswith(w) for s in writes)] == []
    assert [s for s in writes if not s.startswith(FINISHING_WRITES)] == []
    assert writes[0].startswith("BEGIN") and writes[-1] == "COMMIT"
    assert sum(s.startswith("BEGIN") for s in writes) == 1  # one transaction
    assert planned(db_path) == PLAN
    assert debrief_state(db_path) == [("completed", "goal_deadline", "active")]


def plan_cards(api: FakeBotApi, user: FakeUser) -> int:
    return sum(PLAN_CARD in m.plain_text for m in api.chat_messages(user))


async def fail_the_finish(
    bot: RunningBot, user: FakeUser, db_path: DbTarget, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    """Walk a debrief to its last question and answer it while `write` of the finishing
    transaction fails: the person is told, and nothing of the transaction is written."""
    await to_the_deadline(user)
    assert planned(db_path) == ["feedback"]  # scheduled when they said they had sent it
    fault = FinishFault(write)
    await fault.install(bot, monkeypatch)
    shown = await user.say(DEADLINE_ANSWER)
    assert fault.fired
    assert UNAVAILABLE in texts(shown) and PLAN_CARD not in texts(shown)
    # Nothing of the transaction: the debrief at its last step, the goal a draft.
    assert debrief_state(db_path) == [("in_progress", "goal_deadline", "draft")]
    assert planned(db_path) == ["feedback"]


async def finished_once(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, user: FakeUser, db_path: DbTarget
) -> None:
    """The answer was handled again (the inbox keeps an update whose handling met a storage
    fault): the plan is complete with each check-in once; the person answering once more
    (they may not have seen it) changes nothing; each check-in goes out once."""
    await api.wait_for(lambda: plan_cards(api, user) == 1, message="the plan card")
    assert debrief_state(db_path) == [("completed", "goal_deadline", "active")]
    assert planned(db_path) == PLAN
    shown = await user.say(DEADLINE_ANSWER)
    assert PLAN_CARD not in texts(shown)
    await bot.restart()  # and a restart (its repair) adds nothing
    assert planned(db_path) == PLAN
    await through_every_check_in(bot, clock, db_path)
    assert_each_sent_once(api, user, db_path)
    assert plan_cards(api, user) == 1


@pytest.mark.parametrize("write", FINISHING_WRITES)
async def test_a_fault_at_any_write_of_finishing_leaves_nothing_then_it_finishes_once(
    bot: RunningBot,
    api: FakeBotApi,
    clock: FakeClock,
    db_path: DbTarget,
    monkeypatch: pytest.MonkeyPatch,
    write: str,
) -> None:
    ada = api.private_user(7102, first_name="Ada")
    await fail_the_finish(bot, ada, db_path, monkeypatch, write)
    await bot.restart()  # the stored answer is handled again at start
    await finished_once(bot, api, clock, ada, db_path)


async def test_without_a_restart_the_retried_answer_finishes_once(
    bot: RunningBot,
    api: FakeBotApi,
    clock: FakeClock,
    db_path: DbTarget,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bea = api.private_user(7103, first_name="Bea")
    # The fault of the issue: only writing the check-ins fails.
    await fail_the_finish(bot, bea, db_path, monkeypatch, "INSERT INTO check_ins")
    await finished_once(bot, api, clock, bea, db_path)  # the bot tries the answer again itself


# --- Plans the previous release finished without their check-ins ------------------------------


async def lose_the_check_ins(bot: RunningBot, user: FakeUser, **plan: Any) -> int:
    """What the previous release left after a storage fault while scheduling: the debrief
    completed, the goal active, and only the check-ins scheduled before (feedback)."""
    made = await finish_debrief(bot, user, timezone=BERLIN, deadline=date(2026, 12, 7), **plan)
    await bot.services.db.execute(
        "DELETE FROM check_ins WHERE rejection_id = ? AND kind <> 'feedback'", (made.rejection_id,)
    )
    return made.rejection_id


async def test_a_plan_that_lost_its_check_ins_is_repaired_once_at_start_up(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: DbTarget
) -> None:
    cal = api.private_user(7104, first_name="Cal")
    await lose_the_check_ins(bot, cal, mood=2, feedback_sent=True, resource_on=date(2026, 11, 28))
    assert planned(db_path) == ["feedback"]
    await bot.restart()
    assert bot.services.dispatcher is not None
    await bot.services.dispatcher.settle()  # the start-up run has surely finished
    assert planned(db_path) == PLAN
    for _ in range(2):
        await bot.restart()
        await move_to(bot, clock, clock.now() + REPAIR_FULL_PASS_EVERY)  # a full pass each
    assert planned(db_path) == PLAN
    # Scheduled from the day the plan was completed, as the debrief would have.
    assert rows(
        db_path, "SELECT local_date FROM check_ins WHERE kind IN ('goal_mid', 'goal_deadline')"
    ) == [("2026-12-02",), ("2026-12-07",)]
    await through_every_check_in(bot, clock, db_path)
    assert_each_sent_once(api, cal, db_path)


async def test_the_repair_also_runs_on_every_dispatcher_run(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: DbTarget
) -> None:
    dee = api.private_user(7105, first_name="Dee")
    assert bot.services.dispatcher is not None
    await bot.services.dispatcher.settle()
    await lose_the_check_ins(bot, dee)  # completed after the last run: no restart needed
    await move_to(bot, clock, clock.now() + timedelta(seconds=30))
    assert planned(db_path) == ["goal_deadline", "goal_mid", "goal_overdue", "goal_overdue"]


async def test_the_repair_leaves_stopped_held_and_done_alone_until_they_change(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: DbTarget
) -> None:
    stopped = api.private_user(7106, first_name="Stop")
    held = api.private_user(7107, first_name="Held")
    done = api.private_user(7108, first_name="Done")
    for user in (stopped, held, done):
        await lose_the_check_ins(bot, user)
    stamp = to_db(clock.now())
    await bot.services.db.execute("UPDATE users SET checkins_enabled = 0 WHERE id = ?", (7106,))
    await bot.services.db.execute(
        "UPDATE users SET safety_hold_since = ? WHERE id = ?", (stamp, 7107)
    )
    await bot.services.db.execute("UPDATE goals SET status = 'done' WHERE user_id = ?", (7108,))
    await bot.restart()
    await move_to(bot, clock, clock.now() + timedelta(minutes=1))
    assert planned(db_path) == []

    # The hold ends (the person's word): the next full pass plans the goal.
    await bot.services.db.execute("UPDATE users SET safety_hold_since = NULL WHERE id = 7107")
    await move_to(bot, clock, clock.now() + REPAIR_FULL_PASS_EVERY)
    assert rows(db_path, "SELECT DISTINCT user_id FROM check_ins") == [(7107,)]
    assert planned(db_path) == ["goal_deadline", "goal_mid", "goal_overdue", "goal_overdue"]


# --- Claims are leases: a crash at each step of a claim --------------------------------------


@contextmanager
def run_task_of(dispatcher: Dispatcher) -> Iterator[list[asyncio.Task[Any]]]:
    """Record the task of each dispatcher run (to crash it)."""
    tasks: list[asyncio.Task[Any]] = []
    real = dispatcher._run_once

    async def recorded() -> int:
        task = asyncio.current_task()
        assert task is not None
        tasks.append(task)
        return await real()

    dispatcher._run_once = recorded  # type: ignore[method-assign]
    try:
        yield tasks
    finally:
        dispatcher._run_once = real  # type: ignore[method-assign]


async def never() -> None:
    await asyncio.get_running_loop().create_future()


async def crash_at(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, user: FakeUser, step: str, due: datetime
) -> None:
    """Make the check-in due, let its run reach `step`, and kill the run there: nothing after
    that point happens (no record, no retry), as when the process dies. Then stop."""
    services = bot.services
    assert services.dispatcher is not None
    reached = asyncio.Event()
    watch: asyncio.Task[None] | None = None
    if step == "claim":  # the claim is committed, nothing sent
        claim = services.checkins.claim_due

        async def claimed(*args: Any, **kwargs: Any) -> Any:
            batch = await claim(*args, **kwargs)
            if batch:
                reached.set()
                await never()
            return batch

        services.checkins.claim_due = claimed  # type: ignore[method-assign]
    elif step == "send":  # the request is on its way; Telegram has not taken it
        api.delay_next("sendMessage", 3600, chat_id=user.id)

        def sending() -> bool:
            return any(r.params.get("chat_id") == user.id for r in api.calls("sendMessage"))

        async def in_flight() -> None:
            await api.wait_for(sending)
            reached.set()

        watch = asyncio.get_running_loop().create_task(in_flight())
    else:  # "record": Telegram took the message; the record is never written
        mark_sent = services.checkins.mark_sent

        async def recording(*args: Any, **kwargs: Any) -> None:
            reached.set()
            await never()
            await mark_sent(*args, **kwargs)

        services.checkins.mark_sent = recording  # type: ignore[method-assign]
    with run_task_of(services.dispatcher) as runs:
        clock.set(due)  # wakes the dispatcher
        await asyncio.wait_for(reached.wait(), 10)
        if watch is not None:
            await watch
        for task in runs:
            task.cancel()
        await asyncio.wait(runs, timeout=10)
    assert all(t.done() for t in runs)
    await bot.stop()


@pytest.mark.parametrize("step", ["claim", "send", "record"])
async def test_a_crash_at_any_step_of_a_claim_strands_the_check_in_for_one_lease_only(
    bot: RunningBot,
    api: FakeBotApi,
    clock: FakeClock,
    db_path: DbTarget,
    step: str,
) -> None:
    eve = api.private_user(7110, first_name="Eve")
    await finish_debrief(bot, eve, timezone="UTC", deadline=date(2026, 12, 4))
    due = local(date(2026, 11, 30), 18, "UTC")
    await crash_at(bot, api, clock, eve, step, due)
    before = len(with_text(api, eve, "Halfway"))
    assert before == (1 if step == "record" else 0)  # only "record" had reached Telegram
    assert rows(db_path, "SELECT status, claimed_at FROM check_ins WHERE kind = 'goal_mid'") == [
        ("claimed", to_db(due))
    ]

    clock.set(due + timedelta(seconds=30))  # the restart comes 30 s later
    await bot.start()
    await move_to(bot, clock, clock.now())  # the start-up run, surely finished
    await move_to(bot, clock, due + LEASE)  # the lease is not over yet
    assert len(with_text(api, eve, "Halfway")) == before
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("claimed",)]

    await move_to(bot, clock, due + LEASE + timedelta(seconds=1))  # over: taken back, sent
    await arrives(api, eve, "Halfway there", count=before + 1)
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]
    await bot.restart()
    await move_to(bot, clock, due + timedelta(hours=1))
    assert len(with_text(api, eve, "Halfway")) == before + 1  # exactly once after the lease
    shown = await eve.press_and_wait("✅ Done")
    assert "You did it" in texts(shown)


async def test_a_slow_send_keeps_its_claim_while_a_second_process_runs(
    bot: RunningBot,
    api: FakeBotApi,
    clock: FakeClock,
    db_path: DbTarget,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bot is alive but its send takes far longer than the lease (Telegram slow, the clock
    moved); a second process on the same file must not take the claim back and send again."""
    fay = api.private_user(7111, first_name="Fay")
    await finish_debrief(bot, fay, timezone="UTC", deadline=date(2026, 12, 4))
    dispatcher = bot.services.dispatcher
    assert dispatcher is not None
    slow = Gate(dispatcher._bot)
    dispatcher._bot = slow  # type: ignore[assignment]
    checkins = bot.services.checkins
    renew = checkins.renew_claims
    renewals: asyncio.Queue[set[int]] = asyncio.Queue()

    async def renewing(*args: Any, **kwargs: Any) -> set[int]:
        kept = await renew(*args, **kwargs)
        renewals.put_nowait(kept)
        return kept

    monkeypatch.setattr(checkins, "renew_claims", renewing)
    (checkin_id,) = [
        r[0] for r in rows(db_path, "SELECT id FROM check_ins WHERE kind = 'goal_mid'")
    ]
    due = local(date(2026, 11, 30), 18, "UTC")
    clock.set(due)
    await asyncio.wait_for(slow.entered.wait(), 10)  # the send is under way
    for _ in range(10):  # five minutes pass while it is; each move renews the lease
        clock.advance(seconds=30)
        assert await asyncio.wait_for(renewals.get(), 10) == {checkin_id}
    assert rows(db_path, "SELECT claimed_at FROM check_ins WHERE id = ?", checkin_id) == [
        (to_db(clock.now()),)
    ]
    other = await second_process(db_path, clock)
    assert await other() == 0  # nothing to take back, nothing to send
    slow.gate.set()  # Telegram answers at last
    await arrives(api, fay, "Halfway there")
    assert await other() == 0
    await move_to(bot, clock, clock.now() + timedelta(minutes=10))
    assert len(with_text(api, fay, "Halfway")) == 1
    assert rows(db_path, "SELECT status FROM check_ins WHERE kind = 'goal_mid'") == [("sent",)]


class Gate:
    """The bot, with a send_message that waits for `gate` (a slow Telegram)."""

    def __init__(self, bot: Any) -> None:
        self._bot = bot
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    @property
    def rate_limiter(self) -> Any:
        return self._bot.rate_limiter

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        await self.gate.wait()
        return await self._bot.send_message(*args, **kwargs)


async def second_process(db_path: DbTarget, clock: FakeClock) -> Callable[[], Awaitable[int]]:
    """Another dispatcher on the same database (its own connection), sending nowhere."""

    class Nowhere:
        rate_limiter = None

        async def send_message(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the second process sent a check-in")

    async def compose(checkin: CheckIn, folded: int) -> Outgoing:
        return Outgoing("second process")

    db = open_store(db_path)
    dispatcher = Dispatcher(
        SqlCheckinRepository(db, clock),
        Nowhere(),  # type: ignore[arg-type]
        clock,
        compose,
        interval_seconds=30,
    )

    async def run() -> int:
        try:
            return await dispatcher.settle()
        finally:
            await db.close()

    return run


async def test_a_check_in_answered_before_its_send_was_recorded_counts_and_is_not_sent_again(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: DbTarget
) -> None:
    """Killed after Telegram took the check-in, before the send was recorded: the person
    presses Done on that message while it is still 'claimed'. The press is the proof it went
    out: the answer counts, and the lease running out sends no second copy."""
    fay = api.private_user(7112, first_name="Fay")
    await finish_debrief(bot, fay, timezone="UTC", deadline=date(2026, 12, 4))
    due = local(date(2026, 11, 30), 18, "UTC")
    await crash_at(bot, api, clock, fay, "record", due)
    assert len(with_text(api, fay, "Halfway")) == 1
    clock.set(due + timedelta(seconds=30))
    await bot.start()
    await move_to(bot, clock, clock.now())
    shown = await fay.press_and_wait("✅ Done")
    assert "You did it" in texts(shown)
    assert rows(db_path, "SELECT status, answer FROM check_ins WHERE kind = 'goal_mid'") == [
        ("answered", "done")
    ]
    await move_to(bot, clock, due + LEASE + timedelta(minutes=5))
    assert len(with_text(api, fay, "Halfway")) == 1
