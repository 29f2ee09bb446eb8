"""`FakeProvider`: the fake served from a background thread, for in-process tests."""

from __future__ import annotations

import asyncio
import functools
import socket
import threading
from collections.abc import Sequence
from types import TracebackType

import uvloop

from .faults import TRANSIENT_FAULTS, Fault
from .httpserver import serve
from .service import Behaviour, Service

HOST = "127.0.0.1"
_DEFAULT_BEHAVIOUR = Behaviour()  # frozen, so one shared default is safe
_held_sockets: list[socket.socket] = []  # keeps closed_port_url()'s port bound


def openai_base(url: str, dep_id: str) -> str:
    """The `api_base` for `openai/<model>`: litellm posts to `{api_base}/chat/completions`."""
    return f"{url}/d/{dep_id}/v1"


def anthropic_base(url: str, dep_id: str) -> str:
    """The `api_base` for `anthropic/<model>`: litellm appends `/v1/messages`."""
    return f"{url}/d/{dep_id}"


@functools.cache
def closed_port_url() -> str:
    """A loopback URL that refuses connections.

    The port stays bound (never listening) for the life of the process, so no other
    server can take it and every connect gets ECONNREFUSED.
    """
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind((HOST, 0))
    _held_sockets.append(holder)
    return f"http://{HOST}:{holder.getsockname()[1]}"


class FakeProvider(Service):
    """A fake OpenAI + Anthropic provider on 127.0.0.1, one path prefix per deployment.

        with FakeProvider() as fake:
            fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=503, times=1))
            await litellm.acompletion(model="openai/x", api_base=fake.openai_base("a"), ...)
            assert fake.calls("a")[0].status == 503
    """

    def __init__(self, *, port: int = 0, failure_rate: float = 0.0, seed: int = 0,
                 behaviour: Behaviour = _DEFAULT_BEHAVIOUR,
                 random_faults: Sequence[Fault] = TRANSIENT_FAULTS) -> None:
        super().__init__(failure_rate=failure_rate, seed=seed, behaviour=behaviour,
                         random_faults=random_faults)
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._port}"

    def openai_base(self, dep_id: str) -> str:
        return openai_base(self.url, dep_id)

    def anthropic_base(self, dep_id: str) -> str:
        return anthropic_base(self.url, dep_id)

    def start(self) -> FakeProvider:
        loop = uvloop.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="fakeprovider", daemon=True)
        self._thread.start()
        self._loop = loop
        self._server = asyncio.run_coroutine_threadsafe(
            serve(self.handle, HOST, self._port), loop).result(timeout=10)
        self._port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        loop, server, thread = self._loop, self._server, self._thread
        if loop is None or server is None or thread is None:
            return

        async def shutdown() -> None:
            server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._server = self._thread = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
