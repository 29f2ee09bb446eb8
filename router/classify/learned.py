"""The default classifier: what a request asks for, and, for benchmark formats, a learned level.

Every request is read by the taxonomy (`taxonomy.py`: kind of work, domain, expertise, depth
of the ask), which gives the open score

    open(x) = prior(x) + open_term(x)

prior(x) is the tier model: weights on the reading's inputs (the kind of work, the domain, the
expertise, the depth, the context; taxonomy.READING_INPUTS), on the expertise signal, on the
ask's hashed words (vocabulary.py) and on the ask's embedding (embedding.py), fitted
by `router train` to the tier labels of the traffic corpus (training/traffic/, an ordinal model
whose cut points are the shipped thresholds; router/classify/traffic.py), shrunk towards the
hand-set weights (taxonomy.HAND_WEIGHTS, EXPERT_LOGIT). open_term(x) is a ridge over
the same reading, fitted to the gain strong models bring over cheap ones on the labelled open
prompts (Arena-Hard, Arena, MMLU-Pro stems), scaled to OPEN_TERM_SPREAD. Requests in one of
the four benchmark formats the data labels well keep the benchmark score below:

    bench(x) = level[task(x)]  +  within(x)
    difficulty = sigmoid( bench(x), raised to open(x) > LIFT_ABOVE )   LIFTED_FORMATS
               = sigmoid( bench(x) )                                other benchmark formats
               = sigmoid( open(x) )                                                 otherwise

so a multiple-choice question whose stem reads as expert work scores like the same question
asked openly, and a "word problem" that is really an econometrics question is read as one.
The benchmark formats (see `format_applies`): grade-school maths without expert vocabulary,
competition maths, code output prediction, multiple-choice knowledge.

- task(x) is a hard assignment from the rule-based detector in
  `router/classify/tasks.py` (code reasoning, knowledge multiple choice,
  competition maths, grade-school maths, open chat). Task identity is what
  predicts the cheap model's failure best; a hard, rule-based assignment reads
  unseen benchmarks the same way as the training ones.
- level[task] is learned: the mean logit of "a Haiku-class model fails" over
  the training prompts of that task. A task with too few training prompts gets
  the mean of the other tasks' levels (a neutral prior). Levels order tasks
  against each other: they decide which tier a kind of request goes to.
- within(x) orders prompts inside a task. A task trained on enough labelled
  prompts has its own term: a ridge fit of every structure signal, and of the
  words of the prompt where an inner cross-validation found they help, to the
  gain a stronger model brings on the prompt (strong minus weak correctness),
  which is what routing buys; a prompt that every model fails gains nothing
  from a bigger model. Other tasks use the shared term, a ridge fit on the log of the
  conversation's length (the one signal that carried over to benchmarks never
  seen in training; longer -> harder). Both are fitted on differences inside
  each benchmark and have the same spread inside a task, so a task's term
  reorders its prompts without moving the task against the others.

Weights are one small .npz file (float32 arrays and a JSON header) written by
`router train`; see `router/classify/train.py`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from router.classify import embedding, expertise, large_rule, vocabulary
from router.classify.base import Assessment, ChatRequest
from router.classify.features import (
    CHEAP_FEATURES,
    STRUCTURE_NAMES,
    conversation_text,
    structure_features,
    words,
)
from router.classify.tasks import detect_task
from router.classify.taxonomy import (
    OPEN_NAMES,
    READING_INPUTS,
    Reading,
    ask_parts,
    open_vector,
    read_request,
    request_ask,
)

DEFAULT_WEIGHTS = Path(__file__).parent / "weights" / "learned.npz"
# 9: the top-tier rule's arrays (large_*; large_rule.py).
FORMAT_VERSION = 9
# What the tier model weighs: the reading's inputs, then the expertise signal's strength.
TIER_NAMES: tuple[str, ...] = (*READING_INPUTS, "expertise_learned")
# The hand-set weight of the expertise signal (expertise.py) in the tier model: where the fit
# starts, and the weight without a traffic corpus. The signal also takes
# up to EXPERT_CONFIDENCE off the reading's confidence that the request is easy, so an unsure
# ask that reads expert does not go to the cheapest tier. An everyday ask (strength 0) is
# neither raised nor made less sure.
EXPERT_LOGIT = 0.8
EXPERT_CONFIDENCE = 0.5
# Kinds whose work is done on text the user gives (rewrite, translate, extract, summarise), and
# everyday arithmetic (a unit conversion, a percentage): the vocabulary does not make the work
# expert, so the signal does not read them (its expert side holds quantitative exam questions,
# so "What is 5 km in miles?" would read expert).
NOT_READ_FOR_EXPERTISE = frozenset({"rewrite", "extraction", "summarisation", "arithmetic"})


def expertise_ask(
    request: ChatRequest, reading: Reading, multiple_choice: bool, ask: str | None = None
) -> str:
    """What the expertise signal reads of a request: its ask (`ask` when the caller has it),
    or nothing for the kinds above."""
    if reading.kind in NOT_READ_FOR_EXPERTISE:
        return ""
    return request_ask(request, multiple_choice) if ask is None else ask


def embedding_ask(request: ChatRequest) -> str:
    """What the embedding term reads: the last user turn's text (answer-format lines off)."""
    return ask_parts(request)[0]


