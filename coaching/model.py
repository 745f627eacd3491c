"""Vocabulary shared by the coaching logic: interview stages, gaps, strengths and more."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """How far the application got before the rejection, shallowest first."""

    APPLICATION = "application"
    PHONE_SCREEN = "phone_screen"
    TECHNICAL = "technical"
    ONSITE = "onsite"
    OFFER = "offer"

    @property
    def depth(self) -> int:
        """Position in the hiring funnel: 0 for the application, 4 for the offer."""
        return list(Stage).index(self)


class HowHeard(StrEnum):
    """How the rejection arrived."""

    EMAIL = "email"
    CALL = "call"
    PORTAL = "portal"
    GHOSTED = "ghosted"


class Gap(StrEnum):
    """What the user thinks held them back."""

    TECHNICAL = "technical"
    THEORY = "theory"
    CREDENTIALS = "credentials"
    INTERVIEWING = "interviewing"
    PORTFOLIO = "portfolio"
    UNSURE = "unsure"


class Strength(StrEnum):
    """What the user brings that is worth building on."""

    TECHNICAL = "technical"
    THEORY = "theory"
    CREDENTIALS = "credentials"
    INTERVIEWING = "interviewing"
    PORTFOLIO = "portfolio"
    COMMUNICATION = "communication"
    PERSISTENCE = "persistence"


class Channel(StrEnum):
    """Where the feedback request will be sent."""

    EMAIL = "email"
    LINKEDIN = "linkedin"


class Tone(StrEnum):
    """Voice of the feedback request."""

    WARM = "warm"
    FORMAL = "formal"
    BRIEF = "brief"


class GoalKind(StrEnum):
    """What a retry goal counts."""

    APPLY = "apply"
    MOCK_INTERVIEWS = "mock_interviews"
    PRACTICE_PROBLEMS = "practice_problems"
    COURSE_MODULE = "course_module"
    # The next real interview: counted by the interviews recorded with /outcome.
    INTERVIEW = "interview"
    CUSTOM = "custom"


class ResourceKind(StrEnum):
    """The form a motivational resource takes."""

    BOOK = "book"
    TALK = "talk"
    PODCAST = "podcast"
    EXERCISE = "exercise"


class MoodBand(StrEnum):
    """A 1-5 mood score grouped into three bands: low (1-2), mid (3), high (4-5)."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"

    @classmethod
    def from_score(cls, score: int) -> MoodBand:
        """The band of a 1-5 mood score; raises ValueError outside 1-5."""
        if isinstance(score, bool) or not 1 <= score <= 5:
            raise ValueError(f"mood score must be 1-5, got {score!r}")
        if score <= 2:
            return cls.LOW
        if score == 3:
            return cls.MID
        return cls.HIGH
