"""The deployment files (Dockerfile, docker-compose.yml, deploy/) and docs/deploy.md say what the
bot really does: the settings they name exist, the commands they run exist, and the image, the
proxy and the unit are shaped as the docs promise. Where Docker, Caddy or systemd-analyze are
installed, they are run for real; without them those tests skip, saying so."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from bot.__main__ import _parser
from bot.config import Settings
from standin import FakeBotApi
from standin.http import StandinServer
from tests.kit.running import TOKEN

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
UNIT = ROOT / "deploy" / "comeback.service"
ENV_EXAMPLE = ROOT / "deploy" / "comeback.env.example"
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

SETTINGS = {name.upper() for name in Settings.model_fields}
# Names in these files that are not the bot's settings, and whose they are.
NOT_SETTINGS = {
    "POSTGRES_PASSWORD": "docker-compose.yml: PostgreSQL's password, put into DATABASE_URL",
    "POSTGRES_USER": "the official postgres image",
    "POSTGRES_DB": "the official postgres image",
    "COMEBACK_ENV_FILE": "docker-compose.yml: which env file (the tests use their own)",
    "TEST_POSTGRES_URL": "the tests' PostgreSQL (tests/kit/pg.py)",
    "REQUIRE_POSTGRES": "CI: no skipping the PostgreSQL tests",
}
TELEGRAM_PORTS = "443, 80, 88 or 8443"


# ---------------------------------------------------------------------------- reading the files


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), " ".join(rest.split())))
    return found


def final_stage() -> list[tuple[str, str]]:
    """The instructions of the image that ships: from the last FROM on."""
    instructions = dockerfile_instructions()
    last_from = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last_from:]


def env_file_names(text: str) -> list[str]:
    """NAME of every `NAME=value` line of an env file, commented out or not."""
    return re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, re.M)


def compose_services() -> dict[str, str]:
    """Each service of docker-compose.yml and its block of text (no YAML parser needed)."""
    text = COMPOSE.read_text(encoding="utf-8")
    block = re.search(r"^services:\n(.*?)(?=^\S)", text, re.M | re.S)
    assert block, "docker-compose.yml has no services:"
    parts = re.split(r"^  ([a-z0-9_-]+):\n", block.group(1), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def doc_section(text: str, heading: str) -> str:
    found = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert found, f"docs/deploy.md has no '## {heading}' section"
    return found.group(1)


def unit_values(key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", UNIT.read_text(encoding="utf-8"), re.M)


def load_healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("comeback_healthcheck", HEALTHCHECK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative, with /) out of the build context: Docker's
    rules for these patterns (`*` within a name, `**/` any folders, a folder takes its contents,
    the last matching pattern wins, `!` lets back in)."""
    excluded = False
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
        regex = regex.replace(r"\?", "[^/]")
        if re.fullmatch(rf"{regex}(?:/.*)?", path):
            excluded = not negated
    return excluded


# ---------------------------------------------------------------------------- Dockerfile


def test_the_image_runs_python_m_bot_as_a_user_that_is_not_root() -> None:
    image = final_stage()
    users = [args for word, args in image if word == "USER"]
    assert users, "the image runs as root: no USER"
    assert users[-1].split(":")[0] not in ("root", "0"), users[-1]
    commands = [args for word, args in image if word == "CMD"]
    assert commands and json.loads(commands[-1]) == ["python", "-m", "bot"]


def test_the_image_is_slim_python_with_the_package_and_no_test_extras() -> None:
    bases = [args for word, args in dockerfile_instructions() if word == "FROM"]
    assert bases and all(re.search(r"python:\$\{PYTHON_VERSION\}-slim", b) for b in bases), bases
    arguments = [a.split("=", 1) for w, a in dockerfile_instructions() if w == "ARG"]
    version = dict(arguments)["PYTHON_VERSION"]
    assert tuple(int(p) for p in version.split(".")) >= (3, 11)
    installs = [a for w, a in dockerfile_instructions() if w == "RUN" and "pip install" in a]
    assert installs and all(a.endswith("pip install .") for a in installs), installs


