"""Held-out evaluation: the README's tables, each from one command.

`router eval --cv K` refits on K-1 prompt-level folds of every benchmark and scores the
last (cv_report); `router eval --loo`, described here, leaves whole benchmarks out.

For each benchmark X in FOLDS the learned classifier is fitted without X (the
same fit as `router train --exclude X`) and scores only X's prompts. Every
prompt therefore gets a *cross-fitted* score from weights that never saw its
benchmark, and all figures below are measured on those scores:

- APGR (and CPT, AUC) per benchmark for each weak -> strong pair in PAIRS;
- for the three Claude 3 tiers, the cheapest threshold setting that reaches
  Opus-only accuracy, as a share of Opus-only cost, per benchmark and pooled
  (GSM8K + CRUXEval: Sonnet has no MATH-L5 run).

The open prompts (open_prompts: Arena-Hard, Arena, MMLU-Pro) are held out by source group
(see open_eval.OPEN_GROUPS: fit without the source, score on it) and reported as APGR per
cheap -> strong pair pooled per source (open_eval.open_rows); with --cv they are folded like
every benchmark, a prompt and its MMLU-Pro stem in the same fold.

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
CV_FOLDS = 5
CV_SEED = 0


def _held_out_scores(
    sets: Sequence[Any],
    held_out: Sequence[Sequence[Any]],
    progress: bool = False,
    tiers: dict[str, Any] | None = None,
    data_dir: Path | None = None,
) -> list[Any]:
    """Every prompt's difficulty from weights fitted without the group that holds it out.

    `held_out` has one entry per refit: a boolean mask per set of the rows it holds out.
    Rows that no refit holds out only ever train; their score is NaN. `tiers` (data.open_tiers)
    prices the open prompts' models for their gain; `data_dir` holds the expertise signal's
    training asks (without it the refits carry no expertise signal).
    """
    import numpy as np

    from router.classify import expertise, train
    from router.classify.learned import FORMAT_VERSION, LearnedClassifier
    from router.classify.traffic import DEFAULT_CORPUS

    everything = train.build_targets(sets, tiers)
    feats = train.featurize(everything.requests, progress=progress)
    # The traffic corpus fits the tier model in every refit (it is never scored here).
    corpus = train.read_traffic(DEFAULT_CORPUS) if DEFAULT_CORPUS.exists() else None
    # The expertise signal is fitted once, without the MMLU-Pro stems the figures score.
    expert = None
    if data_dir is not None and expertise.available(data_dir):
        expert = expertise.fit(data_dir, mmlu_pro=False)
    scores = np.full(len(everything.target), np.nan)
    iterator: Any = held_out
    if progress:
        from tqdm import tqdm

        iterator = tqdm(held_out, desc="folds", unit="fold", leave=False, file=sys.stderr)
    for masks in iterator:
        rows = np.concatenate(masks)
        # Targets are rebuilt from the training rows only (held-out labels would move the Rasch
        # abilities).
        ts = train.build_targets(
            [s.subset(~m) for s, m in zip(sets, masks, strict=True) if (~m).any()], tiers
        )
        params, meta = train.fit(feats.subset(~rows), ts, expert, corpus)
        clf = LearnedClassifier(params, {"format": FORMAT_VERSION, **meta})
        held = feats.subset(rows)
        scores[rows] = held.predict(clf)
    return _per_set(scores, sets)


def cross_fitted_scores(
    data_dir: Path, folds: Sequence[str] = FOLDS, progress: bool = False
) -> tuple[list[Any], list[Any]]:
    """The labelled sets and, for each, the difficulty of every prompt from the fold that left its
    benchmark (an open prompt: its source group) out.

    Prompts of other benchmarks (AlpacaEval) only ever train; their score is NaN.
    """
    import numpy as np

    from router import data
    from router.classify.open_eval import open_group

    sets = data.load(data_dir)
    masks = [[s.benchmark == b for s in sets] for b in folds]
    groups = sorted({g for s in sets for g in map(open_group, s.benchmark.tolist()) if g})
    masks += [
        [np.array([open_group(b) == g for b in s.benchmark.tolist()], dtype=bool) for s in sets]
        for g in groups
    ]
    tiers = data.open_tiers_near(data_dir)
    return sets, _held_out_scores(sets, masks, progress, tiers, Path(data_dir))


def loo_report(data_dir: Path, baselines: Sequence[str], progress: bool = False) -> dict[str, Any]:
    """Pairs and tiers figures on leave-one-benchmark-out scores, with the baselines."""
    from router.data import open_tiers_near

    sets, learned = cross_fitted_scores(data_dir, FOLDS, progress)
    head = {"mode": "loo", "folds": list(FOLDS)}
    return held_out_report(
        sets, learned, baselines, head, progress, tiers=open_tiers_near(data_dir)
    )


def prompt_folds(sets: Sequence[Any], k: int = CV_FOLDS, seed: int = CV_SEED) -> list[Any]:
    """Fold (0..k-1) of every row: prompt-level, stratified by benchmark, fixed seed.

    Rows are grouped by (benchmark, prompt text), so a prompt's repeated rows, and a GSM8K
    question present in two sources, always land in the same fold; open prompts by (source
    group, prompt id). Groups are sorted before
    the seeded shuffle: the folds do not depend on row order.
    """
    import numpy as np

    from router.classify.open_eval import open_group

    def key(ls: Any, i: int) -> tuple[str, str]:
        group = open_group(str(ls.benchmark[i]))
        if group:  # one prompt: both Arena-Hard sets, an MMLU-Pro question and its stem
            return f"open:{group}", ls.ids[i].removesuffix("#stem")
        return str(ls.benchmark[i]), " ".join(ls.text(i).split())

    keys = [[key(ls, i) for i in range(len(ls))] for ls in sets]
    fold_of: dict[tuple[str, str], int] = {}
    for bench in sorted({b for ks in keys for b, _ in ks}):
        groups = sorted({key for ks in keys for key in ks if key[0] == bench})
        order = np.random.default_rng(seed).permutation(len(groups))
        for rank, g in enumerate(order):
            fold_of[groups[g]] = rank % k
    return [np.array([fold_of[key] for key in ks], dtype=int) for ks in keys]


def cv_scores(
    data_dir: Path | Sequence[Any], k: int = CV_FOLDS, seed: int = CV_SEED, progress: bool = False
) -> tuple[list[Any], list[Any], list[Any]]:
    """The labelled sets, every prompt's score from the weights fitted on the other k-1 folds
    (all benchmarks), and every prompt's fold.

    Each fold's model has its own scale (its levels move with its training folds), so the
    scores of two folds must not be ranked against each other: report per fold (cv_report).
    """
    from router import data

    sets = data.load(data_dir) if isinstance(data_dir, (str, Path)) else list(data_dir)
    tiers = data.open_tiers_near(data_dir) if isinstance(data_dir, (str, Path)) else {}
    folds = prompt_folds(sets, k, seed)
    source = Path(data_dir) if isinstance(data_dir, (str, Path)) else None
    held = [[fs == f for fs in folds] for f in range(k)]
    return sets, _held_out_scores(sets, held, progress, tiers, source), folds


def _per_set(scores: Any, sets: Sequence[Any]) -> list[Any]:
    per_set, start = [], 0
    for ls in sets:
        per_set.append(scores[start : start + len(ls)])
        start += len(ls)
    return per_set


def cv_report(
    data_dir: Path | Sequence[Any],
    baselines: Sequence[str],
    k: int = CV_FOLDS,
    progress: bool = False,
    seed: int = CV_SEED,
) -> dict[str, Any]:
    """Pairs and tiers figures on k-fold (unseen prompts, same benchmarks) scores, with the
    baselines."""
    from router.data import open_tiers_near

    sets, learned, folds = cv_scores(data_dir, k, seed, progress)
    tiers = open_tiers_near(data_dir) if isinstance(data_dir, (str, Path)) else {}
    head = {"mode": "cv", "k": k, "seed": seed}
    return held_out_report(sets, learned, baselines, head, progress, folds, tiers)


def held_out_report(
    sets: Sequence[Any],
    learned: Sequence[Any],
    baselines: Sequence[str],
    head: dict[str, Any],
    progress: bool = False,
    folds: Sequence[Any] | None = None,
    tiers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Pairs and tiers figures for FOLDS' benchmarks on the given held-out learned scores and the
    baselines.

    With `folds` (each row's cross-validation fold), a pair's figures come from the mean of the
    curves measured inside each fold, where one model scored all the rows. The tier figure
    (the cheapest of a threshold sweep that reaches the top tier's quality) is too noisy on
    a fifth of a benchmark: it is measured on all rows, each learned score replaced by its
    percentile among its fold's rows of the same data set (the folds hold the same benchmark mix).
    """
    import numpy as np

    from router.classify.open_eval import open_group, open_rows
    from router.evaluate import baseline_scorers, evaluate_tiers, oracle_outcome, score_requests

    fns = baseline_scorers(baselines)
    report: dict[str, Any] = {**head, "pairs": [], "tiers": [], "open": []}
    for i, (ls, cross) in enumerate(zip(sets, learned, strict=True)):
        src = str(ls.source[0]) if ls.source is not None and len(ls) else ""
        in_folds = np.isin(ls.benchmark, list(FOLDS))
        if not in_folds.any():
            continue
        ls, cross = ls.subset(in_folds), cross[in_folds]
        fold = None if folds is None else folds[i][in_folds]
        scored = {
            "learned": cross,
            **{n: score_requests(f, ls.requests, progress) for n, f in fns.items()},
        }
        for source, weak, strong in PAIRS:
            if source != src:
                continue
            for bench in FOLDS:
                mask = (
                    (ls.benchmark == bench)
                    & ~np.isnan(ls.quality[weak])
                    & ~np.isnan(ls.quality[strong])
                )
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
                        "routers": {
                            n: _pair_figures(fold, mask, sc, ls.quality[weak], ls.quality[strong])
                            for n, sc in scored.items()
                        },
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
                            t: {
                                "quality": round(float(quality[i].mean()), 4),
                                "cost_share": round(float(cost[i].sum()) / top_cost, 4),
                            }
                            for i, t in enumerate(CLAUDE_TIERS)
                        },
                        "oracle": {"quality": round(oq, 4), "cost_share": round(oc / top_cost, 4)},
                        "routers": {
                            n: evaluate_tiers(
                                (_fold_percentiles(sc, fold) if n == "learned" else sc)[mask],
                                quality,
                                cost,
                            )
                            for n, sc in scored.items()
                        },
                    }
                )
    # After the benchmarks: the random baseline's draws for them stay as they were.
    open_scored = []
    for ls, cross in zip(sets, learned, strict=True):
        is_open = np.array([open_group(b) is not None for b in ls.benchmark.tolist()], dtype=bool)
        row = {"learned": cross}
        for n, f in fns.items():
            values = np.full(len(ls), np.nan)
            if is_open.any():
                values[is_open] = score_requests(
                    f, [ls.requests[j] for j in np.flatnonzero(is_open)], progress
                )
            row[n] = values
        open_scored.append(row)
    report["open"] = open_rows(sets, open_scored, tiers or {}, folds)
    return report


