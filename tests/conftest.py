"""Shared fixtures: the real Application (from the one factory) polling the fake Bot API."""

from __future__ import annotations

import os

# RetryAfter.retry_after as a timedelta, without the PTBDeprecationWarning that filterwarnings
# turns into an error (a 429 from the fake Telegram builds a RetryAfter).
os.environ.setdefault("PTB_TIMEDELTA", "1")

import logging
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit.running import START, TOKEN, TOKEN_SECRET, RunningBot, started, token_leaks


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


@pytest_asyncio.fixture
async def bot(settings: Settings, api: FakeBotApi, clock: FakeClock) -> AsyncIterator[RunningBot]:
    """A running bot; at the end no request may have broken the Bot API's rules."""
    async with started(RunningBot(settings, api, clock)) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_token_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test's log output must be free of the bot token."""
    caplog.set_level(logging.DEBUG)
    yield
    leaked = [r.getMessage() for r in caplog.records if TOKEN_SECRET in r.getMessage()]
    assert not leaked, leaked
    # caplog.text also holds the formatted tracebacks of logged exceptions.
    assert TOKEN_SECRET not in caplog.text, "the bot token appears in a logged traceback"


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
