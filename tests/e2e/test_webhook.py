"""Webhook mode (issue 20): the endpoint stores an update before it says 200, refuses what is not
Telegram's, acknowledges kinds it does not handle, and the worker answers from the inbox.

The fake Bot API delivers updates by webhook the way Telegram does (standin/webhooks.py): a POST
with the secret header, sent again until it is acknowledged."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from bot.clock import FakeClock
from bot.config import Settings
from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit.chat import last_text
from tests.kit.db import DbTarget, rows, stored_payloads, url_of, waiting
from tests.kit.running import RunningBot, bot_settings, started

SECRET = "webhook-secret_0123456789abcdefghijklmnop"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture
def webhook_settings(server: StandinServer, db_path: DbTarget) -> Settings:
    return bot_settings(
        server.base_url,
        url_of(db_path),
        webhook_url="https://comeback.example/telegram/hook",
        webhook_listen="127.0.0.1:0",
        webhook_secret_token=SECRET,
    )


@pytest_asyncio.fixture
async def worker(
    webhook_settings: Settings, api: FakeBotApi, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with started(RunningBot(webhook_settings, api, clock)) as running:
        yield running


def endpoint(worker: RunningBot, path: str = "/telegram/hook") -> str:
    updater = worker.services.updater
    assert updater is not None and updater.webhook_address is not None
    return f"http://{updater.webhook_address}{path}"


def deliver_here(api: FakeBotApi, worker: RunningBot) -> None:
    """Point the fake's deliveries at this worker (the registered URL is a public one)."""
    api.webhook_targets = [endpoint(worker)]


def command(update_id: int, user_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_795_770_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Kit"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Kit"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def post(url: str, body: bytes, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=io.BytesIO(body), headers=headers) as response,
    ):
        return response.status


async def test_the_bot_registers_its_webhook_with_the_secret_and_the_kinds_it_handles(
    worker: RunningBot, api: FakeBotApi
) -> None:
    [call] = api.calls("setWebhook")
    assert call.params["url"] == "https://comeback.example/telegram/hook"
    assert call.params["secret_token"] == SECRET
    assert call.params["max_connections"] == 40
    assert set(call.params["allowed_updates"]) == {
        "message", "edited_message", "callback_query", "my_chat_member", "poll_answer"
    }  # fmt: skip
    assert api.calls("getUpdates") == []


async def test_a_person_walks_the_debrief_by_webhook(
    worker: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    deliver_here(api, worker)
    kit = api.private_user(9401, first_name="Kit")
    shown = await kit.command("/start")
    assert "Which company was it?" in shown[-1].plain_text
    shown = await kit.say("Initech")
    assert shown[-1].plain_text == "What was the role?"
    shown = await kit.say("Analyst")
    assert shown[-1].plain_text == "How far did you get with Initech?"
    assert rows(db_path, "SELECT company, role, step FROM rejections") == [
        ("Initech", "Analyst", "stage")
    ]
    await api.wait_for(lambda: waiting(db_path) == 0)


async def test_bad_requests_are_refused_and_the_worker_keeps_serving(
    worker: RunningBot, api: FakeBotApi, db_path: DbTarget
) -> None:
    url = endpoint(worker)
    kit = api.private_user(9402, first_name="Kit")
    api.open_private_chat(kit)
    good = json.dumps(command(700001, 9402, "/start")).encode()
    assert await post(url, good, secret=None) == 403
    assert await post(url, good, secret="x" * len(SECRET)) == 403
    assert await post(url, good, secret=SECRET[:-1]) == 403
    assert await post(url, b"{" * 2_000_000) == 413
    assert await post(url, b'{"update_id": 5, "message": ') == 400
    assert await post(url, b'"just a string"') == 400
    assert await post(url, b'{"message": {}}') == 400  # no update_id
    assert await post(url, b"\xff\xfe") == 400
    assert waiting(db_path) == 0
    # A kind this bot does not handle: acknowledged (or Telegram would retry it forever), ignored.
    unknown = {"update_id": 700002, "chat_boost": {"chat": {"id": 1, "type": "channel"}}}
    assert await post(url, json.dumps(unknown).encode()) == 200
    assert waiting(db_path) == 0
    # The worker still serves: a good update is stored, acknowledged and answered.
    assert await post(url, good) == 200
    await api.wait_for(lambda: "Which company was it?" in last_text(api, kit))
    await api.wait_for(lambda: waiting(db_path) == 0)
    answered = [m.plain_text for m in api.chat_messages(kit)]
    # The same update sent again after it was handled (Telegram retries what it thinks was not
    # acknowledged): acknowledged, not stored, not answered twice.
    assert await post(url, good) == 200
    assert waiting(db_path) == 0
    await api.wait_idle()
    assert [m.plain_text for m in api.chat_messages(kit)] == answered
    assert rows(db_path, "SELECT update_id FROM inbox_handled") == [(700001,)]


async def test_health_and_metrics_share_the_webhook_listener(worker: RunningBot) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(endpoint(worker, "/healthz")) as response:
            assert response.status == 200
            health = await response.json()
        async with session.get(endpoint(worker, "/metrics")) as response:
            assert response.status == 200
            text = await response.text()
    assert health["database"] == "ok"
    assert health["inbox_depth"] == 0
    assert "comeback_updates_handled_total" in text
    assert "comeback_inbox_depth 0.0" in text


async def test_an_update_is_stored_as_telegram_sent_it(
    worker: RunningBot, api: FakeBotApi, db_path: DbTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver_here(api, worker)
    updater = worker.services.updater
    assert updater is not None
    stored = stored_payloads(monkeypatch, updater.inbox, "done_remembered", db_path)
    kit = api.private_user(9402, first_name="Kit")
    await kit.command("/start")
    message = command(0, kit.id, "/help")["message"]
    assert isinstance(message, dict)
    later = {**message, "a_field_from_a_newer_bot_api": {"kept": True}}
    update_id = api.queue_update("message", later)
    await api.wait_processed(update_id)
    assert stored[update_id] == {"update_id": update_id, "message": later}
    assert "/rejected" in last_text(api, kit)
