"""Benchmark 4: fair processing under a flood (issue 15). Not a timed test.

While M users walk a debrief (benchmarks/scenario.py, a 1-3 s pause before every action), one
user floods their private chat with F messages at once and a group gets G commands (`/help`
from its members) at once; a probe user sends `/help` every half second throughout. Comeback
runs as in production (rate limiter on: ~30 messages a second overall, 20 a minute per group),
in its own process, polling the fake Bot API over loopback HTTP.

* the other users' reply latency: from a step's update being queued in the fake to the reply
  that asks the step's question (p50 / p95 / p99 / max), and the probe's `/help` the same way;
* the bot's peak memory (VmHWM) over the whole run;
* what the flood got: replies, slow-down notices (one is right: one per burst), and whether a
  crisis line sent far beyond the backlog cap was still answered;
* what the group got: `/help` replies (at most 3 a minute are answered; the rest are dropped).

`python -m benchmarks.flood --bot ...` is the bot under test (`benchmarks.botproc`, with the
processor given its application: a no-op once `bot/app.py` does that itself).

SQLite only: what it measures is how updates are queued and answered in the bot's own process
(the processor and the rate limiter), the same whatever the database; `--backend` does not
apply to it.
"""

# A load generator: waiting helpers take timeouts, poll, and touch files between phases.
# ruff: noqa: ASYNC110, ASYNC240

from __future__ import annotations

import asyncio
import functools
import random
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import MB, BenchApi, BotProcess, Call, bot_env, percentile
from benchmarks.scenario import VARIANTS, variant_of
from standin import FakeUser, UploadedFile
from standin.http import StandinServer

STEP_TIMEOUT = 60.0
HELP = "/rejected"  # in the private /help text
GROUP_HELP = "/join"  # in the group /help text
SLOW_DOWN = "sending faster than I can answer"
CRISIS_LINE = "I want to die"
CRISIS_REPLY = "glad you told me"

FIRST_USER = 700_000
FLOODER = 690_001
PROBE = 690_002
GROUP_ID = -100_690_000
MEMBERS = range(690_100, 690_130)


@dataclass
class Sizes:
    users: int  # walking debriefs
    flood: int  # messages from one chat, all at once
    group_commands: int  # /help in one group, all at once
    think: tuple[float, float]  # seconds a user pauses before each action
    flood_after: float  # seconds after the users start
    probe_every: float = 0.5


FULL = Sizes(users=50, flood=1000, group_commands=300, think=(3.0, 6.0), flood_after=8.0)
SIZES = {
    "full": FULL,
    "medium": FULL,  # the flood is short at full size already
    "tiny": Sizes(
        users=4, flood=80, group_commands=12, think=(0.05, 0.15), flood_after=0.2, probe_every=0.2
    ),
}


class FloodApi(BenchApi):
    """The bench fake, plus: wait for a chat's next request whose text contains a needle."""

    def __init__(self) -> None:
        super().__init__()
        self._expected: dict[int, tuple[str, asyncio.Future[float]]] = {}

    async def call(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, bytes | UploadedFile] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().call(method, params, files)
        if method == "getUpdates" or not self._expected:
            return status, body
        chat = self._chat_of(method, params)
        expected = self._expected.get(chat) if chat is not None else None
        if chat is not None and expected is not None:
            last = self.by_chat[chat][-1]
            needle, future = expected
            if needle in (last.text or "") and not future.done():
                future.set_result(last.t)
        return status, body

    async def act_and_wait(
        self, chat: int, needle: str, act: Callable[[], Awaitable[object]]
    ) -> float:
        """Run `act()` (queue an update) and wait for the chat's reply containing `needle`;
        the seconds in between."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._expected[chat] = (needle, future)
        queued = time.perf_counter()
        try:
            await act()
            return await asyncio.wait_for(future, STEP_TIMEOUT) - queued
        finally:
            self._expected.pop(chat, None)


async def _act(user: FakeUser, action: str, value: str) -> None:
    if action == "command":
        await user.send_command(value)
    elif action == "say":
        await user.send_text(value)
    else:
        await user.press(value)


async def _walk(
    api: FloodApi,
    user_id: int,
    think: tuple[float, float],
    latencies: list[tuple[float, float]],
    errors: list[str],
) -> None:
    user = api.private_user(user_id, first_name=f"User{user_id}")
    pause = random.Random(user_id)
    for index, (action, value, expected) in enumerate(VARIANTS[variant_of(user_id)]):
        await asyncio.sleep(pause.uniform(*think))
        step = functools.partial(_act, user, action, value)
        try:
            queued = time.perf_counter()
            latencies.append((queued, await api.act_and_wait(user_id, expected, step)))
        except (AssertionError, TimeoutError) as exc:
            errors.append(f"user {user_id} step {index} ({value!r}): {exc!r}")
            return


async def _probe(
    api: FloodApi, every: float, stop: asyncio.Event, latencies: list[float], errors: list[str]
) -> None:
    user = api.private_user(PROBE, first_name="Probe")
    while not stop.is_set():
        try:
            latencies.append(
                await api.act_and_wait(PROBE, HELP, lambda: user.send_command("/help"))
            )
        except TimeoutError:
            latencies.append(STEP_TIMEOUT)
            errors.append(f"probe: no /help reply within {STEP_TIMEOUT:g} s")
        await asyncio.sleep(every)


def _flood(api: FloodApi, sizes: Sizes) -> None:
    """Queue the flood and the group's commands, all at once (none waits for an answer)."""
    flooder = api.private_user(FLOODER, first_name="Flo")
    crisis_at = sizes.flood * 9 // 10  # far beyond the backlog cap
    for n in range(sizes.flood):
        text = CRISIS_LINE if n == crisis_at else f"message {n}"
        api.user_message(flooder, None, {"text": text})
    members = [api.private_user(m, first_name=f"Member{m}") for m in MEMBERS]
    for n in range(sizes.group_commands):
        fields = {
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        }
        api.user_message(members[n % len(members)], GROUP_ID, fields)


