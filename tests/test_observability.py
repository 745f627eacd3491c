"""Health, metrics and JSON logs: what an operator's probe, scraper and log collector see.

/metrics is read as Prometheus reads it (its own parser), /healthz as a load balancer does (the
HTTP status, then the JSON), and JSON logs line by line; none of them may show anyone's words
or the bot token.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families
from telegram.error import RetryAfter

from bot import observability
from bot.clock import FakeClock, to_db
from bot.config import Settings
from bot.logs import configure_logging
from bot.observability import Metrics, metrics_body
from bot.rendering import Prompts
from bot.scheduling.ratelimit import SINGLE_ATTEMPT, CoachRateLimiter
from bot.services import Services
from bot.storage.connect import settings_database
from bot.webhook import serve_observability
from standin import FakeBotApi
from tests.kit.checkins import finish_debrief, local, move_to, with_text
from tests.kit.db import DbTarget, on_postgres, write
from tests.kit.running import START, TOKEN, TOKEN_SECRET, RunningBot

NAMES = {
    "comeback_updates_handled",
    "comeback_update_seconds",
    "comeback_updates_dropped",
    "comeback_checkins_sent",
    "comeback_checkins_failed",
    "comeback_telegram_429",
    "comeback_checkins_pending",
    "comeback_checkins_due",
    "comeback_checkins_backlog_clears_in_seconds",
    "comeback_inbox_depth",
    "comeback_inbox_oldest_age_seconds",
    "comeback_workers_alive",
    "comeback_database_up",
    "comeback_worker_info",
}


def samples(text: str) -> dict[str, float]:
    """Every sample as Prometheus parses it: `name{label="v",...}` -> value."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def families(text: str) -> set[str]:
    return {family.name for family in text_string_to_metric_families(text)}


async def scrape(services: Services) -> dict[str, float]:
    return samples((await metrics_body(services)).decode())


# --- Metrics on their own ----------------------------------------------------------------


def test_the_metrics_text_is_prometheus_exposition_with_every_name() -> None:
    metrics = Metrics("worker-a")
    metrics.update_handled(0.003)
    metrics.update_handled(0.2)
    metrics.checkin_sent()
    metrics.checkin_sent("group")
    metrics.checkin_failed("group")
    metrics.retry_after()
    text = metrics.exposition().decode()
    assert families(text) == NAMES
    found = samples(text)
    assert found["comeback_updates_handled_total"] == 2
    assert found["comeback_update_seconds_count"] == 2
    assert found['comeback_update_seconds_bucket{le="0.005"}'] == 1
    assert found['comeback_update_seconds_bucket{le="10.0"}'] == 2
    assert found['comeback_checkins_sent_total{kind="private"}'] == 1
    assert found['comeback_checkins_sent_total{kind="group"}'] == 1
    assert found['comeback_checkins_failed_total{kind="private"}'] == 0
    assert found['comeback_checkins_failed_total{kind="group"}'] == 1
    assert found["comeback_telegram_429_total"] == 1
    assert found['comeback_worker_info{worker="worker-a"}'] == 1
    assert found["comeback_workers_alive"] == 1


def test_each_application_counts_in_a_registry_of_its_own() -> None:
    first, second = Metrics("one"), Metrics("two")
    first.update_handled(0.01)
    assert samples(second.exposition().decode())["comeback_updates_handled_total"] == 0
    assert 'worker="one"' not in second.exposition().decode()


async def test_a_429_met_by_the_rate_limiter_is_counted() -> None:
    metrics = Metrics("w")
    limiter = CoachRateLimiter(metrics=metrics)

    async def flooded() -> bool:
        raise RetryAfter(timedelta(seconds=3))

    with pytest.raises(RetryAfter):
        await limiter.process_request(
            flooded, (), {}, "sendMessage", {"chat_id": 42}, SINGLE_ATTEMPT
        )
    assert samples(metrics.exposition().decode())["comeback_telegram_429_total"] == 1


# --- Through the real application --------------------------------------------------------


