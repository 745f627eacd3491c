"""Reading typed replies to check-ins (coaching/checkin_replies.py).

The labelled sets are tests/coaching/checkin_replies_eval.txt (English) and
checkin_replies_eval_es.txt, checkin_replies_eval_ru.txt (Spanish, Russian); run this module as a
script to print every line the reader gets wrong, in one language or all:

    .venv/bin/python -m tests.coaching.test_checkin_replies [en|es|ru]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.checkin_replies import (
    INTENTS,
    Intent,
    Reading,
    ReplyTo,
    looks_like_a_takeaway,
    read_reply,
)
from coaching.language import LANGUAGES, speaking

HERE = Path(__file__).resolve().parent
EVAL_FILE = HERE / "checkin_replies_eval.txt"
EVAL_FILES = {
    "en": EVAL_FILE,
    "es": HERE / "checkin_replies_eval_es.txt",
    "ru": HERE / "checkin_replies_eval_ru.txt",
}
MIN_ACCURACY = 0.95
MIN_LINES = {"en": 160, "es": 150, "ru": 150}
_PIECES = (
    "done not yet 4 of / five half none never replied read it no yes later % 2.5 meh great , . ? "
    "didn't won't 🙂 ✅ one left to go all I'll nothing"
)
PIECES = tuple(_PIECES.split())
"""Words the reader knows, for Hypothesis to put together into odd replies."""
_PIECES_ES = (
    "hecho todavía no 4 de / cinco la mitad ninguna nunca respondieron lo leí no sí después % "
    "2,5 meh genial , . ¿ ? ¡ no lo hice me faltan un una 🙂 ✅ queda todo nada ya"
)
PIECES_ES = tuple(_PIECES_ES.split())
_PIECES_RU = (
    "сделала ещё нет 4 из / пять половину ни одной никогда ответили прочитала нет да позже % "
    "2,5 так себе отлично , . ? не сделал осталось одна 🙂 ✅ всё ничего ща неа"
)
PIECES_RU = tuple(_PIECES_RU.split())


@dataclass(frozen=True)
class Line:
    number: int
    to: ReplyTo
    target: int | None
    expected: Reading
    text: str

    def describe(self, got: Reading) -> str:
        return (
            f"line {self.number}: {self.to} target={self.target} {self.text!r}: "
            f"expected {self.expected}, got {got}"
        )


def load(path: Path = EVAL_FILE) -> list[Line]:
    lines: list[Line] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        to, target, intent, value, text = (part.strip() for part in raw.split("|", 4))
        reply_to = ReplyTo(to)
        expected_intent = Intent(intent)
        amount = None if value == "-" else int(value)
        expected = (
            Reading(expected_intent, mood=amount)
            if reply_to is ReplyTo.MOOD
            else Reading(expected_intent, count=amount)
        )
        lines.append(Line(number, reply_to, None if target == "-" else int(target), expected, text))
    return lines


LINES = load()
SETS = {language: load(path) for language, path in EVAL_FILES.items()}


def misses(lines: list[Line], language: str = "en") -> list[str]:
    out = []
    for line in lines:
        got = read_reply(line.text, line.to, line.target, language=language)
        if got != line.expected:
            out.append(line.describe(got))
    return out


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_set_is_big_and_covers_every_check_in_and_intent(language: str) -> None:
    lines = SETS[language]
    assert len(lines) >= MIN_LINES[language]
    for to, intents in INTENTS.items():
        labelled = {line.expected.intent for line in lines if line.to is to}
        assert labelled == intents, to


@pytest.mark.parametrize("language", LANGUAGES)
def test_accuracy_on_the_labelled_set(language: str) -> None:
    lines = SETS[language]
    wrong = misses(lines, language)
    right = len(lines) - len(wrong)
    assert right / len(lines) >= MIN_ACCURACY, (
        f"{language}: {right}/{len(lines)} right; misses:\n" + "\n".join(wrong)
    )


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("done", 5, Reading(Intent.DONE, count=5)),
        ("done", None, Reading(Intent.DONE)),
        ("I applied to 4 so far", 5, Reading(Intent.PARTLY, count=4)),
        ("4/5", None, Reading(Intent.PARTLY, count=4)),
        ("4 out of 5", 5, Reading(Intent.PARTLY, count=4)),
        ("five", 5, Reading(Intent.DONE, count=5)),
        ("4", None, Reading(Intent.PARTLY, count=4)),
        ("half of them", 5, Reading(Intent.PARTLY, count=3)),
        ("half of them", None, Reading(Intent.PARTLY)),
        ("zero", 5, Reading(Intent.NOT_YET, count=0)),
        ("not done", 5, Reading(Intent.NOT_YET)),
        ("didn't finish", 5, Reading(Intent.NOT_YET)),
        ("haven't started", 5, Reading(Intent.NOT_YET)),
        ("remind me tomorrow", 5, Reading(Intent.LATER)),
        ("3 or 4", 5, Reading(Intent.UNSURE)),
    ],
)
def test_goal_examples(text: str, target: int | None, expected: Reading) -> None:
    assert read_reply(text, ReplyTo.GOAL, target) == expected


@pytest.mark.parametrize(
    ("text", "to", "intent"),
    [
        ("they haven't replied", ReplyTo.FEEDBACK, Intent.NOT_YET),
        ("they never replied", ReplyTo.FEEDBACK, Intent.NO_REPLY),
        ("They wrote back!", ReplyTo.FEEDBACK, Intent.REPLIED),
        ("ghosted", ReplyTo.FEEDBACK, Intent.NO_REPLY),
        ("didn't read it yet, sorry", ReplyTo.RESOURCE, Intent.SKIP),
        ("I learned to slow down", ReplyTo.RESOURCE, Intent.TOOK_IT_IN),
        ("not for me", ReplyTo.RESOURCE, Intent.SKIP),
    ],
)
def test_feedback_and_resource_examples(text: str, to: ReplyTo, intent: Intent) -> None:
    assert read_reply(text, to) == Reading(intent)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", Reading(Intent.MOOD, mood=3)),
        ("five", Reading(Intent.MOOD, mood=5)),
        ("terrible", Reading(Intent.MOOD, mood=1)),
        ("meh", Reading(Intent.MOOD, mood=3)),
        ("2.5", Reading(Intent.MOOD, mood=3)),
        ("meh like a 1.5", Reading(Intent.MOOD, mood=2)),
        ("not great", Reading(Intent.MOOD, mood=2)),
        ("6", Reading(Intent.UNSURE)),
        ("", Reading(Intent.UNSURE)),
    ],
)
def test_mood_examples(text: str, expected: Reading) -> None:
    assert read_reply(text, ReplyTo.MOOD) == expected


@pytest.mark.parametrize(
    ("language", "text", "to", "target", "expected"),
    [
        # Negation before the verb; accents optional; phone slang.
        ("es", "no lo hice", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("es", "todavia no", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("es", "todavía no", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("es", "aún no", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("es", "nop", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("es", "ya", ReplyTo.GOAL, 5, Reading(Intent.DONE, count=5)),
        ("es", "terminé", ReplyTo.GOAL, 5, Reading(Intent.DONE, count=5)),
        ("es", "termine", ReplyTo.GOAL, 5, Reading(Intent.DONE, count=5)),
        ("es", "tres de cinco", ReplyTo.GOAL, 5, Reading(Intent.PARTLY, count=3)),
        ("es", "me faltan dos", ReplyTo.GOAL, 5, Reading(Intent.PARTLY, count=3)),
        ("es", "ninguna", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET, count=0)),
        ("es", "el 5 de diciembre", ReplyTo.GOAL, 5, Reading(Intent.UNSURE)),
        ("es", "mañana", ReplyTo.GOAL, 5, Reading(Intent.LATER)),
        ("es", "no me han respondido", ReplyTo.FEEDBACK, None, Reading(Intent.NOT_YET)),
        ("es", "nunca respondieron", ReplyTo.FEEDBACK, None, Reading(Intent.NO_REPLY)),
        ("es", "no lo leí", ReplyTo.RESOURCE, None, Reading(Intent.SKIP)),
        # Russian inflects: stems read every ending.
        ("ru", "не сделал", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("ru", "ещё нет", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("ru", "пока нет", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("ru", "неа", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET)),
        ("ru", "сделал", ReplyTo.GOAL, 5, Reading(Intent.DONE, count=5)),
        ("ru", "сделала", ReplyTo.GOAL, 5, Reading(Intent.DONE, count=5)),
        ("ru", "сделали", ReplyTo.GOAL, 5, Reading(Intent.DONE, count=5)),
        ("ru", "сделаю завтра", ReplyTo.GOAL, 5, Reading(Intent.LATER)),
        ("ru", "три из пяти", ReplyTo.GOAL, 5, Reading(Intent.PARTLY, count=3)),
        ("ru", "откликнулась на двух", ReplyTo.GOAL, 5, Reading(Intent.PARTLY, count=2)),
        ("ru", "осталось две", ReplyTo.GOAL, 5, Reading(Intent.PARTLY, count=3)),
        ("ru", "ни одной", ReplyTo.GOAL, 5, Reading(Intent.NOT_YET, count=0)),
        ("ru", "к 5 декабря", ReplyTo.GOAL, 5, Reading(Intent.UNSURE)),
        ("ru", "ща", ReplyTo.GOAL, 5, Reading(Intent.UNSURE)),
        ("ru", "ответила", ReplyTo.FEEDBACK, None, Reading(Intent.REPLIED)),
        ("ru", "не ответили", ReplyTo.FEEDBACK, None, Reading(Intent.NOT_YET)),
        ("ru", "так и не ответили", ReplyTo.FEEDBACK, None, Reading(Intent.NO_REPLY)),
        ("ru", "не прочитала", ReplyTo.RESOURCE, None, Reading(Intent.SKIP)),
        ("ru", "прочитаю потом", ReplyTo.RESOURCE, None, Reading(Intent.SKIP)),
    ],
)
def test_spanish_and_russian_examples(
    language: str, text: str, to: ReplyTo, target: int | None, expected: Reading
) -> None:
    assert read_reply(text, to, target, language=language) == expected


@pytest.mark.parametrize(
    ("language", "text", "mood"),
    [
        ("es", "2", 2),
        ("es", "dos", 2),
        ("es", "regular", 3),
        ("es", "meh", 3),
        ("es", "fatal", 1),
        ("es", "bien", 4),
        ("es", "no muy bien", 2),
        ("es", "un 4", 4),
        ("es", "genial", 5),
        ("ru", "2", 2),
        ("ru", "два", 2),
        ("ru", "так себе", 3),
        ("ru", "нормально", 3),
        ("ru", "плохо", 2),
        ("ru", "хорошо", 4),
        ("ru", "отлично", 5),
        ("ru", "не очень", 2),
        ("ru", "не плохо", 3),
        ("ru", "устала, но в целом хорошо", 3),
    ],
)
def test_a_mood_typed_instead_of_pressed(language: str, text: str, mood: int) -> None:
    assert read_reply(text, ReplyTo.MOOD, language=language) == Reading(Intent.MOOD, mood=mood)


def test_the_current_language_is_read_when_none_is_given() -> None:
    with speaking("ru"):
        assert read_reply("сделала", ReplyTo.GOAL, 5) == Reading(Intent.DONE, count=5)
        assert read_reply("done", ReplyTo.GOAL, 5) == Reading(Intent.UNSURE)
        assert looks_like_a_takeaway("главная мысль в том что отказ это не приговор и не конец")
    with speaking("es"):
        assert read_reply("regular", ReplyTo.MOOD) == Reading(Intent.MOOD, mood=3)
    assert read_reply("done", ReplyTo.GOAL, 5) == Reading(Intent.DONE, count=5)


def test_odd_input_is_unsure_not_an_error() -> None:
    odd = ("", "   ", "🙂🙃🙂", "\x00\x07\x1b[2J", "9" * 5000, "done " * 2000, "a" * 10_000)
    for text in (*odd, "да " * 2000, "ё" * 10_000, "й\u0306\u0301", "¿¡" * 500):
        for to in ReplyTo:
            for language in LANGUAGES:
                reading = read_reply(text, to, 5, language=language)
                assert reading.intent in INTENTS[to]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=300)
    | st.lists(
        st.sampled_from(PIECES + PIECES_ES + PIECES_RU),
        max_size=12,
    ).map(" ".join),
    to=st.sampled_from(list(ReplyTo)),
    target=st.none() | st.integers(min_value=-3, max_value=10**6),
    language=st.sampled_from(LANGUAGES),
)
def test_never_raises_and_reads_validly(
    text: str, to: ReplyTo, target: int | None, language: str
) -> None:
    reading = read_reply(text, to, target, language=language)
    assert isinstance(reading, Reading)
    assert reading.intent in INTENTS[to]
    if reading.intent is Intent.MOOD:
        assert reading.mood is not None and 1 <= reading.mood <= 5
    else:
        assert reading.mood is None
    if reading.count is not None:
        assert to is ReplyTo.GOAL and reading.count >= 0


if __name__ == "__main__":
    for name in sys.argv[1:] or LANGUAGES:
        wrong = misses(SETS[name], name)
        print(f"{name}: {len(SETS[name]) - len(wrong)}/{len(SETS[name])} right")
        print("\n".join(wrong))
