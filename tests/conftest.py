"""Shared fixtures: the real Application (from the one factory) polling the fake Bot API."""

from __future__ import annotations

import os

# RetryAfter.retry_after as a timedelta, without the PTBDeprecationWarning that filterwarnings
# turns into an error (a 429 from the fake Telegram builds a RetryAfter).
os.environ.setdefault("PTB_TIMEDELTA", "1")

import logging
import random
from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.app import build_application
from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.services import SERVICES_KEY, CoachApplication, Services
from standin import FakeBotApi
from standin.http import StandinServer
from standin.request import report_processed

TOKEN = "987654321:AAComebackTestTokenComebackTestTok0"
TOKEN_SECRET = TOKEN.split(":", 1)[1]  # the part after the bot id is what must never leak
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


@pytest_asyncio.fixture
async def bot(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[RunningBot]:
    """A running bot; at the end no request may have broken the Bot API's rules."""
    async with started(RunningBot(settings, api, clock)) as running:
        yield running


def assert_nothing_exposed(api: FakeBotApi) -> None:
    """No message the bot sent shows the token or a traceback."""
    for event in api.events:
        shown = f"{event.text or ''} {event.plain_text}"
        assert TOKEN_SECRET not in shown, "the bot token was sent to a chat"
        assert "Traceback" not in shown, f"a traceback was sent to chat {event.chat_id}"


@pytest.fixture(autouse=True)
def _no_token_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test's log output must be free of the bot token."""
    caplog.set_level(logging.DEBUG)
    yield
    leaked = [r.getMessage() for r in caplog.records if TOKEN_SECRET in r.getMessage()]
    assert not leaked, leaked
    # caplog.text also holds the formatted tracebacks of logged exceptions.
    assert TOKEN_SECRET not in caplog.text, "the bot token appears in a logged traceback"


def token_leaks(sections: Iterable[tuple[str, str]]) -> list[str]:
    """The names of captured-output sections (stdout, stderr, log) that show the token."""
    return [name for name, text in sections if TOKEN_SECRET in text]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Fail any test whose captured stdout, stderr or log shows the token (whole suite)."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    leaks = token_leaks(report.sections)
    if leaks and not report.failed:
        report.outcome = "failed"
        report.longrepr = f"the bot token appears in captured output: {', '.join(leaks)}"
