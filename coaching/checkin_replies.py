"""Reading a typed reply to a check-in: which button the person would have pressed.

A check-in asks about a goal's progress, a feedback request, a resource or the person's mood,
and offers buttons. Some people type instead; `read_reply` maps what they typed to the intent
of one of that check-in's buttons, or to UNSURE so the caller can show the buttons again.
It never raises and never guesses between two readings.

English, Spanish and Russian (`language=`, else the current language of `coaching.language`)
share the policy below (its examples are English); each has its own lexicons and `Grammar` (how
it spells a number, a total "4 de 5" / "4 из 5", what is left "me faltan 2" / "осталось 2", a
date, its slang). Spanish and Russian put the negation before the verb ("no lo hice", "не
сделал"): a negation left over answers when it opens its clause or follows its subject ("я не"),
and a weak "no" / "нет" in the middle of a sentence is not an answer ("...y no un veredicto").
Accents are optional in Spanish ("todavia"); Russian "ё" is read as "е", and Russian "нет"
closing a clause negates it ("ответа всё ещё нет"). Decimals may take a comma ("2,5"). Russian
and Spanish inflect, so most of their entries are stems: "сдела*" matches сделал, сделала,
сделали (a word listed in full, such as the future "сделаю", wins over the stem it starts with).
Russian words are not mended as typos: one letter is most often an ending. Numbers in words come
from `coaching.numbers` ("dos", "двух"); "ni una" and "ни одной" are 0, and an article before a
number ("un 3") is not one.

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

from coaching.language import current_language
from coaching.numbers import number_word

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
    stems: tuple[str, ...] = ()  # its entries' stems ("сдела*" -> "сдела"), longest first


def with_stems(lex: Lexicon) -> Lexicon:
    """`lex` knowing the stems of its entries (a word ending in "*" is a stem)."""
    stems = {w[:-1] for p in lex.table for w in p if w.endswith("*")}
    return replace(lex, stems=tuple(sorted(stems, key=lambda s: (-len(s), s))))


def phrase(text: str) -> Phrase:
    return tuple(text.split())


def alts(text: str) -> tuple[str, ...]:
    """The phrases of `text` separated by "|": long phrase lists read better as one string."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def build(
    entries: Iterable[tuple[Iterable[str], Cue]],
    markers: Mapping[str, Marker] = MARKERS,
    unsure: Iterable[str] = UNSURE_PHRASES,
    neutral: Iterable[str] = NEUTRAL_PHRASES,
) -> dict[Phrase, Cue]:
    """One table: the markers, then the cues (a cue on a marker word keeps the marker)."""
    table: dict[Phrase, Cue] = {phrase(p): Cue(marker=m) for p, m in markers.items()}
    for texts, cue in [
        (unsure, Cue("unsure", Intent.UNSURE)),
        (neutral, Cue("neutral")),
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


@dataclass(frozen=True)
class Words:
    """One language's words for the four check-ins, from which its lexicons are built."""

    markers: Mapping[str, Marker]
    unsure: tuple[str, ...]
    neutral: tuple[str, ...]
    yes: tuple[str, ...]
    no: tuple[str, ...]
    goal_done: tuple[str, ...]
    goal_started: tuple[str, ...]
    goal_partly: tuple[str, ...]
    half: tuple[str, ...]
    goal_not_yet: tuple[str, ...]
    goal_later: tuple[str, ...]
    feedback_replied: tuple[str, ...]
    feedback_not_yet: tuple[str, ...]
    feedback_no_reply: tuple[str, ...]
    resource_took_it_in: tuple[str, ...]
    resource_skip: tuple[str, ...]
    sorry: tuple[str, ...]
    moods: Mapping[int, tuple[str, ...]]


def lexicons(w: Words) -> dict[ReplyTo, Lexicon]:
    def table(entries: Iterable[tuple[Iterable[str], Cue]]) -> dict[Phrase, Cue]:
        return build(entries, w.markers, w.unsure, w.neutral)

    goal = Lexicon(
        table(
            [
                (w.goal_done, Cue("positive", Intent.DONE)),
                (w.goal_started, Cue("positive", Intent.PARTLY)),
                (w.goal_partly, Cue("qualifier", Intent.PARTLY)),
                (w.half, Cue("qualifier", Intent.PARTLY, fraction=0.5)),
                (w.goal_not_yet, Cue("qualifier", Intent.NOT_YET)),
                (w.goal_later, Cue("qualifier", Intent.LATER)),
                (w.yes, Cue("weak", Intent.DONE)),
                (w.no, Cue("weak", Intent.NOT_YET)),
            ]
        ),
        Intent.DONE,
        flips(Intent.DONE, Intent.NOT_YET, Intent.NOT_YET, also=(Intent.PARTLY,)),
        Intent.NOT_YET,
    )
    feedback = Lexicon(
        table(
            [
                (w.feedback_replied, Cue("positive", Intent.REPLIED)),
                (w.feedback_not_yet, Cue("qualifier", Intent.NOT_YET)),
                (w.feedback_no_reply, Cue("qualifier", Intent.NO_REPLY)),
                (w.yes, Cue("weak", Intent.REPLIED)),
                (w.no, Cue("weak", Intent.NOT_YET)),
            ]
        ),
        Intent.REPLIED,
        flips(Intent.REPLIED, Intent.NOT_YET, Intent.NO_REPLY),
        Intent.NOT_YET,
    )
    resource = Lexicon(
        table(
            [
                (w.resource_took_it_in, Cue("positive", Intent.TOOK_IT_IN)),
                (w.resource_skip, Cue("qualifier", Intent.SKIP)),
                (w.yes, Cue("weak", Intent.TOOK_IT_IN)),
                ((*w.no, *w.sorry), Cue("weak", Intent.SKIP)),
            ]
        ),
        Intent.TOOK_IT_IN,
        flips(Intent.TOOK_IT_IN, Intent.SKIP, Intent.SKIP),
        Intent.SKIP,
    )
    mood = Lexicon(
        table(
            [(texts, Cue("positive", Intent.MOOD, mood=value)) for value, texts in w.moods.items()]
        ),
        None,
    )
    return {
        ReplyTo.GOAL: with_stems(goal),
        ReplyTo.FEEDBACK: with_stems(feedback),
        ReplyTo.RESOURCE: with_stems(resource),
        ReplyTo.MOOD: with_stems(mood),
    }


ENGLISH_WORDS = Words(
    markers=MARKERS,
    unsure=UNSURE_PHRASES,
    neutral=NEUTRAL_PHRASES,
    yes=YES,
    no=NO,
    goal_done=GOAL_DONE,
    goal_started=GOAL_STARTED,
    goal_partly=GOAL_PARTLY,
    half=("half",),
    goal_not_yet=GOAL_NOT_YET,
    goal_later=GOAL_LATER,
    feedback_replied=FEEDBACK_REPLIED,
    feedback_not_yet=FEEDBACK_NOT_YET,
    feedback_no_reply=FEEDBACK_NO_REPLY,
    resource_took_it_in=RESOURCE_TOOK_IT_IN,
    resource_skip=RESOURCE_SKIP,
    sorry=("sorry",),
    moods=MOOD_WORDS,
)


# --- Spanish ------------------------------------------------------------------------------------
# Written folded as the reader folds text: lower case, no accents ("todavia", "manana"). A word
# ending in "*" is a stem: it matches every word that starts with it ("termin*": termine,
# terminado, terminando); a word listed in full anywhere in the language wins over a stem.

ES_MARKERS: Mapping[str, Marker] = {
    **dict.fromkeys(alts("no | nada | sin | ni | tampoco | ningun | nadie"), "neg"),
    **dict.fromkeys(alts("nunca | jamas | no van a | no lo van a | ya no | nunca me"), "never"),
    **dict.fromkeys(
        alts(
            "voy a | vamos a | va a | van a | tengo que | tenemos que | hay que | tendre que "
            "| necesito | debo | deberia | quiero | pienso | planeo | espero | quisiera"
        ),
        "future",
    ),
}
ES_UNSURE = alts(
    "no se | nose | no lo se | no estoy seguro | no estoy segura | ni idea | quien sabe "
    "| no me acuerdo | no recuerdo | tal vez | quizas | quiza | a lo mejor | puede ser | nidea"
)
ES_NEUTRAL = alts(
    "hola | buenas | buenos dias | buen dia | buenas tardes | buenas noches | gracias "
    "| muchas gracias | saludos | que tal"
)
ES_YES = alts(
    "si | sip | sep | seh | claro | claro que si | ok | okay | oki | vale | dale | ya | obvio "
    "| por supuesto | simon | afirmativo | eso | asi es | efectivamente | yes"
)
ES_NO = alts("no | nop | nope | nel | no no | naa | na")

ES_GOAL_DONE = alts(
    "hecho | hecha | lo hice | las hice | los hice | hice | hize | hicimos | ya lo hice | listo "
    "| lista | listos | listas | ya esta | ya estan | termin* | complet* | acab* | cumpli* "
    "| cumpli | logr* | consegui | lo consegui | pude | lo pude hacer | todas | todos | todo "
    "| todas ellas | todo listo | mision cumplida | objetivo cumplido "
    "| meta cumplida | lo saque | sali adelante"
)
ES_GOAL_STARTED = alts(
    "empece | empez* | comence | comenz* | arranque | arranc* | avance | avanc* | avanz* "
    "| progreso | algo de progreso"
)
ES_GOAL_PARTLY = alts(
    "en parte | parcialmente | algunas | algunos | algo | un poco | poco a poco | a medias "
    "| casi | ya casi | casi listo | casi lista | casi todo | casi todas | en eso | estoy en eso "
    "| en proceso | en progreso | trabajando en eso | en ello | estoy en ello | no del todo "
    "| no todo | no todas "
    "| no todos | no completo | no completa | la mayoria | mayoria | varias | varios | un par "
    "| mas o menos | masomenos | medio | ahi vamos | ahi voy | a medio camino | me falta "
    "| me faltan | falta | faltan | me queda | me quedan | queda | quedan | de a poco"
)
ES_GOAL_NOT_YET = alts(
    "todavia no | aun no | no todavia | no aun | nada | nada todavia | nada aun | todavia nada "
    "| aun nada | para nada | no mucho | no realmente | la verdad no | me olvide | olvide "
    "| se me olvido | se me paso | sin avances | cero avances | ningun avance | nada de nada "
    "| ni empece | pendiente | sigue pendiente | todavia | aun | ni siquiera empece | nop todavia"
)
ES_GOAL_LATER = alts(
    "despues | luego | mas tarde | manana | pasado manana | esta noche | la proxima semana "
    "| la proxima "
    "| la semana que viene | el finde | fin de semana | finde | ocupado | ocupada | ahora no "
    "| hoy no | ahorita no | preguntame | preguntame despues | recuerdamelo | recuerdame "
    "| avisame | otro dia | en otro momento | sin tiempo | no tengo tiempo | no tuve tiempo "
    "| en unos dias | en un rato | dame | dame unos dias | pospon* | posterga* | lo hago "
    "| lo hare | hare | lo termino | a tope | a full | tapado | tapada | con mucho trabajo "
    "| en un par de dias | dentro de unos dias"
)

ES_FEEDBACK_REPLIED = alts(
    "respond* | contest* | respuesta | me escribieron | escribieron | me llamaron | llamaron "
    "| llam* | me dijeron | dijeron | me mandaron | mandaron | enviaron | me enviaron | me dieron "
    "| dieron | comentarios | sus comentarios | feedback | me llego | llego | llegaron "
    "| recibi | recib* | tuve noticias | noticias | devolvieron | correo | mail | email "
    "| me explicaron | explicaron | se comunicaron | me contactaron | contactaron"
)
ES_FEEDBACK_NOT_YET = alts(
    "todavia no | aun no | no todavia | no aun | nada | nada todavia | todavia nada | aun nada "
    "| nada aun | nada por ahora | por ahora nada | hasta ahora nada | esperando | sigo esperando "
    "| todavia esperando | aun esperando | pendiente | ninguna novedad | sin novedad "
    "| sin novedades | nada nuevo | todavia sin respuesta | aun sin respuesta "
    "| sin respuesta todavia | sin respuesta aun | sin respuesta por ahora | todavia | aun "
    "| ni noticias | van a responder | dijeron que responden | quedaron en responder"
)
ES_FEEDBACK_NO_REPLY = alts(
    "sin respuesta | nunca | me ghostearon | ghostearon | ghosteo | ghosting | ghost "
    "| desaparecieron | desaparec* | me ignoraron | ignor* | me rindo | me di por vencido "
    "| me di por vencida | ya fue | cerralo | cierralo | cierra | cerrar | cerrado | cerremos "
    "| olvidalo | olvidate | dejalo | dejalo asi | dejemoslo | no vale la pena | paso pagina "
    "| pasar pagina | sigo adelante | a otra cosa | silencio | silencio total "
    "| silencio absoluto | deja de preguntar | no preguntes mas | no van a responder "
    "| no van a contestar | nunca respondieron | nunca contestaron | olvidemoslo"
)

ES_RESOURCE_TOOK_IT_IN = alts(
    "lei | lo lei | la lei | leido | lo he leido | termin* | acab* | lo vi | la vi | vi | visto "
    "| mire | lo mire | escuch* | oi | lo oi | hecho | listo | aprend* | me enseno | ensen* "
    "| me di cuenta | entendi | comprendi | reflexion* | util | muy util | utiles | me sirvio "
    "| sirvio | interesante | interesantisimo | inspirador | inspiradora | motivador "
    "| motivadora | me gusto | me encanto | me encanta | encant* | genial | buenisimo "
    "| buenisima | lo revise | revis* | le eche un vistazo | vistazo | ojee | hojee | lo hice "
    "| hice | hice el ejercicio | tuve tiempo | me dio tiempo | idea clave | lo que me llevo "
    "| me quedo con | me quede con | aprendizaje | conclusion | lo complete | complet*"
)
ES_RESOURCE_SKIP = alts(
    "omitir | omitelo | saltar | saltalo | salteado | paso | no es para mi | no me interesa "
    "| sin tiempo | no tuve tiempo | no tengo tiempo | todavia no | aun no | ahora no "
    "| despues | luego | mas tarde | quizas despues | me olvide | olvide | se me olvido "
    "| se me paso | ocupado | ocupada | no gracias | no mucho | la verdad no | no realmente "
    "| no es lo mio | lo deje | me aburri | aburrido | lo abandone | pendiente "
    "| lo tengo pendiente | no llegue | todavia | aun | lo leo | lo veo | lo leere | lo vere "
    "| lo escuchare | leere | vere | escuchare | no pude | ni lo abri"
)

ES_MOOD_WORDS: Mapping[int, tuple[str, ...]] = {
    1: alts(
        "fatal | horrible | terrible | pesim* | destrozad* | devastad* | hundid* "
        "| por los suelos | de lo peor | lo peor | muy mal | del asco | una mierda | de mierda "
        "| hecho polvo | hecha polvo | desesperad* | malisim* | re mal | super mal | fatal fatal"
    ),
    2: alts(
        "mal | bajonead* | bajon | de bajon | trist* | cansad* | agotad* | estresad* | ansios* "
        "| ansiedad | preocupad* | desanimad* | frustrad* | decepcionad* | malito | malita "
        "| medio mal "
        "| bajo | baja | he estado mejor | podria estar mejor | deprimid* | agobiad* | hart* "
        "| de capa caida | apagad* | nervios* | desmotivad* | quemad*"
    ),
    3: alts(
        "meh | regular | mas o menos | masomenos | ahi | ahi vamos | ahi ando | normal | ok "
        "| okay | neutral | ni bien ni mal | tirando | sobreviviendo | podria ser peor "
        "| asi asi | con altibajos | equis | mitad y mitad | ni fu ni fa | bien a secas | tranqui"
    ),
    4: alts(
        "bien | mejor | bastante bien | tranquil* | content* | motivad* | optimista | positiv* "
        "| animad* | esperanzad* | feliz | relajad* | muy bien | chevere | bacan | bien bien "
        "| con energia | con ganas | de buen humor | mejor que ayer"
    ),
    5: alts(
        "genial | excelente | increible | fantastic* | estupend* | super bien | superbien "
        "| perfect* | de maravilla | maravillos* | buenisim* | espectacular | brutal | de lujo "
        "| en las nubes | felicisim* | genial genial | on fire | al cien | al 100"
    ),
}

ES_NUMBER_WORDS: Mapping[str, int] = {"ninguna": 0, "ninguno": 0, "ningun": 0}
ES_NOT_A_COUNT_BEFORE = frozenset(
    phrase(p)
    for p in alts(
        "a las | a la | hasta el | hasta | desde | antes del | despues del | el lunes "
        "| lunes | martes | miercoles | jueves | viernes | sabado | domingo | del | el dia"
    )
)
ES_NOT_A_COUNT_AFTER = frozenset(
    words(
        "s seg segundos min mins minuto minutos h hs hr hrs hora horas dia dias semana semanas "
        "mes meses ano anos am pm enero febrero marzo abril mayo junio julio agosto septiembre "
        "setiembre octubre noviembre diciembre ene feb mar abr jun jul ago sep sept oct nov dic "
        "veces"
    )
)
ES_ARTICLES = frozenset({"un", "una"})
"""A number word that is an article before a number ("un 3") is not a count."""
ES_CLAUSE_WORDS = frozenset({"pero", "aunque", "excepto", "salvo", "sino"})
ES_CONTRACTIONS: Mapping[str, str] = {
    "q": "que",
    "k": "que",
    "xq": "porque",
    "pq": "porque",
    "porq": "porque",
    "tb": "tambien",
    "tmb": "tambien",
    "toy": "estoy",
    "pa": "para",
    "d": "de",
    "nop": "no",
    "noo": "no",
    "sii": "si",
    "sipi": "si",
    "ps": "pues",
    "pos": "pues",
    "ahorita": "ahora",
    "mnn": "manana",  # "mñn", folded
    "mna": "manana",
    "mnana": "manana",
}
ES_REWRITES: Mapping[Phrase, Phrase] = {
    ("sin", "embargo"): ("pero",),
    ("por", "ciento"): ("%",),
    ("porciento",): ("%",),
    ("ni", "una"): ("0",),
    ("ni", "uno"): ("0",),
    ("ni", "una", "sola"): ("0",),
}
ES_EMOJI: Mapping[str, str] = {
    "✅": "hecho",
    "✔": "hecho",
    "☑": "hecho",
    "👍": "si",
    "👌": "si",
    "👎": "no",
    "❌": "no",
    "😭": "fatal",
    "😢": "triste",
    "😞": "triste",
    "😔": "triste",
    "🙁": "triste",
    "☹": "triste",
    "😐": "meh",
    "🙂": "bien",
    "😊": "bien",
    "😀": "genial",
    "😃": "genial",
    "😄": "genial",
    "😁": "genial",
    "🥳": "genial",
}

# --- Russian ------------------------------------------------------------------------------------
# Folded as the reader folds text: lower case, "ё" as "е" ("еще", "все"), "й" kept. Russian
# inflects, so most entries are stems ("сдела*": сделал, сделала, сделали, сделано); a word
# listed in full ("сделаю", a future) wins over the stem it starts with.

RU_MARKERS: Mapping[str, Marker] = {
    **dict.fromkeys(alts("не | нет | ни | без | никак | нисколько"), "neg"),
    **dict.fromkeys(alts("никогда | так и не | уже не | вообще не | так никто и не"), "never"),
    **dict.fromkeys(
        alts(
            "буду | будет | будем | будут | собираюсь | собираемся | надо | нужно | необходимо "
            "| должен | должна | должны | хочу | хотела бы | хотел бы | планирую | попробую "
            "| постараюсь | придется | предстоит | надеюсь"
        ),
        "future",
    ),
}
RU_UNSURE = alts(
    "не знаю | незнаю | хз | без понятия | не уверен | не уверена | не помню | может быть "
    "| наверное | возможно | кто знает | кто его знает | фиг знает | не в курсе | затрудняюсь"
)
RU_NEUTRAL = alts(
    "привет | приветик | здравствуй | здравствуйте | доброе утро | добрый день | добрый вечер "
    "| спокойной ночи | спасибо | спасибо большое | удачи | все еще | сейчас"
)
RU_YES = alts(
    "да | ага | угу | ок | окей | ok | okay | конечно | конечно да | есть | ну да | да да "
    "| точно | так точно | ес | йес | ура | разумеется | а то"
)
RU_NO = alts("нет | нее | нет нет | ноуп | неа")

RU_GOAL_DONE = alts(
    "сдела* | выполн* | законч* | справил* | успел* | успела | получилось | готово | готов "
    "| готова | все готово | все | сделано | закрыл* | смог | смогла | смогли | удалось "
    "| осилил* | добил* | достиг* | все сделал | все сделала | цель выполнена | есть контакт"
)
RU_GOAL_STARTED = alts("начал* | начать | начин* | приступил* | продвинул* | прогресс | сдвинул*")
RU_GOAL_PARTLY = alts(
    "частично | отчасти | немного | немножко | чуть | чуть чуть | наполовину | половина "
    "| в процессе | работаю над этим | работаю | почти | почти все | почти готово | не все "
    "| не совсем | не до конца | не полностью | большую часть | большинство | несколько | пару "
    "| парочку | пара | кое что | кое как | потихоньку | понемногу | постепенно | на полпути "
    "| часть | какие то | некоторые | осталось | осталась | остались | еще немного "
    "| в пути | в работе | в прогрессе | процесс идет"
)
RU_GOAL_NOT_YET = alts(
    "еще нет | пока нет | пока не | еще не | все еще нет | все еще не | нет еще | нет пока "
    "| ничего | пока ничего | ничего пока | ничего еще | забыл* | не особо | не очень "
    "| вообще ничего | нисколько | никак | ноль прогресса | без прогресса | не начинал* "
    "| руки не дошли | не дошли руки | не получилось | не вышло | не успел* | пока никак"
)
RU_GOAL_LATER = alts(
    "позже | попозже | потом | завтра | послезавтра | вечером | сегодня вечером "
    "| на следующей неделе | на следующей | на выходных | в выходные | выходные | занят "
    "| занята | заняты "
    "| некогда | нет времени | не было времени | времени нет | не сейчас | не сегодня "
    "| спроси | спроси позже | спроси завтра | напомни | напомни позже | напомни завтра "
    "| отложи | отложить | отложим | через пару дней | через день | через неделю "
    "| через несколько дней | дай | дай мне | дай время | в другой раз | в другой день "
    "| сделаю | доделаю | сделаю завтра | займусь | зашиваюсь | завал | запара | аврал "
    "| сейчас не могу | не могу сейчас | позднее | отложу | чуть позже"
)

RU_FEEDBACK_REPLIED = alts(
    "ответ* | написал* | позвонил* | перезвонил* | связал* | прислал* | пришел | пришло "
    "| пришла | пришли | получил* | дали | дал | дала | фидбек | фидбэк | обратн* | отписал* "
    "| отреагировал* | объяснил* | сказали | рассказали | есть ответ | отказ* | откликнул*"
)
RU_FEEDBACK_NOT_YET = alts(
    "еще нет | пока нет | нет еще | нет пока | пока не | еще не | пока ничего | ничего "
    "| ничего пока | жду | ждем | все еще жду | до сих пор жду | ожида* | в ожидании "
    "| пока тишина | тишина | молчат | пока молчат | пока без ответа | ответа пока нет "
    "| ответа еще нет | ни слова | ответят | скоро ответят | обещали | обещали ответить "
    "| пока ни слуху ни духу | ни слуху ни духу | жду ответа"
)
RU_FEEDBACK_NO_REPLY = alts(
    "нет ответа | ответа нет | без ответа | игнор* | проигнорировал* | пропал* | исчез* "
    "| слились | слил* | забей | забудь | закрой | закрывай | закрыть | закрываем | не ответят "
    "| уже не ответят | никогда | сдаюсь | проехали | хватит | двигаюсь дальше | иду дальше "
    "| гост* | загостили | ноль реакции | нет смысла | не жду | больше не жду | не буду ждать "
    "| не спрашивай | больше не спрашивай | проигнорили | динамят | кинули"
)

RU_RESOURCE_TOOK_IT_IN = alts(
    "прочитал* | прочел | прочла | читал* | дочитал* | досмотрел* | дослушал* | посмотрел* "
    "| смотрел* | послушал* | слушал* "
    "| прослушал* | просмотрел* | пролистал* | глянул* | изучил* | сделал* | выполнил* | понял* "
    "| узнал* | научил* | осознал* | полезн* | интересн* | понравил* | зашло | зацепил* "
    "| вдохнов* | класс | классн* | супер | огонь | топ | готово | успел* | дошли руки "
    "| добрал* | вывод | главное | мысль | запомнил* | осилил* | крут*"
)
RU_RESOURCE_SKIP = alts(
    "пропуст* | пропуск | скип | не для меня | не мое | нет времени | не было времени "
    "| некогда | еще нет | пока нет | пока не | еще не | не сейчас | позже | потом "
    "| может позже | неинтересно | забыл* | занят | занята | нет спасибо | не особо "
    "| руки не дошли | брос* | скучно | не то | прочитаю | посмотрю | послушаю | гляну "
    "| сделаю | займусь | отложил* | не мой формат"
)

RU_MOOD_WORDS: Mapping[int, tuple[str, ...]] = {
    1: alts(
        "ужасно | ужасн* | кошмар | кошмарно | отвратительно | хуже некуда | хуже не бывает "
        "| на дне | полный отстой | дерьмово | очень плохо | убит | убита | раздавлен* "
        "| в депрессии | жесть | совсем плохо | очень хреново | вообще никак | единица | кол"
    ),
    2: alts(
        "плохо | плох* | грустно | грустн* | печально | тоскливо | устал* | вымотан* | выжат* "
        "| уставш* | тревожно | тревожн* | напряжен* | стресс | в стрессе | нервничаю "
        "| расстроен* | подавлен* | разочарован* | хреново | паршиво | фигово | не очень "
        "| бывало и лучше | могло быть лучше | уныло | невесело | не айс | отстой | неважно "
        "| нехорошо | ничего хорошего | грустненько | печаль | тоска | грущу | фигня | нервно "
        "| двойк* | на двоечку"
    ),
    3: alts(
        "так себе | нормально | норм | нормальн* | нормас | ничего | средне | средненько "
        "| серединка на половинку | ни то ни се | нейтрально | ок | окей | терпимо | сойдет "
        "| пойдет | живу | жив | жива | по разному | неплохо | более менее | сносно | ничего так "
        "| потихоньку | ровно | на троечку | стабильно | тройк* | троечк*"
    ),
    4: alts(
        "хорошо | хорош* | лучше | получше | бодро | бодр* | спокойно | спокойн* | уверенно "
        "| мотивирован* | оптимистично | с надеждой | довольн* | рад | рада | приятно "
        "| прилично | позитивно | позитивн* | весело | нормально так | вполне хорошо | неплохо так "
        "| четверк* | четверочк*"
    ),
    5: alts(
        "отлично | отличн* | прекрасно | прекрасн* | замечательно | супер | великолепно "
        "| потрясающе | шикарно | офигенно | круто | классно | превосходно | идеально "
        "| лучше всех | на высоте | кайф | огонь | счастлив* | на седьмом небе | восторг "
        "| в восторге | просто супер | лучше не бывает | бомба | пятерк* | пятерочк*"
    ),
}

RU_NOT_A_COUNT_BEFORE = frozenset(phrase(p) for p in alts("до | к | после | с | со | около"))
RU_NOT_A_COUNT_AFTER = frozenset(
    words(
        "с сек секунд секунды мин минут минуты минуту ч час часа часов утра вечера дня ночи "
        "день дней недели неделю недель неделя месяц месяца месяцев год года лет числа января "
        "февраля марта апреля мая июня июля августа сентября октября ноября декабря янв фев "
        "мар апр июн июл авг сен сент окт ноя дек раз раза"
    )
)
RU_CLAUSE_WORDS = frozenset({"но", "однако", "хотя", "зато", "кроме"})
RU_SUBJECTS = frozenset(words("я мы они она он ты вы а ну и вот пока"))
"""Words that may stand before a negation that answers by itself: "я не", "они не"."""
RU_CONTRACTIONS: Mapping[str, str] = {
    "щас": "сейчас",
    "ща": "сейчас",
    "щя": "сейчас",
    "счас": "сейчас",
    "неа": "нет",
    "нету": "нет",
    "ниче": "ничего",
    "ничо": "ничего",
    "ничег": "ничего",
    "оч": "очень",
    "спс": "спасибо",
    "пасиб": "спасибо",
    "канеш": "конечно",
    "канешн": "конечно",
    "конеш": "конечно",
    "конешно": "конечно",
    "хор": "хорошо",
    "нормуль": "норм",
    "гуд": "хорошо",
    "ноу": "нет",
    "ниразу": "ни разу",
}
RU_REWRITES: Mapping[Phrase, Phrase] = {
    ("ни", "одной"): ("0",),
    ("ни", "одного"): ("0",),
    ("ни", "одну"): ("0",),
    ("ни", "на", "одну"): ("0",),
    ("ни", "в", "одну"): ("0",),
    ("ни", "разу"): ("0",),
    ("ни", "одна"): ("0",),
    ("ни", "один"): ("0",),
}
RU_EMOJI: Mapping[str, str] = {
    "✅": "готово",
    "✔": "готово",
    "☑": "готово",
    "👍": "да",
    "👌": "да",
    "👎": "нет",
    "❌": "нет",
    "😭": "ужасно",
    "😢": "грустно",
    "😞": "грустно",
    "😔": "грустно",
    "🙁": "грустно",
    "☹": "грустно",
    "😐": "так себе",
    "🙂": "хорошо",
    "😊": "хорошо",
    "😀": "отлично",
    "😃": "отлично",
    "😄": "отлично",
    "😁": "отлично",
    "🥳": "отлично",
}


SPANISH_WORDS = Words(
    markers=ES_MARKERS,
    unsure=ES_UNSURE,
    neutral=ES_NEUTRAL,
    yes=ES_YES,
    no=ES_NO,
    goal_done=ES_GOAL_DONE,
    goal_started=ES_GOAL_STARTED,
    goal_partly=ES_GOAL_PARTLY,
    half=alts("la mitad | mitad | medias | la mitad de ellas | la mitad de ellos"),
    goal_not_yet=ES_GOAL_NOT_YET,
    goal_later=ES_GOAL_LATER,
    feedback_replied=ES_FEEDBACK_REPLIED,
    feedback_not_yet=ES_FEEDBACK_NOT_YET,
    feedback_no_reply=ES_FEEDBACK_NO_REPLY,
    resource_took_it_in=ES_RESOURCE_TOOK_IT_IN,
    resource_skip=ES_RESOURCE_SKIP,
    sorry=alts("perdon | lo siento | sorry | disculpa"),
    moods=ES_MOOD_WORDS,
)
RUSSIAN_WORDS = Words(
    markers=RU_MARKERS,
    unsure=RU_UNSURE,
    neutral=RU_NEUTRAL,
    yes=RU_YES,
    no=RU_NO,
    goal_done=RU_GOAL_DONE,
    goal_started=RU_GOAL_STARTED,
    goal_partly=RU_GOAL_PARTLY,
    half=alts("половин* | наполовину | пополам"),
    goal_not_yet=RU_GOAL_NOT_YET,
    goal_later=RU_GOAL_LATER,
    feedback_replied=RU_FEEDBACK_REPLIED,
    feedback_not_yet=RU_FEEDBACK_NOT_YET,
    feedback_no_reply=RU_FEEDBACK_NO_REPLY,
    resource_took_it_in=RU_RESOURCE_TOOK_IT_IN,
    resource_skip=RU_RESOURCE_SKIP,
    sorry=alts("извини | извините | прости | сорри | сори"),
    moods=RU_MOOD_WORDS,
)


# --- Grammars -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grammar:
    """Everything about one language the reader needs besides its policy."""

    language: str
    lexicons: Mapping[ReplyTo, Lexicon]
    token: re.Pattern[str]
    number_words: Mapping[str, int]  # besides coaching.numbers' words (Spanish and Russian)
    not_a_count_before: frozenset[Phrase]
    not_a_count_after: frozenset[str]
    date_links: frozenset[str]  # "5 de diciembre": a date when a month follows the link
    pronoun_one: frozenset[str]  # "one" in "the last one"
    determiners: frozenset[str]
    articles: frozenset[str]  # "un 3": an article before a number, not a count
    auxiliaries: frozenset[str]
    subjects: frozenset[str]  # before a negation that answers by itself ("я не"), es/ru
    leading_negation_answers: bool  # "no lo hice", "не сделал": the negation comes first
    negation_after: frozenset[str]  # "I did not"
    trailing_negation: frozenset[str]  # "ответа всё ещё нет": a clause ending so is negated
    edge_weak: frozenset[str]  # weak answers only at a clause's start or end ("creo que no")
    clause_words: frozenset[str]
    clause_marks: frozenset[str]
    totals: tuple[Phrase, ...]  # between a count and its total: "4 of 5", "4 out of 5"
    more: frozenset[str]
    left_after: tuple[Phrase, ...]  # "2 left", "one to go"
    left_before: frozenset[Phrase]  # "me faltan 2", "осталось 2"
    percent: frozenset[str]
    emoji: Mapping[str, str]
    contractions: Mapping[str, str]
    rewrites: Mapping[Phrase, Phrase]
    not_typos: frozenset[str]
    typos: bool  # whether a word one letter from a lexicon word is read as it (not in Russian,
    # where that letter is most often an ending: "спросил" is not "спроси")
    vocabulary: frozenset[str] = frozenset()
    typo_targets: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()  # longest first
    longest: int = 1


def grammar(g: Grammar) -> Grammar:
    """`g` with the fields derived from its lexicons."""
    entries = [p for lex in g.lexicons.values() for p in lex.table]
    plain = frozenset(w for p in entries for w in p if not w.endswith("*"))
    vocabulary = plain | frozenset(g.number_words) | frozenset(w for p in g.rewrites for w in p)
    stems = {w[:-1] for p in entries for w in p if w.endswith("*")}
    return replace(
        g,
        vocabulary=vocabulary,
        typo_targets=tuple(sorted(w for w in plain | frozenset(g.number_words) if len(w) >= 6)),
        stems=tuple(sorted(stems, key=lambda s: (-len(s), s))),
        longest=max(len(p) for p in entries),
    )


ENGLISH_GRAMMAR = grammar(
    Grammar(
        language="en",
        lexicons=lexicons(ENGLISH_WORDS),
        token=re.compile(r"[0-9]+(?:\.[0-9]+)?|[a-z]+(?:'[a-z]+)*|[/%]|[,.!?;:()\n]"),
        number_words=NUMBER_WORDS,
        not_a_count_before=frozenset((w,) for w in NOT_A_COUNT_BEFORE),
        not_a_count_after=NOT_A_COUNT_AFTER,
        date_links=frozenset(),
        pronoun_one=frozenset({"one"}),
        determiners=DETERMINERS,
        articles=frozenset(),
        auxiliaries=AUXILIARIES,
        subjects=frozenset(),
        leading_negation_answers=False,
        negation_after=frozenset({"not"}),
        trailing_negation=frozenset(),
        edge_weak=frozenset(),
        clause_words=CLAUSE_WORDS,
        clause_marks=CLAUSE_MARKS,
        totals=(("of",), ("/",), ("from",), ("out", "of")),
        more=frozenset({"more"}),
        left_after=(("left",), ("remaining",), ("to", "go")),
        left_before=frozenset(),
        percent=frozenset({"%", "percent"}),
        emoji=EMOJI,
        contractions=CONTRACTIONS,
        rewrites={},
        not_typos=NOT_TYPOS,
        typos=True,
    )
)
_TOKEN_ES_RU = re.compile(r"[0-9]+(?:[.,][0-9]+)?|[^\W\d_]+|[/%]|[,.!?;:()\n¿¡]")
SPANISH_GRAMMAR = grammar(
    Grammar(
        language="es",
        lexicons=lexicons(SPANISH_WORDS),
        token=_TOKEN_ES_RU,
        number_words=ES_NUMBER_WORDS,
        not_a_count_before=ES_NOT_A_COUNT_BEFORE,
        not_a_count_after=ES_NOT_A_COUNT_AFTER,
        date_links=frozenset({"de"}),
        pronoun_one=frozenset(),
        determiners=frozenset(),
        articles=ES_ARTICLES,
        auxiliaries=frozenset(),
        subjects=frozenset(words("yo nosotros ellos ellas el ella pues bueno")),
        leading_negation_answers=True,
        negation_after=frozenset(),
        trailing_negation=frozenset(),
        edge_weak=frozenset({"no"}),
        clause_words=ES_CLAUSE_WORDS,
        clause_marks=CLAUSE_MARKS | frozenset("¿¡"),
        totals=(("de",), ("/",), ("sobre",), ("de", "los"), ("de", "las")),
        more=frozenset({"mas"}),
        left_after=(("pendientes",), ("por", "hacer"), ("por", "mandar"), ("que", "faltan")),
        left_before=frozenset(
            phrase(p)
            for p in alts(
                "falta | faltan | queda | quedan | faltan otras | faltan otros | falta solo "
                "| faltan solo | queda solo | quedan solo | falta nada mas | faltan nada mas"
            )
        ),
        percent=frozenset({"%"}),
        emoji=ES_EMOJI,
        contractions=ES_CONTRACTIONS,
        rewrites=ES_REWRITES,
        not_typos=frozenset(words("contexto termino")),
        typos=True,
    )
)
RUSSIAN_GRAMMAR = grammar(
    Grammar(
        language="ru",
        lexicons=lexicons(RUSSIAN_WORDS),
        token=_TOKEN_ES_RU,
        number_words={},
        not_a_count_before=RU_NOT_A_COUNT_BEFORE,
        not_a_count_after=RU_NOT_A_COUNT_AFTER,
        date_links=frozenset(),
        pronoun_one=frozenset(),
        determiners=frozenset(),
        articles=frozenset(),
        auxiliaries=frozenset(),
        subjects=RU_SUBJECTS,
        leading_negation_answers=True,
        negation_after=frozenset(),
        trailing_negation=frozenset({"нет"}),
        edge_weak=frozenset({"нет"}),
        clause_words=RU_CLAUSE_WORDS,
        clause_marks=CLAUSE_MARKS,
        totals=(("из",), ("/",), ("от",)),
        more=frozenset({"еще"}),
        left_after=(("осталось",), ("осталась",), ("остались",), ("еще", "осталось")),
        left_before=frozenset(
            phrase(p)
            for p in alts(
                "осталось | осталась | остались | осталось еще | осталась еще | остались еще "
                "| осталось всего | осталась всего | остались всего | осталась только "
                "| осталось только | остались только"
            )
        ),
        percent=frozenset({"%", "процентов", "процента", "процент"}),
        emoji=RU_EMOJI,
        contractions=RU_CONTRACTIONS,
        rewrites=RU_REWRITES,
        not_typos=frozenset(),
        typos=False,
    )
)
GRAMMARS: Mapping[str, Grammar] = {
    "en": ENGLISH_GRAMMAR,
    "es": SPANISH_GRAMMAR,
    "ru": RUSSIAN_GRAMMAR,
}


def grammar_for(language: str | None) -> Grammar:
    """The grammar of `language`, of the current language when None; English when unknown."""
    chosen = current_language() if language is None else language
    return GRAMMARS.get(chosen, ENGLISH_GRAMMAR)


# --- Tokens -------------------------------------------------------------------------------------

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
BREVE = "\u0306"  # "й" is "и" with a breve: kept, it is a letter of its own


def normalise(text: str, g: Grammar = ENGLISH_GRAMMAR) -> str:
    text = text[:MAX_CHARS]
    for emoji, word in g.emoji.items():
        text = text.replace(emoji, f" {word} ")
    return fold(text, g.language)


def fold(text: str, language: str) -> str:
    """Case and accents dropped, apostrophes straightened ("ё" as "е"; "й" kept)."""
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES).casefold())
    if language != "ru":
        return "".join(c for c in text if not unicodedata.combining(c))
    kept = "".join(
        c
        for k, c in enumerate(text)
        if not unicodedata.combining(c) or (c == BREVE and k > 0 and text[k - 1] == "и")
    )
    return unicodedata.normalize("NFC", kept)


