"""Load labelled routing data into one in-memory shape: `LabelledSet`.

Sources (see ../shared/data/*/README.md for their columns and limits):

- `zeroeval_tiers/`    GSM8K, MATH-L5, CRUXEval; 0/1 correctness and cost for 60 models.
- `routellm_evals/`    MMLU and GSM8K; 0/1 correctness of Mixtral (weak) and GPT-4 (strong).
- `alpacaeval2_prefs/` open chat; judge's win probability vs GPT-4 Turbo for 49 models.
- `open_prompts/`      Arena-Hard / Arena prompts judged for many models (one set per judged
                       source, the benchmark is the source name) and MMLU-Pro questions, each
                       both with its options (`mmlu_pro`) and as the bare stem (`mmlu_pro_stem`).
                       `open_tiers` reads its models.csv price tiers (cheap / mid / strong).
- a labelled JSONL file, one object per prompt (for small hand-made sets and tests):
  `{"prompt": "...", "benchmark": "b", "quality": {"model": 1.0, ...}, "cost": {"model": 0.01}}`
  (`"messages": [...]` may replace `"prompt"`; `cost` is optional).

A directory holding several of the source folders (e.g. `../shared/data`) loads all of them.
Only the standard library and numpy are used; files are read where they lie, never copied.
Commands default to `default_data_dir()`: $TIANJI_DATA, else `../shared/data` next to
the repository checkout.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from router.classify.base import prompt_request

SOURCES = ("zeroeval_tiers", "routellm_evals", "alpacaeval2_prefs", "open_prompts")
OPEN_SOURCE = "open_prompts"
MMLU_PRO = "mmlu-pro"
DATA_ENV = "TIANJI_DATA"

# RouteLLM's pair, by the names used in `routellm_evals` columns.
ROUTELLM_WEAK = "mixtral-8x7b-instruct"
ROUTELLM_STRONG = "gpt-4-1106-preview"
# Approximate list prices (USD per 1M tokens in/out) from routellm_evals/README.md.
_ROUTELLM_PRICES = {ROUTELLM_WEAK: (0.6, 0.6), ROUTELLM_STRONG: (10.0, 30.0)}


@dataclass
class LabelledSet:
    """Prompts with the quality (and cost) each model achieved on them.

    requests[i] is an OpenAI chat body; quality[m][i] in [0, 1] or NaN when model m
    has no label for prompt i; cost[m][i] in USD or NaN when unknown.
    """

    ids: list[str]
    benchmark: np.ndarray
    requests: list[dict[str, Any]]
    quality: dict[str, np.ndarray] = field(default_factory=dict)
    cost: dict[str, np.ndarray] = field(default_factory=dict)
    source: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def models(self) -> list[str]:
        return list(self.quality)

    def subset(self, mask: np.ndarray) -> LabelledSet:
        idx = np.flatnonzero(mask)
        return LabelledSet(
            ids=[self.ids[i] for i in idx],
            benchmark=self.benchmark[idx],
            requests=[self.requests[i] for i in idx],
            quality={m: q[idx] for m, q in self.quality.items()},
            cost={m: c[idx] for m, c in self.cost.items()},
            source=None if self.source is None else self.source[idx],
        )

    def labelled_by(self, models: Iterable[str]) -> LabelledSet:
        """Keep the prompts that every one of `models` has a quality label for."""
        mask = np.ones(len(self), dtype=bool)
        for m in models:
            if m not in self.quality:
                raise KeyError(f"model {m!r} not in data; have: {', '.join(sorted(self.quality))}")
            mask &= ~np.isnan(self.quality[m])
        return self.subset(mask)

    def text(self, i: int) -> str:
        """The user-visible text of prompt i (all message contents joined)."""
        return "\n".join(str(m.get("content", "")) for m in self.requests[i].get("messages", []))


def default_data_dir() -> Path:
    """$TIANJI_DATA if set, else ../shared/data relative to the repository root."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def _read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        return [json.loads(line) for line in f if line.strip()]


def _build(
    ids: list[str],
    bench: list[str],
    requests: list[dict[str, Any]],
    labels: Mapping[str, Mapping[str, float]],
    costs: Mapping[str, Mapping[str, float]],
    source: str,
) -> LabelledSet:
    index = {pid: i for i, pid in enumerate(ids)}

    def column(per_prompt: Mapping[str, float]) -> np.ndarray:
        """One model's values in `ids` order; NaN for the prompts it has none for."""
        values = np.full(len(ids), np.nan)
        for pid, v in per_prompt.items():
            if pid in index:
                values[index[pid]] = v
        return values

    quality = {model: column(per_prompt) for model, per_prompt in labels.items()}
    cost = {model: column(per_prompt) for model, per_prompt in costs.items()}
    return LabelledSet(
        ids=ids,
        benchmark=np.array(bench, dtype=object),
        requests=requests,
        quality=quality,
        cost=cost,
        source=np.array([source] * len(ids), dtype=object),
    )


