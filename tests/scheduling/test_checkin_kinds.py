"""The registry of check-in kinds: complete, consistent between its pure and Telegram halves,
and planning as the planner always did."""

from __future__ import annotations

from datetime import date

import pytest

from bot.rendering import PROMPTS_DIR, Prompts
from coaching.kinds import (
    FAMILIES,
    RULES,
    USER_KINDS,
    Facts,
    Kind,
    Origin,
    days_due,
    plan_days,
)
from conversations.checkin_kinds import SPECS

PROMPTS = Prompts()


def test_stored_values_never_change() -> None:
    # Rows in the database hold these strings.
    assert [k.value for k in Kind] == [
        "goal_mid",
        "goal_weekly",
        "goal_deadline",
        "goal_overdue",
        "feedback",
        "feedback_again",
        "feedback_draft",
        "reapply",
        "resource",
        "mood",
        "interview_prep",
        "wellbeing",
        "group_checkin",
        "group_digest",
    ]


def test_every_kind_has_a_rule_a_family_and_a_spec_if_sent_to_a_person() -> None:
    assert set(RULES) == set(Kind)
    assert sorted(k for family in FAMILIES for k in family) == sorted(Kind)
    assert set(SPECS) == set(USER_KINDS)


@pytest.mark.parametrize("kind", USER_KINDS)
def test_the_spec_answers_exactly_the_rule_buttons(kind: Kind) -> None:
    spec, rule = SPECS[kind], RULES[kind]
    assert set(spec.answers) == rule.answers
    assert (PROMPTS_DIR / f"{spec.template}.html").is_file()
    labels = set(PROMPTS.label_keys())
    assert all(a.label in labels for row in rule.buttons for a in row)
    if spec.message is not None:  # made and answered elsewhere
        assert rule.buttons == ()


def test_feedback_asked_again_has_no_second_not_yet() -> None:
    assert RULES[Kind.FEEDBACK].answers == {"yes", "notyet", "noreply"}
    assert RULES[Kind.FEEDBACK_AGAIN].answers == {"yes", "noreply"}


def test_a_plan_lists_the_goal_by_day_then_the_other_subjects() -> None:
    facts = Facts(
        today=date(2026, 11, 27),
        start=date(2026, 11, 27),
        deadline=date(2026, 12, 27),
        feedback_sent_on=date(2026, 11, 27),
        resource_planned_for=date(2026, 11, 30),
        mood=2,
    )
    assert plan_days(facts) == [
        (date(2026, 12, 4), Kind.GOAL_WEEKLY),
        (date(2026, 12, 12), Kind.GOAL_MID),
        (date(2026, 12, 18), Kind.GOAL_WEEKLY),
        (date(2026, 12, 27), Kind.GOAL_DEADLINE),
        (date(2026, 12, 30), Kind.GOAL_OVERDUE),
        (date(2027, 1, 6), Kind.GOAL_OVERDUE),
        (date(2026, 12, 4), Kind.FEEDBACK),
        (date(2026, 12, 1), Kind.RESOURCE),
        (date(2026, 11, 30), Kind.MOOD),
    ]
    assert all(RULES[k].origin is Origin.PLAN for _, k in plan_days(facts))


def test_a_plan_leaves_out_what_is_past_or_not_followed_up() -> None:
    today = date(2026, 12, 13)
    facts = Facts(today, start=date(2026, 11, 27), deadline=date(2026, 12, 27), mood=3)
    assert plan_days(facts) == [
        (date(2026, 12, 18), Kind.GOAL_WEEKLY),
        (date(2026, 12, 27), Kind.GOAL_DEADLINE),
        (date(2026, 12, 30), Kind.GOAL_OVERDUE),
        (date(2027, 1, 6), Kind.GOAL_OVERDUE),
    ]
    late_mood = Facts(today, start=date(2026, 11, 27), mood=1)
    assert plan_days(late_mood) == []
    assert plan_days(Facts(today, resource_planned_for=date(2026, 12, 1))) == [
        (today, Kind.RESOURCE)
    ]


def test_kinds_written_by_answers_and_crises() -> None:
    friday = date(2026, 11, 27)
    assert days_due(Kind.FEEDBACK_AGAIN, Facts(friday)) == [date(2026, 12, 2)]
    assert days_due(Kind.WELLBEING, Facts(friday)) == [date(2026, 11, 28)]
    assert days_due(Kind.GROUP_CHECKIN, Facts(friday)) == []
    assert plan_days(Facts(friday)) == []


def test_an_unsent_draft_is_brought_up_the_day_after_and_never_late() -> None:
    friday = date(2026, 11, 27)
    facts = Facts(friday, start=friday, draft_made_on=friday)
    assert (date(2026, 11, 28), Kind.FEEDBACK_DRAFT) in plan_days(facts)
    assert days_due(Kind.FEEDBACK_DRAFT, Facts(date(2026, 12, 1), draft_made_on=friday)) == []
    assert RULES[Kind.FEEDBACK_DRAFT].answers == {"sent", "drop"}


def test_the_day_to_apply_again_is_written_by_the_reply() -> None:
    today = date(2026, 12, 5)
    assert days_due(Kind.REAPPLY, Facts(today, reapply_on=date(2027, 6, 5))) == [date(2027, 6, 5)]
    assert days_due(Kind.REAPPLY, Facts(today)) == []
    assert RULES[Kind.REAPPLY].origin is Origin.ANSWER
    assert plan_days(Facts(today, reapply_on=date(2027, 6, 5))) == []