def _fold_percentiles(scores: Any, fold: Any) -> Any:
    """Scores unchanged without folds; else each row's percentile among its fold (ties share the
    mean rank)."""
    import numpy as np

    if fold is None:
        return scores
    out = np.empty(len(scores))
    for f in set(fold.tolist()):
        rows = fold == f
        ordered = np.sort(scores[rows])
        lo, hi = (
            np.searchsorted(ordered, scores[rows], "left"),
            np.searchsorted(ordered, scores[rows], "right"),
        )
        out[rows] = (lo + hi) / (2 * rows.sum())
    return out


def _pair_figures(fold: Any, mask: Any, scores: Any, weak: Any, strong: Any) -> dict[str, Any]:
    """evaluate_pair on the masked rows; with folds, the figures of the fold-size-weighted mean
    curve.

    Each fold's curve (quality at each strong-call share) comes from one model's ranking; the
    curves are averaged at a fine grid of shares and PGR is taken on the averaged qualities.
    (Averaging per-fold APGRs instead would divide by each fold's strong-weak gap, which is
    close to zero for near-equal pairs such as Haiku and Sonnet on GSM8K.)
    """
    import numpy as np

    from router.evaluate import PairCurve, apgr, auc, cpt, evaluate_pair, pair_curve

    if fold is None:
        return evaluate_pair(scores[mask], weak[mask], strong[mask])
    grid = np.linspace(0.0, 1.0, 1001)
    quality, sizes, aucs = [], [], []
    for f in sorted(set(fold[mask].tolist())):
        rows = mask & (fold == f)
        curve = pair_curve(scores[rows], weak[rows], strong[rows])
        quality.append(np.interp(grid, curve.share, curve.quality))
        sizes.append(rows.sum())
        aucs.append(auc(scores[rows], weak[rows] < 0.5))
    mean = PairCurve(
        grid,
        np.average(quality, axis=0, weights=sizes),
        float(weak[mask].mean()),
        float(strong[mask].mean()),
    )
    return {
        "apgr": round(apgr(mean), 4),
        "cpt50": round(cpt(mean, 0.5), 4),
        "cpt80": round(cpt(mean, 0.8), 4),
        "auc": round(float(np.average(aucs, weights=sizes)), 4),
    }


