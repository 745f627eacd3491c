"""Per-chat ordering with cross-chat concurrency, fairness under a flood, the backlog cap and the
group command throttle (bot/ordering.py)."""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.clock import FakeClock
from bot.ordering import UNBOUNDED, PerChatUpdateProcessor
from bot.rendering import Prompts
from bot.services import SERVICES_KEY
from standin import FakeBotApi
from tests.kit.running import RunningBot

SLOW_DOWN = "You're sending faster than I can answer"
GROUP = -4001


def _update(
    update_id: int,
    chat_id: int,
    text: str = "x",
    *,
    user_id: int | None = None,
    chat_type: str = "private",
    caption: bool = False,
) -> Update:
    user = User(user_id if user_id is not None else abs(chat_id), "U", False)
    entities = None
    if text.startswith("/"):
        length = len(text.split()[0])
        entities = (MessageEntity(MessageEntity.BOT_COMMAND, 0, length),)
    fields: dict[str, Any] = {"caption": text} if caption else {"text": text, "entities": entities}
    message = Message(update_id, None, Chat(chat_id, chat_type), from_user=user, **fields)  # type: ignore[arg-type]
    return Update(update_id, message=message)


def _press(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "U", False)
    message = Message(1, None, Chat(chat_id, "private"), text="q")  # type: ignore[arg-type]
    query = CallbackQuery(f"q{update_id}", user, "instance", message=message, data="d")
    return Update(update_id, callback_query=query)


def _group_command(update_id: int, text: str, user_id: int = 1) -> Update:
    return _update(update_id, GROUP, text, user_id=user_id, chat_type="group")


