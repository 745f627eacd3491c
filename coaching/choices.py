"""A typed word for a button: "technical" for "💻 Technical test or assignment", "by email" for
"✉️ Email", "tecnico" for "💻 Prueba técnica", "собеседований" for "Собеседование". A step asked
with buttons accepts the words of one of them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from coaching.language import ENGLISH, LANGUAGES, current_language

_WORD = re.compile(r"[^\W_]+")
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "im",
        "i'm",
        "it",
        "its",
        "it's",
        "was",
        "were",
        "is",
        "my",
        "me",
        "by",
        "via",
        "on",
        "at",
        "in",
        "of",
        "to",
        "got",
        "get",
        "they",
        "them",
        "just",
        "think",
        "probably",
        "maybe",
        "stage",
        "round",
        "please",
    ]
)


def _fold(text: str) -> str:
    """Lower case without accents ("técnico" = "tecnico"; Russian "й" as "и", "ё" as "е")."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _folded_words(words: str) -> frozenset[str]:
    return frozenset(_fold(words).split())


_FILLERS = {
    "es": _folded_words(
        "el la los las lo un una unos unas de del a al en por con mi mis me yo fue era es "
        "creo que quizás quizá tal vez probablemente seguramente etapa etapas ronda rondas "
        "fase fases favor "
        "solo pues bueno ellos ellas les"
    ),
    "ru": _folded_words(
        "я мне меня мой моя моё мои это был была было были в во на по через с со к ко у и а "
        "думаю наверное наверно может быть пожалуйста этап этапе этапа этапом раунд раунде "
        "раунда просто их они же вроде "
        "кажется"
    ),
}
_STEM_MIN = 4
_ENDING_MAX = 3
"""Two words are one in Spanish or Russian when they share their first letters, all but the
last three at most of the shorter ("собеседований" / "собеседование", "puestos" / "puesto",
"вакансий" / "вакансии"), and at least four."""


def _words(text: str, language: str = ENGLISH) -> set[str]:
    if language == ENGLISH:
        folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
        return {_singular(w) for w in _WORD.findall(folded)} - _FILLER
    words = set(_WORD.findall(_fold(text).replace("_", " ")))
    return words - _FILLERS[language] - _FILLER


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _same(said: str, word: str) -> bool:
    if said == word:
        return True
    shorter = min(len(said), len(word))
    if shorter < _STEM_MIN or abs(len(said) - len(word)) > _ENDING_MAX:
        return False
    common = 0
    for a, b in zip(said, word, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(_STEM_MIN, shorter - _ENDING_MAX)


def _names(said: set[str], label: set[str], language: str) -> bool:
    if language == ENGLISH:
        return said <= label
    return all(any(_same(s, w) for w in label) for s in said)


def match_choice(
    text: str, options: Mapping[str, str], *, language: str | None = None
) -> str | None:
    """The option (value -> its button label) that `text` names, or None when it names none or
    more than one. It names an option when every word it says (fillers aside) is a word of the
    option's label or value. In Spanish and Russian (`language`; None: the current one) accents
    are optional and a word matches another with a different ending."""
    chosen = current_language() if language is None else language
    lang = chosen if chosen in LANGUAGES else ENGLISH
    said = _words(text, lang)
    if not said:
        return None
    named = [
        value
        for value, label in options.items()
        if _names(said, _words(f"{value} {label}", lang), lang)
    ]
    return named[0] if len(named) == 1 else None
