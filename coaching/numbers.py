"""Cardinal numbers typed in words or digits, 0 to 100, in each language the bot speaks.

"five", "twenty-one", "a hundred"; "cinco", "veintiuno", "treinta y dos", "cien";
"пять", "двадцать одна", "двух", "пятью", "тридцать две", "сто". Russian numerals change
with gender and case ("одну неделю", "до двух недель"): every form reads as its number,
without checking that it agrees with the noun.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from coaching.language import ENGLISH, LANGUAGES, current_language

_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

_ES_UNITS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
_ES_TEENS = (
    "diez", "once", "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete",
    "dieciocho", "diecinueve",
)  # fmt: skip
_ES_TENS = (
    "veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
)  # fmt: skip
_ES_TWENTIES = (
    "veintiuno", "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis",
    "veintisiete", "veintiocho", "veintinueve",
)  # fmt: skip

# Russian: every case form of each numeral (nominative, genitive, dative, instrumental,
# prepositional; the feminine and neuter of one and two), "ё" written as "е".
_RU_FORMS: dict[int, str] = {
    0: "ноль нуль ноля нуля нолю нулю нолем нулем ноле нуле",
    1: "один одна одно одну одного одной одному одним одною одном одни",
    2: "два две двух двум двумя",
    3: "три трех трем тремя",
    4: "четыре четырех четырем четырьмя",
    40: "сорок сорока",
    90: "девяносто девяноста",
    100: "сто ста",
}
_RU_SOFT = {  # nominative in -ь: genitive, dative and prepositional in -и, instrumental in -ью
    5: "пять", 6: "шесть", 7: "семь", 8: "восемь", 9: "девять", 10: "десять",
    11: "одиннадцать", 12: "двенадцать", 13: "тринадцать", 14: "четырнадцать",
    15: "пятнадцать", 16: "шестнадцать", 17: "семнадцать", 18: "восемнадцать",
    19: "девятнадцать", 20: "двадцать", 30: "тридцать",
}  # fmt: skip
_RU_DECADES = {  # пятьдесят: пятидесяти, пятьюдесятью
    50: ("пятьдесят", "пяти", "пятью"),
    60: ("шестьдесят", "шести", "шестью"),
    70: ("семьдесят", "семи", "семью"),
    80: ("восемьдесят", "восьми", "восемью"),
}

_CONNECTORS = {"en": frozenset({"and"}), "es": frozenset({"y"}), "ru": frozenset()}
_ARTICLES = {"en": frozenset({"a", "one"}), "es": frozenset(), "ru": frozenset()}
_HUNDRED = {"en": frozenset({"hundred"}), "es": frozenset(), "ru": frozenset()}
_DIGITS = re.compile(r"^\+?\d{1,9}$", re.ASCII)
_MAX_WORDS = 4


def _russian_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for value, forms in _RU_FORMS.items():
        words.update(dict.fromkeys(forms.split(), value))
    for value, word in _RU_SOFT.items():
        stem = word[:-1]
        words.update({word: value, stem + "и": value, word + "ю": value})
    for value, (word, oblique, instrumental) in _RU_DECADES.items():
        words.update({word: value, oblique + "десяти": value, instrumental + "десятью": value})
    words["восьмью"] = 8  # an older instrumental of восемь, still written
    return words


@cache
def _vocabulary(language: str) -> dict[str, int]:
    """Each single word of `language` that is a number, folded as `_fold` folds."""
    if language == "es":
        words = {w: i for i, w in enumerate(_ES_UNITS)}
        words.update({w: 10 + i for i, w in enumerate(_ES_TEENS)})
        words.update({w: 20 + 10 * i for i, w in enumerate(_ES_TENS)})
        words.update({w: 21 + i for i, w in enumerate(_ES_TWENTIES)})
        words.update({"un": 1, "una": 1, "veintiun": 21, "veintiuna": 21})
        words.update({"cien": 100, "ciento": 100})
        return words
    if language == "ru":
        return _russian_words()
    words = {w: i for i, w in enumerate(_EN_UNITS)}
    words.update({w: 10 + i for i, w in enumerate(_EN_TEENS)})
    words.update({w: 20 + 10 * i for i, w in enumerate(_EN_TENS)})
    words["hundred"] = 100
    return words


def _language(language: str | None) -> str:
    chosen = current_language() if language is None else language
    return chosen if chosen in LANGUAGES else ENGLISH


def _fold(text: str, language: str) -> list[str]:
    """The words of `text`: lower case, hyphens as spaces, accents dropped (Latin letters
    only, so Russian "й" stays), "ё" as "е"."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    if language != "ru":
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.replace("-", " ").replace("\u2011", " ").split()


def number_word(word: str, language: str | None = None) -> int | None:
    """The number 0-100 that `word` (one or a few words) says in `language`, else None.

    None for `language` means the current one (`coaching.language.current_language`).
    Compounds read as a tens word then a unit: "twenty-one", "treinta y dos",
    "тридцать две"; "a hundred" / "one hundred", "cien", "сто" are 100.
    """
    lang = _language(language)
    words = _fold(word, lang)
    if len(words) == 3 and words[1] in _CONNECTORS[lang]:  # "treinta y dos"
        words = [words[0], words[2]]
    if not words or len(words) > _MAX_WORDS or _CONNECTORS[lang] & set(words):
        return None
    if words[-1] in _HUNDRED[lang]:
        return 100 if len(words) == 1 or (len(words) == 2 and words[0] in _ARTICLES[lang]) else None
    vocabulary = _vocabulary(lang)
    if any(w not in vocabulary for w in words):
        return None
    values = [vocabulary[w] for w in words]
    if len(values) == 1:
        return values[0]
    tens, unit = values if len(values) == 2 else (0, 0)  # a tens word and a unit, or nothing
    if 20 <= tens <= 90 and tens % 10 == 0 and 1 <= unit <= 9:
        return tens + unit
    return None


def read_number(text: str, language: str | None = None) -> int | None:
    """A whole number typed in digits ("12", "+3") or in words of `language` (0-100)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if _DIGITS.match(cleaned):
        return int(cleaned)
    return number_word(cleaned, language)