async def test_updates_handled_are_counted_and_timed_as_a_person_walks_a_step(
    bot: RunningBot, api: FakeBotApi
) -> None:
    before = await scrape(bot.services)
    ann = api.private_user(9101, first_name="Annabel")
    await ann.command("/start")
    await ann.say("Secret Employer Ltd")
    text = (await metrics_body(bot.services)).decode()
    after = samples(text)
    handled = after["comeback_updates_handled_total"] - before["comeback_updates_handled_total"]
    assert handled == 2
    assert after["comeback_update_seconds_count"] == after["comeback_updates_handled_total"]
    assert 0 < after["comeback_update_seconds_sum"] < 10
    assert after["comeback_inbox_depth"] == 0
    assert after["comeback_inbox_oldest_age_seconds"] == 0
    assert after["comeback_database_up"] == 1
    assert after["comeback_workers_alive"] == 1
    worker = bot.services.metrics.worker
    assert after[f'comeback_worker_info{{worker="{worker}"}}'] == 1
    for private in ("Annabel", "Secret Employer", str(ann.id), TOKEN_SECRET):
        assert private not in text


async def test_check_ins_sent_failed_and_pending_are_counted(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    cyd = api.private_user(9102, first_name="Cyd")
    dot = api.private_user(9103, first_name="Dot")
    await finish_debrief(bot, cyd, timezone="UTC", deadline=date(2026, 12, 4))
    await finish_debrief(bot, dot, timezone="UTC", deadline=date(2026, 12, 4))
    before = await scrape(bot.services)
    assert before["comeback_checkins_pending"] >= 2
    api.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=dot.id)
    await move_to(bot, clock, local(date(2026, 11, 30), 18, "UTC"))
    assert len(with_text(api, cyd, "Halfway")) == 1
    after = await scrape(bot.services)
    assert after['comeback_checkins_sent_total{kind="private"}'] == 1
    assert after['comeback_checkins_failed_total{kind="private"}'] == 1
    assert after["comeback_checkins_pending"] == before["comeback_checkins_pending"] - 2


