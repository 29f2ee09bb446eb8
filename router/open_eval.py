"""`router eval --open FILE`: how a config routes a hand-labelled open-traffic check set.

Each line of FILE is one request as an app sends it (`messages`, and `tools`,
`response_format`, `max_tokens` ... when it has them) plus its labels: `id`,
`tier` (the cheapest of small / medium / large a careful engineer would trust),
`reason`, `kind`, `domain`, and optionally `group` (`short_hard`, `long_easy`)
and `pair`. Every request is routed as the gateway routes it: the config's
classifier scores it and `policy.decide` picks the tier, so context-window and
capability rules apply. Deployments are treated as having their credentials
(this is offline; nothing is called).

Figures: the confusion table (labelled vs chosen tier), the share of large work
sent to the small tier, of small work sent to the large tier, of all work sent
below its label, and two ROC AUCs of the difficulty score: `large` vs `small`
labels, and the `short_hard` vs `long_easy` groups. The same figures are given
for a length-only baseline that sends the longest requests up, in the same
tier proportions as the classifier chose, so a reader sees what length alone does.

The labels are positional: small = the config's cheapest tier, medium = the
middle one, large = the last; the config must have three tiers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABELS = ("small", "medium", "large")
GROUPS = ("short_hard", "long_easy")
LABEL_FIELDS = ("id", "tier", "reason", "kind", "domain", "group", "pair")
REQUIRED_FIELDS = ("id", "messages", "tier", "reason", "kind", "domain")
DEFAULT_CONFIG = os.environ.get("TIANJI_CONFIG", "config/default.yaml")
MISROUTES_SHOWN = 10
CORNER = "labelled \\ chosen"
PLACEHOLDER = "offline-eval"
# The ${VAR} / ${VAR:-default} syntax of router/config.py.
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class CheckSetError(ValueError):
    """The check set, the config or the classifier cannot be used: names the file and line."""


@dataclass(frozen=True)
class CheckItem:
    id: str
    label: int
    request: Mapping[str, Any]
    kind: str
    group: str | None


def offline_env(config_text: str, environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` plus a placeholder for each credential variable it lacks.

    Routing offline needs no real keys, but a deployment without credentials is skipped
    by the policy, which would hide its window and capability rules. `${VAR:-default}`
    references keep their defaults.
    """
    from router.credentials import IMPLICIT_KEY_ENV

    needed = {m.group(1) for m in _ENV_REF.finditer(config_text) if m.group(2) is None}
    needed |= set(IMPLICIT_KEY_ENV.values())
    return {**{name: PLACEHOLDER for name in needed}, **{k: v for k, v in environ.items() if v}}


def _item(raw: Any, where: str) -> CheckItem:
    if not isinstance(raw, dict):
        raise CheckSetError(f"{where}: expected a JSON object")
    missing = [f for f in REQUIRED_FIELDS if f not in raw]
    if missing:
        raise CheckSetError(f"{where}: missing field(s) {', '.join(missing)}")
    messages = raw["messages"]
    if not isinstance(messages, list) or not messages or not all(
        isinstance(m, dict) and "role" in m for m in messages
    ):
        raise CheckSetError(f"{where}: `messages` must be a non-empty list of chat messages")
    tier = raw["tier"]
    if tier not in LABELS:
        raise CheckSetError(f"{where}: unknown tier {tier!r}; expected one of {', '.join(LABELS)}")
    group = raw.get("group")
    if group is not None and group not in GROUPS:
        raise CheckSetError(
            f"{where}: unknown group {group!r}; expected one of {', '.join(GROUPS)}"
        )
    request = {k: v for k, v in raw.items() if k not in LABEL_FIELDS}
    return CheckItem(str(raw["id"]), LABELS.index(tier), request, str(raw["kind"]), group)


