"""`router train`: fit the learned classifier from the shared routing data.

Targets: for every prompt, an estimate of "a Haiku-class model fails here".
- zeroeval_tiers: an item-response (Rasch) model over all 60 models,
  P(correct) = sigmoid(ability_model + ease_item); the target is
  1 - sigmoid(ability_haiku + ease_item). Using every model's answer smooths
  the single noisy 0/1 label of the cheap model.
- routellm_evals: 0.7 * (Mixtral wrong) + 0.3 * (GPT-4 wrong) (two models only).
- alpacaeval2_prefs: prompts ranked by the mean judge win probability of all
  49 models, mapped onto [CHAT_FLOOR, CHAT_FLOOR + CHAT_SPAN]. The judge scores
  relative to GPT-4 Turbo, so the absolute level is a modelling choice: open
  chat is put below competition maths and code reasoning, near grade-school maths.
These targets fit the per-task levels and the shared length term.

Gain, for the per-task within terms: what a stronger model adds on the prompt,
the mean of (Sonnet - Haiku, Opus - Haiku) correctness on zeroeval_tiers and
GPT-4 - Mixtral on routellm_evals (none on open chat).

Everything is deterministic (lbfgs / closed-form ridge, no sampling), so a
rerun on the same data writes the same weights.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from router.data import LabelledSet

REFERENCE_CHEAP_MODEL = "claude-3-haiku-20240307"
CHAT_FLOOR = 0.05
CHAT_SPAN = 0.45
TARGET_CLIP = 0.03

# A task needs this many training prompts for its own level; below it, the mean of the other levels.
MIN_TASK_PROMPTS = 100
# Signals of the shared within-task term. Leave-one-benchmark-out runs showed that only prompt
# length carries over between benchmarks: number, condition and code-line counts
# helped on the benchmarks they were fitted to and hurt on the held-out one.
WITHIN_NAMES = ("log_chars",)
WITHIN_ALPHA = 10.0
# A task with this many training prompts labelled for gain gets its own within-task term on
# every structure signal, fitted to the gain (see TrainingSet.gain). Prompt-level 5-fold
# cross-validation (`router eval --cv 5`) showed these signals rank unseen prompts of a seen
# task well once the target is what routing buys rather than how hard the prompt is; a task
# seen only on a few hundred prompts of another benchmark keeps the shared length term.
TASK_TERM_MIN_PROMPTS = 300
TASK_TERM_ALPHA = 10.0
# The stronger models whose gain over REFERENCE_CHEAP_MODEL the zeroeval gain averages.
GAIN_MODELS = ("claude-3-sonnet-20240229", "claude-3-opus-20240229")


@dataclass
class TrainingSet:
    requests: list[dict[str, Any]]
    target: np.ndarray  # P(a Haiku-class model fails), in [0, 1]
    benchmark: np.ndarray
    source: np.ndarray
    # What a stronger model adds over the cheap one on this prompt (strong - weak correctness,
    # in [-1, 1]); NaN where the data cannot say (open chat).
    gain: np.ndarray


def rasch(ls: LabelledSet) -> tuple[np.ndarray, dict[str, float]]:
    """Item ease and model ability from 0/1 labels (L2-regularised logistic fit)."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    models = ls.models
    rows, items, who, ys = [], [], [], []
    for j, m in enumerate(models):
        idx = np.flatnonzero(~np.isnan(ls.quality[m]))
        items.append(idx)
        who.append(np.full(len(idx), j))
        ys.append(ls.quality[m][idx])
    item = np.concatenate(items)
    model = np.concatenate(who)
    y = np.concatenate(ys) >= 0.5
    rows = np.arange(len(item))
    x = sparse.hstack(
        [
            sparse.csr_matrix((np.ones(len(item)), (rows, item)), shape=(len(item), len(ls))),
            sparse.csr_matrix((np.ones(len(item)), (rows, model)), shape=(len(item), len(models))),
        ]
    ).tocsr()
    fit = LogisticRegression(C=20.0, max_iter=5000, tol=1e-8).fit(x, y)
    coef = fit.coef_[0]
    ease = coef[: len(ls)] + fit.intercept_[0]
    ability = {m: float(coef[len(ls) + j]) for j, m in enumerate(models)}
    return ease, ability


