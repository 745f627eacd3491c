"""Draft a short, polite request for feedback after a rejection (or, when the person was
ghosted, for news of where the application stands).

The draft is the one a career coach would send: it thanks, accepts and does not argue; it asks
one question, the one most likely to be answered (the one thing to work on), never one that
invites a comparison with another candidate; its email subject is at most `SUBJECT_MAX`
characters besides the company's name; it is signed with the name the person chose (or none).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Protocol

from coaching.model import Channel, Stage, Tone

MAX_CHARS = 1200
"""Every draft's `full_text` is strictly shorter than this."""

ELLIPSIS = "…"

# Successively tighter caps for (recipient, company, role, sender_name); the last level is a
# safety net that normal templates never need.
_FIELD_LIMITS: tuple[tuple[int, int, int, int], ...] = (
    (60, 60, 80, 60),
    (30, 30, 40, 30),
    (12, 12, 16, 12),
)
_PERSONAL_LINE_MAX = 300
_PERSONAL_LINE_MIN = 20  # below this a trimmed personal line says nothing: drop it instead

SUBJECT_MAX = 50
"""An email subject has at most this many characters besides the company's name."""

# The one question each draft asks: what the person could work on, in the words of the stage.
_STAGE_QUESTION: dict[Stage, str] = {
    Stage.APPLICATION: "application_one_thing",
    Stage.PHONE_SCREEN: "screen_one_thing",
    Stage.TECHNICAL: "technical_one_thing",
    Stage.ONSITE: "one_improvement",
    Stage.OFFER: "one_improvement",
}
STATUS_QUESTION = "status"
"""The question of a ghosted person's note: where the application stands."""
QUESTION_KEYS: tuple[str, ...] = (*dict.fromkeys(_STAGE_QUESTION.values()), STATUS_QUESTION)
"""Every question a draft may ask (each has a template, see `question_template`)."""


class PlainRenderer(Protocol):
    """The part of `bot.rendering.Prompts` this module needs."""

    def render_plain(self, name: str, /, **context: object) -> str:
        """Render `prompts/<name>.html` without HTML escaping."""
        ...


@dataclass(frozen=True)
class FeedbackRequest:
    """What the user told us about the rejection and how they want to ask for feedback."""

    company: str | None
    role: str | None
    stage: Stage
    recipient: str | None
    channel: Channel
    tone: Tone
    personal_line: str | None
    sender_name: str | None
    # They never heard back: the note asks where the application stands, not for feedback.
    ghosted: bool = False


@dataclass(frozen=True)
class FeedbackDraft:
    """A ready-to-copy message; `subject` is set only for email."""

    subject: str | None
    body: str

    @property
    def full_text(self) -> str:
        """Subject (if any), a blank line, then the body: the text the user copies."""
        if self.subject:
            return f"{self.subject}\n\n{self.body}"
        return self.body


def question_for(stage: Stage, *, ghosted: bool = False) -> str:
    """Key of the one question a draft asks: where things stand for someone ghosted, else the
    one thing to work on, in the words of the stage they reached."""
    return STATUS_QUESTION if ghosted else _STAGE_QUESTION[stage]


def question_template(key: str) -> str:
    """Template name (under prompts/) of the feedback question `key`."""
    return f"feedback/question_{key}"


def clean_field(text: str | None) -> str | None:
    """Collapse whitespace (newlines included), drop control characters; None if empty."""
    if text is None:
        return None
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    collapsed = " ".join(kept.split())
    return collapsed or None


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary if one is near, with '…'."""
    if limit < 1:
        return ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= (limit - 1) * 2 // 3:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:.-–—\u200d")
    return cut + ELLIPSIS


def draft_feedback_request(request: FeedbackRequest, prompts: PlainRenderer) -> FeedbackDraft:
    """Render the feedback request; long values are shortened so `full_text` stays < 1,200."""
    cleaned = replace(
        request,
        company=clean_field(request.company),
        role=clean_field(request.role),
        recipient=clean_field(request.recipient),
        personal_line=clean_field(request.personal_line),
        sender_name=clean_field(request.sender_name),
    )
    question = prompts.render_plain(
        question_template(question_for(cleaned.stage, ghosted=cleaned.ghosted))
    )
    for limits in _FIELD_LIMITS:
        draft = _fit_personal_line(_with_limits(cleaned, limits), question, prompts)
        if draft is not None:
            return draft
    # Unreachable with the shipped templates; keeps the length promise if they grow a lot.
    smallest = _with_limits(cleaned, _FIELD_LIMITS[-1])
    draft = _render(replace(smallest, personal_line=None), question, prompts)
    room = MAX_CHARS - 1 - (len(draft.full_text) - len(draft.body))
    return FeedbackDraft(subject=draft.subject, body=shorten(draft.body, room))


def _with_limits(request: FeedbackRequest, limits: tuple[int, int, int, int]) -> FeedbackRequest:
    recipient_max, company_max, role_max, sender_max = limits

    def cap(value: str | None, limit: int) -> str | None:
        return None if value is None else shorten(value, limit)

    return replace(
        request,
        recipient=cap(request.recipient, recipient_max),
        company=cap(request.company, company_max),
        role=cap(request.role, role_max),
        sender_name=cap(request.sender_name, sender_max),
    )


def _fit_personal_line(
    request: FeedbackRequest, question: str, prompts: PlainRenderer
) -> FeedbackDraft | None:
    """The draft with as much of the personal line as fits, or None if even none fits."""
    without = _render(replace(request, personal_line=None), question, prompts)
    if len(without.full_text) >= MAX_CHARS:
        return None
    if request.personal_line is None:
        return without
    budget = min(_PERSONAL_LINE_MAX, len(request.personal_line))
    while budget >= _PERSONAL_LINE_MIN:
        line = shorten(request.personal_line, budget)
        draft = _render(replace(request, personal_line=line), question, prompts)
        overflow = len(draft.full_text) - (MAX_CHARS - 1)
        if overflow <= 0:
            return draft
        budget -= overflow
    return without


def _render(request: FeedbackRequest, question: str, prompts: PlainRenderer) -> FeedbackDraft:
    body = prompts.render_plain(
        f"feedback/draft_{request.tone.value}",
        recipient=request.recipient,
        company=request.company,
        role=request.role,
        interviewed=request.stage is not Stage.APPLICATION,
        ghosted=request.ghosted,
        question=question,
        personal_line=request.personal_line,
        sender_name=request.sender_name,
    )
    subject = _subject(request, prompts) if request.channel is Channel.EMAIL else None
    return FeedbackDraft(subject=subject, body=body)


def _subject(request: FeedbackRequest, prompts: PlainRenderer) -> str:
    """The email subject: the role only when it fits in `SUBJECT_MAX` besides the company."""

    def render(role: str | None) -> str:
        return prompts.render_plain(
            "feedback/subject", role=role, company=request.company, ghosted=request.ghosted
        )

    allowed = SUBJECT_MAX + len(request.company or "")
    subject = render(request.role)
    if len(subject) > allowed:
        subject = render(None)
    # Unreachable with the shipped template; keeps the promise if it grows.
    return subject if len(subject) <= allowed else shorten(subject, allowed)