def tokens(text: str, *, language: str | None = None) -> list[str]:
    """Words, numbers, "/" and "%", and clause marks, contractions spelt out."""
    g = grammar_for(language)
    if g.language != "en":
        return folded_tokens(text, g)
    out: list[str] = []
    for token in g.token.findall(normalise(text, g)):
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


def folded_tokens(text: str, g: Grammar) -> list[str]:
    """Spanish and Russian tokens: contractions spelt out, typos mended, rewrites applied."""
    found: list[str] = []
    for token in g.token.findall(normalise(text, g)):
        for word in g.contractions.get(token, token).split():
            found.append(canonical(word, g.language))
    if not g.rewrites:
        return found
    out: list[str] = []
    i = 0
    while i < len(found):
        for size in (3, 2, 1):
            new = g.rewrites.get(tuple(found[i : i + size]))
            if new is not None:
                out.extend(new)
                i += size
                break
        else:
            out.append(found[i])
            i += 1
    return out


@lru_cache(maxsize=8192)
def canonical(word: str, language: str = "en") -> str:
    """The lexicon word meant by `word`: itself, squeezed ("yesss"), or one typo away."""
    g = GRAMMARS[language]
    if word in g.vocabulary or not word.isalpha():
        return word
    if g.language != "en" and number(word, g) is not None:
        return word
    for squeezed in (re.sub(r"(.)\1{2,}", r"\1\1", word), re.sub(r"(.)\1+", r"\1", word)):
        if squeezed in g.vocabulary:
            return squeezed
    if not g.typos or len(word) < 5 or word in g.not_typos or stem_of(word, g.stems) != word:
        return word
    near = [t for t in g.typo_targets if abs(len(t) - len(word)) <= 1 and one_edit(word, t)]
    return near[0] if len(near) == 1 else word


