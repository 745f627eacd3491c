"""Hearing the first words (coaching.feelings) and typed words for buttons (coaching.choices)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.choices import match_choice
from coaching.feelings import Feeling, feeling_in
from coaching.language import LANGUAGES, speaking

FEELINGS = [
    ("ugh. I DIDN'T GET THE JOB AGAIN 😤", Feeling.FRUSTRATED),
    ("rejected again", Feeling.FRUSTRATED),
    ("I DIDN'T GET IT", Feeling.FRUSTRATED),
    ("this is so unfair", Feeling.FRUSTRATED),
    ("so gutted right now", Feeling.SAD),
    ("they turned me down 😢", Feeling.SAD),
    ("honestly just exhausted", Feeling.TIRED),
    ("I didn't get the job", Feeling.NEWS),
    ("I got rejected", Feeling.NEWS),
    ("they went with someone else", Feeling.NEWS),
    ("hello", None),
    ("what is this bot", None),
    ("done", None),
    ("I GOT AN OFFER", None),
]


@pytest.mark.parametrize(("text", "expected"), FEELINGS)
def test_the_feeling_a_first_message_carries(text: str, expected: Feeling | None) -> None:
    assert feeling_in(text) == expected


FEELINGS_ES = [
    ("uf. OTRA VEZ NO ME ELIGIERON 😤", Feeling.FRUSTRATED),
    ("ufff", Feeling.FRUSTRATED),
    ("qué rabia, me rechazaron", Feeling.FRUSTRATED),
    ("me rechazaron otra vez", Feeling.FRUSTRATED),
    ("NO CONSEGUÍ EL TRABAJO", Feeling.FRUSTRATED),
    ("estoy harta de esto", Feeling.FRUSTRATED),
    ("es tan injusto", Feeling.FRUSTRATED),
    ("estoy fatal", Feeling.SAD),
    ("muy triste hoy", Feeling.SAD),
    ("me dijeron que no 😢", Feeling.SAD),
    ("super decepcionada", Feeling.SAD),
    ("la verdad estoy agotado", Feeling.TIRED),
    ("cansadísima de buscar", Feeling.TIRED),
    ("no conseguí el trabajo", Feeling.NEWS),
    ("me rechazaron", Feeling.NEWS),
    ("eligieron a otra persona", Feeling.NEWS),
    ("quedé fuera del proceso", Feeling.NEWS),
    ("no pasé la entrevista", Feeling.NEWS),
    ("estoy quemadísima", Feeling.TIRED),
    ("hola", None),
    ("Hola, perdón por molestar", None),
    ("me lo tomo en serio", None),
    ("qué hace este bot", None),
    ("hecho", None),
    ("ME OFRECIERON EL PUESTO", None),
]
FEELINGS_RU = [
    ("блин. ОПЯТЬ ОТКАЗ 😤", Feeling.FRUSTRATED),
    ("опять отказ", Feeling.FRUSTRATED),
    ("бесит", Feeling.FRUSTRATED),
    ("бесииит всё это", Feeling.FRUSTRATED),
    ("МЕНЯ НЕ ВЗЯЛИ", Feeling.FRUSTRATED),
    ("это несправедливо", Feeling.FRUSTRATED),
    ("надоело уже", Feeling.FRUSTRATED),
    ("грустно", Feeling.SAD),
    ("очень расстроилась", Feeling.SAD),
    ("мне отказали 😢", Feeling.SAD),
    ("так обидно", Feeling.SAD),
    ("честно, просто устала", Feeling.TIRED),
    ("нет сил уже", Feeling.TIRED),
    ("мне отказали", Feeling.NEWS),
    ("меня не взяли", Feeling.NEWS),
    ("выбрали другого кандидата", Feeling.NEWS),
    ("не прошёл собеседование", Feeling.NEWS),
    ("пришёл отказ", Feeling.NEWS),
    ("ПРИШЁЛ ОТКАЗ", Feeling.FRUSTRATED),
    ("выгорела полностью", Feeling.TIRED),
    ("привет", None),
    ("не отказалась бы от совета", None),
    ("что это за бот", None),
    ("готово", None),
    ("МНЕ СДЕЛАЛИ ОФФЕР", None),
]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("es", text, expected) for text, expected in FEELINGS_ES]
    + [("ru", text, expected) for text, expected in FEELINGS_RU],
)
def test_the_feeling_a_first_message_carries_in_spanish_and_russian(
    language: str, text: str, expected: Feeling | None
) -> None:
    assert feeling_in(text, language=language) == expected


def test_the_current_language_is_read_when_none_is_given() -> None:
    with speaking("ru"):
        assert feeling_in("бесит") is Feeling.FRUSTRATED
    with speaking("es"):
        assert feeling_in("qué rabia") is Feeling.FRUSTRATED
    assert feeling_in("ugh") is Feeling.FRUSTRATED


STAGES = {
    "application": "📄 CV / application screen",
    "phone_screen": "📞 Recruiter or phone screen",
    "technical": "💻 Technical test or assignment",
    "onsite": "🏢 Onsite / final rounds",
    "offer": "🤝 Offer stage",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("technical", "technical"),
        ("the final round", "onsite"),
        ("Phone", "phone_screen"),
        ("cv", "application"),
        ("offer stage", "offer"),
        ("screen", None),  # two buttons say it
        ("banana", None),
        ("the", None),
    ],
)
def test_typed_words_name_one_button(text: str, expected: str | None) -> None:
    assert match_choice(text, STAGES) == expected


@given(st.text(max_size=300), st.sampled_from(LANGUAGES))
def test_neither_reader_ever_raises(text: str, language: str) -> None:
    feeling_in(text, language=language)
    assert match_choice(text, STAGES) in (None, *STAGES)
