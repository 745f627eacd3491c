"""A plain install (`pip install -e .`, no test extras) imports and runs: nothing on the runtime
path may import a test extra. Each check runs in a fresh interpreter where those are blocked."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.localchat.cli import ROOT, chat_env

# The [test] extras the bot itself must never import (their own dependencies, too). aiohttp is
# a runtime dependency since webhook mode (bot/webhook.py).
TEST_EXTRAS = ("pytest", "_pytest", "pytest_asyncio", "xdist", "hypothesis", "psutil")
# Modules allowed to need one (none since aiohttp became a runtime dependency).
NEEDS_EXTRAS: set[str] = set()

BLOCK = textwrap.dedent(
    f"""
    import sys

    BLOCKED = {TEST_EXTRAS!r}
    for loaded in [n for n in sys.modules if n.partition(".")[0] in BLOCKED]:
        del sys.modules[loaded]

    class NotInstalled:
        '''As if the test extras were not installed.'''

        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
    """
)

IMPORT_ALL = textwrap.dedent(
    f"""
    import importlib, json, pkgutil

    failures = []
    checked = []
    for package in ("bot", "conversations", "prompts", "standin"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + ".", onerror=lambda n: None):
            if info.name in {sorted(NEEDS_EXTRAS)!r}:
                continue
            checked.append(info.name)
            try:
                importlib.import_module(info.name)
            except ImportError as exc:
                failures.append(f"{{info.name}}: {{exc!r}}")
    try:
        import hypothesis
    except ImportError:
        blocked = True
    else:
        blocked = False
    print(json.dumps({{"checked": checked, "failures": failures, "blocked": blocked}}))
    """
)


def without_test_extras(
    code: str, cwd: Path, stdin: str = "", args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK + code, *args],
        cwd=cwd,
        env=chat_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_runtime_module_imports_without_the_test_extras(tmp_path: Path) -> None:
    result = without_test_extras(IMPORT_ALL, tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["blocked"], "the blocker must really block the test extras"
    assert found["failures"] == []
    expected = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for folder in ("bot", "conversations", "standin")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "__init__.py"
    } - NEEDS_EXTRAS
    assert expected <= set(found["checked"]), expected - set(found["checked"])


RUN_BOT = "import runpy; runpy.run_module('bot', run_name='__main__')"  # python -m bot


def test_the_run_command_chats_in_the_terminal_without_the_test_extras(tmp_path: Path) -> None:
    result = without_test_extras(RUN_BOT, tmp_path, stdin="/start\nAcme\n:quit\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Which company was it?" in result.stdout
    assert "you> Acme" in result.stdout
    assert "What was the role?" in result.stdout


def test_a_chat_script_runs_without_the_test_extras(tmp_path: Path) -> None:
    script = tmp_path / "hello.script"
    script.write_text("/start\nAcme\na\n", encoding="utf-8")
    result = without_test_extras(RUN_BOT, tmp_path, args=("chat", "--script", str(script)))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Which company was it?" in result.stdout
    assert "How far did you get with Acme?" in result.stdout  # [a] Skip skipped the role
