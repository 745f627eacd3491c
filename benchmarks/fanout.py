"""Benchmark 2: check-in fan-out. N users with a check-in due in the same minute.

The database is seeded directly (benchmarks/seed.py, one transaction), the fake Bot API knows
every user's private chat, then Comeback starts in its own process; its dispatcher's first run
(at start) claims and sends everything due. Measured from the fake's request log:

* limiter off (`rate_limit=False`): check-ins handed to the Bot API per second, first to last;
  beside it, the floor (benchmarks/floor_bot.py) sending the same messages (Comeback's own
  check-in texts and buttons, captured in the same run) with the same concurrency, transport
  and no database: what python-telegram-bot itself manages on this machine;
* limiter on (the production setting): the most sendMessage calls in any one-second window
  (Telegram allows about 30 a second), with a smaller N, since it takes N/30 seconds;
* every check-in ends 'sent' exactly once (the database) and every user got exactly one
  message (the fake).
"""

# A load generator: waiting helpers take timeouts, poll, and touch files between phases.
# ruff: noqa: ASYNC109, ASYNC110

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
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
    max_in_window,
    server_cpu_between,
)
from benchmarks.conversation import _start_pyspy, _stop_pyspy
from benchmarks.seed import NO_QUIET_HOURS, seed
from bot.scheduling.dispatcher import CONCURRENCY
from standin.http import StandinServer


async def _measure(
    name: str,
    args: list[str],
    workdir: Path,
    db: BenchDb,
    ids: list[int],
    timeout: float,
    **env: str,
) -> tuple[BenchApi, dict[str, Any]]:
    """Start a bot that sends each of `ids` one message; wait for them all; the measurements."""
    api = BenchApi(lean=True)
    for user_id in ids:
        api.open_private_chat(api.private_user(user_id, first_name=f"User{user_id}"))
    server = StandinServer(api)
    await server.start()
    process = BotProcess(
        args, bot_env(server.base_url, db, **env), workdir, workdir / f"{name}.log"
    )
    errors: list[str] = []
    try:
        process.start()
        await api.wait_first_poll(60)
        spy = _start_pyspy(process, workdir, name)
        ready = process.usage()
        server_ready = db.server_cpu()
        deadline = time.monotonic() + timeout
        while len(api.sends) < len(ids) and time.monotonic() < deadline and process.alive():
            await asyncio.sleep(0.05)
        done = process.usage()
        server_cpu = server_cpu_between(server_ready, db.server_cpu())
        _stop_pyspy(spy)
        await asyncio.sleep(0.5)  # anything extra would arrive now
    finally:
        code = await process.stop()
        await server.stop()
        api.close()
    if code not in (0, -15):
        errors.append(f"{name} exited with {code}: {process.log_tail()}")
    times = [t for t, _, status in api.sends if status == 200]
    per_chat = [len(api.by_chat[u]) for u in ids]
    if len(times) != len(ids):
        errors.append(f"{len(times)} messages sent of {len(ids)}")
    if any(n != 1 for n in per_chat):
        errors.append(f"{sum(1 for n in per_chat if n != 1)} users did not get exactly one")
    errors.extend(api.violations[:5])
    span = (max(times) - min(times)) if len(times) > 1 else 0.0
    cpu = done.cpu - ready.cpu
    return api, {
        "users": len(ids),
        "sent": len(times),
        "send_span_s": round(span, 2),
        "checkins_per_s": round((len(times) - 1) / span, 1) if span else 0.0,
        "ready_to_last_send_s": round(max(times) - api.first_poll, 2)
        if times and api.first_poll
        else 0.0,
        "max_sends_in_any_1s": max_in_window(times),
        "bot_cpu_s": round(cpu, 2),
        "bot_cpu_ms_per_checkin": round(cpu / max(1, len(times)) * 1000, 3),
        "bot_cpu_share_other_threads": round(
            (done.other_threads_cpu - ready.other_threads_cpu) / max(1e-9, cpu), 2
        ),
        "db_server_cpu_ms_per_checkin": round(server_cpu / max(1, len(times)) * 1000, 3)
        if server_cpu is not None
        else None,
        "bot_peak_rss_mb": round(done.peak_rss / MB, 1),
        "errors": errors,
    }


