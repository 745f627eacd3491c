"""Command line: parse arguments, load settings, run. Nothing else lives here."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from coaching.language import LANGUAGES

# The terminal chat's own database, apart from a real bot's (DATABASE_URL).
LOCAL_CHAT_DB = Path("comeback-local.sqlite3")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="comeback",
        description="Comeback: a Telegram bot that coaches you through an interview rejection.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (default); without a token, chat in the terminal")
    chat = commands.add_parser(
        "chat",
        help="chat with the bot in this terminal: no token, no network",
        description="The whole coach in this terminal: the same bot, talking to a local"
        " stand-in for Telegram. Type as on Telegram; a letter presses a button; :help lists"
        " the local commands (:wait 3d, :as NAME, :group, :quit...).",
    )
    chat.add_argument(
        "--db",
        type=Path,
        default=LOCAL_CHAT_DB,
        help="SQLite file of the local chat (default: %(default)s)",
    )
    chat.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="run the lines of FILE ('-' for stdin) and print the transcript",
    )
    chat.add_argument("--name", help="your first name in the chat (default: your login name)")
    chat.add_argument(
        "--language",
        choices=LANGUAGES,
        help="the chat's own lines, and the language a new local user's Telegram app reports"
        " (default: from LC_ALL, LC_MESSAGES or LANG; English if none is es or ru)",
    )
    commands.add_parser("migrate", help="apply database migrations and exit")
    commands.add_parser("check-config", help="validate the settings and exit")
    export = commands.add_parser("export", help="print everything stored about one user (JSON)")
    export.add_argument("--user", type=int, required=True, metavar="ID", help="Telegram user id")
    export.add_argument("--output", type=Path, metavar="FILE", help="write to FILE, not stdout")
    delete = commands.add_parser(
        "delete", help="erase everything stored about one user, no questions"
    )
    delete.add_argument("--user", type=int, required=True, metavar="ID", help="Telegram user id")
    backup = commands.add_parser(
        "backup", help="online backup of the database (safe while running)"
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="file (or folder) to write to")
    commands.add_parser("stats", help="aggregate counts only: no personal data")
    move = commands.add_parser(
        "migrate-data",
        help="copy a SQLite install into an empty PostgreSQL database, verified, in one go",
        description="Copies every row of a SQLite database into an empty PostgreSQL database in"
        " one transaction, and commits only when each table's row count and checksum match.",
    )
    move.add_argument(
        "--from", dest="source", required=True, metavar="URL", help="sqlite:///path/to/file"
    )
    move.add_argument(
        "--to", dest="target", required=True, metavar="URL", help="postgresql://user@host/db"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot` and the `comeback` script."""
    args = _parser().parse_args(argv)
    if args.command == "chat":
        return _chat(args.db, args.script, args.name, args.language)
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
    if command == "migrate-data":
        return asyncio.run(_migrate_data(args.source, args.target))
    if command in ("export", "delete", "backup", "stats"):
        return asyncio.run(_operate(settings, args))
    return _run(settings)


def _check_config(settings: Settings) -> int:
    if settings.token:
        print(f"comeback: configuration ok; token set; database {settings.database_path}")
    else:
        print(
            f"comeback: configuration ok; token not set, so `comeback run` opens the terminal"
            f" chat with its own database {LOCAL_CHAT_DB}; with a token: {settings.database_path}"
        )
    return 0


def _missing_database(settings: Settings) -> int | None:
    """Exit status 1 with a hint when the database file does not exist (never create one)."""
    path = settings.database_path
    if not isinstance(path, Path) or path.exists():
        return None
    print(
        f"comeback: no database at {settings.database_path}. The terminal chat keeps its own in"
        f" {LOCAL_CHAT_DB}; to use that one, set DATABASE_URL=sqlite:///{LOCAL_CHAT_DB}",
        file=sys.stderr,
    )
    return 1


def _refused(url: str, exc: Exception) -> int:
    """Exit status 2 with one line: the database cannot be used as configured."""
    from bot.config import display_url

    print(f"comeback: database {display_url(url)}: {exc}", file=sys.stderr)
    return 2


async def _migrate(settings: Settings) -> int:
    from bot.storage.connect import settings_database
    from bot.storage.database import DatabaseRefused, schema_version

    db = settings_database(settings)
    try:
        version = await schema_version(db)
    except DatabaseRefused as exc:
        return _refused(settings.database_url, exc)
    finally:
        await db.close()
    print(f"comeback: database {settings.database_path} is at schema version {version}")
    return 0