class FakeBot:
    """Records what the processor sends: notices and callback answers."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.answered: list[str] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> None:
        self.sent.append((chat_id, text))

    async def answer_callback_query(self, query_id: str, **kwargs: Any) -> None:
        self.answered.append(query_id)


class StubApplication:
    """The two things the processor reads from the Application: the bot and the services."""

    def __init__(self, clock: FakeClock) -> None:
        self.fake_bot = FakeBot()
        self.bot_data = {SERVICES_KEY: SimpleNamespace(prompts=Prompts(), clock=clock)}

    @property
    def bot(self) -> Bot:
        return self.fake_bot  # type: ignore[return-value]


def _processor(**kwargs: Any) -> tuple[PerChatUpdateProcessor, StubApplication, FakeClock]:
    clock = FakeClock()
    application = StubApplication(clock)
    return PerChatUpdateProcessor(application=application, **kwargs), application, clock


class Recorder:
    """Handlers that note which updates ran, optionally held until a gate opens."""

    def __init__(self) -> None:
        self.handled: list[int] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def handle(self, update: Update) -> None:
        await self.gate.wait()
        self.handled.append(update.update_id)


async def _let_run() -> None:
    for _ in range(20):
        await asyncio.sleep(0)  # ok-sleep: let the started tasks reach their waits


async def test_each_chat_in_order_and_chats_overlap() -> None:
    processor = PerChatUpdateProcessor(64)
    rng = random.Random(3)
    seen: dict[int, list[int]] = {}
    running = 0
    most_at_once = 0

    async def handle(update: Update) -> None:
        nonlocal running, most_at_once
        running += 1
        most_at_once = max(most_at_once, running)
        await asyncio.sleep(rng.random() / 1000)  # ok-sleep: simulated handler work
        assert update.effective_chat is not None
        seen.setdefault(update.effective_chat.id, []).append(update.update_id)
        running -= 1

    updates = [_update(i, rng.choice([1, 2, 3, 4, 5])) for i in range(300)]
    await asyncio.gather(*(processor.process_update(u, handle(u)) for u in updates))
    for chat_id, ids in seen.items():
        assert ids == sorted(ids), chat_id
    assert sum(len(ids) for ids in seen.values()) == 300
    assert most_at_once > 1  # different chats really ran at the same time
    assert processor._chats == {}  # idle chats are forgotten
    assert processor.max_concurrent_updates == UNBOUNDED  # PTB's own semaphore never waits


async def test_the_real_limit_is_taken_after_the_chats_turn() -> None:
    processor = PerChatUpdateProcessor(3)
    gate = asyncio.Event()
    most = 0

    async def handle() -> None:
        nonlocal most
        most = max(most, processor.running)
        await gate.wait()

    tasks = [
        asyncio.create_task(processor.process_update(_update(i, i % 6), handle()))
        for i in range(60)
    ]
    await _let_run()
    assert processor.running == 3  # the limit holds...
    assert {c.taken for c in processor._chats.values()} == {10}  # ...and nothing was dropped
    gate.set()
    await asyncio.gather(*tasks)
    assert most == 3 and processor.running == 0 and processor._chats == {}


async def test_a_flood_in_one_chat_does_not_delay_another_chat() -> None:
    processor = PerChatUpdateProcessor(8)  # no application: nothing is dropped
    flood_done: list[int] = []
    when_other_done: list[int] = []
    queued_then: list[int] = []

    async def flood(update: Update) -> None:
        await asyncio.sleep(0)  # ok-sleep: a handler that yields, like any I/O
        flood_done.append(update.update_id)

    async def other(update: Update) -> None:
        await asyncio.sleep(0)  # ok-sleep: the same work
        when_other_done.append(len(flood_done))
        queued_then.append(processor._chats[1].taken)

    tasks = [
        asyncio.create_task(processor.process_update(u, flood(u)))
        for u in (_update(i, 1) for i in range(1000))
    ]
    late = _update(1000, 2)  # arrives after the whole flood is queued
    tasks.append(asyncio.create_task(processor.process_update(late, other(late))))
    await asyncio.gather(*tasks)
    assert when_other_done[0] <= 2  # answered after at most a couple of the flood's updates
    assert queued_then[0] >= 990  # while the flooding chat still had its queue
    assert flood_done == list(range(1000))  # and the flood itself kept its order
    assert processor._chats == {}


async def test_over_the_backlog_cap_updates_are_dropped_with_one_notice() -> None:
    processor, application, _ = _processor(max_backlog=5)
    recorder = Recorder()
    recorder.gate.clear()
    updates = [_update(i, 7) for i in range(20)]
    tasks = [asyncio.create_task(processor.process_update(u, recorder.handle(u))) for u in updates]
    await _let_run()
    assert processor.dropped == 15
    recorder.gate.set()
    await asyncio.gather(*tasks)
    assert recorder.handled == [0, 1, 2, 3, 4]
    assert application.fake_bot.sent == [(7, Prompts().render("common/slow_down"))]
    assert SLOW_DOWN in application.fake_bot.sent[0][1]
    assert processor._chats == {}

    # Caught up: the next burst over the cap gets its own (one) notice.
    recorder.gate.clear()
    later = [_update(100 + i, 7) for i in range(8)]
    tasks = [asyncio.create_task(processor.process_update(u, recorder.handle(u))) for u in later]
    await _let_run()
    recorder.gate.set()
    await asyncio.gather(*tasks)
    assert recorder.handled[5:] == [100, 101, 102, 103, 104]
    assert len(application.fake_bot.sent) == 2


async def test_crisis_language_beyond_the_cap_is_handled_in_order() -> None:
    processor, application, _ = _processor(max_backlog=3)
    recorder = Recorder()
    recorder.gate.clear()
    updates = [_update(i, 9) for i in range(10)]
    updates[6] = _update(6, 9, "honestly I want to die")
    updates[8] = _update(8, 9, "i want to kill myself", caption=True)  # a photo's caption
    updates.append(_update(10, 9, "one more ordinary line"))
    press = _press(11, 9)
    updates.append(press)
    tasks = [asyncio.create_task(processor.process_update(u, recorder.handle(u))) for u in updates]
    await _let_run()
    recorder.gate.set()
    await asyncio.gather(*tasks)
    assert recorder.handled == [0, 1, 2, 6, 8]
    assert len(application.fake_bot.sent) == 1  # still one notice
    assert application.fake_bot.answered == ["q11"]  # the dropped press stops spinning
    assert processor._chats == {}


async def test_membership_updates_are_never_dropped() -> None:
    processor, _, _ = _processor(max_backlog=1)
    recorder = Recorder()
    recorder.gate.clear()
    first = _update(0, 5)
    user = User(5, "U", False)
    blocked = ChatMemberUpdated(
        Chat(5, "private"),
        user,
        datetime(2026, 11, 27, tzinfo=UTC),
        ChatMemberMember(User(1, "bot", True)),
        ChatMemberBanned(User(1, "bot", True), datetime(2026, 11, 27, tzinfo=UTC)),
    )
    member = Update(1, my_chat_member=blocked)
    tasks = [
        asyncio.create_task(processor.process_update(first, recorder.handle(first))),
        asyncio.create_task(processor.process_update(member, recorder.handle(member))),
    ]
    await _let_run()
    recorder.gate.set()
    await asyncio.gather(*tasks)
    assert recorder.handled == [0, 1]


async def test_without_the_application_nothing_is_dropped() -> None:
    processor = PerChatUpdateProcessor(max_backlog=2)
    recorder = Recorder()
    recorder.gate.clear()
    updates = [_group_command(i, "/help") for i in range(10)]
    tasks = [asyncio.create_task(processor.process_update(u, recorder.handle(u))) for u in updates]
    await _let_run()
    recorder.gate.set()
    await asyncio.gather(*tasks)
    assert recorder.handled == list(range(10))
    application = StubApplication(FakeClock())
    PerChatUpdateProcessor.attach(SimpleNamespace(update_processor=processor, **vars(application)))
    assert processor.application is not None


async def _feed(processor: PerChatUpdateProcessor, updates: list[Update]) -> list[int]:
    recorder = Recorder()
    for update in updates:  # one at a time: the throttle is about time, not backlog
        await processor.process_update(update, recorder.handle(update))
    return recorder.handled


async def test_repeated_group_commands_are_throttled_on_the_apps_clock() -> None:
    processor, application, clock = _processor()
    handled = await _feed(
        processor,
        [
            _group_command(1, "/help"),
            _group_command(2, "/help@comeback_bot", user_id=2),
            _group_command(3, "/HELP"),
            _group_command(4, "/help"),  # a fourth within the minute: dropped
            _group_command(5, "/start"),  # another command counts apart
            _update(6, 11, "/help"),  # private chats are never throttled
            _update(7, 11, "/help"),
            _update(8, 11, "/help"),
            _update(9, 11, "/help"),
            _group_command(10, "/help I want to die"),  # crisis language is never dropped
            _group_command(11, "hello"),  # not a command
        ],
    )
    assert handled == [1, 2, 3, 5, 6, 7, 8, 9, 10, 11]
    assert application.fake_bot.sent == []  # dropped without a reply
    clock.advance(seconds=59)
    assert await _feed(processor, [_group_command(12, "/help")]) == []
    clock.advance(seconds=2)  # the first three are now over a minute old
    assert await _feed(processor, [_group_command(13, "/help"), _group_command(14, "/help")]) == [
        13,
        14,
    ]
    assert processor.dropped == 2


async def test_member_commands_count_per_member() -> None:
    processor, _, clock = _processor(
        group_command_limit=2, group_command_window=timedelta(seconds=30)
    )
    joins = [_group_command(i, "/join", user_id=100 + i) for i in range(6)]
    assert await _feed(processor, joins) == list(range(6))  # six members, one /join each
    again = [_group_command(10 + i, "/win got an offer", user_id=100) for i in range(3)]
    assert await _feed(processor, again) == [10, 11]  # one member's third /win in the window
    clock.advance(seconds=31)
    assert await _feed(processor, [_group_command(20, "/win again", user_id=100)]) == [20]


async def test_memory_is_bounded_once_everything_is_done() -> None:
    processor, _, clock = _processor(max_backlog=10)
    rng = random.Random(5)
    recorder = Recorder()
    updates: list[Update] = []
    for i in range(400):
        kind = rng.random()
        if kind < 0.3:
            updates.append(_group_command(i, rng.choice(["/help", "/start", "/join"]), i % 7))
        else:
            updates.append(_update(i, rng.choice(range(1, 30))))
    await asyncio.gather(*(processor.process_update(u, recorder.handle(u)) for u in updates))
    assert processor._chats == {}
    assert processor._commands  # the throttle remembers the last minute...
    clock.advance(seconds=61)
    await processor.process_update(_update(999, 1), recorder.handle(_update(999, 1)))
    assert processor._commands == {}  # ...and no more


async def test_every_update_done_with_is_reported_once() -> None:
    reported: list[int] = []

    async def on_handled(update: object) -> None:
        assert isinstance(update, Update)
        reported.append(update.update_id)

    processor, _, _ = _processor(max_backlog=2, group_command_limit=1, on_handled=on_handled)
    recorder = Recorder()
    recorder.gate.clear()

    async def fails(update: Update) -> None:
        await recorder.gate.wait()
        raise RuntimeError("a handler bug")

    updates = [_update(i, 3) for i in range(5)] + [_group_command(5 + i, "/help") for i in range(4)]
    tasks = [
        asyncio.create_task(
            processor.process_update(u, (fails if u.update_id == 1 else recorder.handle)(u))
        )
        for u in updates
    ]
    await _let_run()
    recorder.gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert [type(r) for r in results].count(RuntimeError) == 1
    assert recorder.handled == [0, 5]  # 2-4 over the cap, 6-8 throttled
    assert sorted(reported) == list(range(9))  # handled, failed, dropped: each reported once


async def test_a_cancelled_waiting_update_is_closed_not_left_unawaited() -> None:
    reported: list[object] = []

    async def on_handled(update: object) -> None:
        reported.append(update)

    processor = PerChatUpdateProcessor(1, on_handled=on_handled)
    gate = asyncio.Event()

    async def handle() -> None:
        await gate.wait()

    first = asyncio.create_task(processor.process_update(_update(0, 1), handle()))
    second = asyncio.create_task(processor.process_update(_update(1, 1), handle()))
    other = asyncio.create_task(processor.process_update(_update(2, 2), handle()))
    await _let_run()
    second.cancel()
    other.cancel()
    gate.set()
    await first
    for task in (second, other):
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert processor._chats == {} and processor.running == 0
    assert len(reported) == 1  # the cancelled ones were not handled, so not reported


# ---------------------------------------------------------------------- through the real bot


async def test_many_users_at_once_each_see_their_own_answers_in_order(
    bot: RunningBot, api: FakeBotApi
) -> None:
    users = [api.private_user(8000 + i, first_name=f"U{i}") for i in range(20)]

    # Every user fires three updates without waiting for answers; all 60 are queued together.
    last_ids = []
    for index, user in enumerate(users):
        await user.send_command("/start")
        await user.send_text(f"Company {index}")
        last_ids.append(await user.send_text(f"Role {index}"))
    for update_id in last_ids:
        await api.wait_processed(update_id)
    for index, user in enumerate(users):
        texts = [m.plain_text for m in api.chat_messages(user)]
        assert texts[-1] == f"How far did you get with Company {index}?"
        rejection = await bot.services.debriefs.in_progress(user.id)
        assert rejection is not None
        assert (rejection.company, rejection.role) == (f"Company {index}", f"Role {index}")


def _processor_of(bot: RunningBot) -> PerChatUpdateProcessor:
    assert bot.app is not None
    PerChatUpdateProcessor.attach(bot.app)  # what bot/app.py does (a no-op if it already did)
    processor = bot.app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    return processor


async def test_a_flooding_user_does_not_hold_up_another_users_help(
    bot: RunningBot, api: FakeBotApi
) -> None:
    processor = _processor_of(bot)
    flooder = api.private_user(8101, first_name="Flo")
    other = api.private_user(8102, first_name="Oto")
    sent = [await flooder.send_text(f"message {n}") for n in range(200)]
    help_id = await other.send_command("/help")

    flood_queued: list[int] = []

    def answered() -> bool:
        if not api.is_processed(help_id):
            return False
        chat = processor._chats.get(flooder.id)
        flood_queued.append(chat.taken if chat is not None else 0)
        return True

    await api.wait_for(answered, timeout=30, message="the other user's /help")
    assert "/rejected" in api.chat_messages(other)[-1].plain_text
    assert flood_queued[0] > 1  # answered while the flood was still being worked off

    await api.wait_idle(timeout=60)
    assert all(api.is_processed(u) for u in sent)
    notices = [m for m in api.chat_messages(flooder) if SLOW_DOWN in m.plain_text]
    assert len(notices) == 1  # one notice for the whole burst
    # At most 50 queued at once: 150 dropped, less the few handled while the 200 were fetched
    # (a fetch is 100 updates; more finish meanwhile on PostgreSQL, which has no write lock).
    assert processor.dropped >= 150 - 10
    assert processor._chats == {}


def test_the_notice_reads_as_asked() -> None:
    text = Prompts().render("common/slow_down")
    assert text.startswith(SLOW_DOWN) and "Send the rest in a moment." in text


@pytest.mark.parametrize(
    "bad", [{"max_concurrent_updates": 0}, {"max_backlog": 0}, {"group_command_limit": 0}]
)
def test_limits_must_be_positive(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        PerChatUpdateProcessor(**bad)
