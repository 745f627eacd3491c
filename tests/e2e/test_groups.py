"""Group coaching channels end to end: a cohort's group with admins and members, the fake
Telegram, the fake clock. Nothing from a private debrief may ever reach a group."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from telegram import Update

from bot.clock import FakeClock
from coaching.cohort import DIGEST_BUDGET, WIN_MAX_CHARS
from conversations import guard
from conversations.group import GROUP_ANONYMOUS_BOT_ID
from standin import FakeBotApi, FakeChat, FakeUser, SentMessage
from tests.kit.checkins import finish_debrief
from tests.kit.db import rows
from tests.kit.groups import (
    ANONYMOUSLY,
    BY_NAME,
    JUST_RECEIVE,
    MONDAY_TEN,
    SUNDAY_TEN,
    SUPERGROUP,
    Cohort,
    add_bot,
    club,
    group_texts,
    join,
    press,
    settle,
)
from tests.kit.progress import debrief_through_bot
from tests.kit.running import RunningBot

BASIC_GROUP = -5001
UPGRADED = -1005001
# The sender Telegram puts on every message an anonymous admin sends as the group.
GROUP_ANONYMOUS_BOT = {
    "id": GROUP_ANONYMOUS_BOT_ID,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


async def as_the_group(
    api: FakeBotApi, group: FakeChat, admin: FakeUser, command: str
) -> list[SentMessage]:
    """`admin` sends a command anonymously, as the group (`from` GroupAnonymousBot,
    `sender_chat` the group); returns what the bot then sent in the group."""
    before = len(api.chat_messages(group))
    name = command.split()[0]
    fields = {
        "text": command,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(name)}],
        "from": GROUP_ANONYMOUS_BOT,
        "sender_chat": group.to_dict(),
    }
    await api.wait_processed(api.user_message(admin, group, fields))
    return api.chat_messages(group)[before:]


def _guard_lets_the_group_through() -> bool:
    """Whether conversations/guard.py lets a message sent as the group reach the handlers (it
    used to drop it with every message from a bot)."""
    chat = {"id": SUPERGROUP, "type": "supergroup", "title": "Job club"}
    message = {
        "message_id": 1,
        "date": 0,
        "chat": chat,
        "from": GROUP_ANONYMOUS_BOT,
        "sender_chat": chat,
        "text": "/group_settings",
    }
    update = Update.de_json({"update_id": 1, "message": message}, None)
    return not guard.NO_PERSON.check_update(update)


def utf16(text: str) -> int:
    """A text's length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def sends_to(api: FakeBotApi, chat_id: int) -> int:
    """How many sendMessage/sendPoll requests the bot made to a chat (refused ones included)."""
    return sum(
        1
        for r in api.requests
        if r.method in ("sendMessage", "sendPoll") and r.params.get("chat_id") == chat_id
    )


async def test_an_admin_sets_the_group_up_and_others_are_politely_refused(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)
    intro = api.chat_messages(group)
    assert len(intro) == 1
    assert "Privacy first" in intro[0].plain_text
    assert "only see commands and replies to my messages" in intro[0].plain_text
    assert "First check-in: Monday 30 November, 10:00" in intro[0].plain_text
    await add_bot(api, group, people.cora, admin=True)  # promoted: no second introduction
    assert len(api.chat_messages(group)) == 1
    assert rows(db_path, "SELECT chat_id, title, kind, active FROM groups") == [
        (SUPERGROUP, "Job club", "supergroup", 1)
    ]
    assert ("join", "Take part: share wins, or just get the check-ins") in api.my_commands(
        {"type": "all_group_chats"}
    )

    refused = await people.dee.command("/group_settings", chat=group)
    assert len(refused) == 1 and refused[0].buttons == []
    assert "only the group's admins" in refused[0].plain_text

    shown = await people.cora.command("/group_settings", chat=group)
    card = shown[-1]
    assert "Weekly check-in: Mondays at 10:00 (UTC)" in card.plain_text
    assert card.buttons[0] == ["📅 Day", "🕙 Hour"]
    assert "📌 Post check-ins in this topic" not in str(card.buttons)  # not a forum

    notice = await press(api, people.dee, "📊 Poll: off", group)
    assert notice == "Only the group's admins can change these settings."
    assert "📊 Poll: off" in str(api.message(group, card.message_id).buttons)

    await press(api, people.cora, "📅 Day", group)
    assert "Which day" in api.message(group, card.message_id).plain_text
    await press(api, people.cora, "Wed", group)
    await press(api, people.cora, "🕙 Hour", group)
    await press(api, people.cora, "18:00", group)
    await press(api, people.cora, "🌍 Time zone", group)
    await press(api, people.cora, "Europe/Berlin", group)
    assert await press(api, people.cora, "📊 Poll: off", group) == "Saved."
    card = api.message(group, card.message_id)
    assert "Weekly check-in: Wednesdays at 18:00 (Europe/Berlin)" in card.plain_text
    assert "Next check-in: Wednesday 2 December, 18:00" in card.plain_text
    assert "📊 Poll: on" in str(card.buttons)
    # One settings message, edited in place; the admin list was read once (cached 5 minutes).
    assert len(api.chat_messages(group)) == 3
    assert len(api.calls("getChatAdministrators")) == 1
    clock.advance(minutes=6)
    await press(api, people.cora, "📰 Digest: on", group)
    assert len(api.calls("getChatAdministrators")) == 2

    again = await people.cora.command("/group_settings", chat=group)  # replaces the old card
    assert [m.message_id for m in api.chat_messages(group)][-1] == again[-1].message_id
    assert len(api.chat_messages(group)) == 3
    await press(api, people.cora, "✅ Done", group)
    assert api.message(group, again[-1].message_id).buttons == []
    assert rows(
        db_path,
        "SELECT checkin_weekday, checkin_hour, timezone, with_poll, digest_enabled FROM groups",
    ) == [(2, 18, "Europe/Berlin", 1, 0)]
    assert rows(
        db_path, "SELECT kind, due_at FROM check_ins WHERE status = 'pending' ORDER BY kind"
    ) == [("group_checkin", "2026-12-02T17:00:00+00:00")]  # no digest any more


