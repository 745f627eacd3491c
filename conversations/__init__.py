"""The coaching flows: one module per conversation, each with a State enum and build_handler()."""

from __future__ import annotations

from bot.services import SERVICES_KEY, CoachApplication
from conversations import admin, checkin, common, debrief, guard, privacy, progress, settings
from conversations import group as group_module


def register_handlers(application: CoachApplication, group: int, fallback_group: int) -> None:
    """Add every conversation and command; within a group the first match wins, so order matters.

    The check-in and settings conversations come before the debrief: while one of them waits
    for a typed answer ("how many of 3?"), the text must reach it, not start a debrief.
    """
    # Edits, channel posts and sender-less or bot messages stop here (see conversations.guard).
    application.add_handlers(guard.handlers(), group)
    admins = application.bot_data[SERVICES_KEY].settings.admin_user_ids
    application.add_handlers(admin.handlers(admins), group)
    application.add_handlers(common.handlers_before(), group)
    # Group coaching: the bot joining or leaving groups, /join, /win, /group_settings, buttons.
    application.add_handlers(group_module.handlers(), group)
    # /progress, /history, /privacy, /export, /delete work mid-conversation too.
    application.add_handlers(progress.handlers(), group)
    application.add_handlers(privacy.handlers(), group)
    application.add_handler(checkin.build_handler(), group)
    application.add_handler(settings.build_handler(), group)
    application.add_handler(debrief.build_handler(), group)
    application.add_handlers(common.handlers_after(), group)
