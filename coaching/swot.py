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
    """The parsed actions.toml from the prompts directory (cached per path)."""
    return _load(prompts.directory / ACTIONS_FILE)


@lru_cache(maxsize=8)
def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


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


def swot_card(
    gaps: Collection[Gap], strength: Strength | None, stage: Stage, prompts: HasDirectory
) -> SwotCard:
    """A SWOT card; with no gaps chosen it treats the gap as `unsure` (find out first)."""
    chosen = ordered_gaps(gaps) or [Gap.UNSURE]
    swot = load_texts(prompts)["swot"]

    strengths = []
    if strength is not None:
        strengths.append(str(swot["strengths"][Strength(strength).value]))
    strengths.append(str(swot["stage_strengths"][stage.value]))

    weaknesses = [str(swot["weaknesses"][g.value]) for g in chosen]

    opportunities = [str(swot["opportunities"][g.value]) for g in chosen]
    stage_opportunity = swot.get("stage_opportunities", {}).get(stage.value)
    if stage_opportunity:
        opportunities.append(str(stage_opportunity))
    if Gap.UNSURE not in chosen:
        opportunities.append(str(swot["opportunities"]["common"]))

    threats = [str(t) for t in swot["threats"]["common"]]
    threats += [str(swot["threats"][g.value]) for g in chosen]

    return SwotCard(
        strengths=strengths,
        weaknesses=weaknesses,
        opportunities=opportunities,
        threats=threats,
        actions=practice_actions(chosen, stage, prompts),
    )
