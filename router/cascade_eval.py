"""`router eval --cascade`: replay the verified cascade on recorded answers (offline only).

The rule (issue 10), replayed from each model's recorded final answer and correctness in
../shared/data/zeroeval_tiers (answers.csv.gz, results.csv.gz):
- the cheap tier's model and the partner (another vendor's cheap model) answer every prompt;
  when their final answers agree (router/cascade.py, the rule behind the `correct` column),
  the cheap answer is returned;
- otherwise each middle tier answers in turn, and its answer is kept when it agrees with any
  earlier answer; otherwise the top tier answers and its answer is final.
The two-tier variant (first tier -> top tier) is reported beside it. Every call is paid
(`est_cost_usd`): the partner on every prompt, each escalation call on top.

Compared with prompt-only routers (prompt length, random: each ranks the prompts and sends
the top of the ranking up) and with a ranking by the cheap model's own output alone
("self": unparsed answers first, then the longest outputs; it pays the cheap call on every
prompt). Nothing here is fitted: the rule has no parameter. The figures are measured on the
prompts in the shared data folder; its held-out part is not there.

Figures, for the two-tier pair (cheap -> top) on each benchmark and pooled:
- APGR over calls: the area under PGR against the share of prompts sent to the top tier
  (evaluate.pair_curve; the cascade ranks disagreeing prompts first, a tie block: inside it
  the curve is the expected value of escalating a random part of it);
- APGR over cost: the area under PGR against cost / top-only cost, on [0, 1];
- the rule's own point (accuracy, cost share, share escalated); rankings at the same share;
- cost at top-tier accuracy: the cheapest point of the curve reaching the top tier's accuracy.
For three tiers: accuracy, cost, share escalated and reaching the top, the gap recovered,
cost at top-tier accuracy, and the same rankings under threshold sweeps (evaluate_tiers).

numpy is imported inside functions: the CLI imports this module to build --help.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from router.cascade import Answer, Kind, agree, kind_for_task, parse

if TYPE_CHECKING:
    import numpy as np

DEFAULT_TIERS = ("claude-3-haiku-20240307", "claude-3-sonnet-20240229", "claude-3-opus-20240229")
DEFAULT_PARTNER = "gpt-4o-mini-2024-07-18"
TASK_OF_BENCHMARK = {"gsm8k": "math", "math_l5": "math", "cruxeval_o": "code_output"}
BASELINES = ("length", "random")
COST_GRID = 2001
_EPS = 1e-12


# ---------------------------------------------------------------- data


@dataclass
class Recorded:
    """Prompts with each model's correctness, cost and final answer (arrays in prompt order)."""

    ids: list[str]
    benchmark: np.ndarray
    requests: list[dict[str, Any]]
    correct: dict[str, np.ndarray]
    cost: dict[str, np.ndarray]
    answers: dict[str, list[Answer | None]]
    output_chars: dict[str, np.ndarray]
    parsed: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask: np.ndarray) -> Recorded:
        import numpy as np

        idx = np.flatnonzero(mask)
        return Recorded(
            ids=[self.ids[i] for i in idx],
            benchmark=self.benchmark[idx],
            requests=[self.requests[i] for i in idx],
            correct={m: v[idx] for m, v in self.correct.items()},
            cost={m: v[idx] for m, v in self.cost.items()},
            answers={m: [v[i] for i in idx] for m, v in self.answers.items()},
            output_chars={m: v[idx] for m, v in self.output_chars.items()},
            parsed={m: v[idx] for m, v in self.parsed.items()},
        )


def zeroeval_folder(path: str | Path) -> Path:
    """The zeroeval_tiers folder: `path` itself or its `zeroeval_tiers` subfolder."""
    path = Path(path)
    for folder in (path, path / "zeroeval_tiers"):
        if (folder / "answers.csv.gz").is_file():
            return folder
    raise SystemExit(f"{path}: no zeroeval_tiers/answers.csv.gz (the recorded final answers)")


def _read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def recorded_models(folder: Path) -> list[str]:
    return sorted({row["model"] for row in _read_csv_gz(folder / "answers.csv.gz")})


