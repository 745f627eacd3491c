"""getMe, getUpdates (long polling), webhooks, logOut and close.

One long poll at a time, like Telegram: a newer getUpdates ends the older one with 409
Conflict.  ``release_pollers`` makes pending long polls answer now; ``close`` also makes
future ones answer without waiting.
"""

from __future__ import annotations

import contextlib
import copy

from standin.records import JSON, ApiError, UploadedFile
from standin.waiting import Waiting
from standin.world import DEFAULT_ALLOWED_UPDATES

__all__ = ["UpdateMethods"]


class UpdateMethods(Waiting):
    """Polling, webhook and bot-identity methods."""

    def release_pollers(self) -> None:
        """Make pending long polls (getUpdates) answer now, with whatever is queued."""
        self._release_count += 1
        self._notify()

    def close(self) -> None:
        """Release pending long polls and make future getUpdates answer without waiting."""
        self._closed = True
        self.release_pollers()

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
            self._pending = [
                u
                for u in self._pending
                if any(k in self._allowed_updates for k in u if k != "update_id")
            ]
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
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _set_webhook(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        message = "setWebhook is not supported by the stand-in; use getUpdates (polling)"
        self._violation("setWebhook", message)
        raise ApiError(400, f"Bad Request: {message}")

    def _get_webhook_info(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
