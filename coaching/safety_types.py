"""What the crisis screen answers, shared by the English screen and the Spanish and Russian rules.

`coaching.safety` re-exports all of it; import from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CrisisSignal(StrEnum):
    """What the screen makes of a message."""

    NONE = "none"
    CHECK = "check"  # ambiguous: ask gently "are you thinking about harming yourself?"
    CRISIS = "crisis"  # a clear self-harm or suicide signal: the caring reply with help lines


class Category(StrEnum):
    """Kinds of signal, after the Columbia Suicide Severity Rating Scale, most severe first."""

    INTENT = "intent"  # "I'm going to kill myself tonight"
    PLAN = "plan"  # "I've worked out how", "how many pills would it take"
    PREPARATORY = "preparatory"  # a note, giving things away, stockpiling pills, goodbyes
    METHOD = "method"  # pills, jumping, hanging, a gun, wrists, a train
    SELF_HARM = "self_harm"  # cutting, burning, hurting oneself
    ACTIVE_THOUGHTS = "active_thoughts"  # "thinking about killing myself", "suicidal", "kms"
    WISH_TO_BE_DEAD = "wish_to_be_dead"  # "I want to die", "sleep and never wake up"
    BURDEN = "burden"  # "they'd be better off without me", "no one would miss me"
    HOPELESSNESS = "hopelessness"  # "nothing to live for", "I can't go on"
    FINALITY = "finality"  # "this is goodbye", "I won't be around much longer"


@dataclass(frozen=True)
class Screening:
    """The screen's answer: the signal and, unless it is NONE, the most severe category seen."""

    signal: CrisisSignal
    category: Category | None


NOTHING = Screening(CrisisSignal.NONE, None)
_SEVERITY = {category: rank for rank, category in enumerate(Category)}


def stronger(signal: CrisisSignal, category: Category, than: Screening) -> bool:
    """Whether (signal, category) says more than `than`: CRISIS over CHECK over NONE, then
    the more severe category."""
    if than.category is None or signal is not than.signal:
        return signal is CrisisSignal.CRISIS or than.signal is CrisisSignal.NONE
    return _SEVERITY[category] < _SEVERITY[than.category]


def most_severe(*screenings: Screening) -> Screening:
    """The screening that says the most (the first of equals)."""
    best = NOTHING
    for found in screenings:
        if found.category is not None and stronger(found.signal, found.category, best):
            best = found
    return best