# An open reading above this logit (difficulty 0.73, top tier) lifts the score of these formats: a
# multiple-choice question reads like its stem asked openly (lower bars lifted more MMLU
# questions on which GPT-4 gains little over Mixtral: APGR -0.01 to -0.03), and so does a
# question with numbers in it (the grade-school format: a paediatric dose, a probability trap, a
# 2SLS diagnostic). At 0.4 the lift raised 22% of GSM8K's questions and cost GSM8K Haiku -> Opus
# 0.05 APGR (`router eval --cv 5`); at 1.0 it raises 6%.
LIFT_ABOVE = 1.0
LIFTED_FORMATS = frozenset({"knowledge", "math_word"})
# A grade-school "word problem" with this many expert terms is expert work (one term is often a
# story's prop: a patient, a dividend); so is one read as any of these kinds.
LEAVE_WORD_PROBLEM_TERMS = 2
_NOT_WORD_PROBLEM = frozenset(
    {"system_design", "code_writing", "data_sql", "agentic", "long_context_analysis"}
)
# A grade-school word problem is a short story told about someone else: GSM8K's questions are
# under 1,000 characters and 6 of the 2,043 the detector calls word problems speak as "I" or
# "we". Numbers in a request about the writer's own case ("my 14 kg two-year-old", "our AGI was
# $210k") or in pasted material (a lease, a log, a lab report) make it someone's situation, which
# the open reading judges; the traffic corpus's labels put 125 of its 465 "word problems" at the
# top tier, and the grade-school score sent most of them below it.
WORD_PROBLEM_MAX_CHARS = 1500
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|my|me|we|we're|we've|our)\b", re.IGNORECASE)
_OUTPUT_PREDICTION = re.compile(
    r"\[PYTHON\]|^\s*assert .*==|what (?:does|will|would) .{0,60}(?:print|output|return)"
    r"|predict the output"
    r"|what is the output|complete the assertion",
    re.MULTILINE | re.IGNORECASE,
)
# The task label a benchmark format reports (the open kinds are taxonomy.KINDS).
FORMAT_KIND = {
    "math_word": "word_problem",
    "math_competition": "proof",
    "code_reasoning": "debugging",
}


def format_applies(task: str, text: str, reading: Reading) -> bool:
    """Whether the benchmark score applies: the format is one the labels describe well."""
    if task == "chat":
        return False
    if task == "math_word":
        return (
            reading.expert_terms < LEAVE_WORD_PROBLEM_TERMS
            and reading.kind not in _NOT_WORD_PROBLEM
            and len(text) <= WORD_PROBLEM_MAX_CHARS
            and _FIRST_PERSON.search(text) is None
        )
    if task == "code_reasoning":
        return _OUTPUT_PREDICTION.search(text[:4000]) is not None
    return True
# `router route` shows at most this many of the words that moved a request's score.
SHOWN_WORDS = 5


