"""Groups: creating them, forum topics, upgrades to supergroups, and the bot's membership.

``api.group(...)`` makes a group or supergroup with the bot in it; ``add_bot_to_group``,
``remove_bot_from_group`` and ``restrict_bot`` change the bot's membership and queue the
my_chat_member update Telegram sends; ``migrate_group`` upgrades a group to a supergroup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from standin.methods.chats import ChatMethods
from standin.people import FakeUser, People
from standin.records import JSON, FakeChat

__all__ = ["Groups"]


class Groups(People, ChatMethods):
    """Group set-up and the bot joining, leaving or being muted."""

    def group(
        self,
        chat_id: int,
        title: str,
        members: Iterable[FakeUser | int] = (),
        admins: Iterable[FakeUser | int] = (),
        supergroup: bool = False,
        *,
        username: str | None = None,
        bot_admin: bool = False,
        forum: bool = False,
    ) -> FakeChat:
        """A group (or supergroup, ids like -100...) with the bot in it; first admin owns it.

        ``forum=True`` makes a forum supergroup (topics: ``api.create_topic``). The bot is in the
        group without any update; ``api.add_bot_to_group`` queues the my_chat_member update
        Telegram sends when someone adds it.
        """
        if chat_id >= 0:
            raise ValueError("group chat ids are negative (supergroups look like -100xxxxxxxxxx)")
        ids = [m if isinstance(m, int) else m.id for m in members]
        admin_ids = [a if isinstance(a, int) else a.id for a in admins]
        chat = FakeChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username,
            members=set(ids) | set(admin_ids),
            admins=set(admin_ids),
            owner_id=admin_ids[0] if admin_ids else None,
            bot_admin=bot_admin,
            is_forum=forum and supergroup,
        )
        for uid in chat.members:
            if uid not in self._users:
                self.private_user(uid, first_name=f"User{uid}")
        self._chats[chat_id] = chat
        return chat

    def add_bot_to_group(self, chat: FakeChat, by: FakeUser, admin: bool = False) -> int:
        """``by`` adds the bot to the group (as an administrator with ``admin``); queues the
        my_chat_member update."""
        old = self._bot_member_json(chat)
        chat.bot_member, chat.bot_admin, chat.bot_can_send = True, admin, True
        return self._group_my_chat_member(chat, by, old)

    def remove_bot_from_group(self, chat: FakeChat, by: FakeUser, ban: bool = False) -> int:
        """``by`` removes (``ban``: bans) the bot; sends to the group then answer 403."""
        old = self._bot_member_json(chat)
        chat.bot_member, chat.bot_admin = False, False
        new = {"status": "kicked", "user": self._bot_user(), "until_date": 0} if ban else None
        return self._group_my_chat_member(chat, by, old, new)

    def restrict_bot(self, chat: FakeChat, by: FakeUser) -> int:
        """``by`` mutes the bot (it stays a member but may not send messages)."""
        old = self._bot_member_json(chat)
        chat.bot_admin, chat.bot_can_send = False, False
        return self._group_my_chat_member(chat, by, old)

    def migrate_group(self, chat: FakeChat, new_id: int, by: FakeUser) -> FakeChat:
        """Upgrade a group to a supergroup with id ``new_id``: the members, admins and the bot
        move; sending to the old id answers 400 with ``migrate_to_chat_id``; the two service
        messages Telegram sends (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id``
        in the new one) are queued."""
        if chat.type != "group":
            raise ValueError("only a basic group can be upgraded to a supergroup")
        if not str(new_id).startswith("-100"):
            raise ValueError("supergroup ids look like -100xxxxxxxxxx")
        new = replace(
            chat,
            id=new_id,
            type="supergroup",
            members=set(chat.members),
            admins=set(chat.admins),
            topics={},
        )
        self._chats[new_id] = new
        chat.migrated_to = new_id
        self.queue_update(
            "message",
            {
                "message_id": self._new_message_id(chat.id),
                "from": by.to_dict(),
                "chat": chat.to_dict(),
                "date": int(self.now()),
                "migrate_to_chat_id": new_id,
            },
        )
        self.queue_update(
            "message",
            {
                "message_id": self._new_message_id(new_id),
                "from": by.to_dict(),
                "chat": new.to_dict(),
                "date": int(self.now()),
                "migrate_from_chat_id": chat.id,
            },
        )
        return new

    def create_topic(self, chat: FakeChat, name: str) -> int:
        """A forum topic; returns its message_thread_id (the id of its creation message)."""
        if not chat.is_forum:
            raise ValueError(f"chat {chat.id} is not a forum")
        thread = self._new_message_id(chat.id)
        chat.topics[thread] = name
        return thread

    def _group_my_chat_member(
        self, chat: FakeChat, by: FakeUser, old: JSON, new: JSON | None = None
    ) -> int:
        payload = {
            "chat": chat.to_dict(),
            "from": by.to_dict(),
            "date": int(self.now()),
            "old_chat_member": old,
            "new_chat_member": new or self._bot_member_json(chat),
        }
        return self.queue_update("my_chat_member", payload)
