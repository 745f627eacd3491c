"""What one update has read of its person: their `users` row, their conversation states and their
debrief in progress.

Several guards and the step itself ask for the person's row, the router asks for the
conversation states of the update's chat and person, and a debrief step for the person's debrief
in progress; the three are read in one statement, once per update (issue 22). The rule that
keeps the record true: the first handler of every update opens a new, empty record
(`read_once_per_update`, bot.speaking) for the task handling that update, naming the chat and
person it is about; a write through the users or conversation-states repository refreshes or
drops what it changed; every write through the debrief repository (bot.storage.debriefs),
finishing a plan (bot.storage.checkins) and a group's move to a new chat id
(bot.storage.groups) drop the debriefs in progress; erasing a person (bot.storage.privacy) drops
their row, states and debrief. Anywhere else (check-ins, jobs, a task started from an update,
the command line) nothing is kept. Updates of one chat are handled one at a time, so within an
update only this process's own writes can change what was read.
"""

from __future__ import annotations

import asyncio
import json
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.storage.debriefs import Rejection
    from bot.storage.interfaces import ConversationKey
    from bot.storage.users import User


def encode_key(key: ConversationKey) -> str:
    """A conversation key as `conversation_states.key` stores it (a JSON array)."""
    return json.dumps(list(key))


@dataclass
class UpdateRecord:
    """The rows one update has read."""

    task: asyncio.Task[Any]
    # The chat and person the update is about (encoded), read with the person's row.
    person: int | None = None
    key: str | None = None
    users: dict[int, User | None] = field(default_factory=dict)
    states: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> name -> state
    debriefs: dict[int, Rejection | None] = field(default_factory=dict)  # person -> in progress


_record: ContextVar[UpdateRecord | None] = ContextVar("comeback_update_record", default=None)


def read_once_per_update(key: tuple[int, int] | None = None) -> None:
    """Start the current update's record; `key` is its chat and person, when it has both."""
    task = asyncio.current_task()
    if task is None:
        _record.set(None)
        return
    record = UpdateRecord(task)
    if key is not None:
        record.person, record.key = key[1], encode_key(key)
    _record.set(record)


def this_update() -> UpdateRecord | None:
    """The record of the update the current task handles, if it handles one."""
    found = _record.get()
    if found is None or found.task is not asyncio.current_task():
        return None  # another task inherited the context: it keeps nothing
    return found


def forget_person(user_id: int) -> None:
    """Drop everything read of `user_id` (they were erased)."""
    record = this_update()
    if record is not None:
        record.users.pop(user_id, None)
        record.debriefs.pop(user_id, None)
        if record.person == user_id:
            record.states.clear()


def forget_debriefs() -> None:
    """Drop the debriefs in progress read this update (one of them may have been written)."""
    record = this_update()
    if record is not None:
        record.debriefs.clear()
