"""Files that hold someone's data: the owner's alone (0600), whatever the umask.

The bot's database, its backups, exports and the terminal chat's files are written through
these helpers. A folder the bot creates for them is 0700; a folder that already exists (the
working directory, /var/lib/...) is never changed. Modes are set explicitly after creating,
because the mode passed to `open`/`mkdir` is only an upper bound once the umask is applied.
POSIX permissions only: on Windows the chmod calls change nothing that matters and are harmless.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "create_private",
    "make_private",
    "private_dir",
    "write_private",
]

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Make sure the folder `path` exists; each folder created here (parents too) is 0700.

    Folders that already exist keep their mode. Raises NotADirectoryError if `path` (or a
    parent) is a file, OSError if a folder cannot be created.
    """
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        try:
            os.mkdir(new, PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # someone else made it meanwhile: not ours to change
        os.chmod(new, PRIVATE_DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(f"not a folder: {path}")
    return path


def create_private(path: Path) -> bool:
    """Create `path` as an empty 0600 file if it does not exist; True if it was created here.

    An existing file is left as it is (see `make_private`).
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    try:
        _fchmod(fd)
    finally:
        os.close(fd)
    return True


def make_private(path: Path) -> bool:
    """Take group and other permissions off an existing file (0644 becomes 0600); the owner's
    stay as they are, so a read-only file stays read-only. False if there is no such file."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return False
    if mode & 0o077:
        os.chmod(path, mode & 0o700)
    return True


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically as a 0600 file: a reader sees the old file or the whole
    new one, never a part, and never a moment where the file is readable by others.

    The temporary file is created next to `path` (exclusively, 0600), written, flushed to disk
    and renamed over `path`. The folder must exist (`private_dir` makes one).
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    try:
        try:
            _fchmod(fd)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(path.parent)


def _fchmod(fd: int) -> None:
    """0600 exactly: the umask may have taken bits off the mode `os.open` was given."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, PRIVATE_FILE_MODE)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable too (POSIX; best effort elsewhere)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
