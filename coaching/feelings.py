"""Hearing the first words: what feeling a message carries, so the reply can reflect it in one
short line before any question ("ugh. I DIDN'T GET THE JOB AGAIN 😤" is frustration, not a
request for the menu).

A small lexicon, not a model: it only has to tell the few feelings the reply can name apart,
and it says nothing when unsure (the reply then simply offers the debrief). Crisis language is
not its business; the safety screen (coaching.safety) sees every message first.

Spanish and Russian have lexicons of their own ("qué rabia", "estoy fatal", "бесит", "опять
отказ", "грустно"), matched on folded text (accents dropped in Spanish, "ё" as "е" in Russian)
as phrases and stems, since both inflect ("frustrad*": frustrado, frustrada; "устал*": устал,
устала, усталость).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache

from coaching.language import current_language


class Feeling(StrEnum):
    """What the reply reflects (each has a line in prompts/debrief/offer.html)."""

    FRUSTRATED = "frustrated"
    SAD = "sad"
    TIRED = "tired"
    NEWS = "news"
    """Rejection news with no feeling named: "I didn't get the job"."""


_WORD = re.compile(r"[a-z']+")
_LEXICON: dict[Feeling, frozenset[str]] = {
    Feeling.FRUSTRATED: frozenset(
        [
            "ugh",
            "argh",
            "grr",
            "angry",
            "annoyed",
            "annoying",
            "frustrated",
            "frustrating",
            "furious",
            "pissed",
            "mad",
            "unfair",
            "ridiculous",
            "seriously",
            "wtf",
            "fed",
        ]
    ),
    Feeling.SAD: frozenset(
        [
            "sad",
            "gutted",
            "crushed",
            "devastated",
            "heartbroken",
            "hurt",
            "hurts",
            "upset",
            "down",
            "miserable",
            "crying",
            "cried",
            "disappointed",
            "disappointing",
            "awful",
            "terrible",
        ]
    ),
    Feeling.TIRED: frozenset(["tired", "exhausted", "drained", "burnt", "burned", "worn"]),
}
_EMOJI: dict[Feeling, frozenset[str]] = {
    Feeling.FRUSTRATED: frozenset("😤😠😡🤬🙄"),
    Feeling.SAD: frozenset("😢😭😞😔💔🥺☹🙁😿"),
    Feeling.TIRED: frozenset("😩😫🥱😮‍💨"),
}
_NEWS = (
    re.compile(r"\b(didn'?t|did not|don'?t|not) (get|got|land|make)\b"),
    re.compile(r"\brejected\b|\brejection\b|\bturned (me )?down\b|\bsaid no\b|\bno offer\b"),
    re.compile(r"\b(they|it) went with (someone|another)\b|\bnot moving forward\b"),
)
_AGAIN = re.compile(r"\b(again|another one|yet another)\b")
_SHOUTING_LETTERS = 8


# Spanish and Russian cues, folded: alternatives separated by "|", a word ending in "*" is a
# stem. Elongations ("ufff", "grrr", "бесиииит") are also read with repeated letters squeezed.
_CUES: dict[str, dict[Feeling | str, str]] = {
    "es": {
        Feeling.FRUSTRATED: (
            "uf | puf | agh | argh | gr | que rabia | rabia | me da rabia | que coraje | coraje "
            "| que bronca | bronca | me enoja | enojad* | enfadad* | me molesta | estoy molest* "
            "| frustrad* | frustrante | hart* | hasta la madre | injust* | ridicul* | wtf | joder "
            "| mierda | carajo | maldita sea | indignad* | furios* | cabread* | me cabrea "
            "| me revienta | odio | no es justo | que asco"
        ),
        Feeling.SAD: (
            "trist* | estoy fatal | fatal | destrozad* | devastad* | hundid* | me duele | duele "
            "| llor* | decepcionad* | decepcion | desilusionad* | bajon | bajonead* | estoy mal "
            "| me siento mal | que pena | horrible | terrible | desanimad* | corazon roto "
            "| me rompio el corazon | con el alma rota"
        ),
        Feeling.TIRED: (
            "cansad* | cansancio | agotad* | exhaust* | quemad* | reventad* | sin energia "
            "| sin fuerzas | rendid* | no puedo mas | no doy mas"
        ),
        "news": (
            "no me eligieron | no me escogieron | no me seleccionaron | no quede | no pase "
            "| me rechazaron | rechazaron | rechazo | rechazos | rechazad* | me dijeron que no "
            "| no consegui el trabajo | no consegui el puesto | no me dieron el puesto "
            "| no me dieron el trabajo "
            "| no me contrataron | eligieron a otr* | escogieron a otr* | se decantaron por otr* "
            "| siguieron con otr* | quede fuera | me descartaron | descartad* | no avance "
            "| no sigo en el proceso | otro candidato | otra candidata | sin oferta"
        ),
        "again": (
            "otra vez | de nuevo | nuevamente | otro rechazo | otro mas | otra mas "
            "| por enesima vez | una vez mas | otro no | otra negativa | siempre lo mismo"
        ),
    },
    "ru": {
        Feeling.FRUSTRATED: (
            "бесит | бесят | бешусь | взбес* | злюсь | злит | злость | злой | злая | раздраж* "
            "| достал* | задолбал* | задрал* | надоел* | несправедлив* | нечестно | бред | абсурд "
            "| сколько можно | капец | пипец | ппц | блин | бля* | черт | аргх | гр | фу "
            "| да что такое | какого черта"
        ),
        Feeling.SAD: (
            "грустн* | груст* | печаль* | печально | расстро* | обидно | больно | плачу | плак* "
            "| реву | ревел* | разочарован* | разбит* | убит* | раздавлен* | мне плохо | тоска "
            "| тоскливо | руки опускаются | опустились руки | ужасно | подавлен* | хреново "
            "| грущу | слезы"
        ),
        Feeling.TIRED: (
            "устал* | усталост* | вымотан* | выжат* | выгор* | нет сил | сил нет | без сил "
            "| измотан* | уставш* | вымоталась | вымотался | не могу больше"
        ),
        "news": (
            "отказ | отказа | отказом | отказы | отказов | отказали | отказал | отказала "
            "| не взяли | не прошел | не прошла | не прошли | не получил* оффер "
            "| не получил* работу | не получил* место | не позвали | не выбрали | выбрали другого "
            "| выбрали другую | взяли другого | взяли другую | другого кандидата | прокатили "
            "| пролетел* | завалил* | не подошел | не подошла | зарубили | отшили | без оффера"
        ),
        "again": (
            "опять | снова | очередной | очередная | очередное | еще один | еще одна "
            "| в очередной раз | сколько можно | как всегда"
        ),
    },
}


@cache
def _pattern(language: str, key: Feeling | str) -> re.Pattern[str]:
    alternatives = []
    for text in _CUES[language][key].split("|"):
        parts = [
            re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
            for word in text.split()
        ]
        alternatives.append(r"\s+".join(parts))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _fold(text: str, language: str) -> str:
    """Lower case; accents dropped in Spanish, "ё" as "е" in Russian ("й" kept)."""
    lower = unicodedata.normalize("NFKC", text).casefold()
    if language == "ru":
        return lower.replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", lower)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def feeling_in(text: str, *, language: str | None = None) -> Feeling | None:
    """The feeling a message carries, or None when it names none (and is not rejection news).

    Frustration wins over sadness when both are there (the reply to "ugh, gutted" is about the
    frustration); shouting (many capital letters, mostly capitals) or "again" on rejection news
    reads as frustration. `language` is the message's ("en", "es", "ru"); None means the
    current one (`coaching.language`)."""
    chosen = current_language() if language is None else language
    folded = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    if chosen in _CUES:
        lower = _fold(text, chosen)
        squeezed = re.sub(r"(\w)\1+", r"\1", lower)

        def says(key: Feeling | str) -> bool:
            pattern = _pattern(chosen, key)
            return bool(pattern.search(lower) or pattern.search(squeezed))

        found = [
            feeling
            for feeling in (Feeling.FRUSTRATED, Feeling.SAD, Feeling.TIRED)
            if says(feeling) or any(e in folded for e in _EMOJI[feeling])
        ]
        news = says("news")
        again = says("again")
    else:
        lower = folded.casefold()
        words = set(_WORD.findall(lower))
        found = [
            feeling
            for feeling in (Feeling.FRUSTRATED, Feeling.SAD, Feeling.TIRED)
            if words & _LEXICON[feeling] or any(e in folded for e in _EMOJI[feeling])
        ]
        news = any(pattern.search(lower) for pattern in _NEWS)
        again = _AGAIN.search(lower) is not None
    if found:
        return found[0]
    letters = [c for c in folded if c.isalpha()]
    shouting = len(letters) >= _SHOUTING_LETTERS and sum(c.isupper() for c in letters) > 0.7 * len(
        letters
    )
    if news and (shouting or again):
        return Feeling.FRUSTRATED
    if news:
        return Feeling.NEWS
    return None
