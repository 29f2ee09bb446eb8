"""`router eval`: how well a difficulty score routes, on data with real per-model outcomes.

Metrics (definitions as in the RouteLLM paper). Pairs (weak/strong): route the
prompts with the highest difficulty to the strong model; as the strong-call
share c goes 0 -> 1, mean quality q(c) goes from the weak model's to the strong
model's (and can overshoot: an oracle sends only what the weak model fails).
- PGR(c) = (q(c) - q_weak) / (q_strong - q_weak), performance gap recovered.
- APGR = area under PGR(c), c in [0, 1]: weak only = 0, strong only = 1,
  random = 0.5; above 1 is possible for a near-oracle.
- CPT(x) = the smallest strong-call share with PGR >= x.
- AUC = ROC AUC of the difficulty for "the weak model fails" (quality < 0.5).
Tied scores are routed as a block and the curve is interpolated inside a tie,
the expected value of breaking the tie at random (a constant score gets 0.5).

Tiers (cheapest first): thresholds t_1 <= ... send a prompt with difficulty d
to the first tier with d <= t_i, else the last; quality vs dollars is swept
over thresholds and compared with each single model and the oracle (the
cheapest tier that reached the best quality any tier reached).

numpy is imported inside functions: the CLI imports this module to build --help.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from router.data import LabelledSet

BASELINES = ("random", "length", "rules")
RANDOM_SEED = 0
CURVE_POINTS = 21


# ---------------------------------------------------------------- metrics


@dataclass(frozen=True)
class PairCurve:
    """Mean quality at each strong-call share (0..1) for one weak/strong pair."""

    share: np.ndarray
    quality: np.ndarray
    weak_quality: float
    strong_quality: float

    @property
    def pgr(self) -> np.ndarray:
        gap = self.strong_quality - self.weak_quality
        if abs(gap) < 1e-12:
            return self.quality * 0.0
        return (self.quality - self.weak_quality) / gap


def pair_curve(scores: np.ndarray, weak: np.ndarray, strong: np.ndarray) -> PairCurve:
    """The exact curve: one point per prompt, linear inside blocks of tied scores."""
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    weak = np.asarray(weak, dtype=float)
    strong = np.asarray(strong, dtype=float)
    n = len(scores)
    if n == 0:
        raise ValueError("no prompts to evaluate")
    order = np.argsort(-scores, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum((strong - weak)[order])])
    s_sorted = scores[order]
    ends = np.concatenate([np.flatnonzero(np.diff(s_sorted) != 0) + 1, [n]])
    starts = np.concatenate([[0], ends[:-1]])
    k = np.arange(n + 1)
    block = np.minimum(np.searchsorted(ends, k, side="left"), len(ends) - 1)
    lo, hi = starts[block], ends[block]
    frac = (k - lo) / np.maximum(hi - lo, 1)
    quality = (weak.sum() + cum[lo] + frac * (cum[hi] - cum[lo])) / n
    return PairCurve(k / n, quality, float(weak.mean()), float(strong.mean()))


def apgr(curve: PairCurve) -> float:
    """Area under PGR vs strong-call share."""
    import numpy as np

    return float(np.trapezoid(curve.pgr, curve.share))


def cpt(curve: PairCurve, target: float) -> float:
    """Smallest strong-call share whose PGR reaches `target` (0.5 for CPT(50%))."""
    import numpy as np

    pgr = curve.pgr
    hit = np.flatnonzero(pgr >= target - 1e-12)
    if len(hit) == 0:
        return 1.0
    i = int(hit[0])
    if i == 0:
        return 0.0
    x0, x1, y0, y1 = curve.share[i - 1], curve.share[i], pgr[i - 1], pgr[i]
    return float(x0 + (target - y0) * (x1 - x0) / (y1 - y0))


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """ROC AUC of `scores` for a boolean label (ties count one half); NaN with one class."""
    import numpy as np

    scores = np.asarray(scores, dtype=float)
    positive = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    uniq, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    mid_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = mid_rank[inverse]
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def assign_tiers(scores: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """Tier index per prompt: the first tier whose threshold is >= the score."""
    import numpy as np

    return np.searchsorted(np.asarray(thresholds, dtype=float), np.asarray(scores), side="left")


def policy_outcome(tier: np.ndarray, quality: np.ndarray, cost: np.ndarray) -> tuple[float, float]:
    """(mean quality, total cost) when prompt i goes to tier[i]; arrays are (tiers, prompts)."""
    import numpy as np

    idx = np.arange(quality.shape[1])
    return float(quality[tier, idx].mean()), float(cost[tier, idx].sum())


def oracle_outcome(quality: np.ndarray, cost: np.ndarray) -> tuple[float, float]:
    """Each prompt to the cheapest tier that reached the best quality any tier reached."""
    import numpy as np

    ok = quality >= quality.max(axis=0) - 1e-9
    return policy_outcome(np.where(ok, cost, np.inf).argmin(axis=0), quality, cost)


def threshold_grid(scores: np.ndarray, n_tiers: int, steps: int = 40) -> list[tuple[float, ...]]:
    """Non-decreasing threshold tuples from score quantiles (plus 'nothing' and 'everything')."""
    import numpy as np

    qs = np.unique(np.quantile(scores, np.linspace(0.0, 1.0, steps + 1)))
    cuts = [float(c) for c in np.concatenate([[-1.0], qs])]
    if n_tiers == 2:
        return [(c,) for c in cuts]
    if n_tiers == 3:
        return [(a, b) for i, a in enumerate(cuts) for b in cuts[i:]]
    raise ValueError("threshold sweeps support 2 or 3 tiers")


def pareto(points: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Points (dicts with cost, quality) not beaten on both, cheapest first."""
    front: list[dict[str, Any]] = []
    best = float("-inf")
    for p in sorted(points, key=lambda p: (p["cost"], -p["quality"])):
        if p["quality"] > best + 1e-12:
            front.append(p)
            best = p["quality"]
    return front


