"""The crash-restart soak: many people in debriefs and check-ins while `python -m bot` is killed.

The bot runs as a real process (`python -m bot`) against the fake Telegram served over HTTP in
this process; it is SIGKILLed at random moments and started again on the same database. Each
simulated person behaves like a real one: they answer the question they see, and when their
message gets no reply because the bot died with it (PTB confirms an update to Telegram before
handling it, so an update fetched but not yet handled when the kill hits is gone), they send
/resume and answer whatever the bot asks then. Afterwards the database is checked against what
each person saw acknowledged (the bot asked the next question), see `verify`.

Time cannot be faked inside the bot process, so check-ins are made due by the harness: for the
people who finished, it sets `due_at` of their pending halfway check-in to now in the database.
A kill can leave a check-in claimed; the bot puts claims older than five minutes back at start,
so while the bot is down the harness ages the claims, standing for a restart that came five
minutes later. Everything else is the bot's own doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.rendering import Prompts
from bot.standin import FakeBotApi, FakeUser, SentMessage, StandinServer
from conversations.coaching.model import HowHeard, Stage, Strength

TOKEN = "987654321:AAComebackSoakTokenComebackSoakTok00"
SECRET = TOKEN.split(":", 1)[1]
ROOT = Path(__file__).resolve().parents[2]

# Each question a person can be asked, by a piece of its text; the debrief's order.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("company", "Which company was it?"),
    ("role", "What was the role?"),
    ("stage", "How far did you get"),
    ("how_heard", "How did you hear the news?"),
    ("mood", "how are you right now?"),
    ("went_well", "What is one thing that went well?"),
    ("lesson", "And one lesson"),
    ("feedback_offer", "ask the hirer for feedback?"),
    ("gaps", "Where do you think it fell short?"),
    ("strength", "what is your strongest card?"),
    ("resource", "Pick one"),
    ("goal_kind", "a concrete goal to try again"),
    ("goal_target", "How many?"),
    ("timezone", "where are you?"),
    ("goal_deadline", "By when?"),
    ("done", "That's your plan."),
)
STEPS = [name for name, _ in QUESTIONS]
# No debrief to go on with ("running": PTB's stored state still had the debrief open, as when
# the bot was killed between finishing it and saving the conversation state).
NOTHING_TO_RESUME = ("There's no unfinished debrief to resume", "There's no debrief running")
CHECKIN = "Halfway there"
CHECKIN_DONE = "You did it"
ALREADY_ANSWERED = "You already answered this check-in"
# A check-in button pressed while its message's send was not recorded yet (a kill came between):
# the check-in goes out again, and the newer message is the one to answer.
CHECKIN_STALE = ("That button has expired", "replaced by a newer one")


@dataclass
class SoakConfig:
    """How big the soak is."""

    users: int = 200
    finishers: int = 40  # people who finish the debrief and answer a check-in; the rest stop
    partial_depth: int = 6  # the others answer 1..this many steps, then stop
    kills: int = 20
    uptime: tuple[float, float] = (2.0, 6.0)  # seconds the bot runs between kills
    think: tuple[float, float] = (1.0, 3.0)  # seconds a person takes to answer
    # People in a debrief at the same time. The bot sends about 30 messages a second (Telegram's
    # limit, kept by its rate limiter), roughly 10 answers a second; more people than that keeps
    # a backlog inside the bot, and a kill then loses every answer in it (see the docs).
    active: int = 40
    seed: int = 9
    workdir: Path = Path("soak-run")
    hard_timeout: float = 600.0
    progress: bool = False  # a status line on stderr every 10 s


@dataclass
class Person:
    """One simulated person and what they saw acknowledged."""

    user: FakeUser
    depth: int  # how many debrief steps they answer (len(STEPS) - 1: all of them)
    checkin: bool  # whether they wait for and answer a check-in
    answers: dict[str, str]  # what they answer at each step (a label for buttons)
    inbox: list[SentMessage] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    acked: dict[str, str] = field(default_factory=dict)
    resends: int = 0
    checkin_id: int | None = None
    checkin_acked: bool = False
    finished: bool = False


@dataclass
class Report:
    """What the soak did and what the checks found."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def lines(self) -> list[str]:
        out = [f"soak: {name.replace('_', ' ')}: {value}" for name, value in self.counts.items()]
        out.append(f"soak: elapsed: {self.elapsed:.0f} s")
        out += [f"soak: PROBLEM: {p}" for p in self.problems[:40]]
        more = len(self.problems) - 40
        if more > 0:
            out.append(f"soak: ... and {more} more problems")
        out.append("soak: OK" if not self.problems else "soak: FAILED")
        return out


