"""Tests for coaching.numbers: numbers in words and digits per language."""

from __future__ import annotations

import pytest

from coaching.language import speaking
from coaching.numbers import number_word, read_number


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("en", "zero", 0),
        ("en", "five", 5),
        ("en", "Twelve", 12),
        ("en", "twenty-one", 21),
        ("en", "ninety nine", 99),
        ("en", "a hundred", 100),
        ("en", "one hundred", 100),
        ("es", "cero", 0),
        ("es", "uno", 1),
        ("es", "un", 1),
        ("es", "una", 1),
        ("es", "cinco", 5),
        ("es", "dieciséis", 16),
        ("es", "dieciseis", 16),
        ("es", "veinte", 20),
        ("es", "veintiuno", 21),
        ("es", "veintiún", 21),
        ("es", "veintidós", 22),
        ("es", "treinta y dos", 32),
        ("es", "Noventa y nueve", 99),
        ("es", "cien", 100),
        ("ru", "ноль", 0),
        ("ru", "один", 1),
        ("ru", "одна", 1),
        ("ru", "одну", 1),
        ("ru", "две", 2),
        ("ru", "двух", 2),
        ("ru", "трёх", 3),
        ("ru", "трех", 3),
        ("ru", "четырьмя", 4),
        ("ru", "пять", 5),
        ("ru", "пяти", 5),
        ("ru", "пятью", 5),
        ("ru", "одиннадцати", 11),
        ("ru", "двадцать", 20),
        ("ru", "двадцать одна", 21),
        ("ru", "тридцать две", 32),
        ("ru", "сорока двух", 42),
        ("ru", "пятидесяти", 50),
        ("ru", "восьмидесяти", 80),
        ("ru", "девяноста", 90),
        ("ru", "Сто", 100),
    ],
)
def test_number_words(language: str, text: str, value: int) -> None:
    assert number_word(text, language=language) == value


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "cinco"),
        ("es", "five"),
        ("ru", "five"),
        ("en", "one two"),
        ("es", "cinco y dos"),
        ("ru", "два пять"),
        ("ru", "двадцать тридцать"),
        ("en", ""),
        ("es", "cientos"),
        ("ru", "пятый"),
    ],
)
def test_not_numbers(language: str, text: str) -> None:
    assert number_word(text, language=language) is None


def test_every_number_to_a_hundred_reads_back_in_english() -> None:
    units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    for tens_value, tens in zip(
        range(20, 100, 10),
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
        strict=True,
    ):
        for unit_value, unit in enumerate(units, start=1):
            assert number_word(f"{tens}-{unit}", language="en") == tens_value + unit_value


def test_read_number_takes_digits_or_words() -> None:
    assert read_number(" 12 ", language="ru") == 12
    assert read_number("+3", language="es") == 3
    assert read_number("siete", language="es") == 7
    assert read_number("семь", language="ru") == 7
    assert read_number("seven", language="es") is None
    assert read_number("3.5", language="en") is None


def test_the_current_language_is_the_default() -> None:
    with speaking("ru"):
        assert number_word("десять") == 10
        assert read_number("ten") is None
    with speaking("es"):
        assert number_word("diez") == 10
    assert number_word("ten") == 10
