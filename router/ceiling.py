"""A key's tier ceiling and its budget cap, applied to what a request asked for.

    route = bound_route(config, Route("auto"), entry, cap="small")

The key's `max_tier` is a permission: a request that pins a tier (or asks for a floor)
above it gets a 403. A budget cap is a step down: the request is served at the capped
tier, whatever it pinned, and says so (`x-tianji-budget: capped:<tier>`).
"""

from __future__ import annotations

import dataclasses

from router.config import Config
from router.errors import GatewayError
from router.keys import KeyEntry
from router.policy import Route


def _above(config: Config, label: str | None, top: int) -> bool:
    index = config.tier_index(label) if label and label != "auto" else None
    return index is not None and index > top


def _lower(config: Config, label: str | None, ceiling: str) -> str:
    """The lower of a requested ceiling and ours (an unknown label is kept for the 400)."""
    index = config.tier_index(label) if label else None
    if label is None or index is None:
        return label or ceiling
    top = config.tier_index(ceiling)
    assert top is not None
    return label if index <= top else ceiling


def bound_route(config: Config, route: Route, entry: KeyEntry | None, cap: str | None) -> Route:
    if entry is not None and entry.max_tier is not None:
        top = config.tier_index(entry.max_tier)
        assert top is not None  # checked when the config was loaded
        for label, what in ((route.model, "model"), (route.min_tier, "x-tianji-min-tier")):
            if _above(config, label, top):
                raise GatewayError(
                    403, f"Key {entry.id!r} may use tiers up to {entry.max_tier!r}; {what} "
                    f"{label!r} is above it.", "permission_error", "tier_not_allowed",
                    "model" if what == "model" else None)
        route = dataclasses.replace(route, max_tier=_lower(config, route.max_tier,
                                                           entry.max_tier))
    if cap is not None:
        top = config.tier_index(cap)
        assert top is not None
        route = Route(model=cap if _above(config, route.model, top) else route.model,
                      min_tier=None if _above(config, route.min_tier, top) else route.min_tier,
                      max_tier=_lower(config, route.max_tier, cap))
    return route
