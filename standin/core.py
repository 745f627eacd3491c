"""In-memory Telegram Bot API server logic ("stand-in"), independent of any transport.

``FakeBotApi.call(method, params, files)`` answers one Bot API request the way Telegram
would: it validates the request against the official spec first (a violation answers 400
and is recorded in ``api.violations``), then applies it to the in-memory state and returns
``(http_status, envelope)``.  Transports: :mod:`standin.http` (aiohttp, real loopback
HTTP) and :mod:`standin.request` (a PTB ``BaseRequest`` calling ``call`` in-process).

Tests act as users through :class:`FakeUser` (``send_text``, ``send_command``, ``press``,
``say``/``command``/``press_and_wait`` ...) and read what users see with
``api.chat_messages(chat_id)``/``api.last_message(chat_id)``.  They wait without sleeping:
the Application reports each finished update with ``api.mark_processed(update_id)`` (use
:class:`standin.request.StandinUpdateProcessor`), and ``api.wait_processed`` /
``api.wait_for`` wake up on every change.

A private chat exists once its user has sent something to the bot (like on Telegram, a bot
can't initiate a conversation: sending first answers 403).

``FakeBotApi`` is put together from one mixin per area, over the shared state of
:class:`standin.world.World`:

* :mod:`standin.people` — ``FakeUser`` and the updates users' actions queue
* :mod:`standin.groups` — groups, topics, supergroup upgrades, the bot's membership
* :mod:`standin.waiting` — ``mark_processed`` and the ``wait_*`` helpers
* :mod:`standin.webhooks` — delivering updates to a webhook (``setWebhook``) and waiting on it
* :mod:`standin.faults` — ``fail_next``/``delay_next``/``drop_next``
* :mod:`standin.methods` — the Bot API methods, by group (the table is ``_handlers``)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

from standin.faults import Faults
from standin.groups import Groups
from standin.methods.callbacks import CallbackMethods
from standin.methods.commands import CommandMethods
from standin.methods.files import FileMethods
from standin.methods.updates import UpdateMethods
from standin.people import FakeUser
from standin.records import (
    JSON,
    ApiError,
    CallbackAnswer,
    DroppedConnection,
    FakeChat,
    RecordedRequest,
    SentMessage,
    UploadedFile,
    WebhookDelivery,
)
from standin.spec import BotApiSpec

__all__ = [
    "ApiError",
    "CallbackAnswer",
    "DroppedConnection",
    "FakeBotApi",
    "FakeChat",
    "FakeUser",
    "RecordedRequest",
    "SentMessage",
    "UploadedFile",
    "WebhookDelivery",
]


# People, Waiting, ChatMethods, MessageMethods and World come in through these.
class FakeBotApi(Groups, FileMethods, CallbackMethods, CommandMethods, UpdateMethods, Faults):
    """In-memory Telegram Bot API: state, validation, fault injection and test helpers."""

    def __init__(
        self,
        token: str = "123456789:AAStandinTestTokenStandinTestToken00",
        *,
        bot_username: str = "comeback_test_bot",
        bot_first_name: str = "Comeback",
        spec: BotApiSpec | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            token, bot_username=bot_username, bot_first_name=bot_first_name, spec=spec, now=now
        )
        self._handlers: dict[str, Callable[[JSON, dict[str, UploadedFile]], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": self._true,
            "close": self._true,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "editMessageCaption": self._edit_message_caption,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyDescription": self._get_my_description,
            "getMyShortDescription": self._get_my_short_description,
            "sendChatAction": self._send_chat_action,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendPoll": self._send_poll,
            "stopPoll": self._stop_poll,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "leaveChat": self._leave_chat,
            "getFile": self._get_file,
        }

    async def call(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, bytes | UploadedFile] | None = None,
    ) -> tuple[int, JSON]:
        """Answer one Bot API call: ``(http_status, {"ok": ..., ...})``."""
        uploads = {
            name: value if isinstance(value, UploadedFile) else UploadedFile(bytes(value), name)
            for name, value in (files or {}).items()
        }
        check = self.spec.check(method, params, uploads)
        record = RecordedRequest(
            method=check.method or method,
            params=check.params,
            timestamp=self.now(),
            files=uploads,
        )
        self.requests.append(record)
        self._notify()
        try:
            if check.method is None:
                self._violation(method, f"unknown Bot API method {method!r}")
                raise ApiError(404, "Not Found")
            if check.problems:
                for problem in check.problems:
                    self._violation(check.method, problem)
                raise ApiError(400, f"Bad Request: {check.problems[0]}")
            fault = self._take_fault(check.method, check.params)
            if fault is not None:
                await self._apply_fault(fault)
            handler = self._handlers.get(check.method)
            if handler is None:
                message = f"{check.method} is not implemented by the stand-in"
                self._violation(check.method, message)
                raise ApiError(400, f"Bad Request: {message}")
            result = handler(check.params, uploads)
            if asyncio.iscoroutine(result):
                result = await result
            status, body = 200, {"ok": True, "result": result}
            if fault is not None and fault.drop == "after":
                raise DroppedConnection(check.method)
        except ApiError as error:
            status, body = error.error_code, error.envelope()
        record.status, record.response = status, body
        self._notify()
        return status, body