@lru_cache(maxsize=16384)
def stem_of(word: str, stems: tuple[str, ...]) -> str:
    """`word` as the entry of the longest of `stems` it starts with ("сдела*"); else `word`."""
    for stem in stems:
        if word.startswith(stem):
            return stem + "*"
    return word


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


def clauses(words: list[str], g: Grammar = ENGLISH_GRAMMAR) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for word in words:
        if word in g.clause_marks or word in g.clause_words:
            out.append([])
        else:
            out[-1].append(word)
    return [c for c in out if c]


def number(word: str, g: Grammar = ENGLISH_GRAMMAR) -> float | None:
    if word in g.number_words:
        return float(g.number_words[word])
    if word[:1].isdigit() and len(word) <= 9:
        return float(word.replace(",", "."))
    if g.language != "en" and word.isalpha():
        value = number_word(word, g.language)
        return None if value is None else float(value)
    return None


# --- Scanning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: float
    total: float | None = None
    remaining: bool = False  # "2 left": the count is the target minus this
    percent: bool = False
    article: bool = False  # "una" in "solo una": a count, but no mood ("un poco bajoneado")


@dataclass
class Scan:
    strong: list[Intent] = field(default_factory=list)
    weak: list[Intent] = field(default_factory=list)
    moods: list[int] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    fractions: list[float] = field(default_factory=list)
    unsure: bool = False


