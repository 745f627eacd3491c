"""Reading a hirer's pasted feedback: what to practise, and when they said to try again.

`reply_points` finds what the reply asks the person to work on (a common theme such as system
design or coding speed, or the sentence itself when no theme fits); `feedback_actions` turns
those into short imperative plan actions (texts: prompts/feedback/practice.html). `reapply_date`
finds a date in the reply ("apply again in 6 months", "we'll keep your CV on file for a year",
"after March") for a dated reminder. All pure. English here; Spanish and Russian with the
words of `coaching.reply_words` (a reply is read in the person's language: `language`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

from dateutil.relativedelta import relativedelta

from coaching.feedback import PlainRenderer
from coaching.language import ENGLISH, LANGUAGES, current_language
from coaching.reply_words import RUSSIAN, SPANISH, ReplyWords

MAX_ACTIONS = 3
MAX_ACTION_LENGTH = 200
MIN_SENTENCE_LENGTH = 12
MAX_INPUT = 8000
"""Longer pasted text is read up to this many characters (a reply is never this long)."""
MAX_REAPPLY_YEARS = 3
"""A date further ahead than this is not taken as a reminder."""

PRACTICE_TEMPLATE = "feedback/practice"
FALLBACK_TEMPLATE = "checkin/feedback_action"


class Topic(StrEnum):
    """A common theme of interview feedback (the value is the template's `topic`)."""

    SYSTEM_DESIGN = "system_design"
    ALGORITHMS = "algorithms"
    CODING_SPEED = "coding_speed"
    PROBLEM_SOLVING = "problem_solving"
    COMMUNICATION = "communication"
    TECHNOLOGY = "technology"
    TESTING = "testing"
    CODE_QUALITY = "code_quality"
    EXPERIENCE = "experience"
    CULTURE_FIT = "culture_fit"
    BEHAVIOURAL = "behavioural"
    LEADERSHIP = "leadership"
    DOMAIN = "domain"
    PREPARATION = "preparation"
    CONFIDENCE = "confidence"
    CV = "cv"


@dataclass(frozen=True)
class Point:
    """One thing the reply asks to work on: a topic (with the technology named, for
    TECHNOLOGY), or, when no topic fits, the sentence itself (`topic` None)."""

    topic: Topic | None
    detail: str = ""


class ReapplyReason(StrEnum):
    """Why a date in the reply matters."""

    APPLY_AGAIN = "apply_again"
    """They suggested applying again then ("apply again in 6 months")."""
    CV_ON_FILE = "cv_on_file"
    """They keep the CV on file until then ("we'll keep your CV for a year")."""


@dataclass(frozen=True)
class Reapply:
    """A date the reply names for trying again."""

    on: date
    reason: ReapplyReason
    phrase: str
    """The words it was read from, as written."""


# --- Topics -------------------------------------------------------------------------------------

_I = re.IGNORECASE
_TECHNOLOGIES: tuple[tuple[str, str], ...] = (
    ("Kubernetes", r"kubernetes|k8s"),
    ("Docker", r"docker|containeri[sz]\w*"),
    ("AWS", r"aws|amazon web services"),
    ("Azure", r"azure"),
    ("GCP", r"gcp|google cloud"),
    ("cloud deployments", r"cloud(?: deployments?| infrastructure| platforms?| services)?"),
    ("React", r"react(?:\.js|js)?"),
    ("Angular", r"angular"),
    ("TypeScript", r"typescript"),
    ("JavaScript", r"javascript"),
    ("Python", r"python"),
    ("Java", r"java(?!script)"),
    ("Go", r"golang"),
    ("Rust", r"rust"),
    ("C++", r"c\+\+"),
    ("C#", r"c#|\.net"),
    ("SQL", r"sql|postgres(?:ql)?|mysql|databases?"),
    ("Kafka", r"kafka"),
    ("Spark", r"spark"),
    ("Terraform", r"terraform"),
    ("Linux", r"linux"),
    ("CI/CD", r"ci/cd|continuous integration|devops"),
    ("microservices", r"micro-?services"),
    ("GraphQL", r"graphql"),
    ("APIs", r"rest(?:ful)? apis?|api design"),
    ("machine learning", r"machine learning|\bml\b|deep learning"),
    ("Excel", r"excel"),
    ("Tableau", r"tableau|power bi"),
    ("Figma", r"figma"),
    ("Node.js", r"node(?:\.js|js)"),
    ("iOS", r"ios|swift"),
    ("Android", r"android|kotlin"),
)
_TECH = [
    (name, re.compile(rf"(?<![\w+#]){pattern}(?![\w+#])", _I)) for name, pattern in _TECHNOLOGIES
]

_TOPICS: tuple[tuple[Topic, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(pattern, _I))
    for topic, pattern in (
        (
            Topic.SYSTEM_DESIGN,
            r"system[- ]?design|architect\w*|scalab\w*|distributed systems?|"
            r"(?:high|low)[- ]level design|design (?:round|interview|question|problem)s?|"
            r"designing (?:large|systems|services)",
        ),
        (
            Topic.ALGORITHMS,
            r"algorithm\w*|data[- ]structures?|leetcode|big[- ]o|time complexity|"
            r"dynamic programming|recursion|\bgraphs?\b",
        ),
        (
            Topic.CODING_SPEED,
            r"\bspeed\b|faster|too slow|slow(?:er|ly)?\b|ran out of time|run(?:ning)? out of time|"
            r"time (?:pressure|management|limit)|(?:didn't|did not|couldn't|could not|"
            r"not) (?:quite )?(?:finish|complete)|\bincomplete\b|within the time",
        ),
        (
            Topic.PROBLEM_SOLVING,
            r"problem[- ]solving|clarifying questions|ask(?:ing|ed)? (?:more |enough )?questions|"
            r"trade[- ]?offs?|break(?:ing)? (?:it |the problem )?down|edge of the problem|"
            r"jump(?:ed|ing)? (?:straight )?(?:in|into)",
        ),
        (
            Topic.COMMUNICATION,
            r"communicat\w*|explain\w*|articulat\w*|think(?:ing)? (?:out loud|aloud)|clarity|"
            r"unclear|hard to follow|concise\w*|rambl\w*|verbose|structur\w* (?:of )?(?:your )?"
            r"answers?|presentation skills|walk(?:ed|ing)? (?:us )?through|too long\b|"
            r"too wordy|long-winded",
        ),
        (
            Topic.TESTING,
            r"\btesting\b|unit tests?|\btdd\b|test coverage|edge cases?|writing tests|"
            r"automated tests?|\bdebug\w*",
        ),
        (
            Topic.CODE_QUALITY,
            r"code quality|clean(?:er)? code|readab\w*|maintainab\w*|refactor\w*|"
            r"best practices|code structure|naming|code review",
        ),
        (
            Topic.CULTURE_FIT,
            r"cultur\w*|team fit|\bfit\b|our values|collaborat\w*|teamwork|team player|"
            r"stakeholders?|working with others|interpersonal",
        ),
        (
            Topic.BEHAVIOURAL,
            r"behaviou?ral|\bstar\b(?! candidate)|(?:specific|concrete|real) examples?|"
            r"examples? from your|situational|competenc\w*",
        ),
        (
            Topic.LEADERSHIP,
            r"leadership|lead(?:ing)? (?:a |the )?(?:team|project)s?|ownership|mentor\w*|"
            r"\binitiative\b|people management",
        ),
        (
            Topic.DOMAIN,
            r"domain (?:knowledge|expertise|experience)|industry knowledge|"
            r"product (?:sense|thinking)|"
            r"business (?:understanding|acumen|context|knowledge)|commercial awareness|"
            r"understanding of (?:our|the) (?:product|business|market|industry|domain)",
        ),
        (
            Topic.PREPARATION,
            r"prepar\w*|research\w* (?:the|our|about the) company|knowledge of (?:our|the) company|"
            r"why you (?:wanted|want)|motivation for|about (?:our|the) company|our mission",
        ),
        (
            Topic.CONFIDENCE,
            r"confiden\w*|nervous\w*|hesita\w*|assertive\w*|self-doubt",
        ),
        (
            Topic.EXPERIENCE,
            r"(?:more|enough|relevant|hands-on|industry|commercial|professional|production|"
            r"real-world|practical|prior|previous|direct) (?:\w+ )?experience|"
            r"experience (?:level|with|in|of)|years of experience|level of experience|"
            r"(?:more )?senior(?:ity)?\b|too junior|more experienced|track record|"
            r"(?:lack|lacked|lacking|limited|not enough|insufficient|less) (?:\w+ ){0,2}experience|"
            r"background (?:was|is|in)|depth of experience",
        ),
        (Topic.CV, r"\bcv\b|r[eé]sum[eé]|portfolio"),
    )
)
# Generic topics, left out when a specific one was found in the same sentence ("more experience
# with cloud deployments" is about the cloud; "your CV is on file" is not a CV gap).
_GENERIC = (Topic.EXPERIENCE, Topic.CV)

# Words that mark a clause as a gap or advice (not praise, thanks or news).
_GAP = re.compile(
    r"\b(?:improv\w*|practi[cs]\w*|strengthen\w*|lack\w*|more(?! than)|less|deeper|depth|better|"
    r"work(?:ing)? on|focus\w*|gain\w*|build\w*|learn\w*|develop\w*|brush(?:ing)? up|"
    r"recommend\w*|suggest\w*|advis\w*|weak\w*|gaps?|missing|limited|insufficient|"
    r"not enough|needs?|needed|should|could|would have|would like to see|looking for|"
    r"struggl\w*|slow\w*|unclear|hard to|difficult\w*|concern\w*|fell short|short of|"
    r"too (?=\w)|aim to|try to|make sure|hadn't|had not|haven't|don't|doesn't|didn't|"
    r"did not|wasn't|was not|weren't|were not|couldn't|could not|"
    r"not (?:quite|yet|as|fully|clear|strong|sure)|below|room for|expected|"
    r"ran out|run out|incomplete|jump(?:ed)?|rambl\w*|hesita\w*|nervous\w*|"
    r"polish\w*|sharpen\w*|refresh\w*|review\w*|read up|deepen\w*)\b",
    _I,
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet|whereas)\b|;", _I)
_ABOUT_APPLYING = re.compile(
    r"\b(?:re-?appl\w*|apply\w*|applications?|appl(?:ied|ying)|cv|r[eé]sum[eé]|on file|"
    r"talent pool|future (?:roles|openings|opportunities|vacancies)|reach out|get in touch|"
    r"keep in touch|contact you|good luck|best of luck|all the best)\b",
    _I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|\s*[•·]\s*|(?:^|\n)\s*[-*]\s+")
_STRIP = " -*\"'“”‘’"


def reply_points(text: str, *, language: str | None = None) -> list[Point]:
    """What the hirer's reply asks to work on, at most MAX_ACTIONS, in the reply's order and
    without repeats: a topic per clause that names a gap or gives advice, or the clause itself
    when it names no topic (clauses about applying again or the CV on file are left out).
    `language` is the reply's (None: the current one)."""
    reader = _reader(language)
    found: list[Point] = []
    for clause in _clauses(text, reader):
        folded = reader.fold(clause)
        if len(clause) < MIN_SENTENCE_LENGTH or not reader.gap.search(folded):
            continue
        points = _topics(folded, reader)
        if not points:
            if reader.about_applying.search(folded):
                continue
            points = [Point(None, _shorten(clause[:1].upper() + clause[1:]))]
        for point in points:
            if _is_new(point, found):
                found.append(point)
            if len(found) == MAX_ACTIONS:
                return found
    return found


def feedback_actions(
    text: str, prompts: PlainRenderer, *, language: str | None = None
) -> list[str]:
    """One to three short imperative plan actions from pasted feedback (texts:
    prompts/feedback/practice.html, in the current language); the single fallback action when
    it names nothing to work on. Each at most MAX_ACTION_LENGTH characters. `language` is the
    reply's (None: the current one)."""
    actions: list[str] = []
    for point in reply_points(text, language=language):
        action = _shorten(
            " ".join(
                prompts.render_plain(
                    PRACTICE_TEMPLATE,
                    topic=point.topic.value if point.topic else None,
                    detail=point.detail,
                ).split()
            )
        )
        if action and action.casefold() not in {a.casefold() for a in actions}:
            actions.append(action)
    return actions or [_shorten(" ".join(prompts.render_plain(FALLBACK_TEMPLATE).split()))]


def _topics(clause: str, reader: _Reader) -> list[Point]:
    """The topics a clause names, in the order it names them."""
    found: list[tuple[int, Point]] = []
    for name, pattern in reader.technologies:
        if match := pattern.search(clause):
            found.append((match.start(), Point(Topic.TECHNOLOGY, name)))
    for topic, pattern in reader.topics:
        if match := pattern.search(clause):
            found.append((match.start(), Point(topic)))
    points = [point for _, point in sorted(found, key=lambda item: item[0])]
    if reader.about_applying.search(clause):  # "we'll keep your CV on file" is no CV gap
        points = [p for p in points if p.topic is not Topic.CV]
    if any(p.topic not in _GENERIC for p in points):
        points = [p for p in points if p.topic not in _GENERIC]
    return points


def _is_new(point: Point, found: list[Point]) -> bool:
    if point.topic is None:
        return all(p.detail.casefold() != point.detail.casefold() for p in found)
    if point.topic is Topic.TECHNOLOGY:
        return point not in found
    return all(p.topic is not point.topic for p in found)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text[:MAX_INPUT]).replace("\r", "\n")


def _clauses(text: str, reader: _Reader) -> list[str]:
    clauses: list[str] = []
    for part in _SENTENCE_END.split(_normal(text)):
        sentence = " ".join(part.split()).strip(_STRIP + "¡¿")
        for clause in _split_on(reader.contrast, sentence, reader):
            cleaned = clause.strip(_STRIP + ",")
            if cleaned:
                clauses.append(cleaned)
    return clauses


def _split_on(pattern: re.Pattern[str], sentence: str, reader: _Reader) -> list[str]:
    """`sentence` cut where `pattern` matches its folded form (the parts as written)."""
    folded = reader.fold(sentence)
    if len(folded) != len(sentence):
        return pattern.split(sentence)
    parts: list[str] = []
    start = 0
    for match in pattern.finditer(folded):
        parts.append(sentence[start : match.start()])
        start = match.end()
    parts.append(sentence[start:])
    return parts


def _shorten(sentence: str) -> str:
    if len(sentence) <= MAX_ACTION_LENGTH:
        return sentence
    cut = sentence[: MAX_ACTION_LENGTH - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


# --- Dates ----------------------------------------------------------------------------------------

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty-four": 24, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a few": 3, "few": 3, "several": 6, "half a": 0,
}  # fmt: skip
_NUMBER = (
    r"(?:\d{1,3}|a couple(?: of)?|couple of|a few|few|several|half a|"
    + "|".join(sorted((w for w in _WORDS if " " not in w), key=len, reverse=True))
    + ")"
)
_UNIT = r"(?:days?|weeks?|months?|years?)"
_SPAN = re.compile(
    rf"\b(?:(?:in|after|for|within|wait(?:ing)?|another|around|about|least|of|over)\s+"
    rf"(?:(?:the\s+)?(?:next|coming|another|about|around|roughly|approximately|at least)\s+)?)"
    rf"(?P<n>{_NUMBER})(?:\s*(?:-|–|to|or)\s*{_NUMBER})?[\s-]+(?P<unit>{_UNIT})\b|"
    rf"\b(?P<n2>{_NUMBER})(?:\s*(?:-|–|to|or)\s*{_NUMBER})?[\s-]+(?P<unit2>{_UNIT})"
    rf"(?:'s|’s)?\s+(?:from now|from today|later|time|cool(?:ing)?[- ]?(?:off|down)|"
    rf"waiting period|wait)\b|\b(?P<half>half a year)\b",
    _I,
)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = r"(?:" + "|".join(m[:3] + (m[3:] and f"(?:{m[3:]})?") for m in _MONTHS) + r")\b\.?"
_MONTH_PHRASE = re.compile(
    rf"\b(?P<prep>after|from|in|by|until|around|early|mid|end of|beginning of|start of|"
    rf"in early|in mid|in late|late)\s+(?:-\s*)?(?P<month>{_MONTH})(?:\s+(?P<year>20\d\d))?",
    _I,
)
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_PHRASE = re.compile(
    r"\b(?P<prep>after|in|from|by|over|during)\s+the\s+(?P<season>spring|summer|autumn|fall|"
    r"winter)\b",
    _I,
)
_NEXT_YEAR = re.compile(
    r"\b(?:next year|in the new year|early next year|the following year|next calendar year)\b",
    _I,
)
_NEXT_QUARTER = re.compile(r"\bnext quarter\b", _I)
_DATE_CONTEXT = re.compile(
    r"\b(?:re-?appl\w*|apply\w*|appl(?:ied|ying|ications?)|again|cv|r[eé]sum[eé]|on file|"
    r"file|keep|kept|hold|talent pool|database|reach out|get in touch|be in touch|contact|"
    r"touch base|openings?|vacanc\w*|opportunit\w*|hiring|hire|consider\w*|future|"
    r"let you know|reconsider|revisit|roles? open|positions? open)\b",
    _I,
)
_CV_CONTEXT = re.compile(
    r"\b(?:cv|r[eé]sum[eé]|on file|file|talent pool|database|keep|kept|hold|let you know|"
    r"contact you|reach out to you|be in touch)\b",
    _I,
)
_APPLY_CONTEXT = re.compile(r"\b(?:re-?appl\w*|apply\w*|applications?|try again)\b", _I)


def reapply_date(text: str, today: date, *, language: str | None = None) -> Reapply | None:
    """The date the reply names for trying again, if any: the first day after `today` it
    points to ("in 6 months", "reapply next year", "after March", "we'll keep your CV on file
    for a year"), in a sentence about applying, the CV, openings or being in touch. A
    suggestion to apply again wins over the CV kept on file; among equals, the earliest.
    `language` is the reply's (None: the current one)."""
    reader = _reader(language)
    found: list[Reapply] = []
    for sentence in _SENTENCE_END.split(_normal(text)):
        for clause in _split_on(reader.contrast, sentence, reader):
            if clause and reader.date_context.search(reader.fold(clause)):
                found += _dates_in(clause, today, reader)
    limit = today + relativedelta(years=MAX_REAPPLY_YEARS)
    usable = [r for r in found if today < r.on <= limit]
    if not usable:
        return None
    return min(usable, key=lambda r: (r.reason is not ReapplyReason.APPLY_AGAIN, r.on))


def _dates_in(clause: str, today: date, reader: _Reader) -> list[Reapply]:
    folded = reader.fold(clause)
    reason = (
        ReapplyReason.CV_ON_FILE
        if reader.cv_context.search(folded) and not reader.apply_context.search(folded)
        else ReapplyReason.APPLY_AGAIN
    )
    found: list[tuple[date, tuple[int, int]]] = []
    for match in reader.span.finditer(folded):
        day = _after_span(match, today, reader)
        if day is not None:
            found.append((day, match.span()))
    for match in reader.month_phrase.finditer(folded):
        found.append((_month_day(match, today, reader), match.span()))
    for match in reader.season_phrase.finditer(folded):
        month = reader.season_month(match["season"])
        after = (match["prep"] or "").lower() in reader.after_season
        found.append((_month_start(today, month + 3 if after else month), match.span()))
    for match in reader.next_year.finditer(folded):
        found.append((date(today.year + 1, 1, 1), match.span()))
    for match in reader.next_quarter.finditer(folded):
        quarter_start = (today.month - 1) // 3 * 3 + 1
        found.append((date(today.year, quarter_start, 1) + relativedelta(months=3), match.span()))
    return [
        Reapply(day, reason, " ".join(_as_written(clause, folded, where).split()).rstrip("."))
        for day, where in found
    ]


def _as_written(clause: str, folded: str, where: tuple[int, int]) -> str:
    """The words at `where` in the folded clause, as the clause has them."""
    start, end = where
    return clause[start:end] if len(clause) == len(folded) else folded[start:end]


def _after_span(match: re.Match[str], today: date, reader: _Reader) -> date | None:
    if match["half"]:
        return today + relativedelta(months=6)
    words = " ".join((match["n"] or match["n2"] or "").lower().split())
    unit = reader.unit_of((match["unit"] or match["unit2"] or "").lower())
    if words == "half a" or (words and reader.numbers.get(words) == 0):  # "medio año"
        return today + relativedelta(months=6) if unit == "year" else None
    if not words:  # Russian "через год", "в течение года": one
        count: int | None = 1 if reader.language != ENGLISH else None
    else:
        count = int(words) if words.isdigit() else reader.numbers.get(words)
    if not count:
        return None
    return today + _span(unit, count)


def _span(unit: str, count: int) -> relativedelta:
    if unit == "day":
        return relativedelta(days=count)
    if unit == "week":
        return relativedelta(weeks=count)
    if unit == "month":
        return relativedelta(months=count)
    return relativedelta(years=count)


def _month_day(match: re.Match[str], today: date, reader: _Reader) -> date:
    month = reader.month_of(match["month"].lower().rstrip("."))
    prep = " ".join(match["prep"].lower().split())
    after = reader.after_month(prep)
    if match["year"]:
        start = date(int(match["year"]), month, 1)
        return start + relativedelta(months=1) if after else start
    if after:
        return _month_start(today, month + 1, strictly_after=month)
    return _month_start(today, month)


def _month_start(today: date, month: int, strictly_after: int | None = None) -> date:
    """The first day of `month` (13 is next January...) at its next occurrence after today;
    with `strictly_after`, the day after that month's next (or current) occurrence ends."""
    if strictly_after is not None:
        year = today.year if today.month <= strictly_after else today.year + 1
        return date(year, strictly_after, 1) + relativedelta(months=1)
    month = (month - 1) % 12 + 1
    year = today.year if today.month < month else today.year + 1
    if today.month == month:
        return today + timedelta(days=1)
    return date(year, month, 1)


# --- The words of each language -------------------------------------------------------------


@dataclass(frozen=True)
class _Reader:
    """The compiled patterns a reply is read with in one language (`ReplyWords` for Spanish
    and Russian; the patterns above for English)."""

    language: str
    technologies: list[tuple[str, re.Pattern[str]]]
    topics: tuple[tuple[Topic, re.Pattern[str]], ...]
    gap: re.Pattern[str]
    contrast: re.Pattern[str]
    about_applying: re.Pattern[str]
    numbers: Mapping[str, int]
    units: Mapping[str, str]
    span: re.Pattern[str]
    months: tuple[re.Pattern[str], ...]
    month_phrase: re.Pattern[str]
    after_months: frozenset[str]
    seasons: Mapping[str, int]
    season_phrase: re.Pattern[str]
    after_season: frozenset[str]
    next_year: re.Pattern[str]
    next_quarter: re.Pattern[str]
    date_context: re.Pattern[str]
    cv_context: re.Pattern[str]
    apply_context: re.Pattern[str]
    words: ReplyWords | None

    def fold(self, text: str) -> str:
        return text if self.words is None else self.words.fold(text)

    def unit_of(self, word: str) -> str:
        if self.words is None:
            return word.rstrip("s")
        return next(unit for start, unit in self.units.items() if word.startswith(start))

    def month_of(self, name: str) -> int:
        if self.words is None:
            return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name[:3]))
        return next(i for i, p in enumerate(self.months, 1) if p.match(name))

    def after_month(self, prep: str) -> bool:
        if self.words is None:
            return prep == "after" or prep.startswith("end of") or "late" in prep
        return prep in self.after_months

    def season_month(self, word: str) -> int:
        folded = word.lower()
        return next(month for start, month in self.seasons.items() if folded.startswith(start))


