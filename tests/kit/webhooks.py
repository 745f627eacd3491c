"""A tiny webhook receiver on loopback, to see what the fake Telegram POSTs to a webhook."""

# The waiting helper takes a `timeout` argument on purpose (test-facing API).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass
class Post:
    """One request the receiver got."""

    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def update_id(self) -> int:
        return int(self.body["update_id"])


class WebhookReceiver:
    """Answers POST /hook with the next of `answers` (200 once they run out), recording each
    request. While `hold` is cleared, requests wait (and count in `in_flight`) before answering.
    """

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.answers: list[int] = []
        self.hold = asyncio.Event()
        self.hold.set()
        self.in_flight = 0
        self.peak_in_flight = 0
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self._app = app

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/hook"

    @property
    def update_ids(self) -> list[int]:
        return [p.update_id for p in self.posts]

    async def __aenter__(self) -> WebhookReceiver:
        runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.hold.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 5.0) -> None:
        """Wait until `predicate()` is true, re-checked on every request."""
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    async def _hook(self, request: web.Request) -> web.Response:
        self.posts.append(Post(dict(request.headers), json.loads(await request.read())))
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        self._changed.set()
        try:
            await self.hold.wait()
        finally:
            self.in_flight -= 1
            self._changed.set()
        status = self.answers.pop(0) if self.answers else 200
        return web.Response(status=status, text="{}" if status == 200 else "no")


def refused_url() -> str:
    """A loopback URL where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
