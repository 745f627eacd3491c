"""Fixtures for the stand-in tests: a FakeBotApi and a minimal real PTB Application."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeAlias

import pytest
import pytest_asyncio
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from standin import FakeBotApi, application_builder
from standin.http import StandinServer

AnyApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    yield fake
    fake.close()


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Go", callback_data="go"),
                InlineKeyboardButton("Stop", callback_data="stop"),
            ]
        ]
    )
    await update.effective_message.reply_text(
        "Welcome <b>there</b> &amp; hi", parse_mode="HTML", reply_markup=keyboard
    )


async def _button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("noted")
    await query.edit_message_text(f"You chose <i>{query.data}</i>", parse_mode="HTML")


async def _bad(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    try:
        await update.effective_message.reply_text("1 < 2", parse_mode="HTML")
    except BadRequest as exc:
        context.bot_data["error"] = exc.message


def build_handlers(app: AnyApp) -> None:
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CommandHandler("bad", _bad))
    app.add_handler(CallbackQueryHandler(_button))


@pytest_asyncio.fixture(params=["http", "inprocess"])
async def running_app(request: pytest.FixtureRequest, api: FakeBotApi) -> AsyncIterator[AnyApp]:
    """A real PTB Application polling the stand-in, over HTTP or in-process."""
    server = StandinServer(api) if request.param == "http" else None
    if server is not None:
        await server.start()
    app = application_builder(api, server).build()
    build_handlers(app)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if server is not None:
            await server.stop()
