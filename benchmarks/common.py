"""What every benchmark shares: the instrumented fake Bot API, the bot-under-test process and
its database on either backend.

The load generator and the fake Bot API (`StandinServer`, loopback HTTP) live in the benchmark
process; the bot under test runs in a separate process, so the CPU time and memory measured for
it (psutil) are the bot's alone. Its database is a SQLite file in the work folder or, on
PostgreSQL, a database of its own on the server of `BENCH_POSTGRES_URL`
(`comeback_bench_<random>`, created for one bot run and dropped afterwards).
"""

# A load generator: waiting helpers take timeouts, poll, and touch files between phases.
# ruff: noqa: ASYNC109, ASYNC110

from __future__ import annotations

import asyncio
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg

from bot.app import stop_running
from bot.config import Settings, load_settings
from bot.services import CoachApplication
from bot.storage.postgres import bind, conninfo, translate
from standin import FakeBotApi, SentMessage, UploadedFile

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654321:AAComebackBenchTokenComebackBenchTok0"
SAMPLES = 8


@dataclass
class Call:
    """One Bot API request the bot made, attributed to a chat."""

    t: float  # time.perf_counter() when the request reached the fake
    method: str
    status: int = 0
    text: str | None = None  # what the user reads, for sent messages


@dataclass
class Tracker:
    """Waits for a chat to reach a number of requests."""

    count: int
    future: asyncio.Future[None]


class BenchApi(FakeBotApi):
    """The spec-checking fake Telegram, plus per-chat request logs the load generator waits on.

    `lean=True` keeps no copies of what was sent (for 100,000-message runs); the checks against
    the Bot API spec still run on every request.
    """

    def __init__(self, token: str = TOKEN, *, lean: bool = False, **kwargs: Any) -> None:
        super().__init__(token, **kwargs)
        self.lean = lean
        self.by_chat: dict[int, list[Call]] = defaultdict(list)
        self.sends: list[tuple[float, int, int]] = []  # (time.time(), chat_id, status)
        self.first_poll: float | None = None  # time.time() of the first getUpdates
        self.samples: list[dict[str, Any]] = []  # the first messages sent, as sent
        self.polls = 0  # getUpdates calls that returned updates
        self.polled = 0  # updates they returned
        self.picked: dict[int, float] = {}  # chat -> perf_counter() its last update was fetched
        self._trackers: dict[int, list[Tracker]] = defaultdict(list)
        self._first_poll_event = asyncio.Event()

    async def call(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, bytes | UploadedFile] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer as the fake does, and log the request under its chat."""
        arrived = time.perf_counter()
        if method == "getUpdates":
            if self.first_poll is None:
                self.first_poll = time.time()
                self._first_poll_event.set()
            status, body = await super().call(method, params, files)
            if body.get("result"):
                self.polls += 1
                self.polled += len(body["result"])
                fetched = time.perf_counter()
                for update in body["result"]:
                    chat = _update_chat(update)
                    if chat is not None:
                        self.picked[chat] = fetched
            return status, body
        status, body = await super().call(method, params, files)
        if method == "sendMessage":
            self.sends.append((time.time(), _int(params.get("chat_id")), status))
            if status == 200 and len(self.samples) < SAMPLES and self.requests:
                self.samples.append(self.requests[-1].params)
        if self.lean:
            self.requests.clear()
        chat = self._chat_of(method, params)
        if chat is None:
            return status, body
        text = None
        result = body.get("result")
        if isinstance(result, dict):
            text = result.get("text") or result.get("caption")
        calls = self.by_chat[chat]
        calls.append(Call(arrived, method, status, text))
        trackers = self._trackers.get(chat)
        if trackers:
            for tracker in [t for t in trackers if len(calls) >= t.count]:
                trackers.remove(tracker)
                if not tracker.future.done():
                    tracker.future.set_result(None)
        return status, body

    def _record_event(self, message: SentMessage, event: str) -> None:
        if not self.lean:
            super()._record_event(message, event)

    def _new_sent(self, method: str, chat: Any, params: Any, **fields: Any) -> SentMessage:
        sent = super()._new_sent(method, chat, params, **fields)
        if self.lean:
            # Forget the message body; the chat keeps counting message ids.
            self._messages.get(sent.chat_id, {}).pop(sent.message_id, None)
        return sent

    def _chat_of(self, method: str, params: Mapping[str, Any]) -> int | None:
        if "chat_id" in params:
            return _int(params["chat_id"])
        query = params.get("callback_query_id")
        if query is not None and str(query) in self._queries:
            return self._queries[str(query)][1]
        return None

    async def wait_calls(self, chat: int, count: int, timeout: float) -> None:
        """Wait until `count` requests of this chat have arrived."""
        if len(self.by_chat[chat]) >= count:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        tracker = Tracker(count, future)
        self._trackers[chat].append(tracker)
        try:
            await asyncio.wait_for(future, timeout)
        finally:
            if tracker in self._trackers[chat]:
                self._trackers[chat].remove(tracker)

    async def wait_first_poll(self, timeout: float) -> float:
        """Wait for the bot's first getUpdates; returns its time.time()."""
        await asyncio.wait_for(self._first_poll_event.wait(), timeout)
        assert self.first_poll is not None
        return self.first_poll


