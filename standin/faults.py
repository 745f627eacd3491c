"""Fault injection: fail, delay or drop the next calls of a method (optionally to one chat).

``fail_next`` answers with an error (429 with ``retry_after``, 403, 5xx ...), ``delay_next``
answers late and ``drop_next`` closes the connection without an answer, before or after
applying the call.  ``FakeBotApi.call`` takes the first matching fault of each valid call.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from standin.records import JSON, ApiError, DroppedConnection
from standin.world import World

__all__ = ["Fault", "Faults"]

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: injected failure",
    404: "Not Found",
    409: "Conflict: injected failure",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class Fault:
    """One injected fault, for the next ``count`` valid calls of ``method``."""

    method: str
    error_code: int | None  # None: no error answer (a delay or a dropped connection only)
    description: str
    retry_after: int | None
    count: int
    chat_id: int | str | None
    delay: float = 0.0  # seconds to wait before answering
    drop: str | None = None  # "before"/"after" applying the call: close without an answer


class Faults(World):
    """``fail_next``/``delay_next``/``drop_next`` and taking a fault for a call."""

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Make the next ``count`` valid calls of ``method`` (to ``chat_id``) fail."""
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
        if error_code == 429 and retry_after is None:
            retry_after = 1
        canonical = self.spec.resolve_method(method) or method
        self._faults.append(Fault(canonical, error_code, description, retry_after, count, chat_id))

    def delay_next(
        self, method: str, seconds: float, count: int = 1, chat_id: int | str | None = None
    ) -> None:
        """Answer the next ``count`` valid calls of ``method`` (to ``chat_id``) ``seconds`` late.

        The call is applied after the wait; a client that gives up first (its read timeout)
        closes the connection, the HTTP server cancels the call, and nothing is applied.
        """
        canonical = self.spec.resolve_method(method) or method
        self._faults.append(Fault(canonical, None, "", None, count, chat_id, delay=seconds))

    def drop_next(
        self,
        method: str,
        count: int = 1,
        chat_id: int | str | None = None,
        *,
        after: bool = False,
    ) -> None:
        """Close the connection of the next ``count`` calls of ``method`` without an answer.

        ``after=True`` applies the call first (Telegram sent the message, the answer got lost);
        otherwise nothing is applied. In-process transports raise ``DroppedConnection``.
        """
        canonical = self.spec.resolve_method(method) or method
        drop = "after" if after else "before"
        self._faults.append(Fault(canonical, None, "", None, count, chat_id, drop=drop))

    def _take_fault(self, method: str, params: JSON) -> Fault | None:
        for fault in self._faults:
            if fault.method != method:
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            fault.count -= 1
            if fault.count <= 0:
                self._faults.remove(fault)
            return fault
        return None

    async def _apply_fault(self, fault: Fault) -> None:
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault.drop == "before":
            raise DroppedConnection(fault.method)
        if fault.error_code is not None:
            raise ApiError(fault.error_code, fault.description, fault.retry_after)
