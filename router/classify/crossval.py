"""Leave-one-benchmark-out evaluation: the table in the README, from one command.

For each benchmark X in FOLDS the learned classifier is fitted without X (the
same fit as `router train --exclude X`) and scores only X's prompts. Every
prompt therefore gets a *cross-fitted* score from weights that never saw its
benchmark, and all figures below are measured on those scores:

- APGR (and CPT, AUC) per benchmark for each weak -> strong pair in PAIRS;
- for the three Claude 3 tiers, the cheapest threshold setting that reaches
  Opus-only accuracy, as a share of Opus-only cost, per benchmark and pooled
  (GSM8K + CRUXEval: Sonnet has no MATH-L5 run).

Baselines (random, prompt length, rules) are scored in the same run.
Run it with `router eval --loo` (about 3 minutes on two cores).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FOLDS = ("mmlu", "gsm8k", "math_l5", "cruxeval_o")
HAIKU = "claude-3-haiku-20240307"
SONNET = "claude-3-sonnet-20240229"
OPUS = "claude-3-opus-20240229"
CLAUDE_TIERS = (HAIKU, SONNET, OPUS)
# (source folder, weak, strong)
PAIRS = (
    ("routellm_evals", "mixtral-8x7b-instruct", "gpt-4-1106-preview"),
    ("zeroeval_tiers", HAIKU, OPUS),
    ("zeroeval_tiers", HAIKU, SONNET),
)


def cross_fitted_scores(data_dir: Path, folds: Sequence[str] = FOLDS, progress: bool = False) -> tuple[list[Any], list[Any]]:
    """The labelled sets and, for each, the difficulty of every prompt from the fold that left its benchmark out.

    Prompts of benchmarks outside `folds` (open chat) only ever train; their score is NaN.
    """
    import numpy as np

    from router import data
    from router.classify import train
    from router.classify.learned import LearnedClassifier

    sets = data.load(data_dir)
    everything = train.build_targets(sets)
    structure, tasks = train.featurize(everything.requests, progress=progress)
    scores = np.full(len(everything.target), np.nan)
    iterator: Any = folds
    if progress:
        from tqdm import tqdm

        iterator = tqdm(folds, desc="folds", unit="fold", leave=False, file=sys.stderr)
    for held_out in iterator:
        keep = everything.benchmark != held_out
        # Targets are rebuilt without the held-out benchmark (its labels also move the Rasch abilities).
        ts = train.build_targets([s.subset(s.benchmark != held_out) for s in sets])
        params, meta = train.fit(structure[keep], tasks[keep], ts)
        clf = LearnedClassifier(params, {"format": 2, **meta})
        rows = ~keep
        scores[rows] = clf.predict(structure[rows], tasks[rows])[0]
    per_set, start = [], 0
    for ls in sets:
        per_set.append(scores[start : start + len(ls)])
        start += len(ls)
    return sets, per_set


def loo_report(data_dir: Path, baselines: Sequence[str], progress: bool = False) -> dict[str, Any]:
    """Pairs and tiers figures on cross-fitted scores, with the baselines."""
    import numpy as np

    from router.evaluate import baseline_scorers, evaluate_pair, evaluate_tiers, oracle_outcome, score_requests

    sets, learned = cross_fitted_scores(data_dir, FOLDS, progress)
    fns = baseline_scorers(baselines)
    report: dict[str, Any] = {"mode": "loo", "folds": list(FOLDS), "pairs": [], "tiers": []}
    for ls, cross in zip(sets, learned, strict=True):
        src = str(ls.source[0]) if ls.source is not None and len(ls) else ""
        in_folds = np.isin(ls.benchmark, list(FOLDS))
        if not in_folds.any():
            continue
        ls, cross = ls.subset(in_folds), cross[in_folds]
        scored = {"learned": cross, **{n: score_requests(f, ls.requests, progress) for n, f in fns.items()}}
        for source, weak, strong in PAIRS:
            if source != src:
                continue
            for bench in FOLDS:
                mask = (ls.benchmark == bench) & ~np.isnan(ls.quality[weak]) & ~np.isnan(ls.quality[strong])
                if not mask.any():
                    continue
                w, s = ls.quality[weak][mask], ls.quality[strong][mask]
                report["pairs"].append(
                    {
                        "benchmark": bench,
                        "weak": weak,
                        "strong": strong,
                        "n": int(mask.sum()),
                        "weak_quality": round(float(w.mean()), 4),
                        "strong_quality": round(float(s.mean()), 4),
                        "routers": {n: evaluate_pair(sc[mask], w, s) for n, sc in scored.items()},
                    }
                )
        if all(t in ls.quality for t in CLAUDE_TIERS):
            labelled = np.all([~np.isnan(ls.quality[t]) for t in CLAUDE_TIERS], axis=0)
            groups = sorted(set(ls.benchmark[labelled].tolist()))
            for name in groups + ["+".join(groups)]:
                mask = labelled & (np.isin(ls.benchmark, name.split("+")))
                quality = np.vstack([ls.quality[t][mask] for t in CLAUDE_TIERS])
                cost = np.vstack([ls.cost[t][mask] for t in CLAUDE_TIERS])
                oq, oc = oracle_outcome(quality, cost)
                top_cost = float(cost[-1].sum())
                report["tiers"].append(
                    {
                        "benchmark": name,
                        "n": int(mask.sum()),
                        "single": {
                            t: {"quality": round(float(quality[i].mean()), 4), "cost_share": round(float(cost[i].sum()) / top_cost, 4)}
                            for i, t in enumerate(CLAUDE_TIERS)
                        },
                        "oracle": {"quality": round(oq, 4), "cost_share": round(oc / top_cost, 4)},
                        "routers": {n: evaluate_tiers(sc[mask], quality, cost) for n, sc in scored.items()},
                    }
                )
    return report


def _short(model: str) -> str:
    return {"mixtral-8x7b-instruct": "Mixtral", "gpt-4-1106-preview": "GPT-4"}.get(model, model.split("-2024")[0].replace("claude-3-", "").title())


def print_loo(report: dict[str, Any]) -> None:
    """The README's table."""
    routers = list(report["pairs"][0]["routers"]) if report["pairs"] else ["learned"]
    print("Leave-one-benchmark-out: each benchmark is scored by weights fitted without it.")
    print("\nAPGR per benchmark (weak only = 0, strong only = 1, random = 0.5); learned AUC, CPT(50%), CPT(80%)")
    head = " ".join(f"{r:>8}" for r in routers)
    print(f"{'benchmark':<11} {'weak -> strong':<17} {'n':>6} {head}  {'AUC':>5} {'CPT50':>6} {'CPT80':>6}")
    for row in report["pairs"]:
        pair = f"{_short(row['weak'])} -> {_short(row['strong'])}"
        cells = " ".join(f"{row['routers'][r]['apgr']:>8.3f}" for r in routers)
        m = row["routers"]["learned"]
        print(
            f"{row['benchmark']:<11} {pair:<17} {row['n']:>6} {cells}  {m['auc']:>5.3f} {m['cpt50']:>6.1%} {m['cpt80']:>6.1%}"
        )
    print("\nClaude 3 Haiku < Sonnet < Opus: cost (share of Opus-only) of the cheapest thresholds reaching Opus-only accuracy")
    print(f"{'benchmark':<19} {'n':>5} {'Opus acc':>8} {head}  {'oracle':>7}")
    for row in report["tiers"]:
        cells = " ".join(
            f"{'never':>8}" if r["cost_share_at_top_quality"] is None else f"{r['cost_share_at_top_quality']:>8.1%}"
            for r in (row["routers"][n] for n in routers)
        )
        opus = row["single"][OPUS]["quality"]
        print(f"{row['benchmark']:<19} {row['n']:>5} {opus:>8.3f} {cells}  {row['oracle']['cost_share']:>7.1%}")