def question_of(message: SentMessage) -> str | None:
    """Which step a bot message asks for (None for anything else)."""
    for name, needle in QUESTIONS:
        if needle in message.plain_text:
            return name
    return None


class Soak:
    """Runs one soak; `await Soak(config).run()` returns the report."""

    def __init__(self, config: SoakConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.api = FakeBotApi(TOKEN)
        self.server = StandinServer(self.api)
        self.db_path = config.workdir.resolve() / "soak.sqlite3"
        self.process: asyncio.subprocess.Process | None = None
        self.generation = 0
        self.ready_at = 0.0
        self.killed_at: list[float] = []  # monotonic times of each kill
        self.kills_done = 0
        self.people: list[Person] = []
        self.by_chat: dict[int, Person] = {}
        self.delivered: dict[int, float] = {}  # update id -> when getUpdates first handed it out
        self.redelivered: set[int] = set()
        self._scanned = 0
        self._open: set[int] = set()  # requests not answered yet when last scanned
        self.logs: list[Path] = []
        self.stop = asyncio.Event()
        self.seed_due = asyncio.Event()  # a debrief finished or the bot started: make check-ins due
        self.prompts = Prompts()
        self.silent: list[str] = []  # updates that got no reply for two minutes, not killed

    # --- The bot process ---------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": self.server.base_url,
                "DATABASE_URL": f"sqlite:///{self.db_path}",
                "DISPATCH_INTERVAL_SECONDS": "1",
                "LOG_LEVEL": "INFO",
                "DEFAULT_TIMEZONE": "UTC",
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            }
        )
        return env

    async def start_bot(self) -> None:
        self.generation += 1
        log = self.config.workdir / f"bot-{self.generation:02d}.log"
        self.logs.append(log)
        polls = len(self.api.calls("getUpdates"))
        with log.open("wb") as sink:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.config.workdir, env=self._env(),
                stdout=sink, stderr=sink,
            )  # fmt: skip
        await self.api.wait_for(lambda: len(self.api.calls("getUpdates")) > polls, 60)
        self.ready_at = time.monotonic()
        self.seed_due.set()  # at start the bot schedules what a kill left unscheduled

    async def kill_bot(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.killed_at.append(time.monotonic())
        self.kills_done += 1
        # The process died: its long poll is gone, and a restart stands for one five minutes
        # later, when its claims of check-ins count as stale (see the module docstring).
        self.api.release_pollers()
        await asyncio.to_thread(self._age_claims)

    async def stop_bot(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

    def _age_claims(self) -> None:
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as conn, conn:
            conn.execute(
                "UPDATE check_ins SET claimed_at = ? WHERE status = 'claimed'",
                (_db_time(datetime.now(UTC) - timedelta(minutes=10)),),
            )

    async def killer(self) -> None:
        low, high = self.config.uptime
        while self.kills_done < self.config.kills:
            await asyncio.sleep(self.rng.uniform(low, high))
            await self.kill_bot()
            await self.start_bot()

    # --- What the fake Telegram saw ------------------------------------------------------------

    def _scan_deliveries(self) -> None:
        requests = self.api.requests
        fresh = range(self._scanned, len(requests))
        self._scanned = len(requests)
        # Long polls still being answered are looked at again later (a killed process's poll
        # is never answered: the HTTP server cancels it when the connection drops).
        for index in sorted({*self._open, *fresh}):
            record = requests[index]
            if record.response is None:
                self._open.add(index)
                continue
            self._open.discard(index)
            if record.method != "getUpdates":
                continue
            for update in record.response.get("result") or []:
                uid = int(update["update_id"])
                if uid in self.delivered:
                    self.redelivered.add(uid)
                else:
                    self.delivered[uid] = record.timestamp

    def lost_with_a_kill(self, update_id: int) -> bool:
        """Whether the update went to a process that was killed (so no reply will come)."""
        self._scan_deliveries()
        when = self.delivered.get(update_id)
        if when is None:
            return False
        wall_to_mono = time.monotonic() - time.time()
        return any(kill >= when + wall_to_mono for kill in self.killed_at)

    # --- People ----------------------------------------------------------------------------------

    def make_people(self) -> None:
        label = self.prompts.label
        for n in range(self.config.users):
            uid = 500_000 + n
            finisher = n < self.config.finishers
            depth = len(STEPS) - 1 if finisher else self.rng.randint(1, self.config.partial_depth)
            answers = {
                "company": f"Company-{uid}-{self.rng.randint(100, 999)}",
                "role": f"Role {uid} ✨",
                "stage": label(f"stage.{self.rng.choice(list(Stage)).value}"),
                "how_heard": label(f"how_heard.{self.rng.choice(list(HowHeard)).value}"),
                "mood": label(f"mood.m{self.rng.randint(3, 5)}"),
                "went_well": f"went well {uid}: <b>{{{{ 7*7 }}}}</b> '; DROP TABLE users;--",
                "lesson": f"lesson {uid} שלום 🙂",
                "feedback_offer": label("common.skip"),
                "gaps": label("gap.done"),
                "strength": label(f"strength.{self.rng.choice(list(Strength)).value}"),
                "resource": label("common.skip"),
                "goal_kind": label("goal.apply"),
                "goal_target": str(self.rng.randint(1, 20)),
                "timezone": "Europe/London",
                "goal_deadline": label("deadline.week"),
            }
            user = self.api.private_user(uid, first_name=f"P{n}")
            person = Person(user, depth, finisher, answers)
            self.people.append(person)
            self.by_chat[uid] = person

        def listen(message: SentMessage) -> None:
            person = self.by_chat.get(message.chat_id)
            if person is not None and message.event == "sent":
                person.inbox.append(message)
                person.arrived.set()

        self.api.subscribe(listen)

    async def _act(self, person: Person, step: str) -> int:
        value = person.answers[step]
        if step in ("company", "role", "went_well", "lesson", "goal_target"):
            return await person.user.send_text(value)
        if step == "gaps":  # "Done" needs one gap ticked: tick one first (an edit, no question)
            tick = self.prompts.label("gap.unchecked", name=self.prompts.label("gap.unsure"))
            with contextlib.suppress(AssertionError):
                await person.user.press(tick)
        return await person.user.press(value)

    async def _wait(self, person: Person, mark: int, update_id: int) -> int | None:
        """Wait until the bot's reply after `mark` is complete (it ends in something the person
        must act on: a question, "nothing to resume", a check-in's thanks); None when the update
        died with a killed bot (or nothing came for two minutes), so the person resends."""
        started = time.monotonic()
        while not any(_needs_the_person(m) for m in person.inbox[mark:]):
            person.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(person.arrived.wait(), 1.0)
            if any(_needs_the_person(m) for m in person.inbox[mark:]):
                break
            if self.lost_with_a_kill(update_id):
                return None
            notice = self.api.answer_for(update_id)
            if notice is not None and notice.text and time.monotonic() - started > 2:
                break  # only a notice on the button (e.g. "pick at least one"): look again
            if time.monotonic() - started > 120:  # a safety net; replies may queue for long
                self.silent.append(self._describe(person, update_id))
                return None
        return len(person.inbox)

    def _describe(self, person: Person, update_id: int) -> str:
        update = next((u for u in self.api.updates if u["update_id"] == update_id), {})
        kind = next((k for k in update if k != "update_id"), "?")
        payload = update.get(kind, {})
        what = payload.get("text") or payload.get("data") if isinstance(payload, dict) else None
        last = person.inbox[-1].plain_text[:80] if person.inbox else None
        return (
            f"{person.user.id}: no reply to update {update_id} ({kind} {what!r}), delivered at"
            f" {self.delivered.get(update_id)}, last message {last!r}"
        )

    def _latest_question(self, person: Person, after: int) -> str | None:
        for message in reversed(person.inbox[after:]):
            found = question_of(message)
            if found is not None:
                return found
        return None

    async def session(self, person: Person, slots: asyncio.Semaphore) -> None:
        """One person's visit: the debrief (while a slot is free), then their check-in."""
        async with slots:
            await self.drive(person)
        if person.finished:
            self.seed_due.set()
        if person.finished and person.checkin:
            await self.answer_checkin(person)

    async def drive(self, person: Person) -> None:
        """Answer the question on screen until done; when a reply died with the bot, /resume."""
        await asyncio.sleep(self.rng.uniform(0, 1))
        step: str | None = None  # the question on screen (None: no debrief yet)
        target = STEPS[person.depth]  # stop once this question is asked
        while not self.stop.is_set() and step not in (target, "done"):
            mark = len(person.inbox)
            if step is None:
                update_id = await person.user.send_command("/start")
            else:
                update_id = await self._act(person, step)
            if await self._wait(person, mark, update_id) is None:
                person.resends += 1
                step = await self._resync(person, step)
                continue
            asked = self._latest_question(person, mark)
            if asked is None:
                step = await self._resync(person, step)
                continue
            if step is None and asked == "company":
                person.acked["start"] = "/start"
            elif step is not None and asked == _next(step):
                person.acked[step] = person.answers[step]  # the next question: acknowledged
            step = asked
            await asyncio.sleep(self.rng.uniform(*self.config.think))  # reading, thinking
        person.finished = step == "done"

    async def _resync(self, person: Person, step: str | None) -> str | None:
        """What a person does when the bot said nothing: /resume, then go by what it asks."""
        while not self.stop.is_set():
            mark = len(person.inbox)
            update_id = await person.user.send_command("/resume")
            if await self._wait(person, mark, update_id) is None:
                person.resends += 1
                continue
            asked = self._latest_question(person, mark)
            if asked is not None:
                return asked
            if any(_nothing_to_resume(m) for m in person.inbox[mark:]):
                # The /start was lost, or the last answer finished the debrief.
                return "done" if step == "goal_deadline" else None
        return step

    async def answer_checkin(self, person: Person) -> None:
        """Wait for the halfway check-in and press Done on the newest copy: again if the reply
        was lost, on the next copy if this one was refused (its send was not recorded before a
        kill, so the check-in goes out once more)."""
        refused: set[int] = set()
        deadline = time.monotonic() + 120
        while not self.stop.is_set() and time.monotonic() < deadline:
            copies = [
                m for m in person.inbox if CHECKIN in m.plain_text and m.message_id not in refused
            ]
            if not copies:
                person.arrived.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(person.arrived.wait(), 1.0)
                continue
            message = copies[-1]
            data = next(d for row in message.callback_data for d in row if d and ":a:done" in d)
            person.checkin_id = int(data.split(":")[1])
            mark = len(person.inbox)
            update_id = await person.user.press_data(data, message.message_id)
            if await self._wait(person, mark, update_id) is None:
                person.resends += 1
                continue
            replies = " ".join(m.plain_text for m in person.inbox[mark:])
            if CHECKIN_DONE in replies:
                person.checkin_acked = True
            if CHECKIN_DONE in replies or ALREADY_ANSWERED in replies:
                return
            refused.add(message.message_id)

    async def reporter(self, began: float) -> None:
        while self.config.progress and not self.stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), 10)
            answered = sum(len(p.acked) for p in self.people)
            print(
                f"soak: {time.monotonic() - began:4.0f} s: {answered} answers acknowledged,"
                f" {sum(p.finished for p in self.people)} plans, {self.kills_done} kills,"
                f" {len(self.api.calls('sendMessage'))} messages sent",
                file=sys.stderr,
                flush=True,
            )
            if os.environ.get("SOAK_DEBUG"):
                self._debug()

    def _debug(self) -> None:
        self._scan_deliveries()
        pending = self.api.pending_updates
        print(f"  pending updates {len(pending)}: {[u['update_id'] for u in pending][:10]}",
              file=sys.stderr)  # fmt: skip
        stuck = [p for p in self.people if not p.finished and len(p.acked) < p.depth]
        for person in stuck[:5]:
            last = person.inbox[-1].plain_text[:60] if person.inbox else None
            mine = [u["update_id"] for u in self.api.updates
                    if _sender(u) == person.user.id][-3:]  # fmt: skip
            print(f"  {person.user.id}: acked {list(person.acked)[-2:]}, last {last!r},"
                  f" updates {mine}, delivered {[self.delivered.get(u) for u in mine]}",
                  file=sys.stderr)  # fmt: skip

    async def seeder(self) -> None:
        """Make the finishers' halfway check-ins due now (the bot's clock cannot be moved),
        whenever a debrief finishes or the bot starts."""
        while not self.stop.is_set():
            await self.seed_due.wait()
            self.seed_due.clear()
            await asyncio.to_thread(self._seed)

    def _seed(self) -> None:
        with (
            contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as conn,
            conn,
            contextlib.suppress(sqlite3.OperationalError),  # not migrated yet
        ):
            conn.execute(
                "UPDATE check_ins SET due_at = ? WHERE status = 'pending'"
                " AND kind = 'goal_mid' AND due_at > ?",
                (_db_time(datetime.now(UTC)),) * 2,
            )

    # --- Running ---------------------------------------------------------------------------------

    async def run(self) -> Report:
        began = time.monotonic()
        self.config.workdir.mkdir(parents=True, exist_ok=True)
        for stale in self.config.workdir.glob("soak.sqlite3*"):
            stale.unlink()
        report = Report()
        await self.server.start()
        try:
            await self.start_bot()
            self.make_people()
            slots = asyncio.Semaphore(self.config.active)
            drivers = [asyncio.create_task(self.session(p, slots)) for p in self.people]
            killer = asyncio.create_task(self.killer())
            seeder = asyncio.create_task(self.seeder())
            reporter = asyncio.create_task(self.reporter(began))
            try:
                await asyncio.wait_for(asyncio.gather(*drivers, killer), self.config.hard_timeout)
            except TimeoutError:
                report.problems.append(f"not everyone got through in {self.config.hard_timeout}s")
            self.stop.set()
            for task in (*drivers, killer, seeder, reporter):
                task.cancel()
            await asyncio.gather(*drivers, killer, seeder, reporter, return_exceptions=True)
            if self.process is None or self.process.returncode is not None:
                await self.start_bot()
            await self.resume_check(report)
            await self.stop_bot()
            self.verify(report)
        finally:
            await self.stop_bot()
            self.api.close()
            await self.server.stop()
        report.elapsed = time.monotonic() - began
        return report

    async def resume_check(self, report: Report) -> None:
        """After the last restart: everyone is where the database says, and /resume says so."""
        waiting = [p for p in self.people if not p.finished]

        async def one(person: Person) -> None:
            rows = _rows(self.db_path, "SELECT step, status FROM rejections WHERE user_id = ?",
                         person.user.id)  # fmt: skip
            for _attempt in range(3):
                mark = len(person.inbox)
                update_id = await person.user.send_command("/resume")
                if await self._wait(person, mark, update_id) is None:
                    continue
                asked = self._latest_question(person, mark)
                if not rows:
                    if not any(_nothing_to_resume(m) for m in person.inbox[mark:]):
                        report.problems.append(f"{person.user.id}: /resume with no debrief")
                    return
                step, _ = rows[0]
                if asked != step:
                    report.problems.append(
                        f"{person.user.id}: /resume asked {asked!r}, the database is at {step!r}"
                    )
                if step != STEPS[person.depth]:  # they stopped at that question, unanswered
                    report.problems.append(
                        f"{person.user.id}: left at {STEPS[person.depth]!r}, stored {step!r}"
                    )
                return
            report.problems.append(f"{person.user.id}: no answer to /resume")

        semaphore = asyncio.Semaphore(20)

        async def limited(person: Person) -> None:
            async with semaphore:
                await one(person)

        await asyncio.gather(*(limited(p) for p in waiting))
        report.counts["resumed_at_the_stored_step"] = len(waiting)

    # --- Checking -------------------------------------------------------------------------------

    def verify(self, report: Report) -> None:
        problems = report.problems
        db = self.db_path
        integrity = _rows(db, "PRAGMA integrity_check")
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
        checked = 0
        labels = _label_codes(self.prompts)
        today = datetime.now(ZoneInfo("Europe/London")).date()
        for person in self.people:
            uid = person.user.id
            rejections = _rows(db, "SELECT * FROM rejections WHERE user_id = ?", uid, named=True)
            if "start" in person.acked and len(rejections) != 1:
                problems.append(f"{uid}: {len(rejections)} debriefs, expected 1")
            if not rejections:
                if person.acked:
                    problems.append(f"{uid}: acknowledged answers but no debrief stored")
                continue
            row = rejections[0]
            rid = row["id"]
            for step, value in person.acked.items():
                checked += 1
                stored = _stored(db, row, step, rid, uid)
                expected = labels.get(value, value)
                if step in ("goal_deadline",):
                    ok = stored in {(today + timedelta(days=d)).isoformat() for d in (6, 7, 8)}
                elif step in ("start", "feedback_offer", "gaps", "resource"):
                    ok = stored is True
                else:
                    ok = str(stored) == str(expected)
                if not ok:
                    problems.append(f"{uid}: {step}: stored {stored!r}, acknowledged {expected!r}")
            # Whatever is stored came from this step's own answer, acknowledged or not: an answer
            # is never taken for another question (e.g. after a restart or a redelivery).
            for step in ("company", "role", "stage", "how_heard", "mood", "went_well", "lesson",
                         "strength", "goal_target"):  # fmt: skip
                stored = _stored(db, row, step, rid, uid)
                given = labels.get(person.answers[step], person.answers[step])
                if stored is not None and str(stored) != str(given):
                    problems.append(f"{uid}: {step} holds {stored!r}, which answered another step")
            moods = _rows(db, "SELECT COUNT(*) FROM moods WHERE rejection_id = ?", rid)[0][0]
            if "mood" in person.acked and moods != 1:
                problems.append(f"{uid}: {moods} mood rows for one debrief")
            goals = _rows(db, "SELECT COUNT(*) FROM goals WHERE rejection_id = ?", rid)[0][0]
            if "goal_kind" in person.acked and goals != 1:
                problems.append(f"{uid}: {goals} goals for one debrief")
            if person.finished and row["status"] != "completed":
                problems.append(f"{uid}: saw the plan, status {row['status']}")
            if person.checkin_acked:
                answered = _rows(
                    db, "SELECT status, answer FROM check_ins WHERE id = ?", person.checkin_id
                )
                if answered != [("answered", "done")]:
                    problems.append(f"{uid}: check-in answer stored as {answered}")
        report.counts.update(
            users=len(self.people),
            kills=self.kills_done,
            bot_starts=self.generation,
            debriefs_started=_rows(db, "SELECT COUNT(*) FROM rejections")[0][0],
            debriefs_completed=sum(p.finished for p in self.people),
            answers_acknowledged=checked,
        )
        self._verify_checkins(report)
        self._scan_deliveries()
        report.counts.update(
            replies_lost_to_a_kill_then_resent=sum(p.resends for p in self.people),
            updates_redelivered_after_a_restart=len(self.redelivered),
            requests_telegram_would_refuse=len(self.api.violations),
        )
        if self.api.violations:
            problems.append(f"Bot API violations: {self.api.violations[:5]}")
        self._verify_logs(report)
        problems.extend(self.silent)
        report.counts["integrity_check_ok"] = int(integrity == [("ok",)])

    def _verify_checkins(self, report: Report) -> None:
        sends: Counter[int] = Counter()
        for record in self.api.calls("sendMessage"):
            if record.status != 200:
                continue
            markup = record.params.get("reply_markup")
            for row in (markup or {}).get("inline_keyboard", []):
                for button in row:
                    data = str(button.get("callback_data", ""))
                    if data.startswith("c:") and data.split(":")[2] == "a":  # a check-in's answers
                        sends[int(data.split(":")[1])] += 1
                        break
                else:
                    continue
                break
        due = _rows(
            self.db_path,
            "SELECT id, status FROM check_ins WHERE kind = 'goal_mid' AND due_at <= ?",
            _db_time(datetime.now(UTC)),
        )
        unsent = [cid for cid, status in due if sends[cid] == 0]
        duplicates = sum(max(0, n - 1) for n in sends.values())
        if unsent:
            report.problems.append(f"due check-ins never sent: {unsent[:10]}")
        if duplicates > self.kills_done:
            report.problems.append(f"{duplicates} duplicate check-ins for {self.kills_done} kills")
        if any(n > 2 for n in sends.values()):
            report.problems.append(f"a check-in sent 3+ times: {sends.most_common(3)}")
        unanswered = [
            p.user.id
            for p in self.people
            if p.finished and p.checkin
            and _rows(self.db_path, "SELECT 1 FROM check_ins WHERE user_id = ? AND kind ="
                      " 'goal_mid' AND status = 'answered'", p.user.id) == []
        ]  # fmt: skip
        if unanswered:
            report.problems.append(f"finishers whose check-in was never answered: {unanswered}")
        report.counts.update(
            check_ins_due=len(due),
            check_ins_sent=sum(1 for cid, _ in due if sends[cid]),
            check_in_duplicates=duplicates,
            check_ins_answered=_rows(
                self.db_path,
                "SELECT COUNT(*) FROM check_ins WHERE kind = 'goal_mid' AND status = 'answered'",
            )[0][0],
            check_in_answers_acknowledged=sum(p.checkin_acked for p in self.people),
        )

    def _verify_logs(self, report: Report) -> None:
        errors = 0
        for log in self.logs:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            if SECRET in text:
                report.problems.append(f"the token appears in {log.name}")
            for line in text.splitlines():
                if " ERROR " in line or "Traceback" in line:
                    errors += 1
                    report.problems.append(f"{log.name}: {line[:200]}")
        for event in self.api.events:
            if SECRET in (event.text or "") or "Traceback" in event.plain_text:
                report.problems.append(f"exposed in a message to {event.chat_id}")
            if "something went wrong" in event.plain_text:
                report.problems.append(f"an apology for a bug sent to {event.chat_id}")
        report.counts["errors_logged"] = errors


