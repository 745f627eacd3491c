"""The Spanish and Russian deadline parsers scored on labelled sets (issue 21: >= 95% each)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coaching.deadlines import DeadlineError, parse_deadline

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)  # Wednesday 2 December 2026
ZONES = {"es": ZoneInfo("Europe/Madrid"), "ru": ZoneInfo("Europe/Moscow")}
PASS_MARK = 0.95


def labelled(language: str) -> list[tuple[str, str]]:
    """(expected, text) of every labelled line: a date in ISO form or a refusal reason."""
    path = Path(__file__).with_name(f"deadlines_eval_{language}.txt")
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            expected, text = (part.strip() for part in line.split(" | ", 1))
            cases.append((expected, text))
    return cases


def read(text: str, language: str) -> str:
    try:
        return parse_deadline(text, NOW, ZONES[language], language=language).isoformat()
    except DeadlineError as error:
        return error.reason


@pytest.mark.parametrize("language", ["es", "ru"])
def test_the_labelled_deadlines_are_read_right(language: str) -> None:
    cases = labelled(language)
    assert len(cases) >= 60
    misses = [
        (text, expected, got)
        for expected, text in cases
        if (got := read(text, language)) != expected
    ]
    for text, expected, got in misses:
        print(f"{language}: {text!r}: expected {expected}, got {got}")
    score = 1 - len(misses) / len(cases)
    print(f"{language}: {score:.1%} of {len(cases)}")
    assert score >= PASS_MARK, misses
