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
- open_prompts: no level target (its judges compare models only inside one source). Its
  gain, the mean label of the source's strong models minus that of its cheap ones (price tiers
  from models.csv; many cheap -> strong pairs pooled), fits the open term over the taxonomy's
  reading (see _open_term): MMLU-Pro questions count both with and without their options.

Gain, for the per-task within terms: what a stronger model adds on the prompt,
the mean of (Sonnet - Haiku, Opus - Haiku) correctness on zeroeval_tiers and
GPT-4 - Mixtral on routellm_evals (none on open chat). A task's term is a ridge
on the structure signals, plus the presence of the task's common words where an
inner cross-validation on the training prompts finds they predict the gain
(see _task_term).

Everything is deterministic (lbfgs / closed-form ridge, no sampling), so a
rerun on the same data writes the same weights.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from router.classify import large_rule
from router.classify.traffic import DEFAULT_CORPUS

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
# A task term may also weigh the words of the prompt (presence of each word that occurs in at
# least WORD_MIN_DOCS of the task's training prompts, and not in all), shrunk by one of
# WORD_ALPHAS while the structure signals keep TASK_TERM_ALPHA. Whether a task gets words, and
# which alpha, is decided by an inner cross-validation on the training prompts (INNER_FOLDS
# folds by prompt text; see _task_term): words must clearly help every model pair the task is
# labelled for. Words name what a prompt is about (an MMLU subject); on code they mostly name
# variables, and on maths they helped GPT-4/Mixtral but not clearly the Claude pairs.
WORD_MIN_DOCS = 20
WORD_ALPHAS = (300.0, 1000.0, 3000.0)
INNER_FOLDS = 5
# A model pair joins that check when it has labels on this many of the task's prompts.
MIN_PAIR_PROMPTS = 100
# "Clearly": by this many standard errors of a correlation (1 / sqrt(n) each). With one standard
# error, single folds of `router eval --cv 5` took words for maths on a lucky inner split, and
# those folds ranked worse than the structure term.
WORD_MIN_Z = 2.0
# The open term: ridge penalty, and its spread (std of its logit) on the open prompts. In-source
# 5-fold cross-validation on the open prompts gains little from a wider spread, and the term does
# not carry across sources (leave-one-source-out): wider, it moves traffic it never saw by its
# domain alone (an easy coding ask that names a number read as mathematics).
OPEN_TERM_ALPHA = 100.0
OPEN_TERM_SPREAD = 0.3
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
    # The same per model pair ("strong - weak" -> strong minus weak correctness, NaN off the pair's
    # rows): a task term serves every pair, so the inner fit checks its words against each.
    pair_gains: dict[str, np.ndarray] = field(default_factory=dict)
    # Strong-tier minus cheap-tier mean label on the open prompts (NaN elsewhere).
    open_gain: np.ndarray | None = None

    def subset(self, rows: np.ndarray) -> TrainingSet:
        """The rows where the boolean mask `rows` is true."""
        import numpy as np

        gain = self.open_gain if self.open_gain is not None else np.full(len(self.target), np.nan)
        return TrainingSet(
            [r for r, keep in zip(self.requests, rows, strict=True) if keep],
            self.target[rows],
            self.benchmark[rows],
            self.source[rows],
            self.gain[rows],
            {name: g[rows] for name, g in self.pair_gains.items()},
            gain[rows],
        )


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


