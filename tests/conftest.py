"""Shared fixtures: the real Application (from the one factory) polling the fake Bot API."""

from __future__ import annotations

import os

# RetryAfter.retry_after as a timedelta, without the PTBDeprecationWarning that filterwarnings
# turns into an error (a 429 from the fake Telegram builds a RetryAfter).
os.environ.setdefault("PTB_TIMEDELTA", "1")

import logging
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.clock import FakeClock
from bot.config import Settings
from bot.storage.database import SqlStore
from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit import pg
from tests.kit.db import DbTarget, open_store, url_of
from tests.kit.running import (
    START,
    TOKEN,
    TOKEN_SECRET,
    RunningBot,
    bot_settings,
    started,
    token_leaks,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs on PostgreSQL (tests/kit/pg.py)")
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): tests SQLite's own machinery (its file, query plans, backup API);"
        " not run on PostgreSQL",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked sqlite_only runs on SQLite alone (no skipped PostgreSQL twin)."""
    kept = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_path") if callspec is not None else None
        if backend == "postgresql" and item.get_closest_marker("sqlite_only"):
            continue
        kept.append(item)
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


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


@pytest.fixture(params=BACKENDS)
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DbTarget]:
    """The bot's database, on each backend: a real SQLite file in a temporary folder, or a
    PostgreSQL URL whose schema is new and dropped afterwards (tests/kit/pg.py)."""
    if request.param == "sqlite":
        yield tmp_path / "comeback.sqlite3"
        return
    with _postgres_schema() as url:
        yield url


@contextmanager
def _postgres_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema's URL; without a server, a skip (a failure under
    REQUIRE_POSTGRES)."""
    try:
        pg.server_url()
    except pg.NoPostgres as exc:
        if pg.required():
            pytest.fail(f"REQUIRE_POSTGRES is set and there is no PostgreSQL: {exc}")
        pytest.skip(f"no PostgreSQL for the tests: {exc}")
    with pg.fresh_schema() as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL database URL of its own (a fresh schema), for tests of PostgreSQL alone."""
    with _postgres_schema() as url:
        yield url


@pytest.fixture
def settings(server: StandinServer, db_path: DbTarget) -> Settings:
    """Settings pointing the bot at the fake Telegram and the temporary database."""
    return bot_settings(server.base_url, url_of(db_path))


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


@pytest_asyncio.fixture
async def store(db_path: DbTarget) -> AsyncIterator[SqlStore]:
    """The bot's database on each backend (`db_path`), opened and migrated; closed afterwards.
    Tests that need a second connection (another process) open one with `open_store(db_path)`."""
    database = open_store(db_path)
    await database.open()
    yield database
    await database.close()
