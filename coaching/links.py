"""Start-link payloads (`t.me/<bot>?start=<payload>`), read strictly.

Anyone can share a start link with any payload of up to 64 characters of `A-Z a-z 0-9 _ -`,
so a payload is only trusted when it is exactly one of ours; anything else is ignored and the
person gets the normal /start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "g<chat id>": a debrief opened from a group's button (group ids are negative 64-bit numbers).
_GROUP = re.compile(r"g(-?[0-9]{1,19})", re.ASCII)
_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True)
class StartLink:
    """What a start link asks for: a debrief that came from a group (its chat id), or nothing."""

    group_chat_id: int | None = None


def parse_start_payload(args: list[str] | None) -> StartLink:
    """The start link behind /start's arguments; an empty StartLink for anything not ours."""
    if not args or len(args) != 1:
        return StartLink()
    found = _GROUP.fullmatch(args[0])
    if found is None:
        return StartLink()
    chat_id = int(found.group(1))
    return StartLink(group_chat_id=chat_id) if chat_id in _INT64 and chat_id != 0 else StartLink()
