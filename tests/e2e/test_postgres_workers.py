"""Two bot processes on one PostgreSQL database never send one check-in twice.

10,000 people each have a check-in due now (seeded as benchmarks/seed.py seeds the fan-out).
Two `python -m bot` processes (as benchmarks/botproc.py runs it, with the rate limiter off)
start on the same database, each answering to a fake Telegram of its own, and claim from the
one queue at once: the claim locks the rows it takes and passes over rows the other holds
(`FOR UPDATE ... SKIP LOCKED`). Every check-in must end sent exactly once, every person must
get exactly one message between the two fakes, and both processes must have taken a share.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.common import BenchApi, BotProcess, bot_env
from benchmarks.seed import NO_QUIET_HOURS, seed
from standin.http import StandinServer
from tests.kit.db import rows

pytestmark = pytest.mark.postgres

PEOPLE = 10_000


async def test_two_processes_on_one_database_send_each_check_in_once(
    tmp_path: Path, pg_url: str
) -> None:
    ids = await seed(pg_url, PEOPLE, datetime.now(UTC), due="now", quiet=NO_QUIET_HOURS)
    fakes, servers, processes = [], [], []
    try:
        for n in range(2):
            api = BenchApi(lean=True)
            for user_id in ids:
                api.open_private_chat(api.private_user(user_id, first_name=f"User{user_id}"))
            server = StandinServer(api)
            await server.start()
            env = bot_env(server.base_url, tmp_path / "unused.sqlite3", DATABASE_URL=pg_url)
            process = BotProcess(
                ["-m", "benchmarks.botproc", "--rate-limit", "off"],
                env,
                tmp_path,
                tmp_path / f"bot{n}.log",
            )
            fakes.append(api)
            servers.append(server)
            processes.append(process.start())

        # Each fake re-checks this on every request it gets: the last send wakes the one
        # that received it.
        def all_sent() -> bool:
            return sum(len(api.sends) for api in fakes) >= PEOPLE

        waits = [asyncio.ensure_future(api.wait_for(all_sent, timeout=240)) for api in fakes]
        done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for wait in pending:
            wait.cancel()
        for wait in done:
            wait.result()  # a timeout says how far it got
        assert all(p.alive() for p in processes), [p.log_tail() for p in processes]
    finally:
        codes = [await p.stop() for p in processes]  # a send under way finishes first
        for server in servers:
            await server.stop()
        for api in fakes:
            api.close()
    assert codes == [0, 0] or set(codes) <= {0, -15}, [p.log_tail() for p in processes]
    for api in fakes:
        assert api.violations == [], api.violations[:3]
    per_person = {u: sum(len(api.by_chat[u]) for api in fakes) for u in ids}
    assert sorted(set(per_person.values())) == [1], "someone got no message, or two"
    shares = [sum(1 for _, _, status in api.sends if status == 200) for api in fakes]
    assert sum(shares) == PEOPLE and min(shares) > 0, shares
    assert rows(pg_url, "SELECT status, COUNT(*) FROM check_ins GROUP BY status") == [
        ("sent", PEOPLE)
    ]
