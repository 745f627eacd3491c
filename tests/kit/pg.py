"""Where the tests find a PostgreSQL server, and a schema of its own for each test.

In order: `TEST_POSTGRES_URL`; the server this project's machines run at 127.0.0.1:5432 (trust
authentication, database `test`); a throwaway server started from the installed binaries
(`initdb`, `pg_ctl`) in a temporary folder; otherwise none, and the PostgreSQL tests are skipped
with the reason (a failure instead under `REQUIRE_POSTGRES=1`, which .ci/run sets).
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import psycopg

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/test"


class NoPostgres(RuntimeError):
    """No PostgreSQL server could be found or started; the message says why."""


def _reachable(url: str) -> str | None:
    """None if `url` answers, else why not."""
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _throwaway() -> str:
    """A server of our own in a temporary folder, stopped when the tests end."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise NoPostgres("no initdb/pg_ctl on PATH to start a throwaway server")
    if os.geteuid() == 0:
        raise NoPostgres("initdb refuses to run as root; set TEST_POSTGRES_URL")
    folder = Path(tempfile.mkdtemp(prefix="comeback-pg-"))
    data, port = folder / "data", _free_port()
    subprocess.run(
        [initdb, "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(folder / "log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )

    def stop() -> None:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


@cache
def server_url() -> str:
    """The URL of a PostgreSQL server for the tests (raises NoPostgres with the reason)."""
    explicit = os.environ.get("TEST_POSTGRES_URL")
    if explicit:
        problem = _reachable(explicit)
        if problem:
            raise NoPostgres(f"TEST_POSTGRES_URL does not answer: {problem}")
        return explicit
    if _reachable(LOCAL_URL) is None:
        return LOCAL_URL
    try:
        return _throwaway()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise NoPostgres(f"could not start a throwaway server: {exc}") from exc


def required() -> bool:
    """Whether a missing server fails the run (.ci/run) rather than skipping those tests."""
    return os.environ.get("REQUIRE_POSTGRES", "") not in ("", "0")


def with_schema(url: str, schema: str) -> str:
    """`url` with `schema` first on the search path."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A database URL whose tables live in a new, empty schema, dropped afterwards."""
    base = server_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
