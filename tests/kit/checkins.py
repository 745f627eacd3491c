"""Check-ins: a finished debrief straight in the database, waiting on messages, moving the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from standin import FakeBotApi, FakeUser, SentMessage
from tests.kit.running import RunningBot


@dataclass(frozen=True)
class Plan:
    """What `finish_debrief` created."""

    rejection_id: int
    goal_id: int | None


async def finish_debrief(
    bot: RunningBot,
    user: FakeUser,
    *,
    timezone: str | None = "Europe/Berlin",
    deadline: date | None = None,
    kind: str = "mock_interviews",
    target: int | None = 3,
    custom_text: str | None = None,
    mood: int = 3,
    feedback_sent: bool = False,
    resource_on: date | None = None,
    company: str = "Acme",
) -> Plan:
    """A completed debrief as the debrief flow leaves it, then the plan-completed listeners
    (exactly what `conversations.debrief.finish` does), so the check-ins get scheduled."""
    services = bot.services
    bot.api.open_private_chat(user)
    await services.users.ensure(user.id, user.first_name, "en")
    if timezone is not None:
        await services.users.update(user.id, timezone=timezone)
    today = services.clock.now().astimezone(ZoneInfo(timezone or "UTC")).date()
    rejection = await services.debriefs.start(user.id, "company", today)
    rid = rejection.id
    await services.debriefs.update(rid, company=company, role="Engineer", stage="technical")
    await services.debriefs.record_mood(user.id, mood, "debrief", rid)
    if feedback_sent:
        await services.debriefs.save_feedback(
            rid, status="sent", sent_at=services.clock.now(), recipient="Dana"
        )
    if resource_on is not None:
        await services.debriefs.pick_resource(rid, "grit", "Grit (Angela Duckworth)", resource_on)
    goal_id = None
    if deadline is not None:
        goal = await services.debriefs.save_goal(
            user.id, rid, kind=kind, target=target, custom_text=custom_text, deadline=deadline
        )
        await services.debriefs.update_goal(goal.id, status="active")
        goal_id = goal.id
    await services.debriefs.set_status(rid, "completed")
    await services.planner.on_plan_completed(rid)
    for listener in services.on_plan_completed:
        await listener(rid)
    return Plan(rid, goal_id)


def local(day: date, hour: int, zone: str, minute: int = 0) -> datetime:
    """A local wall-clock time as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


def sent_at(message: SentMessage) -> datetime:
    """When the fake Telegram recorded the message (the bot's clock)."""
    return datetime.fromtimestamp(message.date, tz=ZoneInfo("UTC"))


def with_text(api: FakeBotApi, user: FakeUser, needle: str) -> list[SentMessage]:
    """The bot's messages in the user's chat containing `needle`."""
    return [m for m in api.chat_messages(user) if needle in m.plain_text]


async def arrives(api: FakeBotApi, user: FakeUser, needle: str, count: int = 1) -> SentMessage:
    """Wait (event-driven) until the `count`-th message containing `needle` arrives."""
    found = await api.wait_for(
        lambda: len(with_text(api, user, needle)) >= count and with_text(api, user, needle),
        message=f"message {count} with {needle!r} for {user}",
    )
    return found[count - 1]


async def move_to(bot: RunningBot, clock: FakeClock, moment: datetime) -> int:
    """Set the clock (which wakes the dispatcher) and wait for a complete dispatch run."""
    clock.set(moment)
    dispatcher = bot.services.dispatcher
    assert dispatcher is not None
    return await dispatcher.settle()


async def advance(bot: RunningBot, clock: FakeClock, **delta: float) -> int:
    """Move the clock forward and wait for a complete dispatch run."""
    return await move_to(bot, clock, clock.now() + timedelta(**delta))
