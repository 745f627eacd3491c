"""Injected time: the real clock in production, a movable one in tests and the local chat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the bot reads the current time from."""

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...

    def on_jump(self, listener: Callable[[], None]) -> None:
        """Call `listener` whenever the clock is moved by hand (never for the system clock)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def on_jump(self, listener: Callable[[], None]) -> None:
        return None


class FakeClock:
    """A clock that only moves when told to; moving it wakes whoever listens (the dispatcher)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def on_jump(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by `delta` (or `timedelta(**kwargs)`) and wake the listeners."""
        step = delta if delta is not None else timedelta(**kwargs)
        if step < timedelta(0):
            raise ValueError("time only moves forward")
        return self.set(self._now + step)

    def set(self, moment: datetime) -> datetime:
        """Jump to `moment` (aware) and wake the listeners."""
        self._now = moment.astimezone(UTC)
        for listener in list(self._listeners):
            listener()
        return self._now


class OffsetClock:
    """Real time plus an offset that only grows; the local chat's `:wait` moves it forward."""

    def __init__(
        self,
        offset: timedelta = timedelta(0),
        *,
        source: Callable[[], datetime] | None = None,
    ) -> None:
        if offset < timedelta(0):
            raise ValueError("the offset cannot be negative")
        self._offset = offset
        self._source = source or (lambda: datetime.now(UTC))
        self._listeners: list[Callable[[], None]] = []

    @property
    def offset(self) -> timedelta:
        """How far ahead of real time this clock runs."""
        return self._offset

    def now(self) -> datetime:
        return (self._source() + self._offset).astimezone(UTC)

    def on_jump(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by `delta` (or `timedelta(**kwargs)`) and wake the listeners."""
        step = delta if delta is not None else timedelta(**kwargs)
        if step < timedelta(0):
            raise ValueError("time only moves forward")
        self._offset += step
        for listener in list(self._listeners):
            listener()
        return self.now()


def to_db(moment: datetime) -> str:
    """A UTC timestamp in the one text format the database stores."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    """Parse a timestamp written by `to_db`."""
    return datetime.fromisoformat(text).astimezone(UTC)
