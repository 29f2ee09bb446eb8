"""`router calibrate`: choose the tiers' `max_difficulty` thresholds for a target.

Three targets:
- `--target-quality 0.95`: the cheapest thresholds whose quality on labelled data
  is at least 95% of the top tier's own quality.
- `--max-cost-share 0.3`: the best quality whose cost is at most 30% of sending
  everything to the top tier.
- `--tier-mix 60,30,10`: thresholds at the score quantiles of real (unlabelled)
  traffic, e.g. a JSONL of logged requests, so 60% go to the first tier, etc.
- `--current`: no target; the expected quality and cost of the thresholds the
  config already has (nothing is written), and the tier mix and cost share they give on
  traffic-like prompts (see traffic_requests).
- `--tier-mix` without `--requests` takes the quantiles of the traffic-like prompts.

Traffic-like prompts, from the shared data: AlpacaEval's everyday instructions, ExpertQA's
questions written by experts in 32 fields, and Arena-Hard v2.0's hard coding, maths and
creative-writing prompts (expert-heavy: a real app sees more easy traffic). Each goes through
the gateway's own decision (classifier, thresholds and the confidence rule of
router/policy.py); the cost share is what the chosen tiers cost against sending everything to
the top tier, at each tier's first deployment's list price, for the prompt's tokens plus
ANSWER_TOKENS of answer.

The labelled modes map the config's tiers onto models with outcomes in the data
(`--models`, default Claude 3 Haiku, Sonnet, Opus) and sweep thresholds over
score quantiles. When tiers of the config have `verify:` (the verified cascade,
router/verify.py), each threshold choice is scored by replaying the cascade from the tier
each prompt starts at on the recorded answers (`cascade_eval.replay_from`, partner
`--partner`, every call paid); `--no-verify` scores the tiers' own answers instead. The
config is rewritten in place: only the numbers after
`max_difficulty:` change, comments and layout stay. `--print` prints YAML instead.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ANSWER_TOKENS = 400
TRAFFIC_SOURCES = ("alpaca", "ExpertQA-r1", "arena-hard-v2.0")
DEFAULT_MODELS = "claude-3-haiku-20240307,claude-3-sonnet-20240229,claude-3-opus-20240229"
DEFAULT_PARTNER = "gpt-4o-mini-2024-07-18"
_MAX_DIFFICULTY = re.compile(r"^(\s*max_difficulty:\s*)([-+0-9.eE]+|null|~)?(.*)$")


def traffic_requests(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The traffic-like prompts by source (empty sources left out)."""
    from router import data
    from router.classify.base import prompt_request

    out: dict[str, list[dict[str, Any]]] = {}
    alpaca = data_dir / "alpacaeval2_prefs"
    if alpaca.is_dir():
        out["alpaca"] = data.load_alpaca(alpaca).requests
    folder = data_dir / data.OPEN_SOURCE
    if (folder / "unlabelled_prompts.jsonl.gz").is_file():
        for row in data.read_unlabelled(folder):
            out.setdefault(str(row["source"]), []).append(prompt_request(str(row["prompt"])))
    return {name: out[name] for name in TRAFFIC_SOURCES if out.get(name)}


def tier_mix(
    config_path: str, requests: Sequence[dict[str, Any]], classifier: Any
) -> tuple[list[float], float]:
    """(share of requests per tier, cost as a share of the top tier's) under the config's policy."""
    import numpy as np

    from router.config import load_config
    from router.costs import build_catalog
    from router.policy import Route, decide, needs_of

    config = load_config(config_path)
    catalog = build_catalog(config)
    names = [t.name for t in config.tiers]
    price = []
    for tier in config.tiers:
        info = catalog[tier.deployments[0].name]
        price.append((info.input_cost or 0.0, info.output_cost or 0.0))
    counts = np.zeros(len(names))
    cost = top = 0.0
    for request in requests:
        needs = needs_of(request)
        tier = names.index(decide(config, catalog, needs, classifier.score(request), Route()).tier)
        counts[tier] += 1
        cost += needs.prompt_tokens * price[tier][0] + ANSWER_TOKENS * price[tier][1]
        top += needs.prompt_tokens * price[-1][0] + ANSWER_TOKENS * price[-1][1]
    return (counts / max(1, len(requests))).tolist(), cost / top if top else float("nan")


