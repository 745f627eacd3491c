"""The /progress chart: a small PNG of a user's journey, drawn with matplotlib's Agg backend.

Blocking and CPU-bound: call `draw_progress` through `asyncio.to_thread`. Only numbers, dates
and our own labels are drawn (never a user's words), so every glyph is in the bundled font.

What is drawn comes from `chart_data`, a pure function the tests read: the momentum headline,
how far each debrief got, the moods, and one bar per goal filled to its share done (a goal at
2 of 5 is 40% full, in progress; never "missed").
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from coaching.dates import axis_day
from coaching.model import Stage
from coaching.patterns import GoalFact, GoalState, Journey, Momentum, MoodPoint, momentum

WIDTH_PX = 800
HEIGHT_PX = 500
DPI = 100
# The goals panel shows the latest ones: more would not fit their bars and words.
CHART_GOALS = 6
# The headline wraps at this many characters (two lines fit above the panels).
HEADLINE_WIDTH = 72

# One colour per stage (colour-blind friendly, Okabe-Ito), and one for "stage not given".
STAGE_COLOURS: dict[Stage | None, str] = {
    Stage.APPLICATION: "#56B4E9",
    Stage.PHONE_SCREEN: "#009E73",
    Stage.TECHNICAL: "#E69F00",
    Stage.ONSITE: "#D55E00",
    Stage.OFFER: "#CC79A7",
    None: "#999999",
}
MOOD_COLOUR = "#0072B2"
# The filled part of a goal's bar, by state; the unfilled rest is BAR_BACKGROUND.
GOAL_COLOURS: dict[GoalState, str] = {
    GoalState.DONE: "#009E73",
    GoalState.PARTLY_DONE: "#56B4E9",
    GoalState.IN_PROGRESS: "#0072B2",
    GoalState.PAST_DEADLINE: "#E69F00",
    GoalState.CLOSED: "#999999",
}
BAR_BACKGROUND = "#EEEEEE"

# matplotlib keeps global state (font cache, rcParams): one drawing at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartText:
    """The chart's words: labels from prompts/labels.toml [progress], and the headline rendered
    from prompts/progress/chart_headline.html."""

    headline: str
    debriefs: str
    mood: str
    goals: str
    stages: dict[Stage | None, str]
    at_debrief: str
    at_checkin: str
    goal_words: Callable[[GoalBar], str]  # "2 of 5 so far", "Done"...
    no_goals: str
    nothing_yet: str


@dataclass(frozen=True)
class GoalBar:
    """One goal's bar: how much of it is done (0.0-1.0) and where it stands."""

    set_on: date
    state: GoalState
    fraction: float
    progress: int
    target: int | None


@dataclass(frozen=True)
class ChartData:
    """Everything the chart draws, as plain data."""

    recent: Momentum
    debriefs: tuple[tuple[date, Stage | None], ...]
    moods: tuple[MoodPoint, ...]
    goals: tuple[GoalBar, ...]  # oldest first, the latest CHART_GOALS
    start: datetime
    end: datetime


def goal_bar(goal: GoalFact, today: date) -> GoalBar:
    """A goal as its bar: filled to its share done, whatever its state."""
    return GoalBar(goal.set_on, goal.state(today), goal.fraction, goal.progress, goal.target)


def chart_data(journey: Journey, today: date) -> ChartData:
    """What the chart shows: the last days' momentum (its headline), the debriefs by stage
    reached, the moods, and the latest goals (replaced ones left out) as bars."""
    start, end = _time_span(journey, today)
    return ChartData(
        recent=momentum(journey, today),
        debriefs=tuple((d.rejected_on, d.stage) for d in journey.debriefs),
        moods=journey.moods,
        goals=tuple(goal_bar(g, today) for g in journey.shown_goals()[-CHART_GOALS:]),
        start=start,
        end=end,
    )


