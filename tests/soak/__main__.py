"""`python -m tests.soak`: the full crash-restart soak (about four minutes); prints the counts.

200 people, 20 SIGKILLs of `python -m bot`, Telegram faults every few seconds (429, 5xx, slow
answers) and two disk-full windows (the database in a tmpfs the soak mounts: run as root, or
the windows are skipped with a note). Exit code 1 on a problem.
"""

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
    parser.add_argument("--disk-full", type=int, default=2, help="disk-full windows (0: none)")
    parser.add_argument("--no-faults", action="store_true", help="no injected Telegram faults")
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
        disk_full_windows=args.disk_full,
        faults=not args.no_faults,
        seed=args.seed,
        workdir=workdir,
        progress=True,
    )
    report = asyncio.run(run_soak(config))
    print("\n".join(report.lines()))
    print(f"soak: logs, transcript and database in {workdir.resolve()}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
