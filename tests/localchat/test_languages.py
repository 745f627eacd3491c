"""The terminal chat in Spanish and Russian (issue 21): its own lines (banner, :help, notes,
prompts, durations, dates) in the chat's language, from `--language` or the locale, and the local
users it creates speaking that language to the bot; no English left in a scripted chat.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta

from bot.localchat.texts import describe_duration, describe_moment, environment_language, text
from bot.rendering import PROMPTS_DIR
from tests.kit.db import rows
from tests.kit.languages import english_words
from tests.localchat.cli import SCRIPTS, in_order, run_chat, start_on_a_monday_morning

# The local commands (:help, :wait...) are names, not words of the text.
_LOCAL_COMMAND = re.compile(r"(?<!\S):[a-z]+")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_ENV = jinja2.Environment()


def leftover_english(out: str, db: Path) -> list[str]:
    """English-only words in a transcript, the database's path and local commands left out."""
    return english_words(_LOCAL_COMMAND.sub(" ", out.replace(str(db), " ")))


def test_a_scripted_chat_in_spanish_from_the_locale(tmp_path: Path) -> None:
    db = tmp_path / "es.sqlite3"
    start_on_a_monday_morning(db)
    result = run_chat(
        tmp_path,
        *("--script", str(SCRIPTS / "es.script"), "--db", str(db), "--name", "Ana"),
        env={"LANG": "es_ES.UTF-8"},
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    in_order(
        out,
        "tú> /start",
        "bot> Hola, Ana.",
        "[a] Omitir",
        "bot (editado)> ",
        "✅ Habilidades técnicas",
        "tú> :wait 8d",
        "(8 días después: ahora es ",
        " UTC)",
        "tú> :wait 2h30m",
        "(2 horas y 30 minutos después: ahora es ",
        "tú> :help",
        "Comandos locales (todo lo demás le llega al bot",
        "  :wait 3d       adelanta el reloj del bot",
        "tú> :wait pronto",
        "(uso: :wait 3d (o 2h, 30m, 1w, 1d12h; como mucho un año))",
        "(no existe el comando local :xyz; :help los muestra todos)",
        "(«Nada que pulsar» no corresponde a un único botón; últimos botones: ",
        "(uso: :vote N, para la última encuesta de este chat)",
        "(uso: :say TEXTO)",
        "tú> :as Sam",
        "(ahora eres Sam (id de usuario ",
        "tú (Sam)> :group",
        "(ahora estás en «Círculo Comeback (local)» con ",
        "tú (Sam, en el grupo)> /help",
        "(de vuelta en tu chat privado con el bot)",
        "(ya estás en tu chat privado con el bot)",
        "tú> /progress",
        "bot> [foto guardada en es-files/",
        "tú> /export",
        "bot> [documento comeback-export-",
    )
    assert not leftover_english(out, db), leftover_english(out, db)
    # Ana came from a Spanish Telegram app, and so did Sam, who added the bot to the group.
    assert rows(db, "SELECT first_name, locale FROM users") == [("Ana", "es")]
    assert rows(db, "SELECT language FROM groups") == [("es",)]


def test_a_scripted_chat_in_russian_from_the_option(tmp_path: Path) -> None:
    db = tmp_path / "ru.sqlite3"
    start_on_a_monday_morning(db)
    result = run_chat(
        tmp_path,
        *("--script", str(SCRIPTS / "ru.script"), "--db", str(db), "--name", "Анна"),
        *("--language", "ru"),
        env={"LANG": "es_ES.UTF-8"},  # the option wins over the locale
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    in_order(
        out,
        "ты> /start",
        "бот> Привет, Анна!",
        "[a] Пропустить",
        "бот (изменено)> ",
        "✅ Технические навыки",
        "ты> :wait 8d",
        "(спустя 8 дней: сейчас ",
        " UTC)",
        "ты> :wait 2h30m",
        "(спустя 2 часа 30 минут: сейчас ",
        "ты> :help",
        "Локальные команды (всё остальное уходит боту",
        "  :wait 3d       перевести часы бота вперёд",
        "ты> :wait скоро",
        "(формат: :wait 3d (или 2h, 30m, 1w, 1d12h; не больше года))",
        "(нет такой локальной команды :xyz; список — :help)",
        "(«Нечего нажимать» не подходит ровно к одной кнопке; последние кнопки: ",
        "(формат: :vote N — для последнего опроса в этом чате)",
        "(формат: :say ТЕКСТ)",
        "ты> :as Сергей",
        "(теперь ты Сергей (id пользователя ",
        "ты (Сергей)> :group",
        "(ты в группе «Круг Comeback (локальный)»: ",
        "ты (Сергей, в группе)> /help",
        "(ты снова в личном чате с ботом)",
        "(ты и так в личном чате с ботом)",
        "ты> /progress",
        "бот> [фото сохранено в ru-files/",
        "ты> /export",
        "бот> [документ comeback-export-",
    )
    assert not leftover_english(out, db), leftover_english(out, db)
    assert rows(db, "SELECT first_name, locale FROM users") == [("Анна", "ru")]
    assert rows(db, "SELECT language FROM groups") == [("ru",)]


def test_a_user_the_bot_knows_keeps_their_language(tmp_path: Path) -> None:
    """The chat's own lines follow this run's language; the bot keeps speaking the language it
    stored for a person at first contact (only /language changes it)."""
    db = tmp_path / "c.sqlite3"
    first = run_chat(
        tmp_path, "--db", str(db), "--name", "Ana", "--language", "ru", stdin="/start\n"
    )
    assert first.returncode == 0, first.stderr
    assert "бот> Привет, Ana!" in first.stdout
    again = run_chat(tmp_path, "--db", str(db), "--language", "es", stdin=":wait 1d\n")
    assert again.returncode == 0, again.stderr
    in_order(
        again.stdout,
        "(Ana tiene un repaso sin terminar: lo retomamos)",
        "tú> /resume",
        "bot> ",
        "Что это была за компания?",
        "tú> :wait 1d",
        "(1 día después: ahora es ",
    )
    assert rows(db, "SELECT first_name, locale FROM users") == [("Ana", "ru")]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "es_MX"}, "es"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
        ({"LC_ALL": "", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "ru_RU.UTF-8"}, "es"),
        ({"LC_MESSAGES": "", "LANG": "ru_RU.UTF-8"}, "ru"),
    ],
)
def test_the_language_from_the_locale(environ: dict[str, str], expected: str) -> None:
    assert environment_language(environ) == expected


