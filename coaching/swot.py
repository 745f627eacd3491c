"""Practice actions and a SWOT card built from the user's gaps, strength and stage.

All texts come from `prompts/actions.toml`; this module only chooses and orders them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from coaching.language import ENGLISH, current_language
from coaching.model import Gap, Stage, Strength

ACTIONS_FILE = "actions.toml"
_BASE_ACTIONS = 2
_MAX_ACTIONS = 3


class HasDirectory(Protocol):
    """Anything that knows the prompts directory, such as `bot.rendering.Prompts`."""

    @property
    def directory(self) -> Path:
        """The prompts directory holding actions.toml."""
        ...


@dataclass(frozen=True)
class PracticeAction:
    """One concrete thing to practise; `key` is stable, `text` is what the user reads."""

    key: str
    text: str


@dataclass(frozen=True)
class SwotCard:
    """Strengths, weaknesses, opportunities and threats as short plain-text lines."""

    strengths: list[str]
    weaknesses: list[str]
    opportunities: list[str]
    threats: list[str]
    actions: dict[Gap, list[PracticeAction]] = field(default_factory=dict)


def load_texts(prompts: HasDirectory) -> dict[str, Any]:
    """The parsed actions.toml in the current language: `prompts/<code>/actions.toml` over the
    English one, table by table (a text missing in the language stays English)."""
    return _load(prompts.directory, current_language())


@lru_cache(maxsize=8)
def _load(directory: Path, language: str) -> dict[str, Any]:
    with (directory / ACTIONS_FILE).open("rb") as fh:
        texts = tomllib.load(fh)
    translated = directory / language / ACTIONS_FILE
    if language != ENGLISH and translated.exists():
        with translated.open("rb") as fh:
            texts = _overlay(texts, tomllib.load(fh))
    return texts


def _overlay(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _overlay(merged[key], value)
        else:
            merged[key] = value
    return merged


def ordered_gaps(gaps: Collection[Gap]) -> list[Gap]:
    """The distinct gaps in `Gap` declaration order, so output never depends on set order."""
    chosen = {Gap(g) for g in gaps}
    return [g for g in Gap if g in chosen]


def practice_actions(
    gaps: Collection[Gap], stage: Stage, prompts: HasDirectory
) -> dict[Gap, list[PracticeAction]]:
    """1-3 actions per gap; actions suited to `stage` come first and earn the gap a third one."""
    table = load_texts(prompts)["actions"]
    result: dict[Gap, list[PracticeAction]] = {}
    for gap in ordered_gaps(gaps):
        entries: list[dict[str, Any]] = table[gap.value]
        matching = [e for e in entries if stage.value in e.get("stages", [])]
        others = [e for e in entries if stage.value not in e.get("stages", [])]
        limit = _MAX_ACTIONS if matching else _BASE_ACTIONS
        result[gap] = [
            PracticeAction(key=str(e["key"]), text=str(e["text"]))
            for e in (matching + others)[:limit]
        ]
    return result


PLAN_ACTIONS = 3
"""At most this many practice actions on a plan, across its gaps."""
QUADRANT_LINES = 2
"""At most this many lines in each quadrant of the card."""
OWN_WORDS_CHARS = 90
"""The person's own words quoted on the card are cut to this many characters."""
FEEDBACK_ACTIONS = frozenset({"ask_feedback"})
"""Actions about asking for feedback, left out for someone who already asked."""


def swot_card(
    gaps: Collection[Gap],
    strength: Strength | None,
    stage: Stage,
    prompts: HasDirectory,
    *,
    went_well: str | None = None,
    lesson: str | None = None,
    asked_for_feedback: bool = False,
) -> SwotCard:
    """A SWOT card of short lines, at most two per quadrant, built from the person's own words
    first (what went well is a strength, their lesson a weakness to work on), then their
    strength, stage and gaps; with no gaps chosen the gap is `unsure` (find out first). Nothing
    suggests what they just did: someone who asked the hirer for feedback is not told to.
    At most three practice actions in all, one per gap first."""
    chosen = ordered_gaps(gaps) or [Gap.UNSURE]
    swot = load_texts(prompts)["swot"]

    strengths = [_own(went_well)] if went_well else []
    if strength is not None:
        strengths.append(str(swot["strengths"][Strength(strength).value]))
    strengths.append(str(swot["stage_strengths"][stage.value]))

    weaknesses = [_own(lesson)] if lesson else []
    weaknesses += [str(swot["weaknesses"][g.value]) for g in chosen]

    opportunities = [] if asked_for_feedback else [str(swot["opportunities"]["common"])]
    stage_opportunity = swot.get("stage_opportunities", {}).get(stage.value)
    if stage_opportunity:
        opportunities.append(str(stage_opportunity))
    opportunities += [str(swot["opportunities"][g.value]) for g in chosen]

    threats = [str(swot["threats"][g.value]) for g in chosen]
    threats += [str(t) for t in swot["threats"]["common"]]

    return SwotCard(
        strengths=strengths[:QUADRANT_LINES],
        weaknesses=weaknesses[:QUADRANT_LINES],
        opportunities=opportunities[:QUADRANT_LINES],
        threats=threats[:1],
        actions=_fewest_actions(chosen, stage, prompts, asked_for_feedback),
    )


def _own(words: str) -> str:
    """The person's words, quoted, cut at a word boundary."""
    text = " ".join(words.split())
    if len(text) > OWN_WORDS_CHARS:
        text = text[:OWN_WORDS_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return f"“{text}”"


def _fewest_actions(
    gaps: list[Gap], stage: Stage, prompts: HasDirectory, asked_for_feedback: bool
) -> dict[Gap, list[PracticeAction]]:
    """The practice actions of the gaps, at most PLAN_ACTIONS in all: each gap's first, then
    each gap's second, and so on."""
    per_gap = {
        gap: [a for a in actions if not (asked_for_feedback and a.key in FEEDBACK_ACTIONS)]
        for gap, actions in practice_actions(gaps, stage, prompts).items()
    }
    kept: dict[Gap, list[PracticeAction]] = {gap: [] for gap in per_gap}
    room = PLAN_ACTIONS
    for rank in range(_MAX_ACTIONS):
        for gap, actions in per_gap.items():
            if room and rank < len(actions):
                kept[gap].append(actions[rank])
                room -= 1
    return {gap: actions for gap, actions in kept.items() if actions}
