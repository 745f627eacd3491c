"""Conversations whose state lives in the database, and the router that hands each update on.

python-telegram-bot's ConversationHandler keeps every conversation's state in a dictionary it
loads once at start and changes only through private attributes, so a second process, or
/delete, cannot move a person's conversation. Here each update reads the states of its own chat
and person, of every flow at once (one indexed query), picks the handler the same way
ConversationHandler does (entry points when there is no state, then the state's handlers, then
the fallbacks) and writes the state the handler returns. Memory stays flat in the number of
people, and any process can take any chat.

`FlowRouter` is one python-telegram-bot handler that holds the group's handlers in order, plain
ones and `StoredConversation`s alike: as in a handler group, the first that takes the update
handles it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, BaseHandler, ConversationHandler

from bot.services import CoachContext
from bot.storage.database import StorageUnavailable
from bot.storage.interfaces import ConversationKey, ConversationStateRepository

_LOGGER = logging.getLogger(__name__)

END = ConversationHandler.END
Handler = BaseHandler[Update, CoachContext, object]


class Declined(Exception):
    """Raised by a handler that finds, once it has read the database, that the update is not
    its to answer (a typed line when no check-in waits for one): the router goes on to the next
    member as if this one had not matched, and no state changes."""


@dataclass(eq=False)
class StoredConversation:
    """A conversation keyed per chat and person, its state in the database under `name`."""

    name: str
    entry_points: list[Handler]
    states: dict[object, list[Handler]]
    fallbacks: list[Handler]
    allow_reentry: bool = False
    # States a handler may return, by their stored (JSON) value.
    _known: frozenset[object] = field(init=False)

    def __post_init__(self) -> None:
        self._known = frozenset(self.states)

    @staticmethod
    def key(update: Update) -> ConversationKey | None:
        """The chat and person a conversation is kept under, or None for updates without them."""
        if update.channel_post or update.edited_channel_post:
            return None
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return None
        if update.callback_query is not None and update.callback_query.message is None:
            return None  # an inline-mode button: no chat to keep a conversation in
        return (chat.id, user.id)

    def select(self, update: Update, state: object | None) -> tuple[Handler, object] | None:
        """The handler for `update` in `state` (None: no conversation), and its check result."""
        if state is None or self.allow_reentry:
            found = _first(self.entry_points, update)
            if found is not None or state is None:
                return found
        return _first(self.states.get(state, []), update) or _first(self.fallbacks, update)

    def stored(self, new_state: object) -> str | None:
        """What to keep for `new_state` a handler returned: its JSON, or None to forget."""
        if new_state == END:
            return None
        if new_state not in self._known:
            _LOGGER.warning("Conversation %s moved to unknown state %r", self.name, new_state)
        return json.dumps(new_state)


def _first(handlers: Sequence[Handler], update: Update) -> tuple[Handler, object] | None:
    for handler in handlers:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return handler, check
    return None


Member = Handler | StoredConversation


class FlowRouter(BaseHandler[Update, CoachContext, None]):
    """A handler group in one handler: the first member that takes an update handles it; the
    conversations among them see the states stored for the update's chat and person."""

    def __init__(self, members: Sequence[Member]) -> None:
        super().__init__(self._unused)
        self.members = list(members)
        self.conversations = [m for m in self.members if isinstance(m, StoredConversation)]
        # States that could not be written (a storage fault after the step itself was done):
        # they count for their chat in this process and are written with its next update. The
        # step is not failed for it: its answers are saved and its reply went out.
        self._unsaved: dict[ConversationKey, dict[str, str | None]] = {}

    @staticmethod
    async def _unused(update: Update, context: CoachContext) -> None:
        raise AssertionError("FlowRouter handles updates itself")

    def check_update(self, update: object) -> bool:
        return isinstance(update, Update)

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, CoachContext, Any, Any, Any, Any],
        check_result: object,
        context: CoachContext,
    ) -> None:
        key = StoredConversation.key(update)
        states: dict[str, str] | None = None
        for member in self.members:
            if not isinstance(member, StoredConversation):
                check = member.check_update(update)
                if check is not None and check is not False:
                    try:
                        await member.handle_update(update, application, check, context)
                    except Declined:
                        continue
                    return
                continue
            if key is None:
                continue
            if states is None:
                states = await self._states(context.services.conversation_states, key)
                context.conversation_states = states
            raw = states.get(member.name)
            state = json.loads(raw) if raw is not None else None
            picked = member.select(update, state)
            if picked is None:
                continue
            handler, check = picked
            stop = False
            try:
                new_state = await handler.handle_update(update, application, check, context)
            except Declined:
                continue
            except ApplicationHandlerStop as halt:
                new_state, stop = halt.state, True
            await self._keep(context, member, key, raw, new_state)
            if stop:
                raise ApplicationHandlerStop
            return

    async def _states(
        self, repository: ConversationStateRepository, key: ConversationKey
    ) -> dict[str, str]:
        """The stored states at `key`, after writing what an earlier fault left unwritten."""
        unsaved = self._unsaved.pop(key, None)
        if unsaved:
            for name, stored in list(unsaved.items()):
                try:
                    await _write(repository, name, key, stored)
                except StorageUnavailable:
                    break
                del unsaved[name]
            if unsaved:
                self._unsaved[key] = unsaved
        states = await repository.states_of(key)
        for name, stored in self._unsaved.get(key, {}).items():
            if stored is None:
                states.pop(name, None)
            else:
                states[name] = stored
        return states

    async def _keep(
        self,
        context: CoachContext,
        conversation: StoredConversation,
        key: ConversationKey,
        before: str | None,
        new_state: object,
    ) -> None:
        """Write the state a handler returned (None keeps the current one)."""
        if new_state is None:
            return
        stored = conversation.stored(new_state)
        if stored == before:
            return
        try:
            await _write(context.services.conversation_states, conversation.name, key, stored)
            self._forget_unsaved(key, conversation.name)  # an older one must not be written
        except StorageUnavailable as exc:
            _LOGGER.warning(
                "Conversation %s: state %s kept in memory until storage is back: %s",
                conversation.name,
                stored,
                exc,
            )
            self._unsaved.setdefault(key, {})[conversation.name] = stored

    def _forget_unsaved(self, key: ConversationKey, name: str) -> None:
        unsaved = self._unsaved.get(key)
        if unsaved is not None:
            unsaved.pop(name, None)
            if not unsaved:
                del self._unsaved[key]


async def _write(
    repository: ConversationStateRepository, name: str, key: ConversationKey, stored: str | None
) -> None:
    if stored is None:
        await repository.forget(name, key)
    else:
        await repository.save(name, key, stored)
