"""`RedisLink`: the one connection to a shared Redis, and what happens when it is lost.

    link = RedisLink(config.state)
    result = await link.run(script, keys=[...], args=[...])   # None: Redis unavailable

Every command has `state.timeout_s` (no retries inside the client). The first failure
marks the link down and logs `state_redis_down` once; from then on `run` answers None at
once (callers use their in-process state) while a probe pings Redis every
`state.retry_s`. When it answers, the link is up again, `state_redis_up` is logged once,
and the callbacks registered with `on_up` run (to push what was counted locally).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from router.config import StateConfig

if TYPE_CHECKING:  # the client is imported by a link's constructor: only Redis state needs it
    from redis.asyncio import Redis
    from redis.commands.core import AsyncScript

log = logging.getLogger("tianji.state")

MAX_CONNECTIONS = 32  # per process; a command is a Lua call of well under a millisecond


class RedisLink:
    """A Redis client with short timeouts, an up/down flag and a probe while down."""

    def __init__(self, settings: StateConfig) -> None:
        assert settings.redis_url
        from redis.exceptions import RedisError

        # What a failed Redis command can raise: the client's errors, a socket's, our timeout.
        self.failures: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)
        self.prefix = settings.prefix
        self.timeout_s = settings.timeout_s
        self.retry_s = settings.retry_s
        self.up = True
        self.since_error: str | None = None
        self._url = settings.redis_url
        self._client: Redis | None = None
        self._probe: asyncio.Task[None] | None = None
        self._on_up: list[Callable[[], Awaitable[None]]] = []

    @property
    def client(self) -> Redis:
        """The client, made on first use (inside the serving event loop)."""
        if self._client is None:
            from redis.asyncio import BlockingConnectionPool, Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            # A bounded pool that makes a command wait (within its timeout) for a free
            # connection, rather than fail, when many requests need Redis at once.
            pool = BlockingConnectionPool.from_url(
                self._url, max_connections=MAX_CONNECTIONS, timeout=self.timeout_s,
                socket_timeout=self.timeout_s, socket_connect_timeout=self.timeout_s,
                retry=Retry(NoBackoff(), 0))
            self._client = Redis(connection_pool=pool)
        return self._client

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def script(self, source: str) -> AsyncScript:
        from redis.commands.core import AsyncScript

        return AsyncScript(self.client, source)

    def on_up(self, callback: Callable[[], Awaitable[None]]) -> None:
        self._on_up.append(callback)

    async def run(self, script: AsyncScript, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """The script's result, or None when Redis is down or does not answer in time."""
        if not self.up:
            return None
        try:
            async with asyncio.timeout(self.timeout_s):
                return await script(keys=list(keys), args=list(args))
        except self.failures as err:
            self.lost(err)
            return None

    async def call(self, command: str, *args: Any) -> Any:
        """A plain command's result, or None when Redis is unavailable."""
        if not self.up:
            return None
        try:
            async with asyncio.timeout(self.timeout_s):
                return await self.client.execute_command(command, *args)
        except self.failures as err:
            self.lost(err)
            return None

    def lost(self, err: BaseException) -> None:
        """Mark the link down (logged once per transition) and start probing."""
        if not self.up:
            return
        self.up = False
        self.since_error = type(err).__name__
        log.warning(json.dumps({"event": "state_redis_down", "error": type(err).__name__,
                                "fallback": "in-process state"}))
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while True:
            await asyncio.sleep(self.retry_s)
            try:
                async with asyncio.timeout(self.timeout_s):
                    # Connections made before the loss may point at a dead server: drop
                    # them all, so that commands after `up` use fresh ones.
                    await self.client.connection_pool.disconnect()
                    await self.client.ping()
            except self.failures:
                continue
            break
        self.up = True
        self.since_error = None
        log.warning(json.dumps({"event": "state_redis_up", "shared": True}))
        for callback in self._on_up:
            with contextlib.suppress(*self.failures):
                await callback()
