"""Operator views of the whole database: an online backup and aggregate counts (no one's data)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from bot.clock import to_db
from bot.config import display_url
from bot.private_files import create_private
from bot.storage.database import SqlStore

# Aggregate counts: (name, SQL returning one number). Only counts: never a name, a text, an id.
_STATS: tuple[tuple[str, str], ...] = (
    ("users", "SELECT COUNT(*) FROM users"),
    ("users_active", "SELECT COUNT(*) FROM users WHERE active = 1"),
    ("rejections", "SELECT COUNT(*) FROM rejections"),
    ("debriefs_completed", "SELECT COUNT(*) FROM rejections WHERE status = 'completed'"),
    ("debriefs_in_progress", "SELECT COUNT(*) FROM rejections WHERE status = 'in_progress'"),
    ("debriefs_cancelled", "SELECT COUNT(*) FROM rejections WHERE status = 'cancelled'"),
    ("moods", "SELECT COUNT(*) FROM moods"),
    ("feedback_requests_sent", "SELECT COUNT(*) FROM feedback_requests WHERE sent_at IS NOT NULL"),
    (
        "feedback_replies",
        "SELECT COUNT(*) FROM feedback_requests WHERE status = 'replied' OR replied_at IS NOT NULL",
    ),
    ("goals_set", "SELECT COUNT(*) FROM goals WHERE status <> 'draft'"),
    ("goals_met", "SELECT COUNT(*) FROM goals WHERE status = 'done'"),
    ("check_ins_pending", "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'"),
    ("check_ins_sent", "SELECT COUNT(*) FROM check_ins WHERE sent_at IS NOT NULL"),
    ("groups", "SELECT COUNT(*) FROM groups"),
    ("memberships", "SELECT COUNT(*) FROM memberships"),
    ("safety_replies_shown", "SELECT COUNT(*) FROM safety_events"),
)


async def aggregate_counts(db: SqlStore) -> dict[str, int]:
    """How much the bot is used, as counts only."""
    counts: dict[str, int] = {}
    for name, sql in _STATS:
        row = await db.fetch_one(sql)
        counts[name] = int(row[0]) if row else 0
    return counts


class SqlStatsRepository:
    """`aggregate_counts` over one database (the StatsRepository of both SQL backends)."""

    def __init__(self, db: SqlStore) -> None:
        self._db = db

    async def aggregate_counts(self) -> dict[str, int]:
        """How much the bot is used, as counts only."""
        return await aggregate_counts(self._db)

    async def checkins_pending(self) -> int:
        """Check-ins and group posts waiting to be sent (/metrics; answered from an index)."""
        row = await self._db.fetch_one("SELECT COUNT(*) FROM check_ins WHERE status = 'pending'")
        return int(row[0]) if row else 0

    async def checkins_due(self, now: datetime) -> int:
        """Check-ins and group posts due by `now` and not sent yet, of people who get them
        (not paused, not stopped): the backlog."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM check_ins AS c LEFT JOIN users AS u ON u.id = c.user_id"
            " WHERE c.status = 'pending' AND c.due_at <= ?1 AND (c.user_id IS NULL"
            " OR (u.active = 1 AND u.checkins_enabled = 1"
            " AND (u.paused_until IS NULL OR u.paused_until <= ?1)))",
            (to_db(now),),
        )
        return int(row[0]) if row else 0


@dataclass(frozen=True)
class BackupReport:
    """Where the backup went, how big it is, and the row counts of the snapshot it holds."""

    path: Path
    size: int
    row_counts: dict[str, int]


class BackupError(RuntimeError):
    """The backup could not be made (the copy is left out, never half-written)."""


def _count(conn: sqlite3.Connection, table: str) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    row = conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()
    return int(row[0]) if row else 0


def backup_database(source: str | Path, target: Path) -> BackupReport:
    """Copy the live database to `target` with SQLite's online backup API (blocking: run it in
    a thread). Safe while the bot runs: the copy is one consistent snapshot (a read transaction
    held for the whole copy; in WAL mode writers carry on meanwhile). Written to a temporary
    file, checked, then renamed into place, so `target` is either the old file or a whole copy.
    """
    source_path = Path(source).resolve()
    if target.is_dir():
        target = target / f"{source_path.stem}-backup.sqlite3"
    target = target.resolve()
    if target == source_path:
        raise BackupError("the backup path is the database itself")
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(source_path, timeout=5.0, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout = 5000")
        src.execute("BEGIN")  # the snapshot: counts and copy see the same committed rows
        tables = [
            str(r[0])
            for r in src.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: _count(src, t) for t in tables}
        partial.unlink(missing_ok=True)
        # Everyone's data: 0600 from the start (SQLite would follow the umask), and so the
        # copy's -journal/-wal, which SQLite creates with the database file's mode.
        try:
            create_private(partial)
        except OSError as exc:
            raise BackupError(f"cannot write {partial}: {exc.strerror or exc}") from exc
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            src.backup(dest)
            src.execute("COMMIT")
            # A single self-contained file: no -wal next to the copy.
            dest.execute("PRAGMA journal_mode = DELETE")
            check = dest.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise BackupError(f"the copy failed its check: {check}")
        finally:
            dest.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(str(exc)) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return BackupReport(target, target.stat().st_size, counts)


def pg_dump_command(url: str, target: Path) -> tuple[list[str], dict[str, str]]:
    """The pg_dump call that backs up a PostgreSQL database to `target` (custom format, for
    pg_restore), and the environment that carries its password (never the command line)."""
    parts = urlsplit(url)
    env: dict[str, str] = {}
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        netloc = parts.netloc.replace(f":{parts.password}@", "@", 1)
        url = parts._replace(netloc=netloc).geturl()
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    schema = _search_path_schema(parts.query)
    if schema is not None:
        # Comeback's tables live in that schema; other schemas in the database are not its own.
        command.append(f"--schema={schema}")
    return [*command, url], env


def _search_path_schema(query: str) -> str | None:
    """The first schema of a `-csearch_path=...` in the URL's `options`, if it sets one."""
    for options in parse_qs(query).get("options", []):
        found = re.search(r"-c\s*search_path=([^\s,]+)", options)
        if found:
            return found.group(1).strip('"')
    return None


def pg_backup(url: str, target: Path) -> BackupReport:
    """Back up a PostgreSQL database with pg_dump (blocking: run it in a thread). pg_dump reads
    one consistent snapshot while the bot goes on writing. Written beside `target`, then
    renamed into place. Without pg_dump on PATH it refuses, naming the command to run."""
    if target.is_dir():
        target = target / "comeback-backup.dump"
    command, env = pg_dump_command(url, target.with_name(target.name + ".partial"))
    shown = " ".join([*command[:-1], display_url(command[-1])])
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupError(f"pg_dump is not installed here; install it and run: {shown}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        create_private(partial)
    except OSError as exc:
        raise BackupError(f"cannot write {partial}: {exc.strerror or exc}") from exc
    done = subprocess.run(
        [program, *command[1:]], env={**os.environ, **env}, capture_output=True, text=True
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BackupError(f"pg_dump failed ({reason}); the command was: {shown}")
    os.replace(partial, target)
    return BackupReport(target, target.stat().st_size, {})
