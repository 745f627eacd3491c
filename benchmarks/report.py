"""The results table (Markdown) and the targets of issue 8, from the results JSON."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str, str, str]


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _check(ok: bool) -> str:
    return "✅" if ok else "❌"


def targets(results: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each target of the issue, and whether these results meet it."""
    found: list[tuple[str, bool]] = []
    conv = results.get("conversation")
    if conv:
        ratios = conv["ratios"]
        found += [
            ("bot CPU per update ≤ 2× the floor", ratios["cpu_per_update_vs_floor"] <= 2),
            ("throughput ≥ 0.6× the floor", ratios["throughput_vs_floor"] >= 0.6),
            ("p99 latency < 50 ms (paced load)", conv["paced"]["comeback"]["latency_ms_p99"] < 50),
            ("each user's replies in order", not conv["errors"]),
        ]
    fan = results.get("fanout")
    if fan:
        found += [
            (
                "fan-out ≥ 1,000 check-ins/s (limiter off)",
                fan["limiter_off"]["checkins_per_s"] >= 1000,
            ),
            ("limiter on: ≤ 30 sends in any 1 s", fan["limiter_on"]["max_sends_in_any_1s"] <= 30),
            (
                "every check-in sent exactly once",
                fan["limiter_off"]["sent_exactly_once"] and fan["limiter_on"]["sent_exactly_once"],
            ),
        ]
    rest = results.get("atrest")
    if rest:
        found += [
            ("start-to-ready < 3 s (100k users)", rest["large"]["start_to_ready_s"] < 3),
            ("RSS < 150 MB (100k users)", rest["large"]["rss_mb"] < 150),
            ("RSS growth 1k → 100k users < 50 MB", rest["rss_growth_mb"] < 50),
        ]
    flood = results.get("flood")
    if flood:
        found += [
            ("flood: other users' p99 < 1 s", flood["latency_ms_p99"] < 1000),
            (
                "flood: one slow-down notice, the crisis line answered, no errors",
                flood["slow_down_notices"] == 1
                and flood["crisis_answered"]
                and not flood["errors"],
            ),
        ]
    return found


