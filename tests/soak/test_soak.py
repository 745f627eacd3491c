"""The crash-restart soak at CI size: 20 people, 4 kills of `python -m bot` (about 20 s).

The full soak (200 people, 20 kills, about two minutes) is `.venv/bin/python -m tests.soak`;
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
        think=(0.1, 0.6),
        active=20,
        seed=5,
        workdir=tmp_path,
    )
    report = await run_soak(config)
    print("\n".join(report.lines()))
    assert report.problems == []
    counts = report.counts
    assert counts["kills"] == 4
    assert counts["debriefs_completed"] >= 8
    assert counts["check_ins_due"] == counts["check_ins_sent"] >= 8
    assert counts["check_ins_answered"] >= 1
    assert counts["integrity_check_ok"] == 1
    assert report.elapsed < 60
