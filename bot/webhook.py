"""The webhook endpoint: Telegram posts each update here, and it is stored before it is answered.

python-telegram-bot's own webhook server compares the secret with `!=`, logs request bodies and
serves one route; this one (aiohttp) checks the secret in constant time, refuses what is too big
or malformed without harm, acknowledges update kinds the bot does not handle (a refusal would
make Telegram retry and stall that chat), and answers 200 only once the update is committed to
the inbox (idempotent on update_id). Telegram sends again whatever was not acknowledged, so
nothing acknowledged is lost. Workers then take the updates from the inbox (bot/polling.py).
/healthz and /metrics (bot/observability.py) share the listener, or in polling mode have one of
their own (METRICS_LISTEN). aiohttp is imported only where one of these servers runs: a polling
bot without METRICS_LISTEN starts without it.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Bot, Update

from bot.config import listen_address
from bot.intake import incoming
from bot.observability import health, metrics_body
from bot.storage.database import StorageUnavailable
from bot.storage.interfaces import InboxRepository

if TYPE_CHECKING:
    from bot.services import Services

_LOGGER = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are far smaller; anything bigger is not Telegram


class WebhookEndpoint:
    """POST `path`: one update from Telegram, kept in the inbox before it is acknowledged."""

    def __init__(
        self,
        bot: Bot,
        inbox: InboxRepository,
        secret: str,
        allowed_updates: Sequence[str],
        on_stored: Callable[[], None],
    ) -> None:
        self._bot = bot
        self._inbox = inbox
        self._secret = secret.encode()
        self._allowed = frozenset(allowed_updates)
        self._on_stored = on_stored

    async def receive(self, request: web.Request) -> web.Response:
        """Check, parse and store one update; 200 only once it is stored."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            _LOGGER.warning("Webhook request with a wrong secret from %s", request.remote)
            return web.Response(status=403)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return web.Response(status=400, text="malformed JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        if not self._allowed.intersection(data):
            # A kind this bot does not handle: acknowledged, so Telegram does not keep retrying.
            _LOGGER.info("Ignored update %s of a kind not handled", data["update_id"])
            return web.Response(status=200)
        try:
            update = Update.de_json(data, self._bot)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            _LOGGER.warning("Could not read update %s: %s", data["update_id"], exc)
            return web.Response(status=400, text="not an update")
        if update is None:
            return web.Response(status=400, text="not an update")
        try:
            await self._inbox.receive(incoming(update, data))
        except StorageUnavailable as exc:
            # Not acknowledged: Telegram sends it again, to this worker or another.
            _LOGGER.warning("Could not store update %s: %s", update.update_id, exc)
            return web.Response(status=503)
        self._on_stored()
        return web.Response(status=200)


def webhook_app(
    endpoint: WebhookEndpoint, path: str, extra_routes: Sequence[web.RouteDef] = ()
) -> web.Application:
    """The aiohttp application of one worker: the webhook, then /healthz and /metrics."""
    app = web.Application(client_max_size=MAX_BODY)
    app.add_routes([web.post(path or "/", endpoint.receive), *extra_routes])
    return app


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start serving `app` on host:port (no access log: it would show the webhook's path)."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner


def observability_routes(services: Services) -> list[web.RouteDef]:
    """GET /healthz (JSON) and GET /metrics (Prometheus text), for any aiohttp application."""

    async def healthz(request: web.Request) -> web.Response:
        status, body = await health(services)
        return web.Response(
            status=status,
            text=json.dumps(body),
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    async def metrics(request: web.Request) -> web.Response:
        started = time.perf_counter()
        payload = await metrics_body(services)
        _LOGGER.debug("Metrics scraped in %.3f s", time.perf_counter() - started)
        return web.Response(
            body=payload,
            headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"},
        )

    return [web.get("/healthz", healthz), web.get("/metrics", metrics)]


async def serve_observability(services: Services, listen: str) -> web.AppRunner:
    """Serve /healthz and /metrics on `listen` (host:port; port 0 picks a free one, see
    `runner.addresses`); stop with `await runner.cleanup()`."""
    app = web.Application()
    app.add_routes(observability_routes(services))
    # No access log: a scrape every few seconds would drown the bot's own lines.
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, port = listen_address(listen)
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    _LOGGER.info("Health and metrics on %s (/healthz, /metrics)", _shown(runner.addresses))
    return runner


def _shown(addresses: list[object]) -> str:
    shown = []
    for address in addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            host, port = address[0], address[1]
            shown.append(f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}")
    return ", ".join(shown) or "?"