def scan(words: list[str], lex: Lexicon, g: Grammar = ENGLISH_GRAMMAR) -> Scan:
    found = Scan()
    for clause in clauses(words, g):
        scan_clause(clause, lex, found, g)
    return found


def match(clause: list[str], i: int, lex: Lexicon, g: Grammar) -> tuple[Cue, int] | None:
    for size in range(min(g.longest, len(clause) - i), 0, -1):
        said = tuple(clause[i : i + size])
        cue = lex.table.get(said)
        if cue is None and lex.stems:
            cue = lex.table.get(tuple(stem_of(w, lex.stems) for w in said))
        if cue is not None:
            return cue, i + size
    return None


def scan_clause(clause: list[str], lex: Lexicon, found: Scan, g: Grammar) -> None:
    """Add one clause's cues and numbers to `found`, negations and qualifiers applied."""
    marker: Marker | None = None  # the latest negation or future in the clause
    marker_used = True  # whether it turned a positive round (or was an answer by itself)
    governed = False  # whether a qualifier came earlier: it absorbs the positives after it
    if len(clause) > 1 and clause[-1] in g.trailing_negation:
        marker = "neg"  # Russian "X нет": there is no X ("прогресса нет", "ответа пока нет")
    i = 0
    while i < len(clause):
        hit = match(clause, i, lex, g)
        if hit is None:
            read = read_number(clause, i, g)
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
            if end < len(clause) and clause[end] in g.negation_after:  # "I did not"
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
            if i == 0 or end == len(clause) or clause[i] not in g.edge_weak:
                found.weak.append(cue.intent)
        elif cue.role == "unsure":
            found.unsure = True
        if cue.marker is not None:
            marker = cue.marker
            # A negation left over is an answer only after a verb of doing ("I didn't", "they
            # haven't") or on its own ("not me"); "it is not about..." is no answer. Where the
            # negation comes before the verb ("no lo hice", "не сделал") it answers when it
            # opens the clause or follows its subject ("я не").
            answers = (
                (i > 0 and clause[i - 1] in g.auxiliaries)
                or len(clause) <= 2
                or (g.leading_negation_answers and (i == 0 or clause[i - 1] in g.subjects))
            )
            marker_used = cue.intent is not None or not answers
        i = end
    if not marker_used and marker in ("neg", "never") and lex.positive is not None:
        flipped = lex.flips.get((marker, lex.positive))
        if flipped is not None:
            found.weak.append(flipped)


