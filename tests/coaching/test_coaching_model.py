"""Tests for coaching.model."""

from __future__ import annotations

import pytest

from coaching.model import Gap, MoodBand, Stage, Strength


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, MoodBand.LOW),
        (2, MoodBand.LOW),
        (3, MoodBand.MID),
        (4, MoodBand.HIGH),
        (5, MoodBand.HIGH),
    ],
)
def test_mood_band_from_score(score: int, band: MoodBand) -> None:
    assert MoodBand.from_score(score) is band


@pytest.mark.parametrize("score", [0, 6, -1, 100])
def test_mood_band_rejects_out_of_range(score: int) -> None:
    with pytest.raises(ValueError, match="1-5"):
        MoodBand.from_score(score)


def test_stages_are_ordered_by_depth() -> None:
    assert [s.value for s in Stage] == [
        "application",
        "phone_screen",
        "technical",
        "onsite",
        "offer",
    ]
    assert [s.depth for s in Stage] == [0, 1, 2, 3, 4]
    assert Stage.ONSITE.depth > Stage.PHONE_SCREEN.depth


def test_values_round_trip_from_strings() -> None:
    assert Gap("unsure") is Gap.UNSURE
    assert Strength("persistence") is Strength.PERSISTENCE
    assert {g.value for g in Gap} <= {s.value for s in Strength} | {"unsure"}
