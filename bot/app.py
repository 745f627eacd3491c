"""The application factory: the one place the Telegram Application is put together."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import random
import signal
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeAllGroupChats, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    ContextTypes,
    ExtBot,
    TypeHandler,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings, listen_address
from bot.errors import on_error
from bot.logs import redact_at_source
from bot.ordering import PerChatUpdateProcessor
from bot.polling import InboxUpdater
from bot.rendering import Prompts
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.ratelimit import REAL_TIME, CoachRateLimiter, LimiterTime
from bot.services import SERVICES_KEY, CoachApplication, CoachContext, Services
from bot.speaking import speak_their_language
from bot.storage.chat_locks import chat_locks_for
from bot.storage.connect import settings_database
from bot.storage.database import StorageUnavailable
from bot.storage.workers import HEARTBEAT
from bot.transport import BoundedRequest, FetchedUpdates
from coaching.kinds import GROUP_KINDS
from coaching.language import ENGLISH, LANGUAGES, speaking
from conversations import checkin, crisis, group, register_handlers

_LOGGER = logging.getLogger(__name__)

# The command menu: (command, label key). Descriptions are rendered from prompts/labels.toml.
MENU_COMMANDS = (
    "start", "rejected", "resume", "plan", "outcome", "progress", "history", "settings",
    "language", "privacy",
    "export", "delete", "back", "skip", "cancel", "feedback", "help",
)  # fmt: skip
# The menu in groups (BotCommandScopeAllGroupChats); descriptions from `group.menu.<name>`.
GROUP_MENU_COMMANDS = ("join", "win", "leave", "group_settings", "start", "help")

# What the bot asks Telegram for: private and group messages, button presses, membership changes
# of the bot itself (added to or removed from a group) and poll answers.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member", "poll_answer"]

# Handler groups run in this order; the order matters. The update's language is read first
# (bot/speaking.py), so that everything after it answers in that language; then the safety
# screen: it sees every update before anything can store or answer it.
GROUP_LANGUAGE = -20
GROUP_SAFETY = -15
GROUP_PRESENCE = -10
GROUP_CONVERSATIONS = 0
GROUP_FALLBACK = 10


def quiet_noisy_loggers() -> None:
    """Loggers that would write the token or people's words.

    httpx logs every request URL at INFO, and those URLs contain the bot token; aiosqlite logs
    every statement with its parameters (people's answers) at DEBUG; python-telegram-bot's own
    loggers (`telegram.ext.ExtBot`, `telegram.ext.Application`, ...) log whole updates and
    request parameters at DEBUG, so they stay at INFO whatever LOG_LEVEL says.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    # Never below INFO; never noisier than the root logger already is (the terminal chat).
    root_level = logging.getLogger().getEffectiveLevel()
    logging.getLogger("telegram").setLevel(max(logging.INFO, root_level))
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


# A shutdown that cannot finish (the Bot API unreachable, every reply waiting out its timeouts)
# is cut short after this long: what was not handled is handled again or lost as with a kill.
SHUTDOWN_GRACE_SECONDS = 10.0


def settle_startup_objects() -> None:
    """Keep what start-up built (modules, compiled templates, the resource catalogue, the
    Application) out of the garbage collector's later passes, and collect the young objects
    less often: a full pass took ~50 ms, several times a minute under load, and collecting
    took 3.9% of the bot's CPU, now 2.3% (benchmarks/README.md, round 6). Only for a process
    that runs the bot until it stops: frozen objects are never collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def run_polling(application: CoachApplication) -> None:
    """Long-poll until SIGINT or SIGTERM; the shutdown that follows is bounded in time."""
    application.bot_data[SERVICES_KEY].stop_on_signals = True
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES,
        # Telegram may be briefly unreachable at start: retry with backoff, then give up.
        bootstrap_retries=5,
        stop_signals=None,  # ours, installed at start-up: they also bound the shutdown
    )


def webhook_arguments(settings: Settings) -> dict[str, Any]:
    """What the updater's `start_webhook` is given in webhook mode (WEBHOOK_* settings)."""
    assert settings.webhook_url is not None
    host, port = listen_address(settings.webhook_listen)
    return {
        "listen": host,
        "port": port,
        "url_path": urlparse(settings.webhook_url).path,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": ALLOWED_UPDATES,
        "max_connections": settings.webhook_max_connections,
    }


def run_webhook(application: CoachApplication) -> None:
    """Serve the webhook on WEBHOOK_LISTEN until SIGINT or SIGTERM (docs/deploy.md)."""
    services: Services = application.bot_data[SERVICES_KEY]
    services.stop_on_signals = True
    application.run_webhook(
        **webhook_arguments(services.settings), bootstrap_retries=5, stop_signals=None
    )


def run(application: CoachApplication) -> None:
    """Run in the mode the settings choose: webhook when WEBHOOK_URL is set, else polling."""
    settle_startup_objects()
    if application.bot_data[SERVICES_KEY].settings.webhook_mode:
        run_webhook(application)
    else:
        run_polling(application)


async def stop_running(application: CoachApplication) -> None:
    """Stop an Application started in this process (the terminal chat, the in-process
    benchmarks) as a SIGTERM stops `run`: polling, then the Application, then its shutdown."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def _install_stop_signals(application: CoachApplication) -> None:
    loop = asyncio.get_running_loop()

    def stop(signum: signal.Signals) -> None:
        _LOGGER.info("Stopping on %s", signum.name)
        application.stop_running()
        loop.call_later(SHUTDOWN_GRACE_SECONDS, _give_up)

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)


def _give_up() -> None:
    _LOGGER.warning(
        "Shutdown did not finish within %.0f s (is the Bot API unreachable?); exiting now",
        SHUTDOWN_GRACE_SECONDS,
    )
    logging.shutdown()
    os._exit(0)


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
    limiter_clock: LimiterTime = REAL_TIME,
) -> CoachApplication:
    """Build the Application: handlers, inbox polling, job queue, rate limiter, error handler.

    `limiter_clock` is the rate limiter's time: real seconds, or a benchmark's moved clock
    (benchmarks/peak.py sends hours of a backlog at Telegram's rate in minutes).

    No `Defaults(parse_mode=...)`: python-telegram-bot would then add parse_mode to methods that
    have no such parameter (editMessageReplyMarkup, sendPoll). Every message goes through
    `bot.messages.send_html`, which sets HTML parse mode explicitly.
    """
    quiet_noisy_loggers()
    if settings.token is None:
        raise ValueError("build_application needs TELEGRAM_BOT_TOKEN (the local chat sets one)")
    redact_at_source(settings.token)
    services = Services(
        settings=settings,
        db=settings_database(settings),
        prompts=Prompts(),
        clock=clock or SystemClock(),
        rng=rng or random.Random(),
    )
    base_url = settings.telegram_api_base_url
    # python-telegram-bot's own choice for getUpdates when none is given: one connection.
    fetched = FetchedUpdates(
        get_updates_request
        if get_updates_request is not None
        else HTTPXRequest(connection_pool_size=1)
    )
    # Typed loosely: ExtBot's rate limiter parameter is generic in its arguments' type.
    bot: Any = ExtBot(
        settings.token,
        base_url=base_url,
        base_file_url=_file_url(base_url),
        # A small connection pool: httpcore's cost per request grows with it (bot/transport.py).
        request=request if request is not None else BoundedRequest(),
        get_updates_request=fetched,
        rate_limiter=CoachRateLimiter(max_retries=3, metrics=services.metrics, clock=limiter_clock)
        if rate_limit
        else None,
    )
    updater = InboxUpdater(
        bot, asyncio.Queue(), services.inbox, chat_locks_for(services.db), fetched
    )
    services.updater = updater
    builder: Any = (
        ApplicationBuilder()
        .updater(updater)
        .context_types(ContextTypes(context=CoachContext))
        .post_init(_on_startup)
        .post_shutdown(_on_shutdown)
        .concurrent_updates(PerChatUpdateProcessor(on_handled=updater.handled))
    )
    application: CoachApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    # The slow-down notice and the group-command throttle need the services and the clock.
    PerChatUpdateProcessor.attach(application)

    application.add_handler(TypeHandler(Update, speak_their_language), GROUP_LANGUAGE)
    application.add_handlers(crisis.handlers(), GROUP_SAFETY)
    application.add_handler(checkin.presence_handler(), GROUP_PRESENCE)
    register_handlers(application, GROUP_CONVERSATIONS, GROUP_FALLBACK)
    services.dispatcher = Dispatcher(
        services.checkins,
        application.bot,
        services.clock,
        checkin.composer(services),
        interval_seconds=settings.dispatch_interval_seconds,
        paid_broadcast=settings.paid_broadcast,
        metrics=services.metrics,
    )
    services.group_dispatcher = Dispatcher(
        services.group_queue,
        application.bot,
        services.clock,
        group.composer(services, application.bot),
        interval_seconds=settings.dispatch_interval_seconds,
        kinds=GROUP_KINDS,
        on_group_refused=group.refusal_listener(services),
        metrics=services.metrics,
    )
    application.add_error_handler(on_error)
    return application


def _file_url(base_url: str) -> str:
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else base_url


async def _on_startup(application: CoachApplication) -> None:
    """Open the database, start the check-in dispatcher, publish the menu (best effort)."""
    services: Services = application.bot_data[SERVICES_KEY]
    await services.db.open()
    if services.stop_on_signals:
        _install_stop_signals(application)
    if services.dispatcher is not None:
        if application.job_queue is None:
            _LOGGER.error("No job queue (install python-telegram-bot[job-queue]): no check-ins")
        else:
            await services.dispatcher.start(application.job_queue)
    if services.group_dispatcher is not None and application.job_queue is not None:
        await services.group_planner.repair()
        await services.group_dispatcher.start(application.job_queue)
    settings = services.settings
    if settings.webhook_mode or settings.metrics_listen is not None:
        from bot.webhook import observability_routes, serve_observability

        if settings.webhook_mode and services.updater is not None:
            services.updater.extra_routes = observability_routes(services)
        elif settings.metrics_listen is not None:
            services.metrics_server = await serve_observability(services, settings.metrics_listen)
    if settings.webhook_mode:
        await _beat(application)
        if services.workers_alive > 1:
            # The others still send at their old, larger shares until their next heartbeats
            # count this one: wait for those (and their one-second windows) before sending.
            await asyncio.sleep(2 * HEARTBEAT.total_seconds())
            await _beat(application)
        services.heartbeat = asyncio.create_task(_heartbeats(application), name="comeback:beat")
    await _publish_menus(application, services.prompts)


async def _publish_menus(application: CoachApplication, prompts: Prompts) -> None:
    """The command menus and the bot's descriptions in every language (Telegram shows the one
    of the person's app language; English to everyone else). Best effort: the bot works
    without them."""
    bot = application.bot
    try:
        for language in LANGUAGES:
            code = None if language == ENGLISH else language
            with speaking(language):
                await bot.set_my_commands(
                    [BotCommand(name, prompts.label(f"menu.{name}")) for name in MENU_COMMANDS],
                    language_code=code,
                )
                await bot.set_my_commands(
                    [
                        BotCommand(name, prompts.label(f"group.menu.{name}"))
                        for name in GROUP_MENU_COMMANDS
                    ],
                    scope=BotCommandScopeAllGroupChats(),
                    language_code=code,
                )
                await bot.set_my_description(
                    prompts.render_plain("meta/description"), language_code=code
                )
                await bot.set_my_short_description(
                    prompts.render_plain("meta/short_description"), language_code=code
                )
    except TelegramError as exc:
        _LOGGER.warning("Could not set the command menu or description: %s", exc)


async def _beat(application: CoachApplication) -> None:
    """Write this worker's heartbeat; share Telegram's message rate among the workers alive."""
    services: Services = application.bot_data[SERVICES_KEY]
    try:
        alive = await services.workers.beat(services.metrics.worker)
    except StorageUnavailable as exc:
        _LOGGER.warning("Could not write the heartbeat: %s", exc)
        return
    if alive != services.workers_alive:
        _LOGGER.info("Workers alive: %d (this one's share of the message rate: 1/%d)", alive, alive)
    services.workers_alive = alive
    limiter = application.bot.rate_limiter
    if isinstance(limiter, CoachRateLimiter):
        limiter.set_share(alive)


async def _heartbeats(application: CoachApplication) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT.total_seconds())
        await _beat(application)


async def _on_shutdown(application: CoachApplication) -> None:
    """Stop the check-in dispatcher, then close the database after the last update."""
    services: Services = application.bot_data[SERVICES_KEY]
    if services.metrics_server is not None:
        server, services.metrics_server = services.metrics_server, None
        await server.cleanup()
    if services.heartbeat is not None:
        services.heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await services.heartbeat
        with contextlib.suppress(StorageUnavailable):
            await services.workers.forget(services.metrics.worker)
    if services.dispatcher is not None:
        await services.dispatcher.stop()
    if services.group_dispatcher is not None:
        await services.group_dispatcher.stop()
    if services.updater is not None:
        await services.updater.close_locks()
    await services.db.close()