def load_recorded(folder: Path, models: Sequence[str]) -> Recorded:
    """The prompts every one of `models` has an answer, a label and a cost for."""
    import numpy as np

    from router.data import load_zeroeval

    labelled = load_zeroeval(folder)
    index = {pid: i for i, pid in enumerate(labelled.ids)}
    n = len(labelled)
    answers: dict[str, list[Answer | None]] = {m: [None] * n for m in models}
    has_answer = {m: np.zeros(n, dtype=bool) for m in models}
    for row in _read_csv_gz(folder / "answers.csv.gz"):
        model, i = row["model"], index.get(row["prompt_id"])
        if model not in answers or i is None:
            continue
        has_answer[model][i] = True
        if row["answer_parsed"] == "1":
            answers[model][i] = parse(row["extracted_answer"], _kind(row["benchmark"]), "recorded")
    chars = {m: np.full(n, np.nan) for m in models}
    parsed = {m: np.zeros(n) for m in models}
    for row in _read_csv_gz(folder / "results.csv.gz"):
        model, i = row["model"], index.get(row["prompt_id"])
        if model in chars and i is not None:
            chars[model][i] = float(row["output_chars"])
            parsed[model][i] = float(row["answer_parsed"])
    keep = np.ones(n, dtype=bool)
    for m in models:
        if m not in labelled.quality or m not in labelled.cost:
            raise SystemExit(f"model {m!r} has no labels or costs in {folder}")
        keep &= has_answer[m] & ~np.isnan(labelled.quality[m]) & ~np.isnan(labelled.cost[m])
    full = Recorded(
        ids=labelled.ids,
        benchmark=labelled.benchmark,
        requests=labelled.requests,
        correct={m: labelled.quality[m] for m in models},
        cost={m: labelled.cost[m] for m in models},
        answers=answers,
        output_chars=chars,
        parsed=parsed,
    )
    return full.subset(keep)


def label_agreement(folder: Path) -> dict[str, dict[str, float]]:
    """How often the answer rule, applied to each recorded answer and the gold answer,
    gives the data's own `correct` label (per benchmark; an unparsed answer counts wrong)."""
    gold = {p["prompt_id"]: p["gold_answer"] for p in _read_jsonl_gz(folder / "prompts.jsonl.gz")}
    label = {
        (row["prompt_id"], row["model"]): row["correct"] == "1"
        for row in _read_csv_gz(folder / "results.csv.gz")
    }
    same: dict[str, int] = {}
    rows: dict[str, int] = {}
    for row in _read_csv_gz(folder / "answers.csv.gz"):
        key = (row["prompt_id"], row["model"])
        if key not in label or row["prompt_id"] not in gold:
            continue
        kind = _kind(row["benchmark"])
        ours = row["answer_parsed"] == "1" and agree(
            parse(row["extracted_answer"], kind), parse(gold[row["prompt_id"]], kind)
        )
        bench = row["benchmark"]
        rows[bench] = rows.get(bench, 0) + 1
        same[bench] = same.get(bench, 0) + (ours == label[key])
    return {b: {"rows": rows[b], "agreement": same[b] / rows[b]} for b in sorted(rows)}


