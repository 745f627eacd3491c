"""The README's two commands are what CI runs, word for word, and are safe to run again."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"

# What CI may put before a command on its line: `env -u NAME`, `env NAME=value`, `NAME=value`.
_ENV_PREFIX = re.compile(r"^(?:env(?:\s+(?:-u\s+\w+|\w+=\S*))+\s+|(?:\w+=\S*\s+)+)")
# What may follow it: redirections and keeping the exit status.
_SUFFIX_WORD = re.compile(r"^(?:\d?[<>]{1,2}&?\S*|\|\||status=\$\?)$")


def two_commands() -> list[str]:
    """The ```sh blocks of the README's "Two commands" section (each one line)."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Two commands\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README.md has no '## Two commands' section"
    blocks = re.findall(r"^```sh\n(.*?)^```", section.group(1), re.M | re.S)
    commands = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        assert len(lines) == 1, f"each command is one line, found {lines}"
        commands.append(lines[0].strip())
    return commands


def ci_lines() -> list[str]:
    """.ci/run's command lines: no comments, no blank lines, leading space and env prefix gone."""
    lines = []
    for raw in CI.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(_ENV_PREFIX.sub("", line))
    return lines


def runs_verbatim(command: str, line: str) -> bool:
    """Whether `line` runs `command` exactly: nothing but redirections after it."""
    if line != command and not line.startswith(command + " "):
        return False
    rest = line[len(command) :]
    return all(_SUFFIX_WORD.match(word) for word in shlex.split(rest))


def test_the_readme_has_exactly_two_commands_run_then_test() -> None:
    commands = two_commands()
    assert len(commands) == 2, commands
    run, test = commands
    assert run.endswith("-m bot") and "pip install" in run
    assert "pytest" in test and "'.[test]'" in test


def test_ci_runs_both_readme_commands_word_for_word_run_first() -> None:
    run, test = two_commands()
    lines = ci_lines()
    found = {}
    for command in (run, test):
        matches = [i for i, line in enumerate(lines) if runs_verbatim(command, line)]
        assert matches, f".ci/run does not run the README's command as written:\n{command}"
        found[command] = matches[0]
    assert found[run] < found[test], "the run command is checked before the suite"
    assert lines[-1] == test, "the suite is the last thing CI runs"
    assert "set -euo pipefail" in lines
    # The PostgreSQL tests cannot be skipped in CI (tests/kit/pg.py, docs/deploy.md).
    assert "export REQUIRE_POSTGRES=1" in lines[: lines.index(test)]


def test_ci_talks_to_the_run_command_without_a_token_and_checks_the_answer() -> None:
    text = CI.read_text(encoding="utf-8")
    assert "/start" in text and ":quit" in text
    assert "export TELEGRAM_BOT_TOKEN=" in text or "-u TELEGRAM_BOT_TOKEN" in text
    assert "mktemp -d" in text
    assert "Traceback" in text
    assert "comeback chat --script" in text


@pytest.mark.parametrize(
    ("command", "line", "verbatim"),
    [
        ("a && b", "a && b", True),
        ("a && b", "env -u TOKEN a && b <in >out 2>&1 || status=$?", True),
        ("a && b", "TOKEN= X=1 a && b", True),
        ("a && b", "a && b --extra", False),
        ("a && b", "a && bc", False),
        ("a && b", "echo a && b", False),
    ],
)
def test_what_counts_as_running_a_command_as_written(
    command: str, line: str, verbatim: bool
) -> None:
    assert runs_verbatim(command, _ENV_PREFIX.sub("", line)) is verbatim


@pytest.mark.skipif(shutil.which("python3") is None, reason="the README's python3 is not on PATH")
def test_the_commands_first_step_can_run_again_on_an_existing_venv(tmp_path: Path) -> None:
    """Both commands start by creating .venv: on one that exists (CI runs both; people run them
    again) that is harmless, and what was installed stays installed."""
    first_steps = {command.split(" && ")[0] for command in two_commands()}
    assert first_steps == {"python3 -m venv .venv"}
    step = first_steps.pop()
    subprocess.run(shlex.split(step), cwd=tmp_path, check=True, timeout=300)
    python = tmp_path / ".venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    where = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    site = Path(subprocess.run(where, capture_output=True, text=True, check=True).stdout.strip())
    (site / "installed_marker.py").write_text("VALUE = 42\n", encoding="utf-8")

    subprocess.run(shlex.split(step), cwd=tmp_path, check=True, timeout=300)
    still = subprocess.run(
        [str(python), "-c", "import installed_marker; print(installed_marker.VALUE)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert still.returncode == 0, still.stderr
    assert still.stdout.strip() == "42"
