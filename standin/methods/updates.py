"""getMe, getUpdates (long polling), webhooks, logOut and close.

One long poll at a time, like Telegram: a newer getUpdates ends the older one with 409
Conflict.  ``release_pollers`` makes pending long polls answer now; ``close`` also makes
future ones answer without waiting.  While a webhook is set, getUpdates answers 409 and
updates are POSTed to the webhook instead (:mod:`standin.webhooks`).
"""

from __future__ import annotations

import contextlib
import copy
import re
from urllib.parse import urlsplit

from standin.records import JSON, ApiError, UploadedFile
from standin.webhooks import Webhooks
from standin.world import DEFAULT_ALLOWED_UPDATES

__all__ = ["UpdateMethods"]

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class UpdateMethods(Webhooks):
    """Polling, webhook and bot-identity methods."""

    def release_pollers(self) -> None:
        """Make pending long polls (getUpdates) answer now, with whatever is queued."""
        self._release_count += 1
        self._notify()

    def close(self) -> None:
        """Release pending long polls and make future getUpdates answer without waiting.

        Also cancels webhook delivery; ``await api.stop_webhooks()`` waits for it to end.
        """
        self._closed = True
        self.release_pollers()
        task = self._webhook_task
        if task is not None and not task.done() and not task.get_loop().is_closed():
            task.cancel()

    def _true(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        return True

    def _get_me(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSON, uploads: dict[str, UploadedFile]) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        released = self._release_count
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            if offset > 0:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            else:
                self._pending = self._pending[offset:]
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = set(allowed) if allowed else set(DEFAULT_ALLOWED_UPDATES)
        limit = params.get("limit", 100)
        limit = min(max(limit if isinstance(limit, int) else 100, 1), 100)
        timeout = params.get("timeout", 0)
        timeout = max(timeout if isinstance(timeout, int | float) else 0, 0)

        def available() -> list[JSON]:
            self._drop_disallowed()
            return self._pending[:limit]

        if timeout > 0 and not available() and not self._closed:
            with contextlib.suppress(TimeoutError):
                await self._wait_until(
                    lambda: (
                        bool(available())
                        or released != self._release_count
                        or generation != self._poll_generation
                    ),
                    float(timeout),
                    lambda: "",
                )
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
        batch = copy.deepcopy(available())
        self._delivered.update(u["update_id"] for u in batch)
        return batch

    def _delete_webhook(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        self.webhook_url = ""
        self.webhook_secret = None
        if params.get("drop_pending_updates"):
            self._drop_pending()
        self._notify()
        return True

    def _set_webhook(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        url = str(params.get("url", ""))
        if not url:  # like Telegram: an empty URL removes the webhook
            return self._delete_webhook(params, uploads)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # Telegram wants HTTPS on port 443/80/88/8443; the stand-in also takes plain
            # http to any port, for a bot listening on loopback in tests.
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        connections = params.get("max_connections")
        if isinstance(connections, int):
            if not 1 <= connections <= 100:
                raise ApiError(400, "Bad Request: bad webhook: max_connections must be 1-100")
            self.webhook_max_connections = connections
        else:
            self.webhook_max_connections = 40
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = set(allowed) if allowed else set(DEFAULT_ALLOWED_UPDATES)
        if params.get("drop_pending_updates"):
            self._drop_pending()
        self.webhook_url = url
        self.webhook_secret = str(secret) if secret is not None else None
        self._ensure_webhook_delivery()
        self._notify()
        return True

    def _get_webhook_info(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        self._drop_disallowed()
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url:
            info["max_connections"] = self.webhook_max_connections
            info["allowed_updates"] = sorted(self._allowed_updates)
        if self.webhook_last_error_date is not None:
            info["last_error_date"] = self.webhook_last_error_date
            info["last_error_message"] = self.webhook_last_error_message
        return info