def test_durations_and_moments_in_each_language() -> None:
    cases = [timedelta(days=1), timedelta(days=3), timedelta(days=8), timedelta(days=21)]
    cases += [timedelta(hours=2, minutes=30), timedelta(minutes=1), timedelta(0)]
    assert [describe_duration(d, "es") for d in cases] == [
        "1 día", "3 días", "8 días", "21 días", "2 horas y 30 minutos", "1 minuto", "0 segundos",
    ]  # fmt: skip
    assert [describe_duration(d, "ru") for d in cases] == [
        "1 день", "3 дня", "8 дней", "21 день", "2 часа 30 минут", "1 минуту", "0 секунд",
    ]  # fmt: skip
    moment = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    assert describe_moment(moment, "en") == "Fri 2026-12-04 10:00"
    assert describe_moment(moment, "es") == "vie 4 dic 2026, 10:00"
    assert describe_moment(moment, "ru") == "пт, 4 дек. 2026, 10:00"
    assert text("es", "note.waited", duration="8 días", moment="vie") == (
        "8 días después: ahora es vie UTC"
    )


def _flat(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def _variables(source: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(source))) - {"plural"}


@pytest.mark.parametrize("language", ["es", "ru"])
def test_every_line_is_translated_with_the_same_variables(language: str) -> None:
    english = _flat(tomllib.loads((PROMPTS_DIR / "localchat.toml").read_text(encoding="utf-8")))
    path = PROMPTS_DIR / language / "localchat.toml"
    translated = _flat(tomllib.loads(path.read_text(encoding="utf-8")))
    assert set(translated) == set(english)
    for key, line in translated.items():
        assert _variables(line) == _variables(english[key]), f"{language} {key}"
        words = english_words(_LOCAL_COMMAND.sub(" ", _JINJA.sub(" ", line)))
        assert not words, f"{path} [{key}] still has English: {words}"
        # the local commands a line names are the English line's, untranslated
        assert set(_LOCAL_COMMAND.findall(line)) == set(_LOCAL_COMMAND.findall(english[key]))