def ends_with(said: list[str], phrases: frozenset[Phrase]) -> bool:
    return any(len(p) <= len(said) and tuple(said[len(said) - len(p) :]) == p for p in phrases)


def read_number(
    clause: list[str], i: int, g: Grammar = ENGLISH_GRAMMAR
) -> tuple[Number, int] | None:
    """The number at `i` with its "of 5", "left" or "%", and where reading stops; or None."""
    value = number(clause[i], g)
    if value is None:
        return None
    before = clause[i - 1] if i > 0 else ""
    after = clause[i + 1] if i + 1 < len(clause) else ""
    if ends_with(clause[:i], g.not_a_count_before) or after in g.not_a_count_after:
        return None
    if after in g.date_links and clause[i + 2 : i + 3] and clause[i + 2] in g.not_a_count_after:
        return None
    if clause[i] in g.pronoun_one and before in g.determiners:
        return None
    if clause[i] in g.articles and after and number(after, g) is not None:
        return None
    if ends_with(clause[:i], g.left_before):
        return Number(value, remaining=True), i + 1
    if clause[i] in g.articles:
        return Number(value, article=True), i + 1
    j = i + 1
    rest = clause[j : j + 3]
    for link in g.totals:
        size = len(link)
        if tuple(rest[:size]) == link and len(rest) > size and number(rest[size], g) is not None:
            return Number(value, total=number(rest[size], g)), j + size + 1
    if rest[:1] and rest[0] in g.more:
        rest, j = rest[1:], j + 1
    for link in g.left_after:
        if tuple(rest[: len(link)]) == link:
            return Number(value, remaining=True), j + len(link)
    if after in g.percent:
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


