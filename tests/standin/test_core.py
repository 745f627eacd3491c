"""FakeBotApi used directly (no PTB): updates, errors, faults, waiting."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from standin import FakeBotApi

pytestmark = pytest.mark.asyncio


async def send(api: FakeBotApi, chat_id: int, text: str, **extra: Any) -> dict[str, Any]:
    status, body = await api.call("sendMessage", {"chat_id": str(chat_id), "text": text, **extra})
    assert status == 200, body
    result: dict[str, Any] = body["result"]
    return result


async def test_get_updates_offset_limit_and_long_polling(api: FakeBotApi) -> None:
    alice = api.private_user(1, "Alice")
    first = await alice.send_text("one")
    second = await alice.send_text("/two")
    status, body = await api.call("getUpdates", {"limit": "1"})
    assert status == 200 and [u["update_id"] for u in body["result"]] == [first]
    _, body = await api.call("getUpdates", {"offset": str(first + 1)})
    assert [u["update_id"] for u in body["result"]] == [second]
    assert body["result"][0]["message"]["entities"][0]["type"] == "bot_command"
    _, body = await api.call("getUpdates", {"offset": str(second + 1), "timeout": "0"})
    assert body["result"] == []

    # a long poll returns as soon as an update is queued
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(api.call("getUpdates", {"offset": str(second + 1), "timeout": "30"}))
    await asyncio.sleep(0)
    third = await alice.send_text("three")
    _, body = await poll
    assert [u["update_id"] for u in body["result"]] == [third]
    assert loop.time() - started < 5


async def test_second_poller_terminates_the_first(api: FakeBotApi) -> None:
    first = asyncio.create_task(api.call("getUpdates", {"timeout": "30"}))
    await asyncio.sleep(0)
    status, _ = await api.call("getUpdates", {"timeout": "0"})
    assert status == 200
    status, body = await first
    assert status == 409 and "terminated by other getUpdates" in body["description"]


async def test_release_pollers(api: FakeBotApi) -> None:
    poll = asyncio.create_task(api.call("getUpdates", {"timeout": "30"}))
    await asyncio.sleep(0)
    api.release_pollers()
    assert (await poll)[1]["result"] == []


async def test_edit_errors(api: FakeBotApi) -> None:
    alice = api.private_user(1, "Alice")
    await alice.send_text("hi")
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    sent = await send(api, 1, "<b>x</b>", parse_mode="HTML", reply_markup=markup)
    assert sent["text"] == "x" and sent["entities"][0]["type"] == "bold"
    edit = {"chat_id": "1", "message_id": str(sent["message_id"])}
    status, body = await api.call(
        "editMessageText",
        {**edit, "text": "<b>x</b>", "parse_mode": "HTML", "reply_markup": markup},
    )
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    status, body = await api.call(
        "editMessageText", {**edit, "text": "x"}
    )  # entities + keyboard gone
    assert status == 200 and "reply_markup" not in body["result"]
    status, body = await api.call("editMessageReplyMarkup", edit)
    assert status == 400 and "not modified" in body["description"]
    status, body = await api.call(
        "editMessageText", {"chat_id": "1", "message_id": "77", "text": "y"}
    )
    assert body["description"] == "Bad Request: message to edit not found"
    status, body = await api.call("deleteMessage", {"chat_id": "1", "message_id": "77"})
    assert body["description"] == "Bad Request: message to delete not found"
    status, body = await api.call("sendMessage", {"chat_id": "555", "text": "x"})
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    assert api.violations == []


async def test_blocking_and_fault_injection(api: FakeBotApi) -> None:
    alice = api.private_user(1, "Alice")
    await alice.send_text("hi")
    update_id = api.block(1)
    assert api.updates[-1]["update_id"] == update_id
    assert api.updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    status, body = await api.call("sendMessage", {"chat_id": "1", "text": "x"})
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    api.unblock(1)

    api.fail_next("sendMessage", 429, retry_after=7, count=2, chat_id=1)
    api.fail_next("sendmessage", 502)
    for _ in range(2):
        status, body = await api.call("sendMessage", {"chat_id": "1", "text": "x"})
        assert status == 429 and body["parameters"] == {"retry_after": 7}
    status, body = await api.call("sendMessage", {"chat_id": "1", "text": "x"})
    assert status == 502 and body["description"] == "Bad Gateway"
    assert (await api.call("sendMessage", {"chat_id": "1", "text": "x"}))[0] == 200
    # a violating request is a violation even when a fault is pending
    api.fail_next("sendMessage", 500)
    assert (await api.call("sendMessage", {"chat_id": "1"}))[0] == 400
    assert len(api.violations) == 1
    api.violations.clear()


async def test_unknown_and_unimplemented_methods_are_violations(api: FakeBotApi) -> None:
    status, body = await api.call("sendMesage", {})
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await api.call("sendDice", {"chat_id": "1"})
    assert status == 400 and "not implemented by the stand-in" in body["description"]
    assert [v.split(":")[0] for v in api.violations] == ["sendMesage", "sendDice"]
    api.violations.clear()


async def test_press_and_callback_answers(api: FakeBotApi) -> None:
    alice = api.private_user(1, "Alice")
    await alice.send_text("hi")
    with pytest.raises(AssertionError, match="buttons available: none"):
        await alice.press("Yes")
    markup = json.dumps(
        {
            "inline_keyboard": [
                [{"text": "Yes", "callback_data": "y"}, {"text": "Site", "url": "https://e.org"}]
            ]
        }
    )
    sent = await send(api, 1, "Sure?", reply_markup=markup)
    with pytest.raises(AssertionError, match=r"buttons available: #2: \[\['Yes', 'Site'\]\]"):
        await alice.press("No")
    with pytest.raises(AssertionError, match="not a callback button"):
        await alice.press("Site")
    update_id = await alice.press("Yes")
    query = api.updates[-1]["callback_query"]
    assert query["data"] == "y" and query["message"]["message_id"] == sent["message_id"]
    assert api.unanswered_callback_queries() == [query["id"]]
    status, _ = await api.call(
        "answerCallbackQuery", {"callback_query_id": query["id"], "text": "ok"}
    )
    assert status == 200
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "ok"
    status, body = await api.call("answerCallbackQuery", {"callback_query_id": query["id"]})
    assert status == 400 and "query is too old" in body["description"]
    await alice.press_data("forged", 999)
    assert api.updates[-1]["callback_query"]["message"]["date"] == 0  # inaccessible message


async def test_an_answer_after_the_window_is_refused_as_too_old() -> None:
    now = [1_000.0]
    api = FakeBotApi(now=lambda: now[0])
    api.callback_answer_window = 10.0
    alice = api.private_user(1, "Alice")
    early = await alice.press_data("a", 5)
    late = await alice.press_data("b", 6)
    early_id, late_id = (u["callback_query"]["id"] for u in api.updates[-2:])
    now[0] += 10.0
    status, _ = await api.call("answerCallbackQuery", {"callback_query_id": early_id})
    assert status == 200 and api.answer_for(early) is not None
    now[0] += 0.5
    status, body = await api.call("answerCallbackQuery", {"callback_query_id": late_id})
    assert status == 400 and "query is too old" in body["description"]
    assert api.answer_for(late) is None
    assert api.unanswered_callback_queries() == []  # answered, too late
    api.close()


async def test_wait_helpers(api: FakeBotApi) -> None:
    alice = api.private_user(1, "Alice")
    update_id = await alice.send_text("hi")
    with pytest.raises(TimeoutError, match="never fetched it with getUpdates"):
        await api.wait_processed(update_id, timeout=0.01)
    await api.call("getUpdates", {})
    with pytest.raises(TimeoutError, match="never reported processed"):
        await api.wait_processed(update_id, timeout=0.01)
    asyncio.get_running_loop().call_soon(api.mark_processed, update_id)
    await api.wait_processed(update_id, timeout=1)

    waiter = asyncio.create_task(api.wait_for(lambda: api.calls("sendChatAction"), timeout=1))
    await asyncio.sleep(0)
    await api.call("sendChatAction", {"chat_id": "1", "action": "typing"})
    assert len(await waiter) == 1
    with pytest.raises(TimeoutError, match="reply never came"):
        await api.wait_for(lambda: False, timeout=0.01, message="reply never came")


async def test_media_files_and_group_info(api: FakeBotApi) -> None:
    alice = api.private_user(1, "Alice", username="alice")
    await alice.send_photo(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x03")
    photo = api.updates[-1]["message"]["photo"][0]
    assert (photo["width"], photo["height"]) == (2, 3)
    status, body = await api.call("getFile", {"file_id": photo["file_id"]})
    assert status == 200 and api.file_content(body["result"]["file_path"]) is not None
    status, body = await api.call(
        "sendDocument", {"chat_id": "1", "caption": "c"}, {"document": b"abc"}
    )
    assert status == 200 and body["result"]["document"]["file_size"] == 3
    assert api.last_message(1).document == b"abc" and api.last_message(1).caption == "c"
    status, _ = await api.call("sendPhoto", {"chat_id": "1", "photo": photo["file_id"]})
    assert status == 200 and api.last_message(1).photo is not None
    status, body = await api.call("sendPhoto", {"chat_id": "1", "photo": "nonsense"})
    assert status == 400 and "wrong file identifier" in body["description"]

    group = api.group(-100500, "G", members=[alice], admins=[alice], supergroup=True)
    await alice.send_sticker(chat=group)
    status, body = await api.call("getChatMember", {"chat_id": str(group.id), "user_id": "1"})
    assert body["result"]["status"] == "creator"
    status, body = await api.call("getChatMember", {"chat_id": str(group.id), "user_id": "9"})
    assert body["result"]["status"] == "left"
    status, body = await api.call(
        "sendPoll",
        {
            "chat_id": str(group.id),
            "question": "Q?",
            "options": json.dumps([{"text": "a"}, {"text": "b"}]),
            "is_anonymous": "false",
        },
    )
    assert status == 200
    await alice.vote(body["result"]["message_id"], [1], chat=group)
    assert api.updates[-1]["poll_answer"]["option_ids"] == [1]
    assert (await api.call("leaveChat", {"chat_id": str(group.id)}))[0] == 200
    status, body = await api.call("sendMessage", {"chat_id": str(group.id), "text": "x"})
    assert status == 403 and "not a member" in body["description"]
    # every answer the stand-in gave is a valid Bot API object
    for request in api.requests:
        if request.status == 200 and request.response is not None:
            returns = api.spec.methods[request.method].returns
            assert (
                api.spec.validate_value(returns, request.response["result"], request.method) == []
            )
    assert api.violations == []


async def test_clock_events_and_allowed_updates() -> None:
    clock = [1_700_000_000.0]
    api = FakeBotApi(now=lambda: clock[0])
    seen: list[str] = []
    api.subscribe(lambda message: seen.append(f"{message.event}:{message.message_id}"))
    alice = api.private_user(1, "Alice")
    await alice.send_text("hi")
    assert api.updates[-1]["message"]["date"] == 1_700_000_000
    sent = await send(api, 1, "x")
    clock[0] += 60
    status, body = await api.call(
        "editMessageText", {"chat_id": "1", "message_id": str(sent["message_id"]), "text": "y"}
    )
    assert status == 200 and body["result"]["edit_date"] == 1_700_000_060
    assert (await api.call("deleteMessage", {"chat_id": "1", "message_id": "2"}))[0] == 200
    assert seen == ["sent:2", "edited:2", "deleted:2"]
    assert api.chat_messages(1) == []
    assert [e.plain_text for e in api.events] == ["x", "y", "y"]

    _, body = await api.call("getUpdates", {"allowed_updates": '["callback_query"]'})
    assert body["result"] == []  # the pending message is dropped
    await alice.send_voice()
    await alice.edit_message(1, "hi again")
    _, body = await api.call("getUpdates", {"allowed_updates": "[]"})  # back to the default
    assert [next(k for k in u if k != "update_id") for u in body["result"]] == [
        "message",
        "edited_message",
    ]
    assert body["result"][1]["edited_message"]["text"] == "hi again"
    api.close()
