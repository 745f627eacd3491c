"""Webhook workers (issue 20): throughput and reply latency with one and two `python -m bot`
workers in webhook mode on one PostgreSQL database, next to one polling process on SQLite.

    python -m benchmarks --size medium --only workers

The configurations, each on a fresh database, in one run:

* polling on SQLite, one process (what a single install runs);
* webhook on SQLite, one worker (the webhook and inbox path without PostgreSQL's cost);
* webhook on PostgreSQL, one worker;
* webhook on PostgreSQL, two workers, behind the fake Bot API acting as a round-robin load
  balancer (`api.webhook_targets`).

Each worker is `benchmarks.botproc` in its own process with the rate limiter off, as in the
conversation benchmark: with it, Telegram's ~30 messages/s (shared, 30 / workers alive) would
cap every configuration and hide what the workers cost. The load is the conversation
benchmark's (`benchmarks/conversation.py`): simulated people walk a whole debrief, each waiting
for every reply before the next action, first all at once (saturated), then pausing 1-3 s
before every action (paced). Measured per configuration: updates/s, reply latency (the update
queued in the fake to the last Bot API call answering it), bot CPU per update summed over the
worker processes (psutil), the PostgreSQL server's CPU for the bot's connections, the load
generator's CPU and how busy the machine's cores were; then the ratios two workers / one.
"""

# A load generator: waiting helpers take timeouts and poll.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import gc
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from benchmarks.common import (
    MB,
    POSTGRES,
    SQLITE,
    BenchApi,
    BenchDb,
    BotProcess,
    Usage,
    bot_env,
    fresh_db,
    server_cpu_between,
)
from benchmarks.conversation import Run, Sizes, _self_cpu, calibrate, drive
from benchmarks.scenario import variant_of
from standin.http import StandinServer

SECRET = "bench-secret_0123456789abcdefghijklmnopqrst"
PUBLIC_URL = "https://comeback.example/telegram/hook"
START_TIMEOUT = 90.0
QUIET = 0.15  # after the saturated phase: a late extra reply would be a step answered twice

Script = list[list[list[dict[str, Any]]]]


@dataclass(frozen=True)
class Config:
    """One way of running Comeback."""

    key: str  # in the JSON
    label: str  # in the table
    backend: str
    workers: int  # processes
    webhook: bool


CONFIGS = (
    Config("polling_sqlite", "polling, SQLite, 1 process", SQLITE, 1, webhook=False),
    Config("webhook_sqlite_1", "webhook, SQLite, 1 worker", SQLITE, 1, webhook=True),
    Config("webhook_postgresql_1", "webhook, PostgreSQL, 1 worker", POSTGRES, 1, webhook=True),
    Config("webhook_postgresql_2", "webhook, PostgreSQL, 2 workers", POSTGRES, 2, webhook=True),
)
ONE, TWO = "webhook_postgresql_1", "webhook_postgresql_2"
FIRST_USER = 1_000_000

