"""The results tables (Markdown) and the targets of issue 8, from the results JSON."""

from __future__ import annotations

from typing import Any

LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Row = tuple[str, ...]  # benchmark, metric, Comeback on each backend..., floor, target


def _backends(part: dict[str, Any]) -> list[str]:
    return list(part.get("backends", ["sqlite"]))


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
    """Each target of the issue, on each backend, and whether these results meet it."""
    found: list[tuple[str, bool]] = []
    conv = results.get("conversation")
    if conv:
        for b in _backends(conv):
            on, ratios = f" ({LABELS[b]})", conv["ratios"][b]
            found += [
                ("bot CPU per update ≤ 2× the floor" + on, ratios["cpu_per_update_vs_floor"] <= 2),
                ("throughput ≥ 0.6× the floor" + on, ratios["throughput_vs_floor"] >= 0.6),
                (
                    "p99 latency < 50 ms (paced load)" + on,
                    conv["paced"]["comeback"][b]["latency_ms_p99"] < 50,
                ),
                (
                    "each user's replies in order" + on,
                    not [e for e in conv["errors"] if e.startswith((f"[{b}]", "[floor]"))],
                ),
            ]
    fan = results.get("fanout")
    if fan:
        for b in _backends(fan):
            on, part = f" ({LABELS[b]})", fan[b]
            found += [
                (
                    "fan-out ≥ 1,000 check-ins/s (limiter off)" + on,
                    part["limiter_off"]["checkins_per_s"] >= 1000,
                ),
                (
                    "limiter on: ≤ 30 sends in any 1 s" + on,
                    part["limiter_on"]["max_sends_in_any_1s"] <= 30,
                ),
                (
                    "every check-in sent exactly once" + on,
                    part["limiter_off"]["sent_exactly_once"]
                    and part["limiter_on"]["sent_exactly_once"],
                ),
            ]
    rest = results.get("atrest")
    if rest:
        for b in _backends(rest):
            on, part = f" ({LABELS[b]})", rest[b]
            large, small = part["large"]["users"], part["small"]["users"]
            # Issue 22's targets: ready in under 1 s, and flat memory (at most 10 MB more at the
            # large size than at the small one; the full size is 1,000,000 people).
            found += [
                (
                    f"start-to-ready < 1 s ({large:,} users)" + on,
                    part["large"]["start_to_ready_s"] < 1,
                ),
                (f"RSS < 150 MB ({large:,} users)" + on, part["large"]["rss_mb"] < 150),
                (
                    f"RSS growth {small:,} → {large:,} users ≤ 10 MB" + on,
                    part["rss_growth_mb"] <= 10,
                ),
            ]
    flood = results.get("flood")
    if flood:
        found += [
            ("flood: other users' p99 < 1 s (SQLite)", flood["latency_ms_p99"] < 1000),
            (
                "flood: one slow-down notice, the crisis line answered, no errors (SQLite)",
                flood["slow_down_notices"] == 1
                and flood["crisis_answered"]
                and not flood["errors"],
            ),
        ]
    workers = results.get("workers")
    if workers:
        found.append(
            (
                "workers: each user's replies in order, every update cleared from the inbox",
                not workers["errors"],
            )
        )
    return found


def _triple(run: dict[str, Any], *keys: str) -> str:
    return " / ".join(_fmt(run[k]) for k in keys)


def _columns(results: dict[str, Any]) -> list[str]:
    """The backends with a Comeback column, in the order they ran."""
    return list(results.get("backends", ["sqlite"]))


