"""Every claim in a prompt is one a coach would stand behind (issue 18, item 6).

The words the bot says (every `prompts/**/*.html`, the texts in `prompts/*.toml`) and the
resource catalog's summaries (`coaching/resources.toml`) are searched for phrases that claim
more than anyone knows: statistics nobody measured ("most people never..."), outcomes nobody
can promise ("often gets an answer"), research nobody cited ("studies show"), times that are
not true for everyone ("takes about ten minutes"), and the clichés a person after a rejection
has heard too often ("everything happens for a reason"). A phrase found fails the test, naming
the file: reword it as something a coach would say, or drop it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BANNED = (
    # Statistics and generalisations nobody measured.
    "most people",
    "people never",
    "people skip",
    "everyone knows",
    "hirers are slow",
    "recruiters always",
    "says more about",
    # Research nobody cited.
    "studies show",
    "research shows",
    "science says",
    "proven to",
    # Outcomes nobody can promise.
    "often gets",
    "all it takes",
    "guaranteed",
    "you will get",
    "in weeks",
    # Times that are not everyone's.
    "about ten minutes",
    "takes ten minutes",
    # Clichés.
    "everything happens for a reason",
    "redirection",
    "blessing in disguise",
    "meant to be",
    "their loss",
    "plenty more fish",
    # The same in Spanish and Russian (issue 21: every language holds to the same rule).
    "la mayoría de la gente",
    "la mayoría de las personas",
    "todo el mundo sabe",
    "los estudios demuestran",
    "la ciencia dice",
    "está demostrado",
    "garantizado",
    "garantizada",
    "todo pasa por algo",
    "todo sucede por una razón",
    "no hay mal que por bien no venga",
    "ellos se lo pierden",
    "se lo pierden",
    "hay más peces en el mar",
    "estaba destinado",
    "большинство людей",
    "все знают",
    "исследования показывают",
    "учёные доказали",
    "доказано",
    "гарантированно",
    "гарантия",
    "всё к лучшему",
    "всё, что ни делается",
    "их потеря",
    "не судьба",
    "значит, не твоё",
)
_BANNED = re.compile(r"\b(" + "|".join(re.escape(p) for p in BANNED) + r")\b", re.IGNORECASE)


def texts() -> list[Path]:
    """The files whose words a person reads."""
    prompts = ROOT / "prompts"
    return sorted(
        [
            *prompts.rglob("*.html"),
            *prompts.rglob("*.toml"),
            *(ROOT / "coaching").glob("resources*.toml"),
        ]
    )


def banned_claim(text: str) -> str | None:
    """The first banned phrase in `text` (line breaks read as spaces), or None."""
    found = _BANNED.search(" ".join(text.split()))
    return found.group() if found else None


@pytest.mark.parametrize("path", texts(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_prompt_makes_a_claim_a_coach_would_not_stand_behind(path: Path) -> None:
    phrase = banned_claim(path.read_text("utf-8"))
    assert phrase is None, (
        f"{path.relative_to(ROOT)} says {phrase!r}: reword it as something a coach would stand "
        "behind, or drop it (tests/test_prompt_claims.py)"
    )


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Sent: well done, that's the step most people never take.", "most people"),
        ("A short, gracious note often gets an answer.", "often gets"),
        ("Often it's a\nredirection toward a better fit.", "redirection"),
        ("Walks you through it in about ten\n   minutes.", "about ten minutes"),
        ("Studies show that practice helps.", "Studies show"),
        ("Asking takes courage, and you did it.", None),
        ("Many companies don't give feedback as a policy.", None),
        ("Self-Compassion: The Proven Power of Being Kind to Yourself", None),
    ],
)
def test_a_banned_claim_is_caught(text: str, phrase: str | None) -> None:
    assert banned_claim(text) == phrase


def test_every_prompt_is_searched() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in texts()}
    assert {"prompts/plan/draft_sent.html", "prompts/actions.toml"} <= names
    assert "coaching/resources.toml" in names
    assert len([n for n in names if n.endswith(".html")]) > 150
