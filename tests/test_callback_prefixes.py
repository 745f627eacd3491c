"""Callback-data prefixes are declared once (conversations.flow.Prefix), and no flow spells one
out by hand."""

from __future__ import annotations

import re
from pathlib import Path

from conversations.flow import Prefix, callback, parse_callback

ROOT = Path(__file__).resolve().parent.parent


def test_prefixes_are_distinct() -> None:
    values = [p.value for p in Prefix]
    assert len(values) == len(set(values))
    assert all(":" not in v for v in values)


def test_no_flow_declares_a_prefix_of_its_own() -> None:
    by_hand = re.compile(r"^\w*PREFIX\s*=\s*[\"']", re.M)
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "conversations").rglob("*.py"))
        if by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_prefix_round_trips() -> None:
    press = parse_callback(callback(Prefix.DEBRIEF, 12, "gd", "7"))
    assert press is not None and press.prefix == Prefix.DEBRIEF == "d"
    assert callback(Prefix.CARE, 0, "c", "ok") == "care:0:c:ok"
