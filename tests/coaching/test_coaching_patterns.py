"""Patterns across rejections, goals as they stand, and the momentum headline: pure functions
over plain data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from coaching.model import Gap, GoalKind, Stage
from coaching.outcomes import Outcome
from coaching.patterns import (
    GAP_RESOURCES,
    MIN_DEBRIEFS,
    MOMENTUM_DAYS,
    SMALLER_GOALS_RESOURCE,
    STAGE_RESOURCES,
    DebriefFact,
    FeedbackOutcome,
    GoalFact,
    GoalState,
    GoalStatus,
    Journey,
    Momentum,
    MoodPoint,
    OutcomeFact,
    Pattern,
    PatternKind,
    Praise,
    applications_sent,
    find_patterns,
    momentum,
    tally_goals,
)
from coaching.resources import get_resource

TODAY = date(2026, 11, 27)
SENT, REPLIED, NOT_SENT = FeedbackOutcome.SENT, FeedbackOutcome.REPLIED, FeedbackOutcome.NOT_SENT


def debrief(
    stage: Stage | None = None,
    gaps: tuple[Gap, ...] = (),
    feedback: FeedbackOutcome = NOT_SENT,
    days_ago: int = 1,
) -> DebriefFact:
    return DebriefFact(TODAY - timedelta(days=days_ago), stage, gaps, feedback)


ACTIVE, DONE, ABANDONED, REPLACED = (
    GoalStatus.ACTIVE, GoalStatus.DONE, GoalStatus.ABANDONED, GoalStatus.REPLACED,
)  # fmt: skip


def goal(
    days_ago: int,
    status: GoalStatus = ACTIVE,
    *,
    progress: int = 0,
    target: int | None = 5,
    deadline_in: int = 7,
    ended_days_ago: int | None = None,
    kind: GoalKind = GoalKind.MOCK_INTERVIEWS,
    goal_id: int | None = None,
) -> GoalFact:
    set_on = TODAY - timedelta(days=days_ago)
    if status is DONE and target is not None and progress == 0:
        progress = target  # "done" in full unless a count is given
    ended = None if ended_days_ago is None else TODAY - timedelta(days=ended_days_ago)
    return GoalFact(
        set_on, set_on + timedelta(days=deadline_in), status, progress, target, kind,
        ended_on=ended, goal_id=goal_id,
    )  # fmt: skip


def outcome(kind: Outcome, days_ago: int, goal_id: int | None = None) -> OutcomeFact:
    return OutcomeFact(kind, TODAY - timedelta(days=days_ago), goal_id)


def kinds(journey: Journey) -> dict[PatternKind, Pattern]:
    return {p.kind: p for p in find_patterns(journey, TODAY)}


def test_no_patterns_before_three_debriefs() -> None:
    two = Journey(debriefs=(debrief(Stage.TECHNICAL),) * 2, goals=(goal(3, DONE),))
    assert MIN_DEBRIEFS == 3
    assert find_patterns(two, TODAY) == []
    assert find_patterns(Journey(), TODAY) == []


def test_the_stage_where_rejections_cluster() -> None:
    journey = Journey(
        debriefs=(
            debrief(Stage.TECHNICAL),
            debrief(Stage.TECHNICAL),
            debrief(Stage.ONSITE),
            debrief(Stage.TECHNICAL),
            debrief(Stage.TECHNICAL),
        )
    )
    cluster = find_patterns(journey, TODAY)[0]
    assert cluster.kind is PatternKind.STAGE_CLUSTER
    assert (cluster.stage, cluster.count, cluster.total) == (Stage.TECHNICAL, 4, 5)
    assert cluster.resource_id == "timed_practice_problem"


def test_no_cluster_on_a_tie_a_minority_or_without_stages() -> None:
    tie = (debrief(Stage.TECHNICAL),) * 2 + (debrief(Stage.ONSITE),) * 2
    minority = (
        debrief(Stage.TECHNICAL),
        debrief(Stage.TECHNICAL),
        debrief(Stage.ONSITE),
        debrief(Stage.OFFER),
        debrief(Stage.APPLICATION),
    )
    spread = (debrief(Stage.TECHNICAL), debrief(Stage.ONSITE), debrief(Stage.OFFER))
    unknown = (debrief(None),) * 4
    for debriefs in (tie, minority, spread, unknown):
        assert PatternKind.STAGE_CLUSTER not in kinds(Journey(debriefs=debriefs))


def test_stages_not_given_do_not_count_towards_the_total() -> None:
    journey = Journey(debriefs=(debrief(Stage.ONSITE), debrief(Stage.ONSITE), debrief(None)))
    cluster = find_patterns(journey, TODAY)[0]
    assert (cluster.stage, cluster.count, cluster.total) == (Stage.ONSITE, 2, 2)


def test_the_gaps_named_most_often() -> None:
    journey = Journey(
        debriefs=(
            debrief(gaps=(Gap.INTERVIEWING, Gap.TECHNICAL)),
            debrief(gaps=(Gap.TECHNICAL, Gap.TECHNICAL)),  # a gap counts once per debrief
            debrief(gaps=(Gap.INTERVIEWING, Gap.PORTFOLIO, Gap.TECHNICAL)),
            debrief(gaps=(Gap.PORTFOLIO,)),
            debrief(gaps=(Gap.THEORY,)),
        )
    )
    pattern = kinds(journey)[PatternKind.TOP_GAPS]
    # Technical 3; interviewing and portfolio tie on 2: the Gap order decides; at most two.
    assert pattern.gaps == (Gap.TECHNICAL, Gap.INTERVIEWING)
    assert pattern.gap_counts == (3, 2)
    assert pattern.total == 5
    assert pattern.resource_id == "timed_practice_problem"


def test_a_gap_named_once_is_not_a_pattern() -> None:
    journey = Journey(debriefs=(debrief(gaps=(Gap.THEORY,)), debrief(), debrief()))
    assert PatternKind.TOP_GAPS not in kinds(journey)


def test_the_same_resource_is_never_suggested_twice() -> None:
    journey = Journey(debriefs=(debrief(Stage.TECHNICAL, (Gap.TECHNICAL,)),) * 3)
    cluster, gaps, *_ = find_patterns(journey, TODAY)
    assert cluster.resource_id == "timed_practice_problem"
    assert gaps.resource_id == "cracking_the_coding_interview"


def test_feedback_requests_sent_and_replies() -> None:
    def feedback(*outcomes: FeedbackOutcome) -> tuple[int, int, str | None]:
        found = find_patterns(Journey(debriefs=tuple(debrief(feedback=o) for o in outcomes)), TODAY)
        pattern = next(p for p in found if p.kind is PatternKind.FEEDBACK)
        assert pattern.total == len(outcomes)
        return pattern.count, pattern.replies, pattern.advice

    assert feedback(NOT_SENT, NOT_SENT, NOT_SENT) == (0, 0, "ask_next_time")
    assert feedback(SENT, REPLIED, NOT_SENT, SENT) == (3, 1, "follow_up")
    assert feedback(REPLIED, REPLIED, NOT_SENT) == (2, 2, "use_replies")


def test_where_a_goal_stands() -> None:
    def state(fact: GoalFact) -> tuple[GoalState, float]:
        return fact.state(TODAY), round(fact.fraction, 2)

    assert state(goal(3, progress=2)) == (GoalState.IN_PROGRESS, 0.4)  # 2 of 5 so far
    # Past its deadline and still active: waiting for the person's word, never "missed".
    assert state(goal(10, progress=2)) == (GoalState.PAST_DEADLINE, 0.4)
    assert state(goal(10, DONE)) == (GoalState.DONE, 1.0)
    assert state(goal(10, DONE, progress=7)) == (GoalState.DONE, 1.0)  # more than the target
    assert state(goal(10, DONE, progress=3)) == (GoalState.PARTLY_DONE, 0.6)  # 3 of 5
    assert state(goal(10, ABANDONED, progress=1)) == (GoalState.CLOSED, 0.2)
    assert state(goal(10, REPLACED)) == (GoalState.REPLACED, 0.0)
    # A custom goal has no count: done, or not yet.
    assert state(goal(3, target=None, kind=GoalKind.CUSTOM)) == (GoalState.IN_PROGRESS, 0.0)
    assert state(goal(3, DONE, target=None, kind=GoalKind.CUSTOM)) == (GoalState.DONE, 1.0)
    # The deadline day itself is still in time.
    assert goal(7, progress=1).state(TODAY) is GoalState.IN_PROGRESS


def test_goal_tally_counts_each_state_and_leaves_replaced_out() -> None:
    goals = (
        goal(40, DONE),
        goal(30, DONE, progress=3),  # partly done, 3 of 5
        goal(25, ABANDONED),
        goal(20, REPLACED),  # replaced by the next one: not counted
        goal(18, progress=2),  # past its deadline
        goal(2, progress=1),  # in progress
    )
    tally = tally_goals(goals, TODAY)
    assert (tally.set, tally.done, tally.partly) == (5, 1, ((3, 5),))
    assert (tally.in_progress, tally.past_deadline, tally.closed) == (1, 1, 1)
    assert (tally.decided, tally.streak) == (3, 0)  # the latest that ended was closed
    assert tally_goals((), TODAY).set == 0


def test_the_streak_counts_goals_done_in_full() -> None:
    def streak(*goals: GoalFact) -> int:
        return tally_goals(goals, TODAY).streak

    # Open goals (in progress, past their deadline) neither break nor extend it.
    assert streak(goal(30, DONE), goal(20, DONE), goal(12), goal(1)) == 2
    assert streak(goal(30, DONE), goal(20, DONE, progress=4)) == 0  # partly done ends it
    assert streak(goal(30, ABANDONED), goal(20, DONE)) == 1
    assert streak(goal(20, DONE), goal(10, REPLACED)) == 1  # replaced: left out
    assert streak(goal(1), goal(2)) == 0


def test_goal_pattern_advice() -> None:
    three = (debrief(),) * 3

    def advice(*goals: GoalFact) -> tuple[int, int, int, str | None, str | None]:
        pattern = kinds(Journey(debriefs=three, goals=goals))[PatternKind.GOAL_STREAK]
        assert pattern.goals == tally_goals(goals, TODAY)
        return pattern.count, pattern.total, pattern.streak, pattern.advice, pattern.resource_id

    assert advice(goal(20, DONE), goal(9, DONE)) == (2, 2, 2, "raise_the_bar", None)
    # One done and two still open (the case): no "on a roll", a plain true line.
    assert advice(goal(20, DONE), goal(2), goal(1)) == (1, 3, 1, "build_on_it", None)
    assert advice(goal(20, DONE), goal(9, ABANDONED)) == (
        1, 2, 0, "go_smaller", SMALLER_GOALS_RESOURCE,
    )  # fmt: skip
    assert advice(goal(20, DONE, progress=2))[3] == "go_smaller"
    assert advice(goal(10)) == (0, 1, 0, "tell_me", None)  # past its deadline
    assert advice(goal(1)) == (0, 1, 0, "keep_going", None)
    assert PatternKind.GOAL_STREAK not in kinds(Journey(debriefs=three))
    assert PatternKind.GOAL_STREAK not in kinds(Journey(debriefs=three, goals=(goal(5, REPLACED),)))


def test_applications_are_never_counted_twice() -> None:
    apply = GoalKind.APPLY
    journey = Journey(
        goals=(
            # 3 applications, 2 of them also recorded as outcomes linked to the goal.
            goal(10, progress=3, kind=apply, goal_id=1),
            # Replaced: its count is left to the goal that replaced it.
            goal(12, REPLACED, progress=2, kind=apply, goal_id=2),
            # Not an apply goal: its count is mock interviews.
            goal(5, progress=4, goal_id=3),
        ),
        outcomes=(
            outcome(Outcome.APPLIED, 9, goal_id=1),
            outcome(Outcome.APPLIED, 8, goal_id=1),
            outcome(Outcome.APPLIED, 7, goal_id=2),  # the replaced goal's: counts once
            outcome(Outcome.APPLIED, 1),
            outcome(Outcome.INTERVIEW, 1, goal_id=1),
        ),
    )
    assert applications_sent(journey) == 3 + 1 + 1
    # More records than the goal's count (recorded, then the goal changed): the records win.
    more = Journey(
        goals=(goal(10, progress=1, kind=apply, goal_id=1),),
        outcomes=(outcome(Outcome.APPLIED, 9, 1), outcome(Outcome.APPLIED, 8, 1)),
    )
    assert applications_sent(more) == 2
    # In a window: a goal's count counts when it was set or ended inside it.
    old = Journey(
        goals=(goal(60, DONE, kind=apply, ended_days_ago=50, goal_id=1),),
        outcomes=(outcome(Outcome.APPLIED, 55, 1), outcome(Outcome.APPLIED, 3)),
    )
    assert applications_sent(old) == 5 + 1
    assert applications_sent(old, since=TODAY - timedelta(days=29)) == 1


def test_momentum_of_the_last_days() -> None:
    def mood(days_ago: int, score: int) -> MoodPoint:
        return MoodPoint(datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(),
                                          UTC), score, "checkin")  # fmt: skip

    journey = Journey(
        debriefs=(
            DebriefFact(TODAY - timedelta(days=20), None, (), SENT, TODAY - timedelta(days=19)),
            DebriefFact(TODAY - timedelta(days=60), None, (), REPLIED, TODAY - timedelta(days=59)),
            DebriefFact(TODAY - timedelta(days=5), None, (), NOT_SENT),
        ),
        moods=(mood(40, 1), mood(20, 2), mood(3, 4)),
        goals=(
            goal(25, DONE, ended_days_ago=10),
            goal(25, DONE, progress=2, ended_days_ago=4),
            goal(70, DONE, ended_days_ago=60),
            goal(20, ABANDONED, ended_days_ago=3),
            goal(2, progress=1),
        ),
        outcomes=(
            outcome(Outcome.INTERVIEW, 2),
            outcome(Outcome.INTERVIEW, 45),
            outcome(Outcome.OFFER, 0),
            outcome(Outcome.APPLIED, MOMENTUM_DAYS - 1),  # the window's first day
            outcome(Outcome.APPLIED, MOMENTUM_DAYS),  # the day before it
        ),
    )
    assert momentum(journey, TODAY) == Momentum(
        applications=1, interviews=1, offers=1, goals_done=1, goals_partly=1,
        feedback_asked=1, mood_from=2, mood_to=4,
    )  # fmt: skip
    assert momentum(journey, TODAY, days=None) == Momentum(
        applications=2, interviews=2, offers=1, goals_done=2, goals_partly=1,
        feedback_asked=2, mood_from=1, mood_to=4,
    )  # fmt: skip


def test_praise_only_for_what_happened() -> None:
    assert Momentum().praise is None and not Momentum().anything
    assert Momentum(applications=3, interviews=1, goals_done=1).praise is Praise.INTERVIEW
    assert Momentum(applications=3, goals_partly=1).praise is Praise.APPLIED
    assert Momentum(offers=1, interviews=2).praise is Praise.OFFER
    assert Momentum(goals_partly=1, feedback_asked=1).praise is Praise.GOAL_PARTLY
    assert Momentum(feedback_asked=1).praise is Praise.FEEDBACK_ASKED
    # Mood: only when it rose; the same or lower is no achievement to praise.
    assert Momentum(mood_from=2, mood_to=4).praise is Praise.MOOD_UP
    assert Momentum(mood_from=4, mood_to=2).praise is None
    assert Momentum(mood_from=3, mood_to=3).praise is None
    # Only moods given inside the window count; a single one is no change.
    assert momentum(Journey(moods=(MoodPoint(datetime(2026, 11, 26, tzinfo=UTC), 5,
                                             "checkin"),)), TODAY).mood_to is None  # fmt: skip


def test_every_suggested_resource_is_in_the_catalog_and_fits() -> None:
    for stage in Stage:
        assert get_resource(STAGE_RESOURCES[stage]) is not None, stage
    for gap in Gap:
        for resource_id in GAP_RESOURCES[gap]:
            resource = get_resource(resource_id)
            assert resource is not None, resource_id
            assert gap in resource.gaps, (gap, resource_id)
    assert get_resource(SMALLER_GOALS_RESOURCE) is not None


debriefs = st.builds(
    DebriefFact,
    rejected_on=st.dates(date(2025, 1, 1), TODAY),
    stage=st.none() | st.sampled_from(Stage),
    gaps=st.lists(st.sampled_from(Gap), max_size=4).map(tuple),
    feedback=st.sampled_from(FeedbackOutcome),
)
goals = st.builds(
    GoalFact,
    set_on=st.dates(date(2025, 1, 1), TODAY),
    deadline=st.none() | st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    status=st.sampled_from(GoalStatus),
    progress=st.integers(0, 120),
    target=st.none() | st.integers(1, 100),
    kind=st.none() | st.sampled_from(GoalKind),
    ended_on=st.none() | st.dates(date(2025, 1, 1), TODAY),
    goal_id=st.none() | st.integers(1, 5),
)
outcomes = st.builds(
    OutcomeFact,
    kind=st.sampled_from(Outcome),
    on=st.dates(date(2025, 1, 1), TODAY),
    goal_id=st.none() | st.integers(1, 5),
)


@given(st.lists(debriefs, max_size=12), st.lists(goals, max_size=8))
def test_patterns_are_consistent_for_any_history(
    history: list[DebriefFact], goal_list: list[GoalFact]
) -> None:
    moods = tuple(MoodPoint(datetime(2026, 1, 1, tzinfo=UTC), 3, "checkin") for _ in history)
    journey = Journey(debriefs=tuple(history), moods=moods, goals=tuple(goal_list))
    found = find_patterns(journey, TODAY)
    assert found == find_patterns(journey, TODAY)  # pure
    if len(history) < MIN_DEBRIEFS:
        assert found == []
        return
    assert [p.kind for p in found] == sorted((p.kind for p in found), key=list(PatternKind).index)
    suggested = [p.resource_id for p in found if p.resource_id is not None]
    assert len(suggested) == len(set(suggested))
    for pattern in found:
        assert 0 <= pattern.count <= pattern.total
        assert pattern.replies <= pattern.count
        assert pattern.streak <= pattern.count
        if pattern.resource_id is not None:
            assert get_resource(pattern.resource_id) is not None
        if pattern.kind is PatternKind.STAGE_CLUSTER:
            assert pattern.count * 2 >= pattern.total
        if pattern.kind is PatternKind.TOP_GAPS:
            assert all(n <= len(history) for n in pattern.gap_counts)


@given(st.lists(goals, max_size=8), st.lists(outcomes, max_size=8))
def test_counts_are_honest_for_any_goals_and_outcomes(
    goal_list: list[GoalFact], outcome_list: list[OutcomeFact]
) -> None:
    journey = Journey(goals=tuple(goal_list), outcomes=tuple(outcome_list))
    tally = tally_goals(journey.goals, TODAY)
    shown = [g for g in goal_list if g.status is not REPLACED]
    # Every goal shown is counted once, in exactly one state; replaced ones never.
    assert tally.set == len(shown)
    assert tally.set == tally.decided + tally.in_progress + tally.past_deadline
    assert tally.streak <= tally.done
    assert all(progress < target for progress, target in tally.partly)
    assert all(0.0 <= g.fraction <= 1.0 for g in goal_list)
    recent, overall = momentum(journey, TODAY), momentum(journey, TODAY, days=None)
    # A window never holds more than the whole journey; an application is never counted
    # twice: at most every 'applied' record plus every apply goal's own count.
    for field in ("applications", "interviews", "offers", "goals_done", "goals_partly"):
        assert getattr(recent, field) <= getattr(overall, field), field
    applied = sum(1 for o in outcome_list if o.kind is Outcome.APPLIED)
    counted = sum(g.progress for g in goal_list if g.counts_applications)
    assert overall.applications <= applied + counted
    assert (recent.praise is None) == (not recent.anything)