_ENGLISH = _Reader(
    language=ENGLISH,
    technologies=_TECH,
    topics=_TOPICS,
    gap=_GAP,
    contrast=_CONTRAST,
    about_applying=_ABOUT_APPLYING,
    numbers=_WORDS,
    units={},
    span=_SPAN,
    months=(),
    month_phrase=_MONTH_PHRASE,
    after_months=frozenset(),
    seasons=_SEASONS,
    season_phrase=_SEASON_PHRASE,
    after_season=frozenset({"after"}),
    next_year=_NEXT_YEAR,
    next_quarter=_NEXT_QUARTER,
    date_context=_DATE_CONTEXT,
    cv_context=_CV_CONTEXT,
    apply_context=_APPLY_CONTEXT,
    words=None,
)


def _compiled(words: ReplyWords) -> _Reader:
    number = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words.numbers, key=len, reverse=True)
    )
    number = rf"(?:\d{{1,3}}|{number})"
    months = "|".join(words.months)
    technologies = [
        (
            words.technology_names.get(name, name),
            re.compile(rf"(?<![\w+#])(?:{pattern}|{words.technologies[name]})(?![\w+#])", _I)
            if name in words.technologies
            else re.compile(rf"(?<![\w+#]){pattern}(?![\w+#])", _I),
        )
        for name, pattern in _TECHNOLOGIES
    ]
    return _Reader(
        language=words.language,
        technologies=technologies,
        topics=tuple((Topic(topic), re.compile(pattern, _I)) for topic, pattern in words.topics),
        gap=re.compile(words.gap, _I),
        contrast=re.compile(words.contrast, _I),
        about_applying=re.compile(words.about_applying, _I),
        numbers=words.numbers,
        units=words.units,
        span=re.compile(words.span.format(NUM=number, UNIT=words.unit), _I),
        months=tuple(re.compile(month, _I) for month in words.months),
        month_phrase=re.compile(words.month_phrase.format(MONTH=f"(?:{months})"), _I),
        after_months=words.after_month,
        seasons=words.seasons,
        season_phrase=re.compile(words.season_phrase, _I),
        after_season=words.after_season,
        next_year=re.compile(words.next_year, _I),
        next_quarter=re.compile(words.next_quarter, _I),
        date_context=re.compile(words.date_context, _I),
        cv_context=re.compile(words.cv_context, _I),
        apply_context=re.compile(words.apply_context, _I),
        words=words,
    )


@cache
def _reader_for(language: str) -> _Reader:
    if language == "es":
        return _compiled(SPANISH)
    if language == "ru":
        return _compiled(RUSSIAN)
    return _ENGLISH


def _reader(language: str | None) -> _Reader:
    chosen = current_language() if language is None else language
    return _reader_for(chosen if chosen in LANGUAGES else ENGLISH)
