"""Patterns across rejections: a pure function over plain data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from coaching.model import Gap, Stage
from coaching.patterns import (
    GAP_RESOURCES,
    MIN_DEBRIEFS,
    SMALLER_GOALS_RESOURCE,
    STAGE_RESOURCES,
    DebriefFact,
    FeedbackOutcome,
    GoalFact,
    Journey,
    MoodPoint,
    Pattern,
    PatternKind,
    find_patterns,
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


def goal(
    days_ago: int, *, done: bool = False, deadline_in: int = 7, abandoned: bool = False
) -> GoalFact:
    set_on = TODAY - timedelta(days=days_ago)
    return GoalFact(set_on, set_on + timedelta(days=deadline_in), done, abandoned)


def kinds(journey: Journey) -> dict[PatternKind, Pattern]:
    return {p.kind: p for p in find_patterns(journey, TODAY)}


def test_no_patterns_before_three_debriefs() -> None:
    two = Journey(debriefs=(debrief(Stage.TECHNICAL),) * 2, goals=(goal(3, done=True),))
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


def test_goal_tally_and_streak() -> None:
    goals = (
        goal(40, done=False, deadline_in=7),  # deadline passed, not done: missed
        goal(30, done=True),
        goal(20, done=True),
        goal(2, done=False, deadline_in=7),  # still open: neither breaks nor extends the run
        goal(10, done=True),
    )
    tally = tally_goals(goals, TODAY)
    assert (tally.set, tally.met, tally.missed, tally.streak) == (5, 3, 1, 3)
    assert tally_goals((goal(9, done=True), goal(5, abandoned=True)), TODAY).streak == 0
    assert tally_goals((), TODAY).set == 0


def test_goal_pattern_advice() -> None:
    three = (debrief(),) * 3

    def streak(*goals: GoalFact) -> tuple[int, int, int, str | None, str | None]:
        found = kinds(Journey(debriefs=three, goals=goals))
        pattern = found[PatternKind.GOAL_STREAK]
        return pattern.count, pattern.total, pattern.streak, pattern.advice, pattern.resource_id

    assert streak(goal(20, done=True), goal(9, done=True)) == (2, 2, 2, "raise_the_bar", None)
    assert streak(goal(20, done=True), goal(9, abandoned=True)) == (
        1, 2, 0, "go_smaller", SMALLER_GOALS_RESOURCE,
    )  # fmt: skip
    assert streak(goal(1)) == (0, 1, 0, "keep_going", None)
    assert PatternKind.GOAL_STREAK not in kinds(Journey(debriefs=three))


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
    done=st.booleans(),
    abandoned=st.booleans(),
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
