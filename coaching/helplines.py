"""Crisis help lines by country, and which countries to show a person.

The catalogue is helplines.toml (see docs/helplines.md). `helplines_for_person` picks the lines
for one person: the international directory always, then the country of their time zone, then
the country their Telegram language code points to, and only when neither gives a country with
lines, the operator's fallback countries (the HELPLINE_COUNTRIES setting). Countries come from
the IANA tz database's own tables, shipped in the `tzdata` package.

Everything here is a hint and fails soft: an unknown or odd time zone or language code gives
no country, never an exception, because this runs on the path that answers someone in crisis.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

HELPLINES_FILE = "helplines.toml"
MAX_COUNTRIES = 3
"""At most this many countries' lines (after the directory), so the message stays short."""


@dataclass(frozen=True)
class Helpline:
    """A help line; `country` is None for the international directory.

    `source` is the page that publishes the number, for a person to check; `needs_check` marks
    an entry nobody has yet confirmed against that page.
    """

    name: str
    country: str | None
    phone: str | None
    text: str | None
    url: str | None
    source: str | None = None
    hours: str | None = None
    needs_check: bool = False
    verified: str | None = None


_COUNTRY_ALIASES = {"UK": "GB"}


@dataclass(frozen=True)
class Catalogue:
    """The directory and each country's lines (usually one, in order)."""

    directory: Helpline
    countries: Mapping[str, tuple[Helpline, ...]]


def parse_catalogue(raw: str) -> Catalogue:
    """Parse the TOML text of a help-line catalogue."""
    data = tomllib.loads(raw)
    directory = _helpline(data["directory"], None)
    countries: dict[str, tuple[Helpline, ...]] = {}
    for code, entry in data.get("countries", {}).items():
        key = code.upper()
        countries[key] = (_helpline(entry, key),)
    for code, entries in data.get("also", {}).items():
        key = code.upper()
        extra = tuple(_helpline(entry, key) for entry in entries)
        countries[key] = countries.get(key, ()) + extra
    return Catalogue(directory=directory, countries=countries)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, read once."""
    package = resources.files("coaching")
    return parse_catalogue(package.joinpath(HELPLINES_FILE).read_text("utf-8"))


def _helpline(entry: dict[str, Any], country: str | None) -> Helpline:
    def optional(key: str) -> str | None:
        value = entry.get(key)
        return None if value is None else str(value)

    return Helpline(
        name=str(entry["name"]),
        country=country,
        phone=optional("phone"),
        text=optional("text"),
        url=optional("url"),
        source=optional("source"),
        hours=optional("hours"),
        needs_check=bool(entry.get("needs_check", False)),
        verified=optional("verified"),
    )


def _country_code(code: str) -> str:
    key = code.strip().upper()
    return _COUNTRY_ALIASES.get(key, key)


def _append_countries(
    result: list[Helpline], codes: Iterable[str | None], limit: int | None
) -> list[Helpline]:
    known = catalogue().countries
    seen: set[str] = set()
    for code in codes:
        if limit is not None and len(seen) >= limit:
            break
        if code is None:
            continue
        key = _country_code(code)
        if key in known and key not in seen:
            seen.add(key)
            result.extend(known[key])
    return result


def helplines_for(countries: Sequence[str]) -> list[Helpline]:
    """The international directory, then lines for `countries` (ISO codes) in order.

    Codes are case-insensitive ("uk" is read as GB); unknown codes and repeats are skipped.
    """
    return _append_countries([catalogue().directory], countries, limit=None)


def has_lines(country: str | None) -> bool:
    """Whether the catalogue has lines for `country` (an ISO code, any case)."""
    return country is not None and _country_code(country) in catalogue().countries


def countries_for_person(
    timezone: str | None, language_code: str | None, fallback: Sequence[str]
) -> list[str]:
    """The countries whose lines to show, in order, at most MAX_COUNTRIES.

    1. the country of `timezone` (an IANA name such as "Europe/Kyiv"), if it has lines;
    2. the country `language_code` points to, if it has lines and differs from 1;
    3. only if neither gave a country with lines: the operator's `fallback` codes, in order.
    """
    chosen: list[str] = []
    for code in (country_for_timezone(timezone), country_for_language(language_code)):
        if code is not None and has_lines(code) and code not in chosen:
            chosen.append(code)
    if not chosen:
        for code in map(_country_code, fallback):
            if has_lines(code) and code not in chosen:
                chosen.append(code)
    return chosen[:MAX_COUNTRIES]


def helplines_for_person(
    timezone: str | None, language_code: str | None, fallback: Sequence[str]
) -> list[Helpline]:
    """The directory, then lines for `countries_for_person(...)`.

    Someone whose time zone is Europe/Kyiv gets Lifeline Ukraine, not the operator's US or UK
    lines; someone whose zone says nothing (UTC, unset) but whose Telegram language is "uk"
    gets the same; someone with neither gets the `fallback` countries (HELPLINE_COUNTRIES).
    """
    countries = countries_for_person(timezone, language_code, fallback)
    return _append_countries([catalogue().directory], countries, limit=MAX_COUNTRIES)


# --- Country from the time zone --------------------------------------------------------------

# Legacy zone names that are not one country. The tz database links them to one city's zone
# (CET and MET to Brussels, EST to Panama, ...), which would name the wrong country.
_NO_COUNTRY_ZONES = frozenset(
    {"cet", "met", "eet", "wet", "est", "mst", "hst", "est5edt", "cst6cdt", "mst7mdt", "pst8pdt"}
)


# Old names that the tz database now links to a zone in another country (zones were merged
# where clocks agree since 1970): the place the old name stands for, not the link's country.
_LINKS_ACROSS_BORDERS: Mapping[str, str] = {
    "africa/asmera": "ER",
    "africa/timbuktu": "ML",
    "america/coral_harbour": "CA",
    "america/virgin": "VI",
    "antarctica/south_pole": "AQ",
    "atlantic/jan_mayen": "SJ",
    "iceland": "IS",
    "pacific/ponape": "FM",
    "pacific/truk": "FM",
    "pacific/yap": "FM",
}


def _tzdata_file(name: str) -> str | None:
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")
    except (ModuleNotFoundError, OSError, UnicodeDecodeError):
        return None


def _table_rows(text: str | None) -> Iterable[list[str]]:
    for line in (text or "").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def _zone_countries() -> dict[str, str]:
    """Lower-cased zone name (canonical or link) -> ISO country code."""
    zones: dict[str, str] = {}
    # zone.tab: one country per zone, including zones that are links in the main data.
    for row in _table_rows(_tzdata_file("zone.tab")):
        if len(row) >= 3:
            zones[row[2].lower()] = row[0].upper()
    # zone1970.tab: a zone may list several countries; use it only where it names one.
    for row in _table_rows(_tzdata_file("zone1970.tab")):
        if len(row) >= 3 and "," not in row[0]:
            zones.setdefault(row[2].lower(), row[0].upper())
    for link, country in _LINKS_ACROSS_BORDERS.items():
        zones.setdefault(link, country)
    # Links (backward names such as Europe/Kiev, US/Eastern, Asia/Calcutta): "L TARGET LINK".
    for line in (_tzdata_file("tzdata.zi") or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            target, link = parts[1].lower(), parts[2].lower()
            if link not in zones and link not in _NO_COUNTRY_ZONES and target in zones:
                zones[link] = zones[target]
    return zones


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to the tz database (iso3166.tab); empty without tzdata."""
    return frozenset(row[0].upper() for row in _table_rows(_tzdata_file("iso3166.tab")) if row)