def cheapest_reaching(front: Sequence[dict[str, Any]], quality: float) -> dict[str, Any] | None:
    """The cheapest frontier point whose quality is at least `quality`."""
    for p in front:
        if p["quality"] >= quality - 1e-12:
            return p
    return None


# ---------------------------------------------------------------- scoring


def score_requests(
    score: Callable[[dict[str, Any]], float],
    requests: Sequence[dict[str, Any]],
    progress: bool = False,
) -> np.ndarray:
    import numpy as np

    iterator: Any = requests
    if progress and len(requests) > 500:
        from tqdm import tqdm

        iterator = tqdm(requests, desc="scoring", unit="prompt", leave=False, file=sys.stderr)
    return np.array([score(r) for r in iterator], dtype=float)


def baseline_scorers(names: Sequence[str]) -> dict[str, Callable[[dict[str, Any]], float]]:
    """The baselines, as request -> score: random (seeded), prompt length, the rule-based scorer."""
    import random

    from router.classify import load_classifier
    from router.classify.base import iter_text

    out: dict[str, Callable[[dict[str, Any]], float]] = {}
    for name in names:
        if name == "random":
            rng = random.Random(RANDOM_SEED)
            out["random"] = lambda r, rng=rng: rng.random()
        elif name == "length":
            out["length"] = lambda r: float(sum(len(t) for _, t in iter_text(r)))
        elif name == "rules":
            rules = load_classifier("rules")
            out["rules"] = lambda r, rules=rules: rules.score(r).difficulty
        else:
            raise ValueError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINES)}")
    return out


def scorers(
    kind: str, weights: str | None, baselines: Sequence[str]
) -> dict[str, Callable[[dict[str, Any]], float]]:
    """The router under test (named by its kind) and the baselines, as request -> score."""
    from router.classify import load_classifier

    main = load_classifier(kind, weights)
    out: dict[str, Callable[[dict[str, Any]], float]] = {
        main.name: lambda r: main.score(r).difficulty
    }
    out.update(baseline_scorers([b for b in baselines if b != main.name]))
    return out


def evaluate_pair(scores: np.ndarray, weak: np.ndarray, strong: np.ndarray) -> dict[str, Any]:
    import numpy as np

    curve = pair_curve(scores, weak, strong)
    points = np.linspace(0.0, 1.0, CURVE_POINTS)
    return {
        "apgr": round(apgr(curve), 4),
        "cpt50": round(cpt(curve, 0.5), 4),
        "cpt80": round(cpt(curve, 0.8), 4),
        "auc": round(auc(scores, weak < 0.5), 4),
        "curve": {
            "strong_share": [round(float(x), 3) for x in points],
            "quality": [round(float(q), 4) for q in np.interp(points, curve.share, curve.quality)],
        },
    }


