"""The framework floor: the least a python-telegram-bot bot can do for the same conversation.

    python -m benchmarks.floor_bot --script calls.json

Same python-telegram-bot version, long polling, concurrent updates (256, like Comeback), the
same HTTP transport as Comeback (bot/transport.py; `--transport default` for PTB's own), no
rate limiter, no persistence, no database, no templates. For each update it makes the Bot API
calls Comeback made for the same step of the same script (measured in the same run: the
`--script` file holds, per script variant and step, each call's method and parameters), so
both bots put the same requests on the wire. Its only state is each chat's step number.

With a `fanout` entry in the script ({"messages": [...], "chats": [...], "concurrency": 8})
it is the floor of the check-in fan-out instead: right after start it sends each chat one of
those messages (Comeback's own check-in texts and buttons), `concurrency` at a time, the way
Comeback's dispatcher does, minus the database and the rendering.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from benchmarks.botproc import run_profiled
from benchmarks.scenario import variant_of
from benchmarks.stalls import watch_application
from bot.transport import BoundedRequest


class Replay:
    """Per chat, answers update n with the calls of step n."""

    def __init__(self, variants: list[list[list[dict[str, Any]]]]) -> None:
        self.variants = [[[_prepare(c) for c in step] for step in steps] for steps in variants]
        self.steps: dict[int, int] = {}

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        user_id = update.effective_user.id if update.effective_user else chat_id
        step = self.steps.get(chat_id, 0)
        self.steps[chat_id] = step + 1
        steps = self.variants[variant_of(user_id)]
        if step >= len(steps):
            return
        query = update.callback_query
        for call in steps[step]:
            method = call["method"]
            if method == "sendMessage":
                await _send(context.bot, chat_id, call)
            elif method == "answerCallbackQuery" and query is not None:
                await query.answer(call.get("text"))
            elif method == "editMessageReplyMarkup" and query is not None:
                await query.edit_message_reply_markup(call.get("markup"))
            else:
                raise RuntimeError(f"the floor cannot replay {method}")


def _prepare(call: dict[str, Any]) -> dict[str, Any]:
    """Build the PTB objects once, at start."""
    ready = dict(call)
    markup = call.get("reply_markup")
    ready["markup"] = InlineKeyboardMarkup.de_json(markup, None) if markup else None
    preview = call.get("link_preview_options")
    ready["preview"] = LinkPreviewOptions.de_json(preview, None) if preview else None
    return ready


def build(
    token: str, base_url: str, script: Path, transport: str
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The floor application."""
    data = json.loads(script.read_text(encoding="utf-8"))
    builder = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(256)
    if transport == "bounded":
        builder = builder.request(BoundedRequest())
    fanout = data.get("fanout")
    if fanout is not None:

        async def start_sending(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
            application.create_task(send_all(application, fanout))

        builder = builder.post_init(start_sending)
    application = builder.build()
    application.add_handler(TypeHandler(Update, Replay(data.get("variants", []))))
    return application


async def send_all(application: Application[Any, Any, Any, Any, Any, Any], plan: Any) -> None:
    """Send each chat one message, `concurrency` at a time."""
    messages = [_prepare(m) for m in plan["messages"]]
    work = iter(enumerate(plan["chats"]))

    async def sender() -> None:
        for index, chat_id in work:
            await _send(application.bot, chat_id, messages[index % len(messages)])

    await asyncio.gather(*(sender() for _ in range(plan["concurrency"])))


async def _send(bot: Bot, chat_id: int, message: dict[str, Any]) -> None:
    """Send a message as Comeback sent it (prepared: markup and preview as objects)."""
    await bot.send_message(
        chat_id,
        message["text"],
        parse_mode=message.get("parse_mode"),
        reply_markup=message.get("markup"),
        link_preview_options=message.get("preview"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.floor_bot")
    parser.add_argument("--script", type=Path, required=True)
    parser.add_argument(
        "--transport",
        choices=("bounded", "default"),
        default="bounded",
        help="bounded: Comeback's HTTP transport (bot/transport.py); default: PTB's own",
    )
    parser.add_argument("--profile", type=Path, help="write a pyinstrument session here")
    args = parser.parse_args()

    from bot.config import load_settings
    from bot.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.token)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    assert settings.token is not None
    application = build(settings.token, settings.telegram_api_base_url, args.script, args.transport)
    watch_application(application, "floor")
    run_profiled(
        lambda: application.run_polling(allowed_updates=["message", "callback_query"]),
        args.profile,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