async def test_a_check_in_met_by_flood_control_counts_a_429_not_a_failure(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    cyd = api.private_user(9104, first_name="Cyd")
    await finish_debrief(bot, cyd, timezone="UTC", deadline=date(2026, 12, 4))
    api.fail_next("sendMessage", 429, retry_after=30, chat_id=cyd.id)
    await move_to(bot, clock, local(date(2026, 11, 30), 18, "UTC"))
    found = await scrape(bot.services)
    assert found["comeback_telegram_429_total"] == 1
    assert found['comeback_checkins_failed_total{kind="private"}'] == 0
    assert found['comeback_checkins_sent_total{kind="private"}'] == 0


# --- /healthz and /metrics over HTTP -----------------------------------------------------


@pytest_asyncio.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    """The bot's services on its database, with no application taking updates from the inbox."""
    made = Services(
        settings=settings,
        db=settings_database(settings),
        prompts=Prompts(),
        clock=clock,
        rng=random.Random(7),
    )
    await made.db.open()
    yield made
    await made.db.close()


async def serve(services: Services) -> tuple[aiohttp.web.AppRunner, str]:
    runner = await serve_observability(services, "127.0.0.1:0")
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def test_health_is_200_on_a_working_database_and_metrics_are_served(
    services: Services,
) -> None:
    runner, base = await serve(services)
    try:
        status, content_type, text = await get(f"{base}/healthz")
        assert status == 200 and content_type.startswith("application/json")
        assert json.loads(text) == {
            "status": "ok",
            "database": "ok",
            "inbox_depth": 0,
            "oldest_update_age_seconds": None,
            "workers_alive": 1,
            "worker": services.metrics.worker,
        }
        status, content_type, text = await get(f"{base}/metrics")
        assert status == 200 and content_type == CONTENT_TYPE_LATEST
        assert families(text) == NAMES
    finally:
        await runner.cleanup()


def wait_in_inbox(target: DbTarget, update_id: int, received: datetime) -> None:
    write(
        target,
        "INSERT INTO inbox (update_id, user_id, payload, screened, received_at, chat_key)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (update_id, 77, json.dumps({"update_id": update_id}), None, to_db(received), 77),
    )


async def test_health_is_503_while_an_update_has_waited_over_two_minutes(
    services: Services, db_path: DbTarget, clock: FakeClock
) -> None:
    wait_in_inbox(db_path, 500, START - timedelta(seconds=90))
    runner, base = await serve(services)
    try:
        status, _, text = await get(f"{base}/healthz")
        assert status == 200
        assert json.loads(text)["oldest_update_age_seconds"] == 90
        clock.advance(timedelta(seconds=31))
        status, _, text = await get(f"{base}/healthz")
        assert status == 503
        body = json.loads(text)
        assert body["status"] == "unhealthy" and body["database"] == "ok"
        assert body["inbox_depth"] == 1 and body["oldest_update_age_seconds"] == 121
        found = samples((await get(f"{base}/metrics"))[2])
        assert found["comeback_inbox_depth"] == 1
        assert found["comeback_inbox_oldest_age_seconds"] == 121
    finally:
        await runner.cleanup()


async def test_health_is_503_when_the_database_is_unreachable(
    settings: Settings,
    db_path: DbTarget,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(observability, "DATABASE_TIMEOUT_SECONDS", 1.0)
    if on_postgres(db_path):
        nowhere = "postgresql://comeback@127.0.0.1:1/comeback"
    else:
        folder = tmp_path / "not-a-database.sqlite3"
        folder.mkdir()  # SQLite cannot open a folder as its file
        nowhere = f"sqlite:///{folder}"
    unreachable = Services(
        settings=settings.model_copy(update={"database_url": nowhere}),
        db=settings_database(settings.model_copy(update={"database_url": nowhere})),
        prompts=Prompts(),
        clock=clock,
        rng=random.Random(7),
    )
    runner, base = await serve(unreachable)
    try:
        status, _, text = await get(f"{base}/healthz")
        assert status == 503
        body = json.loads(text)
        assert body["status"] == "unhealthy" and body["database"] == "unreachable"
        assert body["inbox_depth"] is None
        assert samples((await get(f"{base}/metrics"))[2])["comeback_database_up"] == 0
    finally:
        await runner.cleanup()
        await unreachable.db.close()


# --- JSON logs ---------------------------------------------------------------------------


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restored_logging")
def test_json_logs_are_one_parseable_object_per_event_with_the_token_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", TOKEN, log_format="json", worker="host-1:42")
    log = logging.getLogger("bot.somewhere")
    log.info("Started for %s", "everyone")
    log.warning("Bot API at https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"refused https://api.telegram.org/bot{TOKEN}/sendMessage\nsecond")
    except RuntimeError:
        log.exception("Could not send")
    log.debug("not at INFO")
    err = capsys.readouterr().err
    assert TOKEN_SECRET not in err
    lines = err.splitlines()
    assert len(lines) == 3
    events = [json.loads(line) for line in lines]
    assert [e["level"] for e in events] == ["INFO", "WARNING", "ERROR"]
    first = events[0]
    assert first["message"] == "Started for everyone"
    assert first["logger"] == "bot.somewhere" and first["worker"] == "host-1:42"
    assert datetime.fromisoformat(first["time"]).utcoffset() == timedelta(0)
    assert "exc" not in first
    assert "[token]" in events[1]["message"]
    failed = events[2]
    assert failed["message"] == "Could not send" and failed["exc_type"] == "RuntimeError"
    assert failed["exc"].startswith("Traceback (most recent call last):")
    assert "[token]" in failed["exc"] and "second" in failed["exc"]


@pytest.mark.usefixtures("restored_logging")
def test_text_logs_stay_one_line_per_event(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", TOKEN)
    try:
        raise ValueError("first\nsecond")
    except ValueError:
        logging.getLogger("bot.x").exception("Failed")
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "ERROR bot.x: Failed | Traceback" in err and "first | second" in err


async def test_a_polling_bot_serves_health_and_metrics_on_metrics_listen(
    settings: Settings, api: FakeBotApi, clock: FakeClock
) -> None:
    """METRICS_LISTEN through the application's own start-up, as `python -m bot` runs it."""
    polling = settings.model_copy(update={"metrics_listen": "127.0.0.1:0"})
    running = RunningBot(polling, api, clock)
    await running.start()
    try:
        server = running.services.metrics_server
        assert server is not None
        host, port = server.addresses[0][:2]
        ada = api.private_user(9601, first_name="Ada")
        await ada.command("/start")
        status, _, text = await get(f"http://{host}:{port}/healthz")
        assert status == 200 and json.loads(text)["database"] == "ok"
        status, _, text = await get(f"http://{host}:{port}/metrics")
        assert status == 200 and samples(text)["comeback_updates_handled_total"] >= 1
    finally:
        await running.stop()
    with pytest.raises(aiohttp.ClientConnectionError):  # closed with the bot
        await get(f"http://{host}:{port}/healthz")
