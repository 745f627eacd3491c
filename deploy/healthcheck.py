"""The Docker image's HEALTHCHECK: GET /healthz of this bot process; exit 0 only on HTTP 200.

It reads the settings the bot reads (bot.config), so it asks where the bot listens: in webhook
mode WEBHOOK_LISTEN, in polling mode METRICS_LISTEN (the image sets 127.0.0.1:9090). A listener
on every address (0.0.0.0 or ::) is asked on loopback. With no listener at all there is nothing
to ask, and it says so and exits 0: the process being alive is all Docker can know then.
Nothing beyond the bot's own package and the standard library.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from bot.config import ConfigError, Settings, listen_address, load_settings

TIMEOUT_SECONDS = 4.0


def healthz_url(settings: Settings) -> str | None:
    """Where this process serves /healthz, or None when it serves nothing."""
    listen = settings.webhook_listen if settings.webhook_mode else settings.metrics_listen
    if listen is None:
        return None
    host, port = listen_address(listen)
    if host == "0.0.0.0":
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def check(url: str) -> tuple[bool, str]:
    """Whether `url` answers 200, and a line saying what it answered."""
    # Straight to the process: never through an HTTP_PROXY the container may have set.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(500).decode("utf-8", "replace").strip()
            return response.status == 200, f"{response.status} {body}"
    except urllib.error.HTTPError as exc:
        body = exc.read(500).decode("utf-8", "replace").strip()
        return False, f"{exc.code} {body}"
    except (OSError, ValueError) as exc:
        return False, f"no answer: {exc}"


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"unhealthy: configuration error: {exc}")
        return 1
    url = healthz_url(settings)
    if url is None:
        print("no /healthz to ask: set METRICS_LISTEN (polling) or WEBHOOK_URL (webhook mode)")
        return 0
    healthy, answer = check(url)
    print(f"{'healthy' if healthy else 'unhealthy'}: {url}: {answer}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
