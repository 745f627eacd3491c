"""Run every benchmark: `python -m benchmarks [--size tiny|medium|full] [--only NAME ...]
[--backend sqlite|postgresql|both]`.

Prints a table and writes benchmarks/results/latest.json (or --output). The conversation, fan-out
and at-rest benchmarks run on each backend chosen (default: both when the PostgreSQL server of
`BENCH_POSTGRES_URL` answers, else SQLite alone, saying so); the flood runs on SQLite only; the
workers benchmark runs its SQLite configurations and, with PostgreSQL, its webhook workers.
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

import psycopg

from benchmarks import atrest, conversation, fanout, flood, workers
from benchmarks.common import BACKENDS, POSTGRES, SQLITE, postgres_problem, postgres_server
from benchmarks.report import table, targets
from bot.config import display_url
from bot.storage.postgres import conninfo

RESULTS = Path(__file__).resolve().parent / "results"
NAMES = ("conversation", "fanout", "atrest", "flood", "workers")


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
        "command": f"python -m benchmarks --size {args.size} --backend {args.backend}"
        + (f" --only {' '.join(args.only)}" if args.only else ""),
        "backends": list(args.backends),
    }
    if POSTGRES in args.backends:
        results["postgresql_server"] = _server_info(postgres_server())
    selected = args.only or list(NAMES)
    backends: tuple[str, ...] = args.backends
    for name in NAMES:
        if name not in selected:
            continue
        if name == "flood" and SQLITE not in backends:
            print("[benchmarks] flood runs on SQLite only: skipped", file=sys.stderr, flush=True)
            continue
        began = time.perf_counter()
        on = "sqlite" if name == "flood" else ", ".join(backends)
        print(f"[benchmarks] {name} ({args.size}; {on}) ...", file=sys.stderr, flush=True)
        if name == "conversation":
            results[name] = await conversation.run(
                args.size, workdir, args.profile, backends=backends
            )
        elif name == "fanout":
            results[name] = await fanout.run(args.size, workdir, backends)
        elif name == "flood":
            results[name] = await flood.run(args.size, workdir)
        elif name == "workers":
            results[name] = await workers.run(args.size, workdir, backends)
        else:
            results[name] = await atrest.run(args.size, workdir, backends)
        results[name]["seconds"] = round(time.perf_counter() - began, 1)
    return results


def _server_info(url: str) -> dict[str, Any]:
    """Which PostgreSQL server the numbers were measured on (its URL without a password)."""
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        version = conn.info.server_version
    return {"url": display_url(url), "version": f"{version // 10000}.{version % 10000}"}


def choose_backends(asked: str) -> tuple[str, ...]:
    """The backends to run on; exits with code 2 and one line when PostgreSQL was asked for
    and its server does not answer."""
    if asked == SQLITE:
        return (SQLITE,)
    url = postgres_server()
    problem = postgres_problem(url)
    if problem is None:
        return BACKENDS if asked in ("both", "auto") else (POSTGRES,)
    if asked == "auto":
        print(
            f"[benchmarks] note: no PostgreSQL at {display_url(url)} ({problem});"
            " running on SQLite only (set BENCH_POSTGRES_URL, or --backend sqlite to silence)",
            file=sys.stderr,
            flush=True,
        )
        return (SQLITE,)
    print(
        f"benchmarks: --backend {asked}: no PostgreSQL at {display_url(url)} ({problem})",
        file=sys.stderr,
    )
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--size",
        choices=("tiny", "medium", "full"),
        default="full",
        help="full: the sizes of benchmarks/README.md; medium: the conversation with 300 users in"
        " one round, the fan-out with 20,000 check-ins, at rest with 100,000 users (full:"
        " 1,000,000); tiny: what CI runs",
    )
    parser.add_argument("--only", nargs="+", choices=NAMES)
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--profile", type=Path, help="run Comeback under pyinstrument in the conversation benchmark"
    )
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql", "both", "auto"),
        default="auto",
        help="the bot's database: auto (the default) is both when the PostgreSQL server of"
        " BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) answers,"
        " else sqlite; each PostgreSQL run gets a database of its own, dropped afterwards",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, DBs)")
    args = parser.parse_args(argv)
    args.backends = choose_backends(args.backend)
    if args.backend == "auto":
        args.backend = "both" if len(args.backends) == 2 else SQLITE
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