def draw_progress(journey: Journey, text: ChartText, today: date) -> bytes:
    """The journey as a PNG: the momentum headline, how far each debrief got, mood over time,
    and each goal's share done."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    def axis_tick(value: float, _position: int | None = None) -> str:
        """A date tick in the person's language ("18 Dec", "18 dic", "18 дек.")."""
        return axis_day(mdates.num2date(value).date())  # type: ignore[no-untyped-call]

    data = chart_data(journey, today)
    with _DRAWING:
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        headline = textwrap.fill(text.headline, HEADLINE_WIDTH, max_lines=2, placeholder=" …")
        figure.suptitle(headline, x=0.01, ha="left", fontsize=12, fontweight="bold")
        grid = figure.add_gridspec(2, 3)
        debriefs = figure.add_subplot(grid[0, :2])
        moods = figure.add_subplot(grid[1, :2], sharex=debriefs)
        goals = figure.add_subplot(grid[:, 2])
        _draw_debriefs(debriefs, data, text)
        _draw_moods(moods, data, text)
        _draw_goals(goals, data, text)
        moods.set_xlim(mdates.date2num(data.start), mdates.date2num(data.end))  # type: ignore[no-untyped-call]
        locator = mdates.AutoDateLocator(minticks=2, maxticks=6)  # type: ignore[no-untyped-call]
        moods.xaxis.set_major_locator(locator)
        moods.xaxis.set_major_formatter(FuncFormatter(axis_tick))
        debriefs.tick_params(labelbottom=False)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _time_span(journey: Journey, today: date) -> tuple[datetime, datetime]:
    """From the first event to today, with a margin (a single day would span years)."""
    moments = [datetime.combine(d.rejected_on, time(12), UTC) for d in journey.debriefs]
    moments += [p.at for p in journey.moods]
    end = max([*moments, datetime.combine(today, time(12), UTC)])
    start = min([*moments, end])
    margin = max(timedelta(days=2), (end - start) * 0.05)
    return start - margin, end + margin


def _draw_debriefs(ax: Any, data: ChartData, text: ChartText) -> None:
    """One dot per debrief at the stage it reached: how far you got, not how many."""
    ax.set_title(text.debriefs, loc="left", fontsize=11)
    levels: dict[Stage | None, int] = {stage: stage.depth + 1 for stage in Stage}
    levels[None] = 0
    for stage, level in levels.items():
        days = [day for day, s in data.debriefs if s == stage]
        if days:
            ax.scatter(days, [level] * len(days), s=46, color=STAGE_COLOURS[stage], zorder=2)
    shown = [s for s in levels if s is not None or any(s is None for _, s in data.debriefs)]
    ax.set_yticks([levels[s] for s in shown], [text.stages[s] for s in shown], fontsize=8)
    ax.set_ylim(min(levels[s] for s in shown) - 0.6, len(Stage) + 0.6)
    ax.grid(axis="y", alpha=0.3)


def _draw_moods(ax: Any, data: ChartData, text: ChartText) -> None:
    ax.set_title(text.mood, loc="left", fontsize=11)
    ax.set_ylim(0.5, 5.5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.grid(axis="y", alpha=0.3)
    points = data.moods
    if not points:
        ax.text(0.5, 0.5, text.nothing_yet, ha="center", va="center", transform=ax.transAxes)
        return
    ax.plot([p.at for p in points], [p.score for p in points], color=MOOD_COLOUR, alpha=0.5)
    for source, marker, label in (
        ("debrief", "o", text.at_debrief),
        ("checkin", "^", text.at_checkin),
    ):
        chosen = [p for p in points if p.source == source]
        if chosen:
            ax.scatter(
                [p.at for p in chosen],
                [p.score for p in chosen],
                marker=marker,
                s=40,
                color=MOOD_COLOUR,
                label=label,
                zorder=2,
            )
    ax.legend(loc="lower left", fontsize=8, frameon=False)


def _draw_goals(ax: Any, data: ChartData, text: ChartText) -> None:
    """A bar per goal, newest at the top, filled to its share done, with its state in words."""
    ax.set_title(text.goals, loc="left", fontsize=11)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    bars = data.goals
    if not bars:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.text(0.5, 0.5, text.no_goals, ha="center", va="center", transform=ax.transAxes)
        return
    rows = list(range(len(bars)))
    ax.barh(rows, [1.0] * len(bars), height=0.6, color=BAR_BACKGROUND)
    ax.barh(
        rows, [b.fraction for b in bars], height=0.6, color=[GOAL_COLOURS[b.state] for b in bars]
    )
    for row, bar in zip(rows, bars, strict=True):
        ax.text(0.03, row + 0.42, text.goal_words(bar), va="bottom", fontsize=8)
    ax.set_yticks(rows, [axis_day(b.set_on) for b in bars], fontsize=8)
    ax.set_ylim(-0.6, len(bars) - 0.1)