def load_check_set(path: str | Path) -> list[CheckItem]:
    """Read and validate a check-set JSONL file; CheckSetError names the bad line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise CheckSetError(f"cannot read check set {path}: {err.strerror}") from None
    items: list[CheckItem] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as err:
            raise CheckSetError(f"{where}: not valid JSON ({err.msg})") from None
        item = _item(raw, where)
        if item.id in seen:
            raise CheckSetError(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise CheckSetError(f"{path}: no requests")
    return items


# ---------------------------------------------------------------- figures


def figures(
    labels: Sequence[int],
    chosen: Sequence[int],
    scores: Sequence[float],
    groups: Sequence[str | None],
) -> dict[str, Any]:
    """Confusion table, misroute shares and AUCs for one router on the check set."""
    import numpy as np

    from router.evaluate import auc

    n = len(labels)
    table = [[0] * len(LABELS) for _ in LABELS]
    for want, got in zip(labels, chosen, strict=True):
        table[want][got] += 1
    large, small = LABELS.index("large"), LABELS.index("small")

    def share(count: int, total: int) -> float | None:
        return round(count / total, 4) if total else None

    hard = [s for s, g in zip(scores, groups, strict=True) if g == "short_hard"]
    easy = [s for s, g in zip(scores, groups, strict=True) if g == "long_easy"]
    extremes = [
        (s, lab == large) for s, lab in zip(scores, labels, strict=True) if lab in (large, small)
    ]

    def auc_of(pairs: Sequence[tuple[float, bool]]) -> float | None:
        value = auc(np.array([s for s, _ in pairs], dtype=float), np.array([p for _, p in pairs]))
        return None if value != value else round(value, 4)

    return {
        "confusion": table,
        "large_to_small": share(table[large][small], sum(table[large])),
        "small_to_large": share(table[small][large], sum(table[small])),
        "below_label": share(sum(g < w for w, g in zip(labels, chosen, strict=True)), n),
        "above_label": share(sum(g > w for w, g in zip(labels, chosen, strict=True)), n),
        "exact": share(sum(g == w for w, g in zip(labels, chosen, strict=True)), n),
        "auc_large_vs_small": auc_of(extremes),
        "auc_short_hard_vs_long_easy": auc_of(
            [(s, True) for s in hard] + [(s, False) for s in easy]
        ),
    }


def length_tiers(lengths: Sequence[float], counts: Sequence[int]) -> list[int]:
    """Tiers by length alone: the shortest `counts[0]` to the first tier, and so on up."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    tiers = [0] * len(lengths)
    start = 0
    for tier, count in enumerate(counts):
        for i in order[start : start + count]:
            tiers[i] = tier
        start += count
    return tiers


def evaluate_open(path: str | Path, config_path: str | Path, kind: str | None = None,
                  weights: str | None = None) -> dict[str, Any]:
    """Route every request of the check set with the config's classifier and policy."""
    from router.classify import load_classifier
    from router.classify.base import iter_text
    from router.config import load_config
    from router.costs import build_catalog
    from router.policy import PolicyError, Route, decide, needs_of

    items = load_check_set(path)
    try:
        config_text = Path(config_path).read_text(encoding="utf-8")
    except OSError as err:
        raise CheckSetError(f"cannot read config {config_path}: {err.strerror}") from None
    config = load_config(config_path, env=offline_env(config_text, os.environ))
    if len(config.tiers) != len(LABELS):
        raise CheckSetError(
            f"the check set labels {', '.join(LABELS)} need a config with three tiers; "
            f"{config_path} has {len(config.tiers)}"
        )
    kind = kind or config.classifier.kind
    weights = weights or config.classifier.weights
    try:
        classifier = load_classifier(kind, weights)
    except (OSError, ValueError) as err:
        source = weights or "shipped weights"
        raise CheckSetError(f"cannot load the {kind} classifier ({source}): {err}") from None
    catalog = build_catalog(config)
    names = [t.name for t in config.tiers]
    rows: list[dict[str, Any]] = []
    scores: list[float] = []
    for item in items:
        assessment = classifier.score(item.request)
        try:
            decision = decide(config, catalog, needs_of(item.request), assessment, Route())
        except PolicyError as err:
            raise CheckSetError(f"request {item.id!r} cannot be routed: {err}") from None
        scores.append(assessment.difficulty)
        rows.append({
            "id": item.id,
            "kind": item.kind,
            "group": item.group,
            "label": LABELS[item.label],
            "chosen": decision.tier,
            "difficulty": round(assessment.difficulty, 4),
            "task": assessment.task,
            "length": sum(len(t) for _, t in iter_text(item.request)),
        })
    labels = [item.label for item in items]
    groups = [item.group for item in items]
    chosen = [names.index(r["chosen"]) for r in rows]
    counts = [chosen.count(i) for i in range(len(names))]
    lengths = [float(r["length"]) for r in rows]
    return {
        "file": str(path),
        "config": str(config_path),
        "classifier": {"kind": kind, "weights": weights},
        "tiers": names,
        "thresholds": [t.max_difficulty for t in config.tiers[:-1]],
        "n": len(items),
        "groups": {g: groups.count(g) for g in GROUPS},
        "routers": {
            "classifier": figures(labels, chosen, scores, groups),
            "length": figures(labels, length_tiers(lengths, counts), lengths, groups),
        },
        "requests": rows,
    }


