"""/settings, /timezone and /checkins end to end, and what they do to pending check-ins."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.clock import FakeClock
from standin import FakeBotApi
from tests.kit.checkins import arrives, finish_debrief, local, move_to, sent_at, with_text
from tests.kit.db import rows
from tests.kit.running import RunningBot

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
CARD_BUTTONS = [
    ["🌍 Time zone", "🕕 Check-in hour"],
    ["🌙 Quiet hours", "⏸ Pause"],
    ["🔕 Stop all check-ins"],
    ["✅ Done"],
]


async def test_settings_card_shows_the_defaults_and_the_next_check_in(
    bot: RunningBot, api: FakeBotApi
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    shown = await berta.command("/settings")
    card = shown[-1]
    assert "Time zone: Europe/Berlin (it's 10:00 there)" in card.plain_text
    assert "Check-in hour: 18:00" in card.plain_text
    assert "Quiet hours: 22:00–08:00" in card.plain_text
    assert "Check-ins: on" in card.plain_text
    assert "Next check-in: Monday 30 November, 18:00" in card.plain_text
    assert card.buttons == CARD_BUTTONS
    shown = await berta.press_and_wait("✅ Done")
    assert "All set." in shown[-1].plain_text


async def test_a_new_time_zone_reschedules_pending_check_ins(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    shown = await berta.command("/timezone")
    assert "Where are you?" in shown[-1].plain_text
    assert shown[-1].buttons[0] == ["Europe/London", "Europe/Berlin"]
    shown = await berta.say("Atlantis")
    assert "I don't know that place" in shown[-1].plain_text
    shown = await berta.say("New York")
    assert "Time zone saved. Your upcoming check-ins are rescheduled." in shown[-2].plain_text
    assert "Time zone: America/New_York" in shown[-1].plain_text
    assert "Next check-in: Monday 30 November, 18:00" in shown[-1].plain_text
    assert rows(db_path, "SELECT due_at FROM check_ins WHERE kind = 'goal_mid'") == [
        ("2026-11-30T23:00:00+00:00",)
    ]
    await move_to(bot, clock, local(date(2026, 11, 30), 18, BERLIN))
    assert with_text(api, berta, "Halfway") == []
    clock.set(local(date(2026, 11, 30), 18, NEW_YORK))
    mid = await arrives(api, berta, "Halfway there")
    assert sent_at(mid) == local(date(2026, 11, 30), 18, NEW_YORK)


async def test_a_new_hour_and_quiet_hours_move_the_check_in(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await berta.command("/checkins")
    shown = await berta.press_and_wait("🕕 Check-in hour")
    assert shown[-1].buttons[0] == ["07:00", "08:00", "09:00", "12:00"]
    shown = await berta.say("half past six")
    assert "I need a whole hour" in shown[-1].plain_text
    shown = await berta.say("9pm")
    assert "Check-in hour: 21:00" in shown[-1].plain_text
    await berta.press_and_wait("🌙 Quiet hours")
    shown = await berta.say("20:00-07:00")
    # The hour now falls in the quiet hours: said plainly, with the choices.
    assert "21:00 falls inside your quiet hours (20:00–07:00)" in shown[-1].plain_text
    assert "would wait until 07:00" in shown[-1].plain_text
    assert shown[-1].buttons == [
        ["🕕 Pick another hour"],
        ["🌙 Quiet hours"],
        ["Keep it as it is"],
    ]
    shown = await berta.press_and_wait("Keep it as it is")
    assert "Quiet hours: 20:00–07:00" in shown[-1].plain_text
    assert "Next check-in: Tuesday 1 December, 07:00" in shown[-1].plain_text

    await move_to(bot, clock, local(date(2026, 11, 30), 21, BERLIN))
    assert with_text(api, berta, "Halfway") == []
    clock.set(local(date(2026, 12, 1), 7, BERLIN))
    mid = await arrives(api, berta, "Halfway there")
    assert sent_at(mid) == local(date(2026, 12, 1), 7, BERLIN)


async def test_an_hour_inside_the_quiet_hours_is_pointed_out_with_a_choice(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    cleo = api.private_user(2002, first_name="Cleo")
    await finish_debrief(bot, cleo, timezone=BERLIN, deadline=date(2026, 12, 4))
    await cleo.command("/settings")
    await cleo.press_and_wait("🕕 Check-in hour")
    shown = await cleo.say("23")  # default quiet hours 22:00-08:00
    assert "23:00 falls inside your quiet hours (22:00–08:00)" in shown[-1].plain_text
    shown = await cleo.press_and_wait("🕕 Pick another hour")
    shown = await cleo.say("19")
    assert "falls inside" not in shown[-1].plain_text
    assert "Check-in hour: 19:00" in shown[-1].plain_text


async def test_pause_holds_check_ins_and_sends_one_after_it(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4), mood=1)
    clock.set(local(date(2026, 11, 29), 12, BERLIN))
    await berta.command("/settings")
    shown = await berta.press_and_wait("⏸ Pause")
    assert shown[-1].buttons == [["1 day", "3 days", "7 days"], ["« Back"]]
    shown = await berta.press_and_wait("3 days")
    assert "Paused." in shown[-2].plain_text
    card = shown[-1]
    assert "Check-ins: paused until Wednesday 2 December, 12:00" in card.plain_text
    assert "Next check-in: Wednesday 2 December, 18:00" in card.plain_text
    assert card.buttons[2] == ["🔔 Resume check-ins", "🔕 Stop all check-ins"]

    await move_to(bot, clock, local(date(2026, 12, 2), 17, BERLIN))
    assert with_text(api, berta, "Halfway") == [] and with_text(api, berta, "feeling") == []
    clock.set(local(date(2026, 12, 2), 18, BERLIN))
    after = await arrives(api, berta, "Halfway")
    assert sent_at(after) == local(date(2026, 12, 2), 18, BERLIN)
    # The mood check also fell due in the pause: another subject, so it follows an hour later.
    assert await move_to(bot, clock, local(date(2026, 12, 2), 18, BERLIN, minute=59)) == 0
    clock.set(local(date(2026, 12, 2), 19, BERLIN))
    mood = await arrives(api, berta, "feeling")
    assert sent_at(mood) == local(date(2026, 12, 2), 19, BERLIN)
    assert "I meant to send this on Monday 30 November; it comes 2 days late." in mood.plain_text


async def test_stop_and_resume(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    await finish_debrief(bot, berta, timezone=BERLIN, deadline=date(2026, 12, 4))
    await berta.command("/settings")
    shown = await berta.press_and_wait("🔕 Stop all check-ins")
    assert "Stop all check-ins?" in shown[-1].plain_text
    assert shown[-1].buttons == [["Yes, stop all check-ins"], ["⏸ Just pause them"], ["« Back"]]
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'") != [(0,)]
    shown = await berta.press_and_wait("Yes, stop all check-ins")
    assert "All check-ins are off." in shown[-2].plain_text
    assert "Check-ins: off" in shown[-1].plain_text
    assert shown[-1].buttons[2] == ["🔔 Resume check-ins"]
    assert rows(db_path, "SELECT COUNT(*) FROM check_ins WHERE status = 'pending'") == [(0,)]
    await move_to(bot, clock, local(date(2026, 11, 30), 18, BERLIN))
    assert with_text(api, berta, "Halfway") == []

    shown = await berta.press_and_wait("🔔 Resume check-ins")
    assert "Check-ins are back on." in shown[-2].plain_text
    assert "Next check-in: Friday 4 December, 18:00" in shown[-1].plain_text
    clock.set(local(date(2026, 12, 4), 18, BERLIN))
    await arrives(api, berta, "Deadline day")


async def test_cancel_leaves_settings_and_other_buttons_are_refused(
    bot: RunningBot, api: FakeBotApi
) -> None:
    berta = api.private_user(2001, first_name="Berta")
    shown = await berta.command("/settings")
    card = shown[-1]
    assert "Time zone: UTC" in card.plain_text
    assert "Next check-in: none scheduled" in card.plain_text
    await berta.press_and_wait("🌍 Time zone")
    shown = await berta.command("/cancel")
    assert "Settings closed" in shown[-1].plain_text
    shown = await berta.say("Berlin")  # no longer a time zone answer
    assert "Time zone saved" not in shown[-1].plain_text

    mallory = api.private_user(2666, first_name="Mallory")
    await mallory.command("/help")
    data = str(card.callback_data[2][0])
    update_id = await mallory.press_data(data, 1)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None and answer.text == "That button isn't yours, so nothing changed."
