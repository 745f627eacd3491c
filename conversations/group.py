"""Group coaching channels: the bot in a cohort's group (docs/groups.md, docs/flows/group.mmd).

A coach adds the bot to a group: it introduces itself once and registers the group. Admins set
the weekly check-in with /group_settings (one message, edited in place). Members opt in with
/join (share wins by name, anonymously, or just receive the check-ins), share wins with /win or
by replying to a check-in post, and opt out with /leave. The weekly check-in (with an optional
poll) and digest are group posts in `check_ins`, sent by the group dispatcher; `composer` renders
them. Nothing from anyone's private coaching is ever posted: the digest holds counts and the
wins members typed into the group themselves.

Privacy mode: in groups the bot only sees commands, replies to its messages and service
messages, so nothing here reads ordinary group chatter.

Anonymous admins: a message an admin sends "as the group" comes from Telegram's
GroupAnonymousBot with `sender_chat` set to the group itself. Only an admin can post that way,
so /group_settings takes it as an admin's; /join, /win, /leave and a reply-win are personal and
get a short "post as yourself" instead (the bot cannot tell who sent them). Buttons are always
pressed by a real account: the settings message works for whoever is an admin when they press.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum

from telegram import Bot, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.keyboards import Button, keyboard, url_button
from bot.messages import edit_html, send_html, visible_length
from bot.scheduling.dispatcher import Compose, Outgoing, Refused
from bot.services import CoachContext, Services
from bot.storage.checkins import CheckIn
from bot.storage.groups import Group
from coaching.cohort import (
    THEMES,
    WIN_MAX_CHARS,
    Digest,
    Sharing,
    assemble_digest,
    clean_win,
    fit_digest,
    posts_anonymously,
    shown_title,
    theme_or_default,
    win_too_long,
)
from coaching.deadlines import COMMON_ZONES
from coaching.goals import format_deadline
from coaching.kinds import Kind
from coaching.language import LANGUAGES, current_language, set_language
from coaching.weekly import week_before
from conversations.flow import Chat, Prefix, callback, parse_callback
from conversations.language import choices as language_choices

_LOGGER = logging.getLogger(__name__)

PREFIX = Prefix.GROUP_SETTINGS
JOIN_PREFIX = Prefix.JOIN
HOUR_CHOICES = (7, 8, 9, 10, 12, 13, 17, 18, 19, 20)
ZONES = ("UTC", *COMMON_ZONES)
POLL_OPTIONS = ("great", "okay", "tough", "break")
# A refused group post that means the bot cannot post there any more (Telegram's wording).
_CANNOT_POST = (
    "not enough rights",
    "have no rights",
    "chat not found",
    "chat_write_forbidden",
    "chat_restricted",
    "need administrator rights",
    "not a member",
    "was kicked",
)
_TOPIC_GONE = ("thread not found", "topic_deleted", "topic_closed", "topic not found")
GROUP_ANONYMOUS_BOT_ID = 1087968824
"""The `from` of every message an anonymous admin sends as the group (@GroupAnonymousBot)."""


def sent_as_the_group(update: Update) -> bool:
    """Whether the update is a message an anonymous admin sent on behalf of the group itself
    (`sender_chat` is the chat). A message sent as a channel (a linked channel's post, or a
    member posting as their channel) is not: only admins can speak as the group."""
    message = update.message
    return (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == message.chat.id
        and message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
    )


class Step(StrEnum):
    """Which settings buttons a press comes from (the third field of the callback data)."""

    MENU = "m"
    DAY = "d"
    HOUR = "h"
    ZONE = "z"
    THEME = "t"
    LANGUAGE = "l"


_SUBMENUS = {"day": Step.DAY, "hour": Step.HOUR, "zone": Step.ZONE, "theme": Step.THEME}


class CohortTurn(Chat):
    """One update in a group, seen from the group-coaching side."""

    @property
    def thread_id(self) -> int | None:
        """The forum topic the update came from (None: the group itself, or General)."""
        message = self.update.effective_message
        if message is None or not message.is_topic_message:
            return None
        return message.message_thread_id

    @property
    def as_the_group(self) -> bool:
        """Whether an anonymous admin sent this as the group (nobody in particular)."""
        return sent_as_the_group(self.update)

    @property
    def first_name(self) -> str:
        """The first name of the person talking."""
        user = self.update.effective_user
        return user.first_name if user is not None else ""

    async def post(
        self, template: str, /, markup: InlineKeyboardMarkup | None = None, **values: object
    ) -> Message:
        """Send a rendered template to this group, in the topic the update came from."""
        return await send_html(
            self.context.bot,
            self.chat_id,
            self.render(template, **values),
            markup,
            message_thread_id=self.thread_id,
        )

    async def group(self) -> Group:
        """This group's row; a group the bot was in before group coaching is registered now,
        quietly (no introduction)."""
        found = await self.services.groups.get(self.chat_id)
        if found is not None:
            return found
        chat = self.update.effective_chat
        assert chat is not None
        group, _ = await self.services.groups.register(
            chat.id, chat.title or "", chat.type, current_language()
        )
        await self.services.group_planner.ensure(chat.id)
        return group

    async def sender_is_admin(self) -> bool:
        """Whether the person administers the group (creator or administrator). A message sent
        as the group is an admin's: Telegram lets only admins do that."""
        if self.as_the_group:
            return True
        return await self.services.group_admins.is_admin(
            self.context.bot, self.chat_id, self.user_id
        )

    async def personal_only(self, command: str) -> bool:
        """For a personal command sent as the group: say to post as yourself, and True."""
        if not self.as_the_group:
            return False
        await self.post("group/post_as_yourself", command=command)
        return True

    def private_link(self) -> str:
        """The deep link that opens the private chat and remembers this group."""
        return deep_link(self.context.bot, self.chat_id)

    async def answer(self, notice: str | None = None, alert: bool = False) -> None:
        """Answer the button press (a toast, or an alert for refusals)."""
        query = self.update.callback_query
        if query is not None:
            await query.answer(notice, show_alert=alert)


