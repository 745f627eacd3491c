"""Comeback's Telegram side: config, the application factory, storage, scheduling, rendering."""

import os

# Opt in to python-telegram-bot's timedelta-based time fields now (RetryAfter.retry_after and
# friends); without it every 429 logs a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
