"""Routing from the database picks the same handler python-telegram-bot's ConversationHandler did.

A differential test. For every stored state of each flow (and for none), and for each update of
a fixed set (commands, stickers, every flow's buttons, forged callback data, in private chats
and in groups) plus random text, `StoredConversation.select` (conversations/routing.py) chooses
the same handler as a ConversationHandler built from the same entry points, states and
fallbacks would in that state.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot, Update, User
from telegram.ext import ConversationHandler
from telegram.warnings import PTBUserWarning

from conversations import checkin, debrief
from conversations import settings as settings_flow
from conversations.routing import StoredConversation

FLOWS: dict[str, StoredConversation] = {
    "debrief": debrief.build_handler(),
    "checkin": checkin.build_handler(),
    "settings": settings_flow.build_handler(),
}


def reference(flow: StoredConversation) -> ConversationHandler[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=flow.entry_points,
            states=flow.states,
            fallbacks=flow.fallbacks,
            allow_reentry=flow.allow_reentry,
            per_chat=True,
            per_user=True,
        )


REFERENCES = {name: reference(flow) for name, flow in FLOWS.items()}
BOT = Bot("123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789")
BOT._bot_user = User(123456, "Comeback", is_bot=True, username="comeback_test_bot")
_ids = itertools.count(1)

COMMANDS = [
    "/start", "/start care", "/start g123", "/rejected", "/resume", "/back", "/skip", "/cancel",
    "/settings", "/checkins", "/timezone", "/timezone Berlin", "/help", "/plan", "/delete",
    "/win", "/nope", "/start@comeback_test_bot", "/cancel@other_bot",
]  # fmt: skip
BUTTONS = [
    "d:1:co:skip", "d:1:st:technical", "d:1:md:3", "d:2:gd:7", "d:1:rv:ok", "c:5:a:done",
    "c:5:a:notyet", "c:5:tg:3", "c:5:dl:7", "c:7:sz:1", "s:9:hour:18", "s:9:tz:Europe/Berlin",
    "s:9:menu:stop", "p:9:delete:yes", "h:3:show:", "care:0:c:ok", "g:-100:size:5",
    "j:9:share:all", "start:new", "nonsense", "d:x:y",
]  # fmt: skip


def make_update(kind: str, value: str, private: bool) -> Update:
    user = {"id": 9, "is_bot": False, "first_name": "Ada"}
    chat = (
        {"id": 9, "type": "private", "first_name": "Ada"}
        if private
        else {"id": -100, "type": "supergroup", "title": "Club"}
    )
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": 1_795_770_000,
        "chat": chat,
        "from": user,
    }
    update: dict[str, Any] = {"update_id": next(_ids)}
    if kind == "command":
        name = value.split()[0]
        message["text"] = value
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(name)}]
        update["message"] = message
    elif kind == "text":
        message["text"] = value
        update["message"] = message
    elif kind == "sticker":
        message["sticker"] = {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
        update["message"] = message
    else:
        update["callback_query"] = {
            "id": str(next(_ids)),
            "from": user,
            "chat_instance": "c",
            "data": value,
            "message": {**message, "from": {"id": 1, "is_bot": True, "first_name": "Bot"}},
        }
    parsed = Update.de_json(update, BOT)
    assert parsed is not None
    return parsed


def states_of(flow: StoredConversation) -> list[object | None]:
    return [None, *flow.states]


def same_choice(name: str, state: object | None, made: Update) -> str | None:
    """None when the router and ConversationHandler choose alike, else what differs."""
    flow, ptb = FLOWS[name], REFERENCES[name]
    key = StoredConversation.key(made)
    assert key is not None
    ptb._conversations.clear()
    if state is not None:
        ptb._conversations[key] = state
    expected = ptb.check_update(made)
    chosen = flow.select(made, state)
    if (expected is None) != (chosen is None):
        return f"{name} in {state}: router {chosen}, ConversationHandler {expected}"
    if expected is not None and chosen is not None and chosen[0] is not expected[2]:
        return f"{name} in {state}: router {chosen[0]}, ConversationHandler {expected[2]}"
    return None


FIXED = [
    *(("command", c) for c in COMMANDS),
    *(("button", b) for b in BUTTONS),
    ("sticker", ""),
    ("text", "Acme"),
    ("text", "12"),
    ("text", "next Friday"),
]


def test_every_flow_state_and_fixed_update_is_routed_alike() -> None:
    differences = [
        found
        for name, flow in FLOWS.items()
        for state in states_of(flow)
        for kind, value in FIXED
        for private in (True, False)
        if (found := same_choice(name, state, make_update(kind, value, private))) is not None
    ]
    assert differences == []


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(FLOWS)),
    text=st.text(min_size=1, max_size=30),
    private=st.booleans(),
    pick=st.integers(min_value=0, max_value=100),
)
def test_any_text_is_routed_alike(name: str, text: str, private: bool, pick: int) -> None:
    states = states_of(FLOWS[name])
    kind = "command" if text.startswith("/") else "text"
    assert same_choice(name, states[pick % len(states)], make_update(kind, text, private)) is None


def test_every_state_and_the_absence_of_one_are_tried() -> None:
    assert all(len(states_of(flow)) > 2 for flow in FLOWS.values())
