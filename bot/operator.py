"""What the operator runs from the command line: export, delete, backup, stats.

Plain async functions over the storage repositories (the same ones the chat's /stats, /export
and /delete use); `bot.__main__` only parses arguments and prints. Each returns data plus a
one-line summary, so scripts and tests read the same thing.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.storage.admin import BackupReport, backup_database
from bot.storage.interfaces import PrivacyRepository, StatsRepository
from bot.storage.privacy import export_json, row_count

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What an operator command did: its data (if any) and a one-line summary."""

    summary: str
    data: Any = None


async def export(privacy: PrivacyRepository, user_id: int, now: datetime) -> Outcome:
    """Everything stored about one user, as the JSON document /export sends them."""
    found = await privacy.export(user_id, now)
    return Outcome(f"exported user {user_id}: {row_count(found)} rows", export_json(found))


async def delete(privacy: PrivacyRepository, user_id: int) -> Outcome:
    """Erase every row about one user, asking nothing."""
    erased = await privacy.delete(user_id)
    _LOGGER.info("Operator erased user %s: %d rows", user_id, sum(erased.values()))
    if not erased:
        return Outcome(f"nothing stored about user {user_id}", erased)
    tables = ", ".join(f"{name} {count}" for name, count in sorted(erased.items()))
    return Outcome(
        f"deleted user {user_id}: {sum(erased.values())} rows in {len(erased)} tables ({tables})",
        erased,
    )


async def backup(source: str | Path, target: Path) -> Outcome:
    """An online backup of the live database (safe while the bot runs), off the event loop."""
    report: BackupReport = await asyncio.to_thread(backup_database, source, target)
    rows = sum(report.row_counts.values())
    return Outcome(f"backup written to {report.path}: {report.size} bytes, {rows} rows", report)


async def stats(repository: StatsRepository, now: datetime, per_second: float) -> Outcome:
    """Aggregate counts only: no names, no texts, no ids; and the check-ins due and not sent
    yet (a backlog) with how long it takes to clear at `per_second`."""
    counts = await repository.aggregate_counts()
    due = await repository.checkins_due(now)
    counts["check_ins_due_now"] = due
    counts["backlog_clears_in_seconds"] = math.ceil(due / per_second)
    return Outcome(", ".join(f"{name} {value}" for name, value in counts.items()), counts)