def deep_link(bot: Bot, chat_id: int) -> str:
    """`https://t.me/<bot>?start=g<chat id>`: the private chat, remembering the group."""
    return f"https://t.me/{bot.username}?start=g{chat_id}"


def when_text(services: Services, group: Group, moment: datetime | None) -> str | None:
    """A due time as the group reads it, e.g. "Mon 30 Nov, 10:00"."""
    if moment is None:
        return None
    local = moment.astimezone(services.group_planner.zone(group))
    return f"{format_deadline(local.date())}, {local:%H:%M}"


# --- The bot joins, leaves, or the group moves ------------------------------------------------


def _present(update: Update) -> bool:
    member = update.my_chat_member
    assert member is not None
    new = member.new_chat_member
    if new.status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR):
        return True
    if new.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(new, "is_member", False) and getattr(new, "can_send_messages", False))
    return False


async def on_my_chat_member(update: Update, context: CoachContext) -> None:
    """The bot was added to, removed from, muted or promoted in a group."""
    chat = update.effective_chat
    if chat is None or chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    services = context.services
    services.group_admins.forget(chat.id)
    if not _present(update):
        if await services.groups.set_active(chat.id, False):
            _LOGGER.info("Removed or muted in group %s: its posts stop", chat.id)
        return
    group, created = await services.groups.register(
        chat.id, chat.title or "", chat.type, current_language()
    )
    if created:
        template = "group/intro"
    elif not group.active:
        await services.groups.set_active(chat.id, True)
        template = "group/welcome_back"
    else:
        return  # promoted or demoted, still able to post: nothing to say
    await services.group_planner.replan(chat.id)
    _LOGGER.info("Coaching in group %s (%s)", chat.id, "new" if created else "back")
    turn = CohortTurn(update, context)
    group = await turn.group()
    upcoming = await services.group_planner.next_checkin(chat.id)
    try:
        await turn.post(template, next_checkin=when_text(services, group, upcoming))
    except TelegramError as exc:
        _LOGGER.info("Could not introduce myself in group %s: %s", chat.id, exc)


