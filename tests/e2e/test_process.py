"""`python -m bot` as a real process: configuration errors, SIGKILL mid-debrief, SIGTERM, logs."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit.chat import last_text
from tests.kit.process import run_cli, start_bot
from tests.kit.running import TOKEN

ROOT = Path(__file__).resolve().parents[2]
# libfaketime (Debian's `faketime` package): moves the wall clock of the process it is preloaded
# into, as someone trying the bot out might, to see the check-ins of the coming week.
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"DATABASE_URL": "mysql://db/comeback"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////nonexistent-folder/x.sqlite3"}, "DATABASE_URL"),
        ({"TELEGRAM_API_BASE_URL": "ftp://example"}, "TELEGRAM_API_BASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"WEBHOOK_URL": "https://bot.example/hook"}, "WEBHOOK_SECRET_TOKEN"),
        (
            {"WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET_TOKEN": "short"},
            "WEBHOOK_SECRET_TOKEN",
        ),
        (
            {"WEBHOOK_URL": "https://bot.example/hook", "WEBHOOK_SECRET_TOKEN": "x" * 31 + "!"},
            "WEBHOOK_SECRET_TOKEN",
        ),
        ({"WEBHOOK_URL": "bot.example/hook"}, "WEBHOOK_URL"),
        ({"WEBHOOK_LISTEN": "8080"}, "WEBHOOK_LISTEN"),
        ({"METRICS_LISTEN": "localhost:http"}, "METRICS_LISTEN"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_config_is_one_line_and_exit_code_2(
    tmp_path: Path, env: dict[str, str], setting: str
) -> None:
    result = run_cli(tmp_path, "check-config", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"comeback: configuration error: {setting}:")
    assert "Traceback" not in result.stderr
    assert "not-a-token" not in result.stderr


def test_unwritable_database_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o444)
    if os.access(db, os.W_OK):
        pytest.skip("running as a user that can write read-only files (root)")
    result = run_cli(tmp_path, "check-config", DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_help_and_migrate(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("run", "migrate", "check-config"):
        assert command in result.stdout
    result = run_cli(tmp_path, "migrate")
    assert result.returncode == 0
    assert "schema version 1" in result.stdout or "schema version" in result.stdout


async def test_killed_mid_debrief_resumes_at_the_same_step(tmp_path: Path) -> None:
    api = FakeBotApi(TOKEN)
    async with StandinServer(api) as server:
        zoe = api.private_user(4001, first_name="Zoe")
        logs = b""
        process = await start_bot(tmp_path, server, log_level="DEBUG")
        try:
            await zoe.send_command("/start")
            await api.wait_for(lambda: "Which company" in last_text(api, zoe), 30)
            await zoe.send_text("Wayne Enterprises")
            await api.wait_for(lambda: "What was the role?" in last_text(api, zoe))
            process.send_signal(signal.SIGKILL)
            out, err = await process.communicate()
            debug_logs = out + err

            process = await start_bot(tmp_path, server)
            await zoe.send_text("Analyst")
            await api.wait_for(
                lambda: "How far did you get with Wayne Enterprises?" in last_text(api, zoe), 30
            )
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), 30)
            logs += out + err
            assert process.returncode == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert api.violations == []
    for text in (debug_logs.decode(), logs.decode()):
        assert TOKEN not in text
        assert TOKEN.split(":")[1] not in text
    text = logs.decode()
    assert "Wayne Enterprises" not in text  # no user message text in logs
    assert "Application started" in text
    assert all(line.count(" ") > 1 for line in text.strip().splitlines())


async def test_a_second_process_on_the_same_token_stops_with_one_line_and_exit_2(
    tmp_path: Path,
) -> None:
    """Telegram answers 409 Conflict when two processes poll with one token: the one told so
    stops with one clear line and exit code 2 instead of fighting the other in a retry loop."""
    api = FakeBotApi(TOKEN)
    async with StandinServer(api) as server:
        first_dir, second_dir = tmp_path / "one", tmp_path / "two"
        first_dir.mkdir()
        second_dir.mkdir()
        first = await start_bot(first_dir, server)
        second: asyncio.subprocess.Process | None = None
        try:
            await api.wait_for(lambda: len(api.calls("getUpdates")) >= 1, 30)
            second = await start_bot(second_dir, server)
            done, _ = await asyncio.wait(
                [asyncio.ensure_future(first.wait()), asyncio.ensure_future(second.wait())],
                timeout=60,
                return_when=asyncio.FIRST_COMPLETED,
            )
            assert done, "neither process stopped on the conflict"
            stopped = first if first.returncode is not None else second
            running = second if stopped is first else first
            out, err = await stopped.communicate()
            assert stopped.returncode == 2
            lines = [line for line in err.decode().splitlines() if line.startswith("comeback:")]
            assert lines == [
                "comeback: another process is already polling with this TELEGRAM_BOT_TOKEN"
                " (Telegram answered 409 Conflict); stop it, or give this one its own token"
            ]
            assert "Traceback" not in (out + err).decode()
            assert running.returncode is None  # the other one keeps serving
        finally:
            for process in (first, second):
                if process is not None and process.returncode is None:
                    process.kill()
                    await process.wait()


async def test_sigterm_while_the_bot_api_hangs_exits_within_the_grace_time(
    tmp_path: Path,
) -> None:
    """Telegram stops answering sends (each one waits out its timeout and its one retry) while
    a person's messages queue up: SIGTERM still ends the process within the bounded shutdown
    instead of waiting out every queued reply."""
    from bot.app import SHUTDOWN_GRACE_SECONDS

    api = FakeBotApi(TOKEN)
    async with StandinServer(api) as server:
        process = await start_bot(tmp_path, server)
        try:
            ann = api.private_user(4101, first_name="Ann")
            await ann.send_command("/start")
            await api.wait_for(lambda: "Which company" in last_text(api, ann), 30)
            api.delay_next("sendMessage", 120.0, count=20)
            for answer in ("Acme", "Analyst", "hello", "more", "still here"):
                await ann.send_text(answer)
            await api.wait_for(lambda: not api.pending_updates, 30)  # all fetched
            loop = asyncio.get_running_loop()
            started = loop.time()
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), SHUTDOWN_GRACE_SECONDS + 20)
            took = loop.time() - started
            assert took < SHUTDOWN_GRACE_SECONDS + 5, took
            assert process.returncode == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            api.release_pollers()


@pytest.mark.skipif(not LIBFAKETIME.exists(), reason="libfaketime is not installed (apt faketime)")
async def test_a_wall_clock_moved_forward_brings_the_check_in_that_fell_due(
    tmp_path: Path,
) -> None:
    """`python -m bot` with its system clock moved eight days on mid-run, as someone trying it
    out might (no test clock inside the process): the dispatcher's next wake-up finds the
    goal's midpoint check-in overdue and sends it, saying it comes late."""
    offset = tmp_path / "faketime"
    offset.write_text("+0\n")
    api = FakeBotApi(TOKEN)
    async with StandinServer(api) as server:
        ada = api.private_user(4011, first_name="Ada")
        process = await start_bot(
            tmp_path,
            server,
            DISPATCH_INTERVAL_SECONDS="1",
            LD_PRELOAD=str(LIBFAKETIME),
            FAKETIME_TIMESTAMP_FILE=str(offset),
            FAKETIME_NO_CACHE="1",
            DONT_FAKE_MONOTONIC="1",  # asyncio's timers keep real time; the wall clock jumps
        )
        try:

            def shows(expected: str) -> Callable[[], bool]:
                def check() -> bool:
                    last = api.last_message(ada) if api.chat_messages(ada) else None
                    return last is not None and expected in (
                        last.plain_text + " ".join(b for row in last.buttons for b in row)
                    )

                return check

            async def press(label: str, expected: str) -> None:
                if label.isdigit():  # the nth button of the latest question
                    asked = [m for m in api.chat_messages(ada) if m.buttons][-1]
                    label = [b for row in asked.buttons for b in row][int(label)]
                await ada.press(label)
                await api.wait_for(shows(expected), 30, message=expected)

            async def say(text: str, expected: str) -> None:
                await (ada.send_command(text) if text.startswith("/") else ada.send_text(text))
                await api.wait_for(shows(expected), 30, message=expected)

            await say("/start", "Which company")
            await say("Acme", "What was the role?")
            await say("Backend engineer", "How far did you get with Acme?")
            await press("💻 Technical test or assignment", "How did you hear the news?")
            await press("✉️ Email", "how are you right now?")
            await press("4 🙂", "went well")
            await say("I explained my design clearly", "lesson")
            await say("Practise live coding under time pressure", "feedback")
            await press("Skip", "Where do you think it fell short?")
            await press("▫️ Technical skills", "✅ Technical skills")
            await press("▫️ Interviewing skills", "✅ Interviewing skills")
            await press("Done", "Pick one")
            await press("0", "When will you make time for it?")
            await press("Tomorrow", "a goal to try again")
            await say("3 mock interviews", "Where are you")
            await say("Berlin", "By when?")
            await press("2 weeks", "Your comeback plan")

            sent = len(api.events)
            # On to noon in Berlin eight days later: the goal's midpoint (day 7) is past, and
            # it is day where Ada is, whatever the hour the suite runs at.
            berlin = ZoneInfo("Europe/Berlin")
            today = datetime.now(berlin).date()
            noon = datetime.combine(today + timedelta(days=8), dt_time(12), tzinfo=berlin)
            offset.write_text(f"+{int(noon.timestamp() - time.time())}\n")
            await api.wait_for(lambda: len(api.events) > sent, 30, message="a check-in")
            checkin = api.last_message(ada)
            assert "How is your goal going?" in checkin.plain_text
            assert "I meant to send this on" in checkin.plain_text
            assert "late" in checkin.plain_text
            assert ["✅ Done", "🌗 Partly"] in checkin.buttons
        finally:
            process.kill()
            out, err = await process.communicate()
    assert api.violations == []
    assert "Traceback" not in (out + err).decode()
