"""Storage: a repository layer over aiosqlite. Handlers call these; only this package holds SQL."""

from bot.storage.database import Database, StorageUnavailable
from bot.storage.debriefs import (
    DebriefRepository,
    FeedbackRecord,
    GoalRecord,
    PlanAction,
    Rejection,
    ResourcePick,
)
from bot.storage.users import User, UserRepository

__all__ = [
    "Database",
    "DebriefRepository",
    "FeedbackRecord",
    "GoalRecord",
    "PlanAction",
    "Rejection",
    "ResourcePick",
    "StorageUnavailable",
    "User",
    "UserRepository",
]