async def test_the_weekly_check_in_with_its_poll_and_opt_in_wins(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)
    await bot.services.groups.update(group.id, with_poll=True)

    asked = await people.ana.command("/join", chat=group)
    assert asked[-1].buttons == [[BY_NAME], [ANONYMOUSLY], [JUST_RECEIVE]]
    assert "nothing of yours is shared" in asked[-1].plain_text
    assert await press(api, people.dee, BY_NAME, group) == (
        "These buttons belong to the person who sent /join. Send /join yourself."
    )
    assert await press(api, people.ana, BY_NAME, group) == (
        "Saved: your wins are shared with your first name."
    )
    joined = api.message(group, asked[-1].message_id)
    assert "Welcome to the cohort, Ana!" in joined.plain_text
    assert joined.button("Start my private debrief")["url"].endswith(f"?start=g{SUPERGROUP}")
    await join(api, people.ben, group, ANONYMOUSLY)
    await join(api, people.cy, group, JUST_RECEIVE)

    shown = await people.ana.command("/win", "Got", "a", "second", "interview", chat=group)
    assert "Nice one, Ana!" in shown[-1].plain_text
    before = len(api.calls("deleteMessage"))
    shown = await people.ben.command("/win", "Finished my portfolio site", chat=group)
    repost = shown[-1]
    assert repost.plain_text == "🎉 A member shared a win: Finished my portfolio site"
    assert "Ben" not in repost.plain_text and repost.reply_to_message_id is None
    attempt = api.calls("deleteMessage")[before]  # best effort: the bot is not an admin here
    assert attempt.status == 400
    shown = await people.cy.command("/win", "Quiet win", chat=group)
    assert "you chose to just receive the check-ins" in shown[-1].plain_text
    shown = await people.dee.command("/win", "Not joined", chat=group)
    assert "send /join first" in shown[-1].plain_text

    assert await settle(bot, clock, MONDAY_TEN - timedelta(minutes=1)) == 1  # Sunday's digest
    assert "This week in Job club" in api.last_message(group).plain_text
    assert await settle(bot, clock, MONDAY_TEN) == 1
    post, poll = api.chat_messages(group)[-2:]
    assert "One win, one lesson, one next step this week" in post.plain_text
    assert post.button("Start my private debrief")["url"].endswith(f"?start=g{SUPERGROUP}")
    assert poll.method == "sendPoll" and poll.poll is not None
    assert poll.poll["question"] == "How did your search go this week?"
    assert poll.poll["is_anonymous"] is True
    assert [o["text"] for o in poll.poll["options"]] == [
        "🚀 Great", "🙂 Okay", "😕 Tough", "🛌 Took a break",
    ]  # fmt: skip

    # Replying to the check-in post shares a win too (privacy mode delivers replies to the bot).
    update_id = await people.ana.send_text(
        "Sent 3 applications", chat=group, reply_to=post.message_id
    )
    await api.wait_processed(update_id)
    assert "Nice one, Ana!" in api.last_message(group).plain_text
    assert rows(db_path, "SELECT user_id, text, anonymous FROM wins ORDER BY id") == [
        (people.ana.id, "Got a second interview", 0),
        (people.ben.id, "Finished my portfolio site", 1),
        (people.ana.id, "Sent 3 applications", 0),
    ]
    assert rows(
        db_path,
        "SELECT kind, local_date FROM check_ins WHERE status = 'pending' ORDER BY kind",
    ) == [("group_checkin", "2026-12-07"), ("group_digest", "2026-12-06")]

    shown = await people.ana.command("/leave", chat=group)
    assert "you no longer take part" in shown[-1].plain_text
    assert rows(db_path, "SELECT user_id FROM wins") == [(people.ben.id,)]


