"""Reading typed replies to check-ins (coaching/checkin_replies.py).

The labelled set is tests/coaching/checkin_replies_eval.txt; run this module as a script to
print every line the reader gets wrong:

    .venv/bin/python -m tests.coaching.test_checkin_replies
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.checkin_replies import INTENTS, Intent, Reading, ReplyTo, read_reply

EVAL_FILE = Path(__file__).resolve().parent / "checkin_replies_eval.txt"
MIN_ACCURACY = 0.95
MIN_LINES = 160
_PIECES = (
    "done not yet 4 of / five half none never replied read it no yes later % 2.5 meh great , . ? "
    "didn't won't 🙂 ✅ one left to go all I'll nothing"
)
PIECES = tuple(_PIECES.split())
"""Words the reader knows, for Hypothesis to put together into odd replies."""


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


def misses(lines: list[Line]) -> list[str]:
    out = []
    for line in lines:
        got = read_reply(line.text, line.to, line.target)
        if got != line.expected:
            out.append(line.describe(got))
    return out


def test_the_set_is_big_and_covers_every_check_in_and_intent() -> None:
    assert len(LINES) >= MIN_LINES
    for to, intents in INTENTS.items():
        labelled = {line.expected.intent for line in LINES if line.to is to}
        assert labelled == intents, to


def test_accuracy_on_the_labelled_set() -> None:
    wrong = misses(LINES)
    right = len(LINES) - len(wrong)
    assert right / len(LINES) >= MIN_ACCURACY, f"{right}/{len(LINES)} right; misses:\n" + "\n".join(
        wrong
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


def test_odd_input_is_unsure_not_an_error() -> None:
    for text in ("", "   ", "🙂🙃🙂", "\x00\x07\x1b[2J", "9" * 5000, "done " * 2000, "a" * 10_000):
        for to in ReplyTo:
            reading = read_reply(text, to, 5)
            assert reading.intent in INTENTS[to]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=300)
    | st.lists(
        st.sampled_from(PIECES),
        max_size=12,
    ).map(" ".join),
    to=st.sampled_from(list(ReplyTo)),
    target=st.none() | st.integers(min_value=-3, max_value=10**6),
)
def test_never_raises_and_reads_validly(text: str, to: ReplyTo, target: int | None) -> None:
    reading = read_reply(text, to, target)
    assert isinstance(reading, Reading)
    assert reading.intent in INTENTS[to]
    if reading.intent is Intent.MOOD:
        assert reading.mood is not None and 1 <= reading.mood <= 5
    else:
        assert reading.mood is None
    if reading.count is not None:
        assert to is ReplyTo.GOAL and reading.count >= 0


if __name__ == "__main__":
    wrong = misses(LINES)
    print(f"{len(LINES) - len(wrong)}/{len(LINES)} right")
    print("\n".join(wrong))
