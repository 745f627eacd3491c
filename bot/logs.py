"""Logging: one line per event, and the bot token never written anywhere."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime


class OneLineFormatter(logging.Formatter):
    """Folds tracebacks into the event's line so each event is exactly one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " | ")


class JsonFormatter(logging.Formatter):
    """LOG_FORMAT=json: one JSON object per line: time (ISO 8601, UTC), level, logger, message,
    worker; and exc_type, exc (the traceback) when an exception is logged."""

    def __init__(self, worker: str | None = None) -> None:
        super().__init__()
        self.worker = worker

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC)
        event: dict[str, object] = {
            "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "worker": self.worker,
        }
        if record.exc_info and record.exc_info[1] is not None:
            event["exc_type"] = type(record.exc_info[1]).__name__
            # RedactToken may have left a redacted traceback in exc_text: it wins.
            if not record.exc_text:
                record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            event["exc"] = record.exc_text
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        # ensure_ascii: a line is plain ASCII whatever the terminal or collector expects; the
        # traceback's line breaks are escaped, so the event stays on one line.
        return json.dumps(event, default=str)


class RedactToken(logging.Filter):
    """Replaces the token wherever it would appear, whatever logged it."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    @property
    def secret(self) -> str:
        """What this filter redacts."""
        return self._secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._secret in message:
            record.msg = message.replace(self._secret, "[token]")
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = str(record.exc_info[1])
            if self._secret in text:
                record.exc_text = self.format_exc(record).replace(self._secret, "[token]")
        return True

    @staticmethod
    def format_exc(record: logging.LogRecord) -> str:
        return logging.Formatter().formatException(record.exc_info)  # type: ignore[arg-type]


# Loggers that write the token themselves: python-telegram-bot logs the Bot API URL (which holds
# the token) at DEBUG when a bot is set up, and httpx/httpcore log request URLs.
TOKEN_SOURCES = ("telegram.Bot", "telegram.ext.ExtBot", "httpx", "httpcore")


def redact_at_source(secret: str) -> None:
    """Redact the token in the records of `TOKEN_SOURCES` as they are made, so that every
    handler (not only ours: a test's log capture, an operator's extra handler) gets them clean."""
    for name in TOKEN_SOURCES:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.secret == secret for f in logger.filters):
            logger.addFilter(RedactToken(secret))


def configure_logging(
    level: str, secret: str | None, *, log_format: str = "text", worker: str | None = None
) -> None:
    """Log to stderr at `level`, one line per event (text, or JSON objects with `worker` in
    each), with the token redacted."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(worker))
    else:
        handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if secret:
        handler.addFilter(RedactToken(secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
