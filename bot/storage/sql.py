"""Every repository of bot/storage/interfaces.py over one `SqlStore`: SQLite or PostgreSQL.

The one place that chooses the repository classes. They are written once, in the SQL both
databases speak (docs/deploy.md); a backend that is not SQL would add its own builder with the
same result type.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.storage.admin import SqlStatsRepository
from bot.storage.buttons import SqlClearedButtons
from bot.storage.checkins import SqlCheckinRepository
from bot.storage.conversation_states import SqlConversationStateRepository
from bot.storage.database import SqlStore
from bot.storage.debriefs import SqlDebriefRepository
from bot.storage.groups import SqlGroupCheckinQueue, SqlGroupRepository
from bot.storage.inbox import SqlInboxRepository
from bot.storage.interfaces import Repositories
from bot.storage.outcomes import SqlOutcomeRepository
from bot.storage.privacy import SqlPrivacyRepository
from bot.storage.progress import SqlProgressRepository
from bot.storage.users import SqlUserRepository
from bot.storage.workers import SqlWorkerRepository


def sql_repositories(db: SqlStore, clock: Clock, default_timezone: str) -> Repositories:
    """The repositories over `db`; `default_timezone` is the zone of groups that set none."""
    return Repositories(
        users=SqlUserRepository(db, clock),
        debriefs=SqlDebriefRepository(db, clock),
        checkins=SqlCheckinRepository(db, clock),
        group_queue=SqlGroupCheckinQueue(db, clock, default_timezone),
        groups=SqlGroupRepository(db, clock),
        buttons=SqlClearedButtons(db, clock),
        inbox=SqlInboxRepository(db, clock),
        progress=SqlProgressRepository(db),
        privacy=SqlPrivacyRepository(db),
        stats=SqlStatsRepository(db),
        conversation_states=SqlConversationStateRepository(db),
        outcomes=SqlOutcomeRepository(db, clock),
        workers=SqlWorkerRepository(db, clock),
    )