# ---------------------------------------------------------------- printing


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


# The figures a labelled check prints, in order: report key, label, format.
FIGURES = (
    ("large_to_small", "large-labelled sent to small", _pct),
    ("small_to_large", "small-labelled sent to large", _pct),
    ("below_label", "all requests sent below label", _pct),
    ("above_label", "all requests sent above label", _pct),
    ("exact", "all requests at their label", _pct),
    ("auc_large_vs_small", "AUC large vs small", _num),
    ("auc_short_hard_vs_long_easy", "AUC short_hard vs long_easy", _num),
)


def _print_table(title: str, table: Sequence[Sequence[int]], names: Sequence[str]) -> None:
    print(f"\n{title}")
    print(f"  {CORNER:<18}" + "".join(f"{n:>8}" for n in names) + f"{'total':>8}")
    for label, row in zip(LABELS, table, strict=True):
        print(f"  {label:<18}" + "".join(f"{c:>8}" for c in row) + f"{sum(row):>8}")
    totals = [sum(col) for col in zip(*table, strict=True)]
    print(f"  {'total':<18}" + "".join(f"{c:>8}" for c in totals) + f"{sum(totals):>8}")


def print_report(report: dict[str, Any]) -> None:
    names = report["tiers"]
    bounds = ", ".join(f"{n} <= {t}" for n, t in zip(names, report["thresholds"], strict=False))
    print(
        f"open-traffic check {report['file']}: n={report['n']} "
        f"(short_hard {report['groups']['short_hard']}, long_easy {report['groups']['long_easy']})"
    )
    c = report["classifier"]
    print(f"config {report['config']}: classifier {c['kind']}"
          + (f" ({c['weights']})" if c["weights"] else "") + f"; {bounds}")
    clf, length = report["routers"]["classifier"], report["routers"]["length"]
    _print_table("classifier: labelled tier vs chosen tier", clf["confusion"], names)
    _print_table(
        "length only (same tier mix): labelled tier vs chosen tier", length["confusion"], names
    )
    print(f"\n  {'':<36}{'classifier':>12}{'length':>12}")
    for key, text, fmt in FIGURES:
        print(f"  {text:<36}{fmt(clf[key]):>12}{fmt(length[key]):>12}")
    worst = [r for r in report["requests"] if r["label"] == "large" and r["chosen"] == names[0]]
    if worst:
        shown = ", ".join(r["id"] for r in worst[:MISROUTES_SHOWN])
        more = f" (+{len(worst) - MISROUTES_SHOWN} more)" if len(worst) > MISROUTES_SHOWN else ""
        print(f"\nlarge-labelled requests sent to {names[0]}: {shown}{more}")


def run_open(args: argparse.Namespace) -> int:
    """`router eval --open FILE [--config PATH] [--classifier K] [--weights W] [--json]`."""
    others = [flag for flag, value in (
        ("--data", args.data), ("--loo", args.loo), ("--cv", args.cv), ("--seed", args.seed),
        ("--benchmark", args.benchmark), ("--weak", args.weak), ("--strong", args.strong),
        ("--tiers", args.tiers), ("--plot", args.plot), ("--no-baselines", args.no_baselines),
        ("--traffic", args.traffic),
    ) if value]
    if others:
        print(
            "--open takes only --config, --classifier, --weights and --json, "
            f"not {', '.join(others)}",
            file=sys.stderr,
        )
        return 2
    from router.config import ConfigError

    try:
        config = args.config or DEFAULT_CONFIG
        report = evaluate_open(args.open, config, args.classifier, args.weights)
    except (CheckSetError, ConfigError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0