def _read_jsonl_gz(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _kind(benchmark: str) -> Kind:
    kind = kind_for_task(TASK_OF_BENCHMARK.get(benchmark, ""))
    if kind is None:
        raise SystemExit(f"benchmark {benchmark!r} has no checkable answer kind")
    return kind


def resolve_model(name: str, available: Sequence[str]) -> str:
    """An exact model id, or the one id that starts with `name` (claude-3-haiku)."""
    if name in available:
        return name
    matches = [m for m in available if m.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    hint = f"matches {', '.join(matches)}" if matches else f"have: {', '.join(available)}"
    raise SystemExit(f"model {name!r}: {'ambiguous' if matches else 'no recorded answers'}; {hint}")


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Outcome:
    """Per prompt: the tier whose answer is returned, its correctness and what all calls cost."""

    final_tier: np.ndarray
    correct: np.ndarray
    cost: np.ndarray

    def summary(self, top_cost: float, n_tiers: int) -> dict[str, float]:
        return {
            "accuracy": float(self.correct.mean()),
            "cost": float(self.cost.sum()),
            "cost_share": float(self.cost.sum() / top_cost),
            "escalated": float((self.final_tier > 0).mean()),
            "reached_top": float((self.final_tier == n_tiers - 1).mean()),
        }


def replay(rec: Recorded, tiers: Sequence[str], partner: str) -> Outcome:
    """The verified cascade on every prompt of `rec` (tiers cheapest first)."""
    import numpy as np

    n, top = len(rec), len(tiers) - 1
    final = np.zeros(n, dtype=int)
    correct = np.zeros(n)
    cost = np.zeros(n)
    for i in range(n):
        earlier = [rec.answers[tiers[0]][i], rec.answers[partner][i]]
        spent = rec.cost[tiers[0]][i] + rec.cost[partner][i]
        tier = 0
        if not agree(earlier[0], earlier[1]):
            for tier in range(1, top + 1):
                spent += rec.cost[tiers[tier]][i]
                answer = rec.answers[tiers[tier]][i]
                if tier == top or any(agree(answer, a) for a in earlier):
                    break
                earlier.append(answer)
        final[i], correct[i], cost[i] = tier, rec.correct[tiers[tier]][i], spent
    return Outcome(final, correct, cost)


def replay_from(
    rec: Recorded, tiers: Sequence[str], partner: str, verifying: Sequence[bool]
) -> tuple[np.ndarray, np.ndarray]:
    """(correct, cost), each (tiers, prompts): the rule of `replay` started at each tier, as
    the gateway runs it (router/verify.py): a start tier with `verify:` (`verifying[t]`)
    asks the partner; a middle tier with it keeps an answer that agrees with an earlier one;
    a tier without it, and the top tier, are final. For `router calibrate`."""
    import numpy as np

    n, top = len(rec), len(tiers) - 1
    correct = np.zeros((len(tiers), n))
    cost = np.zeros((len(tiers), n))
    for start in range(len(tiers)):
        for i in range(n):
            spent, tier = rec.cost[tiers[start]][i], start
            if verifying[start] and start < top:
                earlier = [rec.answers[tiers[start]][i], rec.answers[partner][i]]
                spent += rec.cost[partner][i]
                if not agree(earlier[0], earlier[1]):
                    for tier in range(start + 1, top + 1):
                        spent += rec.cost[tiers[tier]][i]
                        answer = rec.answers[tiers[tier]][i]
                        if tier == top or not verifying[tier] or any(
                            agree(answer, a) for a in earlier
                        ):
                            break
                        earlier.append(answer)
            correct[start, i], cost[start, i] = rec.correct[tiers[tier]][i], spent
    return correct, cost


def self_signal(rec: Recorded, cheap: str) -> np.ndarray:
    """The cheap output's own signals: an unparsed answer first, then the longest output."""
    import numpy as np

    chars = np.nan_to_num(rec.output_chars[cheap], nan=0.0)
    return np.where(rec.parsed[cheap] < 0.5, chars.max(initial=0.0) + 1.0, 0.0) + chars


# ---------------------------------------------------------------- curves and metrics


def ranked_pair(
    scores: np.ndarray,
    weak: np.ndarray,
    strong: np.ndarray,
    kept_cost: np.ndarray,
    sent_cost: np.ndarray,
    top_cost: float,
) -> dict[str, np.ndarray]:
    """Share sent up, mean quality and cost / top-only cost along a ranking (ties averaged)."""
    from router.evaluate import pair_curve

    quality = pair_curve(scores, weak, strong)
    spend = pair_curve(scores, kept_cost, sent_cost)
    return {
        "share": quality.share,
        "quality": quality.quality,
        "pgr": quality.pgr,
        "cost_share": spend.quality * len(scores) / top_cost,
    }


def apgr_over_cost(cost_share: np.ndarray, pgr: np.ndarray) -> float:
    """Area under PGR against cost / top-only cost on [0, 1] (PGR 0 below the first point)."""
    import numpy as np

    grid = np.linspace(0.0, 1.0, COST_GRID)
    return float(np.trapezoid(np.interp(grid, cost_share, pgr, left=0.0), grid))


def cost_at_quality(cost_share: np.ndarray, quality: np.ndarray, target: float) -> float | None:
    """The smallest cost share on the polyline whose quality reaches `target` (None: never)."""
    hit = [k for k in range(len(quality)) if quality[k] >= target - _EPS]
    if not hit:
        return None
    k = hit[0]
    if k == 0:
        return float(cost_share[0])
    q0, q1, c0, c1 = quality[k - 1], quality[k], cost_share[k - 1], cost_share[k]
    return float(c0 + (target - q0) * (c1 - c0) / (q1 - q0))


def at_share(curve: dict[str, np.ndarray], share: float) -> dict[str, float]:
    import numpy as np

    return {
        "accuracy": float(np.interp(share, curve["share"], curve["quality"])),
        "cost_share": float(np.interp(share, curve["share"], curve["cost_share"])),
        "escalated": share,
    }


def pair_report(
    rec: Recorded, cheap: str, top: str, partner: str, baselines: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Two tiers (cheap -> top) on one group of prompts."""
    weak, strong = rec.correct[cheap], rec.correct[top]
    top_cost = float(rec.cost[top].sum())
    outcome = replay(rec, [cheap, top], partner)
    rule = outcome.summary(top_cost, 2)
    disagree = (outcome.final_tier > 0).astype(float)
    base = rec.cost[cheap] + rec.cost[partner]
    plain = (rec.cost[cheap], rec.cost[top])
    rankings: dict[str, tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]] = {
        "cascade": (disagree, (base, base + rec.cost[top])),
        "self": (self_signal(rec, cheap), (rec.cost[cheap], rec.cost[cheap] + rec.cost[top])),
    }
    rankings.update({name: (scores, plain) for name, scores in baselines.items()})
    policies: dict[str, Any] = {}
    for name, (scores, (kept, sent)) in rankings.items():
        curve = ranked_pair(scores, weak, strong, kept, sent, top_cost)
        point = rule if name == "cascade" else at_share(curve, rule["escalated"])
        at_top = cost_at_quality(curve["cost_share"], curve["quality"], float(strong.mean()))
        policies[name] = {
            "apgr_calls": _apgr_calls(curve),
            "apgr_cost": apgr_over_cost(curve["cost_share"], curve["pgr"]),
            "point": point,
            "cost_share_at_top_accuracy": at_top,
        }
    return {
        "n": len(rec),
        "single": _singles(rec, [cheap, top, partner], top_cost),
        "oracle": _oracle(rec, [cheap, top], top_cost),
        "policies": policies,
    }


def _apgr_calls(curve: dict[str, np.ndarray]) -> float:
    import numpy as np

    return float(np.trapezoid(curve["pgr"], curve["share"]))


def tiers_report(
    rec: Recorded, tiers: Sequence[str], partner: str, baselines: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Three tiers on one group: the rule's point against threshold sweeps."""
    import numpy as np

    from router.evaluate import evaluate_tiers

    top_cost = float(rec.cost[tiers[-1]].sum())
    q_cheap, q_top = float(rec.correct[tiers[0]].mean()), float(rec.correct[tiers[-1]].mean())
    outcome = replay(rec, tiers, partner)
    rule: dict[str, Any] = dict(outcome.summary(top_cost, len(tiers)))
    gap = q_top - q_cheap
    rule["pgr"] = (rule["accuracy"] - q_cheap) / gap if abs(gap) > _EPS else 0.0
    rule["reaches_top_accuracy"] = rule["accuracy"] >= q_top - _EPS
    # From every cheap answer (partner paid), through the rule's point, to the top tier
    # answering the prompts the rule left below it: the expected values of doing the next
    # step on a random part of the prompts lie on the straight lines between.
    base = float((rec.cost[tiers[0]] + rec.cost[partner]).sum())
    below_top = outcome.final_tier < len(tiers) - 1
    end = rule["cost"] + float(rec.cost[tiers[-1]][below_top].sum())
    rule["cost_share_at_top_accuracy"] = cost_at_quality(
        np.array([base, rule["cost"], end]) / top_cost,
        np.array([q_cheap, rule["accuracy"], q_top]),
        q_top,
    )
    policies: dict[str, Any] = {"cascade": rule}
    quality = np.vstack([rec.correct[t] for t in tiers])
    cost = np.vstack([rec.cost[t] for t in tiers])
    # The self ranking reads the cheap output first, so every higher tier also pays for it.
    after_cheap = cost + np.vstack([np.zeros(len(rec))] + [rec.cost[tiers[0]]] * (len(tiers) - 1))
    sweeps = {"self": (self_signal(rec, tiers[0]), after_cheap)}
    sweeps.update({name: (scores, cost) for name, scores in baselines.items()})
    for name, (scores, tier_cost) in sweeps.items():
        swept = evaluate_tiers(scores, quality, tier_cost)
        affordable = [p for p in swept["frontier"] if p["cost"] <= rule["cost"] + _EPS]
        policies[name] = {
            "accuracy_at_cascade_cost": affordable[-1]["quality"] if affordable else None,
            "cost_share_at_top_accuracy": swept["cost_share_at_top_quality"],
        }
    return {
        "n": len(rec),
        "single": _singles(rec, [*tiers, partner], top_cost),
        "oracle": _oracle(rec, tiers, top_cost),
        "policies": policies,
    }


def _singles(rec: Recorded, models: Sequence[str], top_cost: float) -> dict[str, Any]:
    return {
        m: {
            "accuracy": float(rec.correct[m].mean()),
            "cost": float(rec.cost[m].sum()),
            "cost_share": float(rec.cost[m].sum() / top_cost),
        }
        for m in dict.fromkeys(models)
    }


def _oracle(rec: Recorded, tiers: Sequence[str], top_cost: float) -> dict[str, float]:
    import numpy as np

    from router.evaluate import oracle_outcome

    quality, cost = oracle_outcome(
        np.vstack([rec.correct[t] for t in tiers]), np.vstack([rec.cost[t] for t in tiers])
    )
    return {"accuracy": quality, "cost": cost, "cost_share": cost / top_cost}


# ---------------------------------------------------------------- command


def groups(rec: Recorded) -> list[tuple[str, Recorded]]:
    """Each benchmark, then all of them pooled (when there are several)."""
    import numpy as np

    names = sorted(set(rec.benchmark.tolist()))
    out = [(b, rec.subset(rec.benchmark == b)) for b in names]
    if len(names) > 1:
        out.append(("pooled", rec.subset(np.ones(len(rec), dtype=bool))))
    return out


def baseline_scores(rec: Recorded, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Prompt-only rankings: prompt length and random (seeded, as `router eval`)."""
    from router.evaluate import baseline_scorers, score_requests

    return {name: score_requests(fn, rec.requests) for name, fn in baseline_scorers(names).items()}


def report(
    folder: Path,
    tiers: Sequence[str],
    partner: str,
    benchmarks: Sequence[str] | None = None,
    baselines: Sequence[str] = BASELINES,
) -> dict[str, Any]:
    """The pair tables (first -> last tier) and, for three tiers, the tier tables."""
    import numpy as np

    available = recorded_models(folder)
    tiers = [resolve_model(t, available) for t in tiers]
    if len(tiers) not in (2, 3) or len(set(tiers)) != len(tiers):
        raise SystemExit("--tiers takes two or three different models, cheapest first")
    partner = resolve_model(partner, available)
    if partner in tiers:
        raise SystemExit("the partner must not be one of the tiers")
    cheap, top = tiers[0], tiers[-1]
    pair_models = [cheap, top, partner]
    rec = load_recorded(folder, pair_models)
    if benchmarks:
        unknown = sorted(set(benchmarks) - set(rec.benchmark.tolist()))
        if unknown:
            have = ", ".join(sorted(set(rec.benchmark.tolist())))
            raise SystemExit(f"unknown benchmark(s) {', '.join(unknown)}; have: {have}")
        rec = rec.subset(np.isin(rec.benchmark, list(benchmarks)))
    out: dict[str, Any] = {
        "tiers": list(tiers),
        "partner": partner,
        "answer_rule_vs_correct": label_agreement(folder),
        "pair": {},
        "tiers_table": {},
        "no_tier_data": [],
    }
    for name, group in groups(rec):
        out["pair"][name] = pair_report(
            group, cheap, top, partner, baseline_scores(group, baselines)
        )
    if len(tiers) > 2:
        full = load_recorded(folder, [*tiers, partner])
        full = full.subset(np.isin(full.benchmark, sorted(set(rec.benchmark.tolist()))))
        out["no_tier_data"] = sorted(set(rec.benchmark.tolist()) - set(full.benchmark.tolist()))
        for name, group in groups(full):
            out["tiers_table"][name] = tiers_report(
                group, tiers, partner, baseline_scores(group, baselines)
            )
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def print_report(r: dict[str, Any]) -> None:
    tiers, partner = r["tiers"], r["partner"]
    short = {m: m.split("-20")[0] for m in [*tiers, partner]}
    top = short[tiers[-1]]
    print(f"verified cascade, partner {short[partner]}: recorded answers replayed, every call paid")
    check = ", ".join(
        f"{b} {c['agreement']:.2%} of {c['rows']}" for b, c in r["answer_rule_vs_correct"].items()
    )
    print(f"answer rule reproduces the data's `correct` label on: {check}")
    print(f"\n== two tiers: {short[tiers[0]]} -> {top}")
    print("   rankings (self, prompt) are read at the cascade's share escalated")
    for name, g in r["pair"].items():
        _print_header(name, g, short)
        print(
            f"  {'policy':<16} {'APGR calls':>10} {'APGR cost':>9} {'accuracy':>8} {'cost':>7}"
            f" {'escalated':>9}  cost at {top} accuracy"
        )
        for pname, p in g["policies"].items():
            pt = p["point"]
            print(
                f"  {_label(pname):<16} {p['apgr_calls']:>10.3f} {p['apgr_cost']:>9.3f} "
                f"{pt['accuracy']:>8.3f} {_pct(pt['cost_share']):>7} {pt['escalated']:>9.1%}  "
                f"{_pct(p['cost_share_at_top_accuracy'])}"
            )
    if len(tiers) < 3:
        return
    print(f"\n== {len(tiers)} tiers: {' -> '.join(short[t] for t in tiers)}")
    print("   rankings (self, prompt): best threshold sweep point within the cascade's cost")
    if r["no_tier_data"]:
        print(f"   not in this table (no answers from every tier): {', '.join(r['no_tier_data'])}")
    for name, g in r["tiers_table"].items():
        _print_header(name, g, short)
        print(
            f"  {'policy':<16} {'accuracy':>8} {'cost':>7} {'escalated':>9} {'to ' + top:>16}"
            f" {'gap':>5}  cost at {top} accuracy"
        )
        c = g["policies"]["cascade"]
        print(
            f"  {'cascade':<16} {c['accuracy']:>8.3f} {_pct(c['cost_share']):>7} "
            f"{c['escalated']:>9.1%} {c['reached_top']:>16.1%} {c['pgr']:>5.2f}  "
            f"{_pct(c['cost_share_at_top_accuracy'])}"
        )
        for pname, p in g["policies"].items():
            if pname == "cascade":
                continue
            acc = p["accuracy_at_cascade_cost"]
            print(
                f"  {_label(pname):<16} {'-' if acc is None else f'{acc:.3f}':>8} "
                f"{'<=' + _pct(c['cost_share']):>7} {'-':>9} {'-':>16} {'-':>5}  "
                f"{_pct(p['cost_share_at_top_accuracy'])}"
            )


def _label(name: str) -> str:
    return {"cascade": "cascade", "self": "self signals"}.get(name, f"{name} (prompt)")


def _print_header(name: str, g: dict[str, Any], short: dict[str, str]) -> None:
    print(f"\n{name}: n={g['n']}")
    rows = [(f"only {short[m]}", s) for m, s in g["single"].items()] + [("oracle", g["oracle"])]
    for label, s in rows:
        print(
            f"  {label:<22} accuracy {s['accuracy']:.3f}  cost ${s['cost']:.2f} "
            f"({_pct(s['cost_share'])})"
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cascade",
        action="store_true",
        help="replay the verified cascade on recorded answers (zeroeval_tiers); "
        f"--tiers defaults to {','.join(DEFAULT_TIERS)}",
    )
    parser.add_argument(
        "--partner", help=f"--cascade: the partner model (default {DEFAULT_PARTNER})"
    )
    parser.add_argument("--benchmarks", help="--cascade: comma-separated benchmarks (default all)")


_NOT_WITH_CASCADE = (
    "loo",
    "cv",
    "seed",
    "weak",
    "strong",
    "config",
    "classifier",
    "weights",
    "plot",
)


def run(args: argparse.Namespace) -> int:
    """`router eval --cascade`."""
    from router.data import default_data_dir

    if not args.cascade:
        print("--partner and --benchmarks go with --cascade", file=sys.stderr)
        return 2
    given = [f"--{a}" for a in _NOT_WITH_CASCADE if getattr(args, a, None) not in (None, False)]
    if given:
        print(f"--cascade does not take {', '.join(given)}", file=sys.stderr)
        return 2
    tiers = [t.strip() for t in args.tiers.split(",")] if args.tiers else list(DEFAULT_TIERS)
    benchmarks = [b.strip() for b in args.benchmarks.split(",")] if args.benchmarks else []
    benchmarks += args.benchmark or []
    folder = zeroeval_folder(args.data or default_data_dir())
    baselines = () if args.no_baselines else BASELINES
    result = report(folder, tiers, args.partner or DEFAULT_PARTNER, benchmarks or None, baselines)
    if args.json:
        print(json.dumps(result))
    else:
        print_report(result)
    return 0
