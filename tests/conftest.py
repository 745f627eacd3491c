"""Shared fixtures: the real Application (from the one factory) polling the fake Bot API."""

from __future__ import annotations

import os

# RetryAfter.retry_after as a timedelta, without the PTBDeprecationWarning that filterwarnings
# turns into an error (a 429 from the fake Telegram builds a RetryAfter).
os.environ.setdefault("PTB_TIMEDELTA", "1")

import logging
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import build_application
from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.services import SERVICES_KEY, CoachApplication, Services
from bot.standin import FakeBotApi, StandinServer
from bot.standin.request import PROCESSED_GROUP, processed_handler

TOKEN = "987654321:AAComebackTestTokenComebackTestTok0"
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # a Friday, 09:00 UTC


@pytest.fixture
def clock() -> FakeClock:
    """The bot's clock; tests move it instead of sleeping."""
    return FakeClock(START)


@pytest.fixture
def api(clock: FakeClock) -> Iterator[FakeBotApi]:
    """The fake Telegram: checks every request against the official Bot API spec."""
    fake = FakeBotApi(TOKEN, now=lambda: clock.now().timestamp())
    yield fake
    fake.close()


@pytest_asyncio.fixture
async def server(api: FakeBotApi) -> AsyncIterator[StandinServer]:
    """The fake Telegram served over real loopback HTTP."""
    http = StandinServer(api)
    await http.start()
    yield http
    await http.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A real SQLite file in a temporary folder."""
    return tmp_path / "comeback.sqlite3"


@pytest.fixture
def settings(server: StandinServer, db_path: Path) -> Settings:
    """Settings pointing the bot at the fake Telegram and the temporary database."""
    return load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=server.base_url,
        database_url=f"sqlite:///{db_path}",
        default_timezone="UTC",
        helpline_countries="US,GB",
    )


class RunningBot:
    """Starts, stops and restarts the real Application the way `python -m bot` runs it."""

    def __init__(self, settings: Settings, api: FakeBotApi, clock: FakeClock) -> None:
        self.settings = settings
        self.api = api
        self.clock = clock
        self.app: CoachApplication | None = None

    @property
    def services(self) -> Services:
        """The running application's services."""
        assert self.app is not None
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services

    async def start(self) -> CoachApplication:
        """Build with the factory and start long polling."""
        app = build_application(self.settings, clock=self.clock, rng=random.Random(7))
        app.add_handler(processed_handler(self.api), PROCESSED_GROUP)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        self.app = app
        return app

    async def stop(self) -> None:
        """Stop like SIGTERM does: finish, save state, close."""
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def restart(self) -> CoachApplication:
        """Stop and start a fresh Application on the same database."""
        await self.stop()
        return await self.start()


@pytest_asyncio.fixture
async def bot(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[RunningBot]:
    """A running bot; at the end no request may have broken the Bot API's rules."""
    running = RunningBot(settings, api, clock)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
    assert api.violations == [], api.violations
    assert api.unanswered_callback_queries() == []


@pytest.fixture(autouse=True)
def _no_token_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test's log output must be free of the bot token."""
    caplog.set_level(logging.DEBUG)
    yield
    leaked = [r.getMessage() for r in caplog.records if TOKEN in r.getMessage()]
    assert not leaked, leaked
