"""Reading a typed reply to a check-in: which button the person would have pressed.

A check-in asks about a goal's progress, a feedback request, a resource or the person's mood,
and offers buttons. Some people type instead; `read_reply` maps what they typed to the intent
of one of that check-in's buttons, or to UNSURE so the caller can show the buttons again.
English only. It never raises and never guesses between two readings.

The policy, in the order it is applied:

- Text is normalised (Unicode NFKC, accents and case dropped, curly apostrophes straightened,
  a few emoji read as words: ✅ "done", 👍 "yes", 👎/❌ "no", 🙂 "good"...), and only its first
  `MAX_CHARS` characters are read. Contractions are spelt out ("didn't", "didnt" -> "did not",
  "won't" -> "will not", "I'll" -> "I will"). Letters repeated for emphasis are squeezed
  ("yesss", "nooo"); a word not in the lexicons that is one edit (a letter added, dropped,
  changed or two swapped) from exactly one lexicon word of six letters or more is read as that
  word ("finsihed", "replyed").
- The text is cut into clauses at punctuation and at "but", "though", "however"... Negation
  and qualifiers only reach forward within their clause.
- Each check-in has a small lexicon of phrases (longest match first). A phrase is one of:
  a *positive* ("done", "replied", "read it", a mood word), which a negation can turn round;
  a *qualifier* ("partly", "not yet", "ghosted", "skip", "later"), which stands for its own
  intent and absorbs a positive that follows it in its clause ("not yet done", "almost
  finished", "still waiting for a reply"); a *weak* answer ("yes", "no", "nope"), which counts
  only when nothing stronger was said; or an admission of doubt ("not sure", "idk") which
  makes the reading UNSURE.
- A negation ("not", "no", "never", "nothing") or a future or intention ("will", "going to",
  "need to", "yet to") earlier in the clause, or a "not" right after it ("I did not"), turns a
  positive round: a goal not done / not started is NOT_YET, a reply not received is NOT_YET
  but one "never" received (or that "won't" come) is NO_REPLY, a resource not read is SKIP. A
  negated mood word moves to the other side of the middle ("not great" 2, "not bad" 3). A
  negation with nothing to negate is a weak "no" when it answers by itself: after a verb of
  doing ("I didn't", "they haven't", "I can't") or alone ("not me"); "it's not about..." is not.
- GOAL counts: digits, number words zero to twenty, "none", "4 of 5", "4/5", "4 out of 5",
  "2 left" / "one more to go" (target minus that), "half" and "60%" (that share of the target,
  kept strictly between 0 and the target). Numbers that are times or dates ("at 5", "2 days",
  "12 Dec", "the 12th"), "one" after a determiner ("the last one", "no one") and numbers after a
  negation or future in their clause ("not the last two", "need one more") are not counts.
  The goal's target, or else a total the person stated ("4 of 5"), decides: count >= target is
  DONE, 0 is NOT_YET, anything between PARTLY. With no target a count is PARTLY, or DONE when a
  done-word came with it and no partly-word; 0 is NOT_YET. A count outranks the words around
  it ("not yet, only 2" is PARTLY with 2). Two different counts, or a fraction like 2.5, are
  UNSURE. DONE without a number carries the target as its count.
- Several intents at once are UNSURE, except where one plainly contains the other: DONE with
  PARTLY is PARTLY ("done some of them"), NOT_YET with PARTLY is PARTLY ("not finished but I
  started"), NOT_YET with LATER is LATER ("not yet, ask me tomorrow"), NOT_YET with NO_REPLY is
  NO_REPLY ("they haven't replied, close it").
- RESOURCE: with no cue at all, a statement (not a question) of nine words or more reads as a
  takeaway: TOOK_IT_IN. Any refusal ("no", "not yet", "skip") stops that.
- MOOD: a number from 1 to 5 (decimals rounded half up: 2.5 -> 3) outranks words; 0, 6, 10
  or "7/10" (a scale other than 5) are UNSURE, as are two different numbers. Otherwise the
  mood words' values are averaged and rounded half up ("tired but good" -> 3).
- Each check-in only ever gets its own buttons' intents or UNSURE (`INTENTS`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Literal

MAX_CHARS = 2000
"""Only this many leading characters of a reply are read."""


class ReplyTo(StrEnum):
    GOAL = "goal"
    FEEDBACK = "feedback"
    RESOURCE = "resource"
    MOOD = "mood"


class Intent(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    LATER = "later"
    REPLIED = "replied"
    NO_REPLY = "no_reply"
    TOOK_IT_IN = "took_it_in"
    SKIP = "skip"
    MOOD = "mood"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Reading:
    intent: Intent
    count: int | None = None  # GOAL: how many are done so far, when the reply says
    mood: int | None = None  # MOOD: 1..5


INTENTS: Mapping[ReplyTo, frozenset[Intent]] = {
    ReplyTo.GOAL: frozenset(
        {Intent.DONE, Intent.PARTLY, Intent.NOT_YET, Intent.LATER, Intent.UNSURE}
    ),
    ReplyTo.FEEDBACK: frozenset({Intent.REPLIED, Intent.NOT_YET, Intent.NO_REPLY, Intent.UNSURE}),
    ReplyTo.RESOURCE: frozenset({Intent.TOOK_IT_IN, Intent.SKIP, Intent.UNSURE}),
    ReplyTo.MOOD: frozenset({Intent.MOOD, Intent.UNSURE}),
}
"""The intents each check-in can be read as: its buttons' and UNSURE."""

