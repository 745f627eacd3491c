"""The benchmarks run end to end at their tiny size and report every metric.

Not a timed test: no threshold is asserted (the machine is shared); the numbers that matter
come from `python -m benchmarks --size full`, see benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN_METRICS = {
    "updates", "updates_per_s", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99",
    "bot_cpu_s_per_1000_updates", "bot_peak_rss_mb", "order_errors", "fetch_wait_ms_p99",
}  # fmt: skip
FANOUT_METRICS = {
    "users", "sent", "checkins_per_s", "max_sends_in_any_1s", "bot_cpu_ms_per_checkin",
    "bot_peak_rss_mb", "errors",
}  # fmt: skip
AT_REST_METRICS = {"users", "pending_checkins", "start_to_ready_s", "rss_mb", "peak_rss_mb"}
FLOOD_METRICS = {
    "users", "steps", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "latency_ms_max",
    "probe_ms_p99", "probe_ms_max", "flood_replies", "slow_down_notices", "crisis_answered",
    "group_replies", "bot_peak_rss_mb", "errors",
}  # fmt: skip


def test_every_benchmark_runs_at_tiny_size_and_reports_every_metric(tmp_path: Path) -> None:
    output = tmp_path / "latest.json"
    stalls = tmp_path / "stalls"
    stalls.mkdir()
    # With the stall watch on (benchmarks/stalls.py), as when tracing a latency tail.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_STALLS": str(stalls)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "tiny", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results["machine"]) >= {"nproc", "cpu", "python"}

    conversation = results["conversation"]
    for run in (conversation["comeback"], conversation["floor"]):
        assert set(run) >= RUN_METRICS, RUN_METRICS - set(run)
        assert run["updates"] > 0
    for run in (conversation["paced"]["comeback"], conversation["paced"]["floor"]):
        assert set(run) >= RUN_METRICS
    assert set(conversation["ratios"]) >= {"cpu_per_update_vs_floor", "throughput_vs_floor"}
    assert conversation["errors"] == []  # every reply arrived, in order, per user

    fanout = results["fanout"]
    for part in ("limiter_off", "floor", "limiter_on"):
        assert set(fanout[part]) >= FANOUT_METRICS, FANOUT_METRICS - set(fanout[part])
        assert fanout[part]["errors"] == []
    assert fanout["limiter_off"]["sent_exactly_once"] and fanout["limiter_on"]["sent_exactly_once"]

    atrest = results["atrest"]
    for part in ("small", "large"):
        assert set(atrest[part]) >= AT_REST_METRICS
    assert "rss_growth_mb" in atrest

    # Fair processing (issue 15): the flood over the backlog cap got one notice, the crisis line
    # sent far beyond the cap was still answered, the group's repeated /help were throttled,
    # and every other user finished their debrief.
    flood = results["flood"]
    assert set(flood) >= FLOOD_METRICS, FLOOD_METRICS - set(flood)
    assert flood["errors"] == []
    assert flood["slow_down_notices"] == 1 and flood["crisis_answered"]
    assert flood["flood_replies"] < flood["flood_messages"]
    assert 1 <= flood["group_replies"] <= 3 < flood["group_commands"]
    assert flood["steps"] > 0
    assert results["targets"]  # evaluated, whatever the outcome at this size
    assert "| benchmark | metric |" in done.stdout

    # Each bot process and the load generator watched their event loops; the paced phase's
    # slow updates were listed (possibly none).
    for pattern in ("stalls-comeback-*", "stalls-floor-*", "stalls-loadgen-comeback-*"):
        assert list(stalls.glob(pattern)), pattern
    for slow in stalls.glob("slow-*.json"):
        assert isinstance(json.loads(slow.read_text(encoding="utf-8")), list)
    assert list(stalls.glob("slow-comeback-*.json"))


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
