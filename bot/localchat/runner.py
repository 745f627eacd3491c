"""Running a local chat: the bot's event loop in a thread, the keyboard (or a script) in main.

Reading input stays on the main thread so Ctrl-C and Ctrl-D reach `input()` the usual way and
readline owns the terminal; the Application runs undisturbed on its own loop meanwhile, so
check-ins that fall due while the person is typing are printed above the prompt.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any, TypeVar

from bot.config import ConfigError, Settings, load_settings
from bot.localchat.session import LOCAL_BASE_URL, LOCAL_TOKEN, LocalChat
from bot.localchat.state import (
    DEFAULT_DB,
    HISTORY_FILE,
    STATE_FILE,
    LocalState,
    default_name,
    files_dir,
)
from bot.localchat.terminal import Screen, use_color
from bot.localchat.texts import environment_language, text
from bot.logs import configure_logging
from bot.private_files import create_private, make_private, private_dir
from coaching.safety import CrisisSignal, detect_crisis

T = TypeVar("T")


@dataclass(frozen=True)
class ChatOptions:
    """What `comeback chat` was asked to do."""

    db: Path = DEFAULT_DB
    script: Path | None = None  # Path("-") reads the script from stdin
    name: str | None = None
    language: str | None = None  # None: from the locale (LC_ALL, LC_MESSAGES, LANG)


def local_settings(db: Path) -> Settings:
    """The bot's settings for a local chat: .env as usual, but a local token and database."""
    try:
        return load_settings(
            telegram_bot_token=LOCAL_TOKEN,
            telegram_api_base_url=LOCAL_BASE_URL,
            database_url=f"sqlite:///{db}",
        )
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("DATABASE_URL:", "--db:", 1)) from None


class _LoopThread:
    """An asyncio loop in a daemon thread; the main thread hands it coroutines."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="comeback-bot", daemon=True)
        self._current: concurrent.futures.Future[Any] | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self) -> None:
        self._thread.start()

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop and wait for its result."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        self._current = future
        try:
            return future.result()
        finally:
            self._current = None

    def cancel_current(self) -> None:
        """Give up on the coroutine an interrupted `call` was waiting for."""
        if self._current is not None:
            self._current.cancel()

    def close(self) -> None:
        """Cancel what is left, stop the loop and wait for the thread."""
        with contextlib.suppress(Exception):
            self.call(_cancel_leftovers())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()


async def _cancel_leftovers() -> None:
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()


def _script_lines(stream: IO[str], screen: Screen, chat: LocalChat) -> Iterator[str]:
    """Lines of a script, echoed after the prompt; blank lines and `#` comments skipped."""
    for raw in stream:
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        screen.write(f"{chat.prompt}{line}")
        yield line


def _typed_lines(screen: Screen, chat: LocalChat) -> Iterator[str]:
    """Lines typed at the prompt, until Ctrl-D; a line the safety screen flags is taken out of
    the input history at once (it is sent to the bot all the same)."""
    while True:
        try:
            line = screen.read(chat.prompt)
        except EOFError:
            screen.write("")
            return
        if screened(line):
            _forget_last(line)
        yield line


def screened(line: str) -> bool:
    """Whether the safety screen flags `line` (a crisis, or a reason to check in)."""
    return detect_crisis(line) is not CrisisSignal.NONE


def _forget_last(line: str) -> None:
    """Remove `line` from readline's history if it is the newest entry (input() added it)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - platforms without readline
        return
    length = readline.get_current_history_length()
    if length and readline.get_history_item(length) == line:  # 1-based
        readline.remove_history_item(length - 1)  # 0-based


def _forget_history(history: Path, screen: Screen, language: str) -> None:
    """After a /delete went through: no input history, in memory or on disk."""
    try:
        import readline
    except ImportError:  # pragma: no cover - platforms without readline
        pass
    else:
        readline.clear_history()
    try:
        history.unlink(missing_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        screen.note(text(language, "note.history_not_erased", path=history, reason=reason))
        return
    screen.note(text(language, "note.history_erased", folder=history.parent))


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminal_restored(stream: IO[str]) -> Iterator[None]:
    """Put the terminal back as it was, whatever readline was doing when we left."""
    try:
        import termios

        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def _line_editing(history: Path) -> Iterator[None]:
    """readline editing and history, when the platform has it; the history file is 0600 and
    never keeps a line the safety screen flags (older files are cleaned when read)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - platforms without readline
        yield
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    for position in reversed(range(readline.get_current_history_length())):
        item = readline.get_history_item(position + 1)
        if item is not None and screened(item):
            readline.remove_history_item(position)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            private_dir(history.parent)
            if not create_private(history):
                make_private(history)
            readline.set_history_length(1000)
            readline.write_history_file(history)


def run_chat(options: ChatOptions) -> int:
    """Open the local chat; returns the exit status. Raises ConfigError for bad settings."""
    if options.script is not None and str(options.script) != "-" and not options.script.is_file():
        raise ConfigError(f"--script: no such file {str(options.script)!r}")
    settings = local_settings(options.db)
    state = LocalState.load(files_dir(options.db) / STATE_FILE)
    language = options.language or environment_language(os.environ)
    fallback = text(language, "default_name")
    name = " ".join((options.name or state.user or default_name(fallback)).split())
    interactive = options.script is None and sys.stdin.isatty()
    screen = Screen(sys.stdout, color=use_color(sys.stdout), live_prompt=interactive)
    configure_logging("DEBUG" if settings.log_level == "DEBUG" else "WARNING", LOCAL_TOKEN)
    # Signal handlers are the process's: the ones found are put back when the chat ends (a
    # process that runs the chat and goes on, the test suite's, keeps Ctrl-C working).
    in_main_thread = threading.current_thread() is threading.main_thread()
    found = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    if in_main_thread:
        signal.signal(signal.SIGTERM, _raise_interrupt)
    runner = _LoopThread()
    runner.start()
    chat = LocalChat(settings, options.db, screen, name, state, language=language)
    script: IO[str] | None = None
    try:
        with contextlib.ExitStack() as stack:
            if interactive:
                stack.enter_context(_terminal_restored(sys.stdin))
                stack.enter_context(_line_editing(files_dir(options.db) / HISTORY_FILE))
                screen.write(text(language, "banner", db=options.db))
            runner.call(chat.start())
            if interactive:
                lines = _typed_lines(screen, chat)
            else:
                if options.script is not None and str(options.script) != "-":
                    script = stack.enter_context(options.script.open(encoding="utf-8"))
                lines = _script_lines(script or sys.stdin, screen, chat)
            for line in lines:
                if not runner.call(chat.handle(line)):
                    break
                if chat.erased:
                    chat.erased.clear()
                    _forget_history(files_dir(options.db) / HISTORY_FILE, screen, language)
    except KeyboardInterrupt:
        runner.cancel_current()
        screen.write("")
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not lose state
        try:
            runner.call(chat.stop())
        finally:
            runner.close()
            if in_main_thread:
                for sig, handler in found.items():
                    signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    if interactive:
        screen.note(text(language, "note.saved", db=options.db))
    return 0
