"""The counters behind rate limits and spend, in one small interface with two homes:
`RedisCounters` (Lua scripts, atomic across every process on the Redis) and
`LocalCounters` (this process; the same rules in Python, atomic on one event loop).

Amounts are integers: requests, tokens, and spend in nano-USD (`NANO` per dollar).
Keys, per caller: requests and tokens in the current minute, spend in the current UTC
day and month, and the estimate reserved by requests in flight. Every key has a TTL.

- `admit`: refuse when the minute's requests or tokens are at their limit, or when spend
  plus reservations is at a budget; otherwise count the request. Returns the verdict
  and the counts (so the caller can compute how close the budget is).
- `reserve`: add a request's estimated cost to the reservations, unless spend plus
  reservations is already at a budget (checked and added in one step).
- `settle`: add what was billed to day and month, release the reservation, add the tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from router.state.link import RedisLink

NANO = 1_000_000_000
OK, OVER_REQUESTS, OVER_TOKENS, OVER_BUDGET = 0, 1, 2, 3
SWEEP_EVERY = 1000  # LocalCounters drops expired counters once per this many writes


@dataclass(frozen=True)
class Keys:
    """One caller's counter names for the current minute, day and month."""

    requests: str
    tokens: str
    day: str
    month: str
    reserved: str


@dataclass(frozen=True)
class Limits:
    """A caller's limits; 0 means none. Budgets in nano-USD."""

    requests: int
    tokens: int
    day: int
    month: int


@dataclass(frozen=True)
class Counts:
    verdict: int
    requests: int
    tokens: int
    day: int
    month: int
    reserved: int


@dataclass(frozen=True)
class TTL:
    """Seconds each kind of counter lives after its last change."""

    window: int
    day: int
    month: int
    reserved: int


class Counters(Protocol):
    async def admit(self, keys: Keys, limits: Limits, ttl: TTL) -> Counts | None: ...

    async def reserve(self, keys: Keys, limits: Limits, estimate: int, ttl: TTL
                      ) -> Counts | None: ...

    async def settle(self, keys: Keys, cost: int, estimate: int, tokens: int, ttl: TTL
                     ) -> Counts | None: ...


def over_budget(limits: Limits, day: int, month: int, reserved: int) -> bool:
    return (limits.day > 0 and day + reserved >= limits.day) or (
        limits.month > 0 and month + reserved >= limits.month)


_READ = """
local function num(key) return tonumber(redis.call('GET', key) or '0') end
local function add(key, by, ttl)
  local v = by == 0 and tonumber(redis.call('GET', key) or '0') or redis.call('INCRBY', key, by)
  if v < 0 then redis.call('SET', key, 0) v = 0 end
  redis.call('EXPIRE', key, ttl)
  return v
end
local function over(day, month, resv)
  local dl, ml = tonumber(ARGV[3]), tonumber(ARGV[4])
  return (dl > 0 and day + resv >= dl) or (ml > 0 and month + resv >= ml)
end
"""
# KEYS: requests, tokens, day, month, reserved. ARGV: rpm, tpm, day, month (limits), window ttl
ADMIT = _READ + """
local n, toks = num(KEYS[1]), num(KEYS[2])
local day, month, resv = num(KEYS[3]), num(KEYS[4]), num(KEYS[5])
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local verdict = 0
if rpm > 0 and n >= rpm then verdict = 1
elseif tpm > 0 and toks >= tpm then verdict = 2
elseif over(day, month, resv) then verdict = 3
else n = add(KEYS[1], 1, tonumber(ARGV[5])) end
return {verdict, n, toks, day, month, resv}
"""
# KEYS: as ADMIT. ARGV: rpm, tpm, day, month (limits), estimate, reserved ttl
RESERVE = _READ + """
local day, month, resv = num(KEYS[3]), num(KEYS[4]), num(KEYS[5])
if over(day, month, resv) then return {3, 0, 0, day, month, resv} end
resv = add(KEYS[5], tonumber(ARGV[5]), tonumber(ARGV[6]))
return {0, 0, 0, day, month, resv}
"""
# KEYS: as ADMIT. ARGV: cost, estimate, tokens, window ttl, day ttl, month ttl, reserved ttl
SETTLE = _READ + """
local day = add(KEYS[3], tonumber(ARGV[1]), tonumber(ARGV[5]))
local month = add(KEYS[4], tonumber(ARGV[1]), tonumber(ARGV[6]))
local resv = add(KEYS[5], -tonumber(ARGV[2]), tonumber(ARGV[7]))
local toks = add(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
return {0, 0, toks, day, month, resv}
"""
# KEYS: any counters. ARGV: (delta, ttl) per key. What was counted while Redis was away.
ADD = _READ + """
for i, key in ipairs(KEYS) do add(key, tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])) end
return #KEYS
"""


def _counts(raw: list[int]) -> Counts:
    return Counts(*(int(v) for v in raw))


