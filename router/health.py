"""Per-deployment health: consecutive failures and cooldown (a simple circuit breaker).

After `failures_before_cooldown` consecutive failures, or at once on an auth
error, a deployment is skipped for `cooldown_s`. When the cooldown ends it is
tried again (half-open): one success closes the circuit, one more failure opens
it for another `cooldown_s`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class DeploymentHealth:
    consecutive_failures: int = 0
    cooldown_until: float = 0.0
    last_error: str = ""
    successes: int = 0
    failures: int = 0


class Health:
    """In-process health table, keyed by deployment name."""

    def __init__(
        self,
        cooldown_s: float,
        failures_before_cooldown: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cooldown_s = cooldown_s
        self.failures_before_cooldown = failures_before_cooldown
        self._clock = clock
        self._table: dict[str, DeploymentHealth] = {}

    def _get(self, name: str) -> DeploymentHealth:
        entry = self._table.get(name)
        if entry is None:
            entry = self._table[name] = DeploymentHealth()
        return entry

    def cooling_for(self, name: str) -> float:
        """Seconds left in this deployment's cooldown; 0 when it may be called."""
        entry = self._table.get(name)
        if entry is None:
            return 0.0
        return max(0.0, entry.cooldown_until - self._clock())

    def record_success(self, name: str) -> None:
        entry = self._get(name)
        entry.successes += 1
        entry.consecutive_failures = 0
        entry.cooldown_until = 0.0

    def record_failure(self, name: str, error: str, *, cool_now: bool = False) -> bool:
        """Count a failed attempt; return True when this failure starts a cooldown."""
        entry = self._get(name)
        entry.failures += 1
        entry.consecutive_failures += 1
        entry.last_error = error
        half_open = entry.cooldown_until and entry.cooldown_until <= self._clock()
        if cool_now or half_open or entry.consecutive_failures >= self.failures_before_cooldown:
            entry.cooldown_until = self._clock() + self.cooldown_s
            return True
        return False

    def snapshot(self, names: list[str]) -> dict[str, dict[str, object]]:
        """A JSON-ready view for /v1/deployments and /readyz."""
        out: dict[str, dict[str, object]] = {}
        for name in names:
            entry = self._table.get(name, DeploymentHealth())
            cooling = self.cooling_for(name)
            out[name] = {
                "state": "cooldown" if cooling > 0 else "ok",
                "cooldown_remaining_s": round(cooling, 3),
                "consecutive_failures": entry.consecutive_failures,
                "successes": entry.successes,
                "failures": entry.failures,
                "last_error": entry.last_error,
            }
        return out