def test_the_image_keeps_its_sqlite_database_in_the_data_volume() -> None:
    image = final_stage()
    env = " ".join(args for word, args in image if word == "ENV")
    assert "DATABASE_URL=sqlite:////data/comeback.sqlite3" in env
    assert any(word == "VOLUME" and "/data" in args for word, args in image)


def test_the_health_check_needs_nothing_but_the_image() -> None:
    image = final_stage()
    checks = [args for word, args in image if word == "HEALTHCHECK"]
    assert len(checks) == 1
    copied = [args for word, args in image if word == "COPY" and "healthcheck.py" in args]
    assert copied and copied[0].split()[-1] in checks[0], (copied, checks)
    # Standard library and the bot's own package only: nothing for the image to install.
    imported = re.findall(r"^(?:from|import) (\w+)", HEALTHCHECK.read_text(encoding="utf-8"), re.M)
    assert set(imported) <= {"__future__", "sys", "urllib", "bot"}, imported


def test_the_build_context_leaves_out_environments_history_caches_databases_and_secrets() -> None:
    for path in (
        ".venv/bin/python",
        ".git/HEAD",
        "bot/__pycache__/app.cpython-311.pyc",
        ".mypy_cache/3.11/bot.json",
        ".pytest_cache/v/cache/lastfailed",
        ".ruff_cache/content",
        ".hypothesis/examples/x",
        "comeback.egg-info/PKG-INFO",
        "comeback.sqlite3",
        "data/comeback.sqlite3-wal",
        "comeback-local.sqlite3",
        ".env",
        "deploy/comeback.env",
        "tests/test_deploy.py",
    ):
        assert dockerignored(path), f"{path} would be sent into the image's build"
    for path in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "bot/__main__.py",
        "bot/storage/migrations/postgresql/0001_initial.sql",
        "prompts/labels.toml",
        "standin/spec_data/api.json",
        "deploy/healthcheck.py",
        "deploy/comeback.env.example",
    ):
        assert not dockerignored(path), f"{path} is needed by the build but left out"


# ---------------------------------------------------------------------------- compose and proxy


def test_compose_runs_postgres_a_migration_two_workers_and_a_proxy() -> None:
    services = compose_services()
    assert set(services) == {"postgres", "migrate", "worker1", "worker2", "proxy"}
    assert re.search(r"image: postgres:\d+", services["postgres"])
    assert "healthcheck:" in services["postgres"] and "pg_isready" in services["postgres"]
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]
    assert '"-m", "bot", "migrate"' in services["migrate"]
    assert "service_completed_successfully" in COMPOSE.read_text(encoding="utf-8")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile" in services["proxy"]
    assert "127.0.0.1:8081:8081" in services["proxy"], "/healthz and /metrics: loopback only"


def test_compose_workers_listen_for_the_proxy_under_names_of_their_own() -> None:
    services = compose_services()
    ids = []
    for name in ("worker1", "worker2"):
        block = services[name]
        assert "<<: *worker" in block
        assert "WEBHOOK_LISTEN: 0.0.0.0:8080" in block
        ids.extend(re.findall(r"WORKER_ID: (\S+)", block))
    assert len(set(ids)) == 2, ids
    text = COMPOSE.read_text(encoding="utf-8")
    # One database URL for all, built from the password; everything else from the env file.
    assert "DATABASE_URL: postgresql://comeback:${POSTGRES_PASSWORD" in text
    assert "env_file: ${COMEBACK_ENV_FILE:-.env}" in text


def test_every_name_compose_sets_or_reads_is_a_setting_or_said_whose_it_is() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s+([A-Z][A-Z0-9_]*):", text, re.M))
    variables = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    unknown = (keys | variables) - SETTINGS - set(NOT_SETTINGS)
    assert not unknown, f"not Settings fields: {sorted(unknown)}"
    assert {"DATABASE_URL", "WEBHOOK_LISTEN", "WORKER_ID"} <= keys


