"""The kinds of check-in, and which of them are about the same thing."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a check-in asks about (the value is `check_ins.kind`)."""

    GOAL_MID = "goal_mid"
    GOAL_WEEKLY = "goal_weekly"
    GOAL_DEADLINE = "goal_deadline"
    FEEDBACK = "feedback"
    FEEDBACK_AGAIN = "feedback_again"
    RESOURCE = "resource"
    MOOD = "mood"
    # The one gentle "How are you today?" the day after a crisis reply (sent while coaching is
    # held; see conversations.crisis).
    WELLBEING = "wellbeing"
    # A group's weekly check-in post and its weekly digest (user_id NULL, chat_id the group).
    GROUP_CHECKIN = "group_checkin"
    GROUP_DIGEST = "group_digest"

    @property
    def family(self) -> tuple[Kind, ...]:
        """The kinds asking about the same subject: a newer one replaces an unanswered older one."""
        for family in FAMILIES:
            if self in family:
                return family
        raise AssertionError(self)  # every kind is in a family

    @property
    def is_goal(self) -> bool:
        """A check-in on a goal's progress."""
        return self in GOAL_KINDS

    @property
    def is_group(self) -> bool:
        """A post to a group rather than a message to one person."""
        return self in GROUP_KINDS


GOAL_KINDS = (Kind.GOAL_MID, Kind.GOAL_WEEKLY, Kind.GOAL_DEADLINE)
FEEDBACK_KINDS = (Kind.FEEDBACK, Kind.FEEDBACK_AGAIN)
GROUP_KINDS = (Kind.GROUP_CHECKIN, Kind.GROUP_DIGEST)
USER_KINDS = tuple(k for k in Kind if k not in GROUP_KINDS)
FAMILIES: tuple[tuple[Kind, ...], ...] = (
    GOAL_KINDS,
    FEEDBACK_KINDS,
    (Kind.RESOURCE,),
    (Kind.MOOD,),
    (Kind.WELLBEING,),
    (Kind.GROUP_CHECKIN,),
    (Kind.GROUP_DIGEST,),
)