def rows(results: dict[str, Any]) -> list[Row]:
    """(benchmark, metric, Comeback, floor, target) rows."""
    out: list[Row] = []
    conv = results.get("conversation")
    if conv:
        c, f, r = conv["comeback"], conv["floor"], conv["ratios"]
        pc, pf = conv["paced"]["comeback"], conv["paced"]["floor"]
        title = (
            f"conversation: {conv['users']:,} users, {conv['concurrency']} at a time, limiter off"
        )
        out += [
            (
                title,
                "updates/s",
                _fmt(c["updates_per_s"]),
                _fmt(f["updates_per_s"]),
                f"{_fmt(r['throughput_vs_floor'])}× floor (≥ 0.6)",
            ),
            (
                "",
                "bot CPU s / 1,000 updates",
                _fmt(c["bot_cpu_s_per_1000_updates"]),
                _fmt(f["bot_cpu_s_per_1000_updates"]),
                f"{_fmt(r['cpu_per_update_vs_floor'])}× floor (≤ 2)",
            ),
            (
                "",
                "latency p50 / p95 / p99 ms (saturated)",
                f"{_fmt(c['latency_ms_p50'])} / {_fmt(c['latency_ms_p95'])} / "
                f"{_fmt(c['latency_ms_p99'])}",
                f"{_fmt(f['latency_ms_p50'])} / {_fmt(f['latency_ms_p95'])} / "
                f"{_fmt(f['latency_ms_p99'])}",
                "queueing: see README",
            ),
            (
                "",
                f"latency p50 / p95 / p99 ms ({conv['paced']['users']} users, "
                f"{conv['paced']['think_s'][0]:g}-{conv['paced']['think_s'][1]:g} s think, "
                f"{_fmt(pc['updates_per_s'])} updates/s)",
                f"{_fmt(pc['latency_ms_p50'])} / {_fmt(pc['latency_ms_p95'])} / "
                f"{_fmt(pc['latency_ms_p99'])}",
                f"{_fmt(pf['latency_ms_p50'])} / {_fmt(pf['latency_ms_p95'])} / "
                f"{_fmt(pf['latency_ms_p99'])}",
                "p99 < 50",
            ),
            ("", "bot peak RSS MB", _fmt(c["bot_peak_rss_mb"]), _fmt(f["bot_peak_rss_mb"]), ""),
            (
                "",
                "replies out of order / missing",
                _fmt(c["order_errors"]),
                _fmt(f["order_errors"]),
                "0",
            ),
        ]
    fan = results.get("fanout")
    if fan:
        off, base, on = fan["limiter_off"], fan["floor"], fan["limiter_on"]
        out += [
            (
                f"fan-out: {off['users']:,} check-ins due in one minute, limiter off",
                "check-ins handed to the Bot API /s",
                _fmt(off["checkins_per_s"]),
                _fmt(base["checkins_per_s"]),
                f"≥ 1,000 ({_fmt(fan['throughput_vs_floor'])}× floor)",
            ),
            (
                "",
                "bot CPU ms / check-in",
                _fmt(off["bot_cpu_ms_per_checkin"]),
                _fmt(base["bot_cpu_ms_per_checkin"]),
                "",
            ),
            ("", "all sent exactly once", _fmt(off["sent_exactly_once"]), "", "yes"),
            (
                "",
                "bot peak RSS MB",
                _fmt(off["bot_peak_rss_mb"]),
                _fmt(base["bot_peak_rss_mb"]),
                "",
            ),
            (
                f"fan-out: {on['users']:,} check-ins, limiter on",
                "most sends in any 1 s",
                _fmt(on["max_sends_in_any_1s"]),
                "",
                "≤ 30",
            ),
            (
                "",
                "first to last send s",
                _fmt(on["send_span_s"]),
                "",
                f"≈ {_fmt((on['users'] - 1) // 30 * 1.05)} (30 per 1.05 s window)",
            ),
            ("", "all sent exactly once", _fmt(on["sent_exactly_once"]), "", "yes"),
        ]
    rest = results.get("atrest")
    if rest:
        small, large = rest["small"], rest["large"]
        out += [
            (
                f"at rest: {large['users']:,} users, {large['pending_checkins']:,} pending "
                f"check-ins, {large['conversations_in_progress']:,} mid-debrief",
                "start-to-ready s (start → first getUpdates)",
                _fmt(large["start_to_ready_s"]),
                "",
                "< 3",
            ),
            ("", "RSS MB", _fmt(large["rss_mb"]), "", "< 150"),
            (
                "",
                f"RSS growth from {small['users']:,} users MB",
                _fmt(rest["rss_growth_mb"]),
                "",
                "< 50",
            ),
        ]
    flood = results.get("flood")
    if flood:
        out += [
            (
                f"flood: {flood['flood_messages']:,} messages from one chat and "
                f"{flood['group_commands']:,} /help in one group, while {flood['users']} users "
                f"debrief ({flood['think_s'][0]:g}-{flood['think_s'][1]:g} s think), limiter on",
                "other users' latency p50 / p95 / p99 / max ms",
                f"{_fmt(flood['latency_ms_p50'])} / {_fmt(flood['latency_ms_p95'])} / "
                f"{_fmt(flood['latency_ms_p99'])} / {_fmt(flood['latency_ms_max'])}",
                "",
                "p99 < 1,000",
            ),
            (
                "",
                f"the same, {flood['flood_window_steps']} steps queued while the flood was "
                f"worked off ({_fmt(flood['flood_worked_off_s'])} s): p99 / max ms",
                f"{_fmt(flood['flood_window_latency_ms_p99'])} / "
                f"{_fmt(flood['flood_window_latency_ms_max'])}",
                "",
                "",
            ),
            (
                "",
                "probe /help every 0.5 s: p99 / max ms",
                f"{_fmt(flood['probe_ms_p99'])} / {_fmt(flood['probe_ms_max'])}",
                "",
                "",
            ),
            (
                "",
                "flood: replies / slow-down notices / crisis line answered",
                f"{flood['flood_replies']} / {flood['slow_down_notices']} / "
                f"{_fmt(flood['crisis_answered'])}",
                "",
                "- / 1 / yes",
            ),
            ("", "group /help replies", _fmt(flood["group_replies"]), "", "3 a minute"),
            ("", "bot peak RSS MB", _fmt(flood["bot_peak_rss_mb"]), "", ""),
        ]
    return out


def table(results: dict[str, Any]) -> str:
    """The Markdown table, the machine line and the targets."""
    m = results.get("machine", {})
    lines = [
        f"Machine: {m.get('nproc')} CPUs, {m.get('cpu')}, Python {m.get('python')}; "
        f"size {results.get('size')}; `{results.get('command')}`",
        "",
        "| benchmark | metric | Comeback | PTB floor | target |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    lines += [f"| {' | '.join(row)} |" for row in rows(results)]
    lines.append("")
    lines += [f"- {_check(ok)} {name}" for name, ok in targets(results)]
    return "\n".join(lines)
