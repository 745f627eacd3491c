"""What every handler needs, built once by the application factory."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.admins import AdminCache
from bot.clock import Clock
from bot.config import Settings
from bot.observability import Metrics, worker_id
from bot.polling import InboxUpdater
from bot.rendering import Prompts
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.group_planner import GroupPlanner
from bot.scheduling.planner import CheckinPlanner
from bot.storage import (
    CheckinRepository,
    ClearedButtons,
    ConversationStateRepository,
    DebriefRepository,
    GroupRepository,
    InboxRepository,
    OutcomeRepository,
    PrivacyRepository,
    ProgressRepository,
    SqlStore,
    StatsRepository,
    UserRepository,
    WorkerRepository,
    sql_repositories,
)

if TYPE_CHECKING:
    from aiohttp import web


@dataclass
class Services:
    """The bot's collaborators: settings, storage, prompts, injected time and randomness.

    Storage is reached through the repositories (Protocols of bot/storage/interfaces.py);
    `db` is here only to open and close the database with the application.
    """

    settings: Settings
    db: SqlStore
    prompts: Prompts
    clock: Clock
    rng: random.Random
    users: UserRepository = field(init=False)
    debriefs: DebriefRepository = field(init=False)
    checkins: CheckinRepository = field(init=False)
    buttons: ClearedButtons = field(init=False)
    # Updates stored as they are fetched, until handled (bot/polling.py).
    inbox: InboxRepository = field(init=False)
    updater: InboxUpdater | None = None
    planner: CheckinPlanner = field(init=False)
    # Sends due check-ins; created by the application factory, started with the application.
    dispatcher: Dispatcher | None = None
    # /progress and /history; /export and /delete; the operator's counts.
    progress: ProgressRepository = field(init=False)
    privacy: PrivacyRepository = field(init=False)
    stats: StatsRepository = field(init=False)
    # Which step each conversation is on (read for each update: conversations/routing.py).
    conversation_states: ConversationStateRepository = field(init=False)
    # What happened next: applied again, an interview, an offer (/outcome).
    outcomes: OutcomeRepository = field(init=False)
    # The worker processes alive on this database (heartbeats; webhook mode).
    workers: WorkerRepository = field(init=False)
    # This process's counters for /metrics (bot/observability.py).
    metrics: Metrics = field(init=False)
    # Group coaching: groups, members, wins; their weekly posts; who administers them.
    groups: GroupRepository = field(init=False)
    group_queue: CheckinRepository = field(init=False)
    group_planner: GroupPlanner = field(init=False)
    group_admins: AdminCache = field(init=False)
    # Sends due group posts (the same Dispatcher class over the group queue).
    group_dispatcher: Dispatcher | None = None
    # Set when Telegram said another process polls with this token (409 Conflict): the bot stops.
    polling_conflict: bool = False
    # Set by `bot.app.run_polling`: SIGINT/SIGTERM stop the bot, within a bounded time.
    stop_on_signals: bool = False
    # Webhook mode: the workers alive on this database (this one included), and the task that
    # writes this worker's heartbeat (bot/storage/workers.py).
    workers_alive: int = 1
    heartbeat: asyncio.Task[None] | None = None
    # /healthz and /metrics in polling mode, on METRICS_LISTEN when set.
    metrics_server: web.AppRunner | None = None
    # Called with the rejection id when a debrief's plan is complete, after the planner's own
    # `complete_plan` (which schedules the check-ins in the same transaction).
    on_plan_completed: list[Callable[[int], Awaitable[None]]] = field(default_factory=list)
    # Called with the rejection id when the user says the feedback request is sent.
    on_feedback_sent: list[Callable[[int], Awaitable[None]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        zone = self.settings.default_timezone
        stored = sql_repositories(self.db, self.clock, zone)
        self.users = stored.users
        self.debriefs = stored.debriefs
        self.checkins = stored.checkins
        self.buttons = stored.buttons
        self.inbox = stored.inbox
        self.progress = stored.progress
        self.privacy = stored.privacy
        self.stats = stored.stats
        self.conversation_states = stored.conversation_states
        self.outcomes = stored.outcomes
        self.workers = stored.workers
        self.metrics = Metrics(worker_id(self.settings))
        self.planner = CheckinPlanner(self.users, self.debriefs, self.checkins, self.clock, zone)
        self.groups = stored.groups
        self.group_queue = stored.group_queue
        self.group_planner = GroupPlanner(self.groups, self.clock, zone)
        self.group_admins = AdminCache(self.clock)
        self.on_feedback_sent.append(self.planner.on_feedback_sent)


SERVICES_KEY = "services"


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Callback context with typed access to the services."""

    # The conversation states of this update's chat and person, as the router read them
    # (conversations.routing), so a handler need not read them again; None before that.
    conversation_states: dict[str, str] | None = None

    @property
    def services(self) -> Services:
        """The application's services."""
        services: Services = self.application.bot_data[SERVICES_KEY]
        return services


CoachApplication = Application[
    ExtBot[None], CoachContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
