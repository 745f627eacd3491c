"""A catalog of real books, talks, podcasts and exercises per language, and a mood-aware picker.

Each language has its own catalog: `resources.toml` (English), `resources_<code>.toml` for the
others, each holding works available in that language (an original or a published translation,
under its translated title). The same work keeps the same id in every catalog, so a resource
someone already picked in one language is not offered again in another.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from coaching.language import ENGLISH, LANGUAGES, current_language
from coaching.model import Gap, MoodBand, ResourceKind

CATALOG_FILE = "resources.toml"

# Scoring weights for choose_resources.
_MOOD_MATCH = 3.0
_PER_GAP = 2.0
_MAX_GAPS_COUNTED = 2
_LOW_MOOD_EXERCISE = 2.0
_LOW_MOOD_SELF_COMPASSION = 2.0
_LOW_MOOD_LONG_PENALTY = 2.0
_LONG_MINUTES = 60
_JITTER = 1.0


@dataclass(frozen=True)
class Resource:
    """One catalog entry; `url` and `author` are None where the catalog has none."""

    id: str
    kind: ResourceKind
    title: str
    author: str | None
    minutes: int
    url: str | None
    themes: tuple[str, ...]
    gaps: tuple[Gap, ...]
    moods: tuple[MoodBand, ...]
    summary: str
    stands_for: tuple[str, ...] = ()
    """English catalog ids this entry takes the place of in its language, for a work the code
    names by id (coaching/patterns.py) that has no edition in that language."""


def parse_catalog(text: str) -> tuple[Resource, ...]:
    """Parse and validate resources TOML; raises ValueError on a malformed entry."""
    data = tomllib.loads(text)
    catalog = tuple(_parse_entry(entry) for entry in data.get("resource", []))
    seen: set[str] = set()
    for item in catalog:
        if item.id in seen:
            raise ValueError(f"duplicate resource id {item.id!r}")
        seen.add(item.id)
    return catalog


def _parse_entry(entry: dict[str, Any]) -> Resource:
    try:
        resource = Resource(
            id=str(entry["id"]),
            kind=ResourceKind(entry["kind"]),
            title=str(entry["title"]),
            author=_optional_str(entry.get("author")),
            minutes=int(entry["minutes"]),
            url=_optional_str(entry.get("url")),
            themes=tuple(str(t) for t in entry.get("themes", [])),
            gaps=tuple(Gap(g) for g in entry.get("gaps", [])),
            moods=tuple(MoodBand(m) for m in entry["moods"]),
            summary=str(entry["summary"]),
            stands_for=tuple(str(i) for i in entry.get("stands_for", [])),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"bad resource entry {entry.get('id')!r}: {exc}") from exc
    if not resource.id or not resource.title or resource.minutes < 1 or not resource.moods:
        raise ValueError(f"incomplete resource entry {resource.id!r}")
    return resource


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def catalog_file(language: str) -> str:
    """The catalog file of a language: resources.toml for English, resources_<code>.toml."""
    return CATALOG_FILE if language == ENGLISH else f"resources_{language}.toml"


def load_catalog(language: str | None = None) -> tuple[Resource, ...]:
    """The packaged catalog of `language` (None: the current language), parsed once.

    A language the bot does not speak, or one whose catalog is not written yet, gets the
    English catalog (tests/coaching/test_coaching_resources.py fails on the latter)."""
    return _catalog(language or current_language())


@cache
def _catalog(language: str) -> tuple[Resource, ...]:
    folder = resources.files("coaching")
    source = folder.joinpath(catalog_file(language))
    if language not in LANGUAGES or not source.is_file():
        source = folder.joinpath(CATALOG_FILE)
    return parse_catalog(source.read_text("utf-8"))


@cache
def _by_id(language: str) -> dict[str, Resource]:
    found = {item.id: item for item in _catalog(language)}
    for item in _catalog(language):
        for other in item.stands_for:
            # Under the id asked for: callers key what they show by it.
            found.setdefault(other, replace(item, id=other))
    return found


def get_resource(resource_id: str, language: str | None = None) -> Resource | None:
    """The entry with this id in the catalog of `language` (None: the current language), or
    the one that stands for it there; or None.

    An id found only in another language's catalog (a button or a record from before the
    person changed language) gives that catalog's entry, English first, rather than None.
    """
    current = language or current_language()
    for catalog in (current, ENGLISH, *LANGUAGES):
        found = _by_id(catalog).get(resource_id)
        if found is not None:
            return found
    return None


def fit_score(item: Resource, band: MoodBand, gaps: Collection[Gap]) -> float:
    """How well `item` suits the mood band and gaps (higher is better), before jitter."""
    score = _MOOD_MATCH if band in item.moods else 0.0
    overlap = len(set(gaps) & set(item.gaps))
    score += _PER_GAP * min(overlap, _MAX_GAPS_COUNTED)
    if band is MoodBand.LOW:
        if item.kind is ResourceKind.EXERCISE:
            score += _LOW_MOOD_EXERCISE
        if "self_compassion" in item.themes:
            score += _LOW_MOOD_SELF_COMPASSION
        if item.minutes > _LONG_MINUTES:
            score -= _LOW_MOOD_LONG_PENALTY
    return score


def choose_resources(
    catalog: Sequence[Resource],
    mood: int,
    gaps: Collection[Gap],
    rng: random.Random,
    exclude: Collection[str] = (),
    count: int = 3,
    done: Collection[str] = (),
) -> list[Resource]:
    """Pick `count` well-fitting resources of distinct kinds where possible.

    Items are ranked by `fit_score` plus a small random jitter from `rng` (so a seeded rng
    gives the same picks). Excluded ids (already shown: "show others") are never picked while
    enough others remain; once fewer than `count` are left, the excluded ones are offered again
    ("start over"), so asking for others never dead-ends. `done` ids (picked in an earlier
    debrief, the exercise just done) come last of all, only when nothing else is left. Returns
    fewer than `count` only if the catalog is smaller than that. Raises ValueError for a mood
    outside 1-5.
    """
    band = MoodBand.from_score(mood)
    wanted = {Gap(g) for g in gaps}
    excluded = set(exclude)
    finished = set(done)
    unique = list({item.id: item for item in catalog}.values())
    scores = {item.id: fit_score(item, band, wanted) + _JITTER * rng.random() for item in unique}

    def ranked(items: Iterable[Resource]) -> list[Resource]:
        return sorted(items, key=lambda item: -scores[item.id])

    fresh = [i for i in unique if i.id not in finished]
    chosen = _pick_diverse(ranked(i for i in fresh if i.id not in excluded), count, [])
    for rest in (
        [i for i in fresh if i.id in excluded],
        [i for i in unique if i.id in finished],
    ):
        if len(chosen) < count:
            chosen = _pick_diverse(ranked(rest), count - len(chosen), chosen)
    return chosen


class Why(StrEnum):
    """Why a pick fits, in a few words (prompts/debrief/ask_resource.html words each)."""

    GAP = "gap"
    HARD_DAY = "hard_day"
    RIGHT_NOW = "right_now"
    MOOD = "mood"
    PERSPECTIVE = "perspective"


def why_it_fits(item: Resource, mood: int, gaps: Collection[Gap]) -> tuple[Why, Gap | None]:
    """The main reason `item` was suggested: the gap it helps with (the first one named that
    it covers), kindness for a hard day, a short exercise for right now, or the mood."""
    band = MoodBand.from_score(mood)
    for gap in gaps:
        if Gap(gap) in item.gaps and gap is not Gap.UNSURE:
            return Why.GAP, Gap(gap)
    if band is MoodBand.LOW and "self_compassion" in item.themes:
        return Why.HARD_DAY, None
    if item.kind is ResourceKind.EXERCISE and item.minutes <= _LONG_MINUTES:
        return Why.RIGHT_NOW, None
    if band in item.moods:
        return Why.MOOD, None
    return Why.PERSPECTIVE, None


_EVENING_MINUTES = 180
"""A book longer than this takes "a few evenings"; shorter, "an evening"."""


def time_needed(item: Resource) -> tuple[str, int]:
    """How long a resource takes, as the person reads it: a book in evenings (its reading
    time in minutes says little), the rest in minutes. Returns a key and the minutes."""
    if item.kind is ResourceKind.BOOK:
        return ("few_evenings" if item.minutes > _EVENING_MINUTES else "evening"), item.minutes
    return "minutes", item.minutes


def _pick_diverse(ranked: list[Resource], count: int, chosen: list[Resource]) -> list[Resource]:
    """Append up to `count` items from `ranked`, preferring kinds not yet in `chosen`."""
    picked = list(chosen)
    remaining = list(ranked)
    target = len(chosen) + max(count, 0)
    while remaining and len(picked) < target:
        kinds = {item.kind for item in picked}
        choice = next((item for item in remaining if item.kind not in kinds), remaining[0])
        picked.append(choice)
        remaining.remove(choice)
    return picked