async def on_migrate(update: Update, context: CoachContext) -> None:
    """The group became a supergroup: settings, members, wins and pending posts follow."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await migrate(context.services, old, new)


async def migrate(services: Services, old: int, new: int) -> None:
    """Move a group to its new chat id (idempotent: Telegram reports it in both chats)."""
    services.group_admins.forget(old)
    if not await services.groups.migrate(old, new):
        return
    _LOGGER.info("Group %s is now supergroup %s", old, new)
    await services.group_planner.ensure(new)
    if services.group_dispatcher is not None:
        services.group_dispatcher.wake()


def refusal_listener(services: Services) -> Refused:
    """What the group dispatcher does when Telegram refuses a group post."""

    async def refused(post: CheckIn, error: TelegramError) -> None:
        if isinstance(error, ChatMigrated):
            await migrate(services, post.chat_id, error.new_chat_id)
            return
        reason = error.message.casefold()
        if isinstance(error, BadRequest) and any(m in reason for m in _TOPIC_GONE):
            # The chosen topic was deleted or closed: post in the group itself, now.
            await services.groups.update(post.chat_id, topic_id=None)
            await services.group_queue.retry_at(post.id, services.clock.now(), error.message)
            if services.group_dispatcher is not None:
                services.group_dispatcher.wake()
            return
        cannot_post = isinstance(error, Forbidden) or any(m in reason for m in _CANNOT_POST)
        if cannot_post and await services.groups.set_active(post.chat_id, False):
            _LOGGER.info("Cannot post in group %s (%s): stopped", post.chat_id, error.message)

    return refused


# --- The weekly posts (rendered for the group dispatcher) -------------------------------------


def composer(services: Services, bot: Bot) -> Compose:
    """The group dispatcher's renderer of weekly check-ins and digests."""

    async def compose(post: CheckIn, folded: int) -> Outgoing | None:
        group = await services.groups.get(post.chat_id)
        if group is None or not group.active:
            return None
        set_language(group.language)
        if post.kind == Kind.GROUP_CHECKIN:
            return checkin_post(services, bot, group)
        if post.kind == Kind.GROUP_DIGEST and group.digest_enabled:
            return await digest_post(services, group)
        return None

    return compose


def checkin_post(services: Services, bot: Bot, group: Group) -> Outgoing:
    """The weekly check-in in the group's theme, and its poll if the group wants one."""
    prompts = services.prompts
    text = prompts.render(f"group/theme_{theme_or_default(group.theme)}")
    markup = url_button(prompts.label("group.open_private"), deep_link(bot, group.chat_id))
    # Rendered now, in the group's language: the poll goes out after the message is sent.
    question = prompts.render_plain("group/poll_question")
    options = [prompts.label(f"group.poll_{option}") for option in POLL_OPTIONS]

    async def poll(message: Message) -> None:
        await bot.send_poll(
            group.chat_id,
            question,
            options,
            is_anonymous=True,
            message_thread_id=group.topic_id,
        )

    return Outgoing(text, markup, group.topic_id, poll if group.with_poll else None)


async def digest_post(services: Services, group: Group) -> Outgoing | None:
    """The week's digest: only what members agreed to share; None if nobody shares. It fits
    in one message whatever members wrote (`fit_digest`)."""
    since, until = week_before(services.clock.now())
    digest = assemble_digest(
        await services.groups.member_weeks(group.chat_id, since, until),
        await services.groups.wins_between(group.chat_id, since, until),
    )
    if digest is None:
        return None
    title = shown_title(group.title)

    def render(shown: Digest) -> str:
        return services.prompts.render("group/digest", title=title, digest=shown)

    text = render(fit_digest(digest, lambda shown: visible_length(render(shown))))
    return Outgoing(text, None, group.topic_id)


# --- /group_settings --------------------------------------------------------------------------