def build_targets(
    sets: Sequence[LabelledSet], open_tiers: dict[str, dict[str, str]] | None = None
) -> TrainingSet:
    """Targets for every row of `sets`; `open_tiers` (data.open_tiers) prices the open prompts'
    models."""
    import numpy as np

    from router.data import OPEN_SOURCE, ROUTELLM_STRONG, ROUTELLM_WEAK

    open_tiers = open_tiers or {}

    requests: list[dict[str, Any]] = []
    targets, gains, benches, sources, open_gains = [], [], [], [], []
    pairs: list[dict[str, np.ndarray]] = []
    for ls in sets:
        src = str(ls.source[0]) if ls.source is not None and len(ls) else "jsonl"
        gain = np.full(len(ls), np.nan)
        open_gain = np.full(len(ls), np.nan)
        pair: dict[str, np.ndarray] = {}
        if src == OPEN_SOURCE:
            y = np.full(len(ls), np.nan)
            open_gain = tier_gain(ls, open_tiers)
        elif src == "zeroeval_tiers":
            ease, ability = rasch(ls)
            cheap = ability.get(
                REFERENCE_CHEAP_MODEL, float(np.quantile(list(ability.values()), 0.25))
            )
            y = 1.0 / (1.0 + np.exp(ease + cheap))
            if REFERENCE_CHEAP_MODEL in ls.quality and all(m in ls.quality for m in GAIN_MODELS):
                diffs = np.vstack(
                    [ls.quality[m] - ls.quality[REFERENCE_CHEAP_MODEL] for m in GAIN_MODELS]
                )
                pair = {
                    f"{m} - {REFERENCE_CHEAP_MODEL}": d
                    for m, d in zip(GAIN_MODELS, diffs, strict=True)
                }
                known = ~np.isnan(diffs)
                gain = np.where(
                    known.any(axis=0),
                    np.where(known, diffs, 0.0).sum(axis=0) / np.maximum(1, known.sum(axis=0)),
                    np.nan,
                )
        elif src == "routellm_evals":
            y = 0.7 * (1.0 - ls.quality[ROUTELLM_WEAK]) + 0.3 * (1.0 - ls.quality[ROUTELLM_STRONG])
            gain = ls.quality[ROUTELLM_STRONG] - ls.quality[ROUTELLM_WEAK]
            pair = {f"{ROUTELLM_STRONG} - {ROUTELLM_WEAK}": gain}
        elif src == "alpacaeval2_prefs":
            win = np.nanmean(np.vstack(list(ls.quality.values())), axis=0)
            rank = np.argsort(np.argsort(-win, kind="stable"), kind="stable")
            y = CHAT_FLOOR + CHAT_SPAN * (rank + 1) / len(win)
        else:
            raise ValueError(f"training needs the shared data folders; got source {src!r}")
        requests.extend(ls.requests)
        targets.append(y)
        gains.append(gain)
        open_gains.append(open_gain)
        pairs.append(pair)
        benches.append(ls.benchmark.astype(str))
        sources.append(np.array([src] * len(ls)))
    names = sorted({name for pair in pairs for name in pair})
    pair_gains = {
        name: np.concatenate(
            [pair.get(name, np.full(len(ls), np.nan)) for ls, pair in zip(sets, pairs, strict=True)]
        )
        for name in names
    }
    return TrainingSet(
        requests,
        np.concatenate(targets),
        np.concatenate(benches),
        np.concatenate(sources),
        np.concatenate(gains),
        pair_gains,
        np.concatenate(open_gains),
    )


def tier_gain(ls: LabelledSet, tiers: dict[str, dict[str, str]]) -> np.ndarray:
    """Per prompt: mean label of the set's strong-tier models minus that of its cheap-tier ones."""
    import warnings

    import numpy as np

    tier = tiers.get(open_source_of(str(ls.benchmark[0])), {}) if len(ls) else {}
    strong = [ls.quality[m] for m in ls.quality if tier.get(m) == "strong"]
    cheap = [ls.quality[m] for m in ls.quality if tier.get(m) == "cheap"]
    if not strong or not cheap:
        return np.full(len(ls), np.nan)
    with warnings.catch_warnings():  # a prompt no strong (or cheap) model has a label for: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.vstack(strong), axis=0) - np.nanmean(np.vstack(cheap), axis=0)


def open_source_of(benchmark: str) -> str:
    """The judged source (models.csv's name) of an open_prompts benchmark name."""
    return "mmlu-pro" if benchmark.startswith("mmlu_pro") else benchmark.replace("_", "-")


@dataclass
class Features:
    """What the fit reads of each request: structure signals, task class, words, inner fold, and
    the taxonomy's reading (tier-model inputs, open vector, whether the benchmark score applies)."""

    structure: np.ndarray
    tasks: np.ndarray
    words: list[frozenset[str]]
    inner_fold: np.ndarray  # from a hash of the normalised text: a prompt's copies share a fold
    inputs: np.ndarray  # the reading's inputs to the tier model (taxonomy.READING_INPUTS)
    open: np.ndarray
    bench_ok: np.ndarray
    asks: list[str]  # what the expertise signal reads of each request (learned.expertise_ask)
    vocab_asks: list[str]  # what the vocabulary term reads (taxonomy.request_ask)
    embeddings: np.ndarray  # the ask's embedding (embedding.py), one row per request

    def subset(self, rows: np.ndarray) -> Features:
        """The rows where the boolean mask `rows` is true."""
        import numpy as np

        return Features(
            self.structure[rows],
            self.tasks[rows],
            [self.words[i] for i in np.flatnonzero(rows)],
            self.inner_fold[rows],
            self.inputs[rows],
            self.open[rows],
            self.bench_ok[rows],
            [self.asks[i] for i in np.flatnonzero(rows)],
            [self.vocab_asks[i] for i in np.flatnonzero(rows)],
            self.embeddings[rows],
        )

    def predict(self, clf: Any) -> np.ndarray:
        """The difficulty `clf` (a LearnedClassifier) gives every row."""
        return clf.predict(
            self.structure,
            self.tasks,
            self.words,
            self.inputs,
            self.open,
            self.bench_ok,
            self.asks,
            self.vocab_asks,
            self.embeddings,
        )


