"""What a demo run did, in words: answers, tier mix, fallbacks, cost and saving."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from router.demo.events import Outcome
from router.demo.traffic import KIND_LABELS, Result


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _usd(value: float) -> str:
    return f"${value:.4f}"


def _counts(items: Iterable[str]) -> str:
    return ", ".join(f"{name} x{count}" for name, count in Counter(items).most_common())


def outcome_line(outcome: Outcome) -> str:
    """One request, as the interactive demo prints it."""
    if outcome.deployment is None:
        failed = "; ".join(str(f) for f in outcome.failed) or "no deployment tried"
        return f"  {outcome.status} {outcome.tier:<6} failed ({failed})"
    route = f"{outcome.tier:<6} {outcome.deployment}"
    if outcome.failed:
        route += f" after {', '.join(str(f) for f in outcome.failed)} (fallback)"
    saved = _share(outcome.saved_usd, outcome.baseline_usd)
    return (f"  {outcome.status} {route}; attempts {outcome.attempts}; "
            f"cost ${outcome.cost_usd:.6f}, on the top tier ${outcome.baseline_usd:.6f} "
            f"(saved {saved})")


def money_lines(outcomes: Iterable[Outcome], top_tier: str) -> list[str]:
    """Cost, what the top tier would have cost, and the saving."""
    done = [o for o in outcomes if o.deployment is not None]
    cost = sum(o.cost_usd for o in done)
    baseline = sum(o.baseline_usd for o in done)
    return [
        f"cost:      ${cost:.4f} at the deployments' prices",
        f"top tier:  ${baseline:.4f} if every answer had come from {top_tier}",
        f"saving:    ${baseline - cost:.4f} ({_share(baseline - cost, baseline)})",
    ]


def summary(results: list[Result], outcomes: Mapping[str, Outcome],
            injected: Mapping[str, list[str]], seconds: float, tier_names: list[str],
            top_tier: str) -> str:
    n = len(results)
    verdicts = Counter(r.verdict for r in results)
    lines = [
        f"sent {n} requests in {seconds:.1f} s",
        f"answers:   {verdicts['answered']} answered, {verdicts['error']} correct errors, "
        f"{verdicts['lost']} lost",
    ]
    tiers = Counter(r.tier for r in results if r.verdict == "answered")
    lines.append("tier mix:  " + ", ".join(
        f"{tier} {tiers[tier]} ({_share(tiers[tier], n)})" for tier in tier_names))
    lines.append(f"{'by kind':<41} sent streamed     cost  top tier saved  answered by")
    for kind, label in KIND_LABELS.items():
        of_kind = [r for r in results if r.planned.kind == kind]
        if not of_kind:
            continue
        streamed = sum(r.planned.stream for r in of_kind)
        mine = [outcomes[r.request_id] for r in of_kind if r.request_id in outcomes]
        cost = sum(o.cost_usd for o in mine if o.deployment)
        baseline = sum(o.baseline_usd for o in mine if o.deployment)
        served = _counts(f"{r.tier}/{r.deployment}" if r.verdict == "answered" else r.verdict
                         for r in of_kind)
        lines.append(f"  {label:<39} {len(of_kind):>4} {streamed:>8} {_usd(cost):>8} "
                     f"{_usd(baseline):>9} {_share(baseline - cost, baseline):>5}  {served}")
    retried = [r for r in results if r.attempts > 1]
    lines.append(f"fallbacks: {len(retried)} requests took more than one attempt "
                 "(x-tianji-attempts > 1)")
    paths: Counter[str] = Counter()
    whys: dict[str, list[str]] = {}
    for r in retried:
        outcome = outcomes.get(r.request_id)
        failed = outcome.failed if outcome else ()
        tried = " then ".join(f.deployment for f in failed) or "?"
        path = f"{tried} failed -> {r.deployment} answered"
        paths[path] += 1
        whys.setdefault(path, []).extend(f.why for f in failed)
    lines += [f"  {path}: {count} ({_counts(whys[path])})" for path, count in paths.most_common()]
    faults = sum(len(v) for v in injected.values())
    lines.append(f"  the simulated clouds injected {faults} failures: " + (
        "; ".join(f"{dep} {_counts(kinds)}" for dep, kinds in sorted(injected.items()))
        or "none"))
    lines += money_lines((outcomes[r.request_id] for r in results if r.request_id in outcomes),
                         top_tier)
    unlogged = n - sum(r.request_id in outcomes for r in results)
    if unlogged:
        lines.append(f"  (the gateway logged no record for {unlogged} requests: not counted)")
    problems = [r for r in results if r.verdict == "lost"]
    lines += [f"  lost: {r.request_id} ({r.planned.kind}): {r.detail}" for r in problems[:10]]
    return "\n".join(lines)
