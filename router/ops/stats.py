"""What the log says: spend, baseline and savings, tier mix, rates, latency (pure, no I/O).

    report = summarize(reader.rows(since))
    groups = group_by(rows, "tier")
    points = series(rows)            # time buckets for charts

`baseline_usd` is what the same tokens would have cost on the top tier's first
deployment, the gateway's `tianji_baseline_cost_usd`; savings = baseline - spend.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

GROUPS = ("day", "key", "task", "tier", "deployment")
# Chart buckets, finest first: the first giving at most MAX_BUCKETS points is used.
BUCKETS_S = (10, 60, 600, 3600, 86400)
MAX_BUCKETS = 60
_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """`30m`, `24h`, `7d`, or an ISO date/time (UTC when no zone) -> unix seconds."""
    now = time.time() if now is None else now
    match = _RELATIVE.match(text.strip())
    if match:
        return now - float(match.group(1)) * _UNIT_S[match.group(2)]
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"--since {text!r}: expected 30m, 24h, 7d or an ISO date such as 2026-12-01"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of unsorted values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def tier_order(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Tiers cheapest first: by their mean price relative to the top tier (cost / baseline)."""
    ratios: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["baseline_usd"]:
            ratios[r["tier"]].append((r["cost_usd"] or 0.0) / r["baseline_usd"])
        else:
            ratios.setdefault(r["tier"], [])
    return sorted(ratios, key=lambda t: (sum(ratios[t]) / len(ratios[t]) if ratios[t] else 1.0, t))


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in rows if r["status"] == 200]
    spend = sum(r["cost_usd"] or 0.0 for r in rows)
    baseline = sum(r["baseline_usd"] or 0.0 for r in rows)
    tiers = Counter(r["tier"] for r in ok)
    order = tier_order(ok)
    latencies = [r["latency_ms"] for r in ok]
    return {
        "requests": len(rows),
        "answered": len(ok),
        "first_ts": rows[0]["ts"] if rows else None,
        "last_ts": rows[-1]["ts"] if rows else None,
        "spend_usd": round(spend, 8),
        "baseline_usd": round(baseline, 8),
        "savings_usd": round(baseline - spend, 8),
        "savings_share": _rate(baseline - spend, baseline),
        "tier_mix": {t: tiers[t] / len(ok) for t in order},
        "error_rate": _rate(len(rows) - len(ok), len(rows)),
        "fallback_rate": _rate(sum(r["fallback"] for r in ok), len(ok)),
        "escalation_rate": _rate(sum(r["escalated"] for r in ok), len(ok)),
        "errors_by_status": {str(s): n for s, n in sorted(
            Counter(r["status"] for r in rows if r["status"] != 200).items())},
        "latency_ms": {f"p{q}": percentile(latencies, q) for q in (50, 90, 99)},
    }


def _group_key(row: dict[str, Any], by: str) -> str:
    if by == "day":
        return datetime.fromtimestamp(row["ts"], UTC).strftime("%Y-%m-%d")
    value = row.get(by)
    return "-" if value is None else str(value)


def group_by(rows: Iterable[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """One summary per value of `by` (one of GROUPS), in the value's order."""
    if by not in GROUPS:
        raise ValueError(f"--by {by!r}: one of {', '.join(GROUPS)}")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[_group_key(r, by)].append(r)
    return [{"group": key, **summarize(members)} for key, members in sorted(groups.items())]


def bucket_size(first: float, last: float) -> int:
    span = max(0.0, last - first)
    return next((b for b in BUCKETS_S if span / b <= MAX_BUCKETS), BUCKETS_S[-1])


def series(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Spend, baseline, cumulative savings, errors and tier counts per time bucket."""
    if not rows:
        return {"bucket_s": BUCKETS_S[0], "points": []}
    size = bucket_size(rows[0]["ts"], rows[-1]["ts"])
    buckets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        buckets[int(r["ts"] // size * size)].append(r)
    points, saved = [], 0.0
    for start in sorted(buckets):
        members = buckets[start]
        spend = sum(r["cost_usd"] or 0.0 for r in members)
        baseline = sum(r["baseline_usd"] or 0.0 for r in members)
        saved += baseline - spend
        points.append({
            "t": start,
            "requests": len(members),
            "errors": sum(1 for r in members if r["status"] != 200),
            "fallbacks": sum(r["fallback"] for r in members),
            "spend_usd": round(spend, 8),
            "baseline_usd": round(baseline, 8),
            "savings_cum_usd": round(saved, 8),
            "tiers": dict(Counter(r["tier"] for r in members if r["status"] == 200)),
        })
    return {"bucket_s": size, "points": points}


def feedback_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Count and mean score of feedback, overall and per tier."""
    by_tier: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        by_tier[r["tier"] or "-"].append(float(r["score"]))
    scores = [float(r["score"]) for r in rows]
    return {
        "count": len(scores),
        "mean_score": sum(scores) / len(scores) if scores else None,
        "by_tier": {t: {"count": len(v), "mean_score": sum(v) / len(v)}
                    for t, v in sorted(by_tier.items())},
    }


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% for z = 1.96); None when n = 0."""
    if not n:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def quality(verdicts: Iterable[dict[str, Any]], feedback: Iterable[dict[str, Any]]
            ) -> list[dict[str, Any]]:
    """Per task and tier: how often the cheap answer was as good as the top tier's (shadow
    verdicts `cheap_better` or `tie`), and the share of feedback scores >= 0.5, each with
    its 95% Wilson interval."""
    checks: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for v in verdicts:
        checks[(v["task"] or "-", v["tier"])].append(v["verdict"] in ("cheap_better", "tie"))
    votes: dict[tuple[str, str], list[float]] = defaultdict(list)
    for f in feedback:
        votes[(f["task"] or "-", f["tier"] or "-")].append(float(f["score"]))
    out = []
    for task, tier in sorted(set(checks) | set(votes)):
        good = checks.get((task, tier), [])
        scores = votes.get((task, tier), [])
        liked = sum(1 for x in scores if x >= 0.5)
        out.append({
            "task": task, "tier": tier,
            "checks": len(good),
            "as_good_rate": sum(good) / len(good) if good else None,
            "as_good_interval": wilson(sum(good), len(good)),
            "feedback": len(scores),
            "feedback_good_rate": liked / len(scores) if scores else None,
            "feedback_good_interval": wilson(liked, len(scores)),
        })
    return out


def report(rows: Sequence[dict[str, Any]], feedback: Sequence[dict[str, Any]],
           by: str | None = None, verdicts: Sequence[dict[str, Any]] | None = None
           ) -> dict[str, Any]:
    """Everything `router stats --json` and the dashboard show (`quality` with verdicts)."""
    out: dict[str, Any] = {"summary": summarize(rows), "series": series(rows),
                           "feedback": feedback_summary(feedback)}
    if by:
        out["by"] = by
        out["groups"] = group_by(rows, by)
    if verdicts is not None:
        out["quality"] = quality(verdicts, feedback)
    return out
