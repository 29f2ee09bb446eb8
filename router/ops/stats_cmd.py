"""`router stats`: what the request log says, as text, JSON or a plot.

    router stats                          # the whole log at $TIANJI_LOG_DB or ./tianji-log.db
    router stats --since 7d --by tier
    router stats --log postgresql://tianji@db/tianji --by day --json
    router stats --plot stats.png         # spend vs baseline over time, and the tier mix
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

from router.ops.stats import GROUPS


def _log_url(args: argparse.Namespace) -> str | None:
    """--log, else the config's `log.url` when --config names a readable config."""
    if args.log:
        return str(args.log)
    if args.config and os.path.exists(args.config):
        from router.config import ConfigError, load_config

        try:
            return load_config(args.config).log.url
        except ConfigError as err:
            print(f"error: {err}", file=sys.stderr)
            raise SystemExit(2) from None
    return None


def _money(x: float) -> str:
    return f"${x:,.4f}" if abs(x) < 100 else f"${x:,.2f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _ms(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_text(report: dict[str, Any], where: str) -> str:
    s = report["summary"]
    lines = [f"request log: {where}"]
    if not s["requests"]:
        return "\n".join([*lines, "no requests in this window"])
    lat = s["latency_ms"]
    fb = report["feedback"]
    lines += [
        f"window: {_when(s['first_ts'])} .. {_when(s['last_ts'])}",
        f"requests: {s['requests']} (answered {s['answered']}, errors {_pct(s['error_rate'])})",
        f"spend: {_money(s['spend_usd'])}   top-tier baseline: {_money(s['baseline_usd'])}   "
        f"saved: {_money(s['savings_usd'])} ({_pct(s['savings_share'])})",
        "tier mix: " + ("  ".join(f"{t} {_pct(v)}" for t, v in s["tier_mix"].items()) or "-"),
        f"fallback: {_pct(s['fallback_rate'])}   escalation: {_pct(s['escalation_rate'])}",
        f"latency ms: p50 {_ms(lat['p50'])}  p90 {_ms(lat['p90'])}  p99 {_ms(lat['p99'])}",
    ]
    if fb["count"]:
        lines.append(f"feedback: {fb['count']} (mean score {fb['mean_score']:.2f})")
    if report.get("groups"):
        head = (f"{report['by']:<24} {'requests':>8} {'errors':>7} {'spend':>11} "
                f"{'baseline':>11} {'saved':>7} {'fallback':>8} {'p50 ms':>7} {'p99 ms':>7}")
        lines += ["", head]
        for g in report["groups"]:
            lines.append(
                f"{g['group'][:24]:<24} {g['requests']:>8} {_pct(g['error_rate']):>7} "
                f"{_money(g['spend_usd']):>11} {_money(g['baseline_usd']):>11} "
                f"{_pct(g['savings_share']):>7} {_pct(g['fallback_rate']):>8} "
                f"{_ms(g['latency_ms']['p50']):>7} {_ms(g['latency_ms']['p99']):>7}"
            )
    if "quality" in report:
        lines += ["", "quality: how often the cheaper answer was as good as the top tier's "
                  "(shadow checks), and feedback scored >= 0.5; 95% intervals"]
        lines.append(f"{'task':<20} {'tier':<10} {'checks':>6} {'as good':>8} {'interval':>13}"
                     f" {'feedback':>8} {'good':>6} {'interval':>13}")
        for q in report["quality"]:
            lines.append(
                f"{q['task'][:20]:<20} {q['tier'][:10]:<10} {q['checks']:>6} "
                f"{_pct(q['as_good_rate']):>8} {_interval(q['as_good_interval']):>13} "
                f"{q['feedback']:>8} {_pct(q['feedback_good_rate']):>6} "
                f"{_interval(q['feedback_good_interval']):>13}")
        if not report["quality"]:
            lines.append("no shadow checks or feedback in this window (see `shadow:`)")
    return "\n".join(lines)


def _interval(bounds: list[float] | tuple[float, float] | None) -> str:
    return "-" if bounds is None else f"{100 * bounds[0]:.0f}-{100 * bounds[1]:.0f}%"


