"""uvicorn options for serving Tianji: slow or endless request heads are cut off, and
connections are accepted as they arrive.

uvicorn bounds the idle time between two requests on a kept-alive connection
(`timeout_keep_alive`), but nothing bounds a request whose headers arrive slowly or
never end: thousands of such connections are held forever. `GuardedHttpProtocol`
(uvicorn's httptools protocol) gives each request head `header_timeout_s` to arrive
and at most `MAX_HEAD_BYTES`; past either the client gets a 408 or 431 in OpenAI's
error shape and the connection is closed. The body has its own limit, enforced where
it is read (`server.body_timeout_s`, router/api/core.py), and the request deadline
starts after it.

The event loop is asyncio's own, not uvloop (which uvicorn picks when it is installed):
libuv, under uvloop, accepts one connection per pass of its loop (libuv/libuv#3696), so
while the loop is saturated new connections wait in the listening socket's queue for
seconds (at 128 connections on one worker: p99 5-15x p50, growing with the load's length,
the queue draining a few connections a second); asyncio accepts every waiting connection
(up to the backlog) whenever the socket is ready, so a connection waits like the requests
already in (p99 1.2x p50 in the same run; docs/performance.md "Tail").

Writes to a connection are sent once per pass of the event loop (`CoalescingTransport`):
uvicorn writes a response's status line and headers, then its body, each at once, so a JSON
answer took two `send()` calls, each waking the client; together they are one.

The head timeout is read from `$TIANJI_HEADER_TIMEOUT_S` when this module is imported
(`router serve` sets it from `server.header_timeout_s`, and worker processes inherit it).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from router.config import Config
from router.errors import GatewayError

HEADER_TIMEOUT_ENV = "TIANJI_HEADER_TIMEOUT_S"
MAX_HEAD_BYTES = 64 * 1024  # request line and headers; router/api/app.py allows 32 KB of headers


def _refusal(status: int, phrase: str, error: GatewayError) -> bytes:
    body = json.dumps(error.to_body()).encode()
    head = (f"HTTP/1.1 {status} {phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode() + body


class CoalescingTransport:
    """A connection's transport whose writes in one pass of the event loop go out as one, at
    the end of the pass (or before a `close`); everything else is the transport's."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(data)

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        if not self._transport.is_closing():  # (else the connection is lost: nothing to send)
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol with a deadline and a size cap on each request's head."""

    header_timeout_s: float = float(os.environ.get(HEADER_TIMEOUT_ENV) or 10.0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._in_head = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # Writes go through the coalescing wrapper; flow control pauses the transport itself.
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]
        self._start_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refuse(431, "Request Header Fields Too Large", GatewayError(
                    431, f"The request line and headers exceed {MAX_HEAD_BYTES // 1024} KB.",
                    code="headers_too_large"))
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._in_head:  # the next request on a kept-alive connection
            self._start_head()

    def on_headers_complete(self) -> None:
        self._stop_head()
        super().on_headers_complete()

    def _start_head(self) -> None:
        self._stop_head()
        self._in_head = True
        self._head_bytes = 0
        self._head_timer = self.loop.call_later(self.header_timeout_s, self._head_expired)

    def _stop_head(self) -> None:
        self._in_head = False
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        self._refuse(408, "Request Timeout", GatewayError(
            408, f"The request headers did not arrive within {self.header_timeout_s:g}s.",
            code="request_timeout"))

    def _unsupported_upgrade_warning(self) -> None:
        # uvicorn adds advice to install a WebSocket library: Tianji has no WebSocket route
        # (`ws="none"`), and the request is answered as plain HTTP.
        self.logger.warning("Unsupported upgrade request: answered as plain HTTP.")

    def _refuse(self, status: int, phrase: str, error: GatewayError) -> None:
        self._stop_head()
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:  # else a response is mid-way
            self.transport.write(_refusal(status, phrase, error))
        self.transport.close()


def uvicorn_options(config: Config) -> dict[str, Any]:
    """What `router serve` passes to uvicorn (tests start their servers with it too)."""
    GuardedHttpProtocol.header_timeout_s = config.server.header_timeout_s
    os.environ[HEADER_TIMEOUT_ENV] = str(config.server.header_timeout_s)
    # No WebSocket route: "none" spares importing a WebSocket protocol (~40 ms at start-up);
    # an upgrade request is answered as plain HTTP. The loop: see the module's docstring.
    return {"http": GuardedHttpProtocol, "ws": "none", "loop": "asyncio",
            "timeout_keep_alive": 5}