def _update_chat(update: Mapping[str, Any]) -> int | None:
    message = update.get("message") or update.get("callback_query", {}).get("message")
    if isinstance(message, Mapping):
        return _int(message["chat"]["id"])
    return None


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


# --- The bot's database, on either backend ----------------------------------------------------

SQLITE = "sqlite"
POSTGRES = "postgresql"
BACKENDS = (SQLITE, POSTGRES)
LABELS = {SQLITE: "SQLite", POSTGRES: "PostgreSQL"}
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB_PREFIX = "comeback_bench_"
LOCAL_HOSTS = (None, "", "localhost", "127.0.0.1", "::1")  # None: a Unix socket


def postgres_server() -> str:
    """The PostgreSQL server the benchmarks create their databases on (`BENCH_POSTGRES_URL`)."""
    return os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def postgres_problem(url: str) -> str | None:
    """None if the server of `url` answers, else why not (one line)."""
    try:
        with psycopg.connect(conninfo(url), connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        text = str(exc).strip()
        return text.splitlines()[0] if text else type(exc).__name__
    return None


@dataclass(frozen=True)
class BenchDb:
    """One bot run's database: a SQLite file, or a PostgreSQL database of its own.

    Reads go straight to it by a connection of the benchmark's own, with statements written as
    the repositories write them (SQLite's `?`), translated for PostgreSQL as the bot does.
    """

    backend: str
    target: Path | str  # the SQLite file, or the PostgreSQL database's URL

    @property
    def url(self) -> str:
        """DATABASE_URL of the bot under test."""
        if self.backend == POSTGRES:
            return str(self.target)
        return f"sqlite:///{self.target}"

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """The rows of a query, read straight from the database."""
        if self.backend == POSTGRES:
            translated = translate(sql)
            with psycopg.connect(conninfo(str(self.target)), autocommit=True) as conn:
                cur = psycopg.ClientCursor(conn)
                cur.execute(translated.sql, bind(translated, params) if params else None)
                return [tuple(r) for r in cur.fetchall()] if cur.description else []
        with sqlite3.connect(self.target) as conn:
            return list(conn.execute(sql, params))

    def server_cpu(self) -> dict[int, float] | None:
        """CPU seconds so far (user + system) of each PostgreSQL server process serving this
        database (the backends of the bot's pooled connections), by pid; None on SQLite (its
        work runs in the bot's own process) or when the server is not on this machine."""
        if self.backend != POSTGRES or urlsplit(str(self.target)).hostname not in LOCAL_HOSTS:
            return None
        found: dict[int, float] = {}
        for (pid,) in self.rows(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ):
            try:
                process = psutil.Process(int(pid))
                if "postgres" not in process.name():
                    continue
                times = process.cpu_times()
            except psutil.Error:
                continue
            found[int(pid)] = times.user + times.system
        return found

    def size_mb(self) -> float:
        """What the database takes on disk (SQLite: the file and its WAL; PostgreSQL:
        `pg_database_size`)."""
        if self.backend == POSTGRES:
            return int(self.rows("SELECT pg_database_size(current_database())")[0][0]) / MB
        path = Path(self.target)
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / MB


def server_cpu_between(
    before: dict[int, float] | None, after: dict[int, float] | None
) -> float | None:
    """The database server's CPU seconds between two `BenchDb.server_cpu()` readings (a
    connection opened meanwhile counts from zero; one closed meanwhile is missed)."""
    if before is None or after is None:
        return None
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _database_url(server: str, name: str) -> str:
    """`server`'s URL with its database replaced by `name` (user, host, options kept)."""
    parts = urlsplit(conninfo(server))
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def fresh_db(backend: str, workdir: Path, name: str) -> Iterator[BenchDb]:
    """An empty database for one bot run, removed afterwards: the SQLite file `name` in the work
    folder, or a new PostgreSQL database `comeback_bench_<random>` (created on the server of
    `BENCH_POSTGRES_URL` and dropped when done; no other database is touched)."""
    if backend == SQLITE:
        path = workdir / f"{name}.sqlite3"
        for old in workdir.glob(f"{name}.sqlite3*"):
            old.unlink()
        yield BenchDb(SQLITE, path)
        return
    if backend != POSTGRES:
        raise ValueError(f"unknown backend {backend!r}")
    server = postgres_server()
    database = f"{BENCH_DB_PREFIX}{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield BenchDb(POSTGRES, _database_url(server, database))
    finally:
        with psycopg.connect(conninfo(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def bot_env(base_url: str, db: BenchDb | Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process pointed at the fake and a database."""
    if isinstance(db, Path):
        db = BenchDb(SQLITE, db)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=db.url,
        DEFAULT_TIMEZONE="UTC",
        LOG_LEVEL="INFO",
        HELPLINE_COUNTRIES="US,GB",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


@dataclass
class Usage:
    """CPU seconds (user + system) and memory of a process at one moment."""

    cpu: float
    rss: int
    peak_rss: int
    other_threads_cpu: float = 0.0  # aiosqlite's thread (the database work), and any other


@dataclass
class BotProcess:
    """A bot (Comeback or the floor) running in its own process."""

    args: Sequence[str]
    env: Mapping[str, str]
    workdir: Path
    log_path: Path
    started: float = 0.0  # time.time() just before the process was created
    proc: subprocess.Popen[bytes] | None = None
    _ps: psutil.Process | None = field(default=None, repr=False)
    _log: Any = field(default=None, repr=False)

    def start(self) -> BotProcess:
        self._log = self.log_path.open("wb")
        self.started = time.time()
        self.proc = subprocess.Popen(
            [sys.executable, *self.args],
            env=dict(self.env),
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._ps = psutil.Process(self.proc.pid)
        return self

    def usage(self) -> Usage:
        """CPU time so far, current and peak resident memory."""
        assert self._ps is not None
        times = self._ps.cpu_times()
        rss = self._ps.memory_info().rss
        others = sum(
            t.user_time + t.system_time for t in self._ps.threads() if t.id != self._ps.pid
        )
        return Usage(times.user + times.system, rss, max(rss, _peak_rss(self._ps.pid)), others)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM (a clean shutdown), then SIGKILL if it hangs; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
        code = self.proc.wait()
        if self._log is not None:
            self._log.close()
        return code

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _peak_rss(pid: int) -> int:
    """The process's high-water mark of resident memory (Linux VmHWM), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def max_in_window(times: Sequence[float], window: float = 1.0) -> int:
    """The largest number of events in any half-open interval [t, t + window)."""
    ordered = sorted(times)
    best = start = 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - window:
            start += 1
        best = max(best, end - start + 1)
    return best


MB = 1024 * 1024


@asynccontextmanager
async def polling(app: CoachApplication) -> AsyncIterator[CoachApplication]:
    """Run an Application built in this process as `python -m bot` runs it (long polling from
    the fake), and stop it afterwards (benchmarks that move the bot's clock or count its
    statements need it in their own process)."""
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        yield app
    finally:
        await stop_running(app)


def in_process_settings(base_url: str, database: Path) -> Settings:
    """The settings of a bot run in this process against the fake at `base_url`, on a SQLite
    file (the statements and peak-hour benchmarks)."""
    return load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=base_url,
        database_url=f"sqlite:///{database}",
        default_timezone="UTC",
    )