def _read_results(
    folder: Path, label_column: str
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Per-model label and cost by prompt id, from a long-format results.csv.gz (one row per
    model x prompt)."""
    labels: dict[str, dict[str, float]] = {}
    costs: dict[str, dict[str, float]] = {}
    for row in _read_csv_gz(folder / "results.csv.gz"):
        labels.setdefault(row["model"], {})[row["prompt_id"]] = float(row[label_column])
        if row["est_cost_usd"]:
            costs.setdefault(row["model"], {})[row["prompt_id"]] = float(row["est_cost_usd"])
    return labels, costs


def load_zeroeval(folder: Path) -> LabelledSet:
    prompts = _read_jsonl(folder / "prompts.jsonl.gz")
    labels, costs = _read_results(folder, "correct")
    return _build(
        [p["prompt_id"] for p in prompts],
        [p["benchmark"] for p in prompts],
        [prompt_request(p["question"]) for p in prompts],
        labels,
        costs,
        "zeroeval_tiers",
    )


def load_routellm(folder: Path, drop_contaminated: bool = True) -> LabelledSet:
    ids: list[str] = []
    bench: list[str] = []
    requests: list[dict[str, Any]] = []
    labels: dict[str, dict[str, float]] = {ROUTELLM_WEAK: {}, ROUTELLM_STRONG: {}}
    costs: dict[str, dict[str, float]] = {ROUTELLM_WEAK: {}, ROUTELLM_STRONG: {}}
    seen: set[str] = set()
    for name in ("mmlu", "gsm8k"):
        path = folder / f"{name}.csv.gz"
        if not path.exists():
            continue
        for row in _read_csv_gz(path):
            if drop_contaminated and row.get("contaminated") == "1":
                continue
            pid = f"{name}-{row['prompt_id']}"
            if pid in seen:  # a few prompts repeat upstream; keep each row
                pid = f"{pid}#{len(ids)}"
            seen.add(pid)
            ids.append(pid)
            bench.append(name)
            requests.append(prompt_request(row["prompt"]))
            labels[ROUTELLM_WEAK][pid] = float(row["mixtral_correct"])
            labels[ROUTELLM_STRONG][pid] = float(row["gpt4_correct"])
            tokens_in = float(row.get("est_input_tokens") or 0)
            for model, col in ((ROUTELLM_WEAK, "mixtral"), (ROUTELLM_STRONG, "gpt4")):
                tokens_out = float(row.get(f"{col}_est_output_tokens") or 1)
                p_in, p_out = _ROUTELLM_PRICES[model]
                costs[model][pid] = (tokens_in * p_in + tokens_out * p_out) / 1e6
    return _build(ids, bench, requests, labels, costs, "routellm_evals")


def load_alpaca(folder: Path) -> LabelledSet:
    prompts = _read_jsonl(folder / "prompts.jsonl.gz")
    labels, costs = _read_results(folder, "win_prob_vs_gpt4_turbo")
    return _build(
        [p["prompt_id"] for p in prompts],
        ["alpaca"] * len(prompts),
        [prompt_request(p["instruction"]) for p in prompts],
        labels,
        costs,
        "alpacaeval2_prefs",
    )


def load_jsonl(path: Path) -> LabelledSet:
    """A labelled JSONL file (format in the module docstring)."""
    ids: list[str] = []
    bench: list[str] = []
    requests: list[dict[str, Any]] = []
    labels: dict[str, dict[str, float]] = {}
    costs: dict[str, dict[str, float]] = {}
    for n, obj in enumerate(_read_jsonl(path)):
        pid = str(obj.get("id", n))
        ids.append(pid)
        bench.append(str(obj.get("benchmark", path.stem)))
        if "messages" in obj:
            requests.append({k: v for k, v in obj.items() if k in ("messages", "tools")})
        else:
            requests.append(prompt_request(str(obj["prompt"])))
        for model, v in (obj.get("quality") or {}).items():
            labels.setdefault(model, {})[pid] = float(v)
        for model, v in (obj.get("cost") or {}).items():
            costs.setdefault(model, {})[pid] = float(v)
    return _build(ids, bench, requests, labels, costs, path.name)


def mmlu_pro_stem(prompt: str) -> str:
    """An MMLU-Pro question without its options: the text before the first "(A)" line."""
    head, sep, _ = prompt.partition("\n(A)")
    return head.rstrip() if sep else prompt


def load_open(folder: Path) -> list[LabelledSet]:
    """One LabelledSet per judged source of open_prompts (labels compare models only inside one).

    Every set has source "open_prompts" and its judged source as benchmark; MMLU-Pro rows are
    there twice, with their options (benchmark "mmlu_pro") and as the stem ("mmlu_pro_stem"),
    under the same prompt id plus a "#stem" suffix.
    """
    prompts = {p["prompt_id"]: p for p in _read_jsonl(folder / "prompts.jsonl.gz")}
    by_source: dict[str, dict[str, dict[str, float]]] = {}
    for row in _read_csv_gz(folder / "results.csv.gz"):
        if row["prompt_id"] in prompts and row["label"] != "":
            by_source.setdefault(row["source"], {}).setdefault(row["model"], {})[
                row["prompt_id"]
            ] = float(row["label"])
    sets = []
    for source in sorted(by_source):
        labels = by_source[source]
        ids = sorted({pid for per_model in labels.values() for pid in per_model})
        texts = [prompts[pid]["prompt"] for pid in ids]
        bench = [source.replace("-", "_")] * len(ids)
        if source == MMLU_PRO:
            stems = [mmlu_pro_stem(t) for t in texts]
            labels = {
                m: {**v, **{f"{pid}#stem": x for pid, x in v.items()}} for m, v in labels.items()
            }
            ids, texts, bench = (
                ids + [f"{pid}#stem" for pid in ids],
                texts + stems,
                bench + ["mmlu_pro_stem"] * len(stems),
            )
        sets.append(_build(ids, bench, [prompt_request(t) for t in texts], labels, {}, OPEN_SOURCE))
    return sets


def open_tiers(folder: Path) -> dict[str, dict[str, str]]:
    """Price tier (cheap / mid / strong / other) of each model, per judged source, from
    models.csv."""
    tiers: dict[str, dict[str, str]] = {}
    with (folder / "models.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tiers.setdefault(row["source"], {})[row["model"]] = row["tier_approx"]
    return tiers


def open_tiers_near(path: str | Path) -> dict[str, dict[str, str]]:
    """open_tiers of the open_prompts folder at or inside `path`; empty when there is none."""
    path = Path(path)
    folder = path if path.name == OPEN_SOURCE else path / OPEN_SOURCE
    return open_tiers(folder) if (folder / "models.csv").is_file() else {}


def read_unlabelled(folder: Path) -> list[dict[str, Any]]:
    """The unlabelled open prompts (Arena-Hard v2.0, ExpertQA): prompt_id, source, category,
    prompt."""
    return _read_jsonl(folder / "unlabelled_prompts.jsonl.gz")


_LOADERS = {
    "zeroeval_tiers": load_zeroeval,
    "routellm_evals": load_routellm,
    "alpacaeval2_prefs": load_alpaca,
}


def _load_folder(name: str, path: Path) -> list[LabelledSet]:
    return load_open(path) if name == OPEN_SOURCE else [_LOADERS[name](path)]


def load(path: str | Path, benchmarks: Iterable[str] | None = None) -> list[LabelledSet]:
    """Load one source folder, a folder of source folders, or a labelled JSONL file.

    Returns one LabelledSet per source (their model sets differ). `benchmarks`
    keeps only those benchmark names (e.g. "gsm8k", "mmlu", "math_l5",
    "cruxeval_o", "alpaca").
    """
    path = Path(path)
    if path.is_file():
        sets = [load_jsonl(path)]
    elif path.name in SOURCES:
        sets = _load_folder(path.name, path)
    elif path.is_dir():
        sets = [
            s for name in SOURCES if (path / name).is_dir() for s in _load_folder(name, path / name)
        ]
        if not sets:
            raise FileNotFoundError(f"{path}: no {', '.join(SOURCES)} folder inside")
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")
    if benchmarks is not None:
        keep = set(benchmarks)
        sets = [s.subset(np.isin(s.benchmark, list(keep))) for s in sets]
        sets = [s for s in sets if len(s)]
    return sets


def read_requests(stream: io.TextIOBase | Iterable[str]) -> Iterable[dict[str, Any]]:
    """Parse JSONL lines holding {"prompt": ...} or {"messages": [...]} into chat requests."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError(f"line {n}: expected a JSON object")
        if "messages" in obj:
            yield obj
        elif "prompt" in obj:
            yield prompt_request(str(obj["prompt"]))
        else:
            raise ValueError(f"line {n}: expected a 'prompt' or 'messages' key")
