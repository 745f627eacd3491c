"""Every text in every language (issue 21): nothing missing, nothing English left, the same
variables as the English template, and the language chosen for a person or a group.

A text missing in a language falls back to English at run time (with a warning in the log);
here it fails, naming the file to write.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta

from bot.rendering import PROMPTS_DIR, Prompts
from coaching.dates import full_day
from coaching.language import ENGLISH, LANGUAGES, language_for, plural, speaking
from conversations.settings import parse_quiet
from tests.kit.languages import english_words

PROMPTS = Prompts()
TRANSLATED = [lang for lang in LANGUAGES if lang != ENGLISH]
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_ENV = jinja2.Environment()


def _template_params() -> list[object]:
    return [
        pytest.param(lang, name, id=f"{lang}-{name}")
        for lang in TRANSLATED
        for name in PROMPTS.template_names()
    ]


def _label_params() -> list[object]:
    return [pytest.param(lang, id=f"{lang}-labels") for lang in TRANSLATED]


def _variables(source: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(source))) - {"plural"}


def _includes(source: str) -> set[str]:
    return {name for name in meta.find_referenced_templates(_ENV.parse(source)) if name}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_has_a_translation(language: str) -> None:
    missing = PROMPTS.missing(language)
    assert not missing, (
        f"{len(missing)} texts have no {language} version (English is shown instead): write "
        + ", ".join(
            f"prompts/{language}/labels.toml [{m.removeprefix('label ')}]"
            if m.startswith("label ")
            else f"prompts/{language}/{m}.html"
            for m in missing[:20]
        )
    )


@pytest.mark.parametrize(("language", "name"), _template_params())
def test_a_translated_template_reads_what_the_english_one_reads(language: str, name: str) -> None:
    translated = PROMPTS_DIR / language / f"{name}.html"
    if not translated.exists():
        pytest.skip(f"no {language} text yet (test_every_text_has_a_translation reports it)")
    english = (PROMPTS_DIR / f"{name}.html").read_text(encoding="utf-8")
    source = translated.read_text(encoding="utf-8")
    assert _variables(source) == _variables(english), (
        f"prompts/{language}/{name}.html reads {sorted(_variables(source))}, the English "
        f"{sorted(_variables(english))}"
    )
    assert _includes(source) == _includes(english)


@pytest.mark.parametrize(("language", "name"), _template_params())
def test_no_english_is_left_in_a_translated_template(language: str, name: str) -> None:
    translated = PROMPTS_DIR / language / f"{name}.html"
    if not translated.exists():
        pytest.skip(f"no {language} text yet (test_every_text_has_a_translation reports it)")
    words = english_words(_JINJA.sub(" ", translated.read_text(encoding="utf-8")))
    assert not words, f"prompts/{language}/{name}.html still has English: {words}"


@pytest.mark.parametrize("language", _label_params())
def test_labels_are_translated_with_the_same_variables(language: str) -> None:
    path = PROMPTS_DIR / language / "labels.toml"
    if not path.exists():
        pytest.skip(f"no prompts/{language}/labels.toml yet")
    english = _flat(tomllib.loads((PROMPTS_DIR / "labels.toml").read_text(encoding="utf-8")))
    translated = _flat(tomllib.loads(path.read_text(encoding="utf-8")))
    assert set(translated) <= set(english), (
        f"unknown keys: {sorted(set(translated) - set(english))}"
    )
    for key, text in translated.items():
        assert _variables(text) == _variables(english[key]), f"{language} label {key}"
        words = english_words(_JINJA.sub(" ", text))
        assert not words, f"{language} label {key} = {text!r} still has English: {words}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_coaching_texts_are_translated(language: str) -> None:
    path = PROMPTS_DIR / language / "actions.toml"
    if not path.exists():
        pytest.skip(f"no prompts/{language}/actions.toml yet")
    english = _flat(tomllib.loads((PROMPTS_DIR / "actions.toml").read_text(encoding="utf-8")))
    translated = _flat(tomllib.loads(path.read_text(encoding="utf-8")))
    for key, text in translated.items():
        words = english_words(_JINJA.sub(" ", text))
        assert not words, f"{language} actions.toml {key} still has English: {words}"
    missing = sorted(set(english) - set(translated))
    assert not missing, f"prompts/{language}/actions.toml lacks {missing[:10]}"


# Data, not words: an action's stable key and the interview stages it suits.
_DATA_KEYS = frozenset({"key", "stages"})


def _flat(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if key in _DATA_KEYS:
            continue
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    flat.update(_flat(item, f"{prefix}{key}.{i}."))
                elif isinstance(item, str):
                    flat[f"{prefix}{key}.{i}"] = item
        elif isinstance(value, str):
            flat[f"{prefix}{key}"] = value
    return flat


def test_the_english_check_catches_english_and_spares_spanish_and_russian() -> None:
    assert english_words("Please tell me which step you want") == [
        "Please",
        "which",
        "step",
        "you",
    ]
    assert english_words("¿Quieres que te ayude con el plan? No me olvido de /cancel") == []
    assert english_words('Пишите <a href="https://www.ted.com/talks/x">TED</a> в Comeback') == []


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("es_419", "es"),
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("RU", "ru"),
        ("en-GB", "en"),
        ("pt-br", "en"),
        ("uk", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_language_comes_from_telegrams_language_code(code: str | None, language: str) -> None:
    assert language_for(code) == language


def test_plurals_follow_cldr() -> None:
    forms = {"one": "вакансия", "few": "вакансии", "many": "вакансий"}
    with speaking("ru"):
        assert [plural(n, **forms) for n in (1, 2, 5, 11, 21, 22, 25)] == [
            "вакансия",
            "вакансии",
            "вакансий",
            "вакансий",
            "вакансия",
            "вакансии",
            "вакансий",
        ]
    with speaking("es"):
        assert [plural(n, one="puesto", other="puestos") for n in (0, 1, 2)] == [
            "puestos",
            "puesto",
            "puestos",
        ]
    assert plural(1, one="role", other="roles") == "role"


def test_a_missing_translation_falls_back_to_english_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path
    (root / "es").mkdir()
    (root / "labels.toml").write_text('hello = "Hello"\nbye = "Bye"\n', encoding="utf-8")
    (root / "es" / "labels.toml").write_text('hello = "Hola"\n', encoding="utf-8")
    (root / "greet.html").write_text("Hi {{ name }}", encoding="utf-8")
    (root / "only.html").write_text("English only", encoding="utf-8")
    (root / "es" / "greet.html").write_text("Hola {{ name }}", encoding="utf-8")
    prompts = Prompts(root)
    with speaking("es"):
        assert prompts.render("greet", name="Ana") == "Hola Ana"
        assert prompts.label("hello") == "Hola"
        assert prompts.render("only") == "English only"
        assert prompts.label("bye") == "Bye"
    assert prompts.missing("es") == ["only", "label bye"]
    assert "No es text for only" in caplog.text
    assert "No es text for label bye" in caplog.text


@pytest.mark.parametrize(
    ("text", "quiet"),
    [
        ("22-8", (22, 8)),
        ("10pm to 7am", (22, 7)),
        ("none", (0, 0)),
        ("de 22 a 8", (22, 8)),
        ("22:00 hasta 07:00", (22, 7)),
        ("ninguna", (0, 0)),
        ("с 22 до 8", (22, 8)),
        ("23 по 7", (23, 7)),
        ("нет", (0, 0)),
        ("de medianoche a 8", (0, 8)),
        ("с полночь до 8", (0, 8)),
        ("a", None),
        ("до", None),
    ],
)
def test_quiet_hours_are_read_in_every_language(text: str, quiet: tuple[int, int] | None) -> None:
    assert parse_quiet(text) == quiet


def test_a_plan_date_is_written_in_each_language() -> None:
    day = date(2027, 6, 5)
    assert [full_day(day, lang) for lang in LANGUAGES] == [
        "5 June 2027",
        "5 de junio de 2027",
        "5 июня 2027 г.",
    ]