class GroupSettingsTurn(CohortTurn):
    """One update of a group's settings message."""

    def button(self, step: Step, value: str, label_key: str, **values: object) -> Button:
        """A settings button of this group."""
        return self.label(label_key, **values), callback(PREFIX, self.chat_id, step, value)

    def back_row(self) -> list[Button]:
        """Back to the settings."""
        return [self.button(Step.MENU, "back", "group.back")]

    async def card(self, group: Group) -> tuple[str, InlineKeyboardMarkup]:
        """The settings text and its buttons."""
        services = self.services
        chat = self.update.effective_chat
        forum = bool(chat is not None and chat.is_forum)
        upcoming = await services.group_planner.next_checkin(group.chat_id)
        text = self.render(
            "group/settings",
            title=shown_title(group.title),
            day=self.label(f"group.day_{group.checkin_weekday}"),
            hour=group.checkin_hour,
            zone=group.timezone or services.settings.default_timezone,
            theme=self.label(f"group.theme_{theme_or_default(group.theme)}"),
            poll=group.with_poll,
            digest=group.digest_enabled,
            anonymous=group.anonymous_wins,
            forum=forum,
            topic=group.topic_id is not None,
            next_checkin=when_text(services, group, upcoming),
        )
        rows: list[list[Button]] = [
            [
                self.button(Step.MENU, "day", "group.day"),
                self.button(Step.MENU, "hour", "group.hour"),
            ],
            [
                self.button(Step.MENU, "zone", "group.zone"),
                self.button(Step.MENU, "theme", "group.theme"),
            ],
            [
                self.button(Step.MENU, "poll", "group.poll", on=group.with_poll),
                self.button(Step.MENU, "digest", "group.digest", on=group.digest_enabled),
            ],
            [self.button(Step.MENU, "anon", "group.anonymous", on=group.anonymous_wins)],
            [
                self.button(
                    Step.MENU,
                    "language",
                    "group.language",
                    name=self.label(f"language.{group.language}"),
                )
            ],
        ]
        if forum and self.thread_id != group.topic_id:
            rows.append([self.button(Step.MENU, "topic", "group.use_topic")])
        rows.append([self.button(Step.MENU, "done", "group.done")])
        return text, keyboard(*rows)

    def choices(self, step: Step) -> InlineKeyboardMarkup:
        """The buttons of one setting."""
        if step is Step.DAY:
            days = [self.button(Step.DAY, str(d), f"group.day_short_{d}") for d in range(7)]
            return keyboard(days[:4], days[4:], self.back_row())
        if step is Step.HOUR:
            hours = [
                self.button(Step.HOUR, str(h), "group.hour_value", hour=h) for h in HOUR_CHOICES
            ]
            return keyboard(hours[:5], hours[5:], self.back_row())
        if step is Step.ZONE:
            zones = [self.button(Step.ZONE, z, "group.zone_value", zone=z) for z in ZONES]
            return keyboard(*[zones[i : i + 2] for i in range(0, len(zones), 2)], self.back_row())
        themes = [[self.button(Step.THEME, t, f"group.theme_{t}")] for t in THEMES]
        return keyboard(*themes, self.back_row())

    async def show(self, group: Group) -> None:
        """Edit the pressed settings message to show the settings."""
        text, markup = await self.card(group)
        await self.edit(text, markup)

    async def edit(self, text: str, markup: InlineKeyboardMarkup | None) -> None:
        """Replace the pressed message's text and buttons."""
        query = self.update.callback_query
        assert query is not None and query.message is not None
        await edit_html(self.context.bot, self.chat_id, query.message.message_id, text, markup)


async def on_group_settings(update: Update, context: CoachContext) -> None:
    """/group_settings in a group: the settings message for admins (an anonymous admin too),
    a polite no for others."""
    turn = GroupSettingsTurn(update, context)
    group = await turn.group()
    if not await turn.sender_is_admin():
        await turn.post("group/settings_refused", name=turn.first_name)
        return
    if group.settings_message_id is not None:
        try:  # one settings message at a time: the new one replaces the old
            await context.bot.delete_message(turn.chat_id, group.settings_message_id)
        except TelegramError as exc:
            _LOGGER.debug("Old settings message not deleted: %s", exc)
    text, markup = await turn.card(group)
    sent = await send_html(
        context.bot, turn.chat_id, text, markup, message_thread_id=turn.thread_id
    )
    await context.services.groups.update(turn.chat_id, settings_message_id=sent.message_id)