def mix_lines(config_path: str, data_dir: Path, classifier: Any) -> list[str]:
    """One line per traffic-like source and one for all of them pooled."""
    from router.config import load_config

    names = [t.name for t in load_config(config_path).tiers]
    groups = traffic_requests(data_dir)
    lines = []
    everything = [r for reqs in groups.values() for r in reqs]
    for name, requests in [*groups.items(), ("all", everything)]:
        if not requests:
            continue
        shares, cost = tier_mix(config_path, requests, classifier)
        mix = ", ".join(f"{t} {s:.0%}" for t, s in zip(names, shares, strict=True))
        lines.append(
            f"traffic-like {name} ({len(requests)} prompts): {mix}; cost {cost:.0%} of {names[-1]} "
            "alone"
        )
    if any(verifying_tiers(Path(config_path))):
        lines.append("(traffic-like: the tiers requests start at; the verified cascade's partner "
                     "and escalation calls are not in these costs: no recorded answers)")
    return lines


def read_tiers(config: Path) -> tuple[list[str], list[float | None], dict[str, Any]]:
    """Tier names, their max_difficulty (None for the last) and the classifier block."""
    import yaml

    cfg = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    tiers = cfg.get("tiers") or []
    if len(tiers) < 2:
        raise SystemExit(f"{config}: calibration needs at least two tiers")
    names = [str(t.get("name")) for t in tiers]
    limits = [t.get("max_difficulty") for t in tiers]
    return names, limits, cfg.get("classifier") or {}


def covered_thresholds(limits: list[Any]) -> list[Any]:
    """The thresholds as the policy reads them: above a tier with max_difficulty 1.0 (which
    takes every request) the tiers have none, which is 1.0 too."""
    out = list(limits)
    for i in range(1, len(out)):
        if out[i] is None and out[i - 1] == 1.0:
            out[i] = 1.0
    return out


def verifying_tiers(config: Path) -> list[bool]:
    """Which tiers have `verify:` (the verified cascade, router/verify.py)."""
    import yaml

    cfg = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return [bool(t.get("verify")) for t in cfg.get("tiers") or []]


def verified_outcomes(
    path: Path, models: list[str], partner: str, verifying: list[bool],
    benchmarks: list[str] | None, score: Any, progress: bool,
) -> tuple[Any, Any, Any, int]:
    """Scores, and correctness and cost per (start tier, prompt) of the verified cascade
    replayed on the recorded answers (router/cascade_eval.py `replay_from`)."""
    import numpy as np

    from router.cascade_eval import load_recorded, replay_from, zeroeval_folder
    from router.evaluate import score_requests

    folder = zeroeval_folder(path)
    rec = load_recorded(folder, [*models, partner])
    if benchmarks:
        rec = rec.subset(np.isin(rec.benchmark, benchmarks))
    if not len(rec):
        raise SystemExit(f"no prompts in {folder} with answers from {', '.join(models)} and "
                         f"{partner}")
    quality, cost = replay_from(rec, models, partner, verifying)
    return score_requests(score, rec.requests, progress), quality, cost, len(rec)


def rewrite_thresholds(text: str, thresholds: list[float | None]) -> str:
    """Replace the first len(thresholds) `max_difficulty:` values, keeping comments; a None
    removes that line (a tier above one with max_difficulty 1.0 has none)."""
    lines = text.splitlines(keepends=True)
    done = 0
    for i, line in enumerate(lines):
        if done == len(thresholds):
            break
        m = _MAX_DIFFICULTY.match(line.rstrip("\n"))
        if m:
            end = "\n" if line.endswith("\n") else ""
            value = thresholds[done]
            lines[i] = "" if value is None else f"{m.group(1)}{value:.4f}{m.group(3)}{end}"
            done += 1
    if any(t is not None for t in thresholds[done:]):
        raise SystemExit(
            f"config has {done} `max_difficulty:` lines, need {len(thresholds)}; use --print and "
            "paste"
        )
    return "".join(lines)


def choose_labelled(
    scores: Any, quality: Any, cost: Any, target_quality: float | None, max_cost_share: float | None
) -> dict[str, Any] | None:
    """The sweep point meeting the target (cheapest, or best quality under the cost cap)."""
    from router.evaluate import pareto, threshold_grid

    top_q, top_c = float(quality[-1].mean()), float(cost[-1].sum())
    front = pareto(
        [
            labelled_outcome(scores, quality, cost, t)
            for t in threshold_grid(scores, quality.shape[0], steps=100)
        ]
    )
    if target_quality is not None:
        ok = [p for p in front if p["quality"] >= target_quality * top_q - 1e-12]
        best = ok[0] if ok else None
    else:
        assert max_cost_share is not None
        ok = [p for p in front if p["cost"] <= max_cost_share * top_c + 1e-12]
        best = ok[-1] if ok else None
    return best


