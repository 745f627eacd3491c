"""What the local chat keeps between runs besides the bot's own database: clock, users, ids."""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.private_files import private_dir, write_private

DEFAULT_DB = Path("comeback-local.sqlite3")
STATE_FILE = "session.json"
HISTORY_FILE = "history"


def files_dir(db: Path) -> Path:
    """The folder next to the database for saved photos, documents and the session file."""
    return db.parent / f"{db.stem}-files"


def user_id_for(name: str) -> int:
    """A stable Telegram-like user id for a local user name (case and spacing ignored)."""
    key = " ".join(name.split()).casefold().encode("utf-8")
    digest = hashlib.sha256(key).digest()
    return 100_000 + int.from_bytes(digest[:4], "big") % 900_000_000


def default_name(fallback: str = "Friend") -> str:
    """The login name, title-cased, as the first local user's name (or `fallback`)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = ""
    cleaned = login.strip().replace(".", " ").replace("_", " ")
    if not cleaned or cleaned.lower() == "root" or not cleaned.replace(" ", "").isalnum():
        return fallback
    return cleaned.title()


@dataclass
class LocalState:
    """Saved in `<db stem>-files/session.json`; everything else lives in the bot's database."""

    user: str | None = None
    users: dict[str, int] = field(default_factory=dict)
    clock_offset_seconds: float = 0.0
    group_joined: bool = False
    message_ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> LocalState:
        """Read the session file; a missing or unreadable one starts fresh."""
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        state = cls()
        with contextlib.suppress(TypeError, ValueError, AttributeError):
            state.user = str(raw["user"]) if raw.get("user") else None
            state.users = {str(k): int(v) for k, v in dict(raw.get("users", {})).items()}
            state.clock_offset_seconds = max(float(raw.get("clock_offset_seconds", 0.0)), 0.0)
            state.group_joined = bool(raw.get("group_joined", False))
            state.message_ids = {
                str(k): int(v) for k, v in dict(raw.get("message_ids", {})).items()
            }
        return state

    def save(self, path: Path) -> None:
        """Write the session file atomically, readable by its owner only."""
        private_dir(path.parent)
        write_private(path, (json.dumps(asdict(self), indent=2) + "\n").encode("utf-8"))
