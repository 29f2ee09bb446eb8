"""`router eval --traffic FILE`: the tier model on the labelled traffic corpus, held out.

Every request of FILE (training/traffic/requests.jsonl) is routed as the gateway routes it
(the classifier's Assessment, then `policy.decide` at the config's thresholds, so the
confidence rule and the capability rules apply) under three tier models, everything else
being the weights file's (the benchmark terms, the open term and the expertise signal never
see the corpus):

- `hand-set`: the hand-set tier weights (taxonomy.HAND_WEIGHTS): fitted without the corpus;
- `cross-validated`: for each of FOLDS folds, the tier model fitted on the other folds, whole
  template families dealt to folds (traffic.family_folds), so no template, and no variant of
  an ask over other pasted material, sits in both the fit and the scored fold;
- `in-sample`: the weights file's own tier model (the shipped one is fitted on all of FILE).

The top-tier rule (large_rule.py) is refitted with the tier model in every held-out fit and
applies at the weights file's cut; `hand-set` has no corpus, hence no rule of its own (it is
routed with the rule off). Printed per model: the figures of `router eval --open` (confusion,
large work sent to small, requests below their label, AUCs large vs small and short_hard vs
long_easy), with the rule on.

Then, for the family folds, each writer held out and in-sample, the rule's effect: large work
sent to small, the small tier's share, small work sent to large, requests below their label and
the cost as a share of sending everything to the top tier (the config's first deployment's list
prices, prompt plus calibrate.ANSWER_TOKENS answer tokens) with the rule off, on, and for the
baseline: the rule off and the small tier's threshold lowered until that column's large work
sent to small is no higher than with the rule on (tuned on the very requests it is scored on,
so it flatters the baseline).

When the corpus has requests by two or more writers (the `writer` field), it also prints the
same figures leave-one-writer-out: for each writer, the tier model fitted on every other
writer's requests and scored on that writer's only, the figure for an unseen writer's phrasing
(requests without a writer are always in the fit and never scored there); next to them, that
writer's requests under the family-fold model (the writer's other families in the fit) and the
in-sample one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from router.open_eval import LABELS

if TYPE_CHECKING:
    import numpy as np

FOLDS = 5
MODELS = ("hand-set", "cross-validated", "in-sample")
# The tier model's arrays in a weights file, in fit_tier_model's order.
TIER_KEYS = ("tier_coef", "vocab_coef", "embed_coef")


def traffic_report(
    path: str | Path,
    config_path: str | Path,
    weights: str | None = None,
    penalties: tuple[float, float, float] | None = None,
) -> dict[str, Any]:
    """Route the corpus under each tier model; `penalties` overrides (traffic.PENALTY,
    traffic.VOCAB_PENALTY, traffic.EMBED_PENALTY)."""
    import os

    import numpy as np

    from router.classify import embedding, traffic, train, vocabulary
    from router.classify.learned import DEFAULT_WEIGHTS, FORMAT_VERSION, LearnedClassifier
    from router.config import load_config
    from router.costs import build_catalog
    from router.open_eval import figures, offline_env
    from router.policy import Route, decide, needs_of

    corpus = traffic.load(path)
    labelled = train.read_traffic(Path(path))
    with np.load(Path(weights) if weights else DEFAULT_WEIGHTS, allow_pickle=False) as f:
        meta = json.loads(str(f["meta"]))
        params = {k: f[k] for k in f.files if k != "meta"}
    hand_tier = (traffic.hand_weights(), np.zeros(vocabulary.BUCKETS), np.zeros(embedding.DIMS))
    hand = {**dict(zip(TIER_KEYS, hand_tier, strict=True)), **train.large_params(hand_tier, 1.0)}
    cut = float(params["large_cut"][0])

    def refit(rows: np.ndarray) -> dict[str, np.ndarray]:
        """The tier model and the top-tier rule fitted on the requests where `rows` is true."""
        part = labelled.subset(rows)
        tier = dict(zip(TIER_KEYS, train.fit_tier_model(part, params, meta, penalties),
                        strict=True))
        large = train.fit_large_model(part, {**params, **tier}, meta, penalties)
        return {**tier, **train.large_params(large, cut)}

    folds = traffic.family_folds(corpus.families, FOLDS)
    models = {
        "hand-set": [hand] * FOLDS,
        "cross-validated": [refit(folds != k) for k in range(FOLDS)],
        "in-sample": [{}] * FOLDS,
    }
    config_text = Path(config_path).read_text(encoding="utf-8")
    config = load_config(config_path, env=offline_env(config_text, os.environ))
    catalog = build_catalog(config)
    names = [t.name for t in config.tiers]
    lam = penalties or (traffic.PENALTY, traffic.VOCAB_PENALTY, traffic.EMBED_PENALTY)

    def classifier(overrides: dict[str, np.ndarray]) -> LearnedClassifier:
        return LearnedClassifier({**params, **overrides}, {"format": FORMAT_VERSION, **meta})

    def route(classifiers: list[LearnedClassifier]) -> Routed:
        """Every request scored by its own classifier and routed with the rule on and off."""
        routed = Routed([], [], [])
        for request, clf in zip(corpus.requests, classifiers, strict=True):
            assessment = clf.score(request)
            uncapped = assessment.signals.get("confidence_capped_from", assessment.confidence)
            off = replace(assessment, confidence=float(uncapped))
            needs = needs_of(request)
            routed.scores.append(assessment.difficulty)
            for tiers, read in ((routed.chosen, assessment), (routed.off, off)):
                tiers.append(names.index(decide(config, catalog, needs, read, Route()).tier))
        return routed

    def figures_of(rows: np.ndarray, routed: Routed) -> dict[str, Any]:
        """The figures of the requests where the boolean mask `rows` is true."""
        keep = np.flatnonzero(rows)
        return figures(
            [corpus.tiers[i] for i in keep],
            [routed.chosen[i] for i in keep],
            [routed.scores[i] for i in keep],
            [corpus.groups[i] for i in keep],
        )

    tokens = np.array([needs_of(r).prompt_tokens for r in corpus.requests], dtype=np.float64)
    prices = tier_prices(config, catalog)

    def rule_of(rows: np.ndarray, routed: Routed) -> dict[str, Any]:
        """The rule's figures (off, on, lowered threshold) on the requests where `rows` is true."""
        keep = np.flatnonzero(rows)
        labels = np.array(corpus.tiers)[keep]
        on, off = np.array(routed.chosen)[keep], np.array(routed.off)[keep]
        scores, cost = np.array(routed.scores)[keep], prices(tokens[keep])
        result = {"off": rule_figures(labels, off, cost), "on": rule_figures(labels, on, cost)}
        threshold, lowered = lowered_threshold(
            labels, off, scores, result["on"]["large_to_small"] or 0.0
        )
        result["lowered"] = {**rule_figures(labels, lowered, cost), "threshold": threshold}
        return result

    report: dict[str, Any] = {
        "file": str(path),
        "n": len(corpus.tiers),
        "folds": FOLDS,
        "penalties": list(lam),
        "large_cut": cut,
        "models": {},
        "writers": {},
        "rule": {},
    }
    everything = np.ones(len(corpus.tiers), dtype=bool)
    routed = {}
    for model in MODELS:
        by_fold = [classifier(overrides) for overrides in models[model]]
        routed[model] = route([by_fold[k] for k in folds])
        report["models"][model] = figures_of(everything, routed[model])
    report["rule"]["family folds"] = rule_of(everything, routed["cross-validated"])
    writers = np.array([w or "" for w in corpus.writers])
    named = sorted(set(writers) - {""})
    for writer in named if len(named) > 1 else []:
        held_out = writers == writer
        clf = classifier(refit(~held_out))
        by_writer = route([clf] * len(writers))
        report["writers"][writer] = {
            "n": int(held_out.sum()),
            "n_fit": int((~held_out).sum()),
            **figures_of(held_out, by_writer),
            "cross-validated": figures_of(held_out, routed["cross-validated"]),
            "in-sample": figures_of(held_out, routed["in-sample"]),
        }
        report["rule"][f"{writer} held out"] = rule_of(held_out, by_writer)
    report["rule"]["in-sample"] = rule_of(everything, routed["in-sample"])
    report["labels"] = list(LABELS)
    return report


