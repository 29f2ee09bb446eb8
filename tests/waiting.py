"""Waiting, within a bound, for what a server does after the client has its answer.

Request-log rows are written by a thread, budgets settle in a background task, Redis
state is synced on a timer, a client's hang-up is logged once the gateway notices it, and
a provider notices a hang-up only when its socket says so. A test that checks such an
effect waits for it:

    wait_for(lambda: count(db) == 3, "three request-log rows")

An async test whose own event loop has to run for the effect to happen (a socket it
closed is closed by that loop) awaits `wait_for_async` instead. A `router serve` process
is waited for with `wait_until_serving` and stopped with `stop_serving`.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

import httpx

T = TypeVar("T")

# A bound for an effect that normally takes milliseconds, on a loaded 2-core CI machine.
TIMEOUT_S = 15.0


def wait_for(
    predicate: Callable[[], T], what: str, timeout: float = TIMEOUT_S, step: float = 0.02
) -> T:
    """The first truthy value of `predicate()`; AssertionError naming `what` (and the last
    value seen) when none comes within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _timed_out(what, timeout, value)
        time.sleep(step)


async def wait_for_async(
    predicate: Callable[[], T], what: str, timeout: float = TIMEOUT_S, step: float = 0.02
) -> T:
    """`wait_for` that lets the running event loop work between two looks."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise _timed_out(what, timeout, value)
        await asyncio.sleep(step)


def wait_until_serving(
    url: str, proc: subprocess.Popen, output: Callable[[], str], timeout: float
) -> None:
    """Until `url`/healthz answers 200; RuntimeError with the server process's `output()`
    when the process exits first or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("router serve did not start:\n" + output())
        time.sleep(0.2)


def stop_serving(proc: subprocess.Popen, timeout: float = TIMEOUT_S) -> None:
    """Stop a `router serve` process as an operator does (SIGINT, a graceful shutdown), and
    kill it when it has not exited within `timeout` seconds."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _timed_out(what: str, timeout: float, value: object) -> AssertionError:
    return AssertionError(f"waited {timeout:g}s for {what}; last seen: {value!r}")
