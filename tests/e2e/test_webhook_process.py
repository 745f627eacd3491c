"""`python -m bot` in webhook mode as a real process (issue 20): one worker on SQLite serves the
webhook with /healthz and /metrics beside it and logs JSON when asked; a second process on the
same SQLite file is refused at start with one line."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit.chat import last_text
from tests.kit.process import bot_env
from tests.kit.running import TOKEN, TOKEN_SECRET

SECRET = "process-secret_0123456789abcdefghijklmnop"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start(tmp_path: Path, server: StandinServer, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path,
        env=bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=server.base_url,
                    LOG_LEVEL="INFO", **env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_one_webhook_worker_on_sqlite_answers_and_reports_its_health(
    tmp_path: Path,
) -> None:
    api = FakeBotApi(TOKEN)
    port = free_port()
    async with StandinServer(api) as server:
        api.webhook_targets = [f"http://127.0.0.1:{port}/hook"]
        process = await start(
            tmp_path, server,
            WEBHOOK_URL="https://bot.example/hook", WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            WEBHOOK_SECRET_TOKEN=SECRET, LOG_FORMAT="json", WORKER_ID="only-worker",
        )  # fmt: skip
        try:
            await api.wait_for(lambda: api.calls("setWebhook"), 30)
            ada = api.private_user(9501, first_name="Ada")
            await ada.send_command("/start")
            await api.wait_for(lambda: "Which company was it?" in last_text(api, ada), 30)
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    assert response.status == 200
                    health = await response.json()
                async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                    metrics = await response.text()
            assert health["database"] == "ok"
            assert 'comeback_worker_info{worker="only-worker"} 1.0' in metrics
        finally:
            process.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-2000:]
    lines = [line for line in err.decode().splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]
    assert any("Serving the webhook" in e["message"] for e in events)
    assert all(e["worker"] == "only-worker" for e in events)
    assert TOKEN_SECRET not in err.decode() and SECRET not in err.decode()
    assert "/start" not in err.decode()  # people's words never in the logs


async def test_a_second_process_on_one_sqlite_file_is_refused_with_one_line(
    tmp_path: Path,
) -> None:
    api = FakeBotApi(TOKEN)
    async with StandinServer(api) as server:
        first = await start(tmp_path, server)
        try:
            await api.wait_for(lambda: api.calls("getUpdates"), 30)
            second = await start(tmp_path, server)
            _out, err = await asyncio.wait_for(second.communicate(), 60)
            assert second.returncode == 2
            lines = [line for line in err.decode().splitlines() if line.startswith("comeback:")]
            assert len(lines) == 1, err.decode()
            assert lines[0].startswith("comeback: another Comeback process is running on ")
            assert lines[0].endswith(
                "several workers need PostgreSQL (DATABASE_URL=postgresql://..., see"
                " docs/deploy.md)"
            )
            assert first.returncode is None  # the first keeps serving
        finally:
            first.send_signal(signal.SIGTERM)
            await asyncio.wait_for(first.communicate(), 30)