@dataclass
class Routed:
    """Per request: the difficulty, the tier chosen with the top-tier rule and without it."""

    scores: list[float]
    chosen: list[int]
    off: list[int]


def tier_prices(config: Any, catalog: Any) -> Callable[[np.ndarray], np.ndarray]:
    """A function of prompt tokens -> (requests x tiers) list price of each request on each
    tier (its first deployment's prices, with calibrate.ANSWER_TOKENS answer tokens)."""
    import numpy as np

    from router.calibrate import ANSWER_TOKENS

    rates = [catalog[t.deployments[0].name] for t in config.tiers]
    inputs = np.array([r.input_cost or 0.0 for r in rates])
    outputs = np.array([r.output_cost or 0.0 for r in rates])
    return lambda tokens: np.outer(tokens, inputs) + ANSWER_TOKENS * outputs


def rule_figures(labels: np.ndarray, chosen: np.ndarray, cost: np.ndarray) -> dict[str, Any]:
    """Large work sent to small, small share, small work sent to large, below label, and cost
    as a share of the top tier's (`cost`: requests x tiers)."""
    import numpy as np

    small, large = LABELS.index("small"), LABELS.index("large")

    def share(mask: np.ndarray, of: np.ndarray) -> float | None:
        return round(float(mask[of].mean()), 4) if of.any() else None

    everything = np.ones(len(labels), dtype=bool)
    top = float(cost[:, -1].sum())
    return {
        "large_to_small": share(chosen == small, labels == large),
        "small_share": share(chosen == small, everything),
        "small_to_large": share(chosen == large, labels == small),
        "below_label": share(chosen < labels, everything),
        "cost_share": round(float(cost[np.arange(len(chosen)), chosen].sum()) / top, 4)
        if top
        else None,
    }


