"""The simulated users' script: a full debrief, as the actions a person takes.

Two variants, so the load has the spread of real debriefs: the whole path of
`tests/e2e/test_restart_and_fuzz.happy_path()` (22 updates: a low mood with the grounding offer,
a feedback request drafted and sent) and a shorter one (16 updates: a good mood, the feedback
already asked for). A user's variant is `user_id % 2`, for Comeback and the floor alike.
Each step is (action, value, a text the bot's reply to it must contain).
"""

from __future__ import annotations

from typing import Literal

Action = Literal["command", "say", "press"]
Step = tuple[Action, str, str]

_OPENING: list[Step] = [
    ("command", "/start", "Which company was it?"),
    ("say", "Umbrella", "What was the role?"),
    ("say", "QA", "How far did you get with Umbrella?"),
    ("press", "🏢 Onsite / final rounds", "How did you hear the news?"),
    ("press", "📞 Call", "how are you right now?"),
]

_CLOSING: list[Step] = [
    ("press", "▫️ Theoretical knowledge", "Where do you think it fell short?"),
    ("press", "Done", "Pick one"),
    ("press", "3", "When will you make time for it?"),
    ("press", "Next week", "a goal to try again"),
    ("say", "solve 12 practice problems", "Where are you"),
    ("press", "America/New_York", "By when?"),
    ("say", "next Friday", "Your comeback plan after Umbrella"),
]

FULL: list[Step] = [
    *_OPENING,
    ("press", "2 🙁", "two-minute grounding exercise"),
    ("press", "No thanks, go on", "What is one thing that went well?"),
    ("say", "Rapport with the panel", "one lesson"),
    ("say", "Prepare system design stories", "ask the hirer for feedback?"),
    ("press", "Yes, draft it for me", "Who should it go to?"),
    ("say", "Sam", "How should I sign it?"),
    ("say", "Alex Morgan", "Here is your draft"),
    ("press", "Other tone", "Which tone suits you?"),
    ("press", "Formal", "Here is your draft"),
    ("press", "📨 I've sent it", "Where do you think it fell short?"),
    *_CLOSING,
]

SHORT: list[Step] = [
    *_OPENING,
    ("press", "4 🙂", "What is one thing that went well?"),
    ("say", "Rapport with the panel", "one lesson"),
    ("say", "Prepare system design stories", "ask the hirer for feedback?"),
    ("press", "I already asked", "Where do you think it fell short?"),
    *_CLOSING,
]

VARIANTS: list[list[Step]] = [FULL, SHORT]


def variant_of(user_id: int) -> int:
    """Which script a user follows."""
    return user_id % len(VARIANTS)