UNSURE = Reading(Intent.UNSURE)

# --- Lexicons -----------------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    """The words of `text`: long plain word lists read better as one string."""
    return tuple(text.split())


Role = Literal["positive", "qualifier", "weak", "unsure", "neutral"]
Marker = Literal["neg", "never", "future"]

MARKERS: Mapping[str, Marker] = {
    "not": "neg",
    "no": "neg",
    "nothing": "neg",
    "without": "neg",
    "nor": "neg",
    "neither": "neg",
    "never": "never",
    "will not": "never",
    "would not": "never",
    "will": "future",
    "shall": "future",
    "gonna": "future",
    "going to": "future",
    "plan to": "future",
    "planning to": "future",
    "want to": "future",
    "wanna": "future",
    "need": "future",
    "need to": "future",
    "needs to": "future",
    "have to": "future",
    "has to": "future",
    "gotta": "future",
    "yet to": "future",
    "hope to": "future",
    "hoping to": "future",
    "about to": "future",
    "should": "future",
    "intend to": "future",
}
"""Words that turn a positive round: negations, finality ("never") and futures/intentions."""

UNSURE_PHRASES = (
    "not sure",
    "unsure",
    "no idea",
    "do not know",
    "dunno",
    "idk",
    "who knows",
    "can not remember",
    "do not remember",
    "maybe",
    "perhaps",
)
NEUTRAL_PHRASES = ("good morning", "good afternoon", "good evening", "good night", "good luck")
"""Greetings that carry no answer, consumed so their words are not read as one."""

YES = ("yes", "yeah", "yep", "yup", "ya", "yah", "yea", "sure", "ok", "okay", "indeed")
NO = ("no", "nope", "nah", "no no")

GOAL_DONE = (
    "done",
    "finished",
    "finish",
    "completed",
    "complete",
    "did it",
    "did them",
    "did all",
    "i did",
    "all done",
    "all of them",
    "them all",
    "every one",
    "everything",
    "nailed it",
    "nailed",
    "crushed it",
    "smashed it",
    "smashed",
    "killed it",
    "achieved",
    "accomplished",
    "managed",
    "got it done",
    "made it",
    "hit it",
    "hit the target",
    "hit my goal",
    "hit the goal",
    "sorted",
    "ticked off",
    "succeeded",
    "wrapped up",
)
GOAL_STARTED = ("started", "start", "begun", "began", "progress", "made a start")
GOAL_PARTLY = (
    "partly",
    "partially",
    "part of it",
    "some",
    "a bit",
    "a little",
    "halfway",
    "half way",
    "getting there",
    "in progress",
    "working on it",
    "almost",
    "nearly",
    "not quite",
    "not all",
    "not fully",
    "not completely",
    "not entirely",
    "not everything",
    "mostly",
    "most",
    "a few",
    "a couple",
    "several",
    "kind of",
    "kinda",
    "sort of",
    "slowly",
    "bit by bit",
    "on track",
    "underway",
    "ongoing",
    "half",
)
GOAL_NOT_YET = (
    "not yet",
    "nothing",
    "nothing yet",
    "not started",
    "not really",
    "not at all",
    "not much",
    "forgot",
    "zero progress",
    "no luck",
)
GOAL_LATER = (
    "later",
    "remind me",
    "tomorrow",
    "tonight",
    "next week",
    "weekend",
    "busy",
    "not now",
    "not today",
    "ask me",
    "ask again",
    "check back",
    "snooze",
    "another time",
    "another day",
    "some other time",
    "no time",
    "swamped",
    "give me",
    "in a bit",
    "in a while",
    "a few days",
    "a couple of days",
    "a couple days",
    "a day or two",
)

