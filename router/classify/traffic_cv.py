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

Printed per model: the figures of `router eval --open` (confusion, large work sent to small,
requests below their label, AUCs large vs small and short_hard vs long_easy).

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
from pathlib import Path
from typing import Any

FOLDS = 5
MODELS = ("hand-set", "cross-validated", "in-sample")


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
    from router.open_eval import LABELS, figures, offline_env
    from router.policy import Route, decide, needs_of

    corpus = traffic.load(path)
    labelled = train.Traffic(train.featurize(corpus.requests), corpus.tiers, corpus.families)
    with np.load(Path(weights) if weights else DEFAULT_WEIGHTS, allow_pickle=False) as f:
        meta = json.loads(str(f["meta"]))
        params = {k: f[k] for k in f.files if k != "meta"}
    hand = (traffic.hand_weights(), np.zeros(vocabulary.BUCKETS), np.zeros(embedding.DIMS))
    folds = traffic.family_folds(corpus.families, FOLDS)
    models = {
        "hand-set": [hand] * FOLDS,
        "cross-validated": [
            train.fit_tier_model(labelled.subset(folds != k), params, meta, penalties)
            for k in range(FOLDS)
        ],
        "in-sample": [(params["tier_coef"], params["vocab_coef"], params["embed_coef"])] * FOLDS,
    }
    config_text = Path(config_path).read_text(encoding="utf-8")
    config = load_config(config_path, env=offline_env(config_text, os.environ))
    catalog = build_catalog(config)
    names = [t.name for t in config.tiers]
    lam = penalties or (traffic.PENALTY, traffic.VOCAB_PENALTY, traffic.EMBED_PENALTY)

    def classifier(tier: np.ndarray, vocab: np.ndarray, embed: np.ndarray) -> LearnedClassifier:
        return LearnedClassifier(
            {**params, "tier_coef": tier, "vocab_coef": vocab, "embed_coef": embed},
            {"format": FORMAT_VERSION, **meta},
        )

    def route(classifiers: list[LearnedClassifier]) -> tuple[list[int], list[float]]:
        """(chosen tier, difficulty) of every request, each scored by its own classifier."""
        chosen, scores = [], []
        for request, clf in zip(corpus.requests, classifiers, strict=True):
            assessment = clf.score(request)
            scores.append(assessment.difficulty)
            chosen.append(
                names.index(decide(config, catalog, needs_of(request), assessment, Route()).tier)
            )
        return chosen, scores

    def figures_of(rows: np.ndarray, routed: tuple[list[int], list[float]]) -> dict[str, Any]:
        """The figures of the requests where the boolean mask `rows` is true."""
        keep = np.flatnonzero(rows)
        return figures(
            [corpus.tiers[i] for i in keep],
            [routed[0][i] for i in keep],
            [routed[1][i] for i in keep],
            [corpus.groups[i] for i in keep],
        )

    report: dict[str, Any] = {
        "file": str(path),
        "n": len(corpus.tiers),
        "folds": FOLDS,
        "penalties": list(lam),
        "models": {},
        "writers": {},
    }
    everything = np.ones(len(corpus.tiers), dtype=bool)
    routed = {}
    for model in MODELS:
        by_fold = [classifier(*coefs) for coefs in models[model]]
        routed[model] = route([by_fold[k] for k in folds])
        report["models"][model] = figures_of(everything, routed[model])
    writers = np.array([w or "" for w in corpus.writers])
    named = sorted(set(writers) - {""})
    for writer in named if len(named) > 1 else []:
        held_out = writers == writer
        clf = classifier(*train.fit_tier_model(labelled.subset(~held_out), params, meta, penalties))
        report["writers"][writer] = {
            "n": int(held_out.sum()),
            "n_fit": int((~held_out).sum()),
            **figures_of(held_out, route([clf] * len(writers))),
            "cross-validated": figures_of(held_out, routed["cross-validated"]),
            "in-sample": figures_of(held_out, routed["in-sample"]),
        }
    report["labels"] = list(LABELS)
    return report


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
