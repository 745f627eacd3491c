"""What the rest of the bot asks of storage: one Protocol per repository.

Handlers, flows, the scheduler and the conversation router see only these. A backend (today
SQLite: bot/storage/sql.py builds it) implements every Protocol; what the methods take and
return are plain values and the record dataclasses of this package (User, Rejection, CheckIn,
Group...), never a connection or a database row. Each method keeps its backend's guarantees,
documented on the SQLite classes: what commits together, what is idempotent, and that a storage
fault raises `StorageUnavailable` having written nothing of that call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from bot.storage.checkins import CheckIn, Claimed, Focus, NewCheckIn, Repair, Unplanned
from bot.storage.debriefs import FeedbackRecord, GoalRecord, PlanAction, Rejection, ResourcePick
from bot.storage.groups import Group, GroupPost, Membership
from bot.storage.inbox import InboxDepth, Incoming, Stored
from bot.storage.outcomes import OutcomeRecord, Recorded
from bot.storage.users import User
from coaching.cohort import MemberWeek, Sharing, WinRecord
from coaching.kinds import Kind
from coaching.outcomes import Outcome
from coaching.patterns import Journey

ConversationKey = tuple[int | str, ...]
"""A python-telegram-bot conversation key: the chat and/or user ids of one conversation."""


class UserRepository(Protocol):
    """The people coached, and how they like to be checked in on."""

    async def ensure(self, user_id: int, first_name: str, language: str | None) -> User:
        """Create the user on first contact, refresh name/language, and mark them active again."""
        ...

    async def get(self, user_id: int) -> User | None:
        """The user, or None if they never wrote."""
        ...

    async def locale_of(self, user_id: int) -> str | None:
        """The language the bot speaks with them, or None if they never wrote."""
        ...

    async def update(self, user_id: int, **fields: object) -> None:
        """Change settings (timezone, checkin_hour, quiet hours, pause, enabled)."""
        ...

    async def set_active(self, user_id: int, active: bool) -> None:
        """Mark a user inactive (they blocked the bot) or active again."""
        ...

    async def hold_for_safety(self, user_id: int) -> None:
        """Pause the coaching after a crisis reply (kept from the first reply until released)."""
        ...

    async def release_safety_hold(self, user_id: int) -> bool:
        """Go on with the coaching; False if it was not paused."""
        ...


class DebriefRepository(Protocol):
    """A rejection's debrief and everything hanging off it: moods, feedback request, plan
    actions, resource, goal."""

    def reading_once(self) -> AbstractContextManager[None]:
        """A read-only stretch (composing a check-in) in which each debrief, feedback request,
        resource pick or goal is read once; a write through the repository forgets them."""
        ...

    async def start(
        self, user_id: int, step: str, rejected_on: date, source_chat_id: int | None = None
    ) -> Rejection:
        """Open a new debrief (a new rejection record) at its first step."""
        ...

    async def get(self, rejection_id: int) -> Rejection | None:
        """One rejection by id."""
        ...

    async def in_progress(self, user_id: int) -> Rejection | None:
        """The debrief the user is in the middle of, if any."""
        ...

    async def resumable(self, user_id: int) -> Rejection | None:
        """The latest debrief that was not completed (running or left with /cancel)."""
        ...

    async def latest_completed(self, user_id: int) -> Rejection | None:
        """The most recent finished debrief."""
        ...

    async def count(self, user_id: int) -> int:
        """How many rejections the user has logged."""
        ...

    async def update(self, rejection_id: int, **fields: object) -> Rejection | None:
        """Save answers and/or the step; the rejection as it now is (None: no such one)."""
        ...

    async def set_status(self, rejection_id: int, status: str) -> None:
        """Mark a debrief in_progress, cancelled or completed."""
        ...

    async def record_mood(
        self, user_id: int, score: int, source: str, rejection_id: int | None = None
    ) -> None:
        """Keep a mood score (a debrief's own mood is replaced, not added to)."""
        ...

    async def record_safety_event(self, user_id: int, kind: str = "crisis") -> None:
        """Remember that the safety reply was shown: the date and the kind, never the words."""
        ...

    async def feedback(self, rejection_id: int) -> FeedbackRecord | None:
        """The feedback request of a debrief, if one was started."""
        ...

    async def save_feedback(self, rejection_id: int, **fields: object) -> FeedbackRecord:
        """Create or update the debrief's feedback request."""
        ...

    async def replace_plan_actions(
        self, rejection_id: int, source: str, actions: Sequence[tuple[str | None, str]]
    ) -> None:
        """Set the actions of one source (gap or feedback), all together."""
        ...

    async def add_plan_actions(
        self, rejection_id: int, source: str, actions: Sequence[tuple[str | None, str]]
    ) -> None:
        """Append actions to a plan (e.g. from the hirer's feedback)."""
        ...

    async def plan_actions(self, rejection_id: int) -> list[PlanAction]:
        """The plan's actions, oldest first."""
        ...

    async def pick_resource(
        self, rejection_id: int, resource_id: str, title: str, planned_for: date | None = None
    ) -> None:
        """Save the chosen resource (one per debrief; a new pick replaces the old)."""
        ...

    async def set_resource_plan(self, rejection_id: int, planned_for: date) -> None:
        """When the user plans to use their resource."""
        ...

    async def set_resource_takeaway(self, rejection_id: int, takeaway: str) -> None:
        """What the user took away from their resource."""
        ...

    async def picked_before(self, user_id: int, rejection_id: int) -> set[str]:
        """The resources the person picked in their other debriefs."""
        ...

    async def resource_pick(self, rejection_id: int) -> ResourcePick | None:
        """The debrief's chosen resource."""
        ...

    async def goal_for(self, rejection_id: int) -> GoalRecord | None:
        """The retry goal set in this debrief (draft or active)."""
        ...

    async def goal(self, goal_id: int) -> GoalRecord | None:
        """One goal by id."""
        ...

    async def save_goal(self, user_id: int, rejection_id: int, **fields: object) -> GoalRecord:
        """Create or update the debrief's draft goal."""
        ...

    async def update_goal(self, goal_id: int, **fields: object) -> None:
        """Change a goal (progress, status, target...)."""
        ...


class CheckinRepository(Protocol):
    """The durable schedule of check-ins (a queue with leased claims), their answers, and the
    goals they follow up on. Also the group posts' queue (user id None, the group's chat)."""

    def add_repair(self, repair: Repair) -> None:
        """Have every dispatcher run call `repair(now)` before claiming."""
        ...

    async def repair(self, now: datetime) -> int:
        """Run the registered repairs; how many check-ins they scheduled."""
        ...

    async def add(self, items: Sequence[NewCheckIn]) -> None:
        """Schedule check-ins, all together."""
        ...

    async def complete_plan(
        self,
        rejection_id: int,
        goal_id: int | None,
        items: Sequence[NewCheckIn],
        moves: Sequence[tuple[int, datetime]] = (),
        update_id: int | None = None,
    ) -> int:
        """Finish a debrief all or nothing: goal active, debrief completed, pending check-ins
        moved, the plan's check-ins scheduled where missing; how many were scheduled."""
        ...

    async def add_missing(
        self, items: Sequence[NewCheckIn], moves: Sequence[tuple[int, datetime]] = ()
    ) -> int:
        """Schedule a plan's check-ins on subjects that have none yet and move pending ones
        (idempotent); how many were scheduled."""
        ...

    async def unplanned_plans(
        self, since: datetime, deadline_after: date, after: Unplanned | None, limit: int
    ) -> list[Unplanned]:
        """Completed plans whose active goal never had a check-in, a page at a time."""
        ...

    async def get(self, checkin_id: int) -> CheckIn | None:
        """One check-in by id."""
        ...

    async def pending_for_user(self, user_id: int) -> list[CheckIn]:
        """The user's pending check-ins, soonest first."""
        ...

    async def next_pending(self, user_id: int) -> CheckIn | None:
        """The user's next pending check-in."""
        ...

    async def latest_unanswered(
        self, user_id: int, kinds: Iterable[str], since: datetime
    ) -> CheckIn | None:
        """The user's most recently sent check-in of these kinds, sent after `since` and not
        answered (what a typed reply most likely answers), or None."""
        ...

    async def has_any(self, rejection_id: int, kinds: Iterable[str]) -> bool:
        """Whether check-ins of these kinds were ever scheduled for a debrief."""
        ...

    async def move(self, due_times: Sequence[tuple[int, datetime]]) -> None:
        """Give pending check-ins new due times."""
        ...

    async def cancel_pending_for_user(self, user_id: int, reason: str | None = None) -> int:
        """Cancel every pending check-in of a user (`reason`: check_ins.cancel_reason, e.g.
        "stopped"); how many."""
        ...

    async def cancel(self, checkin_ids: Iterable[int], reason: str | None = None) -> int:
        """Cancel these check-ins, those still pending; how many."""
        ...

    async def backlog(
        self,
        now: datetime,
        late_before: datetime,
        kinds: Iterable[str],
        stale_kinds: Iterable[str] = (),
        stale_before: date | None = None,
    ) -> list[CheckIn]:
        """The due check-ins the next claim could take, of the people with more than one due,
        or one due since before `late_before`, or one of `stale_kinds` planned for a day
        before `stale_before`; by person, oldest first."""
        ...

    async def stopped(self, user_id: int) -> list[CheckIn]:
        """What "Stop all check-ins" cancelled and "Resume" has not looked at yet."""
        ...

    async def resume(self, user_id: int, revive: Sequence[tuple[int, datetime]]) -> int:
        """Bring stopped check-ins back at these due times; the rest of what Stop cancelled
        stays cancelled for good. How many came back."""
        ...

    async def cancel_pending_of_kind(self, user_id: int, kind: str) -> int:
        """Cancel a user's pending check-ins of one kind; how many."""
        ...

    async def cancel_pending_for_goal(self, goal_id: int) -> int:
        """Cancel a goal's pending check-ins; how many."""
        ...

    async def release_stale_claims(
        self, claimed_before: datetime, kinds: Iterable[str] | None = None
    ) -> int:
        """Put claims whose lease ran out back to pending; how many."""
        ...

    async def renew_claims(self, ids: Iterable[int], held: datetime, now: datetime) -> set[int]:
        """Renew the lease of claims still held under `held`; the ids renewed."""
        ...

    async def claim_due(self, now: datetime, limit: int, kinds: Iterable[str]) -> list[Claimed]:
        """Claim up to `limit` due check-ins of `kinds` (one per user or group)."""
        ...

    async def mark_sent(self, checkin: CheckIn, message_id: int, family: Iterable[str]) -> None:
        """Record the send (older unanswered ones on the subject superseded); once committed."""
        ...

    async def retry_at(
        self, checkin_id: int, due_at: datetime, error: str, attempts: int | None = None
    ) -> None:
        """Back to pending, due again at `due_at`."""
        ...

    async def finish(
        self, checkin_id: int, status: str, error: str | None, attempts: int | None = None
    ) -> None:
        """End a claimed check-in without sending: 'failed' or 'cancelled'."""
        ...

    async def deactivate_user(self, user_id: int, checkin_id: int, error: str) -> int:
        """The user blocked the bot: inactive, this and every pending check-in cancelled."""
        ...

    async def answer(self, checkin_id: int, answer: str, update_id: int | None = None) -> bool:
        """Mark a sent check-in answered; False if it was not (so exactly one press acts)."""
        ...

    async def follow_up(self, checkin_id: int, expected: str, answer: str) -> bool:
        """Move an answered check-in's answer from `expected` to `answer`."""
        ...

    async def set_focus(self, user_id: int, checkin_id: int, goal_id: int | None = None) -> None:
        """Remember which check-in the user's next words answer."""
        ...

    async def focus(self, user_id: int) -> Focus | None:
        """What the user's next words answer, if anything."""
        ...

    async def clear_focus(self, user_id: int) -> None:
        """Forget what the user was answering."""
        ...

    async def active_goals(self, user_id: int) -> list[tuple[GoalRecord, datetime]]:
        """The user's active goals with the moment each was created."""
        ...

    async def new_goal(self, user_id: int, kind: str) -> int:
        """A draft goal outside any debrief; its id."""
        ...

    async def activate_goal(self, goal_id: int, rejection_id: int | None) -> None:
        """Make a drafted next goal active, on the plan of the debrief it follows."""
        ...

    async def finish_goal(self, goal_id: int, progress: int | None, status: str = "done") -> bool:
        """Mark an active goal done; False if it was not active."""
        ...

    async def count_not_yet(self, goal_id: int) -> int:
        """Count one more "not yet" on a goal; the new count."""
        ...


class GroupRepository(Protocol):
    """Groups coached, their members' consent, wins, and their weekly posts."""

    async def get(self, chat_id: int) -> Group | None:
        """A group by chat id."""
        ...

    async def register(
        self, chat_id: int, title: str, kind: str, language: str = ...
    ) -> tuple[Group, bool]:
        """Create the group (speaking `language`) or refresh its title and kind; it, and
        whether it was new."""
        ...

    async def language_of(self, chat_id: int) -> str | None:
        """The group's language, or None for a chat that is not a registered group."""
        ...

    async def set_active(self, chat_id: int, active: bool) -> bool:
        """Stop or resume a group; True if that changed it."""
        ...

    async def update(self, chat_id: int, **fields: object) -> None:
        """Change settings."""
        ...

    async def migrate(self, old: int, new: int) -> bool:
        """The group `old` became the supergroup `new`; True if anything moved."""
        ...

    async def missing_posts(self) -> list[int]:
        """Active groups lacking a pending weekly post they should have."""
        ...

    async def join(self, chat_id: int, user_id: int, sharing: Sharing) -> None:
        """Record (or change) a member's consent."""
        ...

    async def membership(self, chat_id: int, user_id: int) -> Membership | None:
        """A member's consent in a group, or None."""
        ...

    async def leave(self, chat_id: int, user_id: int) -> bool:
        """Undo /join (the wins shared there go too); True if a member."""
        ...

    async def add_win(self, chat_id: int, user_id: int, text: str, anonymous: bool) -> int:
        """Store a shared win; its id."""
        ...

    async def is_checkin_post(self, chat_id: int, message_id: int) -> bool:
        """Whether a message of the group is one of its weekly check-in posts."""
        ...

    async def member_weeks(
        self, chat_id: int, since: datetime, until: datetime
    ) -> list[MemberWeek]:
        """The week of each member who agreed to share: counts only, never words."""
        ...

    async def wins_between(self, chat_id: int, since: datetime, until: datetime) -> list[WinRecord]:
        """The wins sharing members posted in the group in [since, until)."""
        ...

    async def pending_posts(self, chat_id: int) -> list[CheckIn]:
        """The group's pending weekly posts, soonest first."""
        ...

    async def schedule(self, posts: Sequence[GroupPost]) -> None:
        """Schedule weekly posts; a kind that already has a pending one is skipped."""
        ...

    async def cancel_pending(self, chat_id: int, kinds: Iterable[Kind] = ...) -> int:
        """Cancel a group's pending posts of `kinds` (default: every group kind); how many."""
        ...


class ClearedButtons(Protocol):
    """Messages whose buttons a press took away (so a second press is a double tap)."""

    async def remember(self, chat_id: int, message_id: int, user_id: int, update_id: int) -> None:
        """Record that a press (`update_id`) took this message's buttons away."""
        ...

    async def were_cleared(self, chat_id: int, message_id: int, update_id: int) -> bool:
        """Whether another press than `update_id` took this message's buttons away."""
        ...


class InboxRepository(Protocol):
    """Updates stored the moment they are fetched, until handled, and the polling offset."""

    async def watermark(self) -> int | None:
        """The newest update_id ever stored, or None on a fresh database."""
        ...

    async def resume_offset(self) -> int | None:
        """Where polling goes on after a restart, or None: from whatever Telegram holds."""
        ...

    async def store(self, batch: Sequence[Incoming]) -> None:
        """Keep a fetched batch (idempotent): its newest row is the watermark from then on."""
        ...

    async def unfinished(self) -> list[Stored]:
        """What was stored but not handled before the last stop, oldest first."""
        ...

    async def done(self, update_id: int) -> None:
        """The update was handled: empty its row (the words in it, whose it was)."""
        ...

    async def receive(self, update: Incoming) -> None:
        """Keep one update that arrived by webhook (idempotent on update_id)."""
        ...

    async def done_remembered(self, update_id: int) -> None:
        """Remove the row and remember for a day that the update was handled (webhook mode)."""
        ...

    async def forget_handled(self) -> int:
        """Forget the handled updates older than a day; how many."""
        ...

    async def heads(self, limit: int, held: Sequence[int] = ()) -> list[Stored]:
        """The oldest waiting update of each chat but the `held` ones, oldest first."""
        ...

    async def head_of(self, chat_key: int) -> Stored | None:
        """The oldest update waiting in one chat."""
        ...

    async def depth(self) -> InboxDepth:
        """How many updates wait, and when the oldest arrived."""
        ...


class WorkerRepository(Protocol):
    """The worker processes alive on this database: heartbeats (webhook mode, docs/deploy.md)."""

    async def beat(self, worker_id: str) -> int:
        """Record that `worker_id` is alive; return how many workers are (this one included)."""
        ...

    async def forget(self, worker_id: str) -> None:
        """`worker_id` stopped cleanly: the others' shares grow at their next heartbeat."""
        ...


class ProgressRepository(Protocol):
    """Read-only views for /progress and /history."""

    async def journey(self, user_id: int, tz: tzinfo) -> Journey:
        """Every rejection logged, every mood, every goal set (not drafts); oldest first."""
        ...

    async def history(self, user_id: int, limit: int) -> tuple[list[Rejection], int]:
        """The user's newest `limit` debriefs (newest first) and how many there are in all."""
        ...


class PrivacyRepository(Protocol):
    """Everything stored about one person: exported, or erased (/export, /delete, the CLI)."""

    async def export(self, user_id: int, now: datetime) -> dict[str, Any]:
        """Every row about the user, table by table, as one JSON-ready document
        (bot.storage.privacy: `row_count`, `export_json`)."""
        ...

    async def delete(self, user_id: int) -> dict[str, int]:
        """Erase everything about the user, all or nothing; rows erased per table (non-zero)."""
        ...


class StatsRepository(Protocol):
    """The operator's view of the whole database: counts only, no one's data."""

    async def aggregate_counts(self) -> dict[str, int]:
        """How much the bot is used, by name, as counts only."""
        ...

    async def checkins_pending(self) -> int:
        """Check-ins and group posts waiting to be sent."""
        ...

    async def checkins_due(self, now: datetime) -> int:
        """Check-ins and group posts due by `now` and not sent yet: the backlog."""
        ...


class ConversationStateRepository(Protocol):
    """Which step each conversation is on, per flow (read for each update by the router).

    States are kept as the caller's JSON text; keys are stored so that the privacy export and
    erasure find a user's conversations by their id.
    """

    async def states_of(self, key: ConversationKey) -> dict[str, str]:
        """The states of every conversation at `key` (a chat and a person): name -> state."""
        ...

    async def save(self, name: str, key: ConversationKey, state: str) -> None:
        """Store (insert or replace) one conversation's state (JSON text)."""
        ...

    async def forget(self, name: str, key: ConversationKey) -> None:
        """Drop one conversation's state (the conversation ended)."""
        ...


class OutcomeRepository(Protocol):
    """What happened next: applied again, an interview, an offer."""

    async def record(
        self, user_id: int, kind: Outcome, event_on: date | None, update_id: int | None
    ) -> Recorded:
        """Store an outcome and move the person's active goals on, in one transaction; the
        same update recorded again changes nothing."""
        ...

    async def of_user(self, user_id: int) -> list[OutcomeRecord]:
        """Every outcome the person recorded, oldest first."""
        ...

    async def interview_on(self, user_id: int, day: date) -> OutcomeRecord | None:
        """The newest interview the person recorded for local `day`."""
        ...


@dataclass(frozen=True)
class Repositories:
    """One backend's repositories, as the services hold them (see bot/storage/sql.py)."""

    users: UserRepository
    debriefs: DebriefRepository
    checkins: CheckinRepository
    # The group posts' side of `check_ins`, for the group dispatcher.
    group_queue: CheckinRepository
    groups: GroupRepository
    buttons: ClearedButtons
    inbox: InboxRepository
    progress: ProgressRepository
    privacy: PrivacyRepository
    stats: StatsRepository
    conversation_states: ConversationStateRepository
    outcomes: OutcomeRepository
    workers: WorkerRepository