def _sender(update: dict[str, object]) -> int | None:
    for value in update.values():
        if isinstance(value, dict) and isinstance(value.get("from"), dict):
            return int(value["from"]["id"])
    return None


def _nothing_to_resume(message: SentMessage) -> bool:
    return any(needle in message.plain_text for needle in NOTHING_TO_RESUME)


def _needs_the_person(message: SentMessage) -> bool:
    text = message.plain_text
    return question_of(message) is not None or any(
        needle in text
        for needle in (*NOTHING_TO_RESUME, CHECKIN_DONE, ALREADY_ANSWERED, *CHECKIN_STALE)
    )


def _next(step: str) -> str:
    return STEPS[STEPS.index(step) + 1]


def _db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _rows(path: Path, sql: str, *params: object, named: bool = False) -> list[sqlite3.Row]:
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
        if named:
            conn.row_factory = sqlite3.Row
        return list(conn.execute(sql, params))


def _label_codes(prompts: Prompts) -> dict[str, str]:
    """Button label -> the value the database stores for it."""
    codes = {prompts.label(f"stage.{s.value}"): s.value for s in Stage}
    codes.update({prompts.label(f"how_heard.{h.value}"): h.value for h in HowHeard})
    codes.update({prompts.label(f"strength.{s.value}"): s.value for s in Strength})
    codes.update({prompts.label(f"mood.m{n}"): str(n) for n in range(1, 6)})
    codes[prompts.label("goal.apply")] = "apply"
    return codes


