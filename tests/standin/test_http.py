"""The aiohttp transport: bodies, token check, file downloads and the control API."""

from __future__ import annotations

import json

import aiohttp
import pytest

from standin import FakeBotApi
from standin.http import StandinServer

pytestmark = pytest.mark.asyncio


async def test_bodies_token_files_and_control(api: FakeBotApi) -> None:
    async with StandinServer(api) as server, aiohttp.ClientSession() as http:
        root = server.root_url
        method_url = f"{server.base_url}{api.token}"
        async with http.get(f"{server.base_url}1:bad/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.get(f"{method_url}/getMe") as response:
            assert (await response.json())["result"]["username"] == "comeback_test_bot"

        async with http.post(
            f"{root}/_standin/send", json={"user_id": 7, "text": "/start"}
        ) as response:
            update_id = (await response.json())["update_id"]
        async with http.get(f"{method_url}/getUpdates", params={"timeout": "0"}) as response:
            body = await response.json()
            assert body["result"][0]["update_id"] == update_id

        markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]}
        payload = {
            "chat_id": 7,
            "text": "<b>Sure?</b>",
            "parse_mode": "HTML",
            "reply_markup": markup,
        }
        async with http.post(f"{method_url}/sendMessage", json=payload) as response:
            assert response.status == 200
        form = {"chat_id": "7", "text": "form", "reply_markup": json.dumps(markup)}
        async with http.post(f"{method_url}/SENDMESSAGE", data=form) as response:
            assert response.status == 200
        data = aiohttp.FormData()
        data.add_field("chat_id", "7")
        data.add_field("document", b"a,b\n", filename="t.csv", content_type="text/csv")
        async with http.post(f"{method_url}/sendDocument", data=data) as response:
            document = (await response.json())["result"]["document"]
            assert document["file_name"] == "t.csv"
        async with http.post(
            f"{method_url}/getFile", data={"file_id": document["file_id"]}
        ) as response:
            path = (await response.json())["result"]["file_path"]
        async with http.get(f"{server.base_file_url}{api.token}/{path}") as response:
            assert await response.read() == b"a,b\n"

        async with http.get(f"{root}/_standin/messages", params={"chat_id": "7"}) as response:
            messages = await response.json()
        assert [m["plain_text"] for m in messages] == ["Sure?", "form", ""]
        assert messages[0]["buttons"] == [["Yes"]]
        async with http.post(
            f"{root}/_standin/press", json={"user_id": 7, "label": "Yes"}
        ) as response:
            assert response.status == 200
        async with http.post(
            f"{root}/_standin/press", json={"user_id": 7, "label": "No"}
        ) as response:
            assert response.status == 404
        async with http.post(
            f"{method_url}/sendMessage", data={"chat_id": "7", "text": "a<b"}
        ) as response:
            assert response.status == 200  # no parse mode: plain text
        async with http.post(
            f"{method_url}/sendMessage", data={"chat_id": "7", "text": "a<b", "parse_mode": "HTML"}
        ) as response:
            assert response.status == 400
        async with http.get(f"{root}/_standin/violations") as response:
            assert len(await response.json()) == 1
    api.violations.clear()
