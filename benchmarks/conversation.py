"""Benchmark 1: conversation throughput, Comeback against the framework floor.

N simulated users each complete a full debrief (benchmarks/scenario.py), C at a time, against
the real polling Application in its own process, over loopback HTTP to the fake Bot API.
A user sends an update, waits until every reply to it has arrived, then sends the next one.

* latency: from the update being queued in the fake to the last Bot API call answering it;
* throughput: updates / wall time of the measured phase;
* bot CPU: user + system seconds of the bot process during the measured phase;
* order: each reply must be the one its step asks for (per-chat order under concurrency).

Comeback goes first: one calibration user, step by step, records which calls each step costs
(methods and parameters). That is the per-update call mix the floor replays, and the number of
calls the load generator waits for. Both bots run without a rate limiter.
"""

# A load generator: waiting helpers take timeouts, poll, and touch files between phases.

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import (
    MB,
    SQLITE,
    BenchApi,
    BenchDb,
    BotProcess,
    bot_env,
    fresh_db,
    percentile,
    server_cpu_between,
)
from benchmarks.scenario import VARIANTS, Step, variant_of
from benchmarks.stalls import watch_from_env
from standin import FakeUser
from standin.http import StandinServer

STEP_TIMEOUT = 60.0
SLOW = 0.050  # updates slower than this are listed for tracing (BENCH_STALLS)
QUIET = 0.15  # calibration: a step is over when its chat has been quiet this long


@dataclass
class Sizes:
    users: int
    concurrency: int
    warmup: int
    paced_users: int = 100
    think: tuple[float, float] = (1.0, 3.0)  # seconds a paced user takes before each action
    # Paced users arrive over this many seconds, as people do (issue 22, target 6), in bursts.
    arrival_window: float = 60.0


BURSTS = 4  # moments within the arrival window when several people write at once
BURST_SHARE = 0.5  # of the paced users arrive in the bursts, within BURST_SPREAD of each
BURST_SPREAD = 2.0  # seconds


def arrivals(count: int, window: float, seed: int = 22) -> list[float]:
    """When each paced user starts, in seconds from the phase's start: half of them in a few
    bursts (several people within two seconds, say after a group's weekly post), the rest
    spread evenly at random over the window; sorted."""
    rng = random.Random(seed)
    in_bursts = int(count * BURST_SHARE)
    centres = [rng.uniform(0, max(0.0, window - BURST_SPREAD)) for _ in range(BURSTS)]
    starts = [
        centres[i % BURSTS] + rng.uniform(0, min(BURST_SPREAD, window)) for i in range(in_bursts)
    ]
    starts += [rng.uniform(0, window) for _ in range(count - in_bursts)]
    return sorted(starts)


@dataclass
class Run:
    """One bot's results."""

    name: str
    updates: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    other_threads_cpu: float = 0.0
    db_server_cpu: float | None = None  # PostgreSQL's backends for this bot (None on SQLite)
    peak_rss: int = 0
    latencies: list[float] = field(default_factory=list)
    fetch_waits: list[float] = field(default_factory=list)  # queued -> fetched by getUpdates
    slow: list[dict[str, float]] = field(default_factory=list)  # updates over SLOW, for tracing
    errors: list[str] = field(default_factory=list)
    loadgen_cpu: float = 0.0
    updates_per_poll: float = 0.0

    def metrics(self) -> dict[str, Any]:
        lat = self.latencies
        return {
            "users": None,
            "updates": self.updates,
            "wall_s": round(self.wall, 3),
            "updates_per_s": round(self.updates / self.wall, 1) if self.wall else 0.0,
            "latency_ms_p50": round(percentile(lat, 50) * 1000, 2),
            "latency_ms_p95": round(percentile(lat, 95) * 1000, 2),
            "latency_ms_p99": round(percentile(lat, 99) * 1000, 2),
            "latency_ms_max": round(max(lat, default=0.0) * 1000, 2),
            "fetch_wait_ms_p99": round(percentile(self.fetch_waits, 99) * 1000, 2),
            "bot_cpu_s": round(self.cpu, 3),
            "bot_cpu_s_per_1000_updates": round(self.cpu / self.updates * 1000, 3)
            if self.updates
            else 0.0,
            "bot_cpu_share_other_threads": round(self.other_threads_cpu / self.cpu, 2)
            if self.cpu
            else 0.0,
            "db_server_cpu_s_per_1000_updates": round(self.db_server_cpu / self.updates * 1000, 3)
            if self.db_server_cpu is not None and self.updates
            else None,
            "bot_peak_rss_mb": round(self.peak_rss / MB, 1),
            "loadgen_cpu_share": round(self.loadgen_cpu / self.wall, 2) if self.wall else 0.0,
            "updates_per_getupdates": round(self.updates_per_poll, 2),
            "order_errors": len(self.errors),
        }


