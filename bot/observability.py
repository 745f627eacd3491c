"""Health and metrics: /healthz and /metrics (Prometheus text format), and who this worker is.

Both show numbers and the worker's name only: never anyone's words, ids or the token.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

from bot.config import Settings
from bot.scheduling.ratelimit import checkins_per_second

if TYPE_CHECKING:
    from bot.services import Services
    from bot.storage.inbox import InboxDepth

_LOGGER = logging.getLogger(__name__)

# /healthz answers 503 when the oldest update waiting in the inbox is older than this: the
# workers are stuck or gone, and Telegram's updates pile up unanswered.
STALE_AFTER_SECONDS = 120.0
# A database that does not answer within this long is as good as unreachable for /healthz.
DATABASE_TIMEOUT_SECONDS = 5.0
# From a 5 ms reply to a 10 s one (a slow chart, the Bot API timing out).
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
KINDS = ("private", "group")

# No `*_created` series beside each counter: they double what is scraped and nobody reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]


def worker_id(settings: Settings) -> str:
    """This process's name in /metrics and the logs: WORKER_ID, else host name and pid."""
    return settings.worker_id or f"{socket.gethostname()}:{os.getpid()}"


class Metrics:
    """This process's counters and histograms, in a registry of its own (never the global)."""

    def __init__(self, worker: str) -> None:
        self.worker = worker
        self.registry = CollectorRegistry()
        registry = self.registry
        self._updates = Counter(
            "comeback_updates_handled", "Updates handled by this worker", registry=registry
        )
        self._update_seconds = Histogram(
            "comeback_update_seconds",
            "Seconds from an update reaching this worker's processor to its handlers finishing",
            buckets=UPDATE_BUCKETS,
            registry=registry,
        )
        self._dropped = Counter(
            "comeback_updates_dropped",
            "Updates dropped (a flooding chat over its backlog, repeated group commands)",
            registry=registry,
        )
        self._sent = Counter(
            "comeback_checkins_sent", "Check-ins and group posts sent", ["kind"], registry=registry
        )
        self._failed = Counter(
            "comeback_checkins_failed",
            "Check-ins and group posts refused by Telegram or given up after retries",
            ["kind"],
            registry=registry,
        )
        for kind in KINDS:  # shown as 0 before the first one
            self._sent.labels(kind=kind)
            self._failed.labels(kind=kind)
        self._retry_after = Counter(
            "comeback_telegram_429", "Telegram's 429 Too Many Requests answers", registry=registry
        )
        self.checkins_pending = Gauge(
            "comeback_checkins_pending",
            "Check-ins and group posts waiting to be sent (the whole database)",
            registry=registry,
        )
        self.inbox_depth = Gauge(
            "comeback_inbox_depth", "Updates stored and not handled yet", registry=registry
        )
        self.inbox_oldest_age = Gauge(
            "comeback_inbox_oldest_age_seconds",
            "Age of the oldest update not handled yet (0 when none waits)",
            registry=registry,
        )
        self.checkins_due = Gauge(
            "comeback_checkins_due",
            "Check-ins and group posts due and not sent yet: the backlog (the whole database)",
            registry=registry,
        )
        self.backlog_clears_in = Gauge(
            "comeback_checkins_backlog_clears_in_seconds",
            "How long the backlog takes to send at Telegram's rate for the bot (all workers)",
            registry=registry,
        )
        self.workers_alive = Gauge(
            "comeback_workers_alive", "Worker processes alive on this database", registry=registry
        )
        self.database_up = Gauge(
            "comeback_database_up",
            "1 when the database answered the last scrape, else 0",
            registry=registry,
        )
        info = Gauge("comeback_worker_info", "This worker's name", ["worker"], registry=registry)
        info.labels(worker=worker).set(1)
        self.workers_alive.set(1)

    def update_handled(self, seconds: float) -> None:
        """One update handled, in `seconds` from reaching the update processor (its chat's
        earlier updates and a free slot waited for) to its handlers finishing."""
        self._updates.inc()
        self._update_seconds.observe(seconds)

    def update_dropped(self) -> None:
        """An update was dropped instead of handled."""
        self._dropped.inc()

    def checkin_sent(self, kind: str = "private") -> None:
        """A check-in ("private") or group post ("group") went out."""
        self._sent.labels(kind=kind).inc()

    def checkin_failed(self, kind: str = "private") -> None:
        """A check-in could not be sent (after the retries), or was given up."""
        self._failed.labels(kind=kind).inc()

    def retry_after(self) -> None:
        """Telegram answered 429 Too Many Requests."""
        self._retry_after.inc()

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


async def health(services: Services) -> tuple[int, dict[str, object]]:
    """The worker's health: 200 when the database answers and no update has waited longer than
    STALE_AFTER_SECONDS, else 503; with the numbers behind the verdict."""
    body: dict[str, object] = {
        "status": "ok",
        "database": "ok",
        "inbox_depth": None,
        "oldest_update_age_seconds": None,
        "workers_alive": services.workers_alive,
        "worker": services.metrics.worker,
    }
    problems: list[str] = []
    try:
        depth = await asyncio.wait_for(services.inbox.depth(), DATABASE_TIMEOUT_SECONDS)
    except Exception as exc:  # StorageUnavailable, a driver's error, a timeout: all unreachable
        _LOGGER.warning("Health check: the database did not answer (%s)", _reason(exc))
        body["database"] = "unreachable"
        problems.append("database unreachable")
    else:
        body["inbox_depth"] = depth.count
        if depth.oldest is not None:
            age = max(0.0, (services.clock.now() - depth.oldest).total_seconds())
            body["oldest_update_age_seconds"] = round(age, 3)
            if age > STALE_AFTER_SECONDS:
                problems.append(f"an update has waited over {STALE_AFTER_SECONDS:g} s")
    if problems:
        body["status"] = "unhealthy"
        body["problems"] = problems
    return (503 if problems else 200), body


async def metrics_body(services: Services) -> bytes:
    """Refresh the gauges read from the database, then the whole registry as Prometheus text."""
    metrics = services.metrics
    metrics.workers_alive.set(services.workers_alive)
    try:
        depth, pending, due = await asyncio.wait_for(
            _database_gauges(services), DATABASE_TIMEOUT_SECONDS
        )
    except Exception as exc:  # the gauges keep their last values; database_up says why
        _LOGGER.warning("Metrics: the database did not answer (%s)", _reason(exc))
        metrics.database_up.set(0)
    else:
        metrics.database_up.set(1)
        metrics.inbox_depth.set(depth.count)
        age = 0.0
        if depth.oldest is not None:
            age = max(0.0, (services.clock.now() - depth.oldest).total_seconds())
        metrics.inbox_oldest_age.set(age)
        metrics.checkins_pending.set(pending)
        metrics.checkins_due.set(due)
        rate = checkins_per_second(services.settings.paid_broadcast)
        metrics.backlog_clears_in.set(math.ceil(due / rate))
    return metrics.exposition()


async def _database_gauges(services: Services) -> tuple[InboxDepth, int, int]:
    stats = services.stats
    now = services.clock.now()
    return (
        await services.inbox.depth(),
        await stats.checkins_pending(),
        await stats.checkins_due(now),
    )


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
