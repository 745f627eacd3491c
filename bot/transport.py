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

from telegram.request import HTTPXRequest

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