def country_for_timezone(tz_name: str | None) -> str | None:
    """The ISO country of an IANA time zone name, or None (UTC, Etc/*, unknown, several)."""
    if not tz_name:
        return None
    return _zone_countries().get(tz_name.strip().lower())


# --- Country from the language code ----------------------------------------------------------

# Languages most of whose speakers live in one country that has lines, so the language is a
# useful hint when the time zone says nothing. Deliberately absent: en, es, fr, pt, ar, ru, zh
# and others spoken widely in several countries; for those only a region subtag ("pt-br") counts.
_LANGUAGE_COUNTRIES: Mapping[str, str] = {
    "uk": "UA",
    "ja": "JP",
    "ko": "KR",
    "pl": "PL",
    "de": "DE",
    "nl": "NL",
    "it": "IT",
    "sv": "SE",
    "da": "DK",
    "fi": "FI",
    "nb": "NO",
    "nn": "NO",
    "no": "NO",
    "he": "IL",
    "iw": "IL",
    "hi": "IN",
    "mr": "IN",
    "te": "IN",
    "kn": "IN",
    "ml": "IN",
    "gu": "IN",
    "fil": "PH",
    "tl": "PH",
    "ms": "MY",
    "ca": "ES",
    "eu": "ES",
    "gl": "ES",
}


def country_for_language(language_code: str | None) -> str | None:
    """A country hinted by an IETF language tag such as Telegram's "pt-br" or "en-GB", or None.

    A region subtag wins ("de-AT" -> AT, "pt-br" -> BR, "en-GB" -> GB, "zh-Hant-HK" -> HK);
    numeric regions ("es-419") and unknown ones are ignored. Without a usable region, only
    languages in `_LANGUAGE_COUNTRIES` give a country. The country may have no lines ("de-LI").
    """
    if not language_code:
        return None
    subtags = language_code.strip().replace("_", "-").split("-")
    language = subtags[0].lower()
    known = iso_countries()
    for subtag in subtags[1:]:
        if len(subtag) == 1:  # an extension or private-use part ("x-..."): no region follows
            break
        region = _country_code(subtag)
        if len(region) == 2 and region.isascii() and region.isalpha():
            if not known or region in known:
                return region
            break  # not a country code: read the language alone
    return _LANGUAGE_COUNTRIES.get(language)