FEEDBACK_REPLIED = (
    "replied",
    "reply",
    "responded",
    "response",
    "answered",
    "answer",
    "wrote back",
    "written back",
    "heard back",
    "heard",
    "got back",
    "emailed",
    "called",
    "rang",
    "phoned",
    "messaged",
    "texted",
    "got feedback",
    "got some feedback",
    "sent feedback",
    "received",
    "they did",
    "came back",
)
FEEDBACK_NOT_YET = (
    "not yet",
    "still waiting",
    "waiting",
    "nothing",
    "nothing yet",
    "nothing so far",
    "not so far",
    "still nothing",
    "pending",
    "no reply yet",
    "no response yet",
    "no news",
    "any day now",
)
FEEDBACK_NO_REPLY = (
    "no reply",
    "no response",
    "ghosted",
    "ghosting",
    "ghost",
    "never",
    "will not",
    "not going to",
    "gave up",
    "give up",
    "giving up",
    "given up",
    "close it",
    "close",
    "closed",
    "forget it",
    "forget about it",
    "drop it",
    "move on",
    "moving on",
    "moved on",
    "radio silence",
    "silence",
    "ignored",
    "dead end",
    "lost cause",
    "no point",
    "let it go",
    "stop asking",
)

RESOURCE_TOOK_IT_IN = (
    "read",
    "read it",
    "watched",
    "watch",
    "listened",
    "listen",
    "finished",
    "finish",
    "done",
    "saw",
    "seen",
    "i did",
    "learned",
    "learnt",
    "taught",
    "realised",
    "realized",
    "takeaway",
    "take away",
    "key point",
    "useful",
    "helpful",
    "interesting",
    "insightful",
    "inspiring",
    "loved",
    "liked",
    "enjoyed",
    "got through",
    "went through",
    "skimmed",
    "checked it out",
    "checked out",
    "looked at",
    "had time",
    "had the time",
    "had a chance",
    "had the chance",
    "got to it",
    "got round to it",
    "got around to it",
    "get to it",
    "get round to it",
    "get around to it",
)
RESOURCE_SKIP = (
    "skip",
    "skip it",
    "skipped",
    "not for me",
    "no time",
    "not yet",
    "not now",
    "later",
    "maybe later",
    "not interested",
    "pass",
    "forgot",
    "busy",
    "no thanks",
    "not really",
    "not my thing",
    "gave up",
    "forget it",
)

MOOD_WORDS: Mapping[int, tuple[str, ...]] = {
    1: (
        "awful",
        "terrible",
        "horrible",
        "miserable",
        "dreadful",
        "devastated",
        "crushed",
        "hopeless",
        "worst",
        "rock bottom",
        "wretched",
    ),
    2: (
        "bad",
        "low",
        "down",
        "sad",
        "rough",
        "tired",
        "exhausted",
        "drained",
        "stressed",
        "anxious",
        "upset",
        "lousy",
        "crappy",
        "gloomy",
        "frustrated",
        "discouraged",
        "deflated",
        "disappointed",
        "worried",
        "rubbish",
        "crap",
        "shitty",
        "could be better",
        "been better",
    ),
    3: (
        "meh",
        "ok ish",
        "okay ish",
        "okish",
        "so so",
        "fine",
        "okay",
        "ok",
        "average",
        "neutral",
        "mixed",
        "middling",
        "surviving",
        "could be worse",
    ),
    4: (
        "good",
        "better",
        "alright",
        "all right",
        "positive",
        "hopeful",
        "decent",
        "nice",
        "happy",
        "calm",
        "motivated",
        "optimistic",
        "relaxed",
    ),
    5: (
        "great",
        "amazing",
        "fantastic",
        "excellent",
        "awesome",
        "wonderful",
        "brilliant",
        "superb",
        "ecstatic",
        "thrilled",
        "incredible",
        "perfect",
        "on top of the world",
    ),
}