async def run(size: str, workdir: Path, bot_args: list[str] | None = None) -> dict[str, Any]:
    """One run: start the bot, the users, the probe; flood; wait for the users; measure."""
    sizes = SIZES[size]
    api = FloodApi()
    api.group(GROUP_ID, "Cohort", members=MEMBERS, supergroup=True)
    server = StandinServer(api)
    await server.start()
    db = workdir / "flood.sqlite3"
    for path in workdir.glob("flood.sqlite3*"):
        path.unlink()
    args = bot_args or ["-m", "benchmarks.flood", "--bot", "--rate-limit", "on"]
    process = BotProcess(args, bot_env(server.base_url, db), workdir, workdir / "flood.log")
    latencies: list[tuple[float, float]] = []  # (queued, seconds to the reply)
    probe: list[float] = []
    errors: list[str] = []
    peak_rss = 0
    worked_off: float | None = None
    flooded = 0.0
    try:
        process.start()
        await api.wait_first_poll(60)
        stop = asyncio.Event()
        prober = asyncio.create_task(_probe(api, sizes.probe_every, stop, probe, errors))
        users = range(FIRST_USER, FIRST_USER + sizes.users)
        walks = asyncio.gather(*(_walk(api, u, sizes.think, latencies, errors) for u in users))
        await asyncio.sleep(sizes.flood_after)
        flooded = time.perf_counter()
        _flood(api, sizes)
        await walks
        stop.set()
        await prober
        # The flood is worked off (a reply to the crisis line is its last word) before stopping.
        deadline = time.monotonic() + STEP_TIMEOUT
        while sizes.flood and time.monotonic() < deadline and _answered_crisis(api) is None:
            await asyncio.sleep(0.1)
        crisis = _answered_crisis(api)
        worked_off = (crisis.t - flooded) if crisis is not None else None
        await asyncio.sleep(1.0)  # anything late arrives now
        peak_rss = process.usage().peak_rss
    finally:
        code = await process.stop()
        await server.stop()
        api.close()
    if code not in (0, -15):
        errors.append(f"bot exited with {code}: {process.log_tail()}")
    errors.extend(f"Bot API violation: {v}" for v in api.violations[:10])
    every = [seconds for _, seconds in latencies]
    window = (flooded, flooded + (worked_off or STEP_TIMEOUT) + 1.0)
    during = [seconds for queued, seconds in latencies if window[0] <= queued <= window[1]]
    flood_texts = [c.text or "" for c in api.by_chat[FLOODER] if c.method == "sendMessage"]
    group_texts = [c.text or "" for c in api.by_chat[GROUP_ID] if c.method == "sendMessage"]
    return {
        "backend": "sqlite",  # fair processing is the bot's, not the database's: SQLite only
        "users": sizes.users,
        "think_s": list(sizes.think),
        "flood_messages": sizes.flood,
        "group_commands": sizes.group_commands,
        "rate_limiter": "on (production)",
        "steps": len(latencies),
        "latency_ms_p50": _ms(percentile(every, 50)),
        "latency_ms_p95": _ms(percentile(every, 95)),
        "latency_ms_p99": _ms(percentile(every, 99)),
        "latency_ms_max": _ms(max(every, default=0.0)),
        # Steps queued while the flood was being worked off (to its last reply, plus 1 s).
        "flood_window_steps": len(during),
        "flood_window_latency_ms_p99": _ms(percentile(during, 99)),
        "flood_window_latency_ms_max": _ms(max(during, default=0.0)),
        "probe_helps": len(probe),
        "probe_ms_p99": _ms(percentile(probe, 99)),
        "probe_ms_max": _ms(max(probe, default=0.0)),
        "flood_replies": len(flood_texts),
        "slow_down_notices": sum(SLOW_DOWN in t for t in flood_texts),
        "crisis_answered": any(CRISIS_REPLY in t for t in flood_texts),
        "flood_worked_off_s": round(worked_off, 2) if worked_off is not None else None,
        "group_replies": sum(GROUP_HELP in t for t in group_texts),
        "bot_peak_rss_mb": round(peak_rss / MB, 1),
        "errors": errors[:50],
    }


def _answered_crisis(api: FloodApi) -> Call | None:
    """The reply to the crisis line (the flood's last update handled), if it came."""
    return next((c for c in api.by_chat[FLOODER] if CRISIS_REPLY in (c.text or "")), None)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def serve_bot(argv: list[str]) -> int:
    """The bot under test: `benchmarks.botproc`, with the processor given its application."""
    import bot.app
    from benchmarks import botproc
    from bot.ordering import PerChatUpdateProcessor

    build = bot.app.build_application

    def attached(*args: Any, **kwargs: Any) -> Any:
        application = build(*args, **kwargs)
        PerChatUpdateProcessor.attach(application)
        return application

    bot.app.build_application = attached
    sys.argv = [sys.argv[0], *argv]
    return botproc.main()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bot"]:
        sys.exit(serve_bot(sys.argv[2:]))
    import json
    import tempfile

    size = sys.argv[1] if len(sys.argv) > 1 else "full"
    with tempfile.TemporaryDirectory(prefix="comeback-flood-") as folder:
        print(json.dumps(asyncio.run(run(size, Path(folder))), indent=2))
