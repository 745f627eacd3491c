"""Showing the bot's messages in a terminal: Telegram entities as ANSI styles, buttons lettered."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from standin.textparse import parse_html, strip_text

# ANSI select graphic rendition: (on, off) per entity type; "off" codes leave other styles alone.
_STYLES: dict[str, tuple[str, str]] = {
    "bold": ("\x1b[1m", "\x1b[22m"),
    "italic": ("\x1b[3m", "\x1b[23m"),
    "underline": ("\x1b[4m", "\x1b[24m"),
    "strikethrough": ("\x1b[9m", "\x1b[29m"),
    "code": ("\x1b[2m", "\x1b[22m"),
    "spoiler": ("\x1b[2m", "\x1b[22m"),
}
DIM = ("\x1b[2m", "\x1b[22m")
CYAN = ("\x1b[36m", "\x1b[39m")
INDENT = "    "


def use_color(stream: IO[str]) -> bool:
    """ANSI styles only for a real terminal, and never when NO_COLOR is set or TERM is dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, style: tuple[str, str], color: bool) -> str:
    """Wrap `text` in an ANSI style when color is on."""
    return f"{style[0]}{text}{style[1]}" if color and text else text


@dataclass(frozen=True)
class _Entity:
    start: int  # index into the Python string
    end: int
    data: Mapping[str, Any]


def _utf16_to_index(text: str) -> dict[int, int]:
    """Map every UTF-16 offset that falls on a character boundary to its Python index."""
    mapping: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        mapping[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    mapping[units] = len(text)
    return mapping


def _entities(text: str, raw: Sequence[Mapping[str, Any]]) -> list[_Entity]:
    mapping = _utf16_to_index(text)
    found: list[_Entity] = []
    for entity in raw:
        offset, length = int(entity.get("offset", 0)), int(entity.get("length", 0))
        start, end = mapping.get(offset), mapping.get(offset + length)
        if start is None or end is None or end <= start:
            continue
        found.append(_Entity(start, end, entity))
    found.sort(key=lambda e: (e.start, -e.end))
    return found


def render_entities(text: str, entities: Sequence[Mapping[str, Any]], *, color: bool) -> str:
    """Plain text plus Bot API entities as terminal text: styles, "text (url)", indented code."""
    return _render(text, 0, len(text), _entities(text, entities), color)


def render_html(html: str, *, color: bool) -> str:
    """Telegram HTML (as the bot sends it) as terminal text."""
    parsed = strip_text(parse_html(html))
    return render_entities(parsed.text, parsed.entities, color=color)


def _render(text: str, start: int, end: int, entities: list[_Entity], color: bool) -> str:
    out: list[str] = []
    position = start
    i = 0
    while i < len(entities):
        entity = entities[i]
        j = i + 1
        while j < len(entities) and entities[j].start < entity.end:
            j += 1
        inner_start = max(entity.start, position)
        if inner_start >= entity.end:
            i = j
            continue
        out.append(text[position:inner_start])
        children = [
            _Entity(max(c.start, inner_start), min(c.end, entity.end), c.data)
            for c in entities[i + 1 : j]
        ]
        inner = _render(text, inner_start, entity.end, children, color)
        before = "".join(out)
        out.append(_style(entity.data, inner, color, before, text[entity.end : entity.end + 1]))
        position = entity.end
        i = j
    out.append(text[position:end])
    return "".join(out)


def _style(entity: Mapping[str, Any], inner: str, color: bool, before: str, after: str) -> str:
    kind = str(entity.get("type"))
    if kind == "text_link":
        url = str(entity.get("url", ""))
        return inner if not url or url == inner else f"{inner} ({url})"
    if kind == "pre":
        block = "\n".join(INDENT + line if line else line for line in inner.split("\n"))
        lead = "\n" if before and not before.endswith("\n") else ""
        trail = "\n" if after and after != "\n" else ""
        return f"{lead}{block}{trail}"
    if kind in ("blockquote", "expandable_blockquote"):
        return "\n".join(f"│ {line}" for line in inner.split("\n"))
    style = _STYLES.get(kind)
    return paint(inner, style, color) if style else inner


def button_key(index: int) -> str:
    """The letters that press button `index` (0-based): a..z, then aa, ab, ... (never needed)."""
    if index < 0:
        raise ValueError("button index must not be negative")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def key_index(typed: str) -> int | None:
    """The button index `typed` presses ('a' is 0, 'B' is 1, 'aa' is 26); None if it is not
    letters a-z alone (digits and everything else are text)."""
    key = typed.strip().lower()
    if not key or not key.isascii() or not key.isalpha():
        return None
    index = 0
    for letter in key:
        index = index * 26 + ord(letter) - ord("a") + 1
    return index - 1


def letter_buttons(rows: Sequence[Sequence[str]]) -> list[str]:
    """Button rows as lines like "[a] Yes  [b] No", lettered across rows."""
    lines: list[str] = []
    index = 0
    for row in rows:
        cells = []
        for label in row:
            cells.append(f"[{button_key(index)}] {label}")
            index += 1
        lines.append("  ".join(cells))
    return lines


def block(prefix: str, body: str, extra: Sequence[str] = (), width: int | None = None) -> str:
    """`prefix` before the first line; later lines and `extra` indented to line up under it."""
    pad = " " * (width if width is not None else len(prefix))
    lines = body.split("\n") if body else [""]
    shown = [f"{prefix}{lines[0]}"] + [f"{pad}{line}" if line else "" for line in lines[1:]]
    shown += [f"{pad}{line}" for line in extra]
    return "\n".join(shown)


def _line_buffer() -> str:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return ""
    return readline.get_line_buffer()


class Screen:
    """Output shared by the input thread and the bot's loop; an open prompt is redrawn after it."""

    def __init__(self, stream: IO[str], *, color: bool, live_prompt: bool) -> None:
        self.stream = stream
        self.color = color
        self._live_prompt = live_prompt
        self._lock = threading.Lock()
        self._prompt: str | None = None

    def write(self, text: str) -> None:
        """Print `text` (one or more lines) without disturbing a prompt being typed at."""
        with self._lock:
            if self._prompt is not None and self._live_prompt:
                self.stream.write("\r\x1b[K" + text + "\n" + self._prompt + _line_buffer())
            else:
                self.stream.write(text + "\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        """A line from the local chat itself (not the bot), dimmed on a terminal."""
        self.write(paint(f"({text})", DIM, self.color))

    def read(self, prompt: str) -> str:
        """Read one line with `prompt` (readline editing when available); EOFError on Ctrl-D."""
        with self._lock:
            self._prompt = prompt
        try:
            return input(prompt)
        finally:
            with self._lock:
                self._prompt = None
