"""Command line: parse arguments, load settings, run. Nothing else lives here."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="comeback",
        description="Comeback: a Telegram bot that coaches you through an interview rejection.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (default); without a token, chat in the terminal")
    commands.add_parser("migrate", help="apply database migrations and exit")
    commands.add_parser("check-config", help="validate the settings and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot` and the `comeback` script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"comeback: configuration error: {exc}", file=sys.stderr)
        return 2
    command = args.command or "run"
    if command == "check-config":
        return _check_config(settings)
    if command == "migrate":
        return asyncio.run(_migrate(settings))
    return _run(settings)


def _check_config(settings: Settings) -> int:
    token = "set" if settings.token else "not set (local terminal chat)"
    print(f"comeback: configuration ok; token {token}; database {settings.database_path}")
    return 0


async def _migrate(settings: Settings) -> int:
    from bot.storage.database import Database, schema_version

    db = Database(settings.database_path)
    try:
        version = await schema_version(db)
    finally:
        await db.close()
    print(f"comeback: database {settings.database_path} is at schema version {version}")
    return 0


def _run(settings: Settings) -> int:
    from bot.logs import configure_logging

    configure_logging(settings.log_level, settings.token)
    if settings.token is None:
        print(
            "comeback: no TELEGRAM_BOT_TOKEN set: put the token from @BotFather in .env"
            " (see .env.example) to run on Telegram.",
            file=sys.stderr,
        )
        return 2
    from bot.app import build_application

    application = build_application(settings)
    application.run_polling(allowed_updates=[], drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