def lowered_threshold(
    labels: np.ndarray, chosen: np.ndarray, scores: np.ndarray, target: float
) -> tuple[float | None, np.ndarray]:
    """The baseline: requests routed to small (rule off) above a lowered threshold go one tier
    up; the highest threshold whose large work sent to small is at most `target`. Returns
    (threshold, chosen tiers); threshold None when nothing needs moving."""
    import numpy as np

    small, large = LABELS.index("small"), LABELS.index("large")
    on_small = chosen == small
    n_large = max(1, int((labels == large).sum()))
    for t in [None, *sorted(set(scores[on_small].tolist()), reverse=True)]:
        moved = on_small & (scores > t) if t is not None else np.zeros(len(chosen), dtype=bool)
        kept = on_small & ~moved
        if (kept & (labels == large)).sum() / n_large <= target + 1e-9:
            return t, np.where(moved, small + 1, chosen)
    return -1.0, np.where(on_small, small + 1, chosen)


def print_traffic(report: dict[str, Any]) -> None:
    from router.open_eval import FIGURES

    print(
        f"traffic corpus {report['file']}: n={report['n']}, {report['folds']} family folds, "
        f"penalties {report['penalties'][0]:g} (reading) / {report['penalties'][1]:g} "
        f"(vocabulary) / {report['penalties'][2]:g} (embedding)"
    )
    print(f"\n  {'':<36}" + "".join(f"{m:>17}" for m in MODELS))
    for key, text, fmt in FIGURES:
        print(f"  {text:<36}" + "".join(f"{fmt(report['models'][m][key]):>17}" for m in MODELS))
    for model in MODELS:
        table = report["models"][model]["confusion"]
        rows = "; ".join(
            f"{lab}: {' / '.join(map(str, row))}"
            for lab, row in zip(report["labels"], table, strict=True)
        )
        print(f"  {model} confusion (labelled: chosen small / medium / large): {rows}")
    print_rule(report)
    writers = report["writers"]
    if not writers:
        return
    print("\nleave one writer out (tier model fitted on the other writers, scored on this one)")
    print(f"\n  {'':<36}" + "".join(f"{w:>12}" for w in writers))
    for key, text in (("n", "requests scored"), ("n_fit", "requests in the fit")):
        print(f"  {text:<36}" + "".join(f"{writers[w][key]:>12}" for w in writers))
    for key, text, fmt in FIGURES:
        print(f"  {text:<36}" + "".join(f"{fmt(writers[w][key]):>12}" for w in writers))
    heads = {"cross-validated": "by family", "in-sample": "in-sample"}
    columns = [(w, m) for w in writers for m in heads]
    print("\nthe same writers' requests under the family-fold and the in-sample tier models")
    print(f"\n  {'':<36}" + "".join(f"{f'{w} {heads[m]}':>16}" for w, m in columns))
    for key, text, fmt in FIGURES:
        print(f"  {text:<36}" + "".join(f"{fmt(writers[w][m][key]):>16}" for w, m in columns))
    for writer, figs in writers.items():
        rows = "; ".join(
            f"{lab}: {' / '.join(map(str, row))}"
            for lab, row in zip(report["labels"], figs["confusion"], strict=True)
        )
        print(f"  {writer} held out confusion (labelled: chosen small / medium / large): {rows}")