async def _act(user: FakeUser, action: str, value: str) -> int:
    if action == "command":
        return await user.send_command(value)
    if action == "say":
        return await user.send_text(value)
    return await user.press(value)


async def calibrate(api: BenchApi, first_user_id: int) -> list[list[list[dict[str, Any]]]]:
    """Walk one user per variant through its script, slowly; return each step's calls."""
    variants: list[list[list[dict[str, Any]]]] = []
    for index, steps in enumerate(VARIANTS):
        user_id = first_user_id + index
        assert variant_of(user_id) == index
        user = api.private_user(user_id, first_name="Calibration")
        recorded: list[list[dict[str, Any]]] = []
        for action, value, expected in steps:
            since = len(api.requests)
            base = len(api.by_chat[user_id])
            await _act(user, action, value)
            await _quiet(api, user_id, base, expected)
            calls = [
                {"method": r.method, **_replayable(r.params)}
                for r in api.requests[since:]
                if r.method != "getUpdates" and api._chat_of(r.method, r.params) == user_id
            ]
            recorded.append(calls)
        variants.append(recorded)
    return variants


async def _quiet(api: BenchApi, chat: int, base: int, expected: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline:
        calls = api.by_chat[chat][base:]
        if any(expected in (c.text or "") for c in calls):
            count = len(calls)
            await asyncio.sleep(QUIET)
            if len(api.by_chat[chat][base:]) == count:
                return
        else:
            await asyncio.sleep(0.01)
    raise TimeoutError(f"calibration: no {expected!r} within {STEP_TIMEOUT}s")


def _replayable(params: dict[str, Any]) -> dict[str, Any]:
    keep = ("text", "parse_mode", "reply_markup", "link_preview_options")
    return {k: params[k] for k in keep if k in params}


async def drive(
    api: BenchApi,
    user_ids: list[int],
    concurrency: int,
    counts: list[list[int]],
    run: Run | None,
    think: tuple[float, float] | None = None,
    starts: list[float] | None = None,
) -> None:
    """Run every user through its script, `concurrency` users at a time (each pausing a random
    `think` time before each action, if given); with `starts`, each user begins at its own
    moment (seconds from now) instead, all of them running at once."""
    if starts is not None:
        began = time.perf_counter()

        async def arriving(user_id: int, at: float) -> None:
            await asyncio.sleep(max(0.0, at - (time.perf_counter() - began)))
            await _one_user(api, user_id, counts, run, think)

        await asyncio.gather(*map(arriving, user_ids, starts))
        return
    queue: asyncio.Queue[int] = asyncio.Queue()
    for user_id in user_ids:
        queue.put_nowait(user_id)

    async def worker() -> None:
        while not queue.empty():
            await _one_user(api, queue.get_nowait(), counts, run, think)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _one_user(
    api: BenchApi,
    user_id: int,
    counts: list[list[int]],
    run: Run | None,
    think: tuple[float, float] | None,
) -> None:
    user = api.private_user(user_id, first_name=f"User{user_id}")
    variant = variant_of(user_id)
    steps: list[Step] = VARIANTS[variant]
    pause = random.Random(user_id)
    for index, (action, value, expected) in enumerate(steps):
        if think is not None:
            await asyncio.sleep(pause.uniform(*think))
        base = len(api.by_chat[user_id])
        want = base + counts[variant][index]
        queued = time.perf_counter()
        try:
            await _act(user, action, value)
        except AssertionError as exc:  # the button to press is not there: out of order
            if run is not None:
                run.errors.append(f"user {user_id} step {index}: {exc}")
            return
        try:
            await api.wait_calls(user_id, want, STEP_TIMEOUT)
        except TimeoutError:
            if run is not None:
                run.errors.append(f"user {user_id} step {index}: no reply to {value!r}")
            return
        calls = api.by_chat[user_id][base:want]
        if run is None:
            continue
        run.updates += 1
        latency = calls[-1].t - queued
        run.latencies.append(latency)
        fetched = api.picked.get(user_id, queued)
        run.fetch_waits.append(max(0.0, fetched - queued))
        if latency > SLOW:
            run.slow.append(
                {
                    "at": round(time.time() - (time.perf_counter() - queued), 4),
                    "ms": round(latency * 1000, 1),
                    "fetch_ms": round((fetched - queued) * 1000, 1),
                    "user": user_id,
                    "step": index,
                }
            )
        if not any(expected in (c.text or "") for c in calls) or any(
            c.status != 200 for c in calls
        ):
            texts = [c.text for c in calls]
            run.errors.append(f"user {user_id} step {index}: wanted {expected!r}, got {texts}")


async def measure_bot(
    name: str,
    args: list[str],
    workdir: Path,
    sizes: Sizes,
    first_user: int,
    script: list[list[list[dict[str, Any]]]] | None,
    backend: str = SQLITE,
) -> tuple[Run, Run, list[list[list[dict[str, Any]]]]]:
    """Start one bot on a fresh database of `backend`, (calibrate,) warm it up, measure at full
    speed, then paced; stop it."""
    with fresh_db(backend, workdir, name) as db:
        return await _measure_bot(name, args, workdir, sizes, first_user, script, db)


async def _measure_bot(
    name: str,
    args: list[str],
    workdir: Path,
    sizes: Sizes,
    first_user: int,
    script: list[list[list[dict[str, Any]]]] | None,
    db: BenchDb,
) -> tuple[Run, Run, list[list[list[dict[str, Any]]]]]:
    api = BenchApi()
    server = StandinServer(api)
    await server.start()
    process = BotProcess(args, bot_env(server.base_url, db), workdir, workdir / f"{name}.log")
    run = Run(name)
    paced = Run(name)
    try:
        process.start()
        await api.wait_first_poll(60)
        if script is None:
            script = await calibrate(api, first_user)
        counts = [[len(step) for step in steps] for steps in script]
        await drive(
            api, list(range(first_user + 10, first_user + 10 + sizes.warmup)), 10, counts, None
        )
        users = list(range(first_user + 1000, first_user + 1000 + sizes.users))
        spy = _start_pyspy(process, workdir, name)
        before = process.usage()
        server_before = db.server_cpu()
        polls, polled = api.polls, api.polled
        loadgen_before = _self_cpu()
        started = time.perf_counter()
        await drive(api, users, sizes.concurrency, counts, run)
        run.wall = time.perf_counter() - started
        after = process.usage()
        run.db_server_cpu = server_cpu_between(server_before, db.server_cpu())
        _stop_pyspy(spy)
        run.loadgen_cpu = _self_cpu() - loadgen_before
        run.updates_per_poll = (api.polled - polled) / max(1, api.polls - polls)
        run.cpu = after.cpu - before.cpu
        run.other_threads_cpu = after.other_threads_cpu - before.other_threads_cpu
        run.peak_rss = after.peak_rss
        # Nothing more may arrive: a late extra reply would mean a step answered twice.
        await asyncio.sleep(QUIET)
        expected_total = {v: sum(c) for v, c in enumerate(counts)}
        for user_id in users:
            got = len(api.by_chat[user_id])
            if got != expected_total[variant_of(user_id)] and len(run.errors) < 50:
                run.errors.append(
                    f"user {user_id}: {got} calls, wanted {expected_total[variant_of(user_id)]}"
                )
        # Latency at a realistic load: users who take 1-3 s before each action.
        paced_users = list(range(first_user + 5000, first_user + 5000 + sizes.paced_users))
        before = process.usage()
        server_before = db.server_cpu()
        polls, polled = api.polls, api.polled
        watch = watch_from_env(f"loadgen-{name}", asyncio.get_running_loop())
        # The fake Telegram keeps every request of the run so far; a full collection over
        # that history in this process stalls the fake for up to hundreds of ms, and those
        # stalls would be counted against the bot. Frozen objects are not scanned.
        gc.collect()
        gc.freeze()
        started = time.perf_counter()
        try:
            await drive(
                api,
                paced_users,
                sizes.paced_users,
                counts,
                paced,
                sizes.think,
                arrivals(sizes.paced_users, sizes.arrival_window),
            )
        finally:
            gc.unfreeze()
        paced.wall = time.perf_counter() - started
        if watch is not None:
            watch.stop()
            slow = Path(os.environ["BENCH_STALLS"]) / f"slow-{name}-{int(time.time())}.json"
            slow.write_text(json.dumps(paced.slow), encoding="utf-8")
        after = process.usage()
        paced.db_server_cpu = server_cpu_between(server_before, db.server_cpu())
        paced.updates_per_poll = (api.polled - polled) / max(1, api.polls - polls)
        paced.cpu = after.cpu - before.cpu
        paced.other_threads_cpu = after.other_threads_cpu - before.other_threads_cpu
        paced.peak_rss = after.peak_rss
        if api.violations:
            run.errors.extend(f"Bot API violation: {v}" for v in api.violations[:10])
    finally:
        code = await process.stop(timeout=180 if "--profile" in args else 20)
        await server.stop()
        api.close()
    if code not in (0, -15):
        run.errors.append(f"{name} exited with {code}: {process.log_tail()}")
    return run, paced, script


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(
    size: str,
    workdir: Path,
    profile: Path | None = None,
    sizes: Sizes | None = None,
    backends: tuple[str, ...] = (SQLITE,),
) -> dict[str, Any]:
    """Comeback on each backend, then the floor, `rounds` times, side by side in one run."""
    if sizes is None:
        sizes = {
            "full": Sizes(users=1000, concurrency=100, warmup=20),
            "medium": Sizes(users=300, concurrency=100, warmup=20),
        }.get(size) or Sizes(
            users=20,
            concurrency=10,
            warmup=4,
            paced_users=10,
            think=(0.05, 0.15),
            arrival_window=1.0,
        )
    comeback_args = ["-m", "benchmarks.botproc", "--rate-limit", "off"]
    if profile is not None:
        comeback_args += ["--profile", str(profile)]
    rounds = 3 if size == "full" else 1
    # Per round: {backend: (run, paced)}, and the floor's (run, paced).
    comebacks: list[dict[str, tuple[Run, Run]]] = []
    floors: list[tuple[Run, Run]] = []
    script: list[list[list[dict[str, Any]]]] | None = None
    script_path = workdir / "floor_script.json"
    for round_no in range(rounds):
        this_round: dict[str, tuple[Run, Run]] = {}
        for offset, backend in enumerate(backends):
            name = "comeback" if backend == SQLITE else f"comeback-{backend}"
            first_user = 1_000_000 * offset + 100_000 * (round_no + 1)
            comeback, comeback_paced, script = await measure_bot(
                name, comeback_args, workdir, sizes, first_user, script, backend
            )
            this_round[backend] = (comeback, comeback_paced)
        comebacks.append(this_round)
        assert script is not None
        script_path.write_text(json.dumps({"variants": script}), encoding="utf-8")
        floor_args = ["-m", "benchmarks.floor_bot", "--script", str(script_path)]
        if profile is not None:
            floor_args += ["--profile", str(profile.with_name(f"floor-{profile.name}"))]
        floor, floor_paced, _ = await measure_bot(
            "floor", floor_args, workdir, sizes, 500_000 + 100_000 * round_no, script
        )
        floors.append((floor, floor_paced))
    assert script is not None
    call_mix: dict[str, int] = {}
    for steps in script:
        for step in steps:
            for call in step:
                call_mix[call["method"]] = call_mix.get(call["method"], 0) + 1
    ratios: dict[str, dict[str, Any]] = {}
    for backend in backends:
        cpu = [
            _ratio(_cpu_per_update(c[backend][0]), _cpu_per_update(f[0]))
            for c, f in zip(comebacks, floors, strict=True)
        ]
        speed = [
            _ratio(c[backend][0].updates / c[backend][0].wall, f[0].updates / f[0].wall)
            for c, f in zip(comebacks, floors, strict=True)
        ]
        ratios[backend] = {"per_round_cpu_ratio": cpu, "per_round_throughput_ratio": speed}
    # The headline is the round whose CPU ratio on the first backend is the median one (the
    # same round for every backend, so they share one floor); every round is kept.
    first = ratios[backends[0]]["per_round_cpu_ratio"]
    middle = sorted(range(rounds), key=lambda n: first[n])[(rounds - 1) // 2]
    for backend in backends:
        ratios[backend]["cpu_per_update_vs_floor"] = ratios[backend]["per_round_cpu_ratio"][middle]
        ratios[backend]["throughput_vs_floor"] = ratios[backend]["per_round_throughput_ratio"][
            middle
        ]
    floor, floor_paced = floors[middle]
    errors = [
        f"[{backend}] {e}"
        for this_round in comebacks
        for backend, pair in this_round.items()
        for r in pair
        for e in r.errors
    ] + [f"[floor] {e}" for pair in floors for r in pair for e in r.errors]
    return {
        "users": sizes.users,
        "concurrency": sizes.concurrency,
        "updates_per_user": [len(steps) for steps in script],
        "calls_per_script": call_mix,
        "rate_limiter": "off (both bots)",
        "rounds": rounds,
        "headline_round": middle + 1,
        "backends": list(backends),
        "comeback": {
            b: comebacks[middle][b][0].metrics() | {"users": sizes.users} for b in backends
        },
        "floor": floor.metrics() | {"users": sizes.users},
        "paced": {
            "users": sizes.paced_users,
            "think_s": list(sizes.think),
            "arrival_s": sizes.arrival_window,
            "comeback": {
                b: comebacks[middle][b][1].metrics() | {"users": sizes.paced_users}
                for b in backends
            },
            "floor": floor_paced.metrics() | {"users": sizes.paced_users},
        },
        "ratios": ratios,
        "all_rounds": [
            {
                "comeback": {b: pair[0].metrics() for b, pair in c.items()},
                "comeback_paced": {b: pair[1].metrics() for b, pair in c.items()},
                "floor": f.metrics(),
                "floor_paced": fp.metrics(),
            }
            for c, (f, fp) in zip(comebacks, floors, strict=True)
        ],
        "errors": errors[:50],
    }


def _cpu_per_update(run: Run) -> float:
    return run.cpu / run.updates if run.updates else 0.0


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else 0.0


def _start_pyspy(process: BotProcess, workdir: Path, name: str) -> subprocess.Popen[bytes] | None:
    """With BENCH_PYSPY=DIR: sample the bot with py-spy during the measured phase."""
    folder = os.environ.get("BENCH_PYSPY")
    if not folder or process.proc is None:
        return None
    out = Path(folder) / f"{name}-{process.proc.pid}.txt"
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(process.proc.pid),
            "--rate",
            "500",
            "--format",
            "raw",
            "--threads",
            "--nonblocking",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop_pyspy(spy: subprocess.Popen[bytes] | None) -> None:
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
