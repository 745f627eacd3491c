"""The SQLite backend: every repository of bot/storage/interfaces.py over one `Database`.

The one place that chooses the backend's classes; a second backend would add its own builder
with the same result type.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.storage.admin import SqliteStatsRepository
from bot.storage.buttons import SqliteClearedButtons
from bot.storage.checkins import SqliteCheckinRepository
from bot.storage.conversation_states import SqliteConversationStateRepository
from bot.storage.database import Database
from bot.storage.debriefs import SqliteDebriefRepository
from bot.storage.groups import SqliteGroupCheckinQueue, SqliteGroupRepository
from bot.storage.inbox import SqliteInboxRepository
from bot.storage.interfaces import Repositories
from bot.storage.outcomes import SqliteOutcomeRepository
from bot.storage.privacy import SqlitePrivacyRepository
from bot.storage.progress import SqliteProgressRepository
from bot.storage.users import SqliteUserRepository


def sqlite_repositories(db: Database, clock: Clock, default_timezone: str) -> Repositories:
    """The repositories over `db`; `default_timezone` is the zone of groups that set none."""
    return Repositories(
        users=SqliteUserRepository(db, clock),
        debriefs=SqliteDebriefRepository(db, clock),
        checkins=SqliteCheckinRepository(db, clock),
        group_queue=SqliteGroupCheckinQueue(db, clock, default_timezone),
        groups=SqliteGroupRepository(db, clock),
        buttons=SqliteClearedButtons(db, clock),
        inbox=SqliteInboxRepository(db, clock),
        progress=SqliteProgressRepository(db),
        privacy=SqlitePrivacyRepository(db),
        stats=SqliteStatsRepository(db),
        conversation_states=SqliteConversationStateRepository(db),
        outcomes=SqliteOutcomeRepository(db, clock),
    )
