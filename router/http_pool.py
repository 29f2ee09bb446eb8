"""One pooled aiohttp session per event loop, for the calls Tianji sends itself.

The chat path's lean transport (router/transport.py), its litellm-free direct path
(router/direct.py) and the native Messages and Responses calls (router/upstream_messages.py,
router/upstream_responses.py) each hold one `HTTPPool`: httpx's pool is slow under
concurrency, and aiohttp's keeps connections open across requests. No per-session timeout
is set: each caller passes its own with the request, or takes aiohttp's default.

This module does not import litellm (the direct path must not load it); a pool that needs
litellm's TLS set-up is given it as `tls` (router/transport.py `litellm_tls`).
"""

from __future__ import annotations

import asyncio
import ssl
import urllib.request
from collections.abc import Callable

import aiohttp

# What `aiohttp.TCPConnector(ssl=...)` takes: a context, or True / False (verify or not).
TLS = ssl.SSLContext | bool


class HTTPPool:
    """`session()`: the running loop's pooled session, opened on first use (and again after
    `aclose` or on another loop). `tls` builds the connector's TLS setting when a session is
    opened; without it aiohttp's default (verify with the system's certificates) holds."""

    def __init__(self, tls: Callable[[], TLS] | None = None) -> None:
        self._tls = tls
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._keeper: asyncio.Task[None] | None = None

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._loop is not loop or self._session.closed:
            if self._keeper is not None and self._keeper.get_loop() is loop:
                self._keeper.cancel()  # a closed session's keeper: nothing left to close
            connector = aiohttp.TCPConnector(
                limit=0, ttl_dns_cache=300, ssl=True if self._tls is None else self._tls()
            )
            # Honour HTTP(S)_PROXY like litellm's httpx clients do, but only when one is set:
            # with trust_env aiohttp re-reads the environment and ~/.netrc on every request.
            self._session = aiohttp.ClientSession(
                connector=connector, trust_env=bool(urllib.request.getproxies()),
                auto_decompress=True,
            )
            self._loop = loop
            # Closed when the loop shuts down (asyncio.run cancels pending tasks), so servers
            # started without a lifespan do not leak the pool.
            self._keeper = loop.create_task(_close_on_cancel(self._session))
        return self._session

    async def aclose(self) -> None:
        """Close the pool now (a server's shutdown); the next call opens a new one."""
        if self._keeper is not None and self._keeper.get_loop() is asyncio.get_running_loop():
            self._keeper.cancel()
        self._keeper = None
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


async def _close_on_cancel(session: aiohttp.ClientSession) -> None:
    try:
        await asyncio.Event().wait()
    finally:
        await session.close()
