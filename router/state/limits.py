"""Per-key rate limits and spend budgets, and budget-driven tier capping.

    limits = KeyLimits(config, counters, local, link)
    admission = await limits.admit(entry)          # 429 when over a limit or the budget
    await limits.reserve(admission, estimate_usd)  # before the upstream call
    limits.settle(admission, cost_usd, tokens)     # after it: what was billed

A key's budget use is (spend + reservations) / budget, the larger of day and month.
Above each `budget.caps` step the key's ceiling drops (`x-tianji-budget: capped:<tier>`);
at the budget requests get a 429 `budget_exceeded` with the reset time.

Admission and reservation each check and count in one atomic step (a Lua script on
Redis, or this event loop): a request is let in only while spend plus the estimates of
the requests in flight is under the budget, and its own estimate is added at once. When
every estimate covers its request's bill, spend stays under budget plus one estimate;
otherwise it can exceed by what the requests in flight bill beyond their estimates.

While Redis is unavailable each process counts locally from the spend it last saw in
Redis and pushes what it counted when Redis returns (see README, Scale).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import math
import time
from dataclasses import dataclass, field

from router.config import Config
from router.errors import GatewayError
from router.keys import KeyEntry
from router.state.counters import (
    NANO,
    OK,
    OVER_BUDGET,
    OVER_REQUESTS,
    OVER_TOKENS,
    TTL,
    Counts,
    Keys,
    Limits,
    LocalCounters,
    RedisCounters,
)
from router.state.link import RedisLink

log = logging.getLogger("tianji.state")
DAY_S = 86_400


@dataclass
class Admission:
    """One admitted request of a key with limits: its budget label and ceiling, and
    what it reserved (and where) until it is settled."""

    entry: KeyEntry
    keys: Keys
    label: str | None  # x-tianji-budget: ok | capped:<tier>; None without a budget
    cap: str | None  # the tier the budget caps this request at, if it does
    reserved: int = 0
    shared: bool = False  # reserved in Redis (else in this process)
    settled: bool = field(default=False)


def _reset(now: float, monthly: bool) -> dt.datetime:
    day = dt.datetime.fromtimestamp(now, dt.UTC).replace(hour=0, minute=0, second=0,
                                                         microsecond=0)
    if not monthly:
        return day + dt.timedelta(days=1)
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


class KeyLimits:
    """Rate limits, budgets and caps for `keys:` entries, on Redis when it is up."""

    def __init__(self, config: Config, link: RedisLink | None) -> None:
        self.config = config
        self.link = link
        self.local = LocalCounters()
        self.shared = RedisCounters(link) if link is not None else None
        resv = int(config.resilience.request_timeout_s * 2) + 60
        self.ttl = TTL(window=120, day=2 * DAY_S, month=32 * DAY_S, reserved=resv)
        self._tasks: set[asyncio.Task[None]] = set()
        if link is not None:
            link.on_up(self.push_owed)

    def _limits(self, entry: KeyEntry) -> Limits:
        return Limits(entry.requests_per_minute or 0, entry.tokens_per_minute or 0,
                      round((entry.daily_usd or 0) * NANO), round((entry.monthly_usd or 0) * NANO))

    def _keys(self, entry: KeyEntry, now: float) -> Keys:
        stamp = dt.datetime.fromtimestamp(now, dt.UTC)
        name = (self.link.key if self.link else lambda *p: ":".join(("tianji", *p)))
        return Keys(name("rate", entry.id, "req", str(int(now // 60))),
                    name("rate", entry.id, "tok", str(int(now // 60))),
                    name("spend", entry.id, "day", stamp.strftime("%Y%m%d")),
                    name("spend", entry.id, "month", stamp.strftime("%Y%m")),
                    name("spend", entry.id, "reserved"))

    def _up(self) -> bool:
        return self.link is not None and self.link.up

    async def admit(self, entry: KeyEntry) -> Admission:
        """Count the request, or raise the 429 (rate limit or budget)."""
        now = time.time()
        keys, limits = self._keys(entry, now), self._limits(entry)
        counts = await self.shared.admit(keys, limits, self.ttl) if self.shared and self._up(
        ) else None
        if counts is not None:
            self.local.seed(keys, counts, self.ttl)
        else:
            counts = await self.local.admit(keys, limits, self.ttl)
        if counts.verdict in (OVER_REQUESTS, OVER_TOKENS):
            what = "requests" if counts.verdict == OVER_REQUESTS else "tokens"
            limit = limits.requests if counts.verdict == OVER_REQUESTS else limits.tokens
            wait = max(1, math.ceil(60 - now % 60))
            raise GatewayError(
                429, f"Rate limit reached for key {entry.id!r}: {limit} {what} per minute. "
                f"Retry in {wait}s.", "rate_limit_error", f"{what}_per_minute_exceeded",
                headers={"retry-after": str(wait)})
        if counts.verdict == OVER_BUDGET:
            raise self._exhausted(entry, limits, counts, now)
        label, cap = self._cap(entry, limits, counts)
        return Admission(entry, keys, label, cap)

    def _exhausted(self, entry: KeyEntry, limits: Limits, counts: Counts, now: float
                   ) -> GatewayError:
        monthly = limits.month > 0 and counts.month + counts.reserved >= limits.month
        resets = _reset(now, monthly)
        wait = max(1, math.ceil(resets.timestamp() - now))
        spent = (counts.month if monthly else counts.day) / NANO
        budget = (limits.month if monthly else limits.day) / NANO
        when = resets.strftime("%Y-%m-%dT%H:%M:%SZ")
        return GatewayError(
            429, f"The {'monthly' if monthly else 'daily'} budget of key {entry.id!r} is "
            f"used up (${spent:.4f} spent and in flight of ${budget:g}); it resets at {when}.",
            "rate_limit_error", "budget_exceeded",
            headers={"retry-after": str(wait), "x-tianji-budget": "exhausted",
                     "x-tianji-budget-reset": when})

    def _cap(self, entry: KeyEntry, limits: Limits, counts: Counts
             ) -> tuple[str | None, str | None]:
        """The budget label and the capped tier for a key's current use of its budget."""
        if not (limits.day or limits.month):
            return None, None
        used = max((counts.day + counts.reserved) / limits.day if limits.day else 0.0,
                   (counts.month + counts.reserved) / limits.month if limits.month else 0.0)
        steps = [s for s in self.config.budget.caps if used > s.above]
        if not steps:
            return "ok", None
        step = max(steps, key=lambda s: s.above)
        tiers = self.config.tiers
        top = self.config.tier_index(entry.max_tier) if entry.max_tier else len(tiers) - 1
        assert top is not None
        index = 0 if step.tiers_down == "cheapest" else max(0, top - step.tiers_down)
        if index >= top:
            return "ok", None
        return f"capped:{tiers[index].name}", tiers[index].name

    async def reserve(self, admission: Admission, estimate_usd: float) -> None:
        """Reserve the request's estimated cost, or raise the 429 when the budget is at
        its end (spend plus what is in flight)."""
        limits = self._limits(admission.entry)
        if not (limits.day or limits.month):
            return
        estimate = max(1, round(estimate_usd * NANO))
        counts = None
        if self.shared and self._up():
            counts = await self.shared.reserve(admission.keys, limits, estimate, self.ttl)
        admission.shared = counts is not None
        if counts is None:
            counts = await self.local.reserve(admission.keys, limits, estimate, self.ttl)
        if counts.verdict != OK:
            raise self._exhausted(admission.entry, limits, counts, time.time())
        admission.reserved = estimate

    @property
    def settling(self) -> int:
        """Settlements still running in the background."""
        return len(self._tasks)

    def settle(self, admission: Admission, cost_usd: float | None, tokens: int) -> None:
        """Count what the request billed and release its reservation (in the background:
        the answer does not wait for it). Once per admission."""
        if admission.settled:
            return
        admission.settled = True
        cost = max(0, round((cost_usd or 0.0) * NANO))
        task = asyncio.get_running_loop().create_task(self._settle(admission, cost, tokens))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _settle(self, admission: Admission, cost: int, tokens: int) -> None:
        keys, ttl = admission.keys, self.ttl
        in_redis = admission.reserved if admission.shared else 0
        here = 0 if admission.shared else admission.reserved
        if self.shared and self._up():
            counts = await self.shared.settle(keys, cost, in_redis, tokens, ttl)
            if counts is not None:
                self.local.seed(keys, counts, ttl)
                if here:
                    await self.local.settle(keys, 0, here, 0, ttl)
                return
        await self.local.settle(keys, cost, here, tokens, ttl)
        if self.shared is not None:  # for Redis when it returns
            self.local.owe(keys.day, cost, ttl.day)
            self.local.owe(keys.month, cost, ttl.month)
            self.local.owe(keys.tokens, tokens, ttl.window)
            if in_redis:
                self.local.owe(keys.reserved, -in_redis, ttl.reserved)

    async def push_owed(self) -> None:
        """Add what was counted here while Redis was away (called when it returns)."""
        owed, self.local.owed = self.local.owed, {}
        if self.shared is None or not owed:
            return
        if await self.shared.add(owed):
            log.info(json.dumps({"event": "state_spend_pushed", "counters": len(owed)}))
        else:
            for key, (delta, ttl) in owed.items():
                self.local.owe(key, delta, ttl)
