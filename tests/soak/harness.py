"""The crash-restart soak: many people in debriefs and check-ins while `python -m bot` is killed,
Telegram misbehaves and the disk fills up.

The bot runs as a real process (`python -m bot`) against the fake Telegram served over HTTP in
this process; it is SIGKILLed at random moments and started again on the same database. Each
simulated person behaves like a real one: they answer the question they see and wait for the
answer. A message the bot got no chance to answer because it was killed is in its inbox (or
still unconfirmed at Telegram), so the person does not send it again: they wait (up to
`reply_wait`) for the bot to come back and answer. Nobody should ever have to send a message
twice; a person who waited in vain counts as "lost to a kill" (the update went to a process
that was killed) or "never answered", and only then sends /resume to go on.

Besides the kills, a background task injects Telegram faults through the fake Bot API every few
seconds (429 and 5xx on sendMessage, 5xx on getUpdates, answers slower than the bot's read
timeout and slower but within it), and the database's filesystem (a small tmpfs mounted for the
run) is filled for a few seconds while the bot runs. A person told "I'm temporarily
unavailable... try again" sends the same answer again after a moment ("retried after a storage
fault": expected, not a failure).

Afterwards the database is checked against what each person saw acknowledged (the bot asked the
next question), see `verify`. Replies are at-least-once (a kill between Telegram taking a message
and the inbox row being removed shows it again): those are counted ("replies shown twice"), and a
person who sees the question they just answered asked again waits for the answer to their
message instead of answering it twice.

Time cannot be faked inside the bot process, so check-ins are made due by the harness: for the
people who finished, it sets `due_at` of their pending halfway check-in to now in the database.
A kill can leave a check-in claimed; the bot's dispatcher takes a claim back once its lease
(`bot.scheduling.dispatcher.LEASE`) ran out, so the person whose check-in was claimed waits for
that, and at the end the harness waits out the lease and then checks no claim is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import itertools
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.rendering import Prompts
from bot.scheduling.dispatcher import LEASE
from coaching.model import HowHeard, Stage
from standin import FakeBotApi, FakeUser, SentMessage
from standin.http import StandinServer

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
    ("feedback_offer", "Would you like to ask"),  # the hirer for feedback, or where it stands
    ("gaps", "Where do you think it fell short?"),
    ("resource", "Pick one"),
    ("goal_kind", "a goal to try again"),
    ("timezone", "Where are you"),
    ("goal_deadline", "By when?"),
    ("done", "That's your plan."),
)
STEPS = [name for name, _ in QUESTIONS]
TEXT_STEPS = frozenset({"company", "role", "went_well", "lesson", "goal_kind"})
# No debrief to go on with ("running": PTB's stored state still had the debrief open, as when
# the bot was killed between finishing it and saving the conversation state).
NOTHING_TO_RESUME = ("There's no unfinished debrief to resume", "There's no debrief running")
CHECKIN = "Halfway there"
CHECKIN_DONE = "You did it"
# Said, or only shown on the button (a press the bot takes for a second tap of the same button).
ALREADY_ANSWERED = ("You already answered this check-in", "You already answered this one")
# A check-in button pressed while its message's send was not recorded yet (a kill came between):
# the check-in goes out again, and the newer message is the one to answer.
CHECKIN_STALE = ("That button has expired", "replaced by a newer one")
CHECKIN_FINALS = (CHECKIN_DONE, *ALREADY_ANSWERED, *CHECKIN_STALE)
# prompts/errors/unavailable.html: the database could not take the step; "try again in a minute".
UNAVAILABLE = "I couldn't save that just now"

# What the bot logs when its storage refuses something (bot/errors.py, bot/polling.py, the
# dispatcher): counted to show the disk-full window did bite.
STORAGE_LOG_LINES = (
    "Storage unavailable while handling update",
    "Storage unavailable in a job",
    "Could not store",
    "Could not clear update",
    "recorded when storage is back",
    "Could not renew the check-in claims",
)
_INBOX_HANDED_OVER = re.compile(r"Handling (\d+) updates stored before the last stop")
_CLAIMS_TAKEN_BACK = re.compile(r"Took back (\d+) check-in claims")

# The Telegram faults the background task injects, in turn (shuffled each round). "send" faults
# are for sendMessage, "poll" faults for getUpdates. The bot's read timeout is HTTPXRequest's
# default, 5 s; a reply is tried three times on 5xx (bot.messages), so two 502s in a row are
# still answered; a reply that timed out is tried once more.
SEND_FAULTS = (
    "429 on sendMessage",
    "500 on sendMessage",
    "2 x 502 on sendMessage",
    "slow sendMessage (2 s)",
    "sendMessage slower than the read timeout (7 s)",
)
POLL_FAULTS = ("502 on getUpdates", "500 on getUpdates", "slow getUpdates (3 s)")
FAULT_TTL = 15.0  # an injected fault nobody ran into is withdrawn after this long
# Seconds after a fault was hit before the next one that could meet the same request: the next
# getUpdates fault, or the next sendMessage fault aimed at the same chat.
FAULT_GAP = 9.0


@dataclass
class SoakConfig:
    """How big the soak is."""

    users: int = 200
    finishers: int = 40  # people who finish the debrief and answer a check-in; the rest stop
    partial_depth: int = 6  # the others answer 1..this many steps, then stop
    kills: int = 20
    uptime: tuple[float, float] = (2.0, 6.0)  # seconds the bot runs between kills
    # Every n-th kill waits until a reply is in flight (a slow sendMessage) and kills the bot in
    # the middle of handling an update, so its restart has something in the inbox to hand over.
    inflight_kill_every: int = 3
    think: tuple[float, float] = (1.0, 3.0)  # seconds a person takes to answer
    # People in a debrief at the same time. The bot sends about 30 messages a second (Telegram's
    # limit, kept by its rate limiter), roughly 10 answers a second; more people than that
    # answer slower, not worse (the backlog is in the inbox and survives a kill).
    active: int = 40
    reply_wait: float = 60.0  # how long a person waits for an answer before giving up on it
    retry_pause: tuple[float, float] = (2.0, 5.0)  # after "temporarily unavailable"
    faults: bool = True  # the background Telegram faults
    fault_every: tuple[float, float] = (2.0, 5.0)  # seconds between two injected faults
    # Whether sendMessage faults may also be aimed at check-ins (once per check-in: a 5xx or a
    # timeout costs it the dispatcher's one-minute backoff); False: only at replies in debriefs.
    faults_on_checkins: bool = True
    disk_full_windows: int = 2  # the database's filesystem full, while the bot runs
    disk_full_seconds: float = 4.0
    tmpfs_size: str = "64m"
    seed: int = 9
    workdir: Path = Path("soak-run")
    hard_timeout: float = 900.0
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
    # (how many messages they had when they sent it, what it was): what each reply answered
    actions: list[tuple[int, str]] = field(default_factory=list)
    step: str | None = None  # the question on their screen while in the debrief
    in_debrief: bool = False
    awaiting_checkin: bool = False
    checkin_faulted: bool = False  # a Telegram fault was aimed at their check-in (once only)
    lost_to_a_kill: int = 0  # waited in vain; the update had gone to a killed process
    never_answered: int = 0  # waited in vain otherwise
    storage_retries: int = 0  # sent again after "temporarily unavailable"
    storage_resumes: int = 0  # ... as /resume, the buttons being gone
    resyncs: int = 0  # /resume sent because something went wrong
    checkin_id: int | None = None
    checkin_acked: bool = False
    finished: bool = False


@dataclass
class Reply:
    """What a person made of the bot's answer to one message."""

    kind: str  # "question", "final", "unavailable", "notice", "silent", "no button"
    question: str | None = None  # the question asked (kind "question")
    text: str = ""  # the deciding message's text