def rows(results: dict[str, Any]) -> list[Row]:
    """(benchmark, metric, Comeback on each backend..., floor, target) rows."""
    out: list[Row] = []
    columns = _columns(results)

    def row(title: str, metric: str, by: dict[str, str], floor: str, target: str) -> Row:
        return (title, metric, *(by.get(b, "") for b in columns), floor, target)

    conv = results.get("conversation")
    if conv:
        bs = _backends(conv)
        c, r = conv["comeback"], conv["ratios"]
        f, pc, pf = conv["floor"], conv["paced"]["comeback"], conv["paced"]["floor"]
        title = (
            f"conversation: {conv['users']:,} users, {conv['concurrency']} at a time, limiter off"
        )
        lat = ("latency_ms_p50", "latency_ms_p95", "latency_ms_p99")
        paced = (
            f"latency p50 / p95 / p99 ms ({conv['paced']['users']} users arriving over "
            f"{conv['paced'].get('arrival_s', 0):g} s in bursts, "
            f"{conv['paced']['think_s'][0]:g}-{conv['paced']['think_s'][1]:g} s think; updates/s: "
            + ", ".join(f"{LABELS[b]} {_fmt(pc[b]['updates_per_s'])}" for b in bs)
            + f", floor {_fmt(pf['updates_per_s'])})"
        )
        out += [
            row(
                title,
                "updates/s (× floor)",
                {
                    b: f"{_fmt(c[b]['updates_per_s'])} ({_fmt(r[b]['throughput_vs_floor'])}×)"
                    for b in bs
                },
                _fmt(f["updates_per_s"]),
                "≥ 0.6× floor",
            ),
            row(
                "",
                "bot CPU s / 1,000 updates (× floor)",
                {
                    b: f"{_fmt(c[b]['bot_cpu_s_per_1000_updates'])}"
                    f" ({_fmt(r[b]['cpu_per_update_vs_floor'])}×)"
                    for b in bs
                },
                _fmt(f["bot_cpu_s_per_1000_updates"]),
                "≤ 2× floor",
            ),
            row(
                "",
                "latency p50 / p95 / p99 ms (saturated)",
                {b: _triple(c[b], *lat) for b in bs},
                _triple(f, *lat),
                "queueing: see README",
            ),
            row("", paced, {b: _triple(pc[b], *lat) for b in bs}, _triple(pf, *lat), "p99 < 50"),
            row(
                "",
                "PostgreSQL server CPU s / 1,000 updates (its backends; SQLite's is in the bot's)",
                {b: _fmt(c[b].get("db_server_cpu_s_per_1000_updates") or "-") for b in bs},
                "",
                "",
            ),
            row(
                "",
                "share of bot CPU in other threads (aiosqlite's)",
                {b: _fmt(c[b]["bot_cpu_share_other_threads"]) for b in bs},
                _fmt(f["bot_cpu_share_other_threads"]),
                "",
            ),
            row(
                "",
                "bot peak RSS MB",
                {b: _fmt(c[b]["bot_peak_rss_mb"]) for b in bs},
                _fmt(f["bot_peak_rss_mb"]),
                "",
            ),
            row(
                "",
                "replies out of order / missing",
                {b: _fmt(c[b]["order_errors"]) for b in bs},
                _fmt(f["order_errors"]),
                "0",
            ),
        ]
    fan = results.get("fanout")
    if fan:
        bs = _backends(fan)
        off = {b: fan[b]["limiter_off"] for b in bs}
        on = {b: fan[b]["limiter_on"] for b in bs}
        base = fan["floor"]
        users_on = on[bs[0]]["users"]
        out += [
            row(
                f"fan-out: {off[bs[0]]['users']:,} check-ins due in one minute, limiter off",
                "check-ins handed to the Bot API /s (× floor)",
                {
                    b: f"{_fmt(off[b]['checkins_per_s'])} ({_fmt(fan[b]['throughput_vs_floor'])}×)"
                    for b in bs
                },
                _fmt(base["checkins_per_s"]),
                "≥ 1,000",
            ),
            row(
                "",
                "bot CPU ms / check-in",
                {b: _fmt(off[b]["bot_cpu_ms_per_checkin"]) for b in bs},
                _fmt(base["bot_cpu_ms_per_checkin"]),
                "",
            ),
            row(
                "",
                "PostgreSQL server CPU ms / check-in (its backends)",
                {b: _fmt(off[b].get("db_server_cpu_ms_per_checkin") or "-") for b in bs},
                "",
                "",
            ),
            row(
                "",
                "seeding s (not measured against the bot)",
                {b: _fmt(off[b]["seed_s"]) for b in bs},
                "",
                "",
            ),
            row(
                "",
                "all sent exactly once",
                {b: _fmt(off[b]["sent_exactly_once"]) for b in bs},
                "",
                "yes",
            ),
            row(
                "",
                "bot peak RSS MB",
                {b: _fmt(off[b]["bot_peak_rss_mb"]) for b in bs},
                _fmt(base["bot_peak_rss_mb"]),
                "",
            ),
            row(
                f"fan-out: {users_on:,} check-ins, limiter on",
                "most sends in any 1 s",
                {b: _fmt(on[b]["max_sends_in_any_1s"]) for b in bs},
                "",
                "≤ 30",
            ),
            row(
                "",
                "first to last send s",
                {b: _fmt(on[b]["send_span_s"]) for b in bs},
                "",
                f"≈ {_fmt((users_on - 1) // 30 * 1.05)} (30 per 1.05 s window)",
            ),
            row(
                "",
                "all sent exactly once",
                {b: _fmt(on[b]["sent_exactly_once"]) for b in bs},
                "",
                "yes",
            ),
        ]
    rest = results.get("atrest")
    if rest:
        bs = _backends(rest)
        small = {b: rest[b]["small"] for b in bs}
        large = {b: rest[b]["large"] for b in bs}
        first = large[bs[0]]
        out += [
            row(
                f"at rest: {first['users']:,} users, {first['pending_checkins']:,} pending "
                f"check-ins, {first['conversations_in_progress']:,} mid-debrief",
                "start-to-ready s (start → first getUpdates)",
                {b: _fmt(large[b]["start_to_ready_s"]) for b in bs},
                "",
                "< 3",
            ),
            row("", "RSS MB", {b: _fmt(large[b]["rss_mb"]) for b in bs}, "", "< 150"),
            row(
                "",
                f"RSS growth from {small[bs[0]]['users']:,} users MB",
                {b: _fmt(rest[b]["rss_growth_mb"]) for b in bs},
                "",
                "< 50",
            ),
            row(
                "",
                "database on disk MB",
                {b: _fmt(large[b]["database_mb"]) for b in bs},
                "",
                "",
            ),
        ]
    flood = results.get("flood")
    if flood:

        def sq(value: str) -> dict[str, str]:
            return {"sqlite": value}  # the flood runs on SQLite alone

        out += [
            row(
                f"flood (SQLite only): {flood['flood_messages']:,} messages from one chat and "
                f"{flood['group_commands']:,} /help in one group, while {flood['users']} users "
                f"debrief ({flood['think_s'][0]:g}-{flood['think_s'][1]:g} s think), limiter on",
                "other users' latency p50 / p95 / p99 / max ms",
                sq(
                    _triple(
                        flood,
                        "latency_ms_p50",
                        "latency_ms_p95",
                        "latency_ms_p99",
                        "latency_ms_max",
                    )
                ),
                "",
                "p99 < 1,000",
            ),
            row(
                "",
                f"the same, {flood['flood_window_steps']} steps queued while the flood was "
                f"worked off ({_fmt(flood['flood_worked_off_s'])} s): p99 / max ms",
                sq(_triple(flood, "flood_window_latency_ms_p99", "flood_window_latency_ms_max")),
                "",
                "",
            ),
            row(
                "",
                "probe /help every 0.5 s: p99 / max ms",
                sq(_triple(flood, "probe_ms_p99", "probe_ms_max")),
                "",
                "",
            ),
            row(
                "",
                "flood: replies / slow-down notices / crisis line answered",
                sq(
                    f"{flood['flood_replies']} / {flood['slow_down_notices']} / "
                    f"{_fmt(flood['crisis_answered'])}"
                ),
                "",
                "- / 1 / yes",
            ),
            row("", "group /help replies", sq(_fmt(flood["group_replies"])), "", "3 a minute"),
            row("", "bot peak RSS MB", sq(_fmt(flood["bot_peak_rss_mb"])), "", ""),
        ]
    return out


