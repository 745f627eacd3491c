"""The crisis screen's labelled evaluation set, tests/coaching/safety_eval.txt, loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coaching.safety import CrisisSignal

EVAL_FILE = Path(__file__).resolve().parents[1] / "coaching" / "safety_eval.txt"


@dataclass(frozen=True)
class Line:
    category: str  # a Category value, or benign_*
    expect: CrisisSignal  # the least the screen should say
    text: str

    @property
    def benign(self) -> bool:
        return self.category.startswith("benign_")


def load(path: Path = EVAL_FILE) -> list[Line]:
    """The labelled lines: "[category]" headers, then "<expect> <text>" lines."""
    lines: list[Line] = []
    category = ""
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("[") and raw.rstrip().endswith("]"):
            category = raw.strip()[1:-1]
            continue
        expect, _, text = raw.partition(" ")
        if not category or not text.strip():
            raise ValueError(f"{path.name}:{number}: not '<expect> <text>' under a [category]")
        lines.append(Line(category, CrisisSignal(expect), text))
    return lines


LINES = load()
