"""Settings from the environment and `.env`, validated once at start."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")
# What Telegram allows in a webhook's secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]+")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names the setting and the problem."""


class Settings(BaseSettings):
    """Everything Comeback reads from its environment (see `.env.example`)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite:///comeback.sqlite3"
    default_timezone: str = "UTC"
    admin_user_ids: Annotated[tuple[int, ...], NoDecode] = ()
    log_level: str = "INFO"
    helpline_countries: Annotated[tuple[str, ...], NoDecode] = ("US", "GB")
    dispatch_interval_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Private check-ins sent as Telegram's paid broadcasts: up to 1,000 a second instead of
    # about 30, at 0.1 Telegram Stars per message from the bot's balance. Off unless chosen.
    paid_broadcast: bool = False
    # Connections each process keeps to PostgreSQL (ignored on SQLite, which has one).
    database_pool_size: int = Field(default=5, ge=1, le=100)
    # Webhook mode (docs/deploy.md): set WEBHOOK_URL and the bot registers it with Telegram and
    # serves it on WEBHOOK_LISTEN; several such processes can share one PostgreSQL database.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8080"
    webhook_secret_token: SecretStr | None = None
    # How many connections at once Telegram may open to this bot's webhook (1-100).
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    # /healthz and /metrics in polling mode (in webhook mode they are on WEBHOOK_LISTEN).
    metrics_listen: str | None = None
    log_format: str = "text"
    # How this process shows in /metrics and JSON logs; default: host name and process id.
    worker_id: str | None = None

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not _TOKEN.match(text.strip()):
            # Never echo the value: it may be a real token with a typo.
            raise ValueError("does not look like a token from @BotFather (digits:secret)")
        return text.strip()

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be an http(s) URL such as https://api.telegram.org/bot")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not is_postgres(value):
            database_path(value)
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            message = f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)"
            raise ValueError(message) from None
        return value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _admins(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ValueError("must be comma-separated Telegram user ids, e.g. 12345,67890")
            return tuple(int(p) for p in parts)
        return value

    @field_validator("helpline_countries", mode="before")
    @classmethod
    def _countries(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip().upper() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"[A-Z]{2}", p) for p in parts):
                raise ValueError("must be comma-separated two-letter country codes, e.g. US,GB")
            return tuple(parts)
        return value

    @field_validator("webhook_url", "metrics_listen", "webhook_secret_token", "worker_id",
                     mode="before")  # fmt: skip
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be the https:// URL Telegram should post updates to")
        return value.strip()

    @field_validator("webhook_listen", "metrics_listen")
    @classmethod
    def _listen(cls, value: str | None) -> str | None:
        if value is None:
            return None
        listen_address(value)
        return value.strip()

    @field_validator("webhook_secret_token", mode="after")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        text = value.get_secret_value()
        if len(text) < 32 or len(text) > 256:
            raise ValueError("must be 32 to 256 characters long")
        if not _SECRET.fullmatch(text):
            raise ValueError("may only use the characters A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("must be text or json")
        return value.lower()

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret_token is None:
            raise ValueError(
                "WEBHOOK_SECRET_TOKEN: required with WEBHOOK_URL (32 to 256 characters of"
                " A-Z, a-z, 0-9, _ and -; for example: python -c 'import secrets;"
                " print(secrets.token_urlsafe(32))')"
            )
        return self

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in _LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}")
        return value.upper()

    @property
    def token(self) -> str | None:
        """The bot token, or None for the local terminal chat."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def database_path(self) -> Path | str:
        """The SQLite file (or ':memory:'); on PostgreSQL the URL without its password."""
        if is_postgres(self.database_url):
            return display_url(self.database_url)
        return database_path(self.database_url)

    @property
    def webhook_mode(self) -> bool:
        """Whether updates arrive by webhook (WEBHOOK_URL set) rather than long polling."""
        return self.webhook_url is not None

    @property
    def webhook_secret(self) -> str | None:
        """The secret Telegram sends with every webhook request."""
        return self.webhook_secret_token.get_secret_value() if self.webhook_secret_token else None

    @property
    def on_postgres(self) -> bool:
        """Whether DATABASE_URL names a PostgreSQL server."""
        return is_postgres(self.database_url)


def listen_address(value: str) -> tuple[str, int]:
    """The host and port of a `host:port` listen setting (`[::1]:8080` for IPv6)."""
    host, sep, port = value.strip().rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError("must be host:port, e.g. 127.0.0.1:8080 or 0.0.0.0:8080")
    return host, int(port)


def is_postgres(url: str) -> bool:
    """Whether `url` is a `postgresql://` (or `postgres://`) URL."""
    return urlparse(url).scheme in ("postgresql", "postgres")


def display_url(url: str) -> str:
    """A database URL without its password, for logs and messages."""
    parts = urlparse(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def database_path(url: str) -> Path | str:
    """The SQLite path of a `sqlite:///relative` or `sqlite:////absolute` URL."""
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        raise ValueError(
            f"unsupported scheme {parsed.scheme or '(none)'!r}: use sqlite:///path/to/file.sqlite3"
            " or postgresql://user:password@host:5432/database"
        )
    raw = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
    if not raw:
        raise ValueError("needs a file path, e.g. sqlite:///comeback.sqlite3")
    if raw == ":memory:":
        return raw
    path = Path(raw)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"folder {str(folder)!r} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"file {str(path)!r} is not writable")
    if not path.exists() and not os.access(folder, os.W_OK):
        raise ValueError(f"folder {str(folder)!r} is not writable")
    return path


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings, or raise ConfigError naming the first bad one."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        if not error["loc"]:  # a rule across settings: its message names them
            raise ConfigError(message) from None
        raise ConfigError(f"{str(error['loc'][0]).upper()}: {message}") from None
