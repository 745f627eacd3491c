"""Chats and their members: getChat, getChatMember, getChatAdministrators and leaveChat.

Members are rendered as Telegram's ChatMember kinds (creator, administrator, member,
restricted, left, kicked), the bot included.
"""

from __future__ import annotations

from standin.records import JSON, ApiError, FakeChat, UploadedFile
from standin.world import World

__all__ = ["ChatMethods"]


class ChatMethods(World):
    """Chat and chat member methods."""

    def _bot_member_json(self, chat: FakeChat) -> JSON:
        user = self._bot_user()
        if not chat.bot_member:
            return {"status": "left", "user": user}
        if chat.bot_admin:
            return self._admin_json(user)
        if not chat.bot_can_send:
            data: JSON = {"status": "restricted", "user": user, "until_date": 0}
            spec = self.spec.types.get("ChatMemberRestricted")
            for name, f in spec.fields.items() if spec else ():
                if f.types == ("Boolean",):
                    data[name] = name == "is_member"
            return data
        return {"status": "member", "user": user}

    def _admin_json(self, user: JSON) -> JSON:
        data: JSON = {"status": "administrator", "user": user}
        spec = self.spec.types.get("ChatMemberAdministrator")
        for name, f in spec.fields.items() if spec else ():
            if f.types == ("Boolean",):
                data[name] = name not in ("can_be_edited", "is_anonymous")
        return data

    def _member_json(self, chat: FakeChat, user_id: int) -> JSON:
        if user_id == self.bot_id:
            return self._bot_member_json(chat)
        known = self._users.get(user_id)
        user = known.to_dict() if known else {"id": user_id, "is_bot": False, "first_name": "?"}
        if chat.type == "private":
            if user_id != chat.id:
                raise ApiError(400, "Bad Request: user not found")
            return {"status": "member", "user": user}
        if user_id == chat.owner_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in chat.admins:
            return self._admin_json(user)
        if user_id in chat.members:
            return {"status": "member", "user": user}
        return {"status": "left", "user": user}

    def _get_chat(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_known(params["chat_id"])
        data = chat.to_dict()
        data.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": True,
                    "limited_gifts": True,
                    "unique_gifts": True,
                    "premium_subscription": True,
                    "gifts_from_channels": True,
                },
            }
        )
        return data

    def _get_chat_member(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_known(params["chat_id"])
        return self._member_json(chat, params["user_id"])

    def _get_chat_administrators(
        self, params: JSON, uploads: dict[str, UploadedFile]
    ) -> list[JSON]:
        chat = self._chat_known(params["chat_id"])
        if chat.type == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        ids = [chat.owner_id] if chat.owner_id is not None else []
        ids += sorted(a for a in chat.admins if a != chat.owner_id)
        result = [self._member_json(chat, uid) for uid in ids]
        if chat.bot_admin and chat.bot_member:
            result.append(self._member_json(chat, self.bot_id))
        return result

    def _leave_chat(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        chat = self._chat_known(params["chat_id"])
        if chat.type == "private":
            raise ApiError(400, "Bad Request: chat member status can't be changed in private chats")
        if not chat.bot_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        chat.bot_member = False
        return True