def build_targets(sets: Sequence[LabelledSet]) -> TrainingSet:
    import numpy as np

    from router.data import ROUTELLM_STRONG, ROUTELLM_WEAK

    requests: list[dict[str, Any]] = []
    targets, gains, benches, sources = [], [], [], []
    for ls in sets:
        src = str(ls.source[0]) if ls.source is not None and len(ls) else "jsonl"
        gain = np.full(len(ls), np.nan)
        if src == "zeroeval_tiers":
            ease, ability = rasch(ls)
            cheap = ability.get(REFERENCE_CHEAP_MODEL, float(np.quantile(list(ability.values()), 0.25)))
            y = 1.0 / (1.0 + np.exp(ease + cheap))
            if REFERENCE_CHEAP_MODEL in ls.quality and all(m in ls.quality for m in GAIN_MODELS):
                diffs = np.vstack([ls.quality[m] - ls.quality[REFERENCE_CHEAP_MODEL] for m in GAIN_MODELS])
                known = ~np.isnan(diffs)
                gain = np.where(known.any(axis=0), np.where(known, diffs, 0.0).sum(axis=0) / np.maximum(1, known.sum(axis=0)), np.nan)
        elif src == "routellm_evals":
            y = 0.7 * (1.0 - ls.quality[ROUTELLM_WEAK]) + 0.3 * (1.0 - ls.quality[ROUTELLM_STRONG])
            gain = ls.quality[ROUTELLM_STRONG] - ls.quality[ROUTELLM_WEAK]
        elif src == "alpacaeval2_prefs":
            win = np.nanmean(np.vstack(list(ls.quality.values())), axis=0)
            rank = np.argsort(np.argsort(-win, kind="stable"), kind="stable")
            y = CHAT_FLOOR + CHAT_SPAN * (rank + 1) / len(win)
        else:
            raise ValueError(f"training needs the shared data folders; got source {src!r}")
        requests.extend(ls.requests)
        targets.append(y)
        gains.append(gain)
        benches.append(ls.benchmark.astype(str))
        sources.append(np.array([src] * len(ls)))
    return TrainingSet(
        requests, np.concatenate(targets), np.concatenate(benches), np.concatenate(sources), np.concatenate(gains)
    )


def featurize(requests: Sequence[dict[str, Any]], progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Structure signals and rule-detected task classes for many requests."""
    import numpy as np

    from router.classify.features import STRUCTURE_NAMES, conversation_text, structure_features
    from router.classify.tasks import detect_task

    rows, tasks = [], []
    iterator: Any = requests
    if progress:
        from tqdm import tqdm

        iterator = tqdm(requests, desc="features", unit="prompt", leave=False)
    for req in iterator:
        text, share, turns = conversation_text(req)
        rows.append(structure_features(req, text, share, turns))
        tasks.append(detect_task(text))
    structure = np.vstack(rows) if rows else np.zeros((0, len(STRUCTURE_NAMES)), dtype=np.float32)
    return structure, np.array(tasks, dtype=str)


def _group_weights(benchmark: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Each (source, benchmark) group gets the same total weight."""
    import numpy as np

    w = np.ones(len(benchmark))
    for src, bench in sorted(set(zip(source, benchmark, strict=True))):
        mask = (source == src) & (benchmark == bench)
        w[mask] = 1.0 / mask.sum()
    return w / w.mean()


def fit(
    structure: np.ndarray, tasks: np.ndarray, ts: TrainingSet
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit the per-task levels and the within-task terms; returns (arrays, meta) for the .npz."""
    import numpy as np

    from router.classify.features import STRUCTURE_NAMES
    from router.classify.tasks import TASK_CLASSES, TASK_OF

    y = np.clip(ts.target, TARGET_CLIP, 1.0 - TARGET_CLIP)
    z = np.log(y / (1.0 - y))
    w = _group_weights(ts.benchmark, ts.source)

    # Per-task level: weighted mean logit over the training prompts the detector puts in that task.
    fitted = {
        c: float(np.average(z[tasks == c], weights=w[tasks == c]))
        for c in TASK_CLASSES
        if (tasks == c).sum() >= MIN_TASK_PROMPTS
    }
    if not fitted:
        raise ValueError(f"need at least {MIN_TASK_PROMPTS} prompts of one task to train")
    prior = float(np.mean(list(fitted.values())))
    classes = list(TASK_CLASSES)
    levels = np.array([fitted.get(c, prior) for c in classes])

    # Within-task term: ridge on benchmark-demeaned signals and targets.
    idx = [STRUCTURE_NAMES.index(n) for n in WITHIN_NAMES]
    xw = structure[:, idx].astype(np.float64)
    groups = (ts.source, ts.benchmark)
    coef = _ridge(xw, z, w, groups, WITHIN_ALPHA)
    shared_spread = _demeaned(xw, *groups) @ coef

    # Per-task terms: every signal, fitted to the gain, rescaled to the shared term's spread
    # inside the task (the levels and the spread keep their meaning; only the order changes).
    x_all = structure.astype(np.float64)
    task_coef = np.zeros((len(classes), len(STRUCTURE_NAMES)))
    task_mu = np.zeros((len(classes), len(STRUCTURE_NAMES)))
    with_term = []
    for i, c in enumerate(classes):
        rows = (tasks == c) & np.isfinite(ts.gain)
        if rows.sum() < TASK_TERM_MIN_PROMPTS:
            continue
        sub = (ts.source[rows], ts.benchmark[rows])
        c_coef = _ridge(x_all[rows], ts.gain[rows], w[rows], sub, TASK_TERM_ALPHA)
        spread, reference = np.std(_demeaned(x_all[rows], *sub) @ c_coef), np.std(shared_spread[rows])
        if spread <= 0 or reference <= 0:  # no signal, or no scale to put it on
            continue
        task_coef[i] = c_coef * reference / spread
        task_mu[i] = np.average(x_all[rows], axis=0, weights=w[rows])
        with_term.append(c)

    params = {
        "levels": levels.astype(np.float32),
        "within_mu": np.average(xw, axis=0, weights=w).astype(np.float32),
        "within_coef": coef.astype(np.float32),
        "task_mu": task_mu.astype(np.float32),
        "task_coef": task_coef.astype(np.float32),
    }
    meta = {
        "classes": classes,
        "task_of": {c: TASK_OF.get(c, c) for c in classes},
        "levels_from_prior": sorted(set(classes) - set(fitted)),
        "within_names": list(WITHIN_NAMES),
        "task_term_names": list(STRUCTURE_NAMES),
        "task_terms": with_term,
        "reference_cheap_model": REFERENCE_CHEAP_MODEL,
        "benchmarks": sorted(set(ts.benchmark.tolist())),
        "n_prompts": int(len(ts.target)),
    }
    return params, meta


def _demeaned(x: np.ndarray, source: np.ndarray, benchmark: np.ndarray) -> np.ndarray:
    """x with each (source, benchmark) group's mean taken out: differences inside a benchmark."""
    out = x.copy()
    for src, bench in sorted(set(zip(source, benchmark, strict=True))):
        mask = (source == src) & (benchmark == bench)
        out[mask] -= out[mask].mean(axis=0)
    return out


def _ridge(x: np.ndarray, y: np.ndarray, w: np.ndarray, groups: tuple[np.ndarray, np.ndarray], alpha: float) -> np.ndarray:
    """Weighted ridge of y on x, both taken inside each (source, benchmark) group (no intercept)."""
    import numpy as np

    xd, yd = _demeaned(x, *groups), _demeaned(y[:, None], *groups)[:, 0]
    a = (xd * w[:, None]).T @ xd + alpha * np.eye(x.shape[1])
    return np.linalg.solve(a, (xd * w[:, None]).T @ yd)


def save(params: dict[str, np.ndarray], meta: dict[str, Any], path: Path) -> None:
    import numpy as np

    from router.classify.learned import FORMAT_VERSION

    path.parent.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"format": FORMAT_VERSION, **meta}, sort_keys=True)
    with path.open("wb") as f:  # np.savez on a handle: no zip timestamps from the path
        np.savez_compressed(f, meta=np.array(header), **params)


