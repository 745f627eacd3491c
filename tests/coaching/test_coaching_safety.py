"""Tests for coaching.safety: the crisis screen (English, then Spanish and Russian), then the
help lines.

tests/coaching/test_safety_eval.py measures the screen on the labelled evaluation sets; these
tests pin its behaviour, its normalising and its public API.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching import safety, safety_es, safety_ru
from coaching.helplines import helplines_for
from coaching.safety import (
    Category,
    CrisisSignal,
    Screening,
    detect_crisis,
    normalise,
    screen,
)
from tests.kit.safety_eval import ALL_LINES, LINES, LINES_BY_LANGUAGE

CRISIS = [
    "I want to die",
    "i wanna die",
    "Honestly I just want to die.",
    "I'm going to kill myself",
    "sometimes I think about killing myself",
    "I want to end my life",
    "thinking about ending my life",
    "I feel suicidal",
    "I've had suicidal thoughts since Monday",
    "I don't want to be here anymore",
    "I don’t want to be here any more",
    "i dont want to be here anymore",
    "I don't want to live",
    "I've been self-harming again",
    "self harm",
    "I want to hurt myself",
    "there's no reason to live",
    "I have nothing to live for",
    "they'd be better off without me",
    "everyone would be better off without me",
    "I'd be better off dead",
    "I just want to end it all",
    "I wish I was dead",
    "I'm not sure I want to live",
    "I wish I could go to sleep and not wake up",
    "I've been stockpiling my pills",
    "I've written a goodbye letter to my family",
    "I keep thinking about jumping off the bridge",
    "I won't be around much longer",
    "nobody would even notice if I was gone",
    "what's the point of living",
]
CHECK = [
    "I can't do this anymore",
    "what's the point of anything",
    "I just want to disappear for a while",
    "I can't go on",
    "there's no way out",
    "this is goodbye",
    "you won't hear from me again",
    "I'm such a burden to my family",
    "I gave my cat to my sister so she'd be looked after",
    "I don't think I'm suicidal",  # hedged: unsure, so a gentle check
]
NOT_CRISIS = [
    "this rejection killed my motivation",
    "I'm dying to know why",
    "the interview killed me lol",
    "I'm going to kill it at the next interview",
    "I could die of embarrassment",
    "the deadline is friday",
    "time to execute the plan",
    "that answer was career suicide",
    "I felt dead tired after the onsite",
    "I want to be here for my family",
    "I don't want to be here, at this company, forever",
    "I'll cut myself some slack",
    "I'm dying to hear back",
    "I thought I was going to die in that interview",
    "I killed it",
    "cut from the shortlist",
    "I'd kill for an offer",
    "this job hunt is killing me",
    "my feet are killing me",
    "I nailed it",
    "I'm dead 😂",
    "dead inside after 8 interviews",  # numb and worn out, not a wish to die: see docs/safety.md
    "shoot me an email",
    "jump at the chance",
    "we jumped ship",
    "hang in there",
    "bridge the gap",
    "the bitter pill",
    "over it",
    "I'm done with this company",
    "I give up on FAANG",
    "end of the road for this application",
    "killer questions",
    "overdosed on coffee",
    "I'm not suicidal, just sad",
    "I would never hurt myself",
    "not gonna kms, just annoyed",
    "I have no plans to end my life, just a bad day",
    "I applied to 4 jobs and have 5 rounds next week",
    "I'm taking my life in a new direction",
    "I shot myself in the foot with that answer",
    "I've been burning myself out with applications",
    "catch the bus to the interview",
    "kys",  # an insult, not about the writer: only "I should kys" and the like count
    "",
]


@pytest.mark.parametrize("text", CRISIS)
def test_flags_crisis_phrases(text: str) -> None:
    assert detect_crisis(text) is CrisisSignal.CRISIS


@pytest.mark.parametrize("text", CHECK)
def test_ambiguous_lines_get_a_gentle_check(text: str) -> None:
    assert detect_crisis(text) is CrisisSignal.CHECK


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ignores_figures_of_speech(text: str) -> None:
    assert detect_crisis(text) is CrisisSignal.NONE


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'm going to kill myself tonight", Category.INTENT),
        ("I've worked out how many pills it would take", Category.PLAN),
        ("I've put my affairs in order", Category.PREPARATORY),
        ("thinking about jumping off a building", Category.METHOD),
        ("I cut myself again last night", Category.SELF_HARM),
        ("I've been having suicidal thoughts", Category.ACTIVE_THOUGHTS),
        ("I wish I'd never been born", Category.WISH_TO_BE_DEAD),
        ("no one would miss me", Category.BURDEN),
        ("life isn't worth living", Category.HOPELESSNESS),
        ("I won't be alive next week", Category.FINALITY),
    ],
)
def test_screen_names_the_category(text: str, category: Category) -> None:
    assert screen(text) == Screening(CrisisSignal.CRISIS, category)


def test_screen_reports_the_strongest_signal_and_most_severe_category() -> None:
    text = "I can't do this anymore. I'm a burden. I'm going to end my life on Friday."
    assert screen(text) == Screening(CrisisSignal.CRISIS, Category.INTENT)
    assert screen("nothing matters anymore") == Screening(CrisisSignal.CHECK, Category.HOPELESSNESS)
    assert screen("I nailed it") == Screening(CrisisSignal.NONE, None)


def test_screening_is_frozen_and_detect_crisis_is_its_signal() -> None:
    result = screen("I want to die")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.signal = CrisisSignal.NONE  # type: ignore[misc]
    assert [s.value for s in CrisisSignal] == ["none", "check", "crisis"]
    for line in LINES[::7]:
        assert detect_crisis(line.text) is screen(line.text).signal


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I'm not suicidal, just sad", CrisisSignal.NONE),
        ("I would never hurt myself", CrisisSignal.NONE),
        ("I'm not going to kill myself over a job", CrisisSignal.NONE),
        ("I have no intention of harming myself", CrisisSignal.NONE),
        ("I don't want to die, I want a job", CrisisSignal.NONE),
        ("I'm not sure I want to live", CrisisSignal.CRISIS),
        ("I don't want to live like this", CrisisSignal.CRISIS),
        ("I can't stop thinking about killing myself", CrisisSignal.CRISIS),
        ("I'm not okay. I want to die", CrisisSignal.CRISIS),  # the "not" is another sentence
        ("no, I want to die", CrisisSignal.CRISIS),
        ("not gonna lie, I want to kill myself", CrisisSignal.CRISIS),
        ("I'm not suicidal but I wish I could sleep and never wake up", CrisisSignal.CRISIS),
    ],
)
def test_negation_only_cancels_the_phrase_it_is_about(text: str, signal: CrisisSignal) -> None:
    assert detect_crisis(text) is signal


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "i should just kys",
        "gonna unalive myself",
        "thinking about sewerslide",
        "i want to commit die",
        "i want to not be alive",
        "i just want to end it",
        "i want to off myself",
        "gonna yeet myself off a bridge",
        "gonna rope tbh",
        "planning to ctb soon",
        "relapsed on sh last night",
        "the sh urges are bad",
    ],
)
def test_slang_and_euphemisms(text: str) -> None:
    assert detect_crisis(text) is not CrisisSignal.NONE


@pytest.mark.parametrize(
    "text",
    [
        "i want to k1ll myself",
        "i w4nt t0 d!e",
        "su1c1dal",
        "$uicidal",
        "k i l l  m y s e l f",
        "s u i c i d e",
        "k.i.l.l myself",
        "s-u-i-c-i-d-e",
        "diiiie, i want to diiiie",
        "killlll myselfff",
        "I DON’T WANT TO LIVE",
        "i dont wanna live",
        "im gonna kill myself",
        "i want 2 die",
    ],
)
def test_disguised_spellings(text: str) -> None:
    assert detect_crisis(text) is not CrisisSignal.NONE


def test_normalise() -> None:
    assert normalise("  I DON’T\n want…  to ") == "i dont want to"
    assert normalise("self-harm!") == "self harm"
    assert normalise("I DON’T  w4nna d i e...") == "i dont want to die"
    assert normalise("k i l l  m y s e l f") == "kill myself"
    assert normalise("k.i.l.l") == "kill"
    assert normalise("killlll myselfff") == "kill myself"
    assert normalise("$uicidal, su1c1de") == "suicidal suicide"
    assert normalise("I'm done. Really.") == "im done . really"  # " . " ends a sentence
    assert normalise("idk, gonna c u tmrw") == "i dont know going to c you tomorrow"


def test_normalise_leaves_ordinary_numbers_alone() -> None:
    assert normalise("I applied to 4 jobs, 5 rounds, 10% raise, £45k, 9am") == (
        "i applied to 4 jobs 5 rounds 10 raise 45k 9am"
    )


def test_every_rule_is_filed_under_its_first_words() -> None:
    """The screen tries a rule only at the words it can start with (worked out from its parse
    tree); this checks that against trying every rule at every word of the evaluation set."""
    assert "" not in safety._BY_STEM, "a rule with no known first word: it is tried everywhere"
    everything = re.compile(
        "(?:"
        + "|".join(f"(?P<r{i}>{pattern})" for i, pattern in enumerate(safety._RULE_PATTERNS))
        + r")(?!\w)"
    )
    for line in LINES:
        words = normalise(line.text).split(" ")
        text = " ".join(words)
        position = 0
        for word in words:
            found = everything.match(text, position)
            if found is not None:
                rules = safety._rules_for(word)
                assert rules is not None, (line.text, word)
                match = rules.match(text, position)
                assert match is not None and match.lastgroup == found.lastgroup, (line.text, word)
            position += len(word) + 1


def _no_letters(text: str) -> bool:
    return not any(ch.isalpha() for ch in unicodedata.normalize("NFKC", text))


# Surroundings: punctuation, symbols, emoji, spaces; no letters, and no digits either (a number
# is a word: "I can't go on 2" is not "I can't go on").
_NEUTRAL = st.text(
    alphabet=st.characters(blacklist_categories=("L", "M", "N", "Cs")), max_size=20
).filter(_no_letters)
_APOSTROPHES = ["'", "’", "‘", "ʼ", ""]


def _mangle(text: str, data: st.DataObject) -> str:
    """Random case per character, random runs of whitespace between words, random apostrophes."""
    words = text.split(" ")
    spaced = words[0]
    for word in words[1:]:
        spaced += data.draw(st.sampled_from([" ", "  ", "\n", " \t "])) + word
    flips = data.draw(st.lists(st.booleans(), min_size=len(spaced), max_size=len(spaced)))
    cased = "".join(c.upper() if flip else c.lower() for c, flip in zip(spaced, flips, strict=True))
    return re.sub("'", lambda _: data.draw(st.sampled_from(_APOSTROPHES)), cased)


@given(data=st.data(), phrase=st.sampled_from(CRISIS + CHECK[:-1]), before=_NEUTRAL, after=_NEUTRAL)
def test_signal_survives_case_spacing_apostrophes_and_surroundings(
    data: st.DataObject, phrase: str, before: str, after: str
) -> None:
    text = f"{before} {_mangle(phrase, data)} {after}"
    assert detect_crisis(text) is detect_crisis(phrase)


@given(data=st.data(), phrase=st.sampled_from([t for t in NOT_CRISIS if t]))
def test_figures_of_speech_stay_clear_in_any_case(data: st.DataObject, phrase: str) -> None:
    assert detect_crisis(_mangle(phrase, data)) is CrisisSignal.NONE


@given(st.text(max_size=300).filter(_no_letters))
def test_text_without_letters_never_triggers(text: str) -> None:
    assert screen(text) == Screening(CrisisSignal.NONE, None)


@given(st.text(max_size=300))
def test_detect_crisis_never_raises(text: str) -> None:
    assert detect_crisis(text) in set(CrisisSignal)


def test_helplines_directory_first_then_countries_in_order() -> None:
    lines = helplines_for(["DE", "xx", "us", "DE", "uk"])
    assert lines[0].country is None
    assert lines[0].name == "Find A Helpline"
    assert lines[0].url == "https://findahelpline.com"
    assert [h.country for h in lines[1:]] == ["DE", "US", "GB"]
    assert lines[1].phone == "0800 111 0 111"
    assert lines[2].phone == "988" and lines[2].text == "988"
    assert lines[3].name == "Samaritans" and lines[3].phone == "116 123"


def test_helplines_without_countries_is_just_the_directory() -> None:
    assert [h.name for h in helplines_for([])] == ["Find A Helpline"]


@pytest.mark.parametrize(
    ("code", "phone"),
    [("US", "988"), ("CA", "988"), ("GB", "116 123"), ("IE", "116 123"), ("DE", "0800 111 0 111"),
     ("FR", "3114"), ("AU", "13 11 14"), ("IN", "14416"), ("NZ", "1737")],
)  # fmt: skip
def test_known_countries(code: str, phone: str) -> None:
    (line,) = helplines_for([code])[1:]
    assert line.country == code
    assert line.phone == phone
    assert line.url is None or line.url.startswith("https://")


# --- Spanish and Russian -----------------------------------------------------------------------
# Every message is read by the rules of all three languages, whatever language the person has
# chosen (coaching/safety_es.py, coaching/safety_ru.py).

SPANISH = [
    ("quiero morirme", CrisisSignal.CRISIS),
    ("Ya no quiero vivir", CrisisSignal.CRISIS),
    ("no quiero vivir más así", CrisisSignal.CRISIS),
    ("kiero morirme", CrisisSignal.CRISIS),
    ("q me quiero matar", CrisisSignal.CRISIS),
    ("me quiero moriiiir", CrisisSignal.CRISIS),
    ("estoy pensando en suicidarme", CrisisSignal.CRISIS),
    ("todos estarían mejor sin mí", CrisisSignal.CRISIS),
    ("no tengo nada por lo que vivir", CrisisSignal.CRISIS),
    ("esta noche me mato", CrisisSignal.CRISIS),
    ("quiero desaparecer un tiempo", CrisisSignal.CHECK),
    ("ya no puedo más", CrisisSignal.CHECK),
    ("soy una carga para mi familia", CrisisSignal.CHECK),
    ("esto es una despedida", CrisisSignal.CHECK),
    ("mi tío se suicidó hace años", CrisisSignal.CHECK),  # someone else's suicide
    # negation and figures of speech
    ("no quiero morir, solo estoy cansada", CrisisSignal.NONE),
    ("no estoy pensando en suicidarme, tranquilo", CrisisSignal.NONE),
    ("jamás pensaría en suicidarme por esto", CrisisSignal.NONE),
    ("me muero de ganas de saber si me cogen", CrisisSignal.NONE),
    ("me mata este proceso de selección", CrisisSignal.NONE),
    ("lo maté en la entrevista", CrisisSignal.NONE),
    ("me mató la pregunta de los puntos débiles", CrisisSignal.NONE),
    ("la prueba de inglés me mato", CrisisSignal.NONE),
    ("me mataron en la entrevista técnica", CrisisSignal.NONE),
    ("prefiero morir antes que volver a esa empresa", CrisisSignal.NONE),
    ("la entrevista fue un suicidio profesional", CrisisSignal.NONE),
    ("trabajé en una línea de prevención del suicidio", CrisisSignal.NONE),
    ("me corté el pelo para la entrevista", CrisisSignal.NONE),
    ("ya no puedo más con esta empresa, paso de ellos", CrisisSignal.NONE),
    ("quiero desaparecer de LinkedIn un mes", CrisisSignal.NONE),
]
RUSSIAN = [
    ("хочу умереть", CrisisSignal.CRISIS),
    ("не хочу жить", CrisisSignal.CRISIS),
    ("жить не хочется вообще", CrisisSignal.CRISIS),
    ("я покончу с собой этой ночью", CrisisSignal.CRISIS),
    ("думаю покончить с собой", CrisisSignal.CRISIS),
    ("ХОЧУ УМЕРЕЕЕТЬ", CrisisSignal.CRISIS),
    ("всем будет лучше без меня", CrisisSignal.CRISIS),
    ("мне незачем жить", CrisisSignal.CRISIS),
    ("стою на крыше и думаю прыгнуть", CrisisSignal.CRISIS),
    ("хоть вешайся", CrisisSignal.CHECK),
    ("я больше не могу", CrisisSignal.CHECK),
    ("я обуза для семьи", CrisisSignal.CHECK),
    ("брат покончил с собой", CrisisSignal.CHECK),  # someone else's suicide
    # negation and figures of speech
    ("не хочу умирать, просто устала", CrisisSignal.NONE),
    ("не собираюсь убивать себя из-за работы", CrisisSignal.NONE),
    ("убивать себя из-за работы не собираюсь", CrisisSignal.NONE),
    ("у меня нет суицидальных мыслей", CrisisSignal.NONE),
    ("убил весь вечер на тестовое", CrisisSignal.NONE),
    ("эта работа меня убивает", CrisisSignal.NONE),
    ("умираю от скуки на этом онбординге", CrisisSignal.NONE),
    ("я убил это собеседование", CrisisSignal.NONE),
    ("лучше умру, чем вернусь в эту компанию", CrisisSignal.NONE),
    ("это было карьерное самоубийство", CrisisSignal.NONE),
    ("выстрелил себе в ногу этим ответом", CrisisSignal.NONE),
    ("рекрутер повесил трубку", CrisisSignal.NONE),
    ("дедушка ушёл из жизни в прошлом году", CrisisSignal.NONE),
]


NONE = CrisisSignal.NONE


@pytest.mark.parametrize(("text", "signal"), SPANISH + RUSSIAN)
def test_spanish_and_russian(text: str, signal: CrisisSignal) -> None:
    assert detect_crisis(text) is signal


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("hoy me suicido", Category.INTENT),
        ("tengo un plan para suicidarme", Category.PLAN),
        ("escribí una carta de despedida", Category.PREPARATORY),
        ("quiero ahorcarme", Category.METHOD),
        ("me autolesiono desde hace años", Category.SELF_HARM),
        ("тебе скажу: завтра покончу с собой", Category.INTENT),
        ("написала предсмертную записку", Category.PREPARATORY),
        ("хочу повеситься", Category.METHOD),
        ("режу себя, когда мне отказывают", Category.SELF_HARM),
        ("никто по мне не заплачет", Category.BURDEN),
    ],
)
def test_spanish_and_russian_name_the_category(text: str, category: Category) -> None:
    assert screen(text) == Screening(CrisisSignal.CRISIS, category)


def test_languages_mix_and_the_most_severe_wins() -> None:
    assert detect_crisis("hoy tuve la entrevista, honestly I want to die") is CrisisSignal.CRISIS
    assert detect_crisis("I'm fine, pero quiero morirme") is CrisisSignal.CRISIS
    assert detect_crisis("sorry for the rant, хочу умереть") is CrisisSignal.CRISIS
    # an English check and a Russian crisis: the crisis, with its category
    mixed = screen("I can't do this anymore. хочу повеситься")
    assert mixed == Screening(CrisisSignal.CRISIS, Category.METHOD)
    assert screen("ya no puedo más. I'm going to kill myself tonight").category is Category.INTENT


def test_one_languages_words_do_not_set_off_another() -> None:
    # English negation is read by the English rules only; the Spanish rules leave "suicidal" alone
    assert safety_es.screen("I'm not suicidal, just sad").signal is CrisisSignal.NONE
    assert safety_es.screen("cutting costs and burning bridges").signal is CrisisSignal.NONE
    # Spanish forms are the Spanish rules' own: the English rules leave "suicidio" alone
    assert safety._screen_english("fue un suicidio profesional").signal is CrisisSignal.NONE
    assert safety._screen_english("no pienso suicidarme").signal is CrisisSignal.NONE
    assert safety._screen_english("I feel suicidal").signal is CrisisSignal.CRISIS


def test_spanish_normalising() -> None:
    assert safety_es.normalise("¡Q ganas de MORIRMEEE!") == "que ganas de morirme"
    assert safety_es.normalise("kiero... no sé. Xq?") == "quiero no se . porque"
    assert safety_es.normalise("Estaría mejor muerto") == "estaria mejor muerto"
    # "mató" (it killed me) is kept apart from "mato" (I kill myself)
    assert safety_es.normalise("me mató") != safety_es.normalise("me mato")


def test_russian_reads_lemmas() -> None:
    assert safety_ru.normalise("Я покончу с собой!") == "я покончить с себя"
    assert safety_ru.normalise("убью, убил, убивала") == "убить убить убивать"
    assert safety_ru.normalise("умираааю, ёлки") == "умирать елки"
    assert safety_ru.normalise("стою на краю") == "стоить на край"  # "стою": both lemmas in rules
    assert safety_ru.has_cyrillic("hello мир") and not safety_ru.has_cyrillic("hello world")


def test_the_spanish_cheap_test_never_skips_a_text_the_rules_would_flag() -> None:
    for line in ALL_LINES:
        if safety_es.screen(line.text).signal is not CrisisSignal.NONE:
            assert safety_es.might_be_spanish(line.text), line.text
    assert "" not in safety_es._RULE_SET.first_words()[1]  # no rule that can start anywhere
    english = [line.text for line in LINES_BY_LANGUAGE["en"]]
    skipped = sum(not safety_es.might_be_spanish(text) for text in english)
    assert skipped / len(english) > 0.8  # English text mostly skips the Spanish rules


@given(data=st.data(), phrase=st.sampled_from([t for t, s in SPANISH if s is not NONE]))
def test_spanish_signal_survives_case_and_surroundings(data: st.DataObject, phrase: str) -> None:
    before, after = data.draw(_NEUTRAL), data.draw(_NEUTRAL)
    text = f"{before} {_mangle(phrase, data)} {after}"
    assert safety_es.might_be_spanish(text)
    assert detect_crisis(text) is detect_crisis(phrase)


@pytest.mark.parametrize("module", [safety_es, safety_ru], ids=["es", "ru"])
def test_every_spanish_and_russian_rule_is_filed_under_its_first_words(module: object) -> None:
    """As for English: trying only the rules filed under a word finds what trying every rule
    at every word finds, on every line of that language's evaluation set."""
    rule_set = module._RULE_SET  # type: ignore[attr-defined]
    words_of = module.words  # type: ignore[attr-defined]
    language = "es" if module is safety_es else "ru"
    everything = re.compile(
        "(?:"
        + "|".join(f"(?P<r{i}>{pattern})" for i, (_, _, pattern) in enumerate(rule_set.rules))
        + r")(?![^ ])"
    )
    for line in LINES_BY_LANGUAGE[language]:
        words = words_of(line.text)
        text = " ".join(words)
        position = 0
        for word in words:
            found = everything.match(text, position)
            if found is not None:
                rules = rule_set.rules_for(word)
                assert rules is not None, (line.text, word)
                match = rules.match(text, position)
                assert match is not None and match.lastgroup == found.lastgroup, (line.text, word)
            position += len(word) + 1
