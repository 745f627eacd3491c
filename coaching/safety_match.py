"""How the crisis screen files its rules, and the matching loop of the Spanish and Russian rules.

Dispatch (used by all three languages): one alternation of all the rules, tried at every word,
costs milliseconds. Instead every rule is filed under the words it can start with ("kill",
"killing", "i"), worked out once from its parse tree; a rule that starts with a stem
("suicid\\w*") is filed under the stem's first three letters. At each word of a message only the
rules filed under it are tried, as one alternation in rule order, so the first rule that matches
at a place still wins. A rule whose first word cannot be worked out is tried at every word.

Matching (coaching/safety_es.py, safety_ru.py): a language gives its rules as (category, signal,
regular expression) over its own normalised text: words separated by one space, " . " between
sentences. As in the English screen, figures of speech (category None) come first and their
words are then skipped; then CRISIS rules, then CHECK rules. A match right after a negation (the
language's `negated`, searched on the words before it in the same sentence) counts for nothing,
and so does one right before a negation that is about it (`negated_after`, Russian "убивать себя
не собираюсь").
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from coaching.safety_types import NOTHING, Category, CrisisSignal, Screening, stronger

Rule = tuple[Category | None, CrisisSignal, str]

_LOOK_BACK = 8  # words before a match searched for a negation
_LOOK_AHEAD = 4  # words after it, for a negation that follows

# --- Dispatch ---------------------------------------------------------------------------------

STEM_LENGTH = 3
_MAX_WORD = 40


@dataclass(frozen=True)
class _Heads:
    words: frozenset[str] = frozenset()  # whole first words
    stems: frozenset[str] = frozenset()  # first words that go on with a pattern ("suicid\w*")
    open: frozenset[str] = frozenset()  # first words still being read


def first_words(pattern: str) -> _Heads | None:
    """How a match of `pattern` can start; None if it cannot tell (an empty start, or a "\\w+")."""
    try:
        parser = importlib.import_module("re._parser")
        heads = _walk(list(parser.parse(pattern)), frozenset({""}))
    except Exception:  # a private module: if it changes, the rules are tried everywhere
        return None
    if heads is None or "" in heads.open:
        return None
    return _Heads(heads.words | heads.open, heads.stems)


def _walk(items: list[Any], prefixes: frozenset[str]) -> _Heads | None:
    found = _Heads()
    for item in items:
        following: list[_Heads | None] = [_step(item, prefix) for prefix in prefixes]
        step = _union(following)
        if step is None:
            return None
        found = _Heads(found.words | step.words, found.stems | step.stems)
        prefixes = step.open
        if not prefixes:
            break
    return _Heads(found.words, found.stems, prefixes)


def _step(item: Any, prefix: str) -> _Heads | None:
    op, arg = item
    name = str(op)
    if name == "LITERAL":
        if chr(arg) == " ":
            return _Heads(words=frozenset({prefix})) if prefix else None
        grown = prefix + chr(arg)
        return _Heads(open=frozenset({grown})) if len(grown) <= _MAX_WORD else None
    if name in {"AT", "ASSERT", "ASSERT_NOT"}:
        return _Heads(open=frozenset({prefix}))
    if name == "SUBPATTERN":
        return _walk(list(arg[3]), frozenset({prefix}))
    if name == "BRANCH":
        return _union([_walk(list(branch), frozenset({prefix})) for branch in arg[1]])
    if name == "IN" and all(str(o) == "LITERAL" for o, _ in arg):
        return _union([_step(literal, prefix) for literal in arg])
    if name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
        low, high, body = arg
        results: list[_Heads | None] = [_Heads(open=frozenset({prefix}))] if low == 0 else []
        current = frozenset({prefix})
        for count in range(1, min(high, 3) + 1):
            heads = _walk(list(body), current)
            if heads is None:
                return None
            results.append(heads if count >= low else _Heads(heads.words, heads.stems))
            current = heads.open
            if not current:
                break
        else:
            if current and high > 3:  # could go on repeating: read it as a stem
                results.append(_stem(current))
        return _union(results)
    return _stem(frozenset({prefix}))  # "\w", "." and the like: the word goes on with a pattern


def _stem(prefixes: frozenset[str]) -> _Heads | None:
    if any(len(prefix) < STEM_LENGTH for prefix in prefixes):
        return None
    return _Heads(stems=frozenset(prefix[:STEM_LENGTH] for prefix in prefixes))


def _union(parts: Sequence[_Heads | None]) -> _Heads | None:
    if any(part is None for part in parts):
        return None
    heads = [part for part in parts if part is not None]
    return _Heads(
        frozenset().union(*(h.words for h in heads)),
        frozenset().union(*(h.stems for h in heads)),
        frozenset().union(*(h.open for h in heads)),
    )


def dispatch(
    patterns: Sequence[str],
) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """The rules (indices into `patterns`) to try at a word, by whole word and by stem."""
    by_word: dict[str, set[int]] = {}
    by_stem: dict[str, set[int]] = {}
    everywhere: set[int] = set()
    for index, pattern in enumerate(patterns):
        heads = first_words(pattern)
        if heads is None:
            everywhere.add(index)
            continue
        for word in heads.words:
            by_word.setdefault(word, set()).add(index)
        for stem in heads.stems:
            by_stem.setdefault(stem, set()).add(index)
    words = {
        word: tuple(sorted(indices | by_stem.get(word[:STEM_LENGTH], set()) | everywhere))
        for word, indices in by_word.items()
    }
    stems = {stem: tuple(sorted(indices | everywhere)) for stem, indices in by_stem.items()}
    if everywhere:  # any other word: only the rules tried everywhere
        stems[""] = tuple(sorted(everywhere))
    return words, stems


# --- Matching (Spanish, Russian) ----------------------------------------------------------------


def expand(pattern: str, macros: dict[str, str]) -> str:
    """`pattern` with its <macros> spelled out (macros may use macros), each exclusion
    ending on a word boundary."""
    for _ in range(4):
        if "<" not in pattern:
            break
        for name, body in macros.items():
            pattern = pattern.replace(name, body)
    return whole_words(pattern)


def whole_words(pattern: str) -> str:
    """End each exclusion "(?! ...)" on a word boundary: " to" must not refuse "today"."""
    out: list[str] = []
    index = 0
    while (start := pattern.find("(?! ", index)) >= 0:
        depth, end = 0, start
        for end in range(start, len(pattern)):
            if pattern[end - 1] == "\\":
                continue
            depth += {"(": 1, ")": -1}.get(pattern[end], 0)
            if depth == 0:
                break
        body = whole_words(pattern[start + 3 : end])
        out.append(f"{pattern[index:start]}(?!(?:{body})\\b)")
        index = end + 1
    return "".join(out) + pattern[index:]


@dataclass
class RuleSet:
    """One language's rules; each word's alternation is compiled the first time it is needed."""

    rules: Sequence[Rule]
    negated: re.Pattern[str]
    negated_after: re.Pattern[str] | None = None
    skip: frozenset[int] = frozenset()  # rules besides figures of speech whose words are skipped
    _by_word: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False)
    _by_stem: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False)
    _ready: dict[str, re.Pattern[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_word, self._by_stem = dispatch([pattern for _, _, pattern in self.rules])

    def first_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The words and the stems (first letters) a rule can start with; the stems hold ""
        if some rule can start anywhere."""
        return frozenset(self._by_word), frozenset(self._by_stem)

    def patterns_for(self, word: str) -> list[str]:
        """The patterns of the rules that can start at `word`."""
        return [self.rules[i][2] for i in self._by_word.get(word, ())]

    def rules_for(self, word: str) -> re.Pattern[str] | None:
        """The alternation to try at `word`, or None if no rule can start there."""
        key = word if word in self._by_word else word[:STEM_LENGTH]
        indices = self._by_word.get(key) or self._by_stem.get(key)
        if indices is None:
            key, indices = "", self._by_stem.get("")
        if not indices:
            return None
        ready = self._ready.get(key)
        if ready is None:
            body = "|".join(f"(?P<r{i}>{self.rules[i][2]})" for i in indices)
            ready = self._ready[key] = re.compile(f"(?:{body})(?![^ ])")
        return ready

    def screen(self, words: Sequence[str], breaks: Collection[int] = ()) -> Screening:
        """The strongest signal in `words` (the normalised message) and its category.

        `breaks` holds the indices of the words a comma, colon or dash came before: a
        negation does not reach across one ("no sé, quiero morirme"), though a rule may.
        """
        text = " ".join(words)
        best = NOTHING
        skip_to = start = 0
        for index, word in enumerate(words):
            position, start = start, start + len(word) + 1
            if position < skip_to or word == ".":
                continue
            rules = self._ready.get(word) or self.rules_for(word)
            if rules is None or (match := rules.match(text, position)) is None:
                continue
            number = int((match.lastgroup or "r0")[1:])
            category, signal, _ = self.rules[number]
            if category is None or number in self.skip:
                skip_to = match.end()
            if category is None or not stronger(signal, category, best):
                continue
            if self._negated(words, index, match.end(), text, breaks):
                continue
            best = Screening(signal, category)
            if signal is CrisisSignal.CRISIS and category is Category.INTENT:
                break
        return best

    def _negated(
        self, words: Sequence[str], index: int, end: int, text: str, breaks: Collection[int]
    ) -> bool:
        first = max(0, index - _LOOK_BACK)
        for position in range(index, first, -1):
            if position in breaks or words[position - 1] == ".":
                first = position
                break
        before = words[first:index]
        if before and self.negated.search(" ".join(before)):
            return True
        if self.negated_after is None:
            return False
        after = text[end:].split(" ", _LOOK_AHEAD + 1)[1 : _LOOK_AHEAD + 1]
        return bool(after) and self.negated_after.match(" ".join(after)) is not None
