"""Storage: repositories behind Protocols (interfaces.py), in SQL (sql.py) on SQLite or PostgreSQL.

Only this package holds SQL or touches a connection; everything else calls the Protocols and
gets plain values and the record dataclasses below.
"""

from bot.storage.database import Database, DatabaseRefused, SqlStore, StorageUnavailable
from bot.storage.debriefs import (
    FeedbackRecord,
    GoalRecord,
    PlanAction,
    Rejection,
    ResourcePick,
    SqlDebriefRepository,
)
from bot.storage.interfaces import (
    CheckinRepository,
    ClearedButtons,
    ConversationStateRepository,
    DebriefRepository,
    GroupRepository,
    InboxRepository,
    OutcomeRepository,
    PrivacyRepository,
    ProgressRepository,
    Repositories,
    StatsRepository,
    UserRepository,
    WorkerRepository,
)
from bot.storage.sql import sql_repositories
from bot.storage.users import SqlUserRepository, User

__all__ = [
    "CheckinRepository",
    "ClearedButtons",
    "ConversationStateRepository",
    "Database",
    "DatabaseRefused",
    "DebriefRepository",
    "FeedbackRecord",
    "GoalRecord",
    "GroupRepository",
    "InboxRepository",
    "OutcomeRepository",
    "PlanAction",
    "PrivacyRepository",
    "ProgressRepository",
    "Rejection",
    "Repositories",
    "ResourcePick",
    "SqlDebriefRepository",
    "SqlStore",
    "SqlUserRepository",
    "StatsRepository",
    "StorageUnavailable",
    "User",
    "UserRepository",
    "WorkerRepository",
    "sql_repositories",
]