def test_the_proxy_sends_posts_to_every_worker_and_keeps_health_and_metrics_inside() -> None:
    caddyfile = CADDYFILE.read_text(encoding="utf-8")
    workers = sorted(name for name in compose_services() if re.fullmatch(r"worker\d+", name))
    upstreams = re.search(r"reverse_proxy ((?:worker\d+:8080 ?)+)\{", caddyfile)
    assert upstreams and upstreams.group(1).split() == [f"{w}:8080" for w in workers]
    assert "method POST" in caddyfile and "not path /healthz /metrics" in caddyfile
    assert "max_size 1MiB" in caddyfile
    assert "\n\tlog" not in caddyfile, "an access log would record the secret header"


def test_tls_is_said_plainly_to_be_the_operators_with_telegrams_ports() -> None:
    for path in (COMPOSE, CADDYFILE, DEPLOY_DOC):
        text = " ".join(path.read_text(encoding="utf-8").replace("#", " ").split())
        assert TELEGRAM_PORTS in text, f"{path.name} does not say which ports Telegram posts to"
        assert "https://" in text, path.name
    assert "TLS IS LEFT TO YOU" in COMPOSE.read_text(encoding="utf-8")
    assert "TLS IS LEFT TO YOU" in CADDYFILE.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- systemd and env


def test_the_unit_runs_an_existing_command_as_its_own_user_with_its_env_file() -> None:
    (start,) = unit_values("ExecStart")
    program, *args = start.split()
    scripts = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    name = Path(program).name
    assert re.search(rf'^{name} = "bot.__main__:main"$', scripts, re.M), program
    assert args and _parser().parse_args(args).command == args[0], args
    assert unit_values("User") == ["comeback"]
    assert unit_values("EnvironmentFile") == ["/etc/comeback/comeback.env"]
    assert unit_values("Restart") == ["on-failure"]
    assert unit_values("StartLimitIntervalSec") and unit_values("StartLimitBurst")