def featurize(requests: Sequence[dict[str, Any]], progress: bool = False) -> Features:
    """Structure signals, rule-detected task classes and words for many requests."""
    import zlib

    import numpy as np

    from router.classify import embedding
    from router.classify.features import (
        STRUCTURE_NAMES,
        conversation_text,
        structure_features,
        words,
    )
    from router.classify.learned import embedding_ask, expertise_ask, format_applies
    from router.classify.tasks import detect_task
    from router.classify.taxonomy import (
        OPEN_NAMES,
        READING_INPUTS,
        open_vector,
        read_request,
        request_ask,
    )

    rows, tasks, word_sets, folds, inputs, opens, bench_ok, asks = [], [], [], [], [], [], [], []
    vocab_asks: list[str] = []
    vectors: list[np.ndarray] = []
    embed = embedding.load()
    iterator: Any = requests
    if progress:
        from tqdm import tqdm

        iterator = tqdm(requests, desc="features", unit="prompt", leave=False)
    for req in iterator:
        text, share, turns, task_text = conversation_text(req)
        rows.append(structure_features(req, text, share, turns))
        task = detect_task(task_text)
        reading = read_request(req, text, multiple_choice=task == "knowledge")
        tasks.append(task)
        word_sets.append(words(text))
        folds.append(zlib.crc32(" ".join(text.split()).encode()) % INNER_FOLDS)
        inputs.append(reading.inputs)
        opens.append(open_vector(reading))
        bench_ok.append(format_applies(task, text, reading))
        asks.append(expertise_ask(req, reading, task == "knowledge"))
        vocab_asks.append(request_ask(req, task == "knowledge"))
        vectors.append(embed.vector(embedding_ask(req)))
    structure = np.vstack(rows) if rows else np.zeros((0, len(STRUCTURE_NAMES)), dtype=np.float32)
    return Features(
        structure,
        np.array(tasks, dtype=str),
        word_sets,
        np.array(folds, dtype=int),
        np.array(inputs, dtype=np.float64).reshape(len(inputs), len(READING_INPUTS)),
        np.array(opens, dtype=np.float64).reshape(len(inputs), len(OPEN_NAMES)),
        np.array(bench_ok, dtype=bool),
        asks,
        vocab_asks,
        np.array(vectors, dtype=np.float64).reshape(len(vectors), embedding.DIMS),
    )


def _group_weights(benchmark: np.ndarray, source: np.ndarray) -> np.ndarray:
    """Each (source, benchmark) group gets the same total weight."""
    import numpy as np

    w = np.ones(len(benchmark))
    for src, bench in sorted(set(zip(source, benchmark, strict=True))):
        mask = (source == src) & (benchmark == bench)
        w[mask] = 1.0 / mask.sum()
    return w / w.mean()


@dataclass
class Traffic:
    """The traffic corpus as the tier model's fit reads it (see traffic.py): features, labels,
    template families, writers and the requests themselves (the top-tier rule's cut scores
    held-out requests as the gateway does)."""

    feats: Features
    tiers: list[int]
    families: list[str]
    writers: list[str | None]
    requests: list[dict[str, Any]]

    def subset(self, rows: np.ndarray) -> Traffic:
        """The requests where the boolean mask `rows` is true."""
        import numpy as np

        keep = np.flatnonzero(rows)
        return Traffic(
            self.feats.subset(rows),
            [self.tiers[i] for i in keep],
            [self.families[i] for i in keep],
            [self.writers[i] for i in keep],
            [self.requests[i] for i in keep],
        )


def read_traffic(path: Path) -> Traffic:
    """Load and featurize the traffic corpus at `path`."""
    from router.classify import traffic

    corpus = traffic.load(path)
    return Traffic(
        featurize(corpus.requests), corpus.tiers, corpus.families, corpus.writers, corpus.requests
    )