def train(data: Path, out: Path, exclude: Sequence[str] = (), progress: bool = False) -> dict[str, Any]:
    """Load, fit and save; returns the meta written."""
    import numpy as np

    from router import data as data_mod

    sets = data_mod.load(data)
    if exclude:
        sets = [s.subset(~np.isin(s.benchmark, list(exclude))) for s in sets]
        sets = [s for s in sets if len(s)]
    ts = build_targets(sets)
    structure, tasks = featurize(ts.requests, progress=progress)
    params, meta = fit(structure, tasks, ts)
    meta["excluded"] = sorted(exclude)
    save(params, meta, out)
    return meta


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from router.data import default_data_dir

    data = Path(args.data) if args.data else default_data_dir()
    meta = train(data, Path(args.out), exclude=args.exclude or (), progress=sys.stderr.isatty())
    size = os.path.getsize(args.out)
    print(
        f"wrote {args.out} ({size / 1024:.0f} KiB): {meta['n_prompts']} prompts, "
        f"benchmarks {', '.join(meta['benchmarks'])}, classes {', '.join(meta['classes'])}",
        file=sys.stderr,
    )
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "train",
        help="fit the learned difficulty classifier from labelled routing data",
        description=(
            "Fit the learned classifier (per-task levels + within-task gain or length terms) from the shared "
            "routing data and write a weights file. Deterministic: the same data gives "
            "the same weights."
        ),
        epilog=(
            "examples:\n"
            "  router train --out router/classify/weights/learned.npz   # the shipped weights\n"
            "  router train --data ../shared/data --exclude mmlu --out /tmp/no_mmlu.npz"
            "   # leave one benchmark out\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data",
        help="shared data folder, or one of its source folders "
        "(default: $TIANJI_DATA, else ../shared/data next to the repository)",
    )
    parser.add_argument("--out", required=True, help="weights file to write (.npz)")
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="BENCHMARK",
        help="leave this benchmark out of training (repeatable): gsm8k, math_l5, cruxeval_o, mmlu, alpaca",
    )
    parser.set_defaults(func=run)
