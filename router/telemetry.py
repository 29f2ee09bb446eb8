"""Prometheus metrics: requests by tier and outcome, spend, and what routing saved.

`saved` is measured against sending the same tokens to the reference
deployment (the top tier's first), which is what an app without Tianji pays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

if TYPE_CHECKING:
    from router.upstream import Served


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "tianji_requests",
            "Answered requests by tier, deployment and status.",
            ["tier", "deployment", "status"],
            registry=self.registry,
        )
        self.fallbacks = Counter(
            "tianji_fallback_requests",
            "Requests answered after at least one failed or skipped deployment.",
            ["tier"],
            registry=self.registry,
        )
        self.cost = Counter(
            "tianji_cost_usd", "Spend at provider prices.", ["tier"], registry=self.registry
        )
        self.baseline = Counter(
            "tianji_baseline_cost_usd",
            "What the same tokens would have cost on the reference (top-tier) deployment.",
            registry=self.registry,
        )
        self.verified = Counter(
            "tianji_verified_requests",
            "Requests through the verified cascade by outcome (agree, escalated, "
            "skipped:<reason>) and the tier that answered.",
            ["outcome", "tier"],
            registry=self.registry,
        )
        self.verification_cost = Counter(
            "tianji_verification_cost_usd",
            "Spend on the verified cascade's calls whose answer was not returned (partners, "
            "tiers escalated from); included in tianji_cost_usd.",
            registry=self.registry,
        )
        self.latency = Histogram(
            "tianji_request_seconds",
            "Time from request to full answer.",
            ["tier"],
            registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self._children: dict[tuple[Counter | Histogram, tuple[str, ...]], Any] = {}

    def _labelled(self, metric: Counter | Histogram, *values: str) -> Any:
        """`metric.labels(*values)`, looked up once per label values: the child is the same
        object every time, and `labels` checks the values and takes a lock at each call (the
        values come from the config: tiers, deployments, statuses, cascade outcomes)."""
        key = (metric, values)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*values)
        return child

    def observe(self, served: Served, cost: float, baseline: float, seconds: float,
                status: int = 200) -> None:
        """A request a deployment answered; `status` is how it ended (a stream that broke
        after its first byte: 502, or 499 when the client hung up)."""
        tier = served.candidate.tier
        self._labelled(self.requests, tier, served.candidate.deployment.name, str(status)).inc()
        # A verified cascade's partner or escalated-from call (`compared`) is no fallback.
        if any(a.action not in ("served", "compared") for a in served.attempts):
            self._labelled(self.fallbacks, tier).inc()
        self._labelled(self.cost, tier).inc(cost)
        self.baseline.inc(baseline)
        self._labelled(self.latency, tier).observe(seconds)

    def observe_verification(self, outcome: str, tier: str, other_cost: float) -> None:
        self._labelled(self.verified, outcome, tier).inc()
        self.verification_cost.inc(other_cost)

    def observe_error(self, tier: str, status: int) -> None:
        self._labelled(self.requests, tier, "", str(status)).inc()

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