@dataclass
class Report:
    """What the soak did and what the checks found."""

    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    trail: list[str] = field(default_factory=list)  # what led to a wait in vain (CI logs)
    elapsed: float = 0.0

    def lines(self) -> list[str]:
        out = [f"soak: {name.replace('_', ' ')}: {value}" for name, value in self.counts.items()]
        out += [f"soak: note: {note}" for note in self.notes]
        out.append(f"soak: elapsed: {self.elapsed:.0f} s")
        out += [f"soak: PROBLEM: {p}" for p in self.problems[:40]]
        more = len(self.problems) - 40
        if more > 0:
            out.append(f"soak: ... and {more} more problems")
        out += [f"soak: trail: {line}" for line in self.trail]
        out.append("soak: OK" if not self.problems else "soak: FAILED")
        return out


def question_of(message: SentMessage) -> str | None:
    """Which step a bot message asks for (None for anything else)."""
    for name, needle in QUESTIONS:
        if needle in message.plain_text:
            return name
    return None


class SoakApi(FakeBotApi):
    """The fake Bot API, counting the injected faults that calls ran into, and withdrawing
    those nobody ran into after a while (a fault aimed at one chat may never meet a call)."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.injected: Counter[str] = Counter()
        self.hit: Counter[str] = Counter()
        self._names: dict[int, str] = {}
        self._expires: dict[int, float] = {}
        self._last_taken: dict[str, float] = {}
        self.chat_hit: dict[int, float] = {}  # chat -> when a fault aimed at it was last hit
        self.note: Callable[[str], None] = lambda line: None

    def inject(self, name: str, add: Callable[[], None], ttl: float = FAULT_TTL) -> object:
        """Add a fault with `add` (a fail_next/delay_next call) under `name`; returns it."""
        add()
        fault = self._faults[-1]
        self._names[id(fault)] = name
        self._expires[id(fault)] = time.monotonic() + ttl
        self.injected[name] += 1
        return fault

    def pending_for(self, method: str) -> bool:
        """Whether a fault for `method` is waiting for a call."""
        return any(f.method == method for f in self._faults)

    def pending(self, fault: object) -> bool:
        """Whether no call has run into `fault` yet (or not as often as it is meant to)."""
        return any(f is fault for f in self._faults)

    def taken(self, fault: object) -> bool:
        """Whether calls ran into `fault` as often as it was meant for."""
        return not self.pending(fault)

    def withdraw(self, fault: object | None = None) -> None:
        """Withdraw `fault` (default: every fault whose time is up; None and all: everything)."""
        now = time.monotonic()
        for f in list(self._faults):
            if f is fault or (fault is None and self._expires.get(id(f), now + 1) <= now):
                self._faults.remove(f)

    def withdraw_all(self) -> None:
        self._faults.clear()

    def last_taken(self, method: str) -> float:
        """When a call of `method` last ran into a fault (monotonic; 0.0: never)."""
        return self._last_taken.get(method, 0.0)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Any:
        fault = super()._take_fault(method, params)
        if fault is not None:
            self.hit[self._names.get(id(fault), f"{method} (unnamed)")] += 1
            self._last_taken[method] = time.monotonic()
            if fault.chat_id is not None:
                self.chat_hit[int(fault.chat_id)] = time.monotonic()
            name = self._names.get(id(fault))
            self.note(f"fault {name!r} hit by {method} {params.get('chat_id', '')}")
        return fault


class Soak:
    """Runs one soak; `await Soak(config).run()` returns the report."""

    def __init__(self, config: SoakConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.api = SoakApi(TOKEN)
        self.server = StandinServer(self.api)
        self.workdir = config.workdir.resolve()
        self.db_dir = self.workdir / "db"
        self.db_path = self.db_dir / "soak.sqlite3"
        self.mounted = False
        self.disk_note = ""
        self.process: asyncio.subprocess.Process | None = None
        self.generation = 0
        self.ready_at = 0.0
        self.killed_at: list[float] = []  # monotonic times of each kill
        self.killed_wall: list[float] = []  # the same, wall clock (the fake's timestamps)
        self.kills_done = 0
        self.inflight_kills = 0
        self.disk_full_done = 0
        self.quiet = asyncio.Lock()  # held by a kill-and-restart and by a disk-full window
        self.a_kill = asyncio.Event()
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
        self.failures: list[str] = []  # people who waited in vain, described
        self.silences: list[tuple[int, int]] = []  # (person, update) of each wait in vain
        self.t0 = time.monotonic()
        self.t0_wall = time.time()
        self.timeline: list[str] = []  # what happened, in order (transcript.txt in the workdir)
        self.api.note = self.note

    def note(self, line: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.t0:8.3f} {line}")

    # --- The database's filesystem -----------------------------------------------------------

    def _prepare_storage(self) -> None:
        """Put the database in a small tmpfs of its own, so the disk-full window can fill it; when
        mounting is not permitted, in the work folder, and the window is skipped."""
        if self.db_dir.exists():
            self._unmount()
            shutil.rmtree(self.db_dir, ignore_errors=True)
        self.db_dir.mkdir(parents=True)
        if self.config.disk_full_windows <= 0:
            self.disk_note = "disk-full window: not asked for"
            return
        try:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={self.config.tmpfs_size},mode=0700",
                 "comeback-soak", str(self.db_dir)],
                capture_output=True, text=True, timeout=30, check=False,
            )  # fmt: skip
        except OSError as exc:
            self.disk_note = f"disk-full window skipped: cannot run mount ({exc})"
            return
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            self.disk_note = (
                "disk-full window skipped: mounting a tmpfs for the database is not permitted"
                f" here ({reason[-1] if reason else f'exit {done.returncode}'})"
            )
            return
        self.mounted = True

    def _unmount(self) -> None:
        for args in (["umount", str(self.db_dir)], ["umount", "-l", str(self.db_dir)]):
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                if subprocess.run(args, capture_output=True, timeout=30, check=False).returncode:
                    continue
            self.mounted = False
            return

    def _fill_disk(self) -> int:
        """Make the database's filesystem full: the WAL emptied into the database first (so the
        bot's next write has to grow it), then a ballast file takes every free byte."""
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as conn:
            # TRUNCATE waits (SQLite's busy handler, up to the 30 s timeout) for the bot's
            # readers and writer to let go.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        written = 0
        fd = os.open(self.db_dir / "ballast", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (1 << 20, 1 << 12):
                chunk = b"\0" * size
                while True:
                    try:
                        written += os.write(fd, chunk)
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        finally:
            os.close(fd)
        return written

    def _free_disk(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.db_dir / "ballast").unlink()

    async def disk_filler(self) -> None:
        """The disk-full windows, spread over the run (never while the bot is being restarted)."""
        if not self.mounted:
            return
        windows = self.config.disk_full_windows
        for n in range(windows):
            after = max(1, self.config.kills * (n + 1) // (windows + 1))
            while self.kills_done < after and not self.stop.is_set():
                self.a_kill.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.a_kill.wait(), 1.0)
            if self.stop.is_set():
                return
            async with self.quiet:
                await asyncio.sleep(max(0.0, self.ready_at + 1.0 - time.monotonic()))
                ballast = await asyncio.to_thread(self._fill_disk)
                self.note(f"DISK FULL (ballast {ballast} bytes)")
                try:
                    await asyncio.sleep(self.config.disk_full_seconds)
                finally:
                    await asyncio.to_thread(self._free_disk)
                    self.note("disk freed")
                self.disk_full_done += 1
                # A kill that was due meanwhile waits a moment more, not to fall on the window's
                # last instant every time.
                await asyncio.sleep(self.rng.uniform(0.5, 2.0))
            self.seed_due.set()  # the harness's own writes may have failed meanwhile

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
        log = self.workdir / f"bot-{self.generation:02d}.log"
        self.logs.append(log)
        polls = len(self.api.calls("getUpdates"))
        with log.open("wb") as sink:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.workdir, env=self._env(),
                stdout=sink, stderr=sink,
            )  # fmt: skip
        await self.api.wait_for(lambda: len(self.api.calls("getUpdates")) > polls, 60)
        self.ready_at = time.monotonic()
        self.note(f"bot {self.generation} started")
        self.seed_due.set()  # at start the bot schedules what a kill left unscheduled

    async def kill_bot(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.killed_at.append(time.monotonic())
        self.killed_wall.append(time.time())
        self.kills_done += 1
        self.a_kill.set()
        self.note(f"KILL {self.kills_done}")
        # The process died: its long poll is gone. Check-ins it had claimed stay claimed until
        # their lease runs out; the next process's dispatcher takes them back then.
        self.api.release_pollers()

    async def stop_bot(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()

    async def killer(self) -> None:
        low, high = self.config.uptime
        every = self.config.inflight_kill_every
        while self.kills_done < self.config.kills:
            if every > 0 and self.kills_done % every == every - 1:
                await self._reply_in_flight(low, high)
            else:
                await asyncio.sleep(self.rng.uniform(low, high))
            async with self.quiet:
                await self.kill_bot()
                await self.start_bot()

    async def _reply_in_flight(self, low: float, high: float) -> None:
        """Wait until a reply to someone in a debrief is being sent (made slow for this), then
        let the kill come while its update is being handled."""
        await asyncio.sleep(low)
        deadline = time.monotonic() + high
        while time.monotonic() < deadline:
            target = self._fault_target(checkins=False)
            if target is None:
                await asyncio.sleep(0.2)
                continue
            fault = self.api.inject(
                "slow reply, then a kill",
                functools.partial(self.api.delay_next, "sendMessage", 3.0, chat_id=target),
            )
            with contextlib.suppress(TimeoutError):
                await self.api.wait_for(
                    functools.partial(self.api.taken, fault),
                    max(0.01, deadline - time.monotonic()),
                )
            if not self.api.pending(fault):
                await asyncio.sleep(0.3)  # the send is waiting for Telegram's answer
                self.inflight_kills += 1
                return
            self.api.withdraw(fault)
        return

    # --- Telegram faults ---------------------------------------------------------------------

    def _fault_target(self, checkins: bool) -> int | None:
        """A chat for a sendMessage fault: someone in the middle of a debrief with at least two
        questions to go, or (`checkins`) someone waiting for their check-in, once each. Never a
        chat a fault was aimed at in the last FAULT_GAP seconds: faults piled onto one reply or
        one check-in would be an outage, not what is tested (a reply is given up after three
        tries and the person's /resume asks again; a check-in backs off 1, 2, 4... minutes)."""
        now = time.monotonic()
        candidates = [
            p for p in self.people
            if now - self.api.chat_hit.get(p.user.id, -FAULT_GAP) >= FAULT_GAP
            and (
                (p.in_debrief and p.step is not None and p.depth - STEPS.index(p.step) >= 2)
                or (checkins and p.awaiting_checkin and not p.checkin_faulted)
            )
        ]  # fmt: skip
        if not candidates:
            return None
        chosen = self.rng.choice(candidates)
        chosen.checkin_faulted = chosen.checkin_faulted or chosen.awaiting_checkin
        return chosen.user.id

    def _add_fault(self, name: str) -> bool:
        """Inject the fault `name` if it can be now; whether it was."""
        api = self.api
        if name in POLL_FAULTS:
            # Likewise one at a time: failed polls back off (0.5 s, 1 s, 2 s...).
            if self.api.pending_for("getUpdates") or (
                time.monotonic() - self.api.last_taken("getUpdates") < FAULT_GAP
            ):
                return False
            adders: dict[str, Callable[[], None]] = {
                "502 on getUpdates": lambda: api.fail_next("getUpdates", 502),
                "500 on getUpdates": lambda: api.fail_next("getUpdates", 500),
                "slow getUpdates (3 s)": lambda: api.delay_next("getUpdates", 3.0),
            }
            api.inject(name, adders[name])
            return True
        # One send fault at a time, aimed at one chat (see _fault_target).
        if self.api.pending_for("sendMessage"):
            return False
        chat = self._fault_target(checkins=self.config.faults_on_checkins)
        if chat is None:
            return False  # nobody to aim at right now
        adders = {
            "429 on sendMessage": lambda: api.fail_next("sendMessage", 429, retry_after=1,
                                                        chat_id=chat),
            "500 on sendMessage": lambda: api.fail_next("sendMessage", 500, chat_id=chat),
            "2 x 502 on sendMessage": lambda: api.fail_next("sendMessage", 502, count=2,
                                                            chat_id=chat),
            "slow sendMessage (2 s)": lambda: api.delay_next("sendMessage", 2.0, chat_id=chat),
            "sendMessage slower than the read timeout (7 s)": lambda: api.delay_next(
                "sendMessage", 7.0, chat_id=chat),
        }  # fmt: skip
        api.inject(name, adders[name])
        return True

    async def fault_injector(self) -> None:
        """Every few seconds one more Telegram fault, each kind in turn (a 429 and a 5xx on
        sendMessage first)."""
        if not self.config.faults:
            return
        order = [*SEND_FAULTS[:2], POLL_FAULTS[0]]
        while not self.stop.is_set():
            if not order:
                order = [*SEND_FAULTS, *POLL_FAULTS]
                self.rng.shuffle(order)
            await asyncio.sleep(self.rng.uniform(*self.config.fault_every))
            self.api.withdraw()
            # The next kind in turn that can be injected now (see the gaps in _add_fault).
            for name in list(order):
                if self._add_fault(name):
                    order.remove(name)
                    break

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
        """Whether the update went to a process that was killed afterwards."""
        self._scan_deliveries()
        when = self.delivered.get(update_id)
        if when is None:
            return False
        return any(kill >= when for kill in self.killed_wall)

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
                "resource": label("common.skip"),
                # At most 14: fits the week (more would bring the goal check, not the deadline).
                "goal_kind": f"apply to {self.rng.randint(1, 14)} roles",
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
                self.note(f"{message.chat_id} <- #{message.message_id} {message.plain_text[:70]!r}")
                person.inbox.append(message)
                person.arrived.set()

        self.api.subscribe(listen)

    async def _act(self, person: Person, step: str) -> int | None:
        """Answer `step`; None when the button to press is not on the screen."""
        value = person.answers[step]
        if step in TEXT_STEPS:
            return await person.user.send_text(value)
        try:
            if step == "gaps":  # "Done" needs one gap ticked: tick one first (an edit, no question)
                tick = self.prompts.label("gap.unchecked", name=self.prompts.label("gap.unsure"))
                card = self._latest_with_button(person, value)
                data = _button_data(card, tick) if card is not None else None
                if card is not None and data is not None:
                    await person.user.press_data(data, card.message_id)
            return await person.user.press(value)
        except AssertionError:
            return None

    def _latest_with_button(self, person: Person, label: str) -> SentMessage | None:
        for message in reversed(self.api.chat_messages(person.user.id)):
            if any(label == b for row in message.buttons for b in row):
                return message
        return None

    def _read_reply(
        self, person: Person, mark: int, answered: str | None, finals: tuple[str, ...]
    ) -> Reply | None:
        """What the bot said since `mark` that the person must act on, if anything yet: the
        newest question other than the one just answered (that one again is a repeat: the
        answer to their message is still to come), or a final word, or "unavailable". In a
        check-in (`finals` are the check-in's) debrief questions are not the answer."""
        found: Reply | None = None
        questions = finals is not CHECKIN_FINALS
        for message in person.inbox[mark:]:
            text = message.plain_text
            asked = question_of(message) if questions else None
            if asked is not None and (answered is None or asked != answered):
                found = Reply("question", asked, text)
            elif any(needle in text for needle in finals):
                found = Reply("final", None, text)
            # "I couldn't save that just now. I'll take it as soon as I can": the bot handles the
            # words again once the database works, so the person waits for the real answer.
        return found

    async def _exchange(
        self,
        person: Person,
        what: str,
        *,
        send: Callable[[], Any],
        answered: str | None = None,
        finals: tuple[str, ...] = NOTHING_TO_RESUME,
    ) -> Reply:
        """Send one message (`send()`) and wait for the bot's answer to it, up to `reply_wait`;
        told "temporarily unavailable", send the same again after a moment (/resume when the
        button to press again is gone: the press took the buttons away before the step failed).
        """
        retry_with_resume = False
        for attempt in range(20):
            mark = len(person.inbox)
            update_id = await send()
            if update_id is None and attempt > 0 and what not in ("/start", "/resume"):
                person.storage_resumes += 1
                retry_with_resume = True
                update_id = await person.user.send_command("/resume")
            if update_id is None:
                return Reply("no button")
            sent = "/resume" if retry_with_resume else what
            person.actions.append((mark, sent))
            self.note(f"{person.user.id} -> update {update_id}: {sent}")
            reply = await self._await_reply(
                person, mark, update_id, None if retry_with_resume else answered, finals
            )
            retry_with_resume = False
            if reply.kind == "unavailable":
                person.storage_retries += 1
                await asyncio.sleep(self.rng.uniform(*self.config.retry_pause))
                later = self._read_reply(person, mark, answered, finals)
                if later is not None and later.kind != "unavailable":
                    return later  # the bot went on after all (the notice was for another update)
                continue
            if reply.kind == "silent":
                described = self._describe(person, update_id)
                self.silences.append((person.user.id, update_id))
                if self.lost_with_a_kill(update_id):
                    person.lost_to_a_kill += 1
                    self.failures.append(f"lost to a kill: {described}")
                else:
                    person.never_answered += 1
                    self.failures.append(f"never answered: {described}")
            return reply
        self.failures.append(f"{person.user.id}: 20 times 'temporarily unavailable' for {what}")
        return Reply("silent")

    async def _await_reply(
        self,
        person: Person,
        mark: int,
        update_id: int,
        answered: str | None,
        finals: tuple[str, ...],
    ) -> Reply:
        started = time.monotonic()
        while True:
            person.arrived.clear()
            reply = self._read_reply(person, mark, answered, finals)
            if reply is not None:
                return reply
            waited = time.monotonic() - started
            notice = self.api.answer_for(update_id)
            if notice is not None and notice.text and waited > 2:
                return Reply("notice", None, notice.text)  # only a word on the button
            if waited > self.config.reply_wait:
                return Reply("silent")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(person.arrived.wait(), 1.0)

    def _describe(self, person: Person, update_id: int) -> str:
        update = next((u for u in self.api.updates if u["update_id"] == update_id), {})
        kind = next((k for k in update if k != "update_id"), "?")
        payload = update.get(kind, {})
        what = payload.get("text") or payload.get("data") if isinstance(payload, dict) else None
        last = person.inbox[-1].plain_text[:80] if person.inbox else None
        self._scan_deliveries()
        return (
            f"{person.user.id}: no answer to update {update_id} ({kind} {what!r}) in"
            f" {self.config.reply_wait:.0f} s, delivered at {self.delivered.get(update_id)},"
            f" kills at {[round(k, 1) for k in self.killed_wall]}, last message {last!r}"
        )

    async def session(self, person: Person, slots: asyncio.Semaphore) -> None:
        """One person's visit: the debrief (while a slot is free), then their check-in."""
        async with slots:
            person.in_debrief = True
            try:
                await self.drive(person)
            finally:
                person.in_debrief = False
        if person.finished:
            self.seed_due.set()
        if person.finished and person.checkin:
            person.awaiting_checkin = True
            try:
                await self.answer_checkin(person)
            finally:
                person.awaiting_checkin = False

    async def drive(self, person: Person) -> None:
        """Answer the question on screen until done (waiting for answers, never resending)."""
        await asyncio.sleep(self.rng.uniform(0, 1))
        step: str | None = None  # the question on screen (None: no debrief yet)
        target = STEPS[person.depth]  # stop once this question is asked
        while not self.stop.is_set() and step not in (target, "done"):
            person.step = step
            if step is None:
                reply = await self._exchange(
                    person, "/start", send=functools.partial(person.user.send_command, "/start")
                )
            else:
                reply = await self._exchange(
                    person, step, send=functools.partial(self._act, person, step), answered=step
                )
            if reply.kind != "question":  # silent, a word on a button, no button to press
                step = await self._resync(person, step)
                continue
            asked = reply.question
            if step is None and asked == "company":
                person.acked["start"] = "/start"
            elif step is not None and asked == _next(step):
                person.acked[step] = person.answers[step]  # the next question: acknowledged
            step = asked
            person.step = step
            await asyncio.sleep(self.rng.uniform(*self.config.think))  # reading, thinking
        person.finished = step == "done"

    async def _resync(self, person: Person, step: str | None) -> str | None:
        """What a person does when something went wrong (counted as a problem already, or a
        word on a button instead of an answer): /resume, then go by what it asks."""
        person.resyncs += 1
        for _attempt in range(5):
            if self.stop.is_set():
                break
            reply = await self._exchange(
                person, "/resume", send=lambda: person.user.send_command("/resume")
            )
            if reply.kind == "question":
                return reply.question
            if reply.kind == "final":
                # The /start was not taken, or the last answer finished the debrief.
                return "done" if step == "goal_deadline" else None
        return step

    async def answer_checkin(self, person: Person) -> None:
        """Wait for the halfway check-in and press Done on the newest copy: on the next copy if
        this one was refused (its send was not recorded before a kill, so the check-in goes out
        once more after its claim's lease ran out)."""
        refused: set[int] = set()
        deadline = time.monotonic() + LEASE.total_seconds() + 180
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
            reply = await self._exchange(
                person,
                "check-in",
                send=functools.partial(person.user.press_data, data, message.message_id),
                finals=CHECKIN_FINALS,
            )
            if reply.kind == "final" and CHECKIN_DONE in reply.text:
                person.checkin_acked = True
            if reply.kind == "silent" or (
                reply.kind in ("final", "notice")
                and any(done in reply.text for done in (CHECKIN_DONE, *ALREADY_ANSWERED))
            ):
                return  # done, or nothing more to do: the buttons are gone (counted if silent)
            refused.add(message.message_id)  # expired or replaced: the newer copy, when it comes

    async def reporter(self, began: float) -> None:
        while self.config.progress and not self.stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), 10)
            answered = sum(len(p.acked) for p in self.people)
            print(
                f"soak: {time.monotonic() - began:4.0f} s: {answered} answers acknowledged,"
                f" {sum(p.finished for p in self.people)} plans, {self.kills_done} kills,"
                f" {sum(self.api.hit.values())} faults hit, {self.disk_full_done} disk-full,"
                f" {len(self.api.calls('sendMessage'))} messages sent, {len(self.failures)}"
                " waited in vain",
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
        stuck = [p for p in self.people if p.in_debrief]
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
        # Only check-ins never tried: one that failed waits out the dispatcher's backoff.
        try:
            with contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as conn, conn:
                conn.execute(
                    "UPDATE check_ins SET due_at = ? WHERE status = 'pending'"
                    " AND kind = 'goal_mid' AND due_at > ? AND last_error IS NULL",
                    (_db_time(datetime.now(UTC)),) * 2,
                )
                # No quiet hours either: from 22:00 in London (the people's zone) the bot
                # would rightly hold them for the morning, and a run at night would see none.
                conn.execute(
                    "UPDATE users SET quiet_start = 0, quiet_end = 0 WHERE quiet_start <> quiet_end"
                )
        except sqlite3.OperationalError:
            # Not migrated yet, or the disk is full: the next bot start, finished debrief or
            # freed disk sets `seed_due` again.
            pass

    # --- Running ---------------------------------------------------------------------------------

    async def run(self) -> Report:
        began = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        for stale in [*self.workdir.glob("soak.sqlite3*"), *self.workdir.glob("bot-*.log")]:
            stale.unlink()
        report = Report()
        await asyncio.to_thread(self._prepare_storage)
        if self.disk_note:
            report.notes.append(self.disk_note)
        await self.server.start()
        try:
            await self.start_bot()
            self.make_people()
            slots = asyncio.Semaphore(self.config.active)
            drivers = [asyncio.create_task(self.session(p, slots)) for p in self.people]
            killer = asyncio.create_task(self.killer())
            filler = asyncio.create_task(self.disk_filler())
            helpers = [
                asyncio.create_task(self.seeder()),
                asyncio.create_task(self.fault_injector()),
                asyncio.create_task(self.reporter(began)),
            ]
            try:
                await asyncio.wait_for(
                    asyncio.gather(*drivers, killer, filler), self.config.hard_timeout
                )
            except TimeoutError:
                report.problems.append(f"not everyone got through in {self.config.hard_timeout}s")
            self.stop.set()
            for task in (*drivers, killer, filler, *helpers):
                task.cancel()
            await asyncio.gather(*drivers, killer, filler, *helpers, return_exceptions=True)
            self.api.withdraw_all()
            await asyncio.to_thread(self._free_disk)
            if self.process is None or self.process.returncode is not None:
                await self.start_bot()
            await self.resume_check(report)
            await self.settle(report)
            await self.stop_bot()
            self.verify(report)
        finally:
            await self.stop_bot()
            self.api.close()
            await self.server.stop()
            await asyncio.to_thread(self._keep_database)
            (self.workdir / "transcript.txt").write_text("\n".join(self.timeline) + "\n")
            (self.workdir / "requests.txt").write_text("\n".join(self._request_lines()) + "\n")
            report.trail = self._trail()
        report.elapsed = time.monotonic() - began
        return report

    def _trail(self, limit: int = 150) -> list[str]:
        """For the first wait in vain: the person's timeline with the kills, faults and starts,
        and what each bot process logged about the update or the chat (the work folder is gone
        once a CI run ends, so this goes into the report)."""
        if not self.silences:
            return []
        person, update_id = self.silences[0]
        marks = (str(person), "KILL", "started", "fault", "disk")
        lines = [f"transcript {t}" for t in self.timeline if any(m in t for m in marks)]
        needles = (f"update {update_id}", f"chat {person}", str(update_id))
        for log in self.logs:
            with contextlib.suppress(OSError):
                for line in log.read_text(errors="replace").splitlines():
                    if any(n in line for n in needles) or "Handling" in line:
                        lines.append(f"{log.name} {line[:300]}")
        # What the bot asked of Telegram for this person, and the polls that carried the update.
        lines += [
            f"request {line}"
            for line in self._request_lines()
            if f" {person} " in line or str(update_id) in line
        ]
        lines += self._rows_of(person)
        return lines[-limit:]

    def _rows_of(self, person: int) -> list[str]:
        """The person's debrief, conversation states and cleared buttons as the database kept
        them at the end (the copy in the work folder)."""
        queries: tuple[tuple[str, str, object], ...] = (
            ("rejections", "SELECT id, step, status, last_update_id FROM rejections"
             " WHERE user_id = ?", person),
            ("conversation_states", "SELECT name, state FROM conversation_states"
             " WHERE key LIKE ?", f"%{person}%"),
            ("cleared_buttons", "SELECT message_id, update_id FROM cleared_buttons"
             " WHERE chat_id = ?", person),
        )  # fmt: skip
        rows: list[str] = []
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(self.workdir / "soak.sqlite3")) as db,
        ):
            for table, sql, value in queries:
                rows += [f"row {table} {tuple(r)}" for r in db.execute(sql, (value,))]
        return rows

    def _request_lines(self) -> Iterable[str]:
        """Every Bot API request, one line each (for looking into a failed run)."""
        queries = {query: update for query, (update, _) in self.api._queries.items()}
        for r in self.api.requests:
            params = r.params
            detail = params.get("text") or ""
            if r.method == "answerCallbackQuery":
                detail = f"update {queries.get(str(params.get('callback_query_id')))}"
            elif "message_id" in params:
                detail = f"message {params['message_id']}"
            elif r.method == "getUpdates":
                got = (r.response or {}).get("result") or []
                detail = f"offset {params.get('offset')} -> {[u['update_id'] for u in got]}"
            yield (
                f"{r.timestamp - self.t0_wall:8.3f} {r.method} {params.get('chat_id', '')}"
                f" {r.status} {str(detail)[:70]!r}"
            )

    def _keep_database(self) -> None:
        """Copy the database out of the tmpfs into the work folder, then unmount it."""
        if self.db_path.exists():
            with (
                contextlib.suppress(sqlite3.Error),
                contextlib.closing(sqlite3.connect(self.db_path)) as src,
                contextlib.closing(sqlite3.connect(self.workdir / "soak.sqlite3")) as dest,
            ):
                src.backup(dest)
        if self.mounted:
            self._unmount()
        shutil.rmtree(self.db_dir, ignore_errors=True)

    async def resume_check(self, report: Report) -> None:
        """After the last restart: everyone is where the database says, and /resume says so."""
        waiting = [p for p in self.people if not p.finished]

        async def one(person: Person) -> None:
            rows = _rows(self.db_path, "SELECT step, status FROM rejections WHERE user_id = ?",
                         person.user.id)  # fmt: skip
            reply = await self._exchange(
                person, "/resume", send=lambda: person.user.send_command("/resume")
            )
            if reply.kind == "silent":
                report.problems.append(f"{person.user.id}: no answer to /resume")
                return
            if not rows:
                if reply.kind != "final":
                    report.problems.append(f"{person.user.id}: /resume with no debrief")
                return
            step, _ = rows[0]
            if reply.question != step:
                report.problems.append(
                    f"{person.user.id}: /resume asked {reply.question!r}, the database is at"
                    f" {step!r}"
                )
            if step != STEPS[person.depth]:  # they stopped at that question, unanswered
                report.problems.append(
                    f"{person.user.id}: left at {STEPS[person.depth]!r}, stored {step!r}"
                )

        semaphore = asyncio.Semaphore(20)

        async def limited(person: Person) -> None:
            async with semaphore:
                await one(person)

        await asyncio.gather(*(limited(p) for p in waiting))
        report.counts["resumed_at_the_stored_step"] = len(waiting)

    async def settle(self, report: Report) -> None:
        """Wait for the last process to take back any claim a kill left (its lease runs out)
        and to empty its inbox; what is left then is stranded."""
        waited_for_lease = False

        def settled() -> bool:
            nonlocal waited_for_lease
            claimed = _rows(self.db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'claimed'")
            inbox = _rows(self.db_path, "SELECT COUNT(*) FROM inbox WHERE handled = 0")
            waited_for_lease = waited_for_lease or claimed[0][0] > 0
            return claimed[0][0] == 0 and inbox[0][0] == 0

        # Looked at again whenever the bot calls the Bot API (it long-polls all along).
        with contextlib.suppress(TimeoutError):
            await self.api.wait_for(settled, timeout=LEASE.total_seconds() + 30)
        if waited_for_lease:
            report.notes.append("waited for a check-in claim's lease to run out at the end")

    # --- Checking -------------------------------------------------------------------------------

    def verify(self, report: Report) -> None:
        problems = report.problems
        db = self.db_path
        integrity = _rows(db, "PRAGMA integrity_check")
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
        checked = 0
        applied_twice = 0
        stored_wrong = 0
        labels = _label_codes(self.prompts)
        today = datetime.now(ZoneInfo("Europe/London")).date()
        for person in self.people:
            uid = person.user.id
            rejections = _rows(db, "SELECT * FROM rejections WHERE user_id = ?", uid, named=True)
            if "start" in person.acked and len(rejections) != 1:
                applied_twice += len(rejections) > 1
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
                    stored_wrong += 1
                    problems.append(f"{uid}: {step}: stored {stored!r}, acknowledged {expected!r}")
            # Whatever is stored came from this step's own answer, acknowledged or not: an answer
            # is never taken for another question (e.g. after a restart, from the inbox).
            for step in ("company", "role", "stage", "how_heard", "mood", "went_well", "lesson",
                         "goal_kind"):  # fmt: skip
                stored = _stored(db, row, step, rid, uid)
                given = labels.get(person.answers[step], person.answers[step])
                if stored is not None and str(stored) != str(given):
                    applied_twice += 1
                    problems.append(f"{uid}: {step} holds {stored!r}, which answered another step")
            moods = _rows(db, "SELECT COUNT(*) FROM moods WHERE rejection_id = ?", rid)[0][0]
            if "mood" in person.acked and moods != 1:
                applied_twice += moods > 1
                problems.append(f"{uid}: {moods} mood rows for one debrief")
            goals = _rows(db, "SELECT COUNT(*) FROM goals WHERE rejection_id = ?", rid)[0][0]
            if "goal_kind" in person.acked and goals != 1:
                applied_twice += goals > 1
                problems.append(f"{uid}: {goals} goals for one debrief")
            if person.finished and row["status"] != "completed":
                problems.append(f"{uid}: saw the plan, status {row['status']}")
            if person.checkin_acked:
                answered = _rows(
                    db, "SELECT status, answer FROM check_ins WHERE id = ?", person.checkin_id
                )
                if answered != [("answered", "done")]:
                    problems.append(f"{uid}: check-in answer stored as {answered}")
        lost = sum(p.lost_to_a_kill for p in self.people)
        silent = sum(p.never_answered for p in self.people)
        problems.extend(self.failures)
        inbox_left = _rows(db, "SELECT COUNT(*) FROM inbox WHERE handled = 0")[0][0]
        if inbox_left:
            problems.append(f"{inbox_left} updates left in the inbox after the last stop")
        self._scan_deliveries()
        report.counts.update(
            users=len(self.people),
            kills=self.kills_done,
            kills_with_a_reply_in_flight=self.inflight_kills,
            bot_starts=self.generation,
            disk_full_windows=self.disk_full_done,
        )
        for name in (*SEND_FAULTS, *POLL_FAULTS):
            report.counts[f"telegram fault hit: {name}"] = self.api.hit[name]
        report.counts.update(
            debriefs_started=_rows(db, "SELECT COUNT(*) FROM rejections")[0][0],
            debriefs_completed=sum(p.finished for p in self.people),
            answers_acknowledged=checked,
            answers_stored_wrong=stored_wrong,
            steps_applied_twice=applied_twice,
            replies_lost_to_a_kill_then_resent=lost,
            answers_never_answered=silent,
            replies_shown_twice=sum(self._repeats(p) for p in self.people),
            retried_after_a_storage_fault=sum(p.storage_retries for p in self.people),
            of_which_by_resume_the_buttons_being_gone=sum(p.storage_resumes for p in self.people),
            resumed_after_a_notice_or_a_failure=sum(p.resyncs for p in self.people),
            updates_fetched_again_unconfirmed=len(self.redelivered),
            inbox_left_at_the_end=inbox_left,
        )
        self._verify_checkins(report)
        report.counts["requests_telegram_would_refuse"] = len(self.api.violations)
        if self.api.violations:
            problems.append(f"Bot API violations: {self.api.violations[:5]}")
        self._verify_logs(report)
        report.counts["integrity_check_ok"] = int(integrity == [("ok",)])

    def _repeats(self, person: Person) -> int:
        """Questions (and check-in thanks) shown again without being asked for: the same reply
        twice, as after a kill between Telegram taking it and the inbox row being removed. A
        question asked again in answer to /resume is not a repeat."""
        seen: set[str] = set()
        repeats = 0
        actions = sorted(person.actions)
        for index, message in enumerate(person.inbox):
            what = question_of(message) or (CHECKIN_DONE if CHECKIN_DONE in message.plain_text
                                            else None)  # fmt: skip
            if what is None:
                continue
            before = [a for mark, a in actions if mark <= index]
            if before and before[-1] == "/resume":
                seen.add(what)
                continue
            repeats += what in seen
            seen.add(what)
        return repeats

    def _verify_checkins(self, report: Report) -> None:
        sends: dict[int, list[float]] = {}
        for record in self.api.calls("sendMessage"):
            if record.status != 200:
                continue
            markup = record.params.get("reply_markup")
            ids = {
                int(str(button.get("callback_data")).split(":")[1])
                for row in (markup or {}).get("inline_keyboard", [])
                for button in row
                if str(button.get("callback_data", "")).startswith("c:")
                and str(button.get("callback_data")).split(":")[2] == "a"
            }
            for cid in ids:  # a check-in's answer buttons
                sends.setdefault(cid, []).append(record.timestamp)
        due = _rows(
            self.db_path,
            "SELECT id, status FROM check_ins WHERE kind = 'goal_mid' AND due_at <= ?",
            _db_time(datetime.now(UTC)),
        )
        unsent = [cid for cid, _ in due if not sends.get(cid)]
        if unsent:
            report.problems.append(f"due check-ins never sent: {unsent[:10]}")
        # Shown twice: sent again because a kill came between its send and its record (the
        # database has one send). Every such second send must have a kill before it.
        shown_twice = {cid: times for cid, times in sends.items() if len(times) > 1}
        for cid, times in shown_twice.items():
            for first, again in itertools.pairwise(times):
                if not any(first <= kill <= again for kill in self.killed_wall):
                    report.problems.append(f"check-in {cid} sent twice without a kill between")
        # Duplicates: the database shows two sends of one check-in (two rows for one goal's
        # halfway point both sent).
        doubled = _rows(
            self.db_path,
            "SELECT goal_id, COUNT(*) FROM check_ins WHERE kind = 'goal_mid'"
            " AND message_id IS NOT NULL GROUP BY goal_id HAVING COUNT(*) > 1",
        )
        if doubled:
            report.problems.append(f"check-ins recorded as sent twice (goal, rows): {doubled}")
        stranded = _rows(self.db_path, "SELECT id FROM check_ins WHERE status = 'claimed'")
        if stranded:
            report.problems.append(f"check-in claims stranded: {[r[0] for r in stranded]}")
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
            check_ins_sent=sum(1 for cid, _ in due if sends.get(cid)),
            check_ins_shown_twice_after_a_kill=len(shown_twice),
            check_in_duplicates=len(doubled),
            claims_taken_back_after_their_lease=self._log_sum(_CLAIMS_TAKEN_BACK),
            stranded_claims=len(stranded),
            check_ins_answered=_rows(
                self.db_path,
                "SELECT COUNT(*) FROM check_ins WHERE kind = 'goal_mid' AND status = 'answered'",
            )[0][0],
            check_in_answers_acknowledged=sum(p.checkin_acked for p in self.people),
        )

    def _log_text(self) -> Iterable[tuple[Path, str]]:
        for log in self.logs:
            if log.exists():
                yield log, log.read_text(encoding="utf-8", errors="replace")

    def _log_sum(self, pattern: re.Pattern[str]) -> int:
        return sum(int(m.group(1)) for _, text in self._log_text() for m in pattern.finditer(text))

    def _verify_logs(self, report: Report) -> None:
        errors = 0
        storage = 0
        for log, text in self._log_text():
            if SECRET in text:
                report.problems.append(f"the token appears in {log.name}")
            for line in text.splitlines():
                if " ERROR " in line or "Traceback" in line:
                    errors += 1
                    report.problems.append(f"{log.name}: {line[:200]}")
                storage += any(needle in line for needle in STORAGE_LOG_LINES)
        for event in self.api.events:
            if SECRET in (event.text or "") or "Traceback" in event.plain_text:
                report.problems.append(f"exposed in a message to {event.chat_id}")
            if "something went wrong" in event.plain_text:
                report.problems.append(f"an apology for a bug sent to {event.chat_id}")
        report.counts.update(
            updates_handed_over_from_the_inbox_after_a_restart=self._log_sum(_INBOX_HANDED_OVER),
            storage_faults_logged_by_the_bot=storage,
            unavailable_notices_shown=sum(
                1 for e in self.api.events if e.event == "sent" and UNAVAILABLE in e.plain_text
            ),
            errors_logged=errors,
        )


