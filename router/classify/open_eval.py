"""Routing figures on the labelled open prompts: APGR per cheap -> strong pair, pooled per source.

A judged source's labels compare models only inside that source, so every figure is taken
inside one benchmark of `data.load_open` (one judged source; MMLU-Pro twice, with and
without its options). Pairs: every cheap-tier model against every strong-tier model of the
source (models.csv's price tiers); a pair whose mean labels differ by less than MIN_GAP has no
gap to recover and is left out. The row's APGR is the mean over its pairs.

Leave-one-source-out (`router eval --loo`) holds out the groups in OPEN_GROUPS: the two
Arena-Hard sets share their prompts and MMLU-Pro's two phrasings share theirs, so each pair
of them is held out together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

OPEN_GROUPS = {
    "ko_arena_hard_v0.1": "arena-hard",
    "arena_hard_v0.1_en": "arena-hard",
    "arena_bench_v1": "arena-bench",
    "mmlu_pro": "mmlu-pro",
    "mmlu_pro_stem": "mmlu-pro",
}
MIN_GAP = 0.02


def open_group(benchmark: str) -> str | None:
    """The held-out group of an open_prompts benchmark; None for the other benchmarks."""
    return OPEN_GROUPS.get(benchmark)


def tier_pairs(ls: Any, tiers: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str]]:
    """(cheap, strong) model pairs of a set whose mean labels differ by at least MIN_GAP."""
    import numpy as np

    from router.classify.train import open_source_of

    tier = tiers.get(open_source_of(str(ls.benchmark[0])), {})
    cheap = sorted(m for m in ls.quality if tier.get(m) == "cheap")
    strong = sorted(m for m in ls.quality if tier.get(m) == "strong")
    return [
        (w, s)
        for w in cheap
        for s in strong
        if abs(float(np.nanmean(ls.quality[s]) - np.nanmean(ls.quality[w]))) >= MIN_GAP
    ]


def open_rows(
    sets: Sequence[Any],
    scored: Sequence[Mapping[str, Any]],
    tiers: Mapping[str, Mapping[str, str]],
    folds: Sequence[Any] | None = None,
) -> list[dict[str, Any]]:
    """One row per open benchmark: n, pairs and each router's mean APGR over the pairs.

    `scored[i]` maps router names to scores of set i's rows; `folds`, when given, are each
    row's cross-validation fold (pair figures then come from fold-averaged curves)."""
    import numpy as np

    from router.classify.crossval import _pair_figures

    rows = []
    for i, ls in enumerate(sets):
        for bench in sorted(set(ls.benchmark.tolist())):
            if open_group(bench) is None:
                continue
            mask = ls.benchmark == bench
            sub = ls.subset(mask)
            pairs = tier_pairs(sub, tiers)
            if not pairs:
                continue
            fold = None if folds is None else folds[i][mask]
            apgrs: dict[str, float] = {}
            for name, scores in scored[i].items():
                sc = np.asarray(scores)[mask]
                values = []
                for weak, strong in pairs:
                    ok = (
                        ~np.isnan(sub.quality[weak])
                        & ~np.isnan(sub.quality[strong])
                        & ~np.isnan(sc)
                    )
                    if ok.sum() >= 20:
                        values.append(
                            _pair_figures(fold, ok, sc, sub.quality[weak], sub.quality[strong])[
                                "apgr"
                            ]
                        )
                apgrs[name] = round(float(np.mean(values)), 4) if values else float("nan")
            rows.append(
                {"benchmark": bench, "n": int(mask.sum()), "pairs": len(pairs), "routers": apgrs}
            )
    return rows


def print_open(rows: Sequence[Mapping[str, Any]], mode: str) -> None:
    """The README's open-prompt table."""
    if not rows:
        return
    routers = list(rows[0]["routers"])
    held = "leave-one-source-out" if mode == "loo" else "cross-validated inside each source"
    print(
        f"\nOpen prompts ({held}): APGR, mean over the source's cheap -> strong pairs"
        " (models.csv tiers)"
    )
    head = " ".join(f"{r:>8}" for r in routers)
    print(f"{'source':<20} {'n':>6} {'pairs':>5} {head}")
    for row in rows:
        cells = " ".join(f"{row['routers'][r]:>8.3f}" for r in routers)
        print(f"{row['benchmark']:<20} {row['n']:>6} {row['pairs']:>5} {cells}")