def plot(report: dict[str, Any], out: str) -> None:
    """Two panels: cumulative spend vs baseline over time, and the tier mix per bucket."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    points = report["series"]["points"]
    times = [datetime.fromtimestamp(p["t"], UTC) for p in points]
    spend, baseline, total_s, total_b = [], [], 0.0, 0.0
    for p in points:
        total_s += p["spend_usd"]
        total_b += p["baseline_usd"]
        spend.append(total_s)
        baseline.append(total_b)
    tiers = list(report["summary"]["tier_mix"])  # cheapest first
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    top.plot(times, baseline, color="#9a3324", lw=2, label="all on the top tier (baseline)")
    top.plot(times, spend, color="#1f6f8b", lw=2, label="spent through Tianji")
    top.fill_between(times, spend, baseline, color="#1f6f8b", alpha=0.12, label="saved")
    top.set_ylabel("cumulative USD")
    s = report["summary"]
    title = (f"Spent {_money(s['spend_usd'])} vs a top-tier baseline of "
             f"{_money(s['baseline_usd'])}: saved {_pct(s['savings_share'])} over "
             f"{s['requests']} requests")
    top.set_title(title.replace("$", r"\$"))  # not matplotlib's maths mode
    top.legend(loc="upper left", frameon=False)
    width = report["series"]["bucket_s"] / 86400 * 0.8
    bottoms = [0.0] * len(points)
    colours = ["#7fb069", "#e6aa68", "#ca3c25", "#5b8e7d", "#8e7dbe"]  # as the dashboard
    for i, tier in enumerate(tiers):
        shares = [p["tiers"].get(tier, 0) / max(1, sum(p["tiers"].values())) for p in points]
        bottom.bar(times, shares, width=width, bottom=bottoms, label=tier,
                   color=colours[i % len(colours)])
        bottoms = [b + v for b, v in zip(bottoms, shares, strict=True)]
    bottom.set_ylabel("tier mix")
    bottom.set_ylim(0, 1)
    bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    bucket = report["series"]["bucket_s"]
    when = "%H:%M:%S" if bucket < 600 else "%m-%d %H:%M" if bucket < 86400 else "%Y-%m-%d"
    bottom.xaxis.set_major_formatter(mdates.DateFormatter(when))
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def cmd_stats(args: argparse.Namespace) -> int:
    from router.ops.db import open_database
    from router.ops.query import Reader
    from router.ops.stats import parse_since, report

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    db = open_database(_log_url(args))
    if not db.exists():
        print(f"error: no request log at {db.display()} (see --log)", file=sys.stderr)
        return 1
    reader = Reader(db)
    try:
        verdicts = reader.verdicts(since) if args.quality else None
        data = report(reader.rows(since), reader.feedback(since), args.by, verdicts)
    except db.transient as err:
        print(f"error: cannot read the request log at {db.display()}: {err}", file=sys.stderr)
        return 1
    if args.plot:
        if not data["series"]["points"]:
            print("error: no requests in this window to plot", file=sys.stderr)
            return 1
        try:
            plot(data, args.plot)
        except ImportError:
            print("error: --plot needs matplotlib (pip install 'tianji[train]')", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps({**data, "log": db.display()}, indent=2))
    else:
        print(render_text(data, db.display()))
        if args.plot:
            print(f"plot: {args.plot}")
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="spend, savings, tier mix, fallback and error rates, latency from the request log",
        description="Read the request log (SQLite or PostgreSQL) and report what routing "
        "spent and saved against sending everything to the top tier.",
        epilog="examples:\n"
        "  router stats --since 24h\n"
        "  router stats --by tier --json\n"
        "  router stats --since 7d --quality\n"
        "  router stats --log postgresql://tianji@db/tianji --by day --plot stats.png\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--log", metavar="URL",
                        help="sqlite:///path.db, a path, or postgresql://... (default: the "
                        "config's log.url, else $TIANJI_LOG_DB, else ./tianji-log.db)")
    parser.add_argument("--config", default=os.environ.get("TIANJI_CONFIG"), metavar="PATH",
                        help="read log.url from this config (default: $TIANJI_CONFIG)")
    parser.add_argument("--since", help="30m, 24h, 7d or an ISO date (default: the whole log)")
    parser.add_argument("--by", choices=GROUPS, help="one row per day, key, task, tier or "
                        "deployment")
    parser.add_argument("--quality", action="store_true", help="per task and tier: how often "
                        "the cheaper answer was as good (shadow checks) and feedback")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--plot", metavar="PNG", help="write spend vs baseline and tier mix")
    parser.set_defaults(func=cmd_stats)