class LearnedClassifier:
    """Scores a request with the per-task level and the within-task term."""

    name = "learned"

    def __init__(self, params: Mapping[str, np.ndarray], meta: Mapping[str, object]) -> None:
        self.meta = dict(meta)
        self.classes: list[str] = list(meta["classes"])  # type: ignore[call-overload]
        self.task_of: dict[str, str] = dict(meta["task_of"])  # type: ignore[call-overload]
        self.within_names: list[str] = list(meta["within_names"])  # type: ignore[call-overload]
        unknown = [n for n in self.within_names if n not in CHEAP_FEATURES]
        if unknown:
            raise ValueError(f"weights use signals the gateway does not compute: {unknown}")
        self._within_idx = np.array(
            [STRUCTURE_NAMES.index(n) for n in self.within_names], dtype=int
        )
        self._levels = params["levels"].astype(np.float64)
        self._w_mu = params["within_mu"].astype(np.float64)
        self._w_coef = params["within_coef"].astype(np.float64)
        self._class_index = {c: i for i, c in enumerate(self.classes)}
        self._prior = float(np.mean(self._levels))
        if list(meta["task_term_names"]) != list(STRUCTURE_NAMES):  # type: ignore[call-overload]
            raise ValueError(
                "weights were fitted on other structure signals; retrain with `router train`"
            )
        self._task_mu = params["task_mu"].astype(np.float64)
        self._task_coef = params["task_coef"].astype(np.float64)
        self._task_term = {self._class_index[c] for c in meta["task_terms"]}  # type: ignore[attr-defined]
        self._task_offset = params["task_offset"].astype(np.float64)
        if list(meta["open_names"]) != list(OPEN_NAMES):  # type: ignore[call-overload]
            raise ValueError("weights were fitted on another taxonomy; retrain with `router train`")
        self._open_mu = params["open_mu"].astype(np.float64)
        self._open_coef = params["open_coef"].astype(np.float64)
        if list(meta["tier_names"]) != list(TIER_NAMES):  # type: ignore[call-overload]
            raise ValueError("weights read other reading inputs; retrain with `router train`")
        self._tier_coef = params["tier_coef"].astype(np.float64)
        if int(meta.get("vocab_buckets", 0)) != vocabulary.BUCKETS:  # type: ignore[call-overload]
            raise ValueError("weights hash the vocabulary otherwise; retrain with `router train`")
        self._vocab_coef = params["vocab_coef"].astype(np.float64)
        if int(meta.get("embed_dims", 0)) != embedding.DIMS:  # type: ignore[call-overload]
            raise ValueError("weights read another embedding size; retrain with `router train`")
        self._embed_coef = params["embed_coef"].astype(np.float64)
        self._embed_mu = params["embed_mu"].astype(np.float64)
        self._large_tier = params["large_tier_coef"].astype(np.float64)
        self._large_vocab = params["large_vocab_coef"].astype(np.float64)
        self._large_embed = params["large_embed_coef"].astype(np.float64)
        self._large_bias = float(params["large_bias"][0])
        self.large_cut = float(params["large_cut"][0])
        self._embedding = embedding.load()
        self._expert: tuple[np.ndarray, float] | None = None
        if "expert_coef" in params:
            buckets = int(meta.get("expert_buckets", 0))  # type: ignore[call-overload]
            if buckets != expertise.HASH_BUCKETS:
                raise ValueError("weights hash the expertise signal otherwise; retrain")
            coef = params["expert_coef"].astype(np.float64)
            self._expert = (coef, float(params["expert_bias"][0]))
        self._words: dict[int, dict[str, float]] = {}
        for word, i, value in zip(
            params["word_list"].tolist(),
            params["word_task"].tolist(),
            params["word_coef"].tolist(),
            strict=True,
        ):
            self._words.setdefault(int(i), {})[str(word)] = float(value)

    @classmethod
    def load(cls, weights: str | Path | None = None) -> LearnedClassifier:
        """Read a weights file (default: the one shipped in the package)."""
        path = Path(weights) if weights else DEFAULT_WEIGHTS
        with np.load(path, allow_pickle=False) as f:
            meta = json.loads(str(f["meta"]))
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(
                    f"{path}: weights format {meta.get('format')!r}, expected {FORMAT_VERSION}; "
                    "retrain with `router train`"
                )
            params = {k: f[k] for k in f.files if k != "meta"}
        return cls(params, meta)

    def features(self, request: ChatRequest) -> tuple[np.ndarray, str, frozenset[str]]:
        """(structure signals, task class, words) of a request."""
        text, system_share, turns, task_text = conversation_text(request)
        return (
            structure_features(request, text, system_share, turns),
            detect_task(task_text),
            words(text),
        )

    def expert_strength(self, ask: str) -> tuple[float, float]:
        """(raw score, strength in [0, 1]) of the expertise signal; (0, 0) without one."""
        if self._expert is None:
            return 0.0, 0.0
        raw = expertise.raw_score(*self._expert, ask)
        return raw, expertise.strength(raw)

    @property
    def expert_logit(self) -> float:
        """The tier model's weight on the expertise signal's strength."""
        return float(self._tier_coef[-1])

    def prior_parts(self, inputs: tuple[float, ...], strength: float) -> dict[str, float]:
        """The tier model's logit by part (kind, domain, expertise, ..., expertise_learned)."""
        parts: dict[str, float] = {}
        values = (*inputs, strength)
        for name, value, weight in zip(TIER_NAMES, values, self._tier_coef, strict=True):
            if value:
                key = name.split("=")[0]
                parts[key] = parts.get(key, 0.0) + float(weight) * value
        return parts

    def vocabulary_term(self, ask: str) -> float:
        """The vocabulary term's logit for an ask (vocabulary.py)."""
        return sum(self._vocab_coef[c] * v for c, v in vocabulary.features(ask).items())

    def embedding_term(self, request: ChatRequest) -> float:
        """The embedding term's logit for a request (embedding.py)."""
        return float(self._centred_embedding(request) @ self._embed_coef)

    def _centred_embedding(self, request: ChatRequest) -> np.ndarray:
        return self._embedding.vector(embedding_ask(request)) - self._embed_mu

    def p_large(
        self,
        inputs: tuple[float, ...],
        strength: float,
        vocab: Mapping[int, float],
        centred: np.ndarray,
        open_term: float,
    ) -> float:
        """The top-tier rule's probability that a request needs the top tier (large_rule.py)."""
        z = (
            float(np.dot((*inputs, strength), self._large_tier))
            + sum(self._large_vocab[c] * v for c, v in vocab.items())
            + float(centred @ self._large_embed)
            + open_term
            + self._large_bias
        )
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def word_weight(
        self, task_index: int, present: frozenset[str]
    ) -> tuple[float, dict[str, float]]:
        """The words part of a task's term (sum of the present words' weights minus the task's
        offset) and the weight of each present word that has one."""
        weights = self._words.get(task_index)
        if not weights:
            return 0.0, {}
        hits = {w: weights[w] for w in present if w in weights}
        return sum(hits.values()) - self._task_offset[task_index], hits

    def predict(
        self,
        structure: np.ndarray,
        tasks: np.ndarray | list[str],
        word_sets: list[frozenset[str]] | None,
        inputs: np.ndarray,
        open_x: np.ndarray,
        bench_ok: np.ndarray,
        asks: list[str] | None = None,
        vocab_asks: list[str] | None = None,
        embeddings: np.ndarray | None = None,
    ) -> np.ndarray:
        """Vectorised core: the difficulty of rows of features (structure signals, task classes,
        words, the reading's inputs and open vector, whether the benchmark score applies, what
        each request asks, for the expertise signal and for the vocabulary term, and the ask's
        embedding)."""
        index = np.array([self._class_index.get(t, -1) for t in tasks], dtype=int)
        level = np.where(index >= 0, self._levels[index], self._prior)
        x = structure.astype(np.float64)
        within = (x[:, self._within_idx] - self._w_mu) @ self._w_coef
        for i in self._task_term:
            rows = np.flatnonzero(index == i)
            within[rows] = (x[rows] - self._task_mu[i]) @ self._task_coef[i]
            if self._words.get(i) and len(rows):
                if word_sets is None:
                    raise ValueError(f"the {self.classes[i]} term weighs words: pass the word sets")
                within[rows] += [self.word_weight(i, word_sets[r])[0] for r in rows]
        bench = level + within
        strengths = np.zeros(len(index))
        if self._expert is not None:
            if asks is None:
                raise ValueError("the weights carry an expertise signal: pass the asks")
            strengths = np.array([self.expert_strength(a)[1] for a in asks], dtype=np.float64)
        tier_x = np.column_stack([inputs.astype(np.float64).reshape(len(index), -1), strengths])
        open_term = (open_x.astype(np.float64) - self._open_mu) @ self._open_coef
        z_open = tier_x @ self._tier_coef + open_term
        if vocab_asks is None:
            raise ValueError("the tier model weighs the ask's words: pass the vocabulary asks")
        z_open = z_open + np.array([self.vocabulary_term(a) for a in vocab_asks], dtype=np.float64)
        if embeddings is None:
            raise ValueError("the tier model weighs the ask's embedding: pass the embeddings")
        centred = np.asarray(embeddings, dtype=np.float64) - self._embed_mu
        z_open = z_open + centred @ self._embed_coef
        lift = np.isin(np.asarray(tasks, dtype=str), list(LIFTED_FORMATS)) & (z_open > LIFT_ABOVE)
        lifted = np.where(lift, np.maximum(bench, z_open), bench)
        z = np.where(bench_ok, lifted, z_open)
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, request: ChatRequest) -> Assessment:
        """The gateway's path: the taxonomy always, the benchmark terms only where they apply."""
        text, system_share, turns, task_text = conversation_text(request)
        task = detect_task(task_text)
        ask = request_ask(request, task == "knowledge")  # read once, used three times
        reading = read_request(request, text, multiple_choice=task == "knowledge", ask=ask)
        vector = np.asarray(open_vector(reading), dtype=np.float64)
        open_term = float((vector - self._open_mu) @ self._open_coef)
        raw, strength = self.expert_strength(
            expertise_ask(request, reading, task == "knowledge", ask)
        )
        parts = self.prior_parts(reading.inputs, strength)
        vocab = vocabulary.features(ask)
        centred = self._centred_embedding(request)
        parts["vocabulary"] = float(sum(self._vocab_coef[c] * v for c, v in vocab.items()))
        parts["embedding"] = float(centred @ self._embed_coef)
        prior = sum(parts.values())
        z_open = prior + open_term
        signals: dict[str, float | str] = {"kind": reading.kind, "domain": reading.domain}
        signals.update(reading.signals)
        signals["prior"] = round(prior, 4)
        signals.update({f"prior.{name}": round(v, 4) for name, v in parts.items() if v})
        signals["open_term"] = round(open_term, 4)
        if self._expert is not None:
            signals["expertise_learned"] = round(raw, 4)
            signals["prior.expertise_learned"] = round(self.expert_logit * strength, 4)
        kind = reading.kind
        confidence = round(max(0.0, reading.confidence - EXPERT_CONFIDENCE * strength), 4)
        if format_applies(task, text, reading):
            bench, bench_signals = self._bench(request, text, system_share, turns, task)
            signals.update(bench_signals)
            z = max(bench, z_open) if task in LIFTED_FORMATS and z_open > LIFT_ABOVE else bench
            signals["path"] = f"benchmark format {task}" + (
                ", lifted by the open reading" if z > bench else ""
            )
            kind = (
                reading.kind
                if reading.kind == "arithmetic"
                else FORMAT_KIND.get(task, reading.kind)
            )
            if task == "math_competition" or (
                task == "math_word" and reading.kind not in ("general", "small_talk")
            ):
                confidence = max(confidence, 0.7)
        else:
            z = z_open
            signals["path"] = "open reading"
        p_large = self.p_large(reading.inputs, strength, vocab, centred, open_term)
        signals["p_large"] = round(p_large, 4)
        signals["large_cut"] = round(self.large_cut, 4)
        allowed = large_rule.cap(p_large, self.large_cut)
        if allowed < confidence:
            signals["confidence_capped_from"] = confidence
            signals["confidence_rule"] = (
                f"p_large {p_large:.3f} above the cut {self.large_cut:.3f}: confidence "
                f"{confidence:.2f} -> {allowed:.2f}, not the cheapest tier"
                if allowed < large_rule.CAP_AT_CUT
                else f"p_large {p_large:.3f} (cut {self.large_cut:.3f}): confidence "
                f"{confidence:.2f} -> {allowed:.2f}"
            )
            confidence = allowed
        d = 1.0 / (1.0 + math.exp(-z))
        signals["chars"] = len(text)
        signals["task_class"] = task
        return Assessment(
            difficulty=round(d, 4) if math.isfinite(d) else 1.0,
            task=kind,
            signals=signals,
            domain=reading.domain,
            confidence=confidence,
        )

    def _bench(
        self, request: ChatRequest, text: str, system_share: float, turns: int, task: str
    ) -> tuple[float, dict[str, float | str]]:
        """The benchmark score's logit (level + within-task term) and the signals behind it;
        only the signals the weights use for the task are computed."""
        i = self._class_index.get(task, -1)
        level = self._levels[i] if i >= 0 else self._prior
        signals: dict[str, float | str]
        if i in self._task_term:
            x = structure_features(request, text, system_share, turns).astype(np.float64)
            from_words, hits = self.word_weight(i, words(text)) if i in self._words else (0.0, {})
            within = float((x - self._task_mu[i]) @ self._task_coef[i]) + from_words
            signals = {
                n: round(float(v), 4)
                for n, v, c in zip(STRUCTURE_NAMES, x, self._task_coef[i], strict=True)
                if v and c
            }
            if hits:
                top = sorted(hits.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:SHOWN_WORDS]
                signals["words"] = ", ".join(f"{w} {v:+.3f}" for w, v in top)
        else:
            values = [CHEAP_FEATURES[name](text) for name in self.within_names]
            within = float((np.asarray(values, dtype=np.float64) - self._w_mu) @ self._w_coef)
            signals = {name: round(v, 4) for name, v in zip(self.within_names, values, strict=True)}
        signals["task_level"] = round(float(level), 4)
        signals["within_task"] = round(within, 4)
        return float(level) + within, signals