def _button_data(message: SentMessage, label: str) -> str | None:
    for row in message.inline_keyboard:
        for button in row:
            if button.get("text") == label and "callback_data" in button:
                return str(button["callback_data"])
    return None


def _sender(update: dict[str, object]) -> int | None:
    for value in update.values():
        if isinstance(value, dict) and isinstance(value.get("from"), dict):
            return int(value["from"]["id"])
    return None


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
    codes.update({prompts.label(f"mood.m{n}"): str(n) for n in range(1, 6)})
    return codes


def _stored(db: Path, row: sqlite3.Row, step: str, rid: int, uid: int) -> object:
    """What the database holds for the answer to `step` (True: the step's effect is there)."""
    if step in ("company", "role", "stage", "how_heard", "mood", "went_well", "lesson"):
        return row[step]
    if step == "start":
        return True
    if step == "feedback_offer":  # skipped: nothing drafted, and the debrief moved past it
        return not _rows(db, "SELECT 1 FROM feedback_requests WHERE rejection_id = ?", rid)
    if step == "gaps":
        return json.loads(row["gaps"]) != []
    if step == "resource":
        return not _rows(db, "SELECT 1 FROM resource_picks WHERE rejection_id = ?", rid)
    goal = _rows(db, "SELECT kind, target, deadline FROM goals WHERE rejection_id = ?", rid)
    if step == "goal_kind":  # typed as "apply to N roles"
        return f"apply to {goal[0][1]} roles" if goal and goal[0][0] == "apply" else None
    if step == "goal_deadline":
        return goal[0][2] if goal else None
    if step == "timezone":
        return _rows(db, "SELECT timezone FROM users WHERE id = ?", uid)[0][0]
    raise AssertionError(step)


async def run_soak(config: SoakConfig) -> Report:
    """Run one soak and return its report."""
    return await Soak(config).run()
