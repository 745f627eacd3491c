"""Files that hold people's data are 0600 and the folders made for them 0700, whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.private_files import create_private, make_private, private_dir, write_private
from bot.storage.admin import BackupError, backup_database
from bot.storage.database import Database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
SQLITE_FILES = "SQLite's database file, its -wal and -shm, and its backup file"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    return {p.name: mode(p) for p in folder.iterdir()}


def shared_folder(path: Path) -> Path:
    """An existing folder others may read, as a working directory usually is."""
    path.mkdir(exist_ok=True)
    path.chmod(0o755)
    return path


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """022: what most systems use, and what leaves a new file readable by everyone."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_private_dir_makes_each_missing_folder_0700_and_leaves_existing_ones(
    tmp_path: Path,
) -> None:
    tmp_path.chmod(0o755)
    target = tmp_path / "a" / "b" / "c"
    assert private_dir(target) == target
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", target)] == [0o700] * 3
    assert mode(tmp_path) == 0o755

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o775)
    private_dir(shared)
    private_dir(shared / "mine")
    assert mode(shared) == 0o775
    assert mode(shared / "mine") == 0o700

    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        private_dir(tmp_path / "file")


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000, 0o277])
def test_write_private_is_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    os.umask(umask)
    path = tmp_path / "export.json"
    write_private(path, b'{"a": 1}')
    assert path.read_bytes() == b'{"a": 1}'
    assert mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"], "no temporary file left"


def test_write_private_replaces_a_readable_file_and_is_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "chart.png"
    path.write_bytes(b"old")
    path.chmod(0o644)
    write_private(path, b"new" * 100_000)
    assert path.read_bytes() == b"new" * 100_000
    assert mode(path) == 0o600

    def broken(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="No space"):
        write_private(path, b"half")
    assert path.read_bytes() == b"new" * 100_000
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_create_private_and_make_private(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    assert create_private(path) is True
    assert mode(path) == 0o600 and path.read_bytes() == b""
    path.chmod(0o640)
    assert create_private(path) is False  # an existing file is not touched...
    assert mode(path) == 0o640
    assert make_private(path) is True  # ...until it is made private: group and others lose it
    assert mode(path) == 0o600
    path.chmod(0o444)
    make_private(path)
    assert mode(path) == 0o400, "the owner's bits stay: a read-only file stays read-only"
    assert make_private(tmp_path / "missing") is False


@pytest.mark.sqlite_only(SQLITE_FILES)
async def test_a_fresh_database_and_its_wal_and_shm_are_0600(tmp_path: Path) -> None:
    shared_folder(tmp_path)
    path = tmp_path / "comeback.sqlite3"
    db = Database(path)
    try:
        await db.execute("INSERT INTO schema_migrations VALUES (999, 'x', 'now')")
        assert modes(tmp_path) == {
            "comeback.sqlite3": 0o600,
            "comeback.sqlite3-wal": 0o600,
            "comeback.sqlite3-shm": 0o600,
        }
    finally:
        await db.close()
    assert mode(tmp_path) == 0o755, "the folder is not the bot's: untouched"


@pytest.mark.sqlite_only(SQLITE_FILES)
async def test_an_older_database_and_its_sidecars_are_made_private(tmp_path: Path) -> None:
    path = tmp_path / "comeback.sqlite3"
    older = sqlite3.connect(path, isolation_level=None)  # as before: 0644 under umask 022
    try:
        older.execute("PRAGMA journal_mode = WAL")
        older.execute("CREATE TABLE t (x)")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert {mode(path), mode(wal), mode(shm)} == {0o644}
        db = Database(path)
        try:
            await db.fetch_all("SELECT 1")
            assert {mode(path), mode(wal), mode(shm)} == {0o600}
        finally:
            await db.close()
    finally:
        older.close()


@pytest.mark.sqlite_only(SQLITE_FILES)
async def test_a_database_that_cannot_be_created_still_says_so(tmp_path: Path) -> None:
    from bot.storage.database import StorageUnavailable

    db = Database(tmp_path / "no such folder" / "comeback.sqlite3")
    with pytest.raises(StorageUnavailable):
        await db.fetch_all("SELECT 1")
    await db.close()


@pytest.mark.sqlite_only(SQLITE_FILES)
async def test_a_memory_database_needs_no_file(tmp_path: Path) -> None:
    db = Database(":memory:")
    try:
        assert await db.fetch_all("SELECT 1")
    finally:
        await db.close()


@pytest.mark.sqlite_only(SQLITE_FILES)
async def test_a_backup_is_0600_and_its_folder_keeps_its_mode(tmp_path: Path) -> None:
    source = tmp_path / "comeback.sqlite3"
    db = Database(source)
    try:
        await db.fetch_all("SELECT 1")
        folder = shared_folder(tmp_path / "backups")
        report = backup_database(source, folder)
    finally:
        await db.close()
    assert report.path == folder / "comeback-backup.sqlite3"
    assert mode(report.path) == 0o600
    assert mode(folder) == 0o755
    assert modes(folder) == {"comeback-backup.sqlite3": 0o600}
    with pytest.raises(BackupError):
        backup_database(source, tmp_path / "no such folder" / "copy.sqlite3")
