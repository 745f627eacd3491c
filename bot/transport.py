"""The HTTP transport to the Bot API: python-telegram-bot's HTTPXRequest, kept to a few connections.

httpcore's connection pool looks at every pooled connection (is it idle? expired? its socket
still readable?) for every request it places, so a request costs more the more connections the
pool holds. python-telegram-bot sizes the pool at 256 for concurrent updates; with 100 chats
busy at once the bot then spent about half its CPU choosing connections (benchmarks/README.md).
This transport keeps at most `MAX_CONNECTIONS` requests in flight and queues the rest in an
asyncio semaphore, first come first served, before httpcore sees them: the pool stays small,
and a request waiting for a free connection never hits httpcore's pool timeout. Throughput is
not lost: a loopback round trip is well under a millisecond and Telegram allows about 30
messages a second.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.request import BaseRequest, HTTPXRequest, RequestData

MAX_CONNECTIONS = 8


class BoundedRequest(HTTPXRequest):
    """HTTPXRequest with at most `max_connections` requests in flight (the rest wait in turn)."""

    def __init__(self, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=max_connections, **kwargs)
        self._slots = asyncio.Semaphore(max_connections)

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Wait for a free connection, then send as HTTPXRequest does."""
        async with self._slots:
            return await super().do_request(*args, **kwargs)


class FetchedUpdates(BaseRequest):
    """The request getUpdates goes through (any BaseRequest, wrapped), keeping the updates of
    its latest call as Telegram sent them.

    The inbox stores each update as it came (bot/polling.py). Writing the parsed `Update` out
    again with `to_dict` cost 60-108 µs of CPU per update, about 3% of all the bot spent
    (benchmarks/README.md), for dicts python-telegram-bot had in hand and let go. The bot
    sends getUpdates alone through this request, one call at a time (the polling loop's), so
    the latest call's updates are the ones the loop just got.
    """

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner
        self._batch: list[Any] = []

    def take(self) -> dict[int, dict[str, Any]]:
        """The latest call's updates by update_id (each call's handed out once)."""
        batch, self._batch = self._batch, []
        return {
            sent["update_id"]: sent
            for sent in batch
            if isinstance(sent, dict) and isinstance(sent.get("update_id"), int)
        }

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        """Parse as python-telegram-bot does (its documented hook), and keep a batch of updates."""
        parsed = self._inner.parse_json_payload(payload)
        result = parsed.get("result") if isinstance(parsed, dict) else None
        if isinstance(result, list):
            self._batch = result
        return parsed

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        return await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
