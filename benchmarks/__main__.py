"""Run every benchmark: `python -m benchmarks [--size tiny|full] [--only NAME ...]`.

Prints a table and writes benchmarks/results/latest.json (or --output).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import atrest, conversation, fanout, flood
from benchmarks.report import table, targets

RESULTS = Path(__file__).resolve().parent / "results"
NAMES = ("conversation", "fanout", "atrest", "flood")


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


async def main_async(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {
        "size": args.size,
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": f"python -m benchmarks --size {args.size}",
    }
    selected = args.only or list(NAMES)
    for name in NAMES:
        if name not in selected:
            continue
        began = time.perf_counter()
        print(f"[benchmarks] {name} ({args.size}) ...", file=sys.stderr, flush=True)
        if name == "conversation":
            results[name] = await conversation.run(args.size, workdir, args.profile)
        elif name == "fanout":
            results[name] = await fanout.run(args.size, workdir)
        elif name == "flood":
            results[name] = await flood.run(args.size, workdir)
        else:
            results[name] = await atrest.run(args.size, workdir)
        results[name]["seconds"] = round(time.perf_counter() - began, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--size", choices=("tiny", "full"), default="full")
    parser.add_argument("--only", nargs="+", choices=NAMES)
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--profile", type=Path, help="run Comeback under pyinstrument in the conversation benchmark"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DBs)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="comeback-bench-"))
    try:
        results = asyncio.run(main_async(args, workdir))
    finally:
        if not args.keep:
            for path in sorted(workdir.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            workdir.rmdir()
        else:
            print(f"[benchmarks] work folder kept: {workdir}", file=sys.stderr)
    results["targets"] = {name: ok for name, ok in targets(results)}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nJSON: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