def test_the_unit_is_read_only_but_for_its_data_folder_where_the_database_is() -> None:
    assert unit_values("NoNewPrivileges") == ["yes"]
    assert unit_values("ProtectSystem") == ["strict"]
    (writable,) = unit_values("ReadWritePaths")
    assert unit_values("WorkingDirectory") == [writable]
    (database,) = re.findall(r"^DATABASE_URL=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)
    assert database.startswith(f"sqlite:///{writable}/"), (database, writable)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    comeback = Path(sys.executable).with_name("comeback")
    if not comeback.exists():
        pytest.skip(f"the comeback script is not installed beside {sys.executable}")
    unit = tmp_path / "comeback.service"
    text = UNIT.read_text(encoding="utf-8")
    unit.write_text(text.replace("/opt/comeback/bin/comeback", str(comeback)), encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_env_example_has_every_setting_and_nothing_else() -> None:
    names = env_file_names(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert len(names) == len(set(names)), f"named twice: {names}"
    assert set(names) - SETTINGS <= set(NOT_SETTINGS), set(names) - SETTINGS
    assert set(names) >= SETTINGS, f"missing: {sorted(SETTINGS - set(names))}"


def test_the_env_examples_values_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    values = dict(
        re.findall(r"^#?([A-Z][A-Z0-9_]*)=(.+)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)
    )
    values.pop("DATABASE_URL")  # a folder of the server's (checked against the unit above)
    values["WEBHOOK_SECRET_TOKEN"] = secrets.token_urlsafe(32)  # the example's is empty
    chosen = {k.lower(): v for k, v in values.items() if k in SETTINGS}
    Settings(_env_file=None, **chosen)  # type: ignore[call-arg]


# ---------------------------------------------------------------------------- docs/deploy.md


def test_every_setting_the_deploy_doc_names_exists_and_every_setting_is_in_its_table() -> None:
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b", text))
    unknown = named - SETTINGS - set(NOT_SETTINGS)
    assert not unknown, f"docs/deploy.md names what is not a setting: {sorted(unknown)}"
    table = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", doc_section(text, "Settings"), re.M))
    assert table == SETTINGS, (sorted(SETTINGS - table), sorted(table - SETTINGS))


def test_the_deploy_doc_walks_from_one_process_to_workers_and_names_real_files() -> None:
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    steps = [h for h in headings if re.match(r"\d\. ", h)]
    assert steps == [
        "1. One process on SQLite",
        "2. PostgreSQL",
        "3. Several workers: webhooks behind a load balancer",
    ]
    for heading in ("What scales and what does not", "When a worker is killed", "Tests"):
        assert heading in headings
    assert "comeback migrate-data --from sqlite:///" in text
    for path in set(re.findall(r"`((?:deploy/[\w.-]+)|Dockerfile|docker-compose\.yml)`", text)):
        assert (ROOT / path).exists(), f"docs/deploy.md names {path}, which does not exist"


# ---------------------------------------------------------------------------- the health check


class _Healthz(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path}).encode()
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def healthz_server(status: int) -> Iterator[int]:
    """An HTTP server on a free loopback port whose /healthz answers `status`."""
    handler = type("Handler", (_Healthz,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_healthcheck(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """deploy/healthcheck.py as Docker runs it: its own process, settings from the environment."""
    clean = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK)],
        cwd=tmp_path,  # no .env here
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


WEBHOOK_ENV = {
    "TELEGRAM_BOT_TOKEN": TOKEN,
    "WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
    "WEBHOOK_SECRET_TOKEN": "s" * 32,
}


def test_the_health_check_asks_a_webhook_worker_on_loopback(tmp_path: Path) -> None:
    with healthz_server(200) as port:
        result = run_healthcheck(tmp_path, **WEBHOOK_ENV, WEBHOOK_LISTEN=f"0.0.0.0:{port}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"healthy: http://127.0.0.1:{port}/healthz: 200")


def test_the_health_check_fails_when_the_bot_says_unhealthy_or_does_not_answer(
    tmp_path: Path,
) -> None:
    with healthz_server(503) as port:
        result = run_healthcheck(tmp_path, METRICS_LISTEN=f"127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stdout.startswith(f"unhealthy: http://127.0.0.1:{port}/healthz: 503")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    result = run_healthcheck(tmp_path, **WEBHOOK_ENV, WEBHOOK_LISTEN=f"127.0.0.1:{closed}")
    assert result.returncode == 1 and "no answer" in result.stdout, result.stdout


def test_the_health_check_has_nothing_to_ask_without_a_listener(tmp_path: Path) -> None:
    result = run_healthcheck(tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("no /healthz to ask")


def test_the_health_check_finds_ipv6_listeners() -> None:
    healthcheck = load_healthcheck()
    settings = Settings(_env_file=None, metrics_listen="[::]:9090")  # type: ignore[call-arg]
    assert healthcheck.healthz_url(settings) == "http://[::1]:9090/healthz"


# ---------------------------------------------------------------------------- Caddy, for real


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def caddy(tmp_path: Path, replacements: dict[str, str]) -> Iterator[None]:
    """deploy/Caddyfile served by Caddy with its addresses replaced, until the block ends."""
    config = CADDYFILE.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in config, old
        config = config.replace(old, new)
    path = tmp_path / "Caddyfile"
    path.write_text(config, encoding="utf-8")
    process = subprocess.Popen(
        ["caddy", "run", "--adapter", "caddyfile", "--config", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
    )
    assert process.stderr is not None
    drain = threading.Thread(target=process.stderr.read, daemon=True)
    try:
        seen = []
        for line in process.stderr:  # Caddy logs when it serves; no clock needed
            seen.append(line)
            if "serving initial configuration" in line:
                break
        else:
            pytest.fail("Caddy did not start:\n" + "".join(seen))
        drain.start()
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)
        if drain.is_alive():
            drain.join()
        process.stderr.close()


def http(method: str, url: str, body: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class _Worker(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        assert isinstance(self.server, _WorkerServer)
        body = f"{self.server.name} {self.command} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _WorkerServer(ThreadingHTTPServer):
    name = ""

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client the proxy cut off (the body over 1 MiB): not the test's business


@contextmanager
def fake_worker(name: str) -> Iterator[tuple[int, ThreadingHTTPServer]]:
    """An HTTP server that answers with its name, the method and the path it was sent."""
    server = _WorkerServer(("127.0.0.1", 0), _Worker)
    server.name = name
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1]), server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.skipif(shutil.which("caddy") is None, reason="Caddy is not installed here")
def test_caddy_accepts_the_caddyfile() -> None:
    result = subprocess.run(
        ["caddy", "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def caddy_version() -> tuple[int, ...] | None:
    """The installed Caddy's version, or None without one."""
    if shutil.which("caddy") is None:
        return None
    out = subprocess.run(["caddy", "version"], capture_output=True, text=True, timeout=60).stdout
    found = re.match(r"v?(\d+)\.(\d+)\.(\d+)", out.strip())
    return tuple(int(n) for n in found.groups()) if found else None


@contextmanager
def proxied_workers(tmp_path: Path) -> Iterator[tuple[str, str, ThreadingHTTPServer]]:
    """deploy/Caddyfile in front of two fake workers: the public and the internal address,
    and worker1's server (to stop it)."""
    public, internal = free_port(), free_port()
    with fake_worker("worker1") as (one, first), fake_worker("worker2") as (two, _):
        replacements = {
            ":80 {": f":{public} {{",
            ":8081 {": f":{internal} {{",
            "worker1:8080": f"127.0.0.1:{one}",
            "worker2:8080": f"127.0.0.1:{two}",
        }
        with caddy(tmp_path, replacements):
            yield f"http://127.0.0.1:{public}", f"http://127.0.0.1:{internal}", first


@pytest.mark.skipif(shutil.which("caddy") is None, reason="Caddy is not installed here")
def test_the_proxy_spreads_posts_over_the_workers_and_keeps_metrics_inside(
    tmp_path: Path,
) -> None:
    with proxied_workers(tmp_path) as (public, inside, _):
        hook = f"{public}/telegram/webhook"
        answers = {http("POST", hook, b"{}") for _ in range(4)}
        assert answers == {
            (200, "worker1 POST /telegram/webhook"),
            (200, "worker2 POST /telegram/webhook"),
        }
        # Outside: nothing but POSTs to the webhook.
        assert http("GET", f"{public}/healthz")[0] == 404
        assert http("GET", f"{public}/metrics")[0] == 404
        assert http("POST", f"{public}/metrics", b"")[0] == 404
        assert http("GET", hook)[0] == 404
        # Over 1 MiB: refused before a worker sees it whole (Caddy 2.6 says 502, later ones 413).
        assert http("POST", hook, b"x" * (1024 * 1024 + 1))[0] in (413, 502)
        # Inside: each worker's own, by name, and nothing else.
        assert http("GET", f"{inside}/worker1/metrics") == (200, "worker1 GET /metrics")
        assert http("GET", f"{inside}/worker2/healthz") == (200, "worker2 GET /healthz")
        assert http("GET", f"{inside}/worker1/telegram/webhook")[0] == 404


def test_the_proxy_passes_a_post_to_the_other_worker_when_one_is_gone(tmp_path: Path) -> None:
    version = caddy_version()
    if version is None or version < (2, 11, 2):
        shown = ".".join(map(str, version)) if version else "not installed"
        pytest.skip(f"needs Caddy 2.11.2 or newer (caddyserver/caddy#7546); here: {shown}")
    with proxied_workers(tmp_path) as (public, _, first):
        first.shutdown()
        first.server_close()
        hook = f"{public}/telegram/webhook"
        answers = {http("POST", hook, b"{}") for _ in range(4)}
        assert answers == {(200, "worker2 POST /telegram/webhook")}


# ---------------------------------------------------------------------------- Docker, for real


def docker_missing() -> str | None:
    """Why the Docker tests cannot run here, or None when they can."""
    if shutil.which("docker") is None:
        return "docker is not installed here"
    for command, why in (
        (["docker", "compose", "version"], "the docker compose plugin is not installed"),
        (["docker", "info"], "no Docker daemon answers"),
    ):
        try:
            result = subprocess.run(command, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{why} ({exc})"
        if result.returncode != 0:
            return why
    return None


def compose_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment for `docker compose`: an env file of the test's own, not the clone's .env."""
    env_file = tmp_path / "compose.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in settings.items()), encoding="utf-8")
    return {
        **os.environ,
        "COMEBACK_ENV_FILE": str(env_file),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
    }


def compose(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    result = subprocess.run(
        ["docker", "compose", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, f"docker compose {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


def test_docker_compose_reads_the_file_as_written(tmp_path: Path) -> None:
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed here: docker-compose.yml is checked as text only")
    if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker compose plugin is not installed: checked as text only")
    env = compose_env(tmp_path, **WEBHOOK_ENV)
    config = json.loads(compose(env, "-f", str(COMPOSE), "config", "--format", "json", timeout=60))
    services = config["services"]
    assert set(services) == {"postgres", "migrate", "worker1", "worker2", "proxy"}
    ids = {services[w]["environment"]["WORKER_ID"] for w in ("worker1", "worker2")}
    assert ids == {"worker1", "worker2"}
    for worker in ("worker1", "worker2"):
        environment = services[worker]["environment"]
        assert environment["WEBHOOK_URL"] == WEBHOOK_ENV["WEBHOOK_URL"]
        assert environment["DATABASE_URL"].startswith("postgresql://comeback:")
        assert set(environment) - SETTINGS <= set(NOT_SETTINGS) | {"PATH"}


async def test_the_image_builds_and_compose_starts_workers_that_answer_through_the_proxy(
    tmp_path: Path,
) -> None:
    why = await asyncio.to_thread(docker_missing)
    if why is not None:
        pytest.skip(f"{why}: the image and docker-compose.yml are checked as text only")
    api = FakeBotApi(TOKEN)
    secret = secrets.token_urlsafe(32)
    async with StandinServer(api, host="0.0.0.0") as telegram:  # the containers reach it
        env = compose_env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=f"http://host.docker.internal:{telegram.port}/bot",
            WEBHOOK_URL="https://bot.example.org/telegram/webhook",
            WEBHOOK_SECRET_TOKEN=secret,
        )
        # The workers reach the fake Telegram on this machine; the proxy on free ports here.
        override = tmp_path / "override.yml"
        hosts = '    extra_hosts: ["host.docker.internal:host-gateway"]\n'
        override.write_text(
            "services:\n"
            + "".join(f"  {name}:\n{hosts}" for name in ("worker1", "worker2"))
            + '  proxy:\n    ports: !override ["127.0.0.1::80", "127.0.0.1::8081"]\n',
            encoding="utf-8",
        )
        project = ["-p", f"comeback-test-{secrets.token_hex(4)}", "-f", str(COMPOSE)]

        async def dc(*args: str) -> str:
            return await asyncio.to_thread(compose, env, *project, "-f", str(override), *args)

        try:
            await dc("up", "-d", "--build", "--wait", "worker1", "worker2", "proxy")
            public = "http://" + (await dc("port", "proxy", "80")).strip()
            inside = "http://" + (await dc("port", "proxy", "8081")).strip()
            api.webhook_targets = [f"{public}/telegram/webhook"]
            await api.wait_for(lambda: api.calls("setWebhook"), 60, "the workers set the webhook")

            alice = api.private_user(first_name="Alice")
            await alice.send_command("/start")
            reply = await api.wait_for(lambda: api.chat_messages(alice), 120, "a reply to /start")
            assert "Comeback" in reply[0].plain_text

            assert (await asyncio.to_thread(http, "GET", f"{public}/metrics"))[0] == 404
            refused = await asyncio.to_thread(http, "POST", f"{public}/telegram/webhook", b"{}")
            assert refused[0] == 403  # no secret
            for worker in ("worker1", "worker2"):
                status, body = await asyncio.to_thread(http, "GET", f"{inside}/{worker}/healthz")
                assert status == 200, body
        finally:
            await dc("down", "--volumes", "--remove-orphans")