NUMBER_WORDS: Mapping[str, int] = {
    word: value
    for value, word in enumerate(
        words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
} | {"none": 0}

NOT_A_COUNT_BEFORE = frozenset(
    words(
        "at by until till before after since on mon tue tues wed thu thur thurs fri sat sun "
        "monday tuesday wednesday thursday friday saturday sunday"
    )
)
"""A number after these is a time or a date, not a count."""
NOT_A_COUNT_AFTER = frozenset(
    words(
        "s sec secs second seconds min mins minute minutes h hr hrs hour hours day days week "
        "weeks wk wks month months year years yr yrs am pm oclock o th st nd rd jan feb mar apr "
        "may jun jul aug sep sept oct nov dec january february march april june july august "
        "september october november december"
    )
)
"""A number before these is a time or a date, not a count."""
DETERMINERS = frozenset(
    words("the that this last each every no any some which another a first next only")
)
"""A "one" after these is a pronoun ("the last one"), not a count."""

AUXILIARIES = frozenset(words("did do does have has had could can will would"))
"""Verbs whose negation answers the question by itself: "I didn't", "they haven't"."""

CLAUSE_WORDS = frozenset({"but", "though", "although", "however", "except", "tho"})
CLAUSE_MARKS = frozenset(",.!?;:()\n")

EMOJI: Mapping[str, str] = {
    "✅": "done",
    "✔": "done",
    "☑": "done",
    "👍": "yes",
    "👌": "yes",
    "👎": "no",
    "❌": "no",
    "😭": "awful",
    "😢": "sad",
    "😞": "sad",
    "😔": "sad",
    "🙁": "sad",
    "☹": "sad",
    "😐": "meh",
    "🙂": "good",
    "😊": "good",
    "😀": "great",
    "😃": "great",
    "😄": "great",
    "😁": "great",
    "🥳": "great",
}

CONTRACTIONS: Mapping[str, str] = {
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "ain't": "is not",
    "aint": "is not",
    "shan't": "shall not",
    "i'll": "i will",
    "i'm": "i am",
    "im": "i am",
    "idk": "idk",
}
NO_APOSTROPHE_NEGATIONS = frozenset(
    words(
        "didnt havent hasnt hadnt dont doesnt couldnt isnt wasnt arent werent wouldnt shouldnt "
        "neednt"
    )
)
NOT_TYPOS = frozenset({"matched", "stated", "bitter", "butter", "letter", "latter", "leaned"})
"""Ordinary words one edit away from a lexicon word, never corrected to it."""


# --- Tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    role: Role = "neutral"
    intent: Intent | None = None
    marker: Marker | None = None
    mood: int | None = None
    fraction: float | None = None


Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    table: Mapping[Phrase, Cue]
    positive: Intent | None  # the intent a bare negation answers the opposite of
    flips: Mapping[tuple[Marker, Intent], Intent] = field(default_factory=dict)
    unattached: Intent | None = None  # what a negation with nothing to negate means, weakly


def phrase(text: str) -> Phrase:
    return tuple(text.split())


def build(entries: Iterable[tuple[Iterable[str], Cue]]) -> dict[Phrase, Cue]:
    """One table: the markers, then the cues (a cue on a marker word keeps the marker)."""
    table: dict[Phrase, Cue] = {phrase(p): Cue(marker=m) for p, m in MARKERS.items()}
    for texts, cue in [
        (UNSURE_PHRASES, Cue("unsure", Intent.UNSURE)),
        (NEUTRAL_PHRASES, Cue("neutral")),
        *entries,
    ]:
        for text in texts:
            key = phrase(text)
            old = table.get(key)
            table[key] = cue if old is None else replace(cue, marker=old.marker)
    return table


def flips(
    yes: Intent, no: Intent, never: Intent, also: Iterable[Intent] = ()
) -> dict[tuple[Marker, Intent], Intent]:
    out: dict[tuple[Marker, Intent], Intent] = {}
    for intent in (yes, *also):
        out["neg", intent] = no
        out["never", intent] = never
        out["future", intent] = no
    return out


GOAL = Lexicon(
    build(
        [
            (GOAL_DONE, Cue("positive", Intent.DONE)),
            (GOAL_STARTED, Cue("positive", Intent.PARTLY)),
            (GOAL_PARTLY, Cue("qualifier", Intent.PARTLY)),
            (("half",), Cue("qualifier", Intent.PARTLY, fraction=0.5)),
            (GOAL_NOT_YET, Cue("qualifier", Intent.NOT_YET)),
            (GOAL_LATER, Cue("qualifier", Intent.LATER)),
            (YES, Cue("weak", Intent.DONE)),
            (NO, Cue("weak", Intent.NOT_YET)),
        ]
    ),
    Intent.DONE,
    flips(Intent.DONE, Intent.NOT_YET, Intent.NOT_YET, also=(Intent.PARTLY,)),
    Intent.NOT_YET,
)
FEEDBACK = Lexicon(
    build(
        [
            (FEEDBACK_REPLIED, Cue("positive", Intent.REPLIED)),
            (FEEDBACK_NOT_YET, Cue("qualifier", Intent.NOT_YET)),
            (FEEDBACK_NO_REPLY, Cue("qualifier", Intent.NO_REPLY)),
            (YES, Cue("weak", Intent.REPLIED)),
            (NO, Cue("weak", Intent.NOT_YET)),
        ]
    ),
    Intent.REPLIED,
    flips(Intent.REPLIED, Intent.NOT_YET, Intent.NO_REPLY),
    Intent.NOT_YET,
)
RESOURCE = Lexicon(
    build(
        [
            (RESOURCE_TOOK_IT_IN, Cue("positive", Intent.TOOK_IT_IN)),
            (RESOURCE_SKIP, Cue("qualifier", Intent.SKIP)),
            (YES, Cue("weak", Intent.TOOK_IT_IN)),
            ((*NO, "sorry"), Cue("weak", Intent.SKIP)),
        ]
    ),
    Intent.TOOK_IT_IN,
    flips(Intent.TOOK_IT_IN, Intent.SKIP, Intent.SKIP),
    Intent.SKIP,
)
MOOD = Lexicon(
    build(
        [(words, Cue("positive", Intent.MOOD, mood=value)) for value, words in MOOD_WORDS.items()]
    ),
    None,
)
LEXICONS: Mapping[ReplyTo, Lexicon] = {
    ReplyTo.GOAL: GOAL,
    ReplyTo.FEEDBACK: FEEDBACK,
    ReplyTo.RESOURCE: RESOURCE,
    ReplyTo.MOOD: MOOD,
}
LONGEST = max(len(p) for lex in LEXICONS.values() for p in lex.table)
VOCABULARY = frozenset(
    word for lex in LEXICONS.values() for p in lex.table for word in p
) | frozenset(NUMBER_WORDS)
TYPO_TARGETS = tuple(sorted(word for word in VOCABULARY if len(word) >= 6))


# --- Tokens -------------------------------------------------------------------------------------

TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z]+(?:'[a-z]+)*|[/%]|[,.!?;:()\n]")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def normalise(text: str) -> str:
    text = text[:MAX_CHARS]
    for emoji, word in EMOJI.items():
        text = text.replace(emoji, f" {word} ")
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES).casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Words, numbers, "/" and "%", and clause marks, contractions spelt out."""
    out: list[str] = []
    for token in TOKEN.findall(normalise(text)):
        if token in CONTRACTIONS:
            out.extend(CONTRACTIONS[token].split())
        elif token.endswith("n't"):
            out.extend((token[:-3], "not"))
        elif token in NO_APOSTROPHE_NEGATIONS:
            out.extend((token[:-2], "not"))
        elif token.endswith("'ll"):
            out.extend((token[:-3], "will"))
        elif "'" in token:
            out.append(token.split("'")[0])
        else:
            out.append(canonical(token))
    return out


@lru_cache(maxsize=4096)
def canonical(word: str) -> str:
    """The lexicon word meant by `word`: itself, squeezed ("yesss"), or one typo away."""
    if word in VOCABULARY or not word.isalpha():
        return word
    for squeezed in (re.sub(r"(.)\1{2,}", r"\1\1", word), re.sub(r"(.)\1+", r"\1", word)):
        if squeezed in VOCABULARY:
            return squeezed
    if len(word) < 5 or word in NOT_TYPOS:
        return word
    near = [t for t in TYPO_TARGETS if abs(len(t) - len(word)) <= 1 and one_edit(word, t)]
    return near[0] if len(near) == 1 else word


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one letter added, dropped or changed, or two swapped."""
    if len(a) == len(b):
        diffs = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diffs) <= 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for k, char in enumerate(short):
        if char != long[k]:
            return short[k:] == long[k + 1 :]
    return True


