"""The application factory: the one place the Telegram Application is put together."""

from __future__ import annotations

import logging
import random
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.errors import on_error
from bot.ordering import PerChatUpdateProcessor
from bot.persistence import SQLitePersistence
from bot.rendering import Prompts
from bot.services import SERVICES_KEY, CoachApplication, CoachContext, Services
from bot.storage import Database

_LOGGER = logging.getLogger(__name__)

# The command menu: (command, label key). Descriptions are rendered from prompts/labels.toml.
MENU_COMMANDS = ("start", "rejected", "resume", "plan", "back", "skip", "cancel", "help")

# Handler groups run in this order; the order matters.
GROUP_CONVERSATIONS = 0
GROUP_FALLBACK = 10
GROUP_AFTER_UPDATE = 100


def quiet_noisy_loggers() -> None:
    """httpx logs every request URL at INFO, and those URLs contain the bot token."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> CoachApplication:
    """Build the Application: handlers, persistence, job queue, rate limiter, error handler."""
    quiet_noisy_loggers()
    if settings.token is None:
        raise ValueError("build_application needs TELEGRAM_BOT_TOKEN (the local chat sets one)")
    services = Services(
        settings=settings,
        db=Database(settings.database_path),
        prompts=Prompts(),
        clock=clock or SystemClock(),
        rng=rng or random.Random(),
    )
    base_url = settings.telegram_api_base_url
    builder: Any = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(base_url)
        .base_file_url(_file_url(base_url))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=CoachContext))
        .persistence(SQLitePersistence(services.db))
        .post_init(_on_startup)
        .post_shutdown(_on_shutdown)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: CoachApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services

    from conversations import register_handlers

    register_handlers(application, GROUP_CONVERSATIONS, GROUP_FALLBACK)
    application.add_handler(TypeHandler(Update, _save_conversation_states), GROUP_AFTER_UPDATE)
    application.add_error_handler(on_error)
    return application


def _file_url(base_url: str) -> str:
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else base_url


async def _save_conversation_states(update: object, context: CoachContext) -> None:
    """Write conversation states after every update, so a killed bot resumes every user."""
    await context.application.update_persistence()


async def _on_startup(application: CoachApplication) -> None:
    """Open the database, then publish the command menu and description (best effort)."""
    services: Services = application.bot_data[SERVICES_KEY]
    await services.db.connection()
    prompts = services.prompts
    try:
        await application.bot.set_my_commands(
            [BotCommand(name, prompts.label(f"menu.{name}")) for name in MENU_COMMANDS]
        )
        await application.bot.set_my_description(prompts.render_plain("meta/description"))
        await application.bot.set_my_short_description(
            prompts.render_plain("meta/short_description")
        )
    except TelegramError as exc:
        _LOGGER.warning("Could not set the command menu or description: %s", exc)


async def _on_shutdown(application: CoachApplication) -> None:
    """Close the database after the last update was handled."""
    services: Services = application.bot_data[SERVICES_KEY]
    await services.db.close()
