"""Callback queries (inline keyboard presses): answerCallbackQuery, once per query.

A press (``FakeUser.press``) queues the query; ``api.answer_for(update_id)`` tells how the bot
answered it and ``api.unanswered_callback_queries()`` which ones it never answered. With
``api.callback_answer_window`` set, an answer more than that many seconds (of ``api.now``)
after the press is refused, as Telegram refuses one to a bot that was away.
"""

from __future__ import annotations

from standin.records import JSON, ApiError, CallbackAnswer, UploadedFile
from standin.world import World

__all__ = ["CallbackMethods"]

_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class CallbackMethods(World):
    """answerCallbackQuery and reading the answers."""

    def _answer_callback_query(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self._queries or query_id in self._answered:
            raise ApiError(400, _QUERY_INVALID)
        window = self.callback_answer_window
        if window is not None and self.now() - self._pressed_at.get(query_id, 0.0) > window:
            self._answered.add(query_id)  # the bot did answer: too late, which is not a bug
            raise ApiError(400, _QUERY_INVALID)
        self._answered.add(query_id)
        update_id, user_id = self._queries[query_id]
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                update_id=update_id,
                user_id=user_id,
                text=params.get("text"),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
            )
        )
        return True

    def answer_for(self, update_id: int) -> CallbackAnswer | None:
        """How the bot answered the callback query carried by ``update_id``."""
        for answer in self.callback_answers:
            if answer.update_id == update_id:
                return answer
        return None

    def unanswered_callback_queries(self) -> list[str]:
        return [q for q in self._queries if q not in self._answered]