# The rule's figures, in order: report key, label.
RULE_FIGURES = (
    ("large_to_small", "large-labelled sent to small"),
    ("small_share", "requests sent to small"),
    ("small_to_large", "small-labelled sent to large"),
    ("below_label", "all requests sent below label"),
    ("cost_share", "cost, share of large only"),
)
RULE_COLUMNS = (("off", "rule off"), ("on", "rule on"), ("lowered", "lowered small"))


def print_rule(report: dict[str, Any]) -> None:
    """The top-tier rule on and off, and the lowered-threshold baseline, per held-out set."""
    from router.open_eval import _pct

    print(
        f"\nthe top-tier rule (p_large above {report['large_cut']:.4f}: not the small tier), and "
        "the baseline: rule off, small threshold lowered to the rule's large->small"
    )
    for name, figs in report["rule"].items():
        threshold = figs["lowered"]["threshold"]
        shown = "unchanged" if threshold is None else f"{threshold:.4f}"
        print(f"\n  {name} (lowered small threshold: {shown})")
        print(f"  {'':<36}" + "".join(f"{head:>15}" for _, head in RULE_COLUMNS))
        for key, text in RULE_FIGURES:
            print(f"  {text:<36}" + "".join(f"{_pct(figs[c][key]):>15}" for c, _ in RULE_COLUMNS))


def run_traffic(args: Any) -> int:
    """`router eval --traffic FILE [--config PATH] [--weights W] [--json]`."""
    from router.classify.traffic import CorpusError
    from router.config import ConfigError
    from router.open_eval import DEFAULT_CONFIG

    others = [
        flag
        for flag, value in (
            ("--data", args.data),
            ("--loo", args.loo),
            ("--cv", args.cv),
            ("--seed", args.seed),
            ("--benchmark", args.benchmark),
            ("--weak", args.weak),
            ("--strong", args.strong),
            ("--tiers", args.tiers),
            ("--plot", args.plot),
            ("--classifier", args.classifier),
        )
        if value
    ]
    if others:
        print(
            f"--traffic takes only --config, --weights and --json, not {', '.join(others)}",
            file=sys.stderr,
        )
        return 2
    try:
        report = traffic_report(args.traffic, args.config or DEFAULT_CONFIG, args.weights)
    except (CorpusError, ConfigError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report))
    else:
        print_traffic(report)
    return 0
