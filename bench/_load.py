"""Load generators: wrk for non-streaming latency and throughput, a small asyncio client for
streaming time to first token (and as the fallback when wrk is missing).

Both are bounded: wrk by `-d`, the asyncio client by a request count and a deadline.
Latencies are milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

WRK = shutil.which("wrk")


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    rps: float
    tool: str
    samples: list[float] = field(default_factory=list, repr=False)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


# ---------------------------------------------------------------- wrk


def _lua(body: bytes, headers: dict[str, str]) -> str:
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body.decode())}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> Result:
    pct = dict(re.findall(r"^\s*(\d+)%\s+(\S+)\s*$", output, re.M))
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+),", output)
    if not done or "50" not in pct or "99" not in pct:
        raise RuntimeError(f"cannot parse wrk output:\n{output}")
    seconds = _ms(done.group(2) + done.group(3)) / 1000
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    requests = int(done.group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Result(requests, errors, seconds, _ms(pct["50"]), _ms(pct["99"]), rps, "wrk")


def run_wrk(url: str, body: bytes, headers: dict[str, str], concurrency: int, seconds: float,
            workdir: Path) -> Result:
    script = workdir / "post.lua"
    script.write_text(_lua(body, headers))
    argv = [WRK or "wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--latency",
            "--timeout", "30s", "-s", str(script), url]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    return parse_wrk(proc.stdout)


# ---------------------------------------------------------------- asyncio client


async def _read_response(reader: asyncio.StreamReader, started: float) -> tuple[int, float]:
    """Read one HTTP/1.1 response; return (status, ms to the first `data:` line or the body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    lower = head.lower()
    first: float | None = None
    if b"transfer-encoding: chunked" in lower:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if first is None and (b"data:" in chunk or size == 0):
                first = (time.perf_counter() - started) * 1000
            if size == 0:
                break
    else:
        length = re.search(rb"content-length:\s*(\d+)", lower)
        await reader.readexactly(int(length.group(1)) if length else 0)
    if first is None:
        first = (time.perf_counter() - started) * 1000
    return status, first


async def _worker(url: str, request: bytes, stop_at: float, budget: list[int],
                  samples: list[float], errors: list[int]) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        while budget[0] > 0 and time.perf_counter() < stop_at:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            status, first_ms = await asyncio.wait_for(_read_response(reader, started), 60)
            if status == 200:
                samples.append(first_ms)
            else:
                errors[0] += 1
    finally:
        writer.close()


def run_asyncio(url: str, body: bytes, headers: dict[str, str], concurrency: int,
                max_requests: int, seconds: float) -> Result:
    """Keep-alive POSTs from `concurrency` connections. For a streamed answer the latency is
    the time to the first SSE `data:` event (time to first token); otherwise to the whole body."""
    parts = urlsplit(url)
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}",
            f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(head) + "\r\n\r\n").encode() + body
    samples: list[float] = []
    errors = [0]
    budget = [max_requests]

    async def main() -> float:
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(*(_worker(url, request, stop_at, budget, samples, errors)
                               for _ in range(concurrency)))
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    n = len(samples) + errors[0]
    return Result(n, errors[0], elapsed, percentile(samples, 50), percentile(samples, 99),
                  n / elapsed if elapsed else 0.0, "asyncio", samples)
