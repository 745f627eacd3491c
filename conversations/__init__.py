"""The coaching flows: one module per conversation, each with a State enum and build_handler()."""

from __future__ import annotations

from bot.services import SERVICES_KEY, CoachApplication
from conversations import (
    admin,
    checkin,
    common,
    debrief,
    guard,
    language,
    outcome,
    privacy,
    progress,
    settings,
)
from conversations import group as group_module
from conversations.routing import FlowRouter, Member


def register_handlers(application: CoachApplication, group: int, fallback_group: int) -> None:
    """Add every conversation and command, as one router (conversations.routing): the first
    that takes an update handles it, so order matters; conversations read their state from the
    database for each update.

    The check-in and settings conversations come before the debrief: while one of them waits
    for a typed answer ("how many of 3?"), the text must reach it, not start a debrief.
    """
    admins = application.bot_data[SERVICES_KEY].settings.admin_user_ids
    members: list[Member] = [
        # Edits, channel posts and sender-less or bot messages stop here (conversations.guard).
        *guard.handlers(),
        *admin.handlers(admins),
        *common.handlers_before(),
        # Group coaching: the bot joining or leaving groups, /join, /win, /group_settings.
        *group_module.handlers(),
        # /progress, /history, /privacy, /export, /delete work mid-conversation too.
        *progress.handlers(),
        *privacy.handlers(),
        *language.handlers(),
        checkin.build_handler(),
        settings.build_handler(),
        outcome.build_handler(),
        debrief.build_handler(),
        *common.handlers_after(),
    ]
    application.add_handler(FlowRouter(members), group)
