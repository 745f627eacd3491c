"""People: the users tests act as, and the updates their actions queue.

:class:`FakeUser` sends text, commands, media and button presses (``send_text``,
``send_command``, ``press`` ... queue an update and return its id; ``say``, ``command`` and
``press_and_wait`` also wait until the bot processed it and return what it sent or edited in
the chat).  :class:`People` is the API side: the users it knows, the private chats they open
(a bot can't write first, like on Telegram), blocking the bot, and the updates themselves.
"""

# The act-and-wait helpers take a `timeout` argument on purpose (test-facing API).
# ruff: noqa: ASYNC109

from __future__ import annotations

import copy
import re
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, cast

from standin.records import JSON, ChatRef, FakeChat, SentMessage
from standin.textparse import utf16_len
from standin.waiting import Waiting
from standin.world import image_size

if TYPE_CHECKING:
    from standin.core import FakeBotApi

__all__ = ["FakeUser", "People"]


class FakeUser:
    """A Telegram user that tests act as."""

    def __init__(
        self,
        api: FakeBotApi,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> None:
        self.api = api
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.first_name!r})"

    def to_dict(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data

    @property
    def chat_id(self) -> int:
        """Id of this user's private chat with the bot."""
        return self.id

    # ------------------------------------------------------------ actions (queue updates)

    async def send_text(
        self,
        text: str,
        chat: ChatRef = None,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> int:
        """Send a text message (in forum topic ``thread``); commands get bot_command entities."""
        fields: JSON = {"text": text}
        entities = _detect_commands(text)
        if entities:
            fields["entities"] = entities
        return self.api.user_message(self, chat, fields, reply_to=reply_to, thread=thread)

    async def send_command(
        self,
        command: str,
        *args: str,
        chat: ChatRef = None,
        mention_bot: bool = False,
        thread: int | None = None,
    ) -> int:
        """Send ``/command arg1 arg2`` (``mention_bot`` appends ``@bot_username``)."""
        name = command if command.startswith("/") else f"/{command}"
        if mention_bot:
            name = f"{name}@{self.api.bot_username}"
        text = " ".join([name, *args])
        fields: JSON = {
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": utf16_len(name)}],
        }
        return self.api.user_message(self, chat, fields, thread=thread)

    async def press(self, label: str, chat: ChatRef = None) -> int:
        """Press the button labelled exactly ``label`` on the latest bot message having it."""
        message = self.api.find_button_message(label, self.api.resolve_chat_id(chat, self))
        button = message.button(label)
        if "callback_data" not in button:
            raise AssertionError(
                f"button {label!r} of message {message.message_id} is not a callback button: "
                f"{button}"
            )
        return self.api.callback_query(
            self, message.chat_id, message.message_id, str(button["callback_data"])
        )

    async def press_data(self, callback_data: str, message_id: int, chat: ChatRef = None) -> int:
        """Queue a callback query with arbitrary data for a message (forged/stale presses)."""
        chat_id = self.api.resolve_chat_id(chat, self)
        return self.api.callback_query(self, chat_id, message_id, callback_data)

    async def send_sticker(self, emoji: str = "👍", chat: ChatRef = None) -> int:
        file_id, unique = self.api.store_file(b"RIFF-sticker", "sticker.webp", "image/webp")
        sticker = {
            "file_id": file_id,
            "file_unique_id": unique,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self.api.user_message(self, chat, {"sticker": sticker})

    async def send_photo(
        self, data: bytes = b"\x89PNG fake", caption: str | None = None, chat: ChatRef = None
    ) -> int:
        file_id, unique = self.api.store_file(data, "photo.jpg", "image/jpeg")
        width, height = image_size(data)
        fields: JSON = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                }
            ]
        }
        if caption is not None:
            fields["caption"] = caption
        return self.api.user_message(self, chat, fields)

    async def send_voice(
        self, data: bytes = b"OggS fake voice", duration: int = 2, chat: ChatRef = None
    ) -> int:
        file_id, unique = self.api.store_file(data, "voice.ogg", "audio/ogg")
        voice = {
            "file_id": file_id,
            "file_unique_id": unique,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return self.api.user_message(self, chat, {"voice": voice})

    async def send_document(
        self, data: bytes, filename: str = "file.txt", chat: ChatRef = None
    ) -> int:
        file_id, unique = self.api.store_file(data, filename, "application/octet-stream")
        document = {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_name": filename,
            "mime_type": "application/octet-stream",
            "file_size": len(data),
        }
        return self.api.user_message(self, chat, {"document": document})

    async def edit_message(self, message_id: int, text: str, chat: ChatRef = None) -> int:
        """Edit one of this user's messages (queues an edited_message update)."""
        return self.api.user_edit(self, self.api.resolve_chat_id(chat, self), message_id, text)

    async def vote(self, message_id: int, option_ids: Iterable[int], chat: ChatRef = None) -> int:
        """Answer a (non-anonymous) poll the bot sent (queues a poll_answer update)."""
        return self.api.poll_answer(
            self, self.api.resolve_chat_id(chat, self), message_id, list(option_ids)
        )

    # ------------------------------------------------------------ act and wait

    async def _and_wait(
        self, action: Awaitable[int], chat_id: int, timeout: float
    ) -> list[SentMessage]:
        start = len(self.api.events)
        update_id = await action
        await self.api.wait_processed(update_id, timeout=timeout)
        return [e for e in self.api.events[start:] if e.chat_id == chat_id]

    async def say(
        self, text: str, chat: ChatRef = None, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Send text, wait until the bot processed it, return its messages/edits in the chat."""
        chat_id = self.api.resolve_chat_id(chat, self)
        return await self._and_wait(self.send_text(text, chat=chat), chat_id, timeout)

    send_text_and_wait = say

    async def command(
        self,
        command: str,
        *args: str,
        chat: ChatRef = None,
        timeout: float = 10.0,
        thread: int | None = None,
    ) -> list[SentMessage]:
        """Send a command, wait until processed, return the bot's messages/edits."""
        chat_id = self.api.resolve_chat_id(chat, self)
        sending = self.send_command(command, *args, chat=chat, thread=thread)
        return await self._and_wait(sending, chat_id, timeout)

    async def press_and_wait(
        self, label: str, chat: ChatRef = None, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Press a button, wait until processed, return the bot's messages/edits."""
        chat_id = self.api.resolve_chat_id(chat, self)
        return await self._and_wait(self.press(label, chat=chat), chat_id, timeout)


def _detect_commands(text: str) -> list[JSON]:
    entities = []
    for match in re.finditer(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities


class People(Waiting):
    """The users, their private chats and the updates their actions queue."""

    def private_user(
        self,
        user_id: int | None = None,
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """A user who can talk to the bot in private (the same object for the same id)."""
        if user_id is not None and user_id in self._users:
            return self._users[user_id]
        uid = user_id if user_id is not None else next(self._user_ids)
        api = cast("FakeBotApi", self)  # People is only ever a part of FakeBotApi
        user = FakeUser(api, uid, first_name, last_name, username, language_code)
        self._users[uid] = user
        return user

    def user(self, user_id: int) -> FakeUser:
        return self._users[user_id]

    def open_private_chat(self, user: FakeUser) -> FakeChat:
        """The user started the bot before (say, before a restart): the bot may write first."""
        return self._user_chat(user, None)

    def block(self, user_id: int) -> int:
        """The user blocks the bot; queues the my_chat_member update Telegram sends."""
        self._blocked.add(user_id)
        return self._my_chat_member(user_id, "member", "kicked")

    def unblock(self, user_id: int) -> int:
        self._blocked.discard(user_id)
        return self._my_chat_member(user_id, "kicked", "member")

    def _my_chat_member(self, user_id: int, old: str, new: str) -> int:
        user = self._users.get(user_id) or self.private_user(user_id)
        chat = self._chats.get(user_id) or FakeChat(
            id=user_id, type="private", first_name=user.first_name, username=user.username
        )
        bot_user = self._bot_user()

        def member(status: str) -> JSON:
            data: JSON = {"status": status, "user": bot_user}
            if status == "kicked":
                data["until_date"] = 0
            return data

        payload = {
            "chat": chat.to_dict(),
            "from": user.to_dict(),
            "date": int(self.now()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return self.queue_update("my_chat_member", payload)

    def user_message(
        self,
        user: FakeUser,
        chat: ChatRef,
        fields: JSON,
        reply_to: int | None = None,
        thread: int | None = None,
    ) -> int:
        """Queue a message from ``user`` (fields: text/entities/photo/...); returns update_id."""
        target = self._user_chat(user, chat)
        message: JSON = {
            "message_id": self._new_message_id(target.id),
            "from": user.to_dict(),
            "chat": target.to_dict(),
            "date": int(self.now()),
            **fields,
        }
        if thread is not None:
            if thread not in target.topics:
                raise ValueError(f"chat {target.id} has no topic {thread}: api.create_topic(...)")
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if reply_to is not None:
            replied = self._message_json(target.id, reply_to, nested=True)
            if replied is not None:
                message["reply_to_message"] = replied
        self._user_messages.setdefault(target.id, {})[message["message_id"]] = message
        return self.queue_update("message", message)

    def user_edit(self, user: FakeUser, chat_id: int, message_id: int, text: str) -> int:
        stored = self._user_messages.get(chat_id, {}).get(message_id)
        if stored is None or stored["from"]["id"] != user.id:
            raise AssertionError(f"{user} has no message {message_id} in chat {chat_id}")
        stored["text"] = text
        stored["edit_date"] = int(self.now())
        entities = _detect_commands(text)
        if entities:
            stored["entities"] = entities
        else:
            stored.pop("entities", None)
        return self.queue_update("edited_message", copy.deepcopy(stored))

    def find_button_message(self, label: str, chat_id: int) -> SentMessage:
        messages = self.chat_messages(chat_id)
        for message in reversed(messages):
            if any(label == b for row in message.buttons for b in row):
                return message
        available = [f"#{m.message_id}: {m.buttons}" for m in messages if m.buttons]
        raise AssertionError(
            f"no button labelled {label!r} in chat {chat_id}; buttons available: "
            + ("; ".join(available) if available else "none")
        )

    def callback_query(self, user: FakeUser, chat_id: int, message_id: int, data: str) -> int:
        self._user_chat(user, chat_id)
        message = self._message_json(chat_id, message_id)
        if message is None:
            chat = self._chats[chat_id]
            message = {"chat": chat.to_dict(), "message_id": message_id, "date": 0}
        query_id = str(next(self._query_ids))
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": message,
            "chat_instance": str(abs(chat_id * 7919 + self.bot_id)),
            "data": data,
        }
        update_id = self.queue_update("callback_query", query)
        self._queries[query_id] = (update_id, user.id)
        self._pressed_at[query_id] = self.now()
        return update_id

    def poll_answer(self, user: FakeUser, chat_id: int, message_id: int, options: list[int]) -> int:
        sent = self._messages.get(chat_id, {}).get(message_id)
        if sent is None or sent.poll is None:
            raise AssertionError(f"no poll #{message_id} in chat {chat_id}")
        poll = sent.poll
        for index in options:
            poll["options"][index]["voter_count"] += 1
        poll["total_voter_count"] += 1
        answer = {
            "poll_id": poll["id"],
            "user": user.to_dict(),
            "option_ids": options,
            "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in options],
        }
        return self.queue_update("poll_answer", answer)