def read_reply(
    text: str, to: ReplyTo, target: int | None = None, *, language: str | None = None
) -> Reading:
    """What a typed reply to the `to` check-in means; see the module docstring for the rules.

    `target` is the goal's number ("Apply to 5 roles": 5), when it has one. `language` is the
    reply's ("en", "es", "ru"); None means the current one (`coaching.language`).
    """
    try:
        to = ReplyTo(to)
        g = grammar_for(language)
        reading = read(str(text), to, target if target is not None and target > 0 else None, g)
    except (ValueError, OverflowError, RecursionError):  # a last guard: never raise on input
        return UNSURE
    return reading if reading.intent in INTENTS[to] else UNSURE


def read(text: str, to: ReplyTo, target: int | None, g: Grammar) -> Reading:
    found = scan(tokens(text, language=g.language), g.lexicons[to], g)
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
        and looks_like_a_takeaway(text, language=g.language)
    ):
        return Reading(Intent.TOOK_IT_IN)
    return Reading(intent)


def looks_like_a_takeaway(text: str, *, language: str | None = None) -> bool:
    """Whether a reply with no cue reads as what the person took from a resource: a statement
    of nine words or more. `language`: None means the current one."""
    statement = not text.strip().endswith("?")
    return statement and sum(w.isalpha() for w in tokens(text, language=language)) >= 9


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
    values = {
        (n.value, n.total)
        for n in found.numbers
        if not n.percent and not n.remaining and not n.article
    }
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
