"""The two homes of the rate and spend counters follow the same rules: the same sequence of
admissions, reservations and settlements gives the same answers in process and on Redis."""

from __future__ import annotations

import asyncio
import uuid

from router.config import StateConfig
from router.state.counters import (
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
from tests.state.conftest import RedisServer

TTL_ALL = TTL(window=120, day=3600, month=3600, reserved=3600)


async def _script(counters: LocalCounters | RedisCounters, keys: Keys) -> list[Counts | None]:
    rate = Limits(requests=3, tokens=0, day=0, month=0)
    tokens = Limits(requests=0, tokens=100, day=0, month=0)
    budget = Limits(requests=0, tokens=0, day=1000, month=5000)
    out: list[Counts | None] = [await counters.admit(keys, rate, TTL_ALL) for _ in range(4)]
    out.append(await counters.settle(keys, 0, 0, 150, TTL_ALL))  # 150 tokens this minute
    out.append(await counters.admit(keys, tokens, TTL_ALL))
    out.append(await counters.reserve(keys, budget, 600, TTL_ALL))
    out.append(await counters.reserve(keys, budget, 600, TTL_ALL))  # 600 in flight: under
    out.append(await counters.reserve(keys, budget, 600, TTL_ALL))  # 1200 >= 1000: refused
    out.append(await counters.settle(keys, 550, 600, 10, TTL_ALL))
    out.append(await counters.settle(keys, 0, 600, 0, TTL_ALL))  # a failed call: no bill
    out.append(await counters.admit(keys, budget, TTL_ALL))
    out.append(await counters.settle(keys, 500, 0, 0, TTL_ALL))  # 1050 spent
    out.append(await counters.admit(keys, budget, TTL_ALL))
    return out


def test_in_process_and_redis_counters_answer_alike(redis_server: RedisServer):
    tag = uuid.uuid4().hex[:8]
    keys = Keys(*(f"{tag}:{name}" for name in ("req", "tok", "day", "month", "resv")))

    async def both() -> tuple[list[Counts | None], list[Counts | None]]:
        link = RedisLink(StateConfig(redis_url=redis_server.url, timeout_s=2))
        return await _script(LocalCounters(), keys), await _script(RedisCounters(link), keys)

    local, shared = asyncio.run(both())
    assert shared == local
    assert [c.verdict for c in local if c is not None] == [
        OK, OK, OK, OVER_REQUESTS, OK, OVER_TOKENS, OK, OK, OVER_BUDGET, OK, OK, OK, OK,
        OVER_BUDGET]
    assert local[-2] == Counts(OK, 0, 160, 1050, 1050, 0)
