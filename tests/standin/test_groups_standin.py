"""The stand-in's group realities: the bot added, removed, muted; upgrades; forum topics."""

from __future__ import annotations

import pytest

from standin import FakeBotApi

pytestmark = pytest.mark.asyncio


def assert_spec_valid_updates(api: FakeBotApi) -> None:
    for update in api.updates:
        assert api.spec.validate_value(("Update",), update, "update") == [], update


async def test_the_bot_joins_leaves_and_is_muted_with_spec_valid_updates(api: FakeBotApi) -> None:
    coach = api.private_user(1, "Coach")
    group = api.group(-1001, "G", members=[coach], admins=[coach], supergroup=True)
    api.add_bot_to_group(group, coach)
    api.add_bot_to_group(group, coach, admin=True)
    api.restrict_bot(group, coach)
    status, body = await api.call("sendMessage", {"chat_id": str(group.id), "text": "x"})
    assert status == 400 and "not enough rights" in body["description"]
    api.remove_bot_from_group(group, coach, ban=True)
    status, body = await api.call("sendMessage", {"chat_id": str(group.id), "text": "x"})
    assert status == 403
    statuses = [
        (
            u["my_chat_member"]["old_chat_member"]["status"],
            u["my_chat_member"]["new_chat_member"]["status"],
        )
        for u in api.updates
    ]
    assert statuses == [
        ("member", "member"),
        ("member", "administrator"),
        ("administrator", "restricted"),
        ("restricted", "kicked"),
    ]
    assert_spec_valid_updates(api)


async def test_an_upgraded_group_refuses_posts_with_its_new_id(api: FakeBotApi) -> None:
    coach = api.private_user(1, "Coach")
    group = api.group(-42, "G", members=[coach], admins=[coach])
    new = api.migrate_group(group, -1000042, by=coach)
    assert new.type == "supergroup" and coach.id in new.admins
    status, body = await api.call("sendMessage", {"chat_id": str(group.id), "text": "x"})
    assert status == 400 and body["parameters"] == {"migrate_to_chat_id": -1000042}
    assert (await api.call("sendMessage", {"chat_id": str(new.id), "text": "x"}))[0] == 200
    assert [u["message"].get("migrate_to_chat_id") for u in api.updates] == [-1000042, None]
    assert api.updates[1]["message"]["migrate_from_chat_id"] == -42
    assert_spec_valid_updates(api)


async def test_forum_topics_and_deleting_others_messages(api: FakeBotApi) -> None:
    coach = api.private_user(1, "Coach")
    group = api.group(-1001, "F", members=[coach], admins=[coach], supergroup=True, forum=True)
    topic = api.create_topic(group, "Check-ins")
    await coach.send_command("/group_settings", chat=group, thread=topic)
    message = api.updates[-1]["message"]
    assert message["message_thread_id"] == topic and message["is_topic_message"] is True
    assert message["chat"]["is_forum"] is True
    params = {"chat_id": str(group.id), "text": "x", "message_thread_id": str(topic)}
    status, body = await api.call("sendMessage", params)
    assert status == 200 and body["result"]["message_thread_id"] == topic
    assert api.last_message(group).message_thread_id == topic
    status, body = await api.call("sendMessage", {**params, "message_thread_id": "999"})
    assert status == 400 and "thread not found" in body["description"]
    delete = {"chat_id": str(group.id), "message_id": str(message["message_id"])}
    status, body = await api.call("deleteMessage", delete)
    assert status == 400 and "can't be deleted" in body["description"]  # not an admin
    group.bot_admin = True
    assert (await api.call("deleteMessage", delete))[0] == 200
    assert_spec_valid_updates(api)
    assert api.violations == []
