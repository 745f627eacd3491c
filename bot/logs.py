"""Logging: one line per event, and the bot token never written anywhere."""

from __future__ import annotations

import logging
import sys


class OneLineFormatter(logging.Formatter):
    """Folds tracebacks into the event's line so each event is exactly one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " | ")


class RedactToken(logging.Filter):
    """Replaces the token wherever it would appear, whatever logged it."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

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


def configure_logging(level: str, secret: str | None) -> None:
    """Log to stderr at `level`, one line per event, with the token redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if secret:
        handler.addFilter(RedactToken(secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