async def on_settings_button(update: Update, context: CoachContext) -> None:
    """A press on the settings message: admins change a setting, others get a refusal.

    Whoever opened the message (an anonymous admin included), any current admin may press:
    the press always comes from a real account, checked against the group's admin list."""
    turn = GroupSettingsTurn(update, context)
    press = parse_callback(update.callback_query.data if update.callback_query else None)
    if press is None or press.owner != turn.chat_id:
        await turn.answer(turn.label("common.stale"))
        return
    if not await turn.sender_is_admin():
        await turn.answer(turn.label("group.admins_only"), alert=True)
        return
    services = context.services
    group = await turn.group()
    changes: dict[str, object] = {}
    step, value = press.step, press.value
    if step == Step.MENU:
        if value == "language":
            await turn.answer()
            languages = language_choices(turn, turn.chat_id, PREFIX, Step.LANGUAGE)
            await turn.edit(
                turn.render("group/settings_language"),
                keyboard(*([b] for b in languages), turn.back_row()),
            )
            return
        if value in _SUBMENUS:
            await turn.answer()
            text = turn.render("group/settings_choose", what=value)
            await turn.edit(text, turn.choices(_SUBMENUS[value]))
            return
        if value == "done":
            await turn.answer(turn.label("group.saved"))
            text, _ = await turn.card(group)
            await turn.edit(text, None)
            return
        toggles = {"poll": "with_poll", "digest": "digest_enabled", "anon": "anonymous_wins"}
        if value in toggles:
            column = toggles[value]
            changes[column] = not getattr(group, column)
        elif value == "topic":
            changes["topic_id"] = turn.thread_id
    elif step == Step.DAY and value.isdigit() and int(value) < 7:
        changes["checkin_weekday"] = int(value)
    elif step == Step.HOUR and value.isdigit() and int(value) in HOUR_CHOICES:
        changes["checkin_hour"] = int(value)
    elif step == Step.ZONE and value in ZONES:
        changes["timezone"] = value
    elif step == Step.THEME and value in THEMES:
        changes["theme"] = value
    elif step == Step.LANGUAGE and value in LANGUAGES:
        changes["language"] = value
        set_language(value)  # the settings and all that follows, in the group's new language
    if changes:
        await services.groups.update(turn.chat_id, **changes)
        if set(changes) & {"checkin_weekday", "checkin_hour", "timezone", "digest_enabled"}:
            await services.group_planner.replan(turn.chat_id)
        _LOGGER.info("Group %s changed %s", turn.chat_id, ", ".join(sorted(changes)))
        await turn.answer(turn.label("group.saved"))
    else:
        await turn.answer()
    await turn.show(await turn.group())


# --- Members: /join, /leave, /win -------------------------------------------------------------


def _join_keyboard(turn: CohortTurn, group: Group) -> InlineKeyboardMarkup:
    modes = [Sharing.NAMED, Sharing.ANONYMOUS, Sharing.RECEIVE_ONLY]
    if not group.anonymous_wins:
        modes.remove(Sharing.ANONYMOUS)
    return keyboard(
        *[
            [(turn.label(f"group.join_{m.value}"), callback(JOIN_PREFIX, turn.user_id, "share", m))]
            for m in modes
        ]
    )


async def on_join(update: Update, context: CoachContext) -> None:
    """/join in a group: how would you like to take part? (explicit consent, by buttons)."""
    turn = CohortTurn(update, context)
    if await turn.personal_only("join"):
        return
    group = await turn.group()
    await turn.post(
        "group/join_ask",
        markup=_join_keyboard(turn, group),
        name=turn.first_name,
        anonymous=group.anonymous_wins,
    )


async def on_join_button(update: Update, context: CoachContext) -> None:
    """A consent button: only the person who asked may press it."""
    turn = CohortTurn(update, context)
    query = update.callback_query
    assert query is not None
    press = parse_callback(query.data)
    if press is None or press.step != "share" or press.value not in {s.value for s in Sharing}:
        await turn.answer(turn.label("common.stale"))
        return
    if press.owner != turn.user_id:
        await turn.answer(turn.label("group.not_yours"), alert=True)
        return
    sharing = Sharing(press.value)
    group = await turn.group()
    if sharing is Sharing.ANONYMOUS and not group.anonymous_wins:
        await turn.answer(turn.label("group.anonymous_off"), alert=True)
        return
    await turn.ensure_user()
    await context.services.groups.join(turn.chat_id, turn.user_id, sharing)
    _LOGGER.info("User %s joined group %s (%s)", turn.user_id, turn.chat_id, sharing.value)
    await turn.answer(turn.label(f"group.saved_{sharing.value}"))
    assert query.message is not None
    markup = url_button(turn.label("group.open_private"), turn.private_link())
    text = turn.render("group/joined", name=turn.first_name)
    await edit_html(context.bot, turn.chat_id, query.message.message_id, text, markup)