def _keys(keys: Keys) -> list[str]:
    return [keys.requests, keys.tokens, keys.day, keys.month, keys.reserved]


class RedisCounters:
    """The counters in Redis; None from any method means Redis did not answer."""

    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self._admit = link.script(ADMIT)
        self._reserve = link.script(RESERVE)
        self._settle = link.script(SETTLE)
        self._add = link.script(ADD)

    async def admit(self, keys: Keys, limits: Limits, ttl: TTL) -> Counts | None:
        raw = await self.link.run(self._admit, _keys(keys), [
            limits.requests, limits.tokens, limits.day, limits.month, ttl.window])
        return None if raw is None else _counts(raw)

    async def reserve(self, keys: Keys, limits: Limits, estimate: int, ttl: TTL
                      ) -> Counts | None:
        raw = await self.link.run(self._reserve, _keys(keys), [
            limits.requests, limits.tokens, limits.day, limits.month, estimate, ttl.reserved])
        return None if raw is None else _counts(raw)

    async def settle(self, keys: Keys, cost: int, estimate: int, tokens: int, ttl: TTL
                     ) -> Counts | None:
        raw = await self.link.run(self._settle, _keys(keys), [
            cost, estimate, tokens, ttl.window, ttl.day, ttl.month, ttl.reserved])
        return None if raw is None else _counts(raw)

    async def add(self, deltas: dict[str, tuple[int, int]]) -> bool:
        """Add each (delta, ttl) to its counter; False when Redis did not answer."""
        if not deltas:
            return True
        args = [v for pair in deltas.values() for v in pair]
        return await self.link.run(self._add, list(deltas), args) is not None


class LocalCounters:
    """The same counters in this process. Spend values seen in Redis are copied in
    (`seed`), so that a fallback starts from the shared spend; spend and releases counted
    here while Redis is away are kept in `owed` for Redis when it returns."""

    def __init__(self) -> None:
        self._values: dict[str, int] = {}
        self._expires: dict[str, float] = {}
        self.owed: dict[str, tuple[int, int]] = {}
        self._writes = 0

    def _get(self, key: str) -> int:
        if self._expires.get(key, float("inf")) <= time.monotonic():
            self._values.pop(key, None)
            self._expires.pop(key, None)
        return self._values.get(key, 0)

    def _add(self, key: str, by: int, ttl: int) -> int:
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:  # past minutes' windows are never read again
            now = time.monotonic()
            for stale in [k for k, t in self._expires.items() if t <= now]:
                self._values.pop(stale, None)
                self._expires.pop(stale, None)
        value = max(0, self._get(key) + by)
        self._values[key] = value
        self._expires[key] = time.monotonic() + ttl
        return value

    def seed(self, keys: Keys, counts: Counts, ttl: TTL) -> None:
        """Remember the shared spend, the starting point should Redis go away."""
        for key, value, life in ((keys.day, counts.day, ttl.day),
                                 (keys.month, counts.month, ttl.month)):
            self._values[key] = value
            self._expires[key] = time.monotonic() + life

    def owe(self, key: str, delta: int, ttl: int) -> None:
        before, _ = self.owed.get(key, (0, ttl))
        self.owed[key] = (before + delta, ttl)

    def _read(self, keys: Keys) -> tuple[int, int, int, int, int]:
        return (self._get(keys.requests), self._get(keys.tokens), self._get(keys.day),
                self._get(keys.month), self._get(keys.reserved))

    async def admit(self, keys: Keys, limits: Limits, ttl: TTL) -> Counts:
        n, toks, day, month, resv = self._read(keys)
        if limits.requests and n >= limits.requests:
            return Counts(OVER_REQUESTS, n, toks, day, month, resv)
        if limits.tokens and toks >= limits.tokens:
            return Counts(OVER_TOKENS, n, toks, day, month, resv)
        if over_budget(limits, day, month, resv):
            return Counts(OVER_BUDGET, n, toks, day, month, resv)
        n = self._add(keys.requests, 1, ttl.window)
        return Counts(OK, n, toks, day, month, resv)

    async def reserve(self, keys: Keys, limits: Limits, estimate: int, ttl: TTL) -> Counts:
        _, _, day, month, resv = self._read(keys)
        if over_budget(limits, day, month, resv):
            return Counts(OVER_BUDGET, 0, 0, day, month, resv)
        resv = self._add(keys.reserved, estimate, ttl.reserved)
        return Counts(OK, 0, 0, day, month, resv)

    async def settle(self, keys: Keys, cost: int, estimate: int, tokens: int, ttl: TTL
                     ) -> Counts:
        day = self._add(keys.day, cost, ttl.day)
        month = self._add(keys.month, cost, ttl.month)
        resv = self._add(keys.reserved, -estimate, ttl.reserved)
        toks = self._add(keys.tokens, tokens, ttl.window)
        return Counts(OK, 0, toks, day, month, resv)
