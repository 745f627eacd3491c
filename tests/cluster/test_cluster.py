"""Three webhook workers on one PostgreSQL database, one SIGKILLed every few seconds (issue 20).

The CI size: 30 people, 150 due check-ins sent by all three at once, then 3 kills while the
people walk on (a kill among the check-ins would leave some claimed for their 2-minute lease).
`python -m tests.cluster` is the long version (300 people, 20 kills, check-ins among them); see
tests/cluster/harness.py for what is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cluster.harness import ClusterConfig, run_cluster

pytestmark = pytest.mark.postgres


async def test_three_workers_killed_in_turn_lose_nothing_and_keep_each_chat_in_order(
    tmp_path: Path, pg_url: str
) -> None:
    config = ClusterConfig(workdir=tmp_path, database_url=pg_url, kills_after_checkins=True)
    report = await run_cluster(config)
    print("\n".join(report.lines()))
    assert report.problems == []
    counts = report.counts
    assert counts["kills"] == 3
    assert counts["people who reached the last question"] == 30
    assert counts["chats out of order"] == 0
    assert counts["busiest second, messages"] <= 30
    assert counts["check ins never sent"] == 0