def _short(model: str) -> str:
    return {"mixtral-8x7b-instruct": "Mixtral", "gpt-4-1106-preview": "GPT-4"}.get(
        model, model.split("-2024")[0].replace("claude-3-", "").title()
    )


def print_loo(report: dict[str, Any]) -> None:
    """The README's tables (for --loo and --cv reports)."""
    routers = list(report["pairs"][0]["routers"]) if report["pairs"] else ["learned"]
    if report["mode"] == "cv":
        print(
            f"{report['k']}-fold cross-validation inside each benchmark (seed {report['seed']}): "
            "every prompt is "
            f"scored by weights fitted on the other {report['k'] - 1} folds of all benchmarks."
        )
    else:
        print("Leave-one-benchmark-out: each benchmark is scored by weights fitted without it.")
    print(
        "\nAPGR per benchmark (weak only = 0, strong only = 1, random = 0.5); learned AUC, "
        "CPT(50%), CPT(80%)"
    )
    head = " ".join(f"{r:>8}" for r in routers)
    print(
        f"{'benchmark':<11} {'weak -> strong':<17} {'n':>6} {head}  {'AUC':>5} {'CPT50':>6} "
        f"{'CPT80':>6}"
    )
    for row in report["pairs"]:
        pair = f"{_short(row['weak'])} -> {_short(row['strong'])}"
        cells = " ".join(f"{row['routers'][r]['apgr']:>8.3f}" for r in routers)
        m = row["routers"]["learned"]
        print(
            f"{row['benchmark']:<11} {pair:<17} {row['n']:>6} {cells}  {m['auc']:>5.3f} "
            f"{m['cpt50']:>6.1%} {m['cpt80']:>6.1%}"
        )
    print(
        "\nClaude 3 Haiku < Sonnet < Opus: cost (share of Opus-only) of the cheapest thresholds "
        "reaching Opus-only accuracy"
    )
    print(f"{'benchmark':<19} {'n':>5} {'Opus acc':>8} {head}  {'oracle':>7}")
    for row in report["tiers"]:
        cells = " ".join(
            f"{'never':>8}"
            if r["cost_share_at_top_quality"] is None
            else f"{r['cost_share_at_top_quality']:>8.1%}"
            for r in (row["routers"][n] for n in routers)
        )
        opus = row["single"][OPUS]["quality"]
        print(
            f"{row['benchmark']:<19} {row['n']:>5} {opus:>8.3f} {cells}  "
            f"{row['oracle']['cost_share']:>7.1%}"
        )
    from router.classify.open_eval import print_open

    print_open(report.get("open", []), report["mode"])