async def test_an_anonymous_win_is_reposted_and_its_original_deleted_by_an_admin_bot(
    bot: RunningBot, api: FakeBotApi
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora, admin=True)
    await join(api, people.ben, group, ANONYMOUSLY)
    update_id = await people.ben.send_command("/win", "Signed", "an", "offer", chat=group)
    await api.wait_processed(update_id)
    assert api.calls("deleteMessage")[-1].status == 200
    assert api.last_message(group).plain_text == "🎉 A member shared a win: Signed an offer"
    # The coach turns anonymous wins off: Ben's next win is refused, never posted with his name.
    await bot.services.groups.update(group.id, anonymous_wins=False)
    shown = await people.ben.command("/win", "Second offer", chat=group)
    assert "anonymous wins are off in this group" in shown[-1].plain_text
    assert "Second offer" not in group_texts(api, group)


async def test_the_digest_holds_only_what_members_chose_to_share(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)
    services = bot.services

    # Ana walks a whole private debrief, typing her answers, then meets her goal.
    await debrief_through_bot(people.ana, company="Quuxly Labs")
    ana_goal = rows(db_path, "SELECT id FROM goals WHERE user_id = ?", people.ana.id)[0][0]
    assert isinstance(ana_goal, int)
    await services.checkins.finish_goal(ana_goal, 3)
    # Ben opens his debrief from the group's button (the group is remembered) and finishes one.
    await people.ben.command("/start", f"g{SUPERGROUP}")
    await people.ben.say("Zyxcorp Secret Division")
    assert rows(
        db_path, "SELECT source_chat_id FROM rejections WHERE user_id = ?", people.ben.id
    ) == [(SUPERGROUP,)]
    await people.ben.command("/cancel")
    await finish_debrief(bot, people.ben, company="Blorbco", feedback_sent=True)
    # Cy only receives: her busy week must not count.
    plan = await finish_debrief(
        bot, people.cy, company="Hushhush Ltd", feedback_sent=True, deadline=date(2026, 12, 20)
    )
    assert plan.goal_id is not None
    await services.checkins.finish_goal(plan.goal_id, 3)

    await join(api, people.ana, group, BY_NAME)
    await join(api, people.ben, group, ANONYMOUSLY)
    await join(api, people.cy, group, JUST_RECEIVE)
    await people.ana.command("/win", "Second round at a startup", chat=group)
    await people.ben.command("/win", "Finished my portfolio", chat=group)
    await people.cy.command("/win", "Cy's private news", chat=group)

    assert await settle(bot, clock, SUNDAY_TEN) == 1
    digest = api.last_message(group).plain_text
    assert "This week in Job club" in digest
    assert "2 of 2 sharing members checked in" in digest
    assert "2 feedback requests sent" in digest  # Ana's and Ben's, not Cy's
    assert "1 goal met" in digest and "3 mock interviews done" in digest
    assert "Ana: Second round at a startup" in digest
    assert "A member: Finished my portfolio" in digest
    assert "Ben" not in digest and "Cy" not in digest

    # Scan everything the bot ever put in the group for anyone's private words.
    shown = group_texts(api, group)
    private = [
        "Quuxly", "Zyxcorp", "Blorbco", "Hushhush", "Backend engineer", "Engineer",
        "I explained my design clearly", "Practise live coding", "Dana", "Cy's private news",
    ]  # fmt: skip
    assert [secret for secret in private if secret in shown] == []


