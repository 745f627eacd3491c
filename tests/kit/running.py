"""The real Application running against the fake Telegram, and the constants tests share."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from bot.app import build_application, webhook_arguments
from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.services import SERVICES_KEY, CoachApplication, Services
from standin import FakeBotApi
from standin.request import report_processed

TOKEN = "987654321:AAComebackTestTokenComebackTestTok0"
TOKEN_SECRET = TOKEN.split(":", 1)[1]  # the part after the bot id is what must never leak
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # a Friday, 09:00 UTC


STOP_TIMEOUT = 90.0  # seconds for each step of a stop; a normal one takes well under 1


class RunningBot:
    """Starts, stops and restarts the real Application the way `python -m bot` runs it."""

    def __init__(self, settings: Settings, api: FakeBotApi, clock: FakeClock, **build: Any) -> None:
        self.settings = settings
        self.api = api
        self.clock = clock
        self.build = build  # extra build_application arguments (e.g. a request with timeouts)
        self.app: CoachApplication | None = None

    @property
    def services(self) -> Services:
        """The running application's services."""
        assert self.app is not None
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services

    async def start(self) -> CoachApplication:
        """Build with the factory and start long polling."""
        app = build_application(self.settings, clock=self.clock, rng=random.Random(7), **self.build)
        report_processed(app, self.api)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        if self.settings.webhook_mode:
            await app.updater.start_webhook(**webhook_arguments(self.settings))
        else:
            await app.updater.start_polling(poll_interval=0, timeout=5)
        self.app = app
        return app

    async def stop(self) -> None:
        """Stop like SIGTERM does: finish, save state, close."""
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        # A stop that hangs fails the test, naming its step, instead of holding the suite.
        async with asyncio.timeout(STOP_TIMEOUT):
            await app.updater.stop()
        async with asyncio.timeout(STOP_TIMEOUT):
            await app.stop()
        async with asyncio.timeout(STOP_TIMEOUT):
            await app.shutdown()
        if app.post_shutdown is not None:
            async with asyncio.timeout(STOP_TIMEOUT):
                await app.post_shutdown(app)

    async def restart(self) -> CoachApplication:
        """Stop and start a fresh Application on the same database."""
        await self.stop()
        return await self.start()


@asynccontextmanager
async def started(running: RunningBot, *, all_answered: bool = True) -> AsyncIterator[RunningBot]:
    """Run the bot for a test; afterwards no request may have broken the Bot API's rules or
    exposed a secret (and, with `all_answered`, every button press was answered)."""
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    api = running.api
    assert api.violations == [], api.violations
    if all_answered:
        assert api.unanswered_callback_queries() == []
    assert_nothing_exposed(api)


def assert_nothing_exposed(api: FakeBotApi) -> None:
    """No message the bot sent shows the token or a traceback."""
    for event in api.events:
        shown = f"{event.text or ''} {event.plain_text}"
        assert TOKEN_SECRET not in shown, "the bot token was sent to a chat"
        assert "Traceback" not in shown, f"a traceback was sent to chat {event.chat_id}"


def token_leaks(sections: Iterable[tuple[str, str]]) -> list[str]:
    """The names of captured-output sections (stdout, stderr, log) that show the token."""
    return [name for name, text in sections if TOKEN_SECRET in text]


def bot_settings(base_url: str, database_url: str, **extra: object) -> Settings:
    """The settings of a bot under test: the fake Telegram at `base_url`, the test database."""
    return load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=base_url,
        database_url=database_url,
        default_timezone="UTC",
        helpline_countries="US,GB",
        **extra,
    )