def _stored(db: Path, row: sqlite3.Row, step: str, rid: int, uid: int) -> object:
    """What the database holds for the answer to `step` (True: the step's effect is there)."""
    if step in ("company", "role", "stage", "how_heard", "mood", "went_well", "lesson"):
        return row[step]
    if step == "strength":
        return row["strength"]
    if step == "start":
        return True
    if step == "feedback_offer":  # skipped: nothing drafted, and the debrief moved past it
        return not _rows(db, "SELECT 1 FROM feedback_requests WHERE rejection_id = ?", rid)
    if step == "gaps":
        return json.loads(row["gaps"]) != []
    if step == "resource":
        return not _rows(db, "SELECT 1 FROM resource_picks WHERE rejection_id = ?", rid)
    goal = _rows(db, "SELECT kind, target, deadline FROM goals WHERE rejection_id = ?", rid)
    if step == "goal_kind":
        return goal[0][0] if goal else None
    if step == "goal_target":
        return goal[0][1] if goal else None
    if step == "goal_deadline":
        return goal[0][2] if goal else None
    if step == "timezone":
        return _rows(db, "SELECT timezone FROM users WHERE id = ?", uid)[0][0]
    raise AssertionError(step)


async def run_soak(config: SoakConfig) -> Report:
    """Run one soak and return its report."""
    return await Soak(config).run()
