"""Messages the bot sends, edits and deletes: sendMessage, sendPoll, stopPoll, the
editMessage* methods, deleteMessage and sendChatAction.

Formatted text is parsed like Telegram would (:mod:`standin.textparse`); an edit that changes
nothing answers "message is not modified".  Every change is recorded in ``api.events``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from standin.records import JSON, ApiError, FakeChat, SentMessage, UploadedFile
from standin.textparse import ParsedText, parse_formatted, strip_text
from standin.world import World

__all__ = ["NOT_MODIFIED", "MessageMethods"]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def _markup_key(markup: JSON | None) -> str:
    if not markup or not markup.get("inline_keyboard"):
        return ""
    return json.dumps(markup, sort_keys=True)


class MessageMethods(World):
    """Sending, editing and deleting messages."""

    def _parse(self, text: str, parse_mode: Any, entities: Any) -> ParsedText:
        if isinstance(entities, list) and entities:
            return strip_text(ParsedText(text, list(entities)))
        mode = parse_mode if isinstance(parse_mode, str) else None
        return strip_text(parse_formatted(text, mode))

    def _new_sent(self, method: str, chat: FakeChat, params: JSON, **fields: Any) -> SentMessage:
        reply_to: int | None = None
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target = reply.get("message_id")
            target_chat = reply.get("chat_id", chat.id)
            exists = (
                isinstance(target, int)
                and self._message_json(self._chat_known(target_chat).id, target) is not None
            )
            if not exists and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            reply_to = target if exists and target_chat == chat.id else None
        markup = params.get("reply_markup")
        thread = params.get("message_thread_id")
        if thread is not None and (not chat.is_forum or thread not in chat.topics):
            raise ApiError(400, "Bad Request: message thread not found")
        sent = SentMessage(
            chat_id=chat.id,
            message_id=self._new_message_id(chat.id),
            method=method,
            date=int(self.now()),
            reply_markup=copy.deepcopy(markup) if isinstance(markup, dict) else None,
            reply_to_message_id=reply_to,
            message_thread_id=thread,
            **fields,
        )
        self._messages.setdefault(chat.id, {})[sent.message_id] = sent
        self._record_event(sent, "sent")
        return sent

    def _media_caption(self, params: JSON) -> JSON:
        caption = params.get("caption")
        if not isinstance(caption, str) or not caption:
            return {"is_caption": True}
        parsed = self._parse(caption, params.get("parse_mode"), params.get("caption_entities"))
        return {
            "text": caption,
            "parse_mode": params.get("parse_mode"),
            "plain_text": parsed.text,
            "entities": parsed.entities,
            "is_caption": True,
        }

    def _edit_target(self, params: JSON) -> SentMessage:
        if "inline_message_id" in params:
            message = "inline messages are not implemented by the stand-in"
            self._violation("edit", message)
            raise ApiError(400, f"Bad Request: {message}")
        if "chat_id" not in params or "message_id" not in params:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat = self._chat_known(params["chat_id"])
        sent = self._messages.get(chat.id, {}).get(params["message_id"])
        if sent is None or sent.deleted:
            if params["message_id"] in self._user_messages.get(chat.id, {}):
                raise ApiError(400, "Bad Request: message can't be edited")
            raise ApiError(400, "Bad Request: message to edit not found")
        return sent

    def _apply_edit(self, sent: SentMessage, changes: JSON) -> JSON:
        before = (
            sent.plain_text,
            json.dumps(sent.entities, sort_keys=True),
            _markup_key(sent.reply_markup),
        )
        after = (
            changes.get("plain_text", sent.plain_text),
            json.dumps(changes.get("entities", sent.entities), sort_keys=True),
            _markup_key(changes.get("reply_markup")),
        )
        if before == after:
            raise ApiError(400, NOT_MODIFIED)
        for key, value in changes.items():
            setattr(sent, key, copy.deepcopy(value))
        sent.edit_date = int(self.now())
        self._record_event(sent, "edited")
        return self._sent_json(sent)

    def _send_message(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        parsed = self._parse(params["text"], params.get("parse_mode"), params.get("entities"))
        sent = self._new_sent(
            "sendMessage",
            chat,
            params,
            text=params["text"],
            parse_mode=params.get("parse_mode"),
            plain_text=parsed.text,
            entities=parsed.entities,
        )
        return self._sent_json(sent)

    def _send_poll(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_for_send(params["chat_id"])
        options = []
        for index, option in enumerate(params["options"]):
            text = option.get("text") if isinstance(option, dict) else str(option)
            options.append({"persistent_id": str(index), "text": text, "voter_count": 0})
        poll: JSON = {
            "id": str(next(self._poll_ids)),
            "question": params["question"],
            "options": options,
            "total_voter_count": 0,
            "is_closed": bool(params.get("is_closed", False)),
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": params.get("type", "regular"),
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": bool(params.get("allows_revoting", True)),
            "members_only": bool(params.get("members_only", False)),
        }
        if "correct_option_ids" in params:
            poll["correct_option_ids"] = params["correct_option_ids"]
        sent = self._new_sent("sendPoll", chat, params, poll=poll, plain_text=params["question"])
        return self._sent_json(sent)

    def _stop_poll(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        chat = self._chat_known(params["chat_id"])
        sent = self._messages.get(chat.id, {}).get(params["message_id"])
        if sent is None or sent.poll is None or sent.deleted:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if sent.poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        sent.poll["is_closed"] = True
        if "reply_markup" in params:
            sent.reply_markup = params["reply_markup"]
        self._record_event(sent, "edited")
        return copy.deepcopy(sent.poll)

    def _edit_message_text(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        sent = self._edit_target(params)
        if sent.is_caption or sent.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if "text" not in params:
            raise ApiError(400, "Bad Request: text must be non-empty")
        parsed = self._parse(params["text"], params.get("parse_mode"), params.get("entities"))
        return self._apply_edit(
            sent,
            {
                "text": params["text"],
                "parse_mode": params.get("parse_mode"),
                "plain_text": parsed.text,
                "entities": parsed.entities,
                "reply_markup": params.get("reply_markup"),
            },
        )

    def _edit_message_caption(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        sent = self._edit_target(params)
        if not sent.is_caption:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        changes = self._media_caption(params)
        changes.setdefault("text", None)
        changes.setdefault("plain_text", "")
        changes.setdefault("entities", [])
        changes["reply_markup"] = params.get("reply_markup")
        return self._apply_edit(sent, changes)

    def _edit_message_reply_markup(self, params: JSON, uploads: dict[str, UploadedFile]) -> JSON:
        sent = self._edit_target(params)
        return self._apply_edit(sent, {"reply_markup": params.get("reply_markup")})

    def _delete_message(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        chat = self._chat_known(params["chat_id"])
        message_id = params["message_id"]
        sent = self._messages.get(chat.id, {}).get(message_id)
        if sent is not None and not sent.deleted:
            sent.deleted = True
            self._record_event(sent, "deleted")
            return True
        theirs = self._user_messages.get(chat.id, {})
        if message_id in theirs:
            if chat.type != "private" and not (chat.bot_admin and chat.bot_member):
                raise ApiError(400, "Bad Request: message can't be deleted")
            del theirs[message_id]
            return True
        raise ApiError(400, "Bad Request: message to delete not found")

    def _send_chat_action(self, params: JSON, uploads: dict[str, UploadedFile]) -> bool:
        chat = self._chat_for_send(params["chat_id"])
        self.chat_actions.append((chat.id, params["action"]))
        return True
