"""A cohort's group: its people, the bot added, members joining, the clock moved to a post."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FakeClock, to_db
from standin import FakeBotApi, FakeChat, FakeUser, SentMessage
from tests.kit.db import rows, target_of
from tests.kit.running import RunningBot

SUPERGROUP = -1001234500001
MONDAY_TEN = datetime(2026, 11, 30, 10, tzinfo=UTC)  # the default check-in: Mondays 10:00 UTC
SUNDAY_TEN = datetime(2026, 11, 29, 10, tzinfo=UTC)  # the digest: the day before
BY_NAME = "🙋 Share my wins by name"
ANONYMOUSLY = "🕶 Share my wins anonymously"
JUST_RECEIVE = "📬 Just receive the check-ins"


class Cohort:
    """A coach (admin) and four members, as Telegram users."""

    def __init__(self, api: FakeBotApi) -> None:
        self.cora = api.private_user(3001, first_name="Cora")
        self.ana = api.private_user(3002, first_name="Ana")
        self.ben = api.private_user(3003, first_name="Ben")
        self.cy = api.private_user(3004, first_name="Cy")
        self.dee = api.private_user(3005, first_name="Dee")

    @property
    def members(self) -> list[FakeUser]:
        return [self.ana, self.ben, self.cy, self.dee]


async def add_bot(api: FakeBotApi, group: FakeChat, by: FakeUser, admin: bool = False) -> None:
    """The coach adds the bot; wait until the bot has handled it."""
    await api.wait_processed(api.add_bot_to_group(group, by, admin=admin))


def posts_sent(bot: RunningBot) -> int:
    """How many group posts (check-ins and digests) the database records as sent."""
    sql = "SELECT COUNT(*) FROM check_ins WHERE user_id IS NULL AND status = 'sent'"
    count = rows(target_of(bot.settings.database_url), sql)[0][0]
    assert isinstance(count, int)
    return count


def posts_due(bot: RunningBot) -> int:
    """Group posts due now that an active group still waits for."""
    sql = (
        "SELECT COUNT(*) FROM check_ins AS c JOIN groups AS g ON g.chat_id = c.chat_id"
        " WHERE c.user_id IS NULL AND c.status = 'pending' AND g.active = 1 AND c.due_at <= ?"
    )
    count = rows(target_of(bot.settings.database_url), sql, to_db(bot.clock.now()))[0][0]
    assert isinstance(count, int)
    return count


async def settle(bot: RunningBot, clock: FakeClock, moment: datetime) -> int:
    """Move the clock, run both dispatchers until nothing due is left (a group gets one post
    per run); returns how many group posts were sent."""
    before = posts_sent(bot)
    clock.set(moment)
    assert bot.services.dispatcher is not None and bot.services.group_dispatcher is not None
    await bot.services.dispatcher.settle()
    for _ in range(10):
        await bot.services.group_dispatcher.settle()
        if not posts_due(bot):
            break
    return posts_sent(bot) - before


def club(api: FakeBotApi, people: Cohort, **options: bool) -> FakeChat:
    """The cohort's supergroup, the coach its owner."""
    return api.group(
        SUPERGROUP, "Job club", people.members, [people.cora], supergroup=True, **options
    )


async def press(api: FakeBotApi, user: FakeUser, label: str, group: FakeChat) -> str | None:
    """Press a button in the group; returns the answerCallbackQuery text."""
    update_id = await user.press(label, chat=group)
    await api.wait_processed(update_id)
    answer = api.answer_for(update_id)
    assert answer is not None
    return answer.text


async def join(api: FakeBotApi, user: FakeUser, group: FakeChat, choice: str) -> SentMessage:
    """/join, then the consent button; returns the edited consent message."""
    asked = await user.command("/join", chat=group)
    assert asked[-1].buttons[-1] == [JUST_RECEIVE]
    await press(api, user, choice, group)
    return api.message(group, asked[-1].message_id)


def group_texts(api: FakeBotApi, group: FakeChat | int) -> str:
    """Every text the bot ever put in the group: sent, edited, polls and their options."""
    chat_id = group if isinstance(group, int) else group.id
    parts: list[str] = []
    for event in api.events:
        if event.chat_id != chat_id:
            continue
        parts += [event.text or "", event.plain_text]
        if event.poll is not None:
            parts += [str(option["text"]) for option in event.poll["options"]]
        parts += [label for row in event.buttons for label in row]
    return "\n".join(parts)
