"""From (config, request, assessment) to a Decision. Pure: no I/O, no clock, no globals.

    decision = decide(config, catalog, needs_of(body), assessment, Route(model="auto"))
    decision.tier          # "small"
    decision.candidates    # deployments to try in order, escalation tiers included
    decision.reason        # why, in words

Tier choice: the cheapest tier whose `max_difficulty` covers the difficulty
(the last tier covers everything); the cheapest tier only when the classifier is confident
the request is easy (`MIN_CHEAP_CONFIDENCE`), else the next one up, unless its
`max_difficulty` is 1.0 (every request starts there). Hard constraints then
raise it: the prompt plus the requested output must fit the deployment's context window, and tools,
images or JSON mode need deployments that support them. A client may pin a tier
by model name, or bound the choice with a floor and a ceiling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from router.classify.base import Assessment, ChatRequest, count_images, iter_text
from router.config import Config, Deployment
from router.costs import ModelInfo
from router.params import param_name, quoted, required

# Rough tokens per character for English and code; the provider's own
# context-length error corrects an underestimate (we then move to a larger window).
CHARS_PER_TOKEN = 4.0
TOKENS_PER_MESSAGE = 4
TOKENS_PER_IMAGE = 1600
# The cheapest tier takes a request only when the classifier's confidence that it is as easy
# as it scores reaches this; below it the request goes one tier up (a wrong "easy" costs a
# failed answer, a wrong "not sure" only the price gap).
MIN_CHEAP_CONFIDENCE = 0.5


class PolicyError(ValueError):
    """No tier can take this request; `code` and `param` follow OpenAI's error fields."""

    def __init__(self, message: str, code: str, param: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.param = param


@dataclass(frozen=True)
class Needs:
    """What a request requires of a deployment."""

    prompt_tokens: int
    output_tokens: int
    capabilities: frozenset[str]
    params: frozenset[str] = frozenset()
    """Request parameters a deployment must honour (router/params.py)."""

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens


def needs_of(request: ChatRequest) -> Needs:
    """Estimate prompt size and required capabilities of an OpenAI chat request."""
    chars = sum(len(text) for _, text in iter_text(request))
    images = count_images(request)
    messages = request.get("messages") or ()
    prompt = int(chars / CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * len(messages)
    prompt += TOKENS_PER_IMAGE * images
    output = request.get("max_completion_tokens") or request.get("max_tokens") or 0
    caps = set()
    if request.get("tools") or request.get("functions"):
        caps.add("tools")
    if images:
        caps.add("vision")
    response_format = request.get("response_format")
    if isinstance(response_format, Mapping) and response_format.get("type") in (
        "json_object",
        "json_schema",
    ):
        caps.add("json")
    return Needs(prompt, int(output), frozenset(caps), required(request))


@dataclass(frozen=True)
class Route:
    """What the client asked for: `model` (auto, a tier or an alias), optional floor/ceiling."""

    model: str = "auto"
    min_tier: str | None = None
    max_tier: str | None = None


@dataclass(frozen=True)
class Candidate:
    tier: str
    deployment: Deployment
    window: int | None


@dataclass(frozen=True)
class Decision:
    tier: str
    assessment: Assessment
    reason: str
    candidates: tuple[Candidate, ...]
    excluded: Mapping[str, str] = field(default_factory=dict)
    """Deployments left out, by name, and why (capability, window, missing credentials)."""

    @property
    def missing_env(self) -> tuple[str, ...]:
        """Variables that, if set, would have given this request a deployment to try."""
        names: set[str] = set()
        for why in self.excluded.values():
            if why.startswith("missing credentials: "):
                names.update(why.removeprefix("missing credentials: ").split(", "))
        return tuple(sorted(names))

    def explain(self) -> dict[str, Any]:
        """A JSON-ready account of the decision (for /v1/route and `router route`)."""
        a = self.assessment
        return {
            "tier": self.tier,
            "difficulty": a.difficulty,
            "task": a.task,
            "domain": a.domain,
            "confidence": a.confidence,
            "reason": self.reason,
            "signals": dict(a.signals),
            "candidates": [
                {"tier": c.tier, "deployment": c.deployment.name, "model": c.deployment.model}
                for c in self.candidates
            ],
            "excluded": dict(self.excluded),
        }


def _tier_by_label(config: Config, label: str, what: str) -> int:
    index = config.tier_index(label)
    if index is None:
        offered = ", ".join(config.model_names()[1:])
        raise PolicyError(f"{what} {label!r} is not a tier; tiers are: {offered}", "invalid_tier")
    return index


def _threshold_tier(config: Config, difficulty: float) -> int:
    for i, tier in enumerate(config.tiers):
        if tier.max_difficulty is None or difficulty <= tier.max_difficulty:
            return i
    return len(config.tiers) - 1


def unfit(needs: Needs, dep: Deployment, info: ModelInfo) -> str | None:
    """Why this deployment cannot take the request, or None."""
    lacking = sorted(needs.capabilities - info.supports)
    if lacking:
        assumed = " (assumed text-only: not in litellm's table, no `supports:`)" if (
            info.assumed_text_only) else ""
        return f"does not support {', '.join(lacking)}{assumed}"
    if info.params is not None and (unhonoured := sorted(needs.params - info.params)):
        return f"does not support parameter {', '.join(unhonoured)}"
    if info.max_context is not None and needs.total_tokens > info.max_context:
        return (
            f"context window {info.max_context} < {needs.total_tokens} tokens "
            f"(prompt ~{needs.prompt_tokens} + max output {needs.output_tokens})"
        )
    if dep.missing_env:
        return f"missing credentials: {', '.join(dep.missing_env)}"
    return None


def decide(
    config: Config,
    catalog: Mapping[str, ModelInfo],
    needs: Needs,
    assessment: Assessment,
    route: Route,
) -> Decision:
    """Pick the tier and the ordered deployments to try. Raises PolicyError when none can fit."""
    last = len(config.tiers) - 1
    floor = _tier_by_label(config, route.min_tier, "x-tianji-min-tier") if route.min_tier else 0
    ceiling = (
        _tier_by_label(config, route.max_tier, "x-tianji-max-tier") if route.max_tier else last
    )
    if floor > ceiling:
        raise PolicyError(
            f"x-tianji-min-tier {route.min_tier!r} is above x-tianji-max-tier {route.max_tier!r}",
            "invalid_tier",
        )
    if route.model == "auto":
        wanted = _threshold_tier(config, assessment.difficulty)
        reason = f"difficulty {assessment.difficulty:.3f} ({assessment.task}, {assessment.domain})"
        reason += f" -> {config.tiers[wanted].name}"
        # A cheapest tier with max_difficulty 1.0 takes everything (the verified cascade
        # escalates what it gets wrong): the operator asked for no raise.
        covers_all = config.tiers[0].max_difficulty == 1.0
        if (wanted == 0 and last > 0 and assessment.confidence < MIN_CHEAP_CONFIDENCE
                and not covers_all):
            wanted = 1
            reason += (
                f", raised to {config.tiers[1].name}: confidence {assessment.confidence:.2f}"
                f" < {MIN_CHEAP_CONFIDENCE} that it is easy"
            )
        start = min(max(wanted, floor), ceiling)
        if start != wanted:
            reason += f", bounded to {config.tiers[start].name} by min/max tier"
        stop = ceiling if config.resilience.escalate else start
    else:
        start = stop = _tier_by_label(config, route.model, "model")
        reason = f"pinned to {config.tiers[start].name} by model {route.model!r}"

    candidates: list[Candidate] = []
    excluded: dict[str, str] = {}
    first_fit: int | None = None
    fit_reasons: set[str] = set()
    for index in range(start, stop + 1):
        tier = config.tiers[index]
        for dep in tier.deployments:
            info = catalog[dep.name]
            why = unfit(needs, dep, info)
            if why is None:
                candidates.append(Candidate(tier.name, dep, info.max_context))
                first_fit = index if first_fit is None else first_fit
            else:
                excluded[dep.name] = why
                if not why.startswith("missing credentials"):
                    fit_reasons.add(why.split(" (")[0].split(" <")[0])
    if first_fit is not None and first_fit != start:
        why_not = "; ".join(sorted(fit_reasons)) or "missing credentials"
        reason += f"; raised to {config.tiers[first_fit].name} (lower tiers: {why_not})"
    chosen = config.tiers[first_fit if first_fit is not None else start].name
    if not candidates and fit_reasons and not any(
        w.startswith("missing credentials") for w in excluded.values()
    ):
        code = "context_length_exceeded" if any("context" in r for r in fit_reasons) else (
            "unsupported_capability"
        )
        param = "messages" if code == "context_length_exceeded" else None
        scope = config.tiers[stop].name
        head = f"no deployment up to tier {scope!r} can take this request"
        in_reach = [catalog[d.name] for t in config.tiers[start:stop + 1] for d in t.deployments]
        unhonoured = sorted(p for p in needs.params if all(
            info.params is not None and p not in info.params for info in in_reach
        ))
        if unhonoured and code != "context_length_exceeded":
            code, param = "unsupported_parameter", param_name(unhonoured[0])
            names = ", ".join(quoted(p) for p in unhonoured)
            head = f"no deployment up to tier {scope!r} supports the parameter {names}"
        raise PolicyError(
            head + ": " + "; ".join(f"{name}: {why}" for name, why in excluded.items()),
            code,
            param,
        )
    return Decision(chosen, assessment, reason, tuple(candidates), excluded)
