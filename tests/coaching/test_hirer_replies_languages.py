"""Hirers' replies in Spanish and Russian: labelled sets scored (issue 21: >= 95% each)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering import Prompts
from coaching.language import speaking
from coaching.replies import (
    MAX_ACTION_LENGTH,
    Point,
    Reapply,
    ReapplyReason,
    Topic,
    feedback_actions,
    reapply_date,
    reply_points,
)

PROMPTS = Prompts()
TODAY = date(2026, 12, 5)
PASS_MARK = 0.95


def labelled(language: str) -> list[tuple[str, str, str]]:
    """(topics, date and reason, reply) of every labelled reply in `language`."""
    path = Path(__file__).with_name(f"hirer_replies_eval_{language}.txt")
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            topics, when, reply = (part.strip() for part in line.split(" | ", 2))
            cases.append((topics, when, reply.replace("\\n", "\n")))
    return cases


def topics_of(points: list[Point]) -> str:
    names = [
        "sentence"
        if p.topic is None
        else f"technology:{p.detail}"
        if p.topic is Topic.TECHNOLOGY
        else p.topic.value
        for p in points
    ]
    return ",".join(names) or "-"


def date_of(found: Reapply | None) -> str:
    return "-" if found is None else f"{found.on.isoformat()} {found.reason.value}"


@pytest.mark.parametrize("language", ["es", "ru"])
def test_the_labelled_replies_are_read_right(language: str) -> None:
    cases = labelled(language)
    assert len(cases) >= 40
    misses = []
    for topics, when, reply in cases:
        got = (
            topics_of(reply_points(reply, language=language)),
            date_of(reapply_date(reply, TODAY, language=language)),
        )
        if got != (topics, when):
            misses.append((reply, (topics, when), got))
    for reply, want, got in misses:
        print(f"{language}: {reply!r}\n    expected {want}\n    got      {got}")
    score = 1 - len(misses) / len(cases)
    print(f"{language}: {score:.1%} of {len(cases)}")
    assert score >= PASS_MARK


@pytest.mark.parametrize("language", ["es", "ru"])
def test_every_topic_is_labelled_in_each_language(language: str) -> None:
    seen = {t.split(":")[0] for topics, _, _ in labelled(language) for t in topics.split(",")}
    assert {t.value for t in Topic} - {"cv"} <= seen


def test_the_current_language_is_the_default() -> None:
    with speaking("ru"):
        assert reply_points("Вам стоит подтянуть алгоритмы.") == [Point(Topic.ALGORITHMS)]
        assert reapply_date("Откликнитесь снова через полгода.", TODAY) == Reapply(
            date(2027, 6, 5), ReapplyReason.APPLY_AGAIN, "через полгода"
        )
    assert reply_points("Вам стоит подтянуть алгоритмы.") == []


def test_the_phrase_is_kept_as_written_with_its_accents() -> None:
    found = reapply_date("Puedes volver a postularte después de marzo.", TODAY, language="es")
    assert found == Reapply(date(2027, 4, 1), ReapplyReason.APPLY_AGAIN, "después de marzo")


def test_technologies_are_named_in_the_language() -> None:
    points = reply_points("Nos gustaría ver más experiencia en la nube.", language="es")
    assert points == [Point(Topic.TECHNOLOGY, "la nube")]
    points = reply_points("Стоит подтянуть машинное обучение.", language="ru")
    assert points == [Point(Topic.TECHNOLOGY, "машинное обучение")]


def test_a_gap_with_no_topic_is_kept_as_written() -> None:
    text = "En la prueba para hacer en casa faltó más atención al detalle."
    assert reply_points(text, language="es") == [Point(None, text)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Te faltó profundidad en diseño de sistemas. Vuelve a postularte en 6 meses."),
        ("ru", "Вам не хватило глубины в системном дизайне. Откликнитесь снова через полгода."),
    ],
)
def test_actions_come_from_the_languages_templates(language: str, text: str) -> None:
    with speaking(language):
        actions = feedback_actions(text, PROMPTS)
        expected = PROMPTS.render_plain("feedback/practice", topic="system_design", detail="")
    assert actions == [" ".join(expected.split())]
    assert all(len(a) <= MAX_ACTION_LENGTH for a in actions)


@settings(deadline=None)  # the first call builds the language's tables
@given(st.text(max_size=400), st.sampled_from(["es", "ru"]))
def test_any_text_is_read_without_error(text: str, language: str) -> None:
    assert len(reply_points(text, language=language)) <= 3
    found = reapply_date(text, TODAY, language=language)
    assert found is None or found.on > TODAY