async def comeback(
    workdir: Path, users: int, rate_limit: bool, timeout: float, backend: str = SQLITE
) -> tuple[list[int], list[dict[str, Any]], dict[str, Any]]:
    """Seed a fresh database of `backend`, start Comeback, wait until every check-in went out;
    ids, messages, measurements."""
    name = f"fanout-{'on' if rate_limit else 'off'}"
    if backend != SQLITE:
        name += f"-{backend}"
    with fresh_db(backend, workdir, name) as db:
        began = time.perf_counter()
        ids = await seed(db.target, users, datetime.now(UTC), due="now", quiet=NO_QUIET_HOURS)
        seeded = time.perf_counter() - began
        args = ["-m", "benchmarks.botproc", "--rate-limit", "on" if rate_limit else "off"]
        api, result = await _measure(
            name, args, workdir, db, ids, timeout, DISPATCH_INTERVAL_SECONDS="3600"
        )
        statuses = {
            str(status): int(count)
            for status, count in db.rows("SELECT status, COUNT(*) FROM check_ins GROUP BY status")
        }
    if statuses != {"sent": users}:
        result["errors"].append(f"check-in states afterwards: {statuses}")
    result = {
        "backend": backend,
        "rate_limiter": "on" if rate_limit else "off",
        "seed_s": round(seeded, 1),
        **result,
        "final_states": statuses,
        "sent_exactly_once": not result["errors"],
    }
    return ids, api.samples, result


async def floor(
    workdir: Path, ids: list[int], messages: list[dict[str, Any]], timeout: float
) -> dict[str, Any]:
    """The floor sending the same messages to the same chats, as many at a time."""
    keep = ("text", "parse_mode", "reply_markup", "link_preview_options")
    plan = {
        "fanout": {
            "messages": [{k: m[k] for k in keep if k in m} for m in messages],
            "chats": ids,
            "concurrency": CONCURRENCY,
        }
    }
    script = workdir / "floor_fanout.json"
    script.write_text(json.dumps(plan), encoding="utf-8")
    args = ["-m", "benchmarks.floor_bot", "--script", str(script)]
    _, result = await _measure(
        "fanout-floor", args, workdir, BenchDb(SQLITE, workdir / "floor.sqlite3"), ids, timeout
    )
    return {"rate_limiter": "off", **result}


async def run(size: str, workdir: Path, backends: tuple[str, ...] = (SQLITE,)) -> dict[str, Any]:
    """On each backend: limiter off at full scale, limiter on at a scale that takes N/30 s;
    the floor once (it has no database), sending the messages of the first backend's run."""
    off_users, on_users = {"full": (100_000, 600), "medium": (20_000, 600)}.get(size, (200, 45))
    found: dict[str, Any] = {"backends": list(backends)}
    ids: list[int] = []
    messages: list[dict[str, Any]] = []
    for backend in backends:
        got_ids, got_messages, off = await comeback(
            workdir, off_users, rate_limit=False, timeout=900, backend=backend
        )
        if not ids:
            ids, messages = got_ids, got_messages
        found[backend] = {"limiter_off": off}
    base = await floor(workdir, ids, messages, timeout=900)
    found["floor"] = base
    for backend in backends:
        _, _, on = await comeback(
            workdir, on_users, rate_limit=True, timeout=on_users / 10 + 60, backend=backend
        )
        off = found[backend]["limiter_off"]
        ratio = off["checkins_per_s"] / base["checkins_per_s"] if base["checkins_per_s"] else 0.0
        found[backend] |= {"limiter_on": on, "throughput_vs_floor": round(ratio, 3)}
    return found
