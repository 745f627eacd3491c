"""Tests for coaching.helplines and helplines.toml."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.helplines import (
    _LANGUAGE_COUNTRIES,
    HELPLINES_FILE,
    MAX_COUNTRIES,
    Helpline,
    catalogue,
    countries_for_person,
    country_for_language,
    country_for_timezone,
    has_lines,
    helplines_for,
    helplines_for_person,
    parse_catalogue,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "helplines.md"
COUNTRIES = catalogue().countries
LINES = [line for lines in COUNTRIES.values() for line in lines]
FALLBACK = ["US", "GB"]

# Entries not yet confirmed against their source page. Changing this set means changing the
# catalogue, docs/helplines.md and the release note together.
NEEDS_CHECK = {
    ("AR", "Línea de Salud Mental del Ministerio de Salud"),
    ("CL", "Línea de Prevención del Suicidio *4141 (MINSAL)"),
    ("KZ", "Телефон доверия 150 (Союз кризисных центров)"),
    ("PE", "Línea 113 del MINSA, opción 5 (salud mental)"),
    ("RU", "Детский телефон доверия (звонить могут и взрослые)"),
    ("UY", "Línea Vida de ASSE (*0767 desde celulares)"),
    ("BE", "Centre de Prévention du Suicide"),
    ("ES", "Línea 024 de atención a la conducta suicida"),
    ("HK", "The Samaritan Befrienders Hong Kong"),
    ("IN", "Tele-MANAS"),
    ("IT", "Telefono Amico Italia"),
    ("JP", "Inochi no Denwa (いのちの電話)"),
    ("KR", "Suicide prevention line 109 (자살예방상담전화)"),
    ("MX", "Línea de la Vida"),
    ("MY", "Befrienders Kuala Lumpur"),
    ("PH", "NCMH Crisis Hotline"),
    ("PL", "Centrum Wsparcia dla Osób Dorosłych w Kryzysie Psychicznym"),
}


def _tzdata(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")


ISO_CODES = {
    line.split("\t")[0] for line in _tzdata("iso3166.tab").splitlines() if not line.startswith("#")
}


def _countries(lines: list[Helpline]) -> list[str | None]:
    return list(dict.fromkeys(line.country for line in lines[1:]))


# --- The catalogue ---------------------------------------------------------------------------


def test_at_least_25_countries_with_valid_iso_codes() -> None:
    assert len(COUNTRIES) >= 25
    assert set(COUNTRIES) <= ISO_CODES
    assert "UK" not in COUNTRIES  # the ISO code is GB


@pytest.mark.parametrize("line", LINES, ids=lambda line: f"{line.country}-{line.name}")
def test_every_entry_is_complete(line: Helpline) -> None:
    assert line.name.strip()
    assert line.phone or line.text
    assert line.url is not None and line.url.startswith("https://")
    assert line.source is not None and line.source.startswith("https://")
    assert line.hours is None or line.hours.strip()
    # Either reviewed (and when) or flagged for a person to check, never both or neither.
    assert line.needs_check != (line.verified is not None)
    assert line.verified is None or re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", line.verified)


@pytest.mark.parametrize("line", LINES, ids=lambda line: f"{line.country}-{line.name}")
def test_numbers_are_dialable_strings(line: Helpline) -> None:
    for number in (line.phone, line.text):
        if number is not None:
            # a leading "*" for a mobile short code (Chile's *4141)
            assert re.fullmatch(r"\*?[0-9 +\-()]+", number), number
            assert re.search(r"\d{3}", number.replace(" ", "").replace("-", "")), number


def test_directory_is_find_a_helpline() -> None:
    directory = catalogue().directory
    assert directory.name == "Find A Helpline"
    assert directory.country is None
    assert directory.url == "https://findahelpline.com"
    assert directory.source == "https://findahelpline.com"
    assert not directory.needs_check


def test_needs_check_entries_are_exactly_the_listed_ones() -> None:
    assert {(line.country, line.name) for line in LINES if line.needs_check} == NEEDS_CHECK


def test_also_lines_belong_to_a_catalogued_country() -> None:
    raw = resources.files("coaching").joinpath(HELPLINES_FILE).read_text("utf-8")
    data = tomllib.loads(raw)
    assert set(data.get("also", {})) <= set(data["countries"])
    assert [line.name for line in COUNTRIES["BE"]] == [
        "Zelfmoordlijn 1813",
        "Centre de Prévention du Suicide",
    ]


def test_parse_catalogue_minimal() -> None:
    parsed = parse_catalogue('[directory]\nname = "D"\n[countries.us]\nname = "L"\nphone = "1"\n')
    assert parsed.directory == Helpline("D", None, None, None, None)
    assert parsed.countries["US"][0].phone == "1"
    assert not parsed.countries["US"][0].needs_check


@pytest.mark.parametrize(
    ("code", "phone"),
    [("US", "988"), ("CA", "988"), ("GB", "116 123"), ("IE", "116 123"), ("DE", "0800 111 0 111"),
     ("AT", "142"), ("CH", "143"), ("FR", "3114"), ("NL", "0800-0113"), ("UA", "7333"),
     ("BR", "188"), ("SG", "1767"), ("IL", "1201"), ("AU", "13 11 14"), ("NZ", "1737"),
     ("IN", "14416"), ("SE", "90101"), ("ZA", "0800 567 567"), ("ES", "024"), ("KR", "109"),
     ("MX", "800 911 2000"), ("AR", "0800 999 0091"), ("CL", "*4141"), ("PE", "113"),
     ("UY", "0800 0767"), ("RU", "8 800 2000 122"), ("KZ", "150")],
)  # fmt: skip
def test_known_numbers(code: str, phone: str) -> None:
    assert COUNTRIES[code][0].phone == phone


# --- The docs table --------------------------------------------------------------------------


def _doc_rows() -> list[list[str]]:
    rows = []
    for line in DOCS.read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 7 and re.fullmatch(r"[A-Z]{2}", cells[0]):
            rows.append(cells)
    return rows


def test_docs_table_matches_the_catalogue() -> None:
    rows = _doc_rows()
    assert len(rows) == len(LINES)
    by_name = {(row[0], row[1]): row for row in rows}
    for line in LINES:
        assert line.country is not None
        row = by_name[(line.country, line.name)]
        for number in (line.phone, line.text):
            if number is not None:
                assert number in row[2] + row[3], (line.name, number)
        assert (line.hours or "") == row[4], line.name
        assert line.source is not None and line.source in row[5]
        assert ("needs check" in row[6]) == line.needs_check, line.name


# --- Old API kept ----------------------------------------------------------------------------


def test_helplines_for_directory_first_then_countries_in_order() -> None:
    lines = helplines_for(["DE", "xx", "us", "DE", "uk", " ie "])
    assert lines[0] == catalogue().directory
    assert [h.country for h in lines[1:]] == ["DE", "US", "GB", "IE"]
    assert lines[1].phone == "0800 111 0 111"
    assert lines[2].phone == "988" and lines[2].text == "988"
    assert lines[3].name == "Samaritans" and lines[3].phone == "116 123"
    assert [h.name for h in helplines_for([])] == ["Find A Helpline"]


# --- Country from the time zone --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Kyiv", "UA"),
        ("Europe/Kiev", "UA"),
        ("Europe/Uzhgorod", "UA"),
        ("America/Toronto", "CA"),
        ("America/Montreal", "CA"),
        ("Canada/Eastern", "CA"),
        ("America/Coral_Harbour", "CA"),
        ("Asia/Kolkata", "IN"),
        ("Asia/Calcutta", "IN"),
        ("US/Eastern", "US"),
        ("America/New_York", "US"),
        ("Europe/London", "GB"),
        ("GB", "GB"),
        ("Europe/Oslo", "NO"),  # a link to Europe/Berlin in the data; zone.tab says NO
        ("Europe/Amsterdam", "NL"),
        ("Europe/Busingen", "DE"),
        ("Asia/Kuala_Lumpur", "MY"),
        ("America/Argentina/Buenos_Aires", "AR"),
        ("America/Buenos_Aires", "AR"),
        ("America/Santiago", "CL"),
        ("America/Lima", "PE"),
        ("America/Montevideo", "UY"),
        ("America/Mexico_City", "MX"),
        ("Europe/Madrid", "ES"),
        ("Atlantic/Canary", "ES"),
        ("Europe/Moscow", "RU"),
        ("Asia/Vladivostok", "RU"),
        ("Asia/Almaty", "KZ"),
        ("Europe/Minsk", "BY"),
        ("Japan", "JP"),
        ("Iceland", "IS"),
        ("europe/berlin", "DE"),
        (" Europe/Paris ", "FR"),
        ("UTC", None),
        ("Etc/UTC", None),
        ("Etc/GMT+5", None),
        ("GMT", None),
        ("CET", None),
        ("EST", None),
        ("EST5EDT", None),
        ("Mars/Olympus_Mons", None),
        ("", None),
        (None, None),
    ],
)
def test_country_for_timezone(zone: str | None, country: str | None) -> None:
    assert country_for_timezone(zone) == country


def test_every_zone_of_a_catalogued_country_resolves_to_it() -> None:
    for line in _tzdata("zone.tab").splitlines():
        if not line.startswith("#"):
            code, _, zone = line.split("\t")[:3]
            assert country_for_timezone(zone) == code, zone


# --- Country from the language code ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("uk", "UA"),
        ("ja", "JP"),
        ("ko", "KR"),
        ("pl", "PL"),
        ("de", "DE"),
        ("de-AT", "AT"),
        ("de-ch", "CH"),
        ("pt-br", "BR"),
        ("pt_BR", "BR"),
        ("en-GB", "GB"),
        ("en-UK", "GB"),
        ("fr-BE", "BE"),
        ("zh-Hant-HK", "HK"),
        ("UK", "UA"),
        ("en", None),
        ("es", None),
        ("fr", None),
        ("ar", None),
        ("pt", None),
        ("ru", None),
        ("zh-hans", None),
        ("es-419", None),
        ("es-AR", "AR"),
        ("es_MX", "MX"),
        ("ru-RU", "RU"),
        ("ru-KZ", "KZ"),
        ("de-XX", "DE"),
        ("en-x-gb", None),
        ("", None),
        (None, None),
    ],
)
def test_country_for_language(code: str | None, country: str | None) -> None:
    assert country_for_language(code) == country


def test_every_language_hint_points_to_a_country_with_lines() -> None:
    assert all(has_lines(country) for country in _LANGUAGE_COUNTRIES.values())


# --- Choosing for a person -------------------------------------------------------------------


def test_kyiv_gets_lifeline_ukraine_not_the_fallback() -> None:
    lines = helplines_for_person("Europe/Kyiv", "en", FALLBACK)
    assert lines[0] == catalogue().directory
    assert lines[1].country == "UA" and lines[1].phone == "7333"
    assert _countries(lines) == ["UA"]


def test_time_zone_first_then_language() -> None:
    assert _countries(helplines_for_person("Europe/Kiev", "en-US", FALLBACK)) == ["UA", "US"]
    assert _countries(helplines_for_person("Europe/Berlin", "uk", FALLBACK)) == ["DE", "UA"]
    assert _countries(helplines_for_person("Europe/Berlin", "de", FALLBACK)) == ["DE"]
    assert _countries(helplines_for_person("America/Toronto", None, FALLBACK)) == ["CA"]
    assert _countries(helplines_for_person("Asia/Kolkata", "hi", FALLBACK)) == ["IN"]


def test_language_when_the_time_zone_says_nothing() -> None:
    assert _countries(helplines_for_person("UTC", "uk", FALLBACK)) == ["UA"]
    assert _countries(helplines_for_person(None, "pt-br", FALLBACK)) == ["BR"]
    # A zone in a country without lines counts as saying nothing.
    assert _countries(helplines_for_person("Asia/Tehran", "ja", FALLBACK)) == ["JP"]


def test_spanish_and_russian_speakers_get_the_lines_of_where_they_are() -> None:
    assert _countries(helplines_for_person("America/Lima", "es", FALLBACK)) == ["PE"]
    assert _countries(helplines_for_person("Europe/Madrid", "es-MX", FALLBACK)) == ["ES", "MX"]
    assert _countries(helplines_for_person("America/Santiago", "es-419", FALLBACK)) == ["CL"]
    assert _countries(helplines_for_person("Asia/Almaty", "ru", FALLBACK)) == ["KZ"]
    assert _countries(helplines_for_person("Europe/Moscow", "ru", FALLBACK)) == ["RU"]
    # Spanish and Russian alone point to no country: each is spoken in many (docs/helplines.md).
    assert _countries(helplines_for_person("UTC", "es", FALLBACK)) == FALLBACK
    assert _countries(helplines_for_person(None, "ru", FALLBACK)) == FALLBACK
    # Belarus has no line in the catalogue yet: a Russian speaker there gets the fallback.
    assert _countries(helplines_for_person("Europe/Minsk", "ru", FALLBACK)) == FALLBACK
    assert _countries(helplines_for_person("UTC", "es-AR", FALLBACK)) == ["AR"]


def test_fallback_only_when_neither_gives_a_country_with_lines() -> None:
    assert _countries(helplines_for_person("UTC", None, FALLBACK)) == ["US", "GB"]
    assert _countries(helplines_for_person(None, "en", ["uk", "US", "GB"])) == ["GB", "US"]
    assert _countries(helplines_for_person("Nowhere/Atlantis", "xx", FALLBACK)) == ["US", "GB"]
    assert _countries(helplines_for_person("Asia/Tehran", "fa", FALLBACK)) == ["US", "GB"]
    assert helplines_for_person("UTC", None, []) == [catalogue().directory]


def test_at_most_three_countries() -> None:
    many = ["US", "GB", "IE", "DE", "FR", "AU"]
    assert countries_for_person(None, None, many) == ["US", "GB", "IE"]
    assert MAX_COUNTRIES == 3
    assert _countries(helplines_for_person("UTC", None, many)) == ["US", "GB", "IE"]


def test_a_country_with_two_lines_shows_both() -> None:
    lines = helplines_for_person("Europe/Brussels", "fr", FALLBACK)
    assert [line.country for line in lines[1:]] == ["BE", "BE"]


@given(st.one_of(st.none(), st.text(max_size=60)), st.one_of(st.none(), st.text(max_size=20)))
def test_never_raises_and_always_starts_with_the_directory(
    zone: str | None, language: str | None
) -> None:
    lines = helplines_for_person(zone, language, FALLBACK)
    assert lines[0] == catalogue().directory
    countries = _countries(lines)
    assert 1 <= len(countries) <= MAX_COUNTRIES
    assert all(has_lines(country) for country in countries)