def fit(
    feats: Features,
    ts: TrainingSet,
    expert: tuple[np.ndarray, float, dict[str, Any]] | None = None,
    corpus: Traffic | None = None,
    penalties: tuple[float, float, float] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit the benchmark terms on the benchmark rows, the open term on the open prompts and the
    tier model on the traffic `corpus` (without one, the tier model keeps the hand-set weights);
    `expert` is the expertise signal's fit (expertise.fit), shipped as it is. Returns (arrays,
    meta) for the .npz."""
    import numpy as np

    from router.classify import embedding, traffic, vocabulary
    from router.classify.learned import TIER_NAMES
    from router.classify.taxonomy import OPEN_NAMES

    bench_rows = np.isfinite(ts.target)
    params, meta = _fit_benchmarks(feats.subset(bench_rows), ts.subset(bench_rows))
    open_gain = ts.open_gain if ts.open_gain is not None else np.full(len(ts.target), np.nan)
    open_rows = np.isfinite(open_gain)
    mu, coef = _open_term(feats.open[open_rows], open_gain[open_rows], ts.benchmark[open_rows])
    params["open_mu"] = mu.astype(np.float32)
    params["open_coef"] = coef.astype(np.float32)
    meta["open_names"] = list(OPEN_NAMES)
    meta["open_benchmarks"] = sorted(set(ts.benchmark[open_rows].tolist()))
    meta["n_open_prompts"] = int(open_rows.sum())
    if expert is not None:
        coef, bias, expert_meta = expert
        params["expert_coef"] = np.asarray(coef, dtype=np.float32)
        params["expert_bias"] = np.array([bias], dtype=np.float32)
        meta.update(expert_meta)
    hand = traffic.hand_weights()
    params["tier_coef"] = hand.astype(np.float32)
    params["vocab_coef"] = np.zeros(vocabulary.BUCKETS, dtype=np.float32)
    meta["tier_names"] = list(TIER_NAMES)
    meta["vocab_buckets"] = vocabulary.BUCKETS
    params["embed_coef"] = np.zeros(embedding.DIMS, dtype=np.float32)
    params["embed_mu"] = np.zeros(embedding.DIMS, dtype=np.float32)
    meta["embed_dims"] = embedding.DIMS
    meta["n_traffic_requests"] = 0
    hand_tier = (hand, np.zeros(vocabulary.BUCKETS), np.zeros(embedding.DIMS))
    # Without a corpus the top-tier rule is the hand-set tier model's own P(large), and off.
    params.update(large_params(hand_tier, cut=1.0))
    if corpus is not None and corpus.tiers:
        # The term reads an ask's embedding against the corpus's mean ask (no labels used): an
        # uncentred vector's mean direction acted as a second intercept, learned from a corpus
        # with more hard requests than traffic has, and lifted every everyday ask.
        params["embed_mu"] = corpus.feats.embeddings.mean(axis=0).astype(np.float32)
        tier, vocab, embed = fit_tier_model(corpus, params, meta, penalties)
        params["tier_coef"] = tier.astype(np.float32)
        params["vocab_coef"] = vocab.astype(np.float32)
        params["embed_coef"] = embed.astype(np.float32)
        meta["n_traffic_requests"] = len(corpus.tiers)
        meta["tier_penalties"] = list(
            penalties or (traffic.PENALTY, traffic.VOCAB_PENALTY, traffic.EMBED_PENALTY)
        )
        # The top-tier rule (large_rule.py), off (cut 1) until `router train` chooses its cut
        # on held-out predictions (choose_large_cut).
        params.update(large_params(fit_large_model(corpus, params, meta, penalties), cut=1.0))
    meta["large_penalty_scale"] = large_rule.PENALTY_SCALE
    return params, meta


def large_params(
    coefs: tuple[np.ndarray, np.ndarray, np.ndarray], cut: float
) -> dict[str, np.ndarray]:
    """The weights file's arrays of the top-tier rule: its (tier, vocabulary, embedding)
    weights, its bias (minus the tier model's upper cut point) and its cut."""
    import numpy as np

    return {
        "large_tier_coef": coefs[0].astype(np.float32),
        "large_vocab_coef": coefs[1].astype(np.float32),
        "large_embed_coef": coefs[2].astype(np.float32),
        "large_bias": np.array([large_rule.bias()], dtype=np.float32),
        "large_cut": np.array([cut], dtype=np.float32),
    }


def fit_large_model(
    corpus: Traffic,
    params: dict[str, np.ndarray],
    meta: dict[str, Any],
    penalties: tuple[float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The top-tier rule's (tier, vocabulary, embedding) weights: "labelled large" against the
    rest of the corpus, started from and shrunk towards `params`' tier model (large_rule.py)."""
    import numpy as np

    from router.classify import traffic

    design, offset = _traffic_design(corpus.feats, params, meta)
    hand = traffic.hand_weights()
    n_words = params["vocab_coef"].shape[0]
    start = np.concatenate(
        [params[k].astype(np.float64) for k in ("tier_coef", "vocab_coef", "embed_coef")]
    )
    lam = large_rule.PENALTY_SCALE * traffic.penalties(
        len(hand), n_words, design.shape[1] - len(hand) - n_words, *(penalties or ())
    )
    w = traffic.sample_weights(corpus.tiers, corpus.families)
    is_large = np.asarray(corpus.tiers) == traffic.TIERS.index("large")
    coef = large_rule.fit(design, is_large, offset + large_rule.bias(), w, start, lam)
    cut = len(hand) + n_words
    return coef[: len(hand)], coef[len(hand) : cut], coef[cut:]


def choose_large_cut(
    corpus: Traffic,
    params: dict[str, np.ndarray],
    meta: dict[str, Any],
    penalties: tuple[float, float, float] | None = None,
) -> tuple[float, dict[str, Any]]:
    """The top-tier rule's cut, chosen on held-out predictions of the corpus (large_rule.py):
    for every family fold and every writer held out, the tier model and the rule refitted
    without those requests, which are then scored as the gateway scores them (rule off).
    Returns (cut, what the choice saw)."""
    import numpy as np

    from router.classify import traffic, traffic_cv
    from router.classify.learned import FORMAT_VERSION, LearnedClassifier
    from router.policy import MIN_CHEAP_CONFIDENCE

    splits = large_rule.held_out_splits(corpus.families, corpus.writers, traffic_cv.FOLDS)
    n = len(corpus.tiers)
    p_large = {name: np.zeros(n) for name, _ in splits}
    goes_small = {name: np.zeros(n, dtype=bool) for name, _ in splits}
    for name, held in splits:
        fold = dict(params)
        rest = corpus.subset(~held)
        tier = fit_tier_model(rest, params, meta, penalties)
        fold.update(zip(("tier_coef", "vocab_coef", "embed_coef"), tier, strict=True))
        fold.update(large_params(fit_large_model(rest, fold, meta, penalties), cut=1.0))
        clf = LearnedClassifier(fold, {"format": FORMAT_VERSION, **meta})
        for i in np.flatnonzero(held):
            a = clf.score(corpus.requests[i])
            p_large[name][i] = float(a.signals["p_large"])
            goes_small[name][i] = (
                a.difficulty <= traffic.TIER_CUTS[0] and a.confidence >= MIN_CHEAP_CONFIDENCE
            )
    is_large = np.asarray(corpus.tiers) == traffic.TIERS.index("large")
    sets = [
        [name for name, _ in splits if name.startswith("family fold")],
        [name for name, _ in splits if not name.startswith("family fold")],
    ]
    masks = {name: held for name, held in splits}
    cut = 1.0
    for names in (s for s in sets if s):
        rows = np.logical_or.reduce([masks[m] for m in names])
        p = np.sum([np.where(masks[m], p_large[m], 0.0) for m in names], axis=0)
        small = np.logical_or.reduce([goes_small[m] & masks[m] for m in names])
        cut = min(cut, large_rule.choose_cut(p, small, is_large, [rows]))
    return cut, {
        "large_cut_target": large_rule.LARGE_TO_SMALL_TARGET,
        "large_cut_splits": [name for name, _ in splits],
    }


def _traffic_design(
    feats: Features, params: dict[str, np.ndarray], meta: dict[str, Any]
) -> tuple[Any, np.ndarray]:
    """(sparse [reading inputs, expertise strength | hashed words | centred embedding], the open
    term as a fixed offset) of `feats`: the columns the tier model and the top-tier rule weigh."""
    import numpy as np
    from scipy import sparse

    from router.classify import vocabulary

    x, offset = _tier_design(feats, params, meta)
    words = vocabulary.design(feats.vocab_asks)
    vectors = feats.embeddings - params["embed_mu"].astype(np.float64)
    design = sparse.hstack([sparse.csr_matrix(x), words, sparse.csr_matrix(vectors)]).tocsr()
    return design, offset


def fit_tier_model(
    corpus: Traffic,
    params: dict[str, np.ndarray],
    meta: dict[str, Any],
    penalties: tuple[float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tier weights, vocabulary weights, embedding weights) fitted to the corpus's labels; the
    other weights are `params`' (the open term and the expertise signal enter as they are)."""
    import numpy as np

    from router.classify import embedding, traffic, vocabulary

    design, offset = _traffic_design(corpus.feats, params, meta)
    hand = traffic.hand_weights()
    n_words, n_embed = vocabulary.BUCKETS, embedding.DIMS
    start = np.concatenate([hand, np.zeros(n_words + n_embed)])
    lam = traffic.penalties(len(hand), n_words, n_embed, *(penalties or ()))
    w = traffic.sample_weights(corpus.tiers, corpus.families)
    coef = traffic.fit_tiers(design, corpus.tiers, offset, w, start, lam)
    cut = len(hand) + n_words
    return coef[: len(hand)], coef[len(hand) : cut], coef[cut:]


def _tier_design(
    feats: Features, params: dict[str, np.ndarray], meta: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """The tier model's inputs (reading inputs, expertise strength) and fixed offset (the open
    term) for `feats`, under the weights fitted so far."""
    import numpy as np

    from router.classify.learned import FORMAT_VERSION, LearnedClassifier

    clf = LearnedClassifier(params, {"format": FORMAT_VERSION, **meta})
    strengths = np.array([clf.expert_strength(a)[1] for a in feats.asks], dtype=np.float64)
    mu, coef = params["open_mu"].astype(np.float64), params["open_coef"].astype(np.float64)
    offset = (feats.open - mu) @ coef
    return np.column_stack([feats.inputs, strengths]), offset


def _open_term(
    x: np.ndarray, gain: np.ndarray, benchmark: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ridge of the open prompts' gain on the taxonomy's open vector, inside each benchmark, every
    benchmark weighing the same; scaled to OPEN_TERM_SPREAD on those prompts (zero without any)."""
    import numpy as np

    if len(gain) == 0:
        return np.zeros(x.shape[1]), np.zeros(x.shape[1])
    source = np.array(["open"] * len(gain))
    w = _group_weights(benchmark, source)
    groups = (source, benchmark)
    coef = _ridge(x, gain, w, groups, OPEN_TERM_ALPHA)
    spread = float(np.std(_demeaned(x, *groups) @ coef))
    mu = np.average(x, axis=0, weights=w)
    return mu, (coef * OPEN_TERM_SPREAD / spread if spread > 0 else coef * 0.0)


def _fit_benchmarks(
    feats: Features, ts: TrainingSet
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit the per-task levels and the within-task terms of the benchmark formats."""
    import numpy as np

    structure, tasks = feats.structure, feats.tasks

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

    # Per-task terms: structure signals (and words, if the inner fit picks them), fitted to the
    # gain, rescaled to the shared term's spread inside the task (the levels and the spread keep
    # their meaning; only the order changes).
    task_coef = np.zeros((len(classes), len(STRUCTURE_NAMES)))
    task_mu = np.zeros((len(classes), len(STRUCTURE_NAMES)))
    task_offset = np.zeros(len(classes))
    word_list: list[str] = []
    word_task: list[int] = []
    word_coef: list[float] = []
    with_term, kinds, inner = [], {}, {}
    for i, c in enumerate(classes):
        rows = (tasks == c) & np.isfinite(ts.gain)
        if rows.sum() < TASK_TERM_MIN_PROMPTS:
            continue
        pair_gains = {name: g[rows] for name, g in ts.pair_gains.items()}
        term = _task_term(
            feats.subset(rows),
            ts.gain[rows],
            pair_gains,
            w[rows],
            (ts.source[rows], ts.benchmark[rows]),
        )
        reference = np.std(shared_spread[rows])
        if term.spread <= 0 or reference <= 0:  # no signal, or no scale to put it on
            continue
        scale = reference / term.spread
        task_coef[i] = term.coef * scale
        task_mu[i] = term.mu
        task_offset[i] = term.offset * scale
        for word, value in term.words.items():
            word_list.append(word)
            word_task.append(i)
            word_coef.append(value * scale)
        with_term.append(c)
        kinds[c] = term.kind
        inner[c] = term.inner

    params = {
        "levels": levels.astype(np.float32),
        "within_mu": np.average(xw, axis=0, weights=w).astype(np.float32),
        "within_coef": coef.astype(np.float32),
        "task_mu": task_mu.astype(np.float32),
        "task_coef": task_coef.astype(np.float32),
        "task_offset": task_offset.astype(np.float32),
        "word_list": np.array(word_list, dtype=str),
        "word_task": np.array(word_task, dtype=np.int16),
        "word_coef": np.array(word_coef, dtype=np.float32),
    }
    meta = {
        "classes": classes,
        "task_of": {c: TASK_OF.get(c, c) for c in classes},
        "levels_from_prior": sorted(set(classes) - set(fitted)),
        "within_names": list(WITHIN_NAMES),
        "task_term_names": list(STRUCTURE_NAMES),
        "task_terms": with_term,
        "task_term_kinds": kinds,
        "task_term_inner_cv": inner,
        "reference_cheap_model": REFERENCE_CHEAP_MODEL,
        "benchmarks": sorted(set(ts.benchmark.tolist())),
        "n_prompts": int(len(ts.target)),
    }
    return params, meta


@dataclass
class TaskTerm:
    """One task's within term before rescaling: (x - mu) @ coef + sum of its words' weights
    - offset."""

    coef: np.ndarray  # per structure signal, on the raw scale
    mu: np.ndarray
    words: dict[str, float]
    offset: float  # the words' mean contribution over the training prompts
    spread: float  # std of the term inside the training benchmarks
    kind: str  # "structure" or "words, alpha=A"
    inner: dict[
        str, dict[str, float]
    ]  # inner cross-validated correlation with each pair's gain, per option


def _task_term(
    feats: Features,
    gain: np.ndarray,
    pair_gains: dict[str, np.ndarray],
    w: np.ndarray,
    groups: tuple[np.ndarray, np.ndarray],
) -> TaskTerm:
    """Fit every option on INNER_FOLDS - 1 folds and predict the last; refit the chosen one on all
    rows.

    Words are kept only if, for every model pair with >= MIN_PAIR_PROMPTS of the task's prompts,
    their held-out predictions correlate with that pair's gain better than the structure
    signals alone by more than WORD_MIN_Z standard errors of a correlation (1 / sqrt(n)):
    thousands of word weights must clearly help every pair the term serves. Of the word options
    that pass, the one with the largest worst-pair margin wins."""
    import numpy as np

    x = feats.structure.astype(np.float64)
    counts: dict[str, int] = {}
    for ws in feats.words:
        for word in ws:
            counts[word] = counts.get(word, 0) + 1
    vocab = sorted(word for word, n in counts.items() if WORD_MIN_DOCS <= n < len(feats.words))
    xw = _word_design(x, feats.words, vocab)

    options: list[str | float] = ["structure", *(WORD_ALPHAS if vocab else ())]
    held_out = {o: np.zeros(len(gain)) for o in options}
    for k in range(INNER_FOLDS):
        test = feats.inner_fold == k
        if not test.any() or test.all():
            continue
        train_groups = (groups[0][~test], groups[1][~test])
        held_out["structure"][test] = x[test] @ _ridge(
            x[~test], gain[~test], w[~test], train_groups, TASK_TERM_ALPHA
        )
        if vocab:
            gram, rhs = _gram(xw[~test], gain[~test], w[~test], train_groups)
            for a in WORD_ALPHAS:
                held_out[a][test] = xw[test] @ _solve(
                    gram, rhs, _penalty(x.shape[1], len(vocab), a)
                )

    checked = {
        name: g for name, g in pair_gains.items() if np.isfinite(g).sum() >= MIN_PAIR_PROMPTS
    } or {"gain": gain}
    inner: dict[str, dict[str, float]] = {}
    for name, g in checked.items():
        m = np.isfinite(g)
        sub = (groups[0][m], groups[1][m])
        inner[name] = {
            _option_name(o): round(_within_corr(held_out[o][m], g[m], w[m], sub), 4)
            for o in options
        }

    def margin(option: str | float) -> float:
        """The smallest gain in correlation over the structure term, less WORD_MIN_Z standard
        errors."""
        name = _option_name(option)
        return min(
            c[name] - c["structure"] - WORD_MIN_Z / np.sqrt(np.isfinite(checked[p]).sum())
            for p, c in inner.items()
        )

    passing = [o for o in options[1:] if margin(o) > 0]
    best = max(passing, key=margin) if passing else "structure"
    mu = np.average(x, axis=0, weights=w)
    if best == "structure":
        coef = _ridge(x, gain, w, groups, TASK_TERM_ALPHA)
        spread = float(np.std(_demeaned(x, *groups) @ coef))
        return TaskTerm(coef, mu, {}, 0.0, spread, "structure", inner)
    coef = _solve(*_gram(xw, gain, w, groups), _penalty(x.shape[1], len(vocab), float(best)))
    spread = float(np.std(_demeaned((xw @ coef)[:, None], *groups)))
    n_struct = x.shape[1]
    word_coef = coef[n_struct:]
    presence = np.asarray(xw[:, n_struct:].T @ w).ravel() / w.sum()
    words = {word: float(v) for word, v in zip(vocab, word_coef, strict=True) if v != 0.0}
    return TaskTerm(
        coef[:n_struct], mu, words, float(presence @ word_coef), spread, _option_name(best), inner
    )


def _option_name(option: str | float) -> str:
    return option if isinstance(option, str) else f"words, alpha={option:g}"


def _word_design(x: np.ndarray, word_sets: Sequence[frozenset[str]], vocab: Sequence[str]) -> Any:
    """Sparse [x | presence of each vocab word] (CSR)."""
    import numpy as np
    from scipy import sparse

    column = {word: j for j, word in enumerate(vocab)}
    indptr, indices = [0], []
    for ws in word_sets:
        indices.extend(sorted(column[word] for word in ws if word in column))
        indptr.append(len(indices))
    presence = sparse.csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(word_sets), len(vocab)),
    )
    return sparse.hstack([sparse.csr_matrix(x), presence]).tocsr()


def _gram(
    x: Any, y: np.ndarray, w: np.ndarray, groups: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(Xd' W Xd, Xd' W yd) for sparse x, with x and y taken inside each group
    (Xd = x - group mean)."""
    import numpy as np
    from scipy import sparse

    gram = np.zeros((x.shape[1], x.shape[1]))
    rhs = np.zeros(x.shape[1])
    for src, bench in sorted(set(zip(*groups, strict=True))):
        rows = np.flatnonzero((groups[0] == src) & (groups[1] == bench))
        xg, wg = x[rows], w[rows]
        m = np.asarray(xg.mean(axis=0)).ravel()
        s = np.asarray(xg.T @ wg).ravel()
        gram += (
            (xg.T @ sparse.diags(wg) @ xg).toarray()
            - np.outer(s, m)
            - np.outer(m, s)
            + wg.sum() * np.outer(m, m)
        )
        yd = y[rows] - y[rows].mean()
        rhs += np.asarray(xg.T @ (wg * yd)).ravel() - m * float(wg @ yd)
    return gram, rhs


def _penalty(n_structure: int, n_words: int, word_alpha: float) -> np.ndarray:
    """Ridge penalty per column: the structure signals as in the structure-only term, words by
    word_alpha."""
    import numpy as np

    return np.concatenate([np.full(n_structure, TASK_TERM_ALPHA), np.full(n_words, word_alpha)])


def _solve(gram: np.ndarray, rhs: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    import numpy as np
    from scipy.linalg import cho_factor, cho_solve

    return cho_solve(cho_factor(gram + np.diag(penalty)), rhs)


def _within_corr(
    pred: np.ndarray, y: np.ndarray, w: np.ndarray, groups: tuple[np.ndarray, np.ndarray]
) -> float:
    """Weighted correlation of pred and y, both taken inside each group; 0 if either is constant."""
    import numpy as np

    p, t = _demeaned(pred[:, None], *groups)[:, 0], _demeaned(y[:, None], *groups)[:, 0]
    denom = np.sqrt(np.sum(w * p * p) * np.sum(w * t * t))
    return float(np.sum(w * p * t) / denom) if denom > 0 else 0.0


def _demeaned(x: np.ndarray, source: np.ndarray, benchmark: np.ndarray) -> np.ndarray:
    """x with each (source, benchmark) group's mean taken out: differences inside a benchmark."""
    out = x.copy()
    for src, bench in sorted(set(zip(source, benchmark, strict=True))):
        mask = (source == src) & (benchmark == bench)
        out[mask] -= out[mask].mean(axis=0)
    return out


def _ridge(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, groups: tuple[np.ndarray, np.ndarray], alpha: float
) -> np.ndarray:
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


def train(
    data: Path,
    out: Path,
    exclude: Sequence[str] = (),
    progress: bool = False,
    traffic: Path | None = None,
) -> dict[str, Any]:
    """Load, fit and save; returns the meta written. `traffic` is the labelled traffic corpus
    the tier model is fitted to (None: the hand-set tier weights)."""
    import numpy as np

    from router import data as data_mod

    corpus = read_traffic(traffic) if traffic is not None else None  # a bad corpus fails first
    sets = data_mod.load(data)
    if exclude:
        sets = [s.subset(~np.isin(s.benchmark, list(exclude))) for s in sets]
        sets = [s for s in sets if len(s)]
    from router.classify import expertise

    ts = build_targets(sets, data_mod.open_tiers_near(data))
    expert = expertise.fit(data) if expertise.available(data) else None
    params, meta = fit(featurize(ts.requests, progress=progress), ts, expert, corpus)
    if corpus is not None and corpus.tiers:
        cut, chosen = choose_large_cut(corpus, params, meta)
        params["large_cut"] = np.array([cut], dtype=np.float32)
        meta.update(chosen)
    meta["excluded"] = sorted(exclude)
    save(params, meta, out)
    return meta


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from router.classify.traffic import CorpusError
    from router.data import default_data_dir

    data = Path(args.data) if args.data else default_data_dir()
    corpus = None if args.no_traffic else Path(args.traffic)
    try:
        meta = train(
            data, Path(args.out), args.exclude or (), sys.stderr.isatty(), traffic=corpus
        )
    except CorpusError as err:
        print(f"error: {err} (--no-traffic keeps the hand-set tier weights)", file=sys.stderr)
        return 2
    size = os.path.getsize(args.out)
    terms = "; ".join(f"{c}: {kind}" for c, kind in meta["task_term_kinds"].items()) or "none"
    print(
        f"wrote {args.out} ({size / 1024:.0f} KiB): {meta['n_prompts']} prompts, "
        f"benchmarks {', '.join(meta['benchmarks'])}, classes {', '.join(meta['classes'])}; "
        f"task terms: {terms}; tier model: "
        + (f"{n} traffic requests" if (n := meta["n_traffic_requests"]) else "hand-set"),
        file=sys.stderr,
    )
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "train",
        help="fit the learned difficulty classifier from labelled routing data",
        description=(
            "Fit the learned classifier (per-task levels + within-task gain terms on structure "
            "signals "
            "and words, or length terms) from the shared "
            "routing data, the tier model and the top-tier rule (P(large) and its cut, chosen "
            "on held-out predictions) from the traffic corpus, and write a weights file. "
            "Deterministic: the same data gives the same weights."
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
        "--traffic",
        default=str(DEFAULT_CORPUS),
        metavar="FILE",
        help="labelled traffic corpus the tier model is fitted to "
        "(default: training/traffic/requests.jsonl in the repository)",
    )
    parser.add_argument(
        "--no-traffic",
        action="store_true",
        help="no traffic corpus: keep the hand-set tier weights",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="BENCHMARK",
        help="leave this benchmark out of training (repeatable): gsm8k, math_l5, cruxeval_o, mmlu, "
             "alpaca",
    )
    parser.set_defaults(func=run)
