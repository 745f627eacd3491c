"""The benchmarks run end to end at their tiny size and report every metric, on SQLite and, beside
it, on PostgreSQL (the conversation, fan-out and at-rest benchmarks; the flood is SQLite's alone;
the workers benchmark's webhook workers on PostgreSQL beside its SQLite configurations).

Not a timed test: no threshold is asserted (the machine is shared); the numbers that matter
come from `python -m benchmarks --size full`, see benchmarks/README.md. The PostgreSQL server is
found as the other tests find it (tests/kit/pg.py); without one the PostgreSQL part is skipped
with the reason, or fails under REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.kit import pg

ROOT = Path(__file__).resolve().parent.parent

RUN_METRICS = {
    "updates", "updates_per_s", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99",
    "bot_cpu_s_per_1000_updates", "bot_peak_rss_mb", "order_errors", "fetch_wait_ms_p99",
}  # fmt: skip
FANOUT_METRICS = {
    "users", "sent", "checkins_per_s", "max_sends_in_any_1s", "bot_cpu_ms_per_checkin",
    "bot_peak_rss_mb", "errors",
}  # fmt: skip
AT_REST_METRICS = {
    "users", "pending_checkins", "start_to_ready_s", "rss_mb", "peak_rss_mb", "database_mb",
}  # fmt: skip
FLOOD_METRICS = {
    "users", "steps", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "latency_ms_max",
    "probe_ms_p99", "probe_ms_max", "flood_replies", "slow_down_notices", "crisis_answered",
    "group_replies", "bot_peak_rss_mb", "errors",
}  # fmt: skip
WORKERS_METRICS = {
    "updates", "updates_per_s", "latency_ms_p50", "latency_ms_p99", "bot_cpu_s_per_1000_updates",
    "bot_and_server_cpu_s_per_1000_updates", "bot_cpu_share_by_process", "processes",
    "machine_cpu_busy_share", "other_processes_cpu_share", "loadgen_cpu_share", "order_errors",
}  # fmt: skip


@dataclass
class Tiny:
    """One run of `python -m benchmarks --size tiny` for the whole module."""

    results: dict[str, Any]
    stdout: str
    stalls: Path
    postgres: str | None  # the server's URL, or None
    no_postgres: str  # why there is none


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Tiny:
    folder = tmp_path_factory.mktemp("bench")
    output = folder / "latest.json"
    stalls = folder / "stalls"
    stalls.mkdir()
    # With the stall watch on (benchmarks/stalls.py), as when tracing a latency tail.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_STALLS": str(stalls)}
    postgres: str | None = None
    why = ""
    try:
        postgres = pg.server_url()
    except pg.NoPostgres as exc:
        why = str(exc)
    if postgres is not None:
        env["BENCH_POSTGRES_URL"] = postgres
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--size",
            "tiny",
            "--backend",
            "both" if postgres else "sqlite",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=480,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    return Tiny(results, done.stdout, stalls, postgres, why)


def _backend_ran(results: dict[str, Any], backend: str) -> None:
    """The conversation, fan-out and at-rest benchmarks reported every metric on `backend`."""
    conversation = results["conversation"]
    assert backend in conversation["backends"]
    for run in (conversation["comeback"][backend], conversation["paced"]["comeback"][backend]):
        assert set(run) >= RUN_METRICS, RUN_METRICS - set(run)
        assert run["updates"] > 0
    assert set(conversation["ratios"][backend]) >= {
        "cpu_per_update_vs_floor",
        "throughput_vs_floor",
    }
    for each in conversation["all_rounds"]:
        assert backend in each["comeback"] and backend in each["comeback_paced"]

    fanout = results["fanout"][backend]
    for part in ("limiter_off", "limiter_on"):
        assert set(fanout[part]) >= FANOUT_METRICS, FANOUT_METRICS - set(fanout[part])
        assert fanout[part]["errors"] == []
        assert fanout[part]["sent_exactly_once"]
        assert fanout[part]["final_states"] == {"sent": fanout[part]["users"]}
    assert "throughput_vs_floor" in fanout

    atrest = results["atrest"][backend]
    for part in ("small", "large"):
        assert set(atrest[part]) >= AT_REST_METRICS
        assert atrest[part]["database_mb"] > 0
    assert "rss_growth_mb" in atrest


def test_every_benchmark_runs_at_tiny_size_and_reports_every_metric(tiny: Tiny) -> None:
    results = tiny.results
    assert set(results["machine"]) >= {"nproc", "cpu", "python"}
    _backend_ran(results, "sqlite")

    conversation = results["conversation"]
    for run in (conversation["floor"], conversation["paced"]["floor"]):
        assert set(run) >= RUN_METRICS
        assert run["updates"] > 0
    assert conversation["errors"] == []  # every reply arrived, in order, per user, per backend

    fanout = results["fanout"]
    assert set(fanout["floor"]) >= FANOUT_METRICS, FANOUT_METRICS - set(fanout["floor"])
    assert fanout["floor"]["errors"] == []

    # Fair processing (issue 15): the flood over the backlog cap got one notice, the crisis line
    # sent far beyond the cap was still answered, the group's repeated /help were throttled,
    # and every other user finished their debrief. It runs on SQLite alone.
    flood = results["flood"]
    assert set(flood) >= FLOOD_METRICS, FLOOD_METRICS - set(flood)
    assert flood["backend"] == "sqlite"
    assert flood["errors"] == []
    assert flood["slow_down_notices"] == 1 and flood["crisis_answered"]
    assert flood["flood_replies"] < flood["flood_messages"]
    assert 1 <= flood["group_replies"] <= 3 < flood["group_commands"]
    assert flood["steps"] > 0
    assert results["targets"]  # evaluated, whatever the outcome at this size
    assert "| benchmark | metric | Comeback on SQLite |" in tiny.stdout

    # Issue 20: one polling process and one webhook worker on SQLite answered every step in
    # order, and left nothing in the inbox.
    workers = results["workers"]
    assert workers["errors"] == []
    for key in ("polling_sqlite", "webhook_sqlite_1"):
        _workers_ran(workers["configurations"][key], processes=1)
    assert "| webhook, SQLite, 1 worker | saturated |" in tiny.stdout

    # Each bot process and the load generator watched their event loops; the paced phase's
    # slow updates were listed (possibly none).
    for pattern in ("stalls-comeback-*", "stalls-floor-*", "stalls-loadgen-comeback-*"):
        assert list(tiny.stalls.glob(pattern)), pattern
    for slow in tiny.stalls.glob("slow-*.json"):
        assert isinstance(json.loads(slow.read_text(encoding="utf-8")), list)
    assert list(tiny.stalls.glob("slow-comeback-*.json"))


def _workers_ran(config: dict[str, Any], processes: int) -> None:
    for phase in ("saturated", "paced"):
        run = config[phase]
        assert set(run) >= WORKERS_METRICS, WORKERS_METRICS - set(run)
        assert run["updates"] > 0 and run["order_errors"] == 0
        assert run["processes"] == processes == len(run["bot_cpu_share_by_process"])


def test_the_benchmarks_run_on_postgresql_beside_sqlite(tiny: Tiny) -> None:
    if tiny.postgres is None:
        if pg.required():
            pytest.fail(f"REQUIRE_POSTGRES is set and there is no PostgreSQL: {tiny.no_postgres}")
        pytest.skip(f"no PostgreSQL for the benchmarks: {tiny.no_postgres}")
    results = tiny.results
    assert results["backends"] == ["sqlite", "postgresql"]
    _backend_ran(results, "postgresql")
    assert results["postgresql_server"]["version"]
    # Both columns, one floor: the ratios are measured against the same floor in one run.
    assert "| Comeback on SQLite | Comeback on PostgreSQL | PTB floor |" in tiny.stdout
    assert any(name.endswith("(PostgreSQL)") for name in results["targets"])
    # One and two webhook workers on one database, and the ratios two / one.
    configurations = results["workers"]["configurations"]
    _workers_ran(configurations["webhook_postgresql_1"], processes=1)
    _workers_ran(configurations["webhook_postgresql_2"], processes=2)
    for phase in ("saturated", "paced"):
        assert configurations["webhook_postgresql_2"][phase]["postgresql_transactions_per_update"]
        ratios = results["workers"]["two_workers_over_one"][phase]
        assert ratios["updates_per_s"] and ratios["latency_ms_p99"]
    assert "| 2 workers / 1 worker (PostgreSQL) | saturated |" in tiny.stdout
    # Every database the benchmarks created was dropped; no other was touched.
    with psycopg.connect(tiny.postgres, autocommit=True) as conn:
        left = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'comeback\\_bench\\_%'"
        ).fetchall()
    assert left == []


def test_asking_for_postgresql_without_a_server_exits_2_with_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "tiny", "--backend", "postgresql"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BENCH_POSTGRES_URL": "postgresql://nobody@127.0.0.1:9/none",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no PostgreSQL at postgresql://nobody@127.0.0.1:9/none" in lines[0]


def test_an_aiosqlite_trip_and_a_direct_statement_are_both_measured(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.trips", "--count", "200"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.fullmatch(
        r"aiosqlite trip: \d+\.\d µs CPU; the statement alone: \d+\.\d µs\n", done.stdout
    ), done.stdout


def test_a_postgresql_statement_is_measured_beside_an_aiosqlite_trip() -> None:
    try:
        server = pg.server_url()
    except pg.NoPostgres as exc:
        if pg.required():
            pytest.fail(f"REQUIRE_POSTGRES is set and there is no PostgreSQL: {exc}")
        pytest.skip(f"no PostgreSQL for the benchmarks: {exc}")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.trips", "--count", "200", "--postgres"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BENCH_POSTGRES_URL": server},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.fullmatch(
        r"aiosqlite trip: .*\nPostgreSQL statement: \d+\.\d µs CPU here, (\d+\.\d|\?) µs in the"
        r" server, \d+\.\d µs wall\n",
        done.stdout,
    ), done.stdout


async def test_statements_per_update_are_counted_and_do_not_grow() -> None:
    """`python -m benchmarks.statements`: counts, not times, are checked. The bound is
    what the debrief's hot path costs today (benchmarks/README.md), with room for a few of the
    dispatcher's wake-ups; issue 22's target is 4 statements and 2 trips. Statements run on the
    event loop's thread once the file is open (bot/storage/sqlite_connection.py): no trips."""
    from benchmarks.statements import measure

    counted = (await measure(people=2)).report()
    assert counted["updates"] == 38  # the full and the short script
    assert 0 < counted["statements_per_update"] <= 10.5, counted
    assert counted["trips"] == 0, counted
    assert counted["sql_cpu_us_per_update"] > 0, counted  # timed in place, reported, not bounded
    kinds = counted["statements_by_kind_per_update"]
    # The person's row and their conversation states: one statement per update (counted under
    # its subquery's table).
    assert kinds.get("SELECT users", 0) + kinds["SELECT conversation_states"] <= 1.2, kinds
    # ... and the debrief in progress too: read on its own only for what the step itself asks
    # (a debrief by id after a write, a plan's rows).
    assert kinds.get("SELECT rejections", 0) <= 0.5, kinds
    # Storing a batch moves the watermark (the inbox's newest row); handled rows are emptied,
    # and removed behind a newer batch now and then.
    assert not any("inbox_watermark" in kind for kind in kinds), kinds
    assert kinds.get("DELETE inbox", 0) <= 0.1, kinds
    assert kinds.get("BEGIN", 0) <= 1.0, kinds


async def test_a_peak_hour_on_a_moved_clock_keeps_the_rate_the_order_and_the_nights() -> None:
    """`python -m benchmarks.peak` at its tiny size: more due than the rate sends, the limiter
    on the bot's moved clock (issue 22, target 5). Correctness, not time: every check-in is sent
    or held for the person's night, no second holds over 30, none arrives in quiet hours."""
    from benchmarks.peak import SIZES, measure

    found = (await measure(SIZES["tiny"], limit=120)).results
    assert found["people"] == SIZES["tiny"] == found["sent"] + found["held_for_quiet_hours"]
    assert found["held_for_quiet_hours"] > 0, found  # the backlog ran into Helsinki's 22:00
    assert found["held_to_their_morning"] == found["held_for_quiet_hours"], found
    assert found["messages"] == found["sent"], found
    assert found["max_sends_in_any_1s"] <= 30, found
    assert found["sent_in_quiet_hours"] == 0, found
    assert found["sent_after_one_due_over_a_minute_later"] == 0, found
    assert found["late_without_the_note"] == 0, found
    assert found["backlog_at_the_end_of_the_hour"] == SIZES["tiny"], found
