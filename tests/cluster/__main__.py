"""The long kill test: `python -m tests.cluster [--people 300] [--kills 20]` (needs PostgreSQL:
TEST_POSTGRES_URL, or the server at 127.0.0.1:5432)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from tests.cluster.harness import ClusterConfig, run_cluster
from tests.kit import pg


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cluster")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--checkins", type=int, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, pg.fresh_schema() as url:
        config = ClusterConfig(
            workdir=Path(folder),
            database_url=url,
            workers=args.workers,
            people=args.people,
            checkins=args.checkins,
            kills=args.kills,
            kill_every=(3.0, 6.0),
            reply_wait=120.0,
        )
        report = asyncio.run(run_cluster(config))
    print("\n".join(report.lines()))
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
