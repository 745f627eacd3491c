"""A fake Telegram Bot API ("stand-in") for end-to-end tests of PTB applications.

``FakeBotApi`` holds the in-memory server state and validates every request against the
official Bot API spec; ``StandinServer`` serves it over loopback HTTP, ``StandinRequest``
serves it in-process to PTB without sockets.  See the module docstrings for details.
"""

from bot.standin.core import (
    ApiError,
    CallbackAnswer,
    DroppedConnection,
    FakeBotApi,
    FakeChat,
    FakeUser,
    RecordedRequest,
    SentMessage,
    UploadedFile,
)
from bot.standin.http import StandinServer
from bot.standin.request import (
    StandinRequest,
    StandinUpdateProcessor,
    application_builder,
    processed_handler,
)
from bot.standin.spec import BotApiSpec, CheckResult, FileRef, SpecNotFoundError
from bot.standin.textparse import EntityParseError, ParsedText, html_to_plain, parse_formatted

__all__ = [
    "ApiError",
    "BotApiSpec",
    "CallbackAnswer",
    "CheckResult",
    "DroppedConnection",
    "EntityParseError",
    "FakeBotApi",
    "FakeChat",
    "FakeUser",
    "FileRef",
    "ParsedText",
    "RecordedRequest",
    "SentMessage",
    "SpecNotFoundError",
    "StandinRequest",
    "StandinServer",
    "StandinUpdateProcessor",
    "UploadedFile",
    "application_builder",
    "html_to_plain",
    "parse_formatted",
    "processed_handler",
]
