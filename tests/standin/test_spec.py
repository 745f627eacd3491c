"""BotApiSpec: requests as PTB encodes them are checked against the official spec."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from standin import spec as spec_module
from standin.spec import BotApiSpec, FileRef, SpecNotFoundError


@pytest.fixture(scope="module")
def spec() -> BotApiSpec:
    return BotApiSpec.default()


def keyboard(*buttons: dict[str, str]) -> str:
    return json.dumps({"inline_keyboard": [list(buttons)]})


def test_valid_html_message_with_inline_keyboard(spec: BotApiSpec) -> None:
    params = {
        "chat_id": "42",
        "text": '<b>AT&amp;T</b> <i>x</i> <a href="https://e.org/?a=1&amp;b=2">l</a>',
        "parse_mode": "HTML",
        "disable_notification": "true",
        "reply_markup": keyboard(
            {"text": "Yes", "callback_data": "y"}, {"text": "Web", "url": "https://e.org"}
        ),
    }
    result = spec.check("sendMessage", params)
    assert result.problems == []
    assert result.params["chat_id"] == 42
    assert result.params["disable_notification"] is True
    assert result.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "y"


def test_html_that_telegram_cannot_parse(spec: BotApiSpec) -> None:
    problems = spec.validate(
        "sendMessage", {"chat_id": "1", "text": "<AT&T>", "parse_mode": "HTML"}
    )
    assert len(problems) == 1 and "can't parse entities" in problems[0]
    for text in (
        "a & b",
        "1 < 2",
        "2 > 1",
        "<b>x",
        "<b><i>x</b></i>",
        "<br>",
        "&nbsp;",
        "<span>x</span>",
        "x</b>",
    ):
        assert spec.validate("sendMessage", {"chat_id": "1", "text": text, "parse_mode": "HTML"}), (
            text
        )
    # without a parse mode the same characters are plain text
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "<AT&T>"}) == []


def test_text_length_counts_after_entity_parsing(spec: BotApiSpec) -> None:
    ok = {"chat_id": "1", "text": "<b>" + "x" * 4095 + "&amp;</b>", "parse_mode": "HTML"}
    assert spec.validate("sendMessage", ok) == []
    too_long = spec.validate("sendMessage", {"chat_id": "1", "text": "x" * 4097})
    assert too_long and "4097" in too_long[0]
    assert spec.validate("editMessageText", {"chat_id": "1", "message_id": "2", "text": "y" * 4097})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "<b></b> ", "parse_mode": "HTML"})
    caption = {"chat_id": "1", "photo": "file-id", "caption": "c" * 1025}
    assert "1024" in spec.validate("sendPhoto", caption)[0]
    assert (
        spec.validate(
            "sendPhoto", {**caption, "caption": "<i>" + "c" * 1024 + "</i>", "parse_mode": "HTML"}
        )
        == []
    )


def test_callback_data_is_limited_to_64_bytes(spec: BotApiSpec) -> None:
    def send(data: str) -> list[str]:
        return spec.validate(
            "sendMessage",
            {
                "chat_id": "1",
                "text": "t",
                "reply_markup": keyboard({"text": "b", "callback_data": data}),
            },
        )

    assert send("x" * 64) == []
    assert "64 bytes" in send("x" * 65)[0]
    assert send("é" * 33)  # 66 bytes, 33 characters
    assert send("")


def test_inline_button_needs_exactly_one_action(spec: BotApiSpec) -> None:
    none = spec.validate(
        "sendMessage", {"chat_id": "1", "text": "t", "reply_markup": keyboard({"text": "b"})}
    )
    both = spec.validate(
        "sendMessage",
        {
            "chat_id": "1",
            "text": "t",
            "reply_markup": keyboard({"text": "b", "callback_data": "x", "url": "https://e.org"}),
        },
    )
    assert "exactly one" in none[0] and "exactly one" in both[0]


def test_unknown_method_parameter_missing_and_types(spec: BotApiSpec) -> None:
    assert spec.validate("sendMesage", {}) == ["unknown method 'sendMesage'"]
    assert spec.resolve_method("SENDMESSAGE") == "sendMessage"
    problems = spec.validate(
        "sendMessage", {"chat_id": "1", "txt": "x", "disable_notification": "maybe"}
    )
    joined = "\n".join(problems)
    assert "txt: unknown parameter" in joined
    assert "text: required parameter" in joined
    assert "disable_notification: expected Boolean" in joined
    assert spec.validate("deleteMessage", {"chat_id": "1", "message_id": "abc"})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": "{not json"})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": "[1]"})
    # native JSON values (a JSON body) are accepted too
    assert (
        spec.validate("sendMessage", {"chat_id": 1, "text": "x", "disable_notification": True})
        == []
    )
    assert spec.validate("sendMessage", {"chat_id": 1, "text": 5})


def test_nested_objects_unions_and_subtypes(spec: BotApiSpec) -> None:
    reply_keyboard = json.dumps(
        {"keyboard": [[{"text": "a"}, {"text": "b"}]], "resize_keyboard": True}
    )
    assert (
        spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": reply_keyboard})
        == []
    )
    wrong = json.dumps(
        {"inline_keyboard": [{"text": "a", "callback_data": "x"}]}
    )  # one level missing
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": wrong})
    remove = json.dumps({"remove_keyboard": True})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": remove}) == []
    scope = json.dumps({"type": "chat", "chat_id": 5})
    commands = json.dumps([{"command": "start", "description": "Start"}])
    assert spec.validate("setMyCommands", {"commands": commands, "scope": scope}) == []
    bad_scope = json.dumps({"type": "chat"})
    assert (
        "chat_id" in spec.validate("setMyCommands", {"commands": commands, "scope": bad_scope})[0]
    )
    assert spec.validate(
        "setMyCommands", {"commands": commands, "scope": json.dumps({"type": "nope"})}
    )
    reply = json.dumps({"message_id": 3, "allow_sending_without_reply": True})
    assert (
        spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_parameters": reply}) == []
    )


def test_bot_commands(spec: BotApiSpec) -> None:
    def set_commands(command: str, description: str = "d") -> list[str]:
        return spec.validate(
            "setMyCommands",
            {"commands": json.dumps([{"command": command, "description": description}])},
        )

    assert set_commands("start_2") == []
    assert set_commands("Start")
    assert set_commands("with-dash")
    assert set_commands("x" * 33)
    assert set_commands("ok", "")
    assert set_commands("ok", "d" * 257)
    assert spec.validate("setMyCommands", {"commands": "[]"}) == []
    many = json.dumps([{"command": f"c{i}", "description": "d"} for i in range(101)])
    assert spec.validate("setMyCommands", {"commands": many})


def test_files_direct_and_attach(spec: BotApiSpec) -> None:
    result = spec.check("sendPhoto", {"chat_id": "1"}, {"photo": b"..."})
    assert result.problems == [] and result.params["photo"] == FileRef("photo")
    assert spec.validate("sendPhoto", {"chat_id": "1", "photo": "attach://pic"}, {"pic": b""}) == []
    assert (
        "not uploaded" in spec.validate("sendPhoto", {"chat_id": "1", "photo": "attach://pic"})[0]
    )
    assert spec.validate("sendPhoto", {"chat_id": "1", "photo": "AgACAgIAAxkBAAIB"}) == []
    assert spec.validate("sendPhoto", {"chat_id": "1"})  # missing photo


def test_misc_prose_rules(spec: BotApiSpec) -> None:
    assert spec.validate("sendChatAction", {"chat_id": "1", "action": "typing"}) == []
    assert spec.validate("sendChatAction", {"chat_id": "1", "action": "dancing"})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "parse_mode": "html"}) == []
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "parse_mode": "Textile"})
    assert spec.validate("answerCallbackQuery", {"callback_query_id": "1", "text": "t" * 201})
    options = json.dumps([{"text": "a"}, {"text": "b"}])
    assert spec.validate("sendPoll", {"chat_id": "1", "question": "Q", "options": options}) == []
    assert spec.validate("sendPoll", {"chat_id": "1", "question": "Q" * 301, "options": options})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "a.b", "parse_mode": "MarkdownV2"})
    assert (
        spec.validate(
            "sendMessage", {"chat_id": "1", "text": "*a\\.b*", "parse_mode": "MarkdownV2"}
        )
        == []
    )


def test_responses_can_be_validated(spec: BotApiSpec) -> None:
    user = {"id": 1, "is_bot": True, "first_name": "B", "username": "b_bot"}
    assert spec.validate_value(["User"], user) == []
    assert spec.validate_value(["User"], {"id": 1}) != []
    message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"}
    assert spec.validate_value(["Message"], message) == []


def test_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = BotApiSpec.find_default_path()
    shared = tmp_path / "shared" / "telegram-bot-api"
    shared.mkdir(parents=True)
    (shared / "api.json").write_bytes(real.read_bytes())
    clone = tmp_path / "clone"
    clone.mkdir()
    monkeypatch.chdir(clone)
    monkeypatch.delenv("TELEGRAM_API_SPEC", raising=False)
    assert BotApiSpec.find_default_path() == shared / "api.json"
    monkeypatch.setenv("TELEGRAM_API_SPEC", os.fspath(tmp_path / "missing.json"))
    with pytest.raises(SpecNotFoundError, match="TELEGRAM_API_SPEC"):
        BotApiSpec.default()
    monkeypatch.setenv("TELEGRAM_API_SPEC", os.fspath(real))
    assert BotApiSpec.default().version.startswith("Bot API")


def test_the_package_bundles_the_spec_for_clones_without_shared() -> None:
    bundled = Path(spec_module.__file__).parent / "spec_data" / "api.json"
    assert BotApiSpec.load(bundled).version.startswith("Bot API")
    for directory in Path(spec_module.__file__).resolve().parents:
        shared = directory / "shared" / "telegram-bot-api" / "api.json"
        if shared.is_file():  # beside the shared folder: the copy must not have fallen behind
            assert bundled.read_bytes() == shared.read_bytes()
            break
