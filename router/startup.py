"""What a serving process does once its app is built: litellm loaded in the background, and
the start-up heap frozen out of the garbage collector's way.

`import litellm` takes most of a second or more and most of the memory; nothing
but a provider call needs it, so the server starts without it (`/healthz`,
`router route` and `router check` never load it), and a config whose deployments
all take router/direct.py's path needs it only for what that path leaves to it.
`Preload` runs the load once: `start()` in a background thread as soon as the app
is built, when the config needs litellm, so that it is usually done before the
first request arrives (`/readyz` answers 503 while that start-up load runs);
`wait()` is what a call that needs litellm awaits, starting the load in a
background thread if nothing has, without blocking the event loop while it works.

Start-up leaves a few hundred thousand long-lived objects on the heap (litellm's
import alone ~320k: provider configs, pydantic models, the model table). CPython's
collector walks all of them at every full (gen2) collection: ~100 ms pauses,
several a second under load, which is most of the tail latency at depth and
~0.13 ms of CPU per request. `settle_heap()` collects once (if the collector is on),
then `gc.freeze()`s what is left (the collector never looks at it again; reference
counting still frees it) and raises the gen0 threshold so the short-lived objects of a request
are mostly freed by reference counting before a collection runs at all. `router serve`
keeps the collector off until then (router/cli.py): its passes during start-up would walk
the same objects while they are made, to free next to nothing. It then hands the C heap's
free pages back to the system (glibc's `malloc_trim`): start-up's transient allocations (the
classifier's tokenizer parses a 1.8 MB JSON file, pydantic builds its schemas) leave 7-12 MB
free but resident otherwise (docs/performance.md, "Fifth pass").
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import gc
import json
import logging
import threading
from collections.abc import Callable

# Container allocations (net) between two young collections; CPython's default is 700.
GEN0_THRESHOLD = 10_000


def settle_heap() -> None:
    """Freeze everything on the heap, raise the gen0 threshold and turn the collector on.
    Call again after a later bulk load (freezing is cumulative).

    With the collector on, a full collection runs first, so that no garbage is frozen. With
    it off (`router serve`'s start-up, router/cli.py) it does not: that pass over ~170k
    objects (50-100 ms) would free the ~2,000 objects in cycles that the imports leave,
    about 0.5 MB, which stay frozen instead."""
    if gc.isenabled():
        gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
    gc.enable()
    release_free_memory()


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's `malloc_trim(0)`); nothing where
    the C library has no such call (musl, macOS)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)


class Preload:
    """`load` (synchronous, idempotent in effect) run once, in a thread or on first need."""

    def __init__(self, load: Callable[[], None]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._done = False
        self._thread: concurrent.futures.Future[None] | None = None
        self._at_start = False

    @property
    def pending(self) -> bool:
        """Whether the start-up load (`start()`) has begun and not finished."""
        return self._at_start and self._thread is not None and not self._thread.done()

    def start(self) -> None:
        """The start-up load: `begin()`, and `pending` until it is done."""
        if self._done or self._thread is not None:
            return
        self._at_start = True
        self.begin()

    def begin(self) -> None:
        """Load in a daemon thread, then settle the heap again (the load is most of it)."""
        if self._done or self._thread is not None:
            return
        future: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = future

        def run() -> None:
            try:
                self.now()
                settle_heap()
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                logging.getLogger("tianji.serve").error(json.dumps(
                    {"event": "preload_failed", "error": type(exc).__name__}))
                future.set_exception(exc)
            else:
                future.set_result(None)

        threading.Thread(target=run, name="tianji-preload", daemon=True).start()

    def now(self) -> None:
        """Load in this thread unless done (waits for a load under way elsewhere)."""
        if self._done:
            return
        with self._lock:
            if not self._done:
                self._load()
                self._done = True

    async def wait(self) -> None:
        """Loaded, without blocking the event loop while the background thread works."""
        if self._done:
            return
        self.begin()
        assert self._thread is not None
        await asyncio.wrap_future(self._thread)