def evaluate_tiers(scores: np.ndarray, quality: np.ndarray, cost: np.ndarray) -> dict[str, Any]:
    """Sweep thresholds; frontier, and the cheapest point reaching the top tier's quality."""
    points = []
    for t in threshold_grid(scores, quality.shape[0]):
        q, c = policy_outcome(assign_tiers(scores, t), quality, cost)
        points.append({"thresholds": list(t), "quality": q, "cost": c})
    # Compared unrounded: sending everything to the top tier must reach the top tier's quality.
    front = pareto(points)
    top_q, top_c = float(quality[-1].mean()), float(cost[-1].sum())
    at_top = cheapest_reaching(front, top_q)

    def rounded(p: dict[str, Any]) -> dict[str, Any]:
        return {
            "thresholds": [round(x, 4) for x in p["thresholds"]],
            "quality": round(p["quality"], 4),
            "cost": round(p["cost"], 4),
        }

    return {
        "frontier": [rounded(p) for p in front],
        "at_top_quality": None if at_top is None else rounded(at_top),
        "cost_share_at_top_quality": None if at_top is None else round(at_top["cost"] / top_c, 4),
    }


# ---------------------------------------------------------------- command


def _pairs_report(
    sets: Sequence[LabelledSet],
    weak: str,
    strong: str,
    fns: dict[str, Callable[[dict[str, Any]], float]],
    progress: bool,
) -> dict[str, Any]:
    import numpy as np

    usable = [
        s.labelled_by([weak, strong]) for s in sets if weak in s.quality and strong in s.quality
    ]
    usable = [s for s in usable if len(s)]
    if not usable:
        raise SystemExit(f"no prompts labelled for both {weak} and {strong}")
    report: dict[str, Any] = {"mode": "pairs", "weak": weak, "strong": strong, "benchmarks": {}}
    for ls in usable:
        scored = {name: score_requests(fn, ls.requests, progress) for name, fn in fns.items()}
        groups = sorted(set(ls.benchmark.tolist()))
        for bench in groups + (["all"] if len(groups) > 1 else []):
            mask = np.ones(len(ls), dtype=bool) if bench == "all" else ls.benchmark == bench
            w, s = ls.quality[weak][mask], ls.quality[strong][mask]
            report["benchmarks"][bench] = {
                "n": int(mask.sum()),
                "weak_quality": round(float(w.mean()), 4),
                "strong_quality": round(float(s.mean()), 4),
                "routers": {name: evaluate_pair(sc[mask], w, s) for name, sc in scored.items()},
            }
    return report


def _tiers_report(
    sets: Sequence[LabelledSet],
    tiers: Sequence[str],
    fns: dict[str, Callable[[dict[str, Any]], float]],
    progress: bool,
) -> dict[str, Any]:
    import numpy as np

    usable = [s.labelled_by(tiers) for s in sets if all(t in s.quality for t in tiers)]
    usable = [s for s in usable if len(s)]
    if not usable:
        raise SystemExit(f"no prompts labelled for all of {', '.join(tiers)}")
    ls = usable[0]
    quality = np.vstack([ls.quality[t] for t in tiers])
    cost = np.vstack([ls.cost.get(t, np.full(len(ls), np.nan)) for t in tiers])
    if np.isnan(cost).any():
        raise SystemExit("tier evaluation needs a cost for every prompt and model")
    oq, oc = oracle_outcome(quality, cost)
    report: dict[str, Any] = {
        "mode": "tiers",
        "tiers": list(tiers),
        "n": len(ls),
        "benchmarks": sorted(set(ls.benchmark.tolist())),
        "single": {
            t: {
                "quality": round(float(quality[i].mean()), 4),
                "cost": round(float(cost[i].sum()), 4),
            }
            for i, t in enumerate(tiers)
        },
        "oracle": {
            "quality": round(oq, 4),
            "cost": round(oc, 4),
            "cost_share": round(oc / float(cost[-1].sum()), 4),
        },
        "routers": {},
    }
    for name, fn in fns.items():
        report["routers"][name] = evaluate_tiers(
            score_requests(fn, ls.requests, progress), quality, cost
        )
    return report


def _print_pairs(report: dict[str, Any]) -> None:
    print(f"weak={report['weak']}  strong={report['strong']}")
    for bench, r in report["benchmarks"].items():
        print(
            f"\n{bench}: n={r['n']}  weak={r['weak_quality']:.3f}  strong={r['strong_quality']:.3f}"
        )
        print(f"  {'router':<10} {'APGR':>6} {'CPT50':>6} {'CPT80':>6} {'AUC':>6}")
        for name, m in r["routers"].items():
            print(
                f"  {name:<10} {m['apgr']:>6.3f} {m['cpt50']:>6.1%} {m['cpt80']:>6.1%} "
                f"{m['auc']:>6.3f}"
            )


