"""Parsing of Telegram formatted text (parse_mode HTML, MarkdownV2 and Markdown).

The parsers turn formatted text into what Telegram would store: the plain text plus a
list of MessageEntity dicts (offsets and lengths in UTF-16 code units, like the Bot API).
Text that Telegram would refuse raises :class:`EntityParseError` whose message mimics
Telegram's ``can't parse entities: ...`` descriptions.

Rules implemented for HTML (see the "Formatting options" section of the Bot API docs):
only the tags b, strong, i, em, u, ins, s, strike, del, span class="tg-spoiler",
tg-spoiler, a href, tg-emoji emoji-id, code, pre and blockquote [expandable] are allowed;
tags must be properly nested and closed; ``<``, ``>`` and ``&`` that are not part of a
tag or of an entity (&lt; &gt; &amp; &quot; or a numeric one) are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "ParsedText",
    "html_to_plain",
    "parse_formatted",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "strip_text",
    "utf16_len",
]


class EntityParseError(ValueError):
    """Formatted text that Telegram refuses with "Bad Request: can't parse entities"."""


@dataclass
class ParsedText:
    """Plain text and the entities Telegram extracted from it."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Telegram entity offsets count)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


_ALLOWED_HTML = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}

_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[^\s=>/\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)"
    r"\s*(/?)>"
)
_ATTR_RE = re.compile(r"([^\s=>/\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _unescape_at(source: str, index: int) -> tuple[str, int]:
    """Decode the HTML entity starting at ``source[index] == '&'``."""
    match = _ENTITY_RE.match(source, index)
    if match is None:
        raise EntityParseError(
            "can't parse entities: character '&' at byte offset "
            f"{_byte_offset(source, index)} does not start a supported entity; "
            "escape it as &amp;"
        )
    named, dec, hexa = match.groups()
    if named:
        return _NAMED[named], match.end()
    code = int(dec) if dec else int(hexa, 16)
    if code <= 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(
            f"can't parse entities: invalid numeric entity at byte offset "
            f"{_byte_offset(source, index)}"
        )
    return chr(code), match.end()


def _unescape_attr(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            char, i = _unescape_at(value, i)
            out.append(char)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


@dataclass
class _Open:
    tag: str
    start: int  # UTF-16 offset in the output
    byte_offset: int
    attrs: dict[str, str | None]


def parse_html(source: str) -> ParsedText:
    """Parse text with ``parse_mode=HTML`` like Telegram does (or raise EntityParseError)."""
    out: list[str] = []
    out_len = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        if char == "<":
            match = _TAG_RE.match(source, i)
            if match is None:
                raise EntityParseError(
                    "can't parse entities: unescaped '<' at byte offset "
                    f"{_byte_offset(source, i)} is not part of a valid tag; escape it as &lt;"
                )
            closing, raw_name, raw_attrs, _self_closing = match.groups()
            name = raw_name.lower()
            offset = _byte_offset(source, i)
            if name not in _ALLOWED_HTML:
                kind = "end" if closing else "start"
                raise EntityParseError(
                    f'can\'t parse entities: unsupported {kind} tag "{raw_name}" '
                    f"at byte offset {offset}"
                )
            if closing:
                if not stack:
                    raise EntityParseError(
                        f'can\'t parse entities: unexpected end tag "{raw_name}" '
                        f"at byte offset {offset}"
                    )
                top = stack.pop()
                if top.tag != name:
                    raise EntityParseError(
                        f"can't parse entities: unmatched end tag at byte offset {offset}, "
                        f'expected "</{top.tag}>", found "</{raw_name}>"'
                    )
                entity = _html_entity(top, out_len, stack)
                if entity is not None:
                    entities.append(entity)
            else:
                attrs: dict[str, str | None] = {}
                for attr in _ATTR_RE.finditer(raw_attrs or ""):
                    key, value = attr.group(1).lower(), attr.group(2)
                    if value is not None and value[:1] in ("'", '"'):
                        value = value[1:-1]
                    attrs[key] = _unescape_attr(value) if value is not None else None
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise EntityParseError(
                        f'can\'t parse entities: tag "span" must have class "tg-spoiler" '
                        f"at byte offset {offset}"
                    )
                if name == "tg-emoji" and not attrs.get("emoji-id"):
                    raise EntityParseError(
                        f'can\'t parse entities: tag "tg-emoji" must have attribute "emoji-id" '
                        f"at byte offset {offset}"
                    )
                if name == "blockquote" and any(o.tag == "blockquote" for o in stack):
                    raise EntityParseError(
                        "can't parse entities: blockquote entities can't be nested "
                        f"(byte offset {offset})"
                    )
                stack.append(_Open(name, out_len, offset, attrs))
            i = match.end()
            continue
        if char == ">":
            raise EntityParseError(
                f"can't parse entities: unescaped '>' at byte offset {_byte_offset(source, i)}; "
                "escape it as &gt;"
            )
        if char == "&":
            text, i = _unescape_at(source, i)
        else:
            text = char
            i += 1
        out.append(text)
        out_len += utf16_len(text)
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"can't parse entities: can't find end tag corresponding to start tag \"{top.tag}\" "
            f"(byte offset {top.byte_offset})"
        )
    entities = [e for e in entities if e["length"] > 0]
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def _html_entity(top: _Open, end: int, stack: list[_Open]) -> dict[str, Any] | None:
    entity: dict[str, Any] = {
        "type": _ALLOWED_HTML[top.tag],
        "offset": top.start,
        "length": end - top.start,
    }
    if top.tag == "a":
        href = top.attrs.get("href")
        if not href:
            return None
        entity["url"] = href
    elif top.tag == "tg-emoji":
        entity["custom_emoji_id"] = top.attrs.get("emoji-id")
    elif top.tag == "blockquote" and "expandable" in top.attrs:
        entity["type"] = "expandable_blockquote"
    elif top.tag == "code" and stack and stack[-1].tag == "pre":
        language = top.attrs.get("class") or ""
        if language.startswith("language-"):
            stack[-1].attrs["_language"] = language[len("language-") :]
        return None
    elif top.tag == "pre":
        pre_language = top.attrs.get("_language")
        if pre_language:
            entity["language"] = pre_language
    return entity


def html_to_plain(source: str) -> str:
    """Tags stripped and entities unescaped; lenient (never raises) for display purposes."""
    try:
        return parse_html(source).text
    except EntityParseError:
        text = re.sub(r"</?[A-Za-z][^<>]*>", "", source)
        return re.sub(
            r"&(lt|gt|amp|quot);",
            lambda m: _NAMED[m.group(1)],
            text,
        )


# --------------------------------------------------------------------------- Markdown

_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MD_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def parse_markdown_v2(source: str) -> ParsedText:
    """Parse text with ``parse_mode=MarkdownV2`` (or raise EntityParseError)."""
    return _parse_markdown(source, v2=True)


def parse_markdown(source: str) -> ParsedText:
    """Parse text with the legacy ``parse_mode=Markdown`` (or raise EntityParseError)."""
    return _parse_markdown(source, v2=False)


def _parse_markdown(source: str, *, v2: bool) -> ParsedText:
    out: list[str] = []
    out_len = 0
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, int]] = []  # (marker, utf16 start, byte offset)
    i = 0
    n = len(source)
    line_start = True

    def emit(text: str) -> None:
        nonlocal out_len
        out.append(text)
        out_len += utf16_len(text)

    def err(message: str, index: int) -> EntityParseError:
        return EntityParseError(
            f"can't parse entities: {message} at byte offset {_byte_offset(source, index)}"
        )

    quote_start: int | None = None
    while i < n:
        char = source[i]
        if v2 and line_start:
            if char == ">" or source.startswith("**>", i):
                if quote_start is None:
                    quote_start = out_len
                i += 3 if char == "*" else 1
                line_start = False
                continue
            if quote_start is not None:
                entities.append(
                    {"type": "blockquote", "offset": quote_start, "length": out_len - quote_start}
                )
                quote_start = None
        line_start = False
        if char == "\\" and (v2 or (i + 1 < n and source[i + 1] in "_*`[")):
            if i + 1 >= n:
                raise err("character '\\' at the end of the text must be escaped", i)
            if v2 and not 1 <= ord(source[i + 1]) <= 126:
                raise err("only characters with code 1-126 can be escaped", i)
            emit(source[i + 1])
            i += 2
            continue
        if char == "`":
            is_pre = source.startswith("```", i)
            opener = "```" if is_pre else "`"
            j = i + len(opener)
            language = ""
            if is_pre:
                newline = source.find("\n", j)
                closing = source.find("```", j)
                if newline != -1 and (closing == -1 or newline < closing):
                    language = source[j:newline].strip()
                    j = newline + 1
            content: list[str] = []
            while j < n and not source.startswith(opener, j):
                if v2 and source[j] == "\\" and j + 1 < n:
                    content.append(source[j + 1])
                    j += 2
                else:
                    content.append(source[j])
                    j += 1
            if j >= n:
                raise err(f"can't find end of {'pre' if is_pre else 'code'} entity", i)
            start = out_len
            emit("".join(content))
            entity: dict[str, Any] = {
                "type": "pre" if is_pre else "code",
                "offset": start,
                "length": out_len - start,
            }
            if language:
                entity["language"] = language
            entities.append(entity)
            i = j + len(opener)
            continue
        if char == "[" or (v2 and source.startswith("![", i)):
            close = _find_link_end(source, i + (2 if char == "!" else 1), v2)
            if close is None:
                if v2:
                    raise err(f"character '{char}' is reserved and must be escaped with '\\'", i)
                emit(char)
                i += 1
                continue
            text_end, url, after = close
            inner = _parse_markdown(source[i + (2 if char == "!" else 1) : text_end], v2=v2)
            start = out_len
            for sub in inner.entities:
                entities.append({**sub, "offset": sub["offset"] + start})
            emit(inner.text)
            if char == "!":
                emoji_id = url.partition("id=")[2]
                entities.append(
                    {
                        "type": "custom_emoji",
                        "offset": start,
                        "length": out_len - start,
                        "custom_emoji_id": emoji_id,
                    }
                )
            else:
                entities.append(
                    {"type": "text_link", "offset": start, "length": out_len - start, "url": url}
                )
            i = after
            continue
        marker = None
        if v2 and source.startswith("__", i):
            marker = "__"
        elif v2 and source.startswith("||", i):
            marker = "||"
        elif char in ("*", "_") or (v2 and char == "~"):
            marker = char
        if marker is not None:
            open_index = next((k for k in range(len(stack)) if stack[k][0] == marker), None)
            if open_index is None:
                stack.append((marker, out_len, _byte_offset(source, i)))
            else:
                if open_index != len(stack) - 1:
                    raise err(f"entity '{stack[-1][0]}' must be closed before '{marker}'", i)
                _, start, _ = stack.pop()
                entities.append(
                    {"type": _MD_MARKERS[marker], "offset": start, "length": out_len - start}
                )
            i += len(marker)
            continue
        if v2 and char in _MDV2_RESERVED:
            raise err(
                f"character '{char}' is reserved and must be escaped with the preceding '\\'", i
            )
        emit(char)
        if char == "\n":
            line_start = True
        i += 1
    if quote_start is not None:
        entities.append(
            {"type": "blockquote", "offset": quote_start, "length": out_len - quote_start}
        )
    if stack:
        marker, _, byte_offset = stack[-1]
        raise EntityParseError(
            f"can't parse entities: can't find end of {_MD_MARKERS[marker]} entity "
            f"at byte offset {byte_offset}"
        )
    entities = [e for e in entities if e["length"] > 0]
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def _find_link_end(source: str, start: int, v2: bool) -> tuple[int, str, int] | None:
    """For ``[text](url)`` starting after ``[``: (index of ``]``, url, index after ``)``)."""
    depth = 0
    j = start
    while j < len(source):
        char = source[j]
        if char == "\\" and v2:
            j += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                break
            depth -= 1
        j += 1
    else:
        return None
    if not source.startswith("(", j + 1):
        return None
    k = j + 2
    url: list[str] = []
    while k < len(source) and source[k] != ")":
        if source[k] == "\\" and v2 and k + 1 < len(source):
            url.append(source[k + 1])
            k += 2
            continue
        url.append(source[k])
        k += 1
    if k >= len(source):
        return None
    return j, "".join(url), k + 1


def parse_formatted(text: str, parse_mode: str | None) -> ParsedText:
    """Parse ``text`` according to ``parse_mode`` (None/"" means plain text)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    if mode == "":
        return ParsedText(text, [])
    raise EntityParseError(f"unsupported parse_mode {parse_mode!r}")


def strip_text(parsed: ParsedText) -> ParsedText:
    """Trim surrounding whitespace like Telegram does, keeping the entities in place."""
    text = parsed.text
    lead = utf16_len(text) - utf16_len(text.lstrip())
    stripped = text.strip()
    total = utf16_len(stripped)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        begin = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > begin:
            entities.append({**entity, "offset": begin, "length": end - begin})
    return ParsedText(stripped, entities)
