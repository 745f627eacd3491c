"""PTB adapters: serve a real PTB Application from a :class:`FakeBotApi` without sockets.

* :class:`StandinRequest` — a ``telegram.request.BaseRequest`` that hands every request to
  ``FakeBotApi.call`` in-process, encoded exactly as PTB would post it over HTTP (form
  strings from ``RequestData.json_parameters`` plus multipart files).
* :class:`StandinUpdateProcessor` — an update processor that reports each update to
  ``api.mark_processed`` once the Application has fully handled it (even when a handler
  raised or stopped the handling), which is what ``wait_processed``/``FakeUser.say`` wait on.
* :func:`application_builder` — an ``ApplicationBuilder`` wired to the stand-in, over
  HTTP when given a started :class:`~standin.http.StandinServer`, else in-process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackContext,
    TypeHandler,
)
from telegram.request import BaseRequest, RequestData

from standin.core import DroppedConnection, FakeBotApi, UploadedFile

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput
    from telegram.ext._applicationbuilder import InitApplicationBuilder

    from standin.http import StandinServer

__all__ = [
    "PROCESSED_GROUP",
    "StandinRequest",
    "StandinUpdateProcessor",
    "application_builder",
    "processed_handler",
    "report_processed",
]

_METHOD_URL = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?(?:\?.*)?$")
_FILE_URL = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}

#: Handler group used by :func:`processed_handler` (runs after every ordinary group).
PROCESSED_GROUP = 2**31 - 1


def _dump(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _read_content(content: Any) -> bytes:
    if isinstance(content, bytes | bytearray):
        return bytes(content)
    if hasattr(content, "read"):
        data = content.read()
        return data if isinstance(data, bytes) else str(data).encode()
    return str(content).encode()


class StandinRequest(BaseRequest):
    """Serves PTB's requests from a FakeBotApi in the same process (no HTTP)."""

    __slots__ = ("_api", "_read_timeout")

    def __init__(self, api: FakeBotApi, read_timeout: float | None = 5.0) -> None:
        self._api = api
        self._read_timeout = read_timeout

    @property
    def api(self) -> FakeBotApi:
        return self._api

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        file_match = _FILE_URL.search(url)
        if file_match is not None:
            # PTB percent-quotes the path of file URLs (the ':' of the token too)
            if not self._api.check_token(unquote(file_match.group("token"))):
                return 401, _dump(_UNAUTHORIZED)
            content = self._api.file_content(unquote(file_match.group("path")))
            return (200, content) if content is not None else (404, _dump(_NOT_FOUND))
        match = _METHOD_URL.search(url)
        if match is None:
            return 404, _dump(_NOT_FOUND)
        if not self._api.check_token(unquote(match.group("token"))):
            return 401, _dump(_UNAUTHORIZED)
        params: dict[str, Any] = {}
        files: dict[str, bytes | UploadedFile] = {}
        if request_data is not None:
            params = dict(request_data.json_parameters)
            for name, part in request_data.multipart_data.items():
                filename, part_content, mime_type = part
                files[name] = UploadedFile(_read_content(part_content), filename, mime_type)
        try:
            status, body = await self._api.call(match.group("method"), params, files)
        except DroppedConnection:
            raise NetworkError("Server disconnected without sending a response.") from None
        return status, _dump(body)


class StandinUpdateProcessor(BaseUpdateProcessor):
    """Update processor reporting each fully handled update to ``api.mark_processed``.

    Use with ``ApplicationBuilder().concurrent_updates(StandinUpdateProcessor(api))``.
    Handlers registered with ``block=False`` still run after the update is reported.
    """

    __slots__ = ("_api",)

    def __init__(self, api: FakeBotApi, max_concurrent_updates: int = 1) -> None:
        super().__init__(max_concurrent_updates)
        self._api = api
        api.webhook_ack_means_processed = False  # the Application reports what it handled

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await coroutine
        finally:
            if isinstance(update, Update):
                self._api.mark_processed(update.update_id)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def processed_handler(
    api: FakeBotApi,
) -> TypeHandler[Update, CallbackContext[Any, Any, Any, Any], None]:
    """A handler for the last group that marks updates processed (alternative to the
    processor; misses updates whose handling stopped early with ApplicationHandlerStop)."""

    async def mark(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        api.mark_processed(update.update_id)

    api.webhook_ack_means_processed = False
    return TypeHandler(Update, mark)


def report_processed(
    application: Application[Any, Any, Any, Any, Any, Any], api: FakeBotApi
) -> None:
    """Report every update to ``api.mark_processed`` once the application is done with it,
    whichever handler group it stopped in (an ``ApplicationHandlerStop`` included).

    Wraps the application's update processor, so it works with any processor (the per-chat
    ordering one too); call it after building and before starting the application.  In
    webhook mode the stand-in then waits for this report, not just the webhook's 2xx.
    """
    api.webhook_ack_means_processed = False
    processor = application.update_processor
    inner = processor.do_process_update

    async def reported(update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await inner(update, coroutine)
        finally:
            if isinstance(update, Update):
                api.mark_processed(update.update_id)

    processor.do_process_update = reported  # type: ignore[method-assign]


def application_builder(
    api: FakeBotApi, server: StandinServer | None = None
) -> InitApplicationBuilder:
    """An ApplicationBuilder talking to ``api`` (over HTTP when ``server`` is given)."""
    builder = ApplicationBuilder().token(api.token)
    if server is not None:
        builder = builder.base_url(server.base_url).base_file_url(server.base_file_url)
    else:
        builder = builder.request(StandinRequest(api)).get_updates_request(StandinRequest(api))
    return builder.concurrent_updates(StandinUpdateProcessor(api))
