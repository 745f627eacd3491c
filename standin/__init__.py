"""A fake Telegram Bot API ("stand-in") for end-to-end tests of PTB applications.

``FakeBotApi`` holds the in-memory server state and validates every request against the
official Bot API spec; ``StandinRequest`` serves it in-process to PTB without sockets.
``standin.http.StandinServer`` serves it over loopback HTTP; it needs aiohttp (a test
extra), so it is imported from there by what uses it, never here: the terminal chat imports
this package on a plain install.  See the module docstrings for details.
"""

from standin.core import (
    ApiError,
    CallbackAnswer,
    DroppedConnection,
    FakeBotApi,
    FakeChat,
    FakeUser,
    RecordedRequest,
    SentMessage,
    UploadedFile,
    WebhookDelivery,
)
from standin.request import (
    StandinRequest,
    StandinUpdateProcessor,
    application_builder,
    processed_handler,
)
from standin.spec import BotApiSpec, CheckResult, FileRef, SpecNotFoundError
from standin.textparse import EntityParseError, ParsedText, html_to_plain, parse_formatted

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
    "StandinUpdateProcessor",
    "UploadedFile",
    "WebhookDelivery",
    "application_builder",
    "html_to_plain",
    "parse_formatted",
    "processed_handler",
]
