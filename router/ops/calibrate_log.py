"""`router calibrate --from-log`: thresholds from the operator's own traffic.

The evidence is the request log: every answered request's difficulty and cost, and for
some of those answered below the top tier a judgement of whether the cheaper answer was as
good as the top tier's (a shadow verdict `cheap_better` or `tie`, or feedback scored
>= 0.5). For candidate thresholds, each logged request goes to the tier its difficulty
picks; its expected quality there is 1 on the top tier (the reference) and, on a cheaper
tier, the as-good rate of that tier's judged requests nearest in difficulty (the square
root of their number, at least MIN_NEIGHBOURS).
Its cost is its top-tier cost times the tier's median price ratio seen in the log. The
thresholds chosen are the cheapest whose expected quality meets `--target-quality`, or the
best whose cost share stays under `--max-cost-share`; the 95% intervals come from
resampling the judgements (`BOOTSTRAP` times).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_NEIGHBOURS = 5
BOOTSTRAP = 200
GRID_STEPS = 40


@dataclass
class Evidence:
    difficulty: np.ndarray  # every answered request
    baseline: np.ndarray  # its cost on the top tier
    ratio: dict[int, float]  # tier index -> median cost / baseline of requests served there
    judged: dict[int, tuple[np.ndarray, np.ndarray]]  # tier -> (difficulty, as good 0/1)


def gather(rows: Sequence[dict[str, Any]], verdicts: Sequence[dict[str, Any]],
           feedback: Sequence[dict[str, Any]], tiers: Sequence[str]) -> Evidence:
    answered = [r for r in rows if r["status"] == 200 and r["difficulty"] is not None]
    index = {t: i for i, t in enumerate(tiers)}
    ratios: dict[int, list[float]] = {}
    for r in answered:
        if r["baseline_usd"] and r["tier"] in index:
            ratios.setdefault(index[r["tier"]], []).append((r["cost_usd"] or 0) / r["baseline_usd"])
    difficulty = {r["request_id"]: r["difficulty"] for r in answered}
    points: dict[int, list[tuple[float, float]]] = {}
    for v in verdicts:
        if v["tier"] in index and v["difficulty"] is not None:
            good = v["verdict"] in ("cheap_better", "tie")
            points.setdefault(index[v["tier"]], []).append((v["difficulty"], float(good)))
    for f in feedback:
        d = difficulty.get(f["request_id"])
        if d is not None and f["tier"] in index:
            points.setdefault(index[f["tier"]], []).append((d, float(f["score"] >= 0.5)))
    top = len(tiers) - 1
    return Evidence(
        difficulty=np.array([r["difficulty"] for r in answered], dtype=float),
        baseline=np.array([r["baseline_usd"] or 0.0 for r in answered], dtype=float),
        ratio={t: float(np.median(v)) for t, v in ratios.items()} | {top: 1.0},
        judged={t: (np.array([p[0] for p in v]), np.array([p[1] for p in v]))
                for t, v in points.items() if t != top},
    )


def _as_good(judged: tuple[np.ndarray, np.ndarray], d: np.ndarray) -> np.ndarray:
    """The as-good rate of the judged requests nearest each difficulty in d."""
    at, good = judged
    k = min(len(at), max(MIN_NEIGHBOURS, round(len(at) ** 0.5)))
    nearest = np.argsort(np.abs(d[:, None] - at[None, :]), axis=1)[:, :k]
    return good[nearest].mean(axis=1)


def outcome(ev: Evidence, thresholds: Sequence[float], judged: dict | None = None
            ) -> tuple[float, float] | None:
    """(expected quality, cost share) of routing the logged requests by `thresholds`;
    None when a cheaper tier would get traffic but has no judgements to go by."""
    judged = ev.judged if judged is None else judged
    tier = np.searchsorted(np.asarray(thresholds), ev.difficulty, side="left")
    quality = np.ones_like(ev.difficulty)
    cost = ev.baseline.copy()
    for t in np.unique(tier):
        mask = tier == t
        if t == len(thresholds):
            continue
        if t not in judged or t not in ev.ratio:
            return None
        quality[mask] = _as_good(judged[t], ev.difficulty[mask])
        cost[mask] = ev.baseline[mask] * ev.ratio[t]
    total = ev.baseline.sum()
    return float(quality.mean()), float(cost.sum() / total) if total else 0.0


def grid(ev: Evidence, cuts: int) -> list[tuple[float, ...]]:
    qs = np.unique(np.quantile(ev.difficulty, np.linspace(0, 1, GRID_STEPS + 1)))
    values = [-1e-9, *qs.tolist()]  # -1e-9: nothing below the top tier's threshold
    return [c for c in itertools.combinations_with_replacement(values, cuts)]


def choose(ev: Evidence, cuts: int, target_quality: float | None, max_cost_share: float | None
           ) -> dict[str, Any] | None:
    points = []
    for thresholds in grid(ev, cuts):
        got = outcome(ev, thresholds)
        if got is not None:
            points.append((thresholds, *got))
    if target_quality is not None:
        ok = [p for p in points if p[1] >= target_quality - 1e-12]
        best = min(ok, key=lambda p: (p[2], -p[1]), default=None)
    else:
        ok = [p for p in points if p[2] <= (max_cost_share or 0.0) + 1e-12]
        best = max(ok, key=lambda p: (p[1], -p[2]), default=None)
    if best is None:
        return None
    thresholds, quality, cost = best
    return {"thresholds": [max(0.0, t) for t in thresholds], "quality": quality,
            "cost_share": cost, **intervals(ev, thresholds)}


def intervals(ev: Evidence, thresholds: Sequence[float], seed: int = 0) -> dict[str, Any]:
    """95% bootstrap intervals of quality and cost share: the logged requests and each
    tier's judgements are resampled together."""
    rng = np.random.default_rng(seed)
    got = []
    for _ in range(BOOTSTRAP):
        rows = rng.integers(0, len(ev.difficulty), len(ev.difficulty))
        judged = {}
        for t, (at, good) in ev.judged.items():
            pick = rng.integers(0, len(at), len(at))
            judged[t] = (at[pick], good[pick])
        sample = Evidence(ev.difficulty[rows], ev.baseline[rows], ev.ratio, judged)
        point = outcome(sample, thresholds)
        if point is not None:
            got.append(point)
    if not got:
        return {"quality_interval": None, "cost_share_interval": None}
    q, c = np.array(got).T
    return {"quality_interval": [float(x) for x in np.percentile(q, [2.5, 97.5])],
            "cost_share_interval": [float(x) for x in np.percentile(c, [2.5, 97.5])]}


