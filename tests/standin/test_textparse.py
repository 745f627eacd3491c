"""Formatted text parsing (HTML / MarkdownV2) as Telegram does it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standin.textparse import (
    EntityParseError,
    html_to_plain,
    parse_html,
    parse_markdown_v2,
    strip_text,
    utf16_len,
)


def test_html_entities_and_offsets() -> None:
    parsed = parse_html('😀 <b>bold <i>both</i></b> <a href="https://e.org/?a=1&amp;b=2">link</a>')
    assert parsed.text == "😀 bold both link"
    kinds = {(e["type"], e["offset"], e["length"]) for e in parsed.entities}
    # offsets count UTF-16 code units: the emoji takes two
    assert ("bold", 3, 9) in kinds and ("italic", 8, 4) in kinds and ("text_link", 13, 4) in kinds
    link = next(e for e in parsed.entities if e["type"] == "text_link")
    assert link["url"] == "https://e.org/?a=1&b=2"


def test_html_allowed_tags() -> None:
    source = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>"
        '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><code>j</code>'
        '<pre><code class="language-python">k</code></pre><blockquote expandable>l</blockquote>'
        "&lt;&gt;&quot;&#65;&#x42;"
    )
    parsed = parse_html(source)
    assert parsed.text == 'abcdefghi👍jkl<>"AB'
    pre = next(e for e in parsed.entities if e["type"] == "pre")
    assert pre["language"] == "python"
    assert any(e["type"] == "expandable_blockquote" for e in parsed.entities)


@pytest.mark.parametrize(
    "source",
    [
        "<AT&T>",
        "a & b",
        "1 < 2",
        "2 > 1",
        "<b>open",
        "</b>",
        "<b><i>x</b></i>",
        "<p>x</p>",
        "&nbsp;",
        "&#xD800;",
        '<span class="x">s</span>',
        "<tg-emoji>x</tg-emoji>",
        "<blockquote><blockquote>x</blockquote></blockquote>",
    ],
)
def test_html_refused(source: str) -> None:
    with pytest.raises(EntityParseError, match="can't parse entities"):
        parse_html(source)


def test_html_to_plain_is_lenient() -> None:
    assert html_to_plain("<b>x</b> &amp; y") == "x & y"
    assert html_to_plain("1 < 2") == "1 < 2"


def test_markdown_v2() -> None:
    parsed = parse_markdown_v2("*bold* _it_ __u__ ~s~ ||sp|| `c` [l](https://e.org) 1\\.5")
    assert parsed.text == "bold it u s sp c l 1.5"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    for bad in ("1.5", "*open", "a-b", "(x)"):
        with pytest.raises(EntityParseError):
            parse_markdown_v2(bad)


def test_strip_text_moves_entities() -> None:
    stripped = strip_text(parse_html("  <b>x</b>  "))
    assert stripped.text == "x" and stripped.entities[0]["offset"] == 0


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=50))
def test_escaped_text_always_parses_back(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    parsed = parse_html(f"<b>{escaped}</b>")
    assert parsed.text == text
    assert all(e["offset"] + e["length"] <= utf16_len(text) for e in parsed.entities)
