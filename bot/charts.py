"""The /progress chart: a small PNG of a user's journey, drawn with matplotlib's Agg backend.

Blocking and CPU-bound: call `draw_progress` through `asyncio.to_thread`. Only numbers, dates
and our own labels are drawn (never a user's words), so every glyph is in the bundled font.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from coaching.model import Stage
from coaching.patterns import Journey, tally_goals

WIDTH_PX = 800
HEIGHT_PX = 500
DPI = 100

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
GOAL_COLOURS = ("#BBBBBB", "#009E73", "#D55E00")

# matplotlib keeps global state (font cache, rcParams): one drawing at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartText:
    """The chart's words, from prompts/labels.toml [progress]."""

    rejections: str
    mood: str
    goals: str
    stages: dict[Stage | None, str]
    at_debrief: str
    at_checkin: str
    goals_set: str
    goals_met: str
    goals_missed: str
    nothing_yet: str


def draw_progress(journey: Journey, text: ChartText, today: date) -> bytes:
    """The journey as a PNG: rejections over time by stage, mood over time, goals met vs set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _DRAWING:
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        grid = figure.add_gridspec(2, 3)
        rejections = figure.add_subplot(grid[0, :2])
        moods = figure.add_subplot(grid[1, :2], sharex=rejections)
        goals = figure.add_subplot(grid[:, 2])
        _draw_rejections(rejections, journey, text, today)
        _draw_moods(moods, journey, text)
        _draw_goals(goals, journey, text, today)
        start, end = _time_span(journey, today)
        moods.set_xlim(mdates.date2num(start), mdates.date2num(end))  # type: ignore[no-untyped-call]
        locator = mdates.AutoDateLocator(minticks=2, maxticks=6)  # type: ignore[no-untyped-call]
        moods.xaxis.set_major_locator(locator)
        moods.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
        rejections.tick_params(labelbottom=False)
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


def _draw_rejections(ax: Any, journey: Journey, text: ChartText, today: date) -> None:
    ax.set_title(text.rejections, loc="left", fontsize=11)
    debriefs = journey.debriefs
    days = [d.rejected_on for d in debriefs]
    totals = list(accumulate(1 for _ in debriefs))
    if days:
        # The line runs on to today: the count stands until the next rejection.
        line_days = [*days, max(today, days[-1])]
        line = [*totals, totals[-1]]
        ax.step(line_days, line, where="post", color="#555555", linewidth=1.2, zorder=1)
    for stage, name in text.stages.items():
        points = [(day, n) for day, n, d in zip(days, totals, debriefs, strict=True)
                  if d.stage == stage]  # fmt: skip
        if points:
            xs, ys = zip(*points, strict=True)
            ax.scatter(xs, ys, s=46, color=STAGE_COLOURS[stage], label=name, zorder=2)
    ax.set_ylim(0, max(totals, default=0) + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", alpha=0.3)
    if debriefs:
        ax.legend(loc="upper left", fontsize=8, frameon=False)


def _draw_moods(ax: Any, journey: Journey, text: ChartText) -> None:
    ax.set_title(text.mood, loc="left", fontsize=11)
    ax.set_ylim(0.5, 5.5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.grid(axis="y", alpha=0.3)
    points = journey.moods
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


def _draw_goals(ax: Any, journey: Journey, text: ChartText, today: date) -> None:
    ax.set_title(text.goals, loc="left", fontsize=11)
    tally = tally_goals(journey.goals, today)
    names = [text.goals_set, text.goals_met, text.goals_missed]
    values = [tally.set, tally.met, tally.missed]
    bars = ax.bar(names, values, color=GOAL_COLOURS)
    ax.bar_label(bars, fontsize=10)
    ax.set_ylim(0, max(values) + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
