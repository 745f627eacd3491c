"""Tests for coaching.swot and prompts/actions.toml."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rendering import Prompts
from coaching.model import Gap, Stage, Strength
from coaching.swot import PracticeAction, load_texts, practice_actions, swot_card

PROMPTS = Prompts()


def keys(actions: Sequence[PracticeAction]) -> list[str]:
    return [a.key for a in actions]


def test_actions_file_covers_every_gap_with_valid_stages() -> None:
    table = load_texts(PROMPTS)["actions"]
    assert set(table) == {g.value for g in Gap}
    stage_names = {s.value for s in Stage}
    for gap, entries in table.items():
        assert len(entries) >= 3, gap
        assert len({e["key"] for e in entries}) == len(entries), gap
        for entry in entries:
            assert entry["text"].strip()
            assert set(entry["stages"]) <= stage_names, entry["key"]


def test_swot_texts_cover_every_strength_stage_and_gap() -> None:
    swot = load_texts(PROMPTS)["swot"]
    assert set(swot["strengths"]) == {s.value for s in Strength}
    assert set(swot["stage_strengths"]) == {s.value for s in Stage}
    for section in ("weaknesses", "opportunities", "threats"):
        assert {g.value for g in Gap} <= set(swot[section]), section


@given(gaps=st.sets(st.sampled_from(Gap)), stage=st.sampled_from(Stage))
def test_one_to_three_actions_per_gap(gaps: set[Gap], stage: Stage) -> None:
    result = practice_actions(gaps, stage, PROMPTS)
    assert list(result) == [g for g in Gap if g in gaps]
    for actions in result.values():
        assert 1 <= len(actions) <= 3
        assert len(set(keys(actions))) == len(actions)
        assert all(a.text for a in actions)


def test_technical_stage_gets_more_technical_practice() -> None:
    at_technical = practice_actions([Gap.TECHNICAL], Stage.TECHNICAL, PROMPTS)[Gap.TECHNICAL]
    at_application = practice_actions([Gap.TECHNICAL], Stage.APPLICATION, PROMPTS)[Gap.TECHNICAL]
    assert len(at_technical) == 3
    assert len(at_application) == 2
    assert keys(at_technical)[0] == "timed_problems"
    assert "redo_task" in keys(at_technical)
    assert "redo_task" not in keys(at_application)


def test_unsure_is_about_finding_out() -> None:
    actions = practice_actions([Gap.UNSURE], Stage.APPLICATION, PROMPTS)[Gap.UNSURE]
    assert {"ask_feedback", "job_ad_review"} <= set(keys(actions))


def test_duplicates_and_order_do_not_matter() -> None:
    a = practice_actions([Gap.PORTFOLIO, Gap.THEORY, Gap.PORTFOLIO], Stage.ONSITE, PROMPTS)
    b = practice_actions((Gap.THEORY, Gap.PORTFOLIO), Stage.ONSITE, PROMPTS)
    assert a == b
    assert list(a) == [Gap.THEORY, Gap.PORTFOLIO]
    assert practice_actions([], Stage.ONSITE, PROMPTS) == {}


def test_swot_card_contents() -> None:
    texts = load_texts(PROMPTS)["swot"]
    card = swot_card([Gap.INTERVIEWING, Gap.TECHNICAL], Strength.PERSISTENCE, Stage.ONSITE, PROMPTS)
    assert card.strengths == [texts["strengths"]["persistence"], texts["stage_strengths"]["onsite"]]
    assert card.weaknesses == [
        texts["weaknesses"]["technical"],
        texts["weaknesses"]["interviewing"],
    ]
    assert card.opportunities == [
        texts["opportunities"]["common"],
        texts["stage_opportunities"]["onsite"],
    ]
    assert card.threats == [texts["threats"]["technical"]]  # one line: the first gap's
    assert list(card.actions) == [Gap.TECHNICAL, Gap.INTERVIEWING]
    assert sum(len(a) for a in card.actions.values()) == 3  # at most three on a plan


def test_the_card_starts_from_the_persons_own_words() -> None:
    texts = load_texts(PROMPTS)["swot"]
    card = swot_card(
        [Gap.TECHNICAL],
        Strength.COMMUNICATION,
        Stage.TECHNICAL,
        PROMPTS,
        went_well="I explained my design clearly",
        lesson="Practise live coding under time pressure " * 5,
        asked_for_feedback=True,
    )
    assert card.strengths == [
        "“I explained my design clearly”",
        texts["strengths"]["communication"],
    ]
    assert card.weaknesses[0].startswith("“Practise live coding under time pressure")
    assert card.weaknesses[0].endswith("…”") and len(card.weaknesses[0]) <= 95
    # They just asked the hirer for feedback: nothing tells them to.
    assert texts["opportunities"]["common"] not in card.opportunities
    assert all("feedback" not in a.text.casefold() for a in card.actions[Gap.TECHNICAL])


def test_swot_card_without_gaps_treats_them_as_unsure() -> None:
    texts = load_texts(PROMPTS)["swot"]
    card = swot_card([], None, Stage.APPLICATION, PROMPTS)
    assert card.weaknesses == [texts["weaknesses"]["unsure"]]
    assert card.strengths == [texts["stage_strengths"]["application"]]
    assert list(card.actions) == [Gap.UNSURE]
    asked = swot_card([], None, Stage.APPLICATION, PROMPTS, asked_for_feedback=True)
    assert [a.key for a in asked.actions[Gap.UNSURE]] != [a.key for a in card.actions[Gap.UNSURE]]
    assert "ask_feedback" not in [a.key for a in asked.actions[Gap.UNSURE]]


@given(
    gaps=st.sets(st.sampled_from(Gap)),
    stage=st.sampled_from(Stage),
    asked=st.booleans(),
)
def test_every_quadrant_is_short(gaps: set[Gap], stage: Stage, asked: bool) -> None:
    card = swot_card(gaps, Strength.THEORY, stage, PROMPTS, asked_for_feedback=asked)
    for quadrant in (card.strengths, card.weaknesses, card.opportunities, card.threats):
        assert 1 <= len(quadrant) <= 2
    assert 1 <= sum(len(a) for a in card.actions.values()) <= 3


@pytest.mark.parametrize("stage", list(Stage))
def test_swot_lines_are_plain_short_text(stage: Stage) -> None:
    card = swot_card(list(Gap), Strength.COMMUNICATION, stage, PROMPTS)
    lines = card.strengths + card.weaknesses + card.opportunities + card.threats
    assert len(lines) == len(set(lines))
    for line in lines:
        assert 0 < len(line) <= 120
        assert "{" not in line and "<" not in line
