"""The crash-restart soak at CI size: 20 people, 4 kills of `python -m bot` (two in the middle of
handling an update), Telegram faults every second or so (429, 5xx, slow answers) and, where a
tmpfs can be mounted, a disk-full window (about 22 s).

The full soak (200 people, 20 kills, about four minutes) is `.venv/bin/python -m tests.soak`;
see docs/reliability.md and tests/soak/harness.py for what is checked.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.soak.harness import SoakConfig, run_soak


async def test_a_small_soak_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    config = SoakConfig(
        users=20,
        finishers=8,
        kills=4,
        uptime=(1.0, 3.0),
        inflight_kill_every=2,
        think=(0.1, 0.6),
        active=20,
        reply_wait=40.0,
        retry_pause=(0.5, 1.5),
        fault_every=(0.5, 1.5),
        # A 5xx on a check-in's send costs it a minute's backoff: keep CI short.
        faults_on_checkins=False,
        disk_full_windows=1,
        disk_full_seconds=2.0,
        seed=5,
        workdir=tmp_path,
        hard_timeout=240.0,
    )
    report = await run_soak(config)
    print("\n".join(report.lines()))
    assert report.problems == []
    counts = report.counts
    assert counts["kills"] == 4
    assert counts["replies_lost_to_a_kill_then_resent"] == 0
    assert counts["answers_never_answered"] == 0
    assert counts["steps_applied_twice"] == counts["answers_stored_wrong"] == 0
    assert counts["check_in_duplicates"] == counts["stranded_claims"] == 0
    assert counts["inbox_left_at_the_end"] == 0
    # What the CI size must still exercise: a kill in the middle of handling an update (the
    # backlog is handed over from the inbox after the restart), a 429 and a 5xx.
    assert counts["kills_with_a_reply_in_flight"] >= 1
    assert counts["updates_handed_over_from_the_inbox_after_a_restart"] >= 1
    assert counts["telegram fault hit: 429 on sendMessage"] >= 1
    assert (
        counts["telegram fault hit: 500 on sendMessage"]
        + counts["telegram fault hit: 2 x 502 on sendMessage"]
        + counts["telegram fault hit: 502 on getUpdates"]
        + counts["telegram fault hit: 500 on getUpdates"]
    ) >= 1
    assert counts["debriefs_completed"] >= 8
    assert counts["check_ins_due"] == counts["check_ins_sent"] >= 8
    assert counts["check_ins_answered"] >= 1
    assert counts["integrity_check_ok"] == 1
