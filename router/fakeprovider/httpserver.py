"""A minimal HTTP/1.1 server on asyncio + httptools that plays scripted exchanges.

A handler turns each request into an `Exchange`: a list of steps (write bytes,
sleep, reset, close). Exchanges without sleeps are written synchronously from
`data_received`, so the common path costs no task; the rest run as a task that
is cancelled when the client goes away. Keep-alive and pipelined requests are
served in order.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import cast

import httptools


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Write:
    data: bytes


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Reset:
    """Abort the connection with a TCP RST."""


@dataclass(frozen=True)
class Close:
    """Close the connection after what was written is flushed."""


Step = Write | Sleep | Reset | Close


@dataclass
class Exchange:
    steps: list[Step]
    on_end: Callable[[bool], None] | None = None  # called once; True if the client left first
    asynchronous: bool = field(init=False)

    def __post_init__(self) -> None:
        merged: list[Step] = []
        for step in self.steps:  # one write (and syscall) per run of writes
            if isinstance(step, Write) and merged and isinstance(merged[-1], Write):
                merged[-1] = Write(merged[-1].data + step.data)
            else:
                merged.append(step)
        self.steps = merged
        self.asynchronous = any(isinstance(s, Sleep) for s in merged)


Handler = Callable[[Request], Exchange]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # e.g. Anthropic's 529
        return "Overloaded" if status == 529 else "Unknown"


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_phrase(status)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def full_response(status: int, body: bytes, content_type: str,
                  extra: dict[str, str] | None = None) -> bytes:
    headers = {"content-type": content_type, "content-length": str(len(body)), **(extra or {})}
    return head(status, headers) + body


def chunk(data: bytes) -> bytes:
    """One piece of a `transfer-encoding: chunked` body."""
    return b"%x\r\n%s\r\n" % (len(data), data)


LAST_CHUNK = b"0\r\n\r\n"


class HttpProtocol(asyncio.Protocol):
    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._pending: deque[tuple[Request, bool]] = deque()
        self._current: Exchange | None = None
        self._task: asyncio.Task[None] | None = None
        self._url = b""
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            if self._transport is not None:
                self._transport.write(full_response(400, b"bad request", "text/plain"))
                self._transport.close()
                self._transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        self._pending.clear()
        if self._task is not None:
            self._task.cancel()
        self._end(client_left=True)

    # httptools callbacks

    def on_message_begin(self) -> None:
        self._url, self._headers, self._body = b"", {}, []

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        request = Request(
            method=self._parser.get_method().decode(),
            path=self._url.decode("latin-1").split("?", 1)[0],
            headers=self._headers,
            body=b"".join(self._body),
        )
        self._pending.append((request, self._parser.should_keep_alive()))
        if self._current is None:
            self._serve_pending()

    # serving

    def _serve_pending(self) -> None:
        while self._pending and self._current is None and self._transport is not None:
            request, keep_alive = self._pending.popleft()
            try:
                exchange = self._handler(request)
            except Exception as exc:  # a bug in the fake: say so rather than hang up
                body = f"fakeprovider error: {exc!r}".encode()
                exchange = Exchange([Write(full_response(500, body, "text/plain"))])
            self._current = exchange
            if exchange.asynchronous:
                self._task = asyncio.get_running_loop().create_task(
                    self._play_async(exchange, keep_alive))
                return
            for step in exchange.steps:
                self._do(step)
            self._finish(keep_alive)

    async def _play_async(self, exchange: Exchange, keep_alive: bool) -> None:
        for step in exchange.steps:
            if isinstance(step, Sleep):
                await asyncio.sleep(step.seconds)
            else:
                self._do(step)
        self._task = None
        self._finish(keep_alive)
        self._serve_pending()

    def _do(self, step: Step) -> None:
        transport = self._transport
        if transport is None:
            return
        if isinstance(step, Write):
            transport.write(step.data)
            return
        self._end(client_left=False)
        if isinstance(step, Reset):
            sock = transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        else:
            transport.close()
        self._transport = None

    def _finish(self, keep_alive: bool) -> None:
        self._end(client_left=False)
        if not keep_alive and self._transport is not None:
            self._transport.close()
            self._transport = None

    def _end(self, *, client_left: bool) -> None:
        exchange, self._current = self._current, None
        if exchange is not None and exchange.on_end is not None:
            exchange.on_end(client_left)


async def serve(handler: Handler, host: str, port: int) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    return await loop.create_server(lambda: HttpProtocol(handler), host, port, backlog=2048)
