"""The check-in kinds as the person sees them: one `CheckinKindSpec` per kind sent to a person.

Each entry says which template its message renders, with what values, and what each of its
answer buttons does. When a kind is due and which buttons its message carries are its rule in
coaching.kinds.RULES (pure, no Telegram); the group posts are conversations.group's. See
docs/checkins.md, "How to add a check-in kind".
"""

from __future__ import annotations

from coaching.kinds import Kind
from conversations.checkin_compose import (
    CheckinKindSpec,
    feedback_values,
    goal_values,
    mood_values,
    no_values,
    resource_values,
    wellbeing_message,
)
from conversations.checkin_followup import (
    draft_drop,
    draft_sent,
    draft_values,
    feedback_none,
    feedback_not_yet,
    feedback_yes,
    mood,
    reapply_later,
    reapply_no,
    reapply_ready,
    reapply_values,
    resource_skip,
    takeaway_ask,
)
from conversations.checkin_goal import (
    change_menu,
    due_close,
    due_new_date,
    due_smaller,
    goal_done,
    goal_news,
    goal_not_yet,
    goal_partly,
    snooze_menu,
)
from conversations.checkin_prep import interview_prep_values, prep_nervous, prep_ready

GOAL = CheckinKindSpec(
    "checkin/goal",
    goal_values,
    {
        "done": goal_done,
        "partly": goal_partly,
        "notyet": goal_not_yet,
        "snooze": snooze_menu,
        "change": change_menu,
        "news": goal_news,
    },
)
OVERDUE = CheckinKindSpec(
    "checkin/goal_overdue",
    goal_values,
    {
        "done": goal_done,
        "partly": goal_partly,
        "date": due_new_date,
        "smaller": due_smaller,
        "close": due_close,
        "news": goal_news,
    },
)

SPECS: dict[Kind, CheckinKindSpec] = {
    Kind.GOAL_MID: GOAL,
    Kind.GOAL_WEEKLY: GOAL,
    Kind.GOAL_DEADLINE: GOAL,
    Kind.GOAL_OVERDUE: OVERDUE,
    Kind.FEEDBACK: CheckinKindSpec(
        "checkin/feedback",
        feedback_values,
        {"yes": feedback_yes, "notyet": feedback_not_yet, "noreply": feedback_none},
    ),
    Kind.FEEDBACK_AGAIN: CheckinKindSpec(
        "checkin/feedback", feedback_values, {"yes": feedback_yes, "noreply": feedback_none}
    ),
    Kind.RESOURCE: CheckinKindSpec(
        "checkin/resource", resource_values, {"share": takeaway_ask, "skip": resource_skip}
    ),
    Kind.MOOD: CheckinKindSpec("checkin/mood", mood_values, {str(n): mood for n in range(1, 6)}),
    Kind.INTERVIEW_PREP: CheckinKindSpec(
        "checkin/interview_prep",
        interview_prep_values,
        {"ready": prep_ready, "nervous": prep_nervous},
    ),
    Kind.FEEDBACK_DRAFT: CheckinKindSpec(
        "checkin/feedback_draft", draft_values, {"sent": draft_sent, "drop": draft_drop}
    ),
    Kind.REAPPLY: CheckinKindSpec(
        "checkin/reapply",
        reapply_values,
        {"ready": reapply_ready, "later": reapply_later, "no": reapply_no},
    ),
    Kind.WELLBEING: CheckinKindSpec("safety/wellbeing", no_values, message=wellbeing_message),
}