async def test_the_digest_fits_one_message_however_much_was_shared(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock
) -> None:
    """Fifteen of the longest wins, in characters that count double: the digest lists the
    newest that fit and counts the rest, instead of being refused as too long."""
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)
    await join(api, people.ana, group, BY_NAME)
    await join(api, people.ben, group, ANONYMOUSLY)
    # Stored as /win stores them (posting 15 through Telegram would meet the group rate limit).
    start = clock.now()
    for n in range(15):
        clock.set(start + timedelta(minutes=n))
        author, anonymous = (people.ana, False) if n % 3 else (people.ben, True)
        text = f"Win{n:02d} " + "🚀" * (WIN_MAX_CHARS - 6)
        await bot.services.groups.add_win(group.id, author.id, text, anonymous)
    assert await settle(bot, clock, SUNDAY_TEN) == 1
    digest = api.last_message(group).plain_text
    assert "This week in Job club" in digest
    assert utf16(digest) <= DIGEST_BUDGET
    shown = [line for line in digest.splitlines() if line.startswith("• ")]
    assert 1 <= len(shown) < 12
    oldest = 15 - len(shown)  # the newest wins, newest first: Win14 down to this one
    assert shown[0].startswith("• Ana: Win14")
    assert shown[-1].startswith(f"• {'A member' if oldest % 3 == 0 else 'Ana'}: Win{oldest:02d}")
    assert f"…and {15 - len(shown)} more wins." in digest


@pytest.mark.xfail(
    not _guard_lets_the_group_through(),
    reason="conversations/guard.py drops messages sent as the group before the group handlers",
    strict=True,
)
async def test_an_anonymous_admin_opens_the_settings_and_any_admin_operates_them(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)

    shown = await as_the_group(api, group, people.cora, "/group_settings")
    assert len(shown) == 1
    card = shown[0]
    assert "Weekly check-in: Mondays at 10:00 (UTC)" in card.plain_text
    assert card.buttons[0] == ["📅 Day", "🕙 Hour"]
    # The buttons are pressed by real accounts: the admin behind the anonymous message...
    assert await press(api, people.cora, "📊 Poll: off", group) == "Saved."
    assert "📊 Poll: on" in str(api.message(group, card.message_id).buttons)
    # ...not a member...
    assert await press(api, people.dee, "📊 Poll: on", group) == (
        "Only the group's admins can change these settings."
    )
    # ...and an admin promoted since the admin list was read (read again after 30 s).
    group.admins.add(people.ben.id)
    clock.advance(seconds=31)
    assert await press(api, people.ben, "📊 Poll: on", group) == "Saved."
    assert rows(db_path, "SELECT with_poll FROM groups") == [(0,)]

    # Taking part is personal: sent as the group, it gets a pointer instead.
    for command in ("/join", "/win Signed an offer", "/leave"):
        answer = await as_the_group(api, group, people.cora, command)
        assert len(answer) == 1 and answer[0].buttons == []
        assert "sent as the group" in answer[0].plain_text
        assert "from your own account" in answer[0].plain_text
    assert rows(db_path, "SELECT COUNT(*) FROM memberships") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM wins") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM users WHERE id = ?", GROUP_ANONYMOUS_BOT_ID) == [
        (0,)
    ]