SIZES = {
    "full": Sizes(users=1000, concurrency=100, warmup=20),
    "medium": Sizes(users=300, concurrency=100, warmup=20),
    "tiny": Sizes(users=20, concurrency=10, warmup=4, paced_users=10, think=(0.05, 0.15)),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Phase:
    """One load phase of one configuration, all its processes together."""

    run: Run
    processes: int
    machine_busy: float = 0.0  # share of all cores' time not idle during the phase
    machine_kernel: float = 0.0  # of which interrupts and the hypervisor's steal
    process_cpu: tuple[float, ...] = ()  # each process's CPU seconds
    transactions: int | None = None  # PostgreSQL's commits and rollbacks in the bot's database

    def metrics(self, users: int) -> dict[str, Any]:
        out = self.run.metrics() | {"users": users, "processes": self.processes}
        del out["fetch_wait_ms_p99"], out["updates_per_getupdates"]  # polling's alone
        out["bot_peak_rss_mb"] = round(self.run.peak_rss / MB, 1)  # the largest process
        out["machine_cpu_busy_share"] = round(self.machine_busy, 2)
        out["machine_cpu_irq_and_steal_share"] = round(self.machine_kernel, 2)
        # What other processes took meanwhile (other work, PostgreSQL's background processes):
        # the noise in this phase's numbers.
        ours = self.run.cpu + (self.run.db_server_cpu or 0.0) + self.run.loadgen_cpu
        cores = psutil.cpu_count() or 1
        rest = self.machine_busy - self.machine_kernel
        out["other_processes_cpu_share"] = (
            round(max(0.0, rest - ours / (cores * self.run.wall)), 2) if self.run.wall else 0.0
        )
        out["bot_cpu_share_by_process"] = [
            round(cpu / self.run.cpu, 2) if self.run.cpu else 0.0 for cpu in self.process_cpu
        ]
        out["postgresql_transactions_per_update"] = (
            round(self.transactions / self.run.updates, 1)
            if self.transactions is not None and self.run.updates
            else None
        )
        total = self.run.cpu + (self.run.db_server_cpu or 0.0)
        out["bot_and_server_cpu_s_per_1000_updates"] = (
            round(total / self.run.updates * 1000, 3) if self.run.updates else 0.0
        )
        return out


class Fleet:
    """The processes of one configuration: one polling bot, or webhook workers."""

    def __init__(self, config: Config, api: BenchApi, base_url: str, db: BenchDb, workdir: Path):
        self.config = config
        self.api = api
        self.base_url = base_url
        self.db = db
        self.workdir = workdir
        self.processes: list[BotProcess] = []
        self.ports: list[int] = []

    async def start(self) -> None:
        args = ["-m", "benchmarks.botproc", "--rate-limit", "off"]
        if not self.config.webhook:
            process = self._process(args, bot_env(self.base_url, self.db), 0)
            process.start()
            await self.api.wait_first_poll(START_TIMEOUT)
            return
        self.ports = [free_port() for _ in range(self.config.workers)]
        self.api.webhook_targets = [f"http://127.0.0.1:{p}/telegram/hook" for p in self.ports]
        # One at a time: each migrates the fresh database (under a lock, but there is no need
        # to race), and a later one waits two heartbeats at start for the others to count it.
        for n, port in enumerate(self.ports):
            env = bot_env(
                self.base_url,
                self.db,
                WEBHOOK_URL=PUBLIC_URL,
                WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                WEBHOOK_SECRET_TOKEN=SECRET,
                WORKER_ID=f"bench-worker-{n}",
            )
            self._process(args, env, n).start()

            def registered(n: int = n) -> bool:
                return len(self.api.calls("setWebhook")) > n

            await self.api.wait_for(
                registered,
                START_TIMEOUT,
                f"worker {n}'s webhook registered (log: {self.processes[n].log_path})",
            )

    def _process(self, args: list[str], env: dict[str, str], n: int) -> BotProcess:
        log = self.workdir / f"workers-{self.config.key}-{n}.log"
        process = BotProcess(args, env, self.workdir, log)
        self.processes.append(process)
        return process

    def usage(self) -> list[Usage]:
        return [p.usage() for p in self.processes]

    async def stop(self) -> list[str]:
        """Stop every process; what went wrong, if anything."""
        problems = []
        for n, process in enumerate(self.processes):
            code = await process.stop()
            if code not in (0, -15):
                problems.append(f"process {n} exited with {code}: {process.log_tail()}")
        return problems


def _busy() -> tuple[float, float, float]:
    """(busy, of which interrupts and steal, total) CPU seconds of the whole machine so far,
    every core."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    kernel = sum(getattr(times, name, 0.0) for name in ("irq", "softirq", "steal"))
    total = sum(times)
    return total - idle, kernel, total


async def _phase(
    fleet: Fleet,
    users: list[int],
    concurrency: int,
    counts: list[list[int]],
    think: tuple[float, float] | None,
) -> Phase:
    api, db = fleet.api, fleet.db
    run = Run(fleet.config.key)
    before = fleet.usage()
    server_before = db.server_cpu()
    transactions_before = _transactions(db)
    loadgen_before = _self_cpu()
    busy_before = _busy()
    # As in the conversation benchmark: the fake's history is large by now, and a full garbage
    # collection over it in this process would stall the fake and count against the bot.
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    try:
        await drive(api, users, concurrency, counts, run, think)
    finally:
        gc.unfreeze()
    run.wall = time.perf_counter() - started
    busy_after = _busy()
    after = fleet.usage()
    run.db_server_cpu = server_cpu_between(server_before, db.server_cpu())
    transactions_after = _transactions(db)
    run.loadgen_cpu = _self_cpu() - loadgen_before
    process_cpu = tuple(a.cpu - b.cpu for a, b in zip(after, before, strict=True))
    run.cpu = sum(process_cpu)
    run.other_threads_cpu = sum(
        a.other_threads_cpu - b.other_threads_cpu for a, b in zip(after, before, strict=True)
    )
    run.peak_rss = max(a.peak_rss for a in after)
    busy, kernel, total = (a - b for a, b in zip(busy_after, busy_before, strict=True))
    transactions = (
        transactions_after - transactions_before
        if transactions_after is not None and transactions_before is not None
        else None
    )
    return Phase(
        run,
        len(fleet.processes),
        machine_busy=busy / total if total else 0.0,
        machine_kernel=kernel / total if total else 0.0,
        process_cpu=process_cpu,
        transactions=transactions,
    )


def _transactions(db: BenchDb) -> int | None:
    """PostgreSQL's committed and rolled back transactions in the bot's database so far (every
    statement outside a transaction is one; the server publishes the counts within about a
    second); None on SQLite."""
    if db.backend != POSTGRES:
        return None
    rows = db.rows(
        "SELECT xact_commit + xact_rollback FROM pg_stat_database"
        " WHERE datname = current_database()"
    )
    return int(rows[0][0])


async def measure(
    config: Config, workdir: Path, sizes: Sizes, first_user: int, script: Script | None
) -> tuple[Phase, Phase, Script]:
    """Start one configuration on a fresh database, (calibrate,) warm it up, measure at full
    speed, then paced; stop it."""
    with fresh_db(config.backend, workdir, f"workers-{config.key}") as db:
        api = BenchApi()
        server = StandinServer(api)
        await server.start()
        fleet = Fleet(config, api, server.base_url, db, workdir)
        problems: list[str] = []
        try:
            await fleet.start()
            if script is None:
                script = await calibrate(api, first_user)
            counts = [[len(step) for step in steps] for steps in script]
            warmup = list(range(first_user + 10, first_user + 10 + sizes.warmup))
            await drive(api, warmup, 10, counts, None)
            users = list(range(first_user + 1000, first_user + 1000 + sizes.users))
            saturated = await _phase(fleet, users, sizes.concurrency, counts, None)
            await asyncio.sleep(QUIET)
            totals = [sum(c) for c in counts]
            for user_id in users:
                got = len(api.by_chat[user_id])
                if got != totals[variant_of(user_id)] and len(problems) < 50:
                    problems.append(
                        f"user {user_id}: {got} calls, wanted {totals[variant_of(user_id)]}"
                    )
            paced_users = list(range(first_user + 5000, first_user + 5000 + sizes.paced_users))
            paced = await _phase(fleet, paced_users, sizes.paced_users, counts, sizes.think)
            left = await _drained(db)
            if left:
                problems.append(f"{left} updates left in the inbox")
            if api.violations:
                problems.extend(f"Bot API violation: {v}" for v in api.violations[:10])
        finally:
            problems += await fleet.stop()
            await server.stop()
            api.close()
        saturated.run.errors += problems
    assert script is not None
    return saturated, paced, script


async def _drained(db: BenchDb, timeout: float = 30.0) -> int:
    """Wait for every update to be handled and cleared from the inbox; how many are left."""
    deadline = time.monotonic() + timeout
    while True:
        left = int(db.rows("SELECT COUNT(*) FROM inbox WHERE handled = 0")[0][0])
        if not left or time.monotonic() > deadline:
            return left
        await asyncio.sleep(0.1)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


async def run(
    size: str, workdir: Path, backends: tuple[str, ...] = (SQLITE, POSTGRES)
) -> dict[str, Any]:
    """Every configuration whose backend was chosen, one after another, in one run."""
    sizes = SIZES.get(size, SIZES["tiny"])
    configs = [c for c in CONFIGS if c.backend in backends]
    script: Script | None = None
    results: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for config in configs:
        # The same people in every configuration (each has a database and a fake of its own):
        # the same scripts and the same pauses, so the paced load is the same.
        saturated, paced, script = await measure(config, workdir, sizes, FIRST_USER, script)
        results[config.key] = {
            "label": config.label,
            "backend": config.backend,
            "mode": "webhook" if config.webhook else "polling",
            "workers": config.workers,
            "saturated": saturated.metrics(sizes.users),
            "paced": paced.metrics(sizes.paced_users),
        }
        errors += [f"[{config.key}] {e}" for phase in (saturated, paced) for e in phase.run.errors]
    ratios: dict[str, Any] = {}
    if ONE in results and TWO in results:
        for phase in ("saturated", "paced"):
            one, two = results[ONE][phase], results[TWO][phase]
            ratios[phase] = {
                key: _ratio(two[key], one[key])
                for key in (
                    "updates_per_s",
                    "latency_ms_p50",
                    "latency_ms_p99",
                    "bot_cpu_s_per_1000_updates",
                    "bot_and_server_cpu_s_per_1000_updates",
                    "postgresql_transactions_per_update",
                )
            }
    return {
        "users": sizes.users,
        "concurrency": sizes.concurrency,
        "paced_users": sizes.paced_users,
        "think_s": list(sizes.think),
        "rate_limiter": "off (every configuration)",
        "backends": list(backends),
        "configurations": results,
        "two_workers_over_one": ratios,
        "errors": errors[:50],
    }
