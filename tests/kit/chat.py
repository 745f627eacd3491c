"""What a user saw in the fake Telegram."""

from __future__ import annotations

from collections.abc import Iterable

from standin import FakeBotApi, FakeUser, SentMessage


def texts(messages: Iterable[SentMessage]) -> str:
    """Everything in these messages, as one plain string."""
    return "\n".join(m.plain_text for m in messages)


def last_text(api: FakeBotApi, user: FakeUser) -> str:
    """The newest bot message in the user's chat, or '' before the first one."""
    messages = api.chat_messages(user)
    return messages[-1].plain_text if messages else ""
