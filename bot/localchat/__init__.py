"""`comeback chat`: the whole coach in a terminal, against the in-process Bot API stand-in."""

from bot.localchat.runner import ChatOptions, local_settings, run_chat
from bot.localchat.session import LOCAL_TOKEN, LocalChat, parse_duration
from bot.localchat.terminal import render_entities, render_html

__all__ = [
    "LOCAL_TOKEN",
    "ChatOptions",
    "LocalChat",
    "local_settings",
    "parse_duration",
    "render_entities",
    "render_html",
    "run_chat",
]
