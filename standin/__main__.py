"""Run the stand-in Bot API standalone: ``python -m standin --port 8081 --token TOKEN``.

Point a bot at it with ``base_url=http://127.0.0.1:8081/bot`` and inject user messages with
``curl -d '{"user_id":1,"text":"/start"}' http://127.0.0.1:8081/_standin/send``
(control API documented in :mod:`standin.http`).  When the bot sets a webhook, updates are
POSTed to it; ``--webhook-target URL`` (repeatable) sends them round-robin to these URLs
instead, like a load balancer in front of several workers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from standin.core import FakeBotApi


async def _serve(port: int, token: str, username: str, targets: list[str] | None) -> None:
    from standin.http import StandinServer  # aiohttp: the 'standin' extra, checked in main()

    api = FakeBotApi(token, bot_username=username)
    api.webhook_targets = targets
    server = StandinServer(api, port=port)
    await server.start()
    print(f"stand-in Bot API on {server.base_url} (token {token})", flush=True)
    print(
        f'send as a user: curl -d \'{{"user_id":1,"text":"/start"}}\' '
        f"{server.root_url}/_standin/send ; read: {server.root_url}/_standin/messages?chat_id=1",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m standin", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456789:AAStandinTestTokenStandinTestToken00")
    parser.add_argument("--username", default="comeback_test_bot")
    parser.add_argument(
        "--webhook-target",
        action="append",
        metavar="URL",
        help="deliver webhook updates round-robin to these URLs (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        sys.exit("python -m standin serves over HTTP with aiohttp: pip install -e '.[standin]'")
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.port, args.token, args.username, args.webhook_target))


if __name__ == "__main__":
    main()
