"""Where the gateway's changing state lives: deployment health and cooldowns,
conversation affinity, per-key rate windows and spend.

    state = open_state(config)      # in process, or shared when state.redis_url is set
    state.health, state.affinity, state.limits

Without `state.redis_url` everything stays in this process (router/health.py,
router/affinity_store.py, router/state/counters.py's LocalCounters). With it, every
process pointed at the same Redis and `state.prefix` shares them (health.py,
affinity.py, counters.py here), and falls back to its own copy while Redis is
unavailable (link.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from router.affinity_store import AffinityStore, InProcessAffinity
from router.config import Config
from router.health import Health
from router.state.affinity import RedisAffinity
from router.state.health import SharedHealth
from router.state.limits import KeyLimits
from router.state.link import RedisLink


@dataclass
class State:
    health: Health
    affinity: AffinityStore
    limits: KeyLimits
    link: RedisLink | None

    def start(self) -> None:
        """Start the background sync (called from inside the serving loop; idempotent)."""
        if isinstance(self.health, SharedHealth):
            self.health.start()

    def report(self) -> dict[str, Any]:
        """For /readyz: where state lives and whether it is shared right now."""
        if self.link is None:
            return {"backend": "process", "shared": False}
        if self.link.up:
            return {"backend": "redis", "shared": True}
        return {"backend": "redis", "shared": False, "degraded": True,
                "error": self.link.since_error,
                "detail": "Redis unavailable: serving on this process's state"}


def open_state(config: Config) -> State:
    resilience = config.resilience
    if not config.state.redis_url:
        return State(Health(resilience.cooldown_s, resilience.failures_before_cooldown),
                     InProcessAffinity(config.affinity.max_conversations),
                     KeyLimits(config, None), None)
    link = RedisLink(config.state)
    names = [d.name for t in config.tiers for d in t.deployments]
    health = SharedHealth(link, names, resilience.cooldown_s,
                          resilience.failures_before_cooldown, config.state.sync_interval_s)
    affinity = RedisAffinity(link, config.affinity.max_conversations,
                             config.affinity.cache_ttl_s)
    return State(health, affinity, KeyLimits(config, link), link)
