"""PostgreSQL's own machinery, end to end: moving an install across (`comeback migrate-data`),
the operator commands on a server, and the one-line refusals of a database that cannot be used.
Everything else runs on both backends through the `db_path` fixture."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import psycopg
import pytest

from bot.clock import FakeClock
from bot.config import Settings, load_settings
from bot.storage.postgres import MIN_SERVER_VERSION
from bot.storage.transfer import RowDigest, canonical
from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit.chat import texts
from tests.kit.db import rows
from tests.kit.process import run_cli
from tests.kit.progress import debrief_through_bot
from tests.kit.running import TOKEN, RunningBot, started

pytestmark = pytest.mark.postgres


def _settings(server: StandinServer, url: str) -> Settings:
    return load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=server.base_url,
        database_url=url,
        default_timezone="UTC",
        helpline_countries="US,GB",
    )


def _exported(output: str) -> dict[str, object]:
    found = json.loads(output)
    found.pop("exported_at")
    return dict(found)


async def test_an_install_moves_from_sqlite_and_the_coaching_goes_on(
    server: StandinServer, api: FakeBotApi, clock: FakeClock, tmp_path: Path, pg_url: str
) -> None:
    source = tmp_path / "bot.sqlite3"
    sqlite_url = f"sqlite:///{source}"
    ana = api.private_user(8101, first_name="Ana")
    async with started(RunningBot(_settings(server, sqlite_url), api, clock)):
        await debrief_through_bot(ana, company="Initech")
        plan_before = texts(await ana.command("/plan"))
    exported_before = run_cli(tmp_path, "export", "--user", str(ana.id), DATABASE_URL=sqlite_url)
    assert exported_before.returncode == 0, exported_before.stderr

    moved = run_cli(tmp_path, "migrate-data", "--from", sqlite_url, "--to", pg_url)
    assert moved.returncode == 0, moved.stderr
    assert "counts and checksums match" in moved.stderr
    listed = dict(line.split("\t")[:2] for line in moved.stdout.splitlines())
    assert listed["users"] == "1 rows" and listed["rejections"] == "1 rows"
    assert int(listed["check_ins"].split()[0]) > 0

    # The same person, the same rows: the export reads alike on both.
    exported_after = run_cli(tmp_path, "export", "--user", str(ana.id), DATABASE_URL=pg_url)
    assert exported_after.returncode == 0, exported_after.stderr
    assert _exported(exported_after.stdout) == _exported(exported_before.stdout)

    # New rows after the move get new ids (the sequences were moved on too).
    async with started(RunningBot(_settings(server, pg_url), api, clock)):
        assert texts(await ana.command("/plan")) == plan_before
        await debrief_through_bot(ana, company="Globex", first=False)
    assert rows(pg_url, "SELECT COUNT(*) FROM rejections WHERE user_id = ?", ana.id) == [(2,)]

    # A second run finds the target full and changes nothing.
    again = run_cli(tmp_path, "migrate-data", "--from", sqlite_url, "--to", pg_url)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1
    assert "fills an empty database only" in again.stderr


def test_the_checksum_is_one_canonical_text_per_value() -> None:
    assert [canonical(v) for v in (None, 3, "3", 1.5, b"\x01", True)] == [
        "\\N", "3", "3", "1.5", "01", "1",
    ]  # fmt: skip
    one, other = RowDigest(), RowDigest()
    one.add((1, "a|b", None))
    other.add((1, "a", "b"))
    assert one.hexdigest() != other.hexdigest()
    assert (one.rows, other.rows) == (1, 1)


def test_operator_commands_work_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    assert run_cli(tmp_path, "migrate", DATABASE_URL=pg_url).stdout.endswith(
        "is at schema version 15\n"
    )
    stats = run_cli(tmp_path, "stats", DATABASE_URL=pg_url)
    assert stats.returncode == 0 and "users 0" in stats.stdout
    assert run_cli(tmp_path, "delete", "--user", "5", DATABASE_URL=pg_url).stdout == (
        "comeback: nothing stored about user 5\n"
    )
    dump = tmp_path / "comeback.dump"
    other = f"other_app_{tmp_path.name[-8:]}".replace("-", "_")  # another app's schema beside ours
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{other}"')
        conn.execute(f'CREATE TABLE "{other}".orders (id int)')
    try:
        backup = run_cli(tmp_path, "backup", str(dump), DATABASE_URL=pg_url)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{other}" CASCADE')
    assert backup.returncode == 0, backup.stderr
    assert "backup written by pg_dump" in backup.stdout
    assert dump.read_bytes().startswith(b"PGDMP")
    # Only the bot's own schema (the URL's search_path): other schemas in the database, which
    # may come and go while pg_dump runs, are not part of Comeback's backup.
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
    tables = [line for line in listing.stdout.splitlines() if " TABLE " in line]
    assert tables and all(f" {schema} " in line for line in tables), tables[:3]
    # Without pg_dump it refuses, naming the command to run (never with a password in it).
    secret_url = pg_url.replace("postgres@", "postgres:hunter2@")
    bare = run_cli(tmp_path, "backup", str(dump), DATABASE_URL=secret_url, PATH="/nonexistent")
    assert bare.returncode == 1
    assert "pg_dump is not installed here; install it and run: pg_dump" in bare.stderr
    assert "hunter2" not in bare.stderr


def _one_line_refusal(tmp_path: Path, url: str, *args: str) -> str:
    result = run_cli(tmp_path, *args, DATABASE_URL=url, TELEGRAM_BOT_TOKEN=TOKEN)
    # One line says why (after, at most, the line naming the database and the debug log's).
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("comeback: ")]
    return said[-1]


@pytest.mark.parametrize("command", [("migrate",), ("stats",), ()])
def test_a_database_that_cannot_be_used_is_one_line_and_exit_code_2(
    tmp_path: Path, pg_url: str, command: tuple[str, ...]
) -> None:
    with psycopg.connect(pg_url) as probe:  # a port nothing listens on
        port = probe.info.port
    unreachable = pg_url.replace(f":{port}/", ":9/")
    assert "Connection refused" in _one_line_refusal(tmp_path, unreachable, *command)
    wrong = pg_url.replace("postgres@", "nobody:secret@")
    said = _one_line_refusal(tmp_path, wrong, *command)
    assert "nobody" in said and "secret" not in said

    assert run_cli(tmp_path, "migrate", DATABASE_URL=pg_url).returncode == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 'x')")
    said = _one_line_refusal(tmp_path, pg_url, *command)
    assert "schema version 99, newer than this Comeback knows" in said


def test_the_oldest_supported_server_is_fourteen(pg_url: str) -> None:
    assert MIN_SERVER_VERSION == 140000
    with psycopg.connect(pg_url) as conn:
        assert conn.info.server_version >= MIN_SERVER_VERSION
