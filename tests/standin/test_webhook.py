"""Webhook delivery by the fake Telegram: what it POSTs, retries, balancing and limits."""

from __future__ import annotations

import aiohttp
import pytest

from standin import FakeBotApi, StandinUpdateProcessor
from standin.http import StandinServer
from tests.kit.webhooks import WebhookReceiver, refused_url

pytestmark = pytest.mark.asyncio

SECRET = "s3cret_token-for-the-webhook-0123456789"


@pytest.fixture
def fast_api(api: FakeBotApi) -> FakeBotApi:
    api.webhook_retry_delay = 0.01
    api.webhook_max_retry_delay = 0.05
    return api


async def set_webhook(api: FakeBotApi, url: str, **params: object) -> None:
    status, body = await api.call("setWebhook", {"url": url, **params})
    assert (status, body) == (200, {"ok": True, "result": True})


async def webhook_info(api: FakeBotApi) -> dict[str, object]:
    status, body = await api.call("getWebhookInfo", {})
    assert status == 200
    info: dict[str, object] = body["result"]
    return info


async def test_an_update_arrives_as_json_with_the_secret(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook, StandinServer(api):
        await set_webhook(api, hook.url, secret_token=SECRET, max_connections=5)
        alice = api.private_user(1, "Alice")
        update_id = await alice.send_text("hello")
        await api.wait_acknowledged(update_id)

        [post] = hook.posts
        assert post.headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert post.headers["Content-Type"] == "application/json"
        assert post.body == api.updates[-1]
        assert post.body["message"]["text"] == "hello"
        assert post.body["message"]["chat"]["id"] == 1
        assert api.acknowledged(update_id) and api.is_processed(update_id)
        await api.wait_processed(update_id)
        await api.wait_idle()
        info = await webhook_info(api)
        assert info["url"] == hook.url
        assert info["pending_update_count"] == 0
        assert info["max_connections"] == 5
        assert "last_error_date" not in info

        status, body = await api.call("getUpdates", {"timeout": 0})
        assert status == 409
        assert "can't use getUpdates method while webhook is active" in body["description"]
    api.assert_no_violations()


async def test_an_application_reporting_what_it_handled_is_waited_for(
    fast_api: FakeBotApi,
) -> None:
    api = fast_api
    StandinUpdateProcessor(api)  # as application_builder and report_processed wire it
    async with WebhookReceiver() as hook, StandinServer(api):
        await set_webhook(api, hook.url)
        update_id = await api.private_user(1, "Alice").send_text("hello")
        await api.wait_acknowledged(update_id)
        assert not api.is_processed(update_id)  # stored by the bot, not yet handled
        with pytest.raises(TimeoutError, match="acknowledged it but it was never reported"):
            await api.wait_processed(update_id, timeout=0.01)
        api.mark_processed(update_id)
        await api.wait_processed(update_id)


async def test_no_secret_header_without_a_secret(fast_api: FakeBotApi) -> None:
    async with WebhookReceiver() as hook, StandinServer(fast_api):
        await set_webhook(fast_api, hook.url)
        update_id = await fast_api.private_user(1, "Alice").send_text("hi")
        await fast_api.wait_acknowledged(update_id)
        assert "X-Telegram-Bot-Api-Secret-Token" not in hook.posts[0].headers


async def test_a_refused_update_is_retried_until_acknowledged(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook, StandinServer(api):
        hook.answers = [500, 503]
        await set_webhook(api, hook.url, secret_token=SECRET)
        update_id = await api.private_user(1, "Alice").send_text("hello")
        await api.wait_acknowledged(update_id)

        assert hook.update_ids == [update_id] * 3
        assert [d.status for d in api.deliveries(update_id)] == [500, 503, 200]
        info = await webhook_info(api)
        assert info["pending_update_count"] == 0
        assert (
            info["last_error_message"] == "Wrong response from the webhook: 503 Service Unavailable"
        )
        assert isinstance(info["last_error_date"], int)


async def test_a_refused_connection_goes_to_the_next_worker(fast_api: FakeBotApi) -> None:
    api = fast_api
    down = refused_url()
    async with WebhookReceiver() as hook, StandinServer(api):
        api.webhook_targets = [down, hook.url]
        await set_webhook(api, "https://bot.example.org/hook", secret_token=SECRET)
        update_id = await api.private_user(1, "Alice").send_text("hello")
        await api.wait_acknowledged(update_id)

        attempts = api.deliveries(update_id)
        assert [(d.target, d.status, d.error) for d in attempts] == [
            (down, None, "Connection refused"),
            (hook.url, 200, None),
        ]
        assert hook.update_ids == [update_id]
        assert (await webhook_info(api))["last_error_message"] == "Connection refused"


async def test_an_unanswered_delivery_times_out_and_is_retried(fast_api: FakeBotApi) -> None:
    api = fast_api
    api.webhook_timeout = 0.2
    async with WebhookReceiver() as hook, StandinServer(api):
        hook.hold.clear()
        await set_webhook(api, hook.url)
        update_id = await api.private_user(1, "Alice").send_text("hello")
        await api.wait_for(lambda: api.deliveries(update_id), message="a first attempt")
        assert api.deliveries(update_id)[0].error == "Read timeout expired"
        assert not api.acknowledged(update_id)
        hook.hold.set()
        await api.wait_acknowledged(update_id)


async def test_round_robin_over_two_workers(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as first, WebhookReceiver() as second, StandinServer(api):
        api.webhook_targets = [first.url, second.url]
        await set_webhook(api, "https://bot.example.org/hook", secret_token=SECRET)
        alice, bob = api.private_user(1, "Alice"), api.private_user(2, "Bob")
        ids = [
            await alice.send_text("one"),
            await bob.send_text("two"),
            await alice.send_text("three"),
            await bob.send_text("four"),
        ]
        await api.wait_idle()

        assert first.update_ids == [ids[0], ids[2]]
        assert second.update_ids == [ids[1], ids[3]]
        assert all(p.headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET for p in first.posts)


async def test_delete_webhook_stops_delivery(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook, StandinServer(api):
        await set_webhook(api, hook.url)
        alice = api.private_user(1, "Alice")
        first = await alice.send_text("one")
        await api.wait_acknowledged(first)

        status, _ = await api.call("deleteWebhook", {})
        assert status == 200
        second = await alice.send_text("two")
        status, body = await api.call("getUpdates", {"timeout": 0})
        assert status == 200
        assert [u["update_id"] for u in body["result"]] == [second]
        assert hook.update_ids == [first]
        assert [d.update_id for d in api.webhook_deliveries] == [first]
        assert (await webhook_info(api))["url"] == ""


async def test_updates_go_out_in_order_one_connection_at_a_time(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook, StandinServer(api):
        alice, bob = api.private_user(1, "Alice"), api.private_user(2, "Bob")
        # queued before the webhook is set: they are all waiting when delivery starts
        ids = [await alice.send_text("one"), await bob.send_text("two")]
        ids.append(await alice.send_text("three"))
        await set_webhook(api, hook.url, max_connections=1)
        await api.wait_idle()
        assert hook.update_ids == ids
        assert hook.peak_in_flight == 1


async def test_max_connections_caps_requests_in_flight(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook, StandinServer(api):
        hook.hold.clear()
        await set_webhook(api, hook.url, max_connections=2)
        users = [api.private_user(n, f"User{n}") for n in range(1, 6)]
        ids = [await user.send_text("hi") for user in users]
        await hook.wait_for(lambda: hook.in_flight == 2)
        assert api.webhook_in_flight == 2
        assert sorted(hook.update_ids) == ids[:2]  # the oldest first
        assert (await webhook_info(api))["pending_update_count"] == 5

        hook.hold.set()
        await api.wait_idle()
        assert sorted(hook.update_ids) == ids
        assert hook.peak_in_flight == 2


async def test_a_chat_is_not_held_back_by_its_unacknowledged_update(
    fast_api: FakeBotApi,
) -> None:
    api = fast_api
    api.webhook_retry_delay = api.webhook_max_retry_delay = 60.0
    async with WebhookReceiver() as hook, StandinServer(api):
        hook.answers = [500]
        await set_webhook(api, hook.url)
        alice = api.private_user(1, "Alice")
        first = await alice.send_text("one")
        await api.wait_for(lambda: api.deliveries(first), message="a first attempt")
        second = await alice.send_text("two")
        await api.wait_acknowledged(second)
        assert not api.acknowledged(first)
        assert (await webhook_info(api))["pending_update_count"] == 1


async def test_allowed_updates_are_honoured(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook, StandinServer(api):
        await set_webhook(api, hook.url, allowed_updates='["edited_message"]')
        alice = api.private_user(1, "Alice")
        await alice.send_text("typo")
        message_id = api.updates[-1]["message"]["message_id"]
        edited = await alice.edit_message(message_id, "fixed")
        await api.wait_acknowledged(edited)
        await api.wait_idle()  # the dropped message does not keep it waiting

        assert [list(p.body) for p in hook.posts] == [["update_id", "edited_message"]]
        info = await webhook_info(api)
        assert info["allowed_updates"] == ["edited_message"]
        assert info["pending_update_count"] == 0


async def test_set_webhook_refusals_and_drop_pending(fast_api: FakeBotApi) -> None:
    api = fast_api
    status, body = await api.call("setWebhook", {"url": "https://e.org/h", "secret_token": "a b"})
    assert (status, body["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    status, _ = await api.call("setWebhook", {"url": "ftp://e.org/h"})
    assert status == 400
    assert (await webhook_info(api))["url"] == ""

    await api.private_user(1, "Alice").send_text("old")
    async with WebhookReceiver() as hook, StandinServer(api):
        await set_webhook(api, hook.url, drop_pending_updates=True)
        await api.wait_idle()
        assert (await webhook_info(api))["pending_update_count"] == 0
        await set_webhook(api, "")  # an empty URL removes the webhook
        assert (await webhook_info(api))["url"] == ""
    assert hook.posts == []


async def test_stopping_the_server_ends_deliveries_in_flight(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with WebhookReceiver() as hook:
        async with StandinServer(api):
            hook.hold.clear()
            await set_webhook(api, hook.url)
            update_id = await api.private_user(1, "Alice").send_text("hello")
            await hook.wait_for(lambda: hook.in_flight == 1)
        assert api.webhook_in_flight == 0
        assert not api.acknowledged(update_id)
        assert [u["update_id"] for u in api.pending_updates] == [update_id]


async def test_the_control_api_balances_and_lists_deliveries(fast_api: FakeBotApi) -> None:
    api = fast_api
    async with (
        WebhookReceiver() as first,
        WebhookReceiver() as second,
        StandinServer(api) as server,
        aiohttp.ClientSession() as http,
    ):
        targets = {"targets": [first.url, second.url]}
        async with http.post(f"{server.root_url}/_standin/webhook_targets", json=targets) as r:
            assert r.status == 200
        await set_webhook(api, "https://bot.example.org/hook")
        ids = [await api.private_user(n, f"U{n}").send_text("hi") for n in (1, 2)]
        await api.wait_idle()
        async with http.get(f"{server.root_url}/_standin/deliveries") as r:
            deliveries = await r.json()
        assert [(d["target"], d["update_id"], d["status"]) for d in deliveries] == [
            (first.url, ids[0], 200),
            (second.url, ids[1], 200),
        ]
        async with http.post(
            f"{server.root_url}/_standin/webhook_targets", json={"targets": "nope"}
        ) as r:
            assert r.status == 400