async def test_a_group_upgraded_to_a_supergroup_keeps_everything(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = api.group(BASIC_GROUP, "Job club", members=people.members, admins=[people.cora])
    await add_bot(api, group, people.cora)
    await bot.services.groups.update(group.id, checkin_hour=18, with_poll=True)
    await bot.services.group_planner.replan(group.id)
    await join(api, people.ana, group, BY_NAME)
    await people.ana.command("/win", "Mock interview done", chat=group)
    await people.ben.command("/start", f"g{BASIC_GROUP}")  # a debrief that came from the group

    supergroup = api.migrate_group(group, UPGRADED, by=people.cora)
    await api.wait_idle()
    assert rows(db_path, "SELECT chat_id, kind, checkin_hour, with_poll FROM groups") == [
        (UPGRADED, "supergroup", 18, 1)
    ]
    assert rows(db_path, "SELECT chat_id, user_id FROM memberships") == [(UPGRADED, people.ana.id)]
    assert rows(db_path, "SELECT chat_id FROM wins") == [(UPGRADED,)]
    assert rows(db_path, "SELECT source_chat_id FROM rejections") == [(UPGRADED,)]
    shown = await people.ana.command("/win", "Another one", chat=supergroup)
    assert "Nice one, Ana!" in shown[-1].plain_text

    old_sends = sends_to(api, BASIC_GROUP)
    assert await settle(bot, clock, MONDAY_TEN + timedelta(hours=8)) == 2  # digest, check-in
    assert sends_to(api, BASIC_GROUP) == old_sends
    post, poll = api.chat_messages(supergroup)[-2:]
    assert "Weekly check-in" in post.plain_text and poll.method == "sendPoll"


async def test_a_post_refused_because_the_group_moved_follows_it(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    """The dispatcher may learn of the upgrade before the service message arrives: Telegram
    refuses the post with migrate_to_chat_id, and the post goes to the new id."""
    people = Cohort(api)
    group = api.group(BASIC_GROUP, "Job club", members=people.members, admins=[people.cora])
    await add_bot(api, group, people.cora)
    await join(api, people.ana, group, BY_NAME)
    upgraded = api.group(UPGRADED, "Job club", members=people.members, supergroup=True)
    group.migrated_to = UPGRADED  # upgraded, but the bot has not heard of it yet
    clock.set(MONDAY_TEN)
    await api.wait_for(lambda: api.chat_messages(upgraded), message="the check-in at the new id")
    assert "Weekly check-in" in api.last_message(upgraded).plain_text
    assert rows(db_path, "SELECT chat_id FROM memberships") == [(UPGRADED,)]


async def test_removing_the_bot_stops_everything_and_adding_it_back_resumes(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)
    await join(api, people.ana, group, BY_NAME)

    await api.wait_processed(api.remove_bot_from_group(group, people.cora))
    assert rows(db_path, "SELECT active FROM groups") == [(0,)]
    before = sends_to(api, SUPERGROUP)
    assert await settle(bot, clock, MONDAY_TEN) == 0
    assert await settle(bot, clock, MONDAY_TEN + timedelta(days=1)) == 0
    assert sends_to(api, SUPERGROUP) == before  # not even an attempt

    await add_bot(api, group, people.cora)
    back = api.last_message(group)
    assert (
        "I'm back" in back.plain_text
        and "Next check-in: Monday 7 December, 10:00" in back.plain_text
    )
    assert rows(db_path, "SELECT COUNT(*) FROM memberships") == [(1,)]  # members are kept
    assert await settle(bot, clock, MONDAY_TEN + timedelta(days=7)) == 2  # digest, check-in
    assert "Weekly check-in" in api.last_message(group).plain_text


async def test_a_muted_bot_stops_without_a_crash_loop_and_resumes_when_allowed_again(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people)
    await add_bot(api, group, people.cora)
    group.bot_can_send = False  # muted, and the my_chat_member update is not in yet
    assert await settle(bot, clock, MONDAY_TEN) == 0
    assert rows(db_path, "SELECT active FROM groups") == [(0,)]
    attempts = sends_to(api, SUPERGROUP)
    assert await settle(bot, clock, MONDAY_TEN + timedelta(days=7)) == 0
    assert sends_to(api, SUPERGROUP) == attempts  # stopped, not retried every run

    await api.wait_processed(api.restrict_bot(group, people.cora))  # the late update: still off
    assert rows(db_path, "SELECT active FROM groups") == [(0,)]
    await add_bot(api, group, people.cora, admin=True)  # promoted: can post again
    assert "I'm back" in api.last_message(group).plain_text
    assert rows(db_path, "SELECT active FROM groups") == [(1,)]


async def test_in_a_forum_check_ins_go_to_the_topic_chosen_from_inside_it(
    bot: RunningBot, api: FakeBotApi, clock: FakeClock, db_path: Path
) -> None:
    people = Cohort(api)
    group = club(api, people, forum=True)
    topic = api.create_topic(group, "Weekly check-ins")
    await add_bot(api, group, people.cora)
    assert api.last_message(group).message_thread_id is None  # the introduction: General

    shown = await people.cora.command("/group_settings", chat=group, thread=topic)
    card = shown[-1]
    assert card.message_thread_id == topic
    assert "Check-ins are posted in the General topic" in card.plain_text
    await press(api, people.cora, "📌 Post check-ins in this topic", group)
    card = api.message(group, card.message_id)
    assert "Check-ins are posted in the topic chosen here" in card.plain_text
    assert "📌 Post check-ins in this topic" not in str(card.buttons)
    await bot.services.groups.update(group.id, with_poll=True)
    assert rows(db_path, "SELECT topic_id FROM groups") == [(topic,)]

    assert await settle(bot, clock, MONDAY_TEN) == 1
    post, poll = api.chat_messages(group)[-2:]
    assert "Weekly check-in" in post.plain_text and post.message_thread_id == topic
    assert poll.method == "sendPoll" and poll.message_thread_id == topic


async def test_group_commands_in_a_private_chat_point_to_the_group(
    bot: RunningBot, api: FakeBotApi
) -> None:
    ana = api.private_user(3002, first_name="Ana")
    for command in ("/join", "/win", "/group_settings"):
        shown = await ana.command(command)
        assert "works in a group" in shown[-1].plain_text
