"""The bot under test: Comeback exactly as `python -m bot` runs it, with two switches.

    python -m benchmarks.botproc [--rate-limit on|off] [--profile FILE.html]

`--rate-limit off` builds the application with `rate_limit=False` (measuring the bot, not
Telegram's ~30 messages/s); `--profile` runs it under pyinstrument and writes the report when
the process is stopped with SIGTERM. Settings come from the environment, as for `python -m bot`:
with WEBHOOK_URL set it serves the webhook, as `python -m bot` does (`bot.app.run`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.botproc")
    parser.add_argument("--rate-limit", choices=("on", "off"), default="on")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument session here")
    args = parser.parse_args()

    from bot.config import load_settings
    from bot.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.token)

    from benchmarks.stalls import watch_application
    from bot.app import build_application, run

    application = build_application(settings, rate_limit=args.rate_limit == "on")
    watch_application(application, "comeback")
    run_profiled(lambda: run(application), args.profile)
    return 0


def run_profiled(run: Callable[[], object], profile: Path | None) -> None:
    """Run, under pyinstrument when `profile` is given (reports written when `run` returns)."""
    if profile is None:
        run()
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    try:
        run()
    finally:
        session = profiler.stop()
        # The session first (quick); `pyinstrument --load FILE.pyisession` renders it later.
        session.save(str(profile.with_suffix(".pyisession")))
        profile.with_suffix(".txt").write_text(
            profiler.output_text(unicode=True, show_all=False), encoding="utf-8"
        )


if __name__ == "__main__":
    sys.exit(main())
