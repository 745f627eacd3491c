"""The crisis screen's labelled evaluation sets, one per language, loaded.

tests/coaching/safety_eval.txt (English), safety_eval_es.txt (Spanish), safety_eval_ru.txt
(Russian); all three in the same format and held to the same thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coaching.safety import CrisisSignal

_FOLDER = Path(__file__).resolve().parents[1] / "coaching"
EVAL_FILE = _FOLDER / "safety_eval.txt"
EVAL_FILES = {
    "en": EVAL_FILE,
    "es": _FOLDER / "safety_eval_es.txt",
    "ru": _FOLDER / "safety_eval_ru.txt",
}


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


LINES_BY_LANGUAGE = {language: load(path) for language, path in EVAL_FILES.items()}
LINES = LINES_BY_LANGUAGE["en"]
ALL_LINES = [line for lines in LINES_BY_LANGUAGE.values() for line in lines]
