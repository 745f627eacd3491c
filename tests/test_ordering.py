"""Per-chat ordering with cross-chat concurrency."""

from __future__ import annotations

import asyncio
import random

from telegram import Chat, Message, Update, User

from bot.ordering import PerChatUpdateProcessor
from bot.standin import FakeBotApi
from tests.conftest import RunningBot


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "U", False)
    message = Message(update_id, None, Chat(chat_id, "private"), from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


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
    assert processor._locks == {}  # idle chats are forgotten


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
