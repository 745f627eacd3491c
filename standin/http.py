"""The stand-in Bot API over real HTTP (aiohttp) on 127.0.0.1.

Routes (PTB ``base_url`` semantics: PTB appends the token, then ``/method``):

* ``GET|POST /bot<token>/<method>`` — Bot API calls; form-encoded, multipart or JSON
  bodies (and query strings). A wrong token answers 401 ``Unauthorized`` like Telegram.
* ``GET /file/bot<token>/<file_path>`` — file downloads (``base_file_url``).

Control API (JSON) to act as users when running standalone
(``python -m standin --port 8081 --token TOKEN``):

* ``POST /_standin/send``     ``{"user_id": 1, "text": "hi", "chat_id": opt, "first_name": opt}``
* ``POST /_standin/command``  ``{"user_id": 1, "command": "/start", "args": ["x"]}``
* ``POST /_standin/press``    ``{"user_id": 1, "label": "Yes", "chat_id": opt}``
* ``POST /_standin/group``    ``{"chat_id": -100123, "title": "T", "members": [1, 2]}``
* ``GET  /_standin/messages?chat_id=1`` — the bot's messages in a chat
* ``GET  /_standin/violations`` and ``GET /_standin/requests?since=0``
* ``GET  /_standin/deliveries?since=0`` — webhook delivery attempts (target, update, outcome)
* ``POST /_standin/webhook_targets``  ``{"targets": ["http://127.0.0.1:8001/hook", ...]}``
  — deliver round-robin to these URLs, as a load balancer would (``null``: to the webhook)

e.g. ``curl -d '{"user_id":1,"text":"/start"}' http://127.0.0.1:8081/_standin/send``.
User actions answer ``{"update_id": N}``; the user is created on first use.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from standin.core import DroppedConnection, FakeBotApi, FakeUser, SentMessage, UploadedFile

__all__ = ["StandinServer", "message_dict"]

_MAX_BODY = 64 * 1024 * 1024


def _envelope(status: int, body: dict[str, Any]) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )


def message_dict(message: SentMessage) -> dict[str, Any]:
    """A JSON-friendly view of a bot message (used by the control API)."""
    return {
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "event": message.event,
        "method": message.method,
        "text": message.text,
        "plain_text": message.plain_text,
        "buttons": message.buttons,
        "callback_data": message.callback_data,
        "keyboard": message.keyboard,
        "has_photo": message.photo is not None,
        "document": message.filename if message.document is not None else None,
        "poll": message.poll,
        "deleted": message.deleted,
    }


class StandinServer:
    """Serves a :class:`FakeBotApi` on ``http://127.0.0.1:<OS-chosen port>``."""

    def __init__(self, api: FakeBotApi, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=_MAX_BODY)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self.app.router.add_post("/_standin/send", self._control_send)
        self.app.router.add_post("/_standin/command", self._control_command)
        self.app.router.add_post("/_standin/press", self._control_press)
        self.app.router.add_post("/_standin/group", self._control_group)
        self.app.router.add_get("/_standin/messages", self._control_messages)
        self.app.router.add_get("/_standin/violations", self._control_violations)
        self.app.router.add_get("/_standin/requests", self._control_requests)
        self.app.router.add_get("/_standin/deliveries", self._control_deliveries)
        self.app.router.add_post("/_standin/webhook_targets", self._control_webhook_targets)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        runner = web.AppRunner(
            self.app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        self.api.release_pollers()
        await self.api.stop_webhooks()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StandinServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("StandinServer is not started")
        return self._port

    @property
    def root_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: ``http://127.0.0.1:PORT/bot``."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.root_url}/file/bot"

    # ------------------------------------------------------------------ Bot API

    async def _handle_method(self, request: web.Request) -> web.Response:
        if not self.api.check_token(request.match_info["token"]):
            return _envelope(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes | UploadedFile] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    return _envelope(
                        400,
                        {
                            "ok": False,
                            "error_code": 400,
                            "description": "Bad Request: can't parse JSON body",
                        },
                    )
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = UploadedFile(
                            value.file.read(), value.filename, value.content_type
                        )
                    else:
                        params[key] = value
        try:
            status, body = await self.api.call(request.match_info["method"], params, files)
        except DroppedConnection:
            # api.drop_next: close the connection without a response, as a crashed proxy would.
            if request.transport is not None:
                request.transport.close()
            raise web.HTTPServiceUnavailable() from None  # never written: the socket is closed
        return _envelope(status, body)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if not self.api.check_token(request.match_info["token"]):
            return _envelope(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        content = self.api.file_content(request.match_info["path"])
        if content is None:
            return _envelope(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(body=content, content_type="application/octet-stream")

    # ------------------------------------------------------------------ control API

    def _user(self, data: dict[str, Any]) -> FakeUser:
        user_id = int(data["user_id"])
        return self.api.private_user(
            user_id,
            first_name=str(data.get("first_name") or f"User{user_id}"),
            username=data.get("username"),
        )

    @staticmethod
    async def _json(request: web.Request) -> dict[str, Any]:
        data = await request.json()
        if not isinstance(data, dict) or (
            "user_id" not in data and request.path != "/_standin/group"
        ):
            raise web.HTTPBadRequest(text='expected a JSON object with "user_id"')
        return data

    async def _control_send(self, request: web.Request) -> web.Response:
        data = await self._json(request)
        update_id = await self._user(data).send_text(str(data["text"]), chat=data.get("chat_id"))
        return web.json_response({"update_id": update_id})

    async def _control_command(self, request: web.Request) -> web.Response:
        data = await self._json(request)
        args = [str(a) for a in data.get("args", [])]
        update_id = await self._user(data).send_command(
            str(data["command"]), *args, chat=data.get("chat_id")
        )
        return web.json_response({"update_id": update_id})

    async def _control_press(self, request: web.Request) -> web.Response:
        data = await self._json(request)
        try:
            update_id = await self._user(data).press(str(data["label"]), chat=data.get("chat_id"))
        except AssertionError as exc:
            raise web.HTTPNotFound(text=str(exc)) from exc
        return web.json_response({"update_id": update_id})

    async def _control_group(self, request: web.Request) -> web.Response:
        data = await self._json(request)
        chat_id = int(data["chat_id"])
        chat = self.api.group(
            chat_id,
            str(data.get("title", f"Group {chat_id}")),
            members=[int(m) for m in data.get("members", [])],
            admins=[int(a) for a in data.get("admins", [])],
            supergroup=str(chat_id).startswith("-100"),
        )
        return web.json_response(chat.to_dict())

    async def _control_messages(self, request: web.Request) -> web.Response:
        chat_id = int(request.query["chat_id"])
        return web.json_response([message_dict(m) for m in self.api.chat_messages(chat_id)])

    async def _control_violations(self, request: web.Request) -> web.Response:
        return web.json_response(self.api.violations)

    async def _control_deliveries(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return web.json_response(
            [
                {
                    "index": i,
                    "target": d.target,
                    "update_id": d.update_id,
                    "status": d.status,
                    "error": d.error,
                }
                for i, d in enumerate(self.api.webhook_deliveries[since:], start=since)
            ]
        )

    async def _control_webhook_targets(self, request: web.Request) -> web.Response:
        data = await request.json()
        targets = data.get("targets") if isinstance(data, dict) else None
        if targets is not None and not (
            isinstance(targets, list) and targets and all(isinstance(t, str) for t in targets)
        ):
            raise web.HTTPBadRequest(text='expected {"targets": [URL, ...]} or {"targets": null}')
        self.api.webhook_targets = targets
        return web.json_response({"targets": targets})

    async def _control_requests(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return web.json_response(
            [
                {"index": i, "method": r.method, "params": r.params, "status": r.status}
                for i, r in enumerate(self.api.requests[since:], start=since)
            ],
            dumps=lambda o: json.dumps(o, default=str),
        )
