"""Inline keyboards from (label, callback_data) pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

Button = tuple[str, str]


def keyboard(*rows: Sequence[Button]) -> InlineKeyboardMarkup:
    """A keyboard with one row per argument."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def column(buttons: Iterable[Button]) -> InlineKeyboardMarkup:
    """One button per row."""
    return keyboard(*([b] for b in buttons))


def url_button(label: str, url: str) -> InlineKeyboardMarkup:
    """A single button that opens a link."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=url)]])
