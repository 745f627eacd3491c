"""The coaching flows: one module per conversation, each with a State enum and build_handler()."""

from __future__ import annotations

from bot.services import CoachApplication
from conversations import common, debrief


def register_handlers(application: CoachApplication, group: int, fallback_group: int) -> None:
    """Add every conversation and command; within a group the first match wins, so order matters."""
    application.add_handlers(common.handlers_before(), group)
    application.add_handler(debrief.build_handler(), group)
    application.add_handlers(common.handlers_after(), group)
