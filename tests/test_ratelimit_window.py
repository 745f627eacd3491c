"""The rate limiter's sliding window: never more than the limit in any window, bursts included."""

from __future__ import annotations

import asyncio
import time

from aiolimiter import AsyncLimiter

from benchmarks.common import max_in_window
from bot.scheduling.ratelimit import WINDOW_MARGIN, CoachRateLimiter, WindowLimiter, shared


async def acquire_all(limiter: AsyncLimiter, count: int) -> list[float]:
    times: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        times.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(count)))
    return times


async def test_a_burst_never_exceeds_the_limit_in_any_window() -> None:
    times = await acquire_all(WindowLimiter(5, 0.2), 17)
    assert max_in_window(times, 0.2) == 5
    # ... and the rate is the limit, not far below it: 17 in a little over 3 windows.
    assert max(times) - min(times) < 3 * 0.2 * (1 + WINDOW_MARGIN) + 0.15


async def test_a_leaky_bucket_lets_twice_the_rate_through_after_a_quiet_spell() -> None:
    """Why WindowLimiter exists: aiolimiter's AsyncLimiter bursts, then leaks at the rate."""
    times = await acquire_all(AsyncLimiter(5, 0.2), 12)
    assert max_in_window(times, 0.2) > 5


async def test_the_coach_limiter_uses_windows_overall_and_per_group() -> None:
    limiter = CoachRateLimiter()
    assert isinstance(limiter.overall, WindowLimiter)
    assert (limiter.overall.max_rate, limiter.overall.time_period) == (30, 1.0)
    group = limiter.group_limiter(-100)
    assert group is limiter.group_limiter(-100)
    assert (group.max_rate, group.time_period) == (20, 60.0)
    assert group.has_capacity()


async def test_a_group_send_takes_room_in_both_windows_and_a_private_one_only_overall() -> None:
    limiter = CoachRateLimiter()

    async def sent() -> bool:
        return True

    for chat_id in (-100, "@club", 42):
        assert await limiter.process_request(
            sent, (), {}, "sendMessage", {"chat_id": chat_id}, None
        )
    assert not limiter.group_limiter(-100).has_capacity(20)
    assert not limiter.group_limiter("@club").has_capacity(20)
    assert not limiter.overall.has_capacity(28)
    assert limiter.overall.has_capacity(27)
    assert await limiter.process_request(sent, (), {}, "getMe", {}, None)
    assert limiter.overall.has_capacity(27)  # not a message to a chat: not counted


async def test_a_paid_broadcast_takes_room_in_its_own_window_of_a_thousand() -> None:
    limiter = CoachRateLimiter()
    assert (limiter.paid_overall.max_rate, limiter.paid_overall.time_period) == (1000, 1.0)

    async def sent() -> bool:
        return True

    for _ in range(40):  # more than the free 30 a second, and none of them waits
        assert await limiter.process_request(
            sent, (), {}, "sendMessage", {"chat_id": 42, "allow_paid_broadcast": True}, None
        )
    assert limiter.overall.has_capacity(30)
    assert not limiter.paid_overall.has_capacity(961)


def limits(limiter: CoachRateLimiter) -> dict[str, tuple[float, float]]:
    windows = {
        "overall": limiter.overall,
        "paid": limiter.paid_overall,
        "group": limiter.group_limiter(-100),
    }
    return {name: (w.max_rate, w.time_period) for name, w in windows.items()}


async def test_a_share_of_one_is_the_whole_of_telegrams_limits() -> None:
    limiter = CoachRateLimiter()
    whole = limits(limiter)
    limiter.set_share(1)
    assert (
        limits(limiter)
        == whole
        == {
            "overall": (30, 1.0),
            "paid": (1000, 1.0),
            "group": (20, 60.0),
        }
    )


async def test_workers_divide_every_limit_rounded_down_so_together_they_stay_under_it() -> None:
    limiter = CoachRateLimiter()
    limiter.group_limiter(-100)  # made before the share changes: resized too
    limiter.set_share(3)
    assert limits(limiter) == {"overall": (10, 1.0), "paid": (333, 1.0), "group": (6, 60.0)}
    assert (limiter.group_limiter(-200).max_rate, limiter.group_limiter(-200).time_period) == (
        6,
        60.0,
    )
    limiter.set_share(4)  # 7.5 and 5 a worker: 7, never 8 (4 x 8 = 32 a second)
    assert limits(limiter) == {"overall": (7, 1.0), "paid": (250, 1.0), "group": (5, 60.0)}
    limiter.set_share(1)  # the others stopped: the whole again
    assert limits(limiter)["overall"] == (30, 1.0)


async def test_more_workers_than_the_limit_send_one_each_per_longer_period() -> None:
    limiter = CoachRateLimiter()
    limiter.set_share(40)
    assert limits(limiter) == {
        "overall": (1, 40 / 30),
        "paid": (25, 1.0),
        "group": (1, 120.0),
    }
    limiter.set_share(0)  # never below one worker
    assert limits(limiter)["overall"] == (30, 1.0)


async def test_a_worker_sends_only_its_share_in_a_second() -> None:
    limiter = CoachRateLimiter()
    limiter.set_share(3)

    async def sent() -> bool:
        return True

    for _ in range(10):
        assert await limiter.process_request(sent, (), {}, "sendMessage", {"chat_id": 42}, None)
    assert not limiter.overall.has_capacity()  # the 11th waits for the next second
    times = await acquire_all(WindowLimiter(*shared((5, 0.2), 2)), 5)
    assert max_in_window(times, 0.2) == 2