def clauses(words: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for word in words:
        if word in CLAUSE_MARKS or word in CLAUSE_WORDS:
            out.append([])
        else:
            out[-1].append(word)
    return [c for c in out if c]


def number(word: str) -> float | None:
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    if word[:1].isdigit() and len(word) <= 9:
        return float(word)
    return None


# --- Scanning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: float
    total: float | None = None
    remaining: bool = False  # "2 left": the count is the target minus this
    percent: bool = False


@dataclass
class Scan:
    strong: list[Intent] = field(default_factory=list)
    weak: list[Intent] = field(default_factory=list)
    moods: list[int] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    fractions: list[float] = field(default_factory=list)
    unsure: bool = False


def scan(words: list[str], lex: Lexicon) -> Scan:
    found = Scan()
    for clause in clauses(words):
        scan_clause(clause, lex, found)
    return found


def match(clause: list[str], i: int, lex: Lexicon) -> tuple[Cue, int] | None:
    for size in range(min(LONGEST, len(clause) - i), 0, -1):
        cue = lex.table.get(tuple(clause[i : i + size]))
        if cue is not None:
            return cue, i + size
    return None


def scan_clause(clause: list[str], lex: Lexicon, found: Scan) -> None:
    """Add one clause's cues and numbers to `found`, negations and qualifiers applied."""
    marker: Marker | None = None  # the latest negation or future in the clause
    marker_used = True  # whether it turned a positive round (or was an answer by itself)
    governed = False  # whether a qualifier came earlier: it absorbs the positives after it
    i = 0
    while i < len(clause):
        hit = match(clause, i, lex)
        if hit is None:
            read = read_number(clause, i)
            if read is not None:
                if marker is None:  # "not the last two", "need one more": not a count done
                    found.numbers.append(read[0])
                i = read[1]
            else:
                i += 1
            continue
        cue, end = hit
        if cue.role == "positive":
            turned = marker
            if end < len(clause) and clause[end] == "not":  # "I did not", "they did not"
                turned, end = "neg", end + 1
                marker = "neg"
            if turned is not None:
                marker_used = True
            if cue.mood is not None:
                negated = turned in ("neg", "never")
                found.moods.append((2 if cue.mood >= 3 else 3) if negated else cue.mood)
            elif cue.intent is not None and not governed:
                flipped = None if turned is None else lex.flips.get((turned, cue.intent))
                found.strong.append(flipped or cue.intent)
        elif cue.role == "qualifier" and cue.intent is not None:
            found.strong.append(cue.intent)
            if cue.fraction is not None:
                found.fractions.append(cue.fraction)
            governed = True
        elif cue.role == "weak" and cue.intent is not None:
            found.weak.append(cue.intent)
        elif cue.role == "unsure":
            found.unsure = True
        if cue.marker is not None:
            marker = cue.marker
            # A negation left over is an answer only after a verb of doing ("I didn't", "they
            # haven't") or on its own ("not me"); "it is not about..." is no answer.
            answers = (i > 0 and clause[i - 1] in AUXILIARIES) or len(clause) <= 2
            marker_used = cue.intent is not None or not answers
        i = end
    if not marker_used and marker in ("neg", "never") and lex.positive is not None:
        flipped = lex.flips.get((marker, lex.positive))
        if flipped is not None:
            found.weak.append(flipped)


def read_number(clause: list[str], i: int) -> tuple[Number, int] | None:
    """The number at `i` with its "of 5", "left" or "%", and where reading stops; or None."""
    value = number(clause[i])
    if value is None:
        return None
    before = clause[i - 1] if i > 0 else ""
    after = clause[i + 1] if i + 1 < len(clause) else ""
    if before in NOT_A_COUNT_BEFORE or after in NOT_A_COUNT_AFTER:
        return None
    if clause[i] == "one" and before in DETERMINERS:
        return None
    j = i + 1
    rest = clause[j : j + 3]
    if rest[:1] in (["of"], ["/"], ["from"]) and len(rest) > 1 and number(rest[1]) is not None:
        return Number(value, total=number(rest[1])), j + 2
    if rest[:2] == ["out", "of"] and len(rest) > 2 and number(rest[2]) is not None:
        return Number(value, total=number(rest[2])), j + 3
    if rest[:1] == ["more"]:
        rest, j = rest[1:], j + 1
    if rest[:1] in (["left"], ["remaining"]):
        return Number(value, remaining=True), j + 1
    if rest[:2] == ["to", "go"]:
        return Number(value, remaining=True), j + 2
    if clause[i + 1 : i + 2] in (["%"], ["percent"]):
        return Number(value, percent=True), i + 2
    return Number(value), i + 1


# --- Readings -----------------------------------------------------------------------------------

COMBINED: Mapping[frozenset[Intent], Intent] = {
    frozenset({Intent.DONE, Intent.PARTLY}): Intent.PARTLY,
    frozenset({Intent.NOT_YET, Intent.PARTLY}): Intent.PARTLY,
    frozenset({Intent.NOT_YET, Intent.LATER}): Intent.LATER,
    frozenset({Intent.NOT_YET, Intent.NO_REPLY}): Intent.NO_REPLY,
}
"""Pairs of intents where one contains the other; any other mix is UNSURE."""


def half_up(value: float) -> int:
    return math.floor(value + 0.5)


def one_intent(found: Scan) -> Intent:
    said = set(found.strong) or set(found.weak)
    if len(said) == 1:
        return said.pop()
    return COMBINED.get(frozenset(said), Intent.UNSURE)


def read_reply(text: str, to: ReplyTo, target: int | None = None) -> Reading:
    """What a typed reply to the `to` check-in means; see the module docstring for the rules.

    `target` is the goal's number ("Apply to 5 roles": 5), when it has one.
    """
    try:
        to = ReplyTo(to)
        reading = read(str(text), to, target if target is not None and target > 0 else None)
    except (ValueError, OverflowError, RecursionError):  # a last guard: never raise on input
        return UNSURE
    return reading if reading.intent in INTENTS[to] else UNSURE


def read(text: str, to: ReplyTo, target: int | None) -> Reading:
    found = scan(tokens(text), LEXICONS[to])
    if found.unsure:
        return UNSURE
    if to is ReplyTo.GOAL:
        return read_goal(found, target)
    if to is ReplyTo.MOOD:
        return read_mood(found)
    intent = one_intent(found)
    if (
        to is ReplyTo.RESOURCE
        and not found.strong
        and not found.weak
        and looks_like_a_takeaway(text)
    ):
        return Reading(Intent.TOOK_IT_IN)
    return Reading(intent)


def looks_like_a_takeaway(text: str) -> bool:
    statement = not text.strip().endswith("?")
    return statement and sum(w.isalpha() for w in tokens(text)) >= 9


def read_goal(found: Scan, target: int | None) -> Reading:
    totals = {n.total for n in found.numbers if n.total is not None and n.total > 0}
    whole = target if target is not None else (int(totals.pop()) if len(totals) == 1 else None)
    counts: set[float] = set()
    for n in found.numbers:
        if n.percent:
            found.fractions.append(n.value / 100)
        elif n.remaining:
            if whole is None:
                found.strong.append(Intent.PARTLY)
            else:
                counts.add(max(whole - n.value, 0))
        else:
            counts.add(n.value)
    for share in found.fractions:
        if whole is not None and whole >= 2:
            counts.add(min(max(half_up(share * whole), 1), whole - 1) if share < 1 else whole)
        elif share >= 1:
            found.strong.append(Intent.DONE)
        elif share == 0:
            counts.add(0)
    if len(counts) > 1:
        return UNSURE
    if counts:
        count = counts.pop()
        if count != math.floor(count):
            return UNSURE
        done = int(count)
        if done == 0:
            return Reading(Intent.NOT_YET, count=0)
        if whole is not None:
            return Reading(Intent.DONE if done >= whole else Intent.PARTLY, count=done)
        said = set(found.strong)
        finished = Intent.DONE in said and Intent.PARTLY not in said
        return Reading(Intent.DONE if finished else Intent.PARTLY, count=done)
    intent = one_intent(found)
    if intent is Intent.DONE:
        return Reading(Intent.DONE, count=target)
    return Reading(intent)


def read_mood(found: Scan) -> Reading:
    values = {(n.value, n.total) for n in found.numbers if not n.percent and not n.remaining}
    if values:
        if len({v for v, _ in values}) > 1:
            return UNSURE
        value, total = values.pop()
        if total not in (None, 5) or not 1 <= value <= 5:
            return UNSURE
        return Reading(Intent.MOOD, mood=min(max(half_up(value), 1), 5))
    if not found.moods:
        return UNSURE
    return Reading(Intent.MOOD, mood=half_up(sum(found.moods) / len(found.moods)))
