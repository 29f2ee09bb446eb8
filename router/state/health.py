"""Deployment health shared through Redis: `SharedHealth`, a `Health` whose failures,
successes and cooldowns are also kept in Redis for every process to see.

The request path stays as it is: `cooling_for`, `record_failure` and `record_success`
answer from this process's table at once. Each outcome that changes a deployment's
state is queued; a sync task sends the queue to Redis in one Lua call, which applies
the same circuit-breaker rules to the shared counts (Redis's clock, so hosts need not
agree on time) and returns every deployment's shared state, copied into the local
table. The task runs when a failure is queued and every `state.sync_interval_s`, so a
cooldown taken by one process is honoured by every other within `sync_interval_s` plus
a Redis round trip. When a cooldown ends, one process (the first to sync) gets the
half-open trial; the others keep skipping the deployment until that trial has closed
the circuit or re-opened it, or until its lease (`max(1 s, 5 x sync_interval_s)`) ends.
Locally a cooldown lasts `2 x sync_interval_s` past the shared one, for that sync.
Per-process counters (successes, failures, last error) stay local.
While Redis is down the local table goes on alone; the sync resumes when it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from router.health import Health
from router.state.link import RedisLink

# KEYS: one hash per deployment. ARGV: cooldown_ms, failures_before_cooldown, ttl_ms, this
# process's id, probe lease_ms, then one (index, kind, cool_now) triple per event; kind "f"
# failure, "s" success. Returns, per key: consecutive failures and cooldown end minus now
# in ms (0: closed; negative: ended, and this process holds the probe: its next call is the
# half-open trial; while another process holds it, the time left on its lease).
SYNC = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local cooldown, threshold, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local me, lease = ARGV[4], tonumber(ARGV[5])
for i = 6, #ARGV, 3 do
  local key = KEYS[tonumber(ARGV[i])]
  if ARGV[i + 1] == 's' then
    redis.call('HSET', key, 'fails', 0, 'until', 0)
  else
    local fails = redis.call('HINCRBY', key, 'fails', 1)
    local untl = tonumber(redis.call('HGET', key, 'until') or '0')
    local half_open = untl > 0 and untl <= now
    if ARGV[i + 2] == '1' or half_open or fails >= threshold then
      redis.call('HSET', key, 'until', now + cooldown)
    end
  end
  redis.call('PEXPIRE', key, ttl)
end
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'fails', 'until', 'probe', 'lease')
  local untl = tonumber(v[2] or '0')
  local left = 0
  if untl > 0 then
    left = untl - now
    if left <= 0 then
      local held = tonumber(v[4] or '0')
      if v[3] == me or held <= now then
        if v[3] ~= me or held <= now then
          redis.call('HSET', key, 'probe', me, 'lease', now + lease)
        end
      else
        left = held - now
      end
    end
  end
  out[i] = {tonumber(v[1] or '0'), left}
end
return out
"""
# A shared entry outlives its last event by this much (or by two cooldowns if longer).
MIN_TTL_MS = 10 * 60 * 1000


class SharedHealth(Health):
    """`Health` kept in step with every other process on the same Redis."""

    def __init__(
        self,
        link: RedisLink,
        names: list[str],
        cooldown_s: float,
        failures_before_cooldown: int,
        sync_interval_s: float,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(cooldown_s, failures_before_cooldown,
                         **({"clock": clock} if clock else {}))
        self.link = link
        self.sync_interval_s = sync_interval_s
        self._names = names
        self._index = {name: i + 1 for i, name in enumerate(names)}
        self._keys = [link.key("health", name) for name in names]
        self._script = link.script(SYNC)
        self._id = uuid.uuid4().hex
        # A process keeps skipping a deployment this much past the shared cooldown, so that
        # a sync (which grants the half-open probe to one process) comes first.
        self._grace_s = 2 * sync_interval_s
        self._lease_ms = max(1000, int(5000 * sync_interval_s))
        self._queue: list[tuple[str, str, bool]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.synced_at: float | None = None

    def start(self) -> None:
        """Start the sync task in the running loop (once)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    def record_success(self, name: str) -> None:
        entry = self._table.get(name)
        changed = entry is not None and (entry.consecutive_failures or entry.cooldown_until)
        super().record_success(name)
        if changed and name in self._index:
            self._queue.append((name, "s", False))

    def record_failure(self, name: str, error: str, *, cool_now: bool = False) -> bool:
        cooled = super().record_failure(name, error, cool_now=cool_now)
        if name in self._index:
            self._queue.append((name, "f", cool_now))
            self._wake.set()
        return cooled

    async def sync(self) -> bool:
        """Send the queued outcomes, read the shared state; False when Redis is unavailable
        (the outcomes are then dropped: the local table has them already)."""
        events, self._queue = self._queue, []
        args: list[Any] = [int(self.cooldown_s * 1000), self.failures_before_cooldown,
                           max(MIN_TTL_MS, int(self.cooldown_s * 2000)), self._id,
                           self._lease_ms]
        for name, kind, cool_now in events:
            args += [self._index[name], kind, "1" if cool_now else "0"]
        shared = await self.link.run(self._script, self._keys, args)
        if shared is None:
            return False
        now = self._clock()
        pending = {name for name, _, _ in self._queue}  # came in during the call: next sync
        for name, (fails, remaining_ms) in zip(self._names, shared, strict=True):
            if name in pending:
                continue
            entry = self._get(name)
            entry.consecutive_failures = int(fails)
            left = int(remaining_ms) / 1000
            entry.cooldown_until = 0.0 if not left else now + left + (
                self._grace_s if left > 0 else 0.0)
        self.synced_at = now
        return True

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.sync_interval_s):
                    await self._wake.wait()
            self._wake.clear()
            await self.sync()