def _print_tiers(report: dict[str, Any]) -> None:
    print(
        f"tiers: {' < '.join(report['tiers'])}  n={report['n']}  benchmarks: "
        f"{', '.join(report['benchmarks'])}"
    )
    top_cost = report["single"][report["tiers"][-1]]["cost"]
    for t, r in report["single"].items():
        print(
            f"  only {t:<28} quality {r['quality']:.3f}  cost ${r['cost']:.2f} "
            f"({r['cost'] / top_cost:.0%})"
        )
    o = report["oracle"]
    print(
        f"  oracle {'':<26} quality {o['quality']:.3f}  cost ${o['cost']:.2f} "
        f"({o['cost_share']:.0%})"
    )
    print(f"  cheapest policy reaching '{report['tiers'][-1]}' quality:")
    for name, r in report["routers"].items():
        p = r["at_top_quality"]
        if p is None:
            print(f"    {name:<10} never reaches it")
        else:
            print(
                f"    {name:<10} quality {p['quality']:.3f}  cost ${p['cost']:.2f} "
                f"({r['cost_share_at_top_quality']:.0%})  thresholds {p['thresholds']}"
            )


def _plot(report: dict[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if report["mode"] == "pairs":
        benches = list(report["benchmarks"])
        fig, axes = plt.subplots(1, len(benches), figsize=(5 * len(benches), 4), squeeze=False)
        for ax, bench in zip(axes[0], benches, strict=True):
            r = report["benchmarks"][bench]
            for name, m in r["routers"].items():
                ax.plot(
                    [100 * x for x in m["curve"]["strong_share"]],
                    m["curve"]["quality"],
                    label=f"{name} (APGR {m['apgr']:.2f})",
                )
            ax.axhline(r["weak_quality"], color="grey", ls=":", lw=1)
            ax.axhline(r["strong_quality"], color="grey", ls="--", lw=1)
            ax.set(
                title=f"{bench} (n={r['n']})", xlabel="% calls to strong model", ylabel="quality"
            )
            ax.legend(fontsize=8)
    else:
        fig, ax = plt.subplots(figsize=(6, 4.5))
        for name, r in report["routers"].items():
            ax.plot(
                [p["cost"] for p in r["frontier"]],
                [p["quality"] for p in r["frontier"]],
                label=name,
            )
        for t, r in report["single"].items():
            ax.scatter([r["cost"]], [r["quality"]], marker="s")
            ax.annotate(t, (r["cost"], r["quality"]), fontsize=8)
        o = report["oracle"]
        ax.scatter([o["cost"]], [o["quality"]], marker="*", s=120, label="oracle")
        ax.set(xlabel="cost (USD)", ylabel="quality", title="quality vs cost")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def classifier_from_config(path: str | None) -> tuple[str, str | None]:
    """(kind, weights) from a config's `classifier:` block; ("learned", None) without one."""
    if not path:
        return "learned", None
    import yaml

    with open(path, encoding="utf-8") as f:
        cfg = yaml.safe_load(f) or {}
    block = cfg.get("classifier") or {}
    return str(block.get("kind", "learned")), block.get("weights")


def run(args: argparse.Namespace) -> int:
    from router import data

    if args.cascade or args.partner or args.benchmarks:
        from router import cascade_eval

        return cascade_eval.run(args)
    if args.open:
        from router.open_eval import run_open

        return run_open(args)
    if args.traffic:
        from router.classify.traffic_cv import run_traffic

        return run_traffic(args)
    data_path = args.data or data.default_data_dir()
    baselines = [] if args.no_baselines else list(BASELINES)
    if args.seed is not None and not args.cv:
        print("--seed picks the --cv folds; it needs --cv K", file=sys.stderr)
        return 2
    if args.loo or args.cv:
        from router.classify.crossval import CV_SEED, cv_report, loo_report, print_loo

        flag = "--loo" if args.loo else "--cv"
        if args.loo and args.cv:
            print("give --loo or --cv K, not both", file=sys.stderr)
            return 2
        if (
            args.weak
            or args.tiers
            or args.weights
            or args.classifier
            or args.benchmark
            or args.plot
        ):
            print(
                f"{flag} fixes pairs, tiers and classifier; it takes only --data, --json and "
                "--no-baselines",
                file=sys.stderr,
            )
            return 2
        progress = sys.stderr.isatty()
        if args.loo:
            report = loo_report(data_path, baselines, progress=progress)
        else:
            if args.cv < 2:
                print("--cv needs at least 2 folds", file=sys.stderr)
                return 2
            seed = CV_SEED if args.seed is None else args.seed
            report = cv_report(data_path, baselines, k=args.cv, progress=progress, seed=seed)
        if args.json:
            print(json.dumps(report))
        else:
            print_loo(report)
        return 0
    kind, weights = classifier_from_config(args.config)
    kind = args.classifier or kind
    weights = args.weights or weights
    if bool(args.weak) != bool(args.strong) or (args.tiers and args.weak):
        print("give either --weak M --strong M, or --tiers M1,M2,M3", file=sys.stderr)
        return 2
    if not args.tiers and not args.weak:
        args.weak, args.strong = data.ROUTELLM_WEAK, data.ROUTELLM_STRONG
    sets = data.load(data_path, benchmarks=args.benchmark)
    fns = scorers(kind, weights, baselines)
    progress = sys.stderr.isatty() and not args.json
    if args.tiers:
        report = _tiers_report(sets, [t.strip() for t in args.tiers.split(",")], fns, progress)
    else:
        report = _pairs_report(sets, args.weak, args.strong, fns, progress)
    report["classifier"] = {"kind": kind, "weights": weights}
    if args.json:
        print(json.dumps(report))
    elif report["mode"] == "pairs":
        _print_pairs(report)
    else:
        _print_tiers(report)
    if args.plot:
        _plot(report, args.plot)
        print(f"plot written to {args.plot}", file=sys.stderr)
    return 0


def register(subparsers: Any) -> None:
    from router import cascade_eval

    parser = subparsers.add_parser(
        "eval",
        help="measure routing quality on labelled data (APGR, CPT, AUC, cost vs quality)",
        description=(
            "Score every prompt of a labelled data set and measure the routing: for a "
            "weak/strong pair APGR, CPT(50%%), CPT(80%%), AUC and the quality vs "
            "strong-call curve; for tiers, quality vs dollars over a threshold sweep, "
            "against each single model and the oracle. Baselines (random, prompt length, "
            "rules) are measured in the same run."
        ),
        epilog=(
            "examples:\n"
            "  router eval --loo            # the README's leave-one-benchmark-out table (~3 min)\n"
            "  router eval --cv 5"
            "           # the same table for unseen prompts of seen benchmarks\n"
            "  router eval --data ../shared/data/routellm_evals --benchmark mmlu\n"
            "  router eval --data ../shared/data/zeroeval_tiers \\\n"
            "      --weak claude-3-haiku-20240307 --strong claude-3-opus-20240229"
            " --plot haiku_opus.png\n"
            "  router eval --data ../shared/data/zeroeval_tiers --benchmark gsm8k"
            " --benchmark cruxeval_o \\\n"
            "      --tiers claude-3-haiku-20240307,"
            "claude-3-sonnet-20240229,claude-3-opus-20240229\n"
            "  router eval --data ../shared/data/routellm_evals --weights /tmp/no_mmlu.npz --json\n"
            "  router eval --cascade"
            "        # the verified cascade on recorded answers (README table)\n"
            "  router eval --traffic training/traffic/requests.jsonl   # tier model, by family\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data",
        help="shared data folder, a source folder, or a labelled JSONL file "
        "(default: $TIANJI_DATA, else ../shared/data next to the repository)",
    )
    parser.add_argument(
        "--loo",
        action="store_true",
        help="leave-one-benchmark-out: refit without each benchmark, report on it (the README "
             "table)",
    )
    parser.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="K-fold cross-validation by prompt inside each benchmark: refit on K-1 folds, report "
             "on the last",
    )
    parser.add_argument("--seed", type=int, help="seed of the --cv folds (default 0)")
    parser.add_argument(
        "--benchmark", action="append", help="keep only this benchmark (repeatable)"
    )
    parser.add_argument("--weak", help="weak model (pair mode; default: RouteLLM's Mixtral)")
    parser.add_argument("--strong", help="strong model (pair mode; default: RouteLLM's GPT-4)")
    parser.add_argument("--tiers", help="comma-separated models, cheapest first (tier mode)")
    parser.add_argument("--config", help="take classifier.kind/weights from this YAML config")
    parser.add_argument(
        "--classifier",
        choices=("learned", "rules"),
        help="classifier to evaluate (default learned)",
    )
    parser.add_argument("--weights", help="weights file for the learned classifier")
    parser.add_argument("--no-baselines", action="store_true", help="skip random/length/rules")
    parser.add_argument("--plot", metavar="PNG", help="draw the curve(s) to this file")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    cascade_eval.add_arguments(parser)
    parser.add_argument(
        "--open",
        metavar="FILE",
        help="route a labelled open-traffic check set (tests/open_traffic/requests.jsonl) through "
        "--config (default config/default.yaml): confusion table, misroute shares, AUCs",
    )
    parser.add_argument(
        "--traffic",
        metavar="FILE",
        help="the tier model on a labelled traffic corpus (training/traffic/requests.jsonl): "
        "hand-set, cross-validated by template family, and in-sample "
        "(takes --config, --weights, --json)",
    )
    parser.set_defaults(func=run)