async def _migrate_data(source: str, target: str) -> int:
    from bot.config import database_path, display_url, is_postgres
    from bot.storage.connect import open_database
    from bot.storage.database import DatabaseRefused, schema_version
    from bot.storage.transfer import TransferMismatch, TransferRefused, copy_sqlite_to_postgres

    if not is_postgres(target):
        print("comeback: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    try:
        path = database_path(source)
    except ValueError as exc:
        print(f"comeback: --from: {exc}", file=sys.stderr)
        return 2
    if not isinstance(path, Path) or not path.exists():
        print(f"comeback: --from: no SQLite database at {path}", file=sys.stderr)
        return 2
    for url in (source, target):  # both at this release's schema first
        db = open_database(url)
        try:
            await schema_version(db)
        except DatabaseRefused as exc:
            return _refused(url, exc)
        finally:
            await db.close()
    try:
        copied = await asyncio.to_thread(copy_sqlite_to_postgres, path, target)
    except TransferRefused as exc:
        print(f"comeback: migrate-data refused: {exc}", file=sys.stderr)
        return 2
    except TransferMismatch as exc:
        print(f"comeback: migrate-data failed its check: {exc}", file=sys.stderr)
        return 1
    for table in copied:
        print(f"{table.name}\t{table.rows} rows\tsha256 {table.checksum}")
    rows = sum(t.rows for t in copied)
    print(
        f"comeback: copied {rows} rows in {len(copied)} tables from {path} to"
        f" {display_url(target)}; counts and checksums match",
        file=sys.stderr,
    )
    return 0


async def _operate(settings: Settings, args: argparse.Namespace) -> int:
    from bot import operator
    from bot.clock import SystemClock
    from bot.private_files import write_private
    from bot.scheduling.ratelimit import checkins_per_second
    from bot.storage import DatabaseRefused, sql_repositories
    from bot.storage.admin import BackupError, pg_backup
    from bot.storage.connect import settings_database

    missing = _missing_database(settings)
    if missing is not None:
        return missing
    print(f"comeback: database {settings.database_path}", file=sys.stderr)
    if args.command == "backup":
        try:
            if settings.on_postgres:
                report = await asyncio.to_thread(pg_backup, settings.database_url, args.path)
                outcome = operator.Outcome(
                    f"backup written by pg_dump to {report.path}: {report.size} bytes"
                    f" (restore with pg_restore --dbname=URL {report.path})",
                    report,
                )
            else:
                outcome = await operator.backup(settings.database_path, args.path)
        except BackupError as exc:
            print(f"comeback: backup failed: {exc}", file=sys.stderr)
            return 1
        print(f"comeback: {outcome.summary}")
        return 0
    db = settings_database(settings)
    clock = SystemClock()
    stored = sql_repositories(db, clock, settings.default_timezone)
    try:
        if args.command == "export":
            outcome = await operator.export(stored.privacy, args.user, clock.now())
            if args.output is None:
                sys.stdout.buffer.write(outcome.data)
            else:
                write_private(args.output, outcome.data)
            print(f"comeback: {outcome.summary}", file=sys.stderr)
            return 0
        if args.command == "delete":
            outcome = await operator.delete(stored.privacy, args.user)
        else:
            rate = checkins_per_second(settings.paid_broadcast)
            outcome = await operator.stats(stored.stats, clock.now(), rate)
    except DatabaseRefused as exc:
        return _refused(settings.database_url, exc)
    finally:
        await db.close()
    print(f"comeback: {outcome.summary}")
    return 0


def _run(settings: Settings) -> int:
    if settings.token is None:
        from bot.localchat.texts import environment_language, text

        print(text(environment_language(os.environ), "no_token"), file=sys.stderr)
        return _chat(LOCAL_CHAT_DB, None, None)
    from bot.logs import configure_logging
    from bot.observability import worker_id

    worker = worker_id(settings)
    configure_logging(
        settings.log_level, settings.token, log_format=settings.log_format, worker=worker
    )
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application, run
    from bot.services import SERVICES_KEY
    from bot.storage.connect import SecondWorker, check_database, hold_sqlite_database
    from bot.storage.database import DatabaseRefused

    try:
        held = hold_sqlite_database(settings)
    except SecondWorker as exc:
        print(f"comeback: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(check_database(settings))
    except DatabaseRefused as exc:
        return _refused(settings.database_url, exc)
    application = build_application(settings)
    try:
        run(application)
        if application.bot_data[SERVICES_KEY].polling_conflict:
            print(
                "comeback: another process is already polling with this TELEGRAM_BOT_TOKEN"
                " (Telegram answered 409 Conflict); stop it, or give this one its own token",
                file=sys.stderr,
            )
            return 2
    except DatabaseRefused as exc:
        return _refused(settings.database_url, exc)
    except InvalidToken:
        print("comeback: TELEGRAM_BOT_TOKEN was rejected by the Bot API", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"comeback: cannot reach the Bot API: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:  # the webhook's listen address is taken or not ours
        print(f"comeback: cannot listen on {settings.webhook_listen}: {exc}", file=sys.stderr)
        return 2
    finally:
        del held  # the SQLite lock goes with the process anyway; kept until here on purpose
    return 0


def _chat(db: Path, script: Path | None, name: str | None, language: str | None = None) -> int:
    from bot.localchat import ChatOptions, run_chat

    try:
        return run_chat(ChatOptions(db=db, script=script, name=name, language=language))
    except ConfigError as exc:
        print(f"comeback: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
