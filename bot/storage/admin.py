"""Operator views of the whole database: an online backup and aggregate counts (no one's data)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.private_files import create_private
from bot.storage.database import Database

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


async def aggregate_counts(db: Database) -> dict[str, int]:
    """How much the bot is used, as counts only."""
    counts: dict[str, int] = {}
    for name, sql in _STATS:
        row = await db.fetch_one(sql)
        counts[name] = int(row[0]) if row else 0
    return counts


class SqliteStatsRepository:
    """`aggregate_counts` over one database (the StatsRepository of SQLite)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def aggregate_counts(self) -> dict[str, int]:
        """How much the bot is used, as counts only."""
        return await aggregate_counts(self._db)


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
