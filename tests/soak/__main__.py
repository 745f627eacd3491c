"""`python -m tests.soak`: the full crash-restart soak (about two minutes); prints the counts."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from tests.soak.harness import SoakConfig, run_soak


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--finishers", type=int, default=40, help="who finish and get a check-in")
    parser.add_argument("--partial-depth", type=int, default=6, help="steps the others answer")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--workdir", type=Path, help="where the database and logs go (default: a new temp folder)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="comeback-soak-"))
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    config = SoakConfig(
        users=args.users,
        finishers=min(args.finishers, args.users),
        partial_depth=args.partial_depth,
        kills=args.kills,
        seed=args.seed,
        workdir=workdir,
        progress=True,
    )
    report = asyncio.run(run_soak(config))
    print("\n".join(report.lines()))
    print(f"soak: logs and database in {workdir.resolve()}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