def labelled_outcome(scores: Any, quality: Any, cost: Any, thresholds: Any) -> dict[str, Any]:
    """Quality and cost of routing by these thresholds, also as shares of the top tier's."""
    from router.evaluate import assign_tiers, policy_outcome

    q, c = policy_outcome(assign_tiers(scores, thresholds), quality, cost)
    return {
        "thresholds": list(thresholds),
        "quality": q,
        "cost": c,
        "quality_share": q / float(quality[-1].mean()),
        "cost_share": c / float(cost[-1].sum()),
    }


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from router import data
    from router.classify import load_classifier
    from router.evaluate import assign_tiers, score_requests

    config = Path(args.config)
    names, limits, block = read_tiers(config)
    clf = load_classifier(
        args.classifier or str(block.get("kind", "learned")), args.weights or block.get("weights")
    )
    n_cut = len(names) - 1
    progress = sys.stderr.isatty()
    how, scores = "", None  # how: " with the verified cascade ..." when it is replayed

    if args.from_log:
        if args.tier_mix or args.current:
            print("--from-log goes with --target-quality or --max-cost-share", file=sys.stderr)
            return 2
        from router.ops import calibrate_log

        chosen = calibrate_log.run(args, names)
        if chosen is None:
            print("no thresholds meet the target on the logged traffic", file=sys.stderr)
            return 1
        thresholds, summary = chosen
    elif args.tier_mix:
        mix = [float(x) for x in args.tier_mix.split(",")]
        if len(mix) != len(names) or any(x < 0 for x in mix) or sum(mix) <= 0:
            print(
                f"--tier-mix needs {len(names)} non-negative shares (one per tier)", file=sys.stderr
            )
            return 2
        if args.requests:
            with open(args.requests, encoding="utf-8") as f:
                requests = list(data.read_requests(f))
        else:
            traffic = traffic_requests(Path(args.data) if args.data else data.default_data_dir())
            requests = [r for reqs in traffic.values() for r in reqs]
            if not requests:
                print(
                    "--tier-mix needs --requests JSONL, or the shared data's traffic-like prompts",
                    file=sys.stderr,
                )
                return 2
        scores = score_requests(lambda r: clf.score(r).difficulty, requests, progress)
        cum = np.cumsum(mix)[:-1] / sum(mix)
        thresholds = [float(np.quantile(scores, q)) for q in cum]
        got = np.bincount(assign_tiers(scores, thresholds), minlength=len(names)) / len(scores)
        summary = "traffic mix " + ", ".join(
            f"{n} {g:.0%}" for n, g in zip(names, got, strict=True)
        )
        summary += f" over {len(scores)} requests"
    else:
        if not args.current and (args.target_quality is None) == (args.max_cost_share is None):
            print(
                "give one of --target-quality, --max-cost-share, --tier-mix or --current",
                file=sys.stderr,
            )
            return 2
        current = covered_thresholds(limits)[:n_cut]
        if args.current and not all(isinstance(t, int | float) for t in current):
            print(
                f"--current needs a max_difficulty number on each of the first {n_cut} tiers",
                file=sys.stderr,
            )
            return 2
        models = [m.strip() for m in args.models.split(",")]
        if len(models) != len(names):
            print(
                f"--models needs {len(names)} models (one per tier: {', '.join(names)})",
                file=sys.stderr,
            )
            return 2
        path = args.data or data.default_data_dir() / "zeroeval_tiers"
        sets = [
            s.labelled_by(models)
            for s in data.load(path, args.benchmark)
            if all(m in s.quality for m in models)
        ]
        sets = [s for s in sets if len(s)]
        if not sets:
            print(f"no prompts in {path} labelled for all of {', '.join(models)}", file=sys.stderr)
            return 2
        verifying = verifying_tiers(config)
        if any(verifying) and not args.no_verify:
            # The tiers with `verify:` run the verified cascade: replay it on recorded answers.
            scores, quality, cost, prompts = verified_outcomes(
                Path(path), models, args.partner, verifying, args.benchmark,
                lambda r: clf.score(r).difficulty, progress)
            how = f" with the verified cascade (partner {args.partner})"
        else:
            ls = sets[0]
            quality = np.vstack([ls.quality[m] for m in models])
            cost = np.vstack([ls.cost[m] for m in models])
            scores = score_requests(lambda r: clf.score(r).difficulty, ls.requests, progress)
            prompts, how = len(ls), ""
        if args.current:
            best = labelled_outcome(scores, quality, cost, current)
        else:
            best = choose_labelled(scores, quality, cost, args.target_quality, args.max_cost_share)
        if best is None:
            print("no thresholds meet the target on this data", file=sys.stderr)
            return 1
        thresholds = [max(0.0, min(1.0, t)) for t in best["thresholds"]]
        summary = (
            f"expected quality {best['quality']:.3f} ({best['quality_share']:.1%} of {models[-1]} "
            "alone), "
            f"cost ${best['cost']:.2f} ({best['cost_share']:.1%} of {models[-1]} alone) on "
            f"{prompts} prompts"
            f"{how}"
        )
    written: list[float | None] = [round(max(0.0, min(1.0, t)), 4) for t in thresholds[:n_cut]]
    if how and scores is not None and thresholds[0] >= float(np.max(scores)):
        # Every prompt starts at the cheapest tier: max_difficulty 1.0 there, and none above
        # (the tiers above are reached by the cascade's escalation).
        written = [1.0, *[None] * (n_cut - 1)]
    print(summary, file=sys.stderr)
    if args.current:
        for line in mix_lines(str(config), data.default_data_dir(), clf):
            print(line, file=sys.stderr)
        return 0
    if args.print:
        print("tiers:")
        for name, t in zip(names, [*written, None], strict=True):
            print(f"  - name: {name}" + (f"\n    max_difficulty: {t:.4f}" if t is not None else ""))
        return 0
    config.write_text(
        rewrite_thresholds(config.read_text(encoding="utf-8"), written), encoding="utf-8"
    )
    print(f"wrote max_difficulty {written} to {config}", file=sys.stderr)
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="set the tiers' max_difficulty thresholds for a quality, cost or traffic-mix target",
        description=(
            "Choose the tier thresholds for a target and write them into the config "
            "(only the max_difficulty numbers change; comments stay), or print the YAML. "
            "Reports the expected quality and cost of the chosen thresholds."
        ),
        epilog=(
            "examples:\n"
            "  router calibrate --config config/default.yaml --target-quality 0.95\n"
            "  router calibrate --config config/default.yaml --max-cost-share 0.3 --print\n"
            "  router calibrate --config config/default.yaml --current"
            "   # what the thresholds it has give\n"
            "  router calibrate --config config/default.yaml --tier-mix 60,30,10"
            " --requests logged.jsonl\n"
            "  router calibrate --config config/default.yaml --target-quality 0.95 --from-log\n"
            "  router calibrate --config config/default.yaml --tier-mix 30,50,20 --print"
            "   # quantiles of the traffic-like prompts\n"
            "  router calibrate --config my.yaml --target-quality 0.9"
            " --data ../shared/data/routellm_evals \\\n"
            "      --models mixtral-8x7b-instruct,gpt-4-1106-preview   # a two-tier config\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", required=True, help="YAML config whose tiers to calibrate")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--target-quality",
        type=float,
        help="fraction of the top tier's quality to keep (labelled data)",
    )
    target.add_argument(
        "--max-cost-share",
        type=float,
        help="cap on cost as a fraction of the top tier's (labelled data)",
    )
    target.add_argument(
        "--tier-mix", help="percent of traffic per tier, e.g. 60,30,10 (needs --requests)"
    )
    target.add_argument(
        "--current",
        action="store_true",
        help="report the expected quality and cost of the config's thresholds; change nothing",
    )
    parser.add_argument(
        "--requests",
        help="JSONL of requests ({prompt} or {messages}) for --tier-mix "
        "(default: the shared data's traffic-like prompts: AlpacaEval, ExpertQA, Arena-Hard v2.0)",
    )
    parser.add_argument(
        "--from-log", nargs="?", const="-", metavar="URL",
        help="use the request log's shadow verdicts and feedback instead of labelled data "
        "(default URL: $TIANJI_LOG_DB, else ./tianji-log.db; see router/ops/calibrate_log.py)",
    )
    parser.add_argument(
        "--data",
        help="labelled data (default: zeroeval_tiers in $TIANJI_DATA, else in ../shared/data next "
             "to the repository)",
    )
    parser.add_argument(
        "--benchmark", action="append", help="keep only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--models", default=DEFAULT_MODELS, help="one model per tier, cheapest first, in the data"
    )
    parser.add_argument(
        "--partner", default=DEFAULT_PARTNER,
        help="the partner's model in the data, for tiers with verify: (default gpt-4o-mini)")
    parser.add_argument(
        "--no-verify", action="store_true",
        help="calibrate as if no tier had verify: (prompt-only routing)")
    parser.add_argument(
        "--classifier", choices=("learned", "rules"), help="override the config's classifier"
    )
    parser.add_argument("--weights", help="weights file for the learned classifier")
    parser.add_argument(
        "--print", action="store_true", help="print the YAML instead of rewriting the config"
    )
    parser.set_defaults(func=run)