def workers_table(part: dict[str, Any]) -> list[str]:
    """The workers benchmark's own table: one row per configuration, then the ratios."""
    lines = [
        f"Webhook workers: {part['users']:,} users, {part['concurrency']} at a time (saturated);"
        f" {part['paced_users']} users, {part['think_s'][0]:g}-{part['think_s'][1]:g} s think"
        f" (paced); rate limiter {part['rate_limiter']}",
        "",
        "| configuration | phase | updates/s | latency p50 / p99 ms | bot CPU ms / update"
        " (share by process) | PostgreSQL server CPU ms / update | PostgreSQL transactions"
        " / update | machine CPU busy (other processes; interrupts and steal) | load generator"
        " CPU share | replies out of order / missing |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for config in part["configurations"].values():
        for phase in ("saturated", "paced"):
            m = config[phase]
            shares = m["bot_cpu_share_by_process"]
            split = f" ({' + '.join(_fmt(x) for x in shares)})" if len(shares) > 1 else ""
            server = m.get("db_server_cpu_s_per_1000_updates")
            transactions = m.get("postgresql_transactions_per_update")
            lines.append(
                f"| {config['label'] if phase == 'saturated' else ''} | {phase} | "
                f"{_fmt(m['updates_per_s'])} | {_triple(m, 'latency_ms_p50', 'latency_ms_p99')} | "
                f"{_fmt(m['bot_cpu_s_per_1000_updates'])}{split} | "
                f"{_fmt(server) if server is not None else '-'} | "
                f"{_fmt(transactions) if transactions is not None else '-'} | "
                f"{m['machine_cpu_busy_share']:.0%} ({m['other_processes_cpu_share']:.0%};"
                f" {m.get('machine_cpu_irq_and_steal_share', 0.0):.0%}) | "
                f"{m['loadgen_cpu_share']:.0%} | "
                f"{_fmt(m['order_errors'])} |"
            )

    def times(value: float | None) -> str:
        return "-" if value is None else f"{_fmt(value)}×"

    ratios = part.get("two_workers_over_one") or {}
    for n, (phase, r) in enumerate(ratios.items()):
        title = "2 workers / 1 worker (PostgreSQL)" if n == 0 else ""
        lines.append(
            f"| {title} | {phase} | {times(r['updates_per_s'])} | "
            f"{times(r['latency_ms_p50'])} / {times(r['latency_ms_p99'])} | "
            f"{times(r['bot_cpu_s_per_1000_updates'])} (with the server's:"
            f" {times(r['bot_and_server_cpu_s_per_1000_updates'])}) | | "
            f"{times(r['postgresql_transactions_per_update'])} | | | |"
        )
    return lines


def table(results: dict[str, Any]) -> str:
    """The Markdown tables, the machine line and the targets."""
    m = results.get("machine", {})
    server = results.get("postgresql_server")
    on = f"; PostgreSQL {server['version']} at {server['url']}" if server else ""
    columns = _columns(results)
    lines = [
        f"Machine: {m.get('nproc')} CPUs, {m.get('cpu')}, Python {m.get('python')}{on}; "
        f"size {results.get('size')}; `{results.get('command')}`",
        "",
    ]
    found = rows(results)
    if found:
        lines += [
            "| benchmark | metric | "
            + " | ".join(f"Comeback on {LABELS.get(b, b)}" for b in columns)
            + " | PTB floor | target |",
            "| --- | --- | " + "---: | " * len(columns) + "---: | --- |",
        ]
        lines += [f"| {' | '.join(row)} |" for row in found]
        lines.append("")
    if results.get("workers"):
        lines += [*workers_table(results["workers"]), ""]
    lines += [f"- {_check(ok)} {name}" for name, ok in targets(results)]
    return "\n".join(lines)