async def on_leave(update: Update, context: CoachContext) -> None:
    """/leave in a group: undo /join (the wins shared here leave the digest too)."""
    turn = CohortTurn(update, context)
    if await turn.personal_only("leave"):
        return
    left = await context.services.groups.leave(turn.chat_id, turn.user_id)
    if left:
        _LOGGER.info("User %s left group %s", turn.user_id, turn.chat_id)
    await turn.post("group/left" if left else "group/not_member", name=turn.first_name)


async def on_win(update: Update, context: CoachContext) -> None:
    """/win <text> in a group: share a win (by name, or reposted without the name)."""
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    parts = text.split(maxsplit=1)
    turn = CohortTurn(update, context)
    if await turn.personal_only("win"):
        return
    await share_win(turn, parts[1] if len(parts) > 1 else None)


async def on_reply(update: Update, context: CoachContext) -> None:
    """A reply to one of the bot's messages: a reply to a weekly check-in post is a win."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return
    replied = message.reply_to_message
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    if not await context.services.groups.is_checkin_post(message.chat.id, replied.message_id):
        return
    turn = CohortTurn(update, context)
    if await turn.personal_only("win"):
        return
    await share_win(turn, message.text)


async def share_win(turn: CohortTurn, raw: str | None) -> None:
    """Store a member's win; repost it without the name when they share anonymously."""
    group = await turn.group()
    membership = await turn.services.groups.membership(turn.chat_id, turn.user_id)
    if membership is None or not membership.sharing.shares:
        template = "group/win_join_first" if membership is None else "group/win_receive_only"
        await turn.post(template, name=turn.first_name)
        return
    text = clean_win(raw)
    if text is None:
        await turn.post("group/win_how")
        return
    if win_too_long(text):
        await turn.post("group/win_too_long", length=len(text), limit=WIN_MAX_CHARS)
        return
    anonymous = posts_anonymously(membership.sharing, group.anonymous_wins)
    if anonymous is None:
        await turn.post("group/win_anonymous_off", name=turn.first_name)
        return
    await turn.services.groups.add_win(turn.chat_id, turn.user_id, text, anonymous)
    _LOGGER.info("User %s shared a win in group %s", turn.user_id, turn.chat_id)
    if not anonymous:
        await turn.post("group/win_named", name=turn.first_name)
        return
    message = turn.update.effective_message
    if message is not None:
        try:  # best effort: only an admin bot with the right to delete can
            await turn.context.bot.delete_message(turn.chat_id, message.message_id)
        except TelegramError as exc:
            _LOGGER.info("Could not delete an anonymous win's original: %s", exc)
    # Never a reply to the original: that would point at the member.
    await turn.post("group/win_anonymous", text=text)


async def on_private_use(update: Update, context: CoachContext) -> None:
    """/join, /leave, /win or /group_settings in a private chat: they belong to a group."""
    await Chat(update, context).say("group/only_in_groups")


def handlers() -> list[BaseHandler[Update, CoachContext, object]]:
    """The group-coaching handlers, to be registered before the conversations."""
    groups = filters.ChatType.GROUPS
    commands = ["group_settings", "join", "leave", "win"]
    reply = groups & filters.REPLY & filters.TEXT & ~filters.COMMAND
    return [
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate),
        CommandHandler("group_settings", on_group_settings, filters=groups),
        CommandHandler("join", on_join, filters=groups),
        CommandHandler("leave", on_leave, filters=groups),
        CommandHandler("win", on_win, filters=groups),
        CommandHandler(commands, on_private_use, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(on_settings_button, pattern=rf"^{PREFIX}:"),
        CallbackQueryHandler(on_join_button, pattern=rf"^{JOIN_PREFIX}:"),
        MessageHandler(reply, on_reply),
    ]
