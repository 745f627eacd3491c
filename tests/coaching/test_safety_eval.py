"""The crisis screen against the labelled evaluation sets, one per language: English
(tests/coaching/safety_eval.txt), Spanish (safety_eval_es.txt), Russian (safety_eval_ru.txt).
Each language is held to the same thresholds on its own.

Run as a script to print the per-category tables in Markdown (docs/safety.md, "The screen"):

    .venv/bin/python -m tests.coaching.test_safety_eval
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from coaching.safety import Category, CrisisSignal, screen
from tests.kit.safety_eval import LINES_BY_LANGUAGE, Line

MIN_RECALL = 0.98  # in every crisis category; a CHECK counts as caught
MAX_FALSE_ALARMS = 0.02  # over all benign lines; a CHECK counts as a false alarm
MIN_FULL_CRISIS = 0.95  # of the lines labelled "crisis", the share the screen calls CRISIS
MIN_BENIGN_LINES = 200


@dataclass(frozen=True)
class Row:
    category: str
    lines: int
    crisis: int  # the screen said CRISIS
    check: int  # the screen said CHECK

    @property
    def flagged(self) -> int:
        return self.crisis + self.check

    @property
    def rate(self) -> float:
        return self.flagged / self.lines


def table(lines: Iterable[Line]) -> list[Row]:
    """One row per category, crisis categories first (in Category order), then benign ones."""
    signals: dict[str, list[CrisisSignal]] = {}
    for line in lines:
        signals.setdefault(line.category, []).append(screen(line.text).signal)
    order = [c.value for c in Category] + sorted(c for c in signals if c.startswith("benign_"))
    return [
        Row(
            name,
            len(signals[name]),
            signals[name].count(CrisisSignal.CRISIS),
            signals[name].count(CrisisSignal.CHECK),
        )
        for name in order
        if name in signals
    ]


def markdown(rows: list[Row]) -> str:
    """The table as Markdown: recall for crisis categories, false alarms for benign ones."""
    out = [
        "| category | lines | CRISIS | CHECK | none | caught / false alarms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]

    def add(name: str, n: int, crisis: int, check: int, what: str) -> None:
        flagged = crisis + check
        out.append(
            f"| {name} | {n} | {crisis} | {check} | {n - flagged} | {flagged / n:.1%} {what} |"
        )

    crisis_rows = [r for r in rows if not r.category.startswith("benign_")]
    benign_rows = [r for r in rows if r.category.startswith("benign_")]
    for row in crisis_rows:
        add(row.category, row.lines, row.crisis, row.check, "caught")
    add(
        "**all crisis lines**",
        sum(r.lines for r in crisis_rows),
        sum(r.crisis for r in crisis_rows),
        sum(r.check for r in crisis_rows),
        "caught",
    )
    for row in benign_rows:
        add(row.category, row.lines, row.crisis, row.check, "false alarms")
    add(
        "**all benign lines**",
        sum(r.lines for r in benign_rows),
        sum(r.crisis for r in benign_rows),
        sum(r.check for r in benign_rows),
        "false alarms",
    )
    return "\n".join(out)


LANGUAGES = sorted(LINES_BY_LANGUAGE)
MIN_CRISIS_LINES = 200  # per language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_set_is_big_enough_and_labelled_with_known_categories(language: str) -> None:
    lines = LINES_BY_LANGUAGE[language]
    benign = [line for line in lines if line.benign]
    assert len(lines) >= 400
    assert len(benign) >= MIN_BENIGN_LINES
    assert len(lines) - len(benign) >= MIN_CRISIS_LINES
    categories = {line.category for line in lines if not line.benign}
    assert categories == {c.value for c in Category}
    assert all(line.expect is CrisisSignal.NONE for line in benign)
    assert all(line.expect is not CrisisSignal.NONE for line in lines if not line.benign)
    assert len({line.text for line in lines}) == len(lines), "a line appears twice"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("category", [c.value for c in Category])
def test_recall_in_every_crisis_category(language: str, category: str) -> None:
    lines = [line for line in LINES_BY_LANGUAGE[language] if line.category == category]
    missed = [line.text for line in lines if screen(line.text).signal is CrisisSignal.NONE]
    recall = 1 - len(missed) / len(lines)
    assert recall >= MIN_RECALL, f"{language} {category}: {recall:.1%} caught; missed: {missed}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_false_alarms_on_benign_lines(language: str) -> None:
    lines = [line for line in LINES_BY_LANGUAGE[language] if line.benign]
    alarms = [
        (line.text, screen(line.text).signal.value)
        for line in lines
        if screen(line.text).signal is not CrisisSignal.NONE
    ]
    assert len(alarms) / len(lines) <= MAX_FALSE_ALARMS, f"false alarms: {alarms}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_clear_lines_get_the_crisis_reply_not_just_a_check(language: str) -> None:
    lines = [line for line in LINES_BY_LANGUAGE[language] if line.expect is CrisisSignal.CRISIS]
    weak = [line.text for line in lines if screen(line.text).signal is not CrisisSignal.CRISIS]
    assert 1 - len(weak) / len(lines) >= MIN_FULL_CRISIS, f"only a check or nothing: {weak}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_table_covers_every_line(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    lines = LINES_BY_LANGUAGE[language]
    rows = table(lines)
    assert sum(row.lines for row in rows) == len(lines)
    print("\n" + markdown(rows))
    assert "| **all benign lines** |" in capsys.readouterr().out


if __name__ == "__main__":
    for language, lines in LINES_BY_LANGUAGE.items():
        print(f"\n{language}:\n\n{markdown(table(lines))}")