def run(args: Any, names: Sequence[str]) -> tuple[list[float], str] | None:
    """Thresholds and a one-line summary for `router calibrate --from-log`; None if no
    thresholds meet the target."""
    from router.ops.db import open_database
    from router.ops.query import Reader

    db = open_database(None if args.from_log == "-" else args.from_log)
    if not db.exists():
        raise SystemExit(f"no request log at {db.display()} (see --from-log URL)")
    reader = Reader(db)
    ev = gather(reader.rows(), reader.verdicts(), reader.feedback(), names)
    if not len(ev.difficulty):
        raise SystemExit(f"the request log at {db.display()} has no answered requests")
    if not ev.judged:
        raise SystemExit("no shadow verdicts or feedback below the top tier in the log: "
                         "turn on `shadow:` or send feedback first")
    best = choose(ev, len(names) - 1, args.target_quality, args.max_cost_share)
    if best is None:
        return None
    qi, ci = best["quality_interval"], best["cost_share_interval"]
    judged = ", ".join(f"{names[t]} {len(v[0])}" for t, v in sorted(ev.judged.items()))
    summary = (
        f"expected quality {best['quality']:.3f} (95% {qi[0]:.3f}-{qi[1]:.3f}; 1 = every answer "
        f"as good as the top tier's), cost {best['cost_share']:.1%} of the top tier's "
        f"(95% {ci[0]:.1%}-{ci[1]:.1%}) over {len(ev.difficulty)} logged requests, "
        f"judged: {judged}")
    return best["thresholds"], summary
