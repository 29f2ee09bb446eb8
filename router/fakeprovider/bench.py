"""Measure the fake's throughput and CPU cost per request, bounded in time.

    python -m router.fakeprovider.bench --seconds 5 --connections 32 [--stream]

The server runs in a subprocess pinned to CPU 0, the load generator (raw
keep-alive sockets on uvloop) on CPU 1. `req/s per server core` is requests
divided by the server's own CPU seconds, i.e. what one core of fake can serve.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time

import uvloop


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _request(stream: bool) -> bytes:
    body = (b'{"model":"x","messages":[{"role":"user","content":"hi"}],"stream":%s}'
            % (b"true" if stream else b"false"))
    return (b"POST /d/bench/v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n"
            b"content-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))


async def _worker(port: int, stream: bool, deadline: float) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request, done = _request(stream), 0
    while time.perf_counter() < deadline:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        if stream:
            await reader.readuntil(b"0\r\n\r\n")
        else:
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
        done += 1
    writer.close()
    return done


async def _load(port: int, connections: int, seconds: float, stream: bool) -> int:
    deadline = time.perf_counter() + seconds
    counts = await asyncio.gather(*(_worker(port, stream, deadline) for _ in range(connections)))
    return sum(counts)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m router.fakeprovider.bench")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--stream", action="store_true")
    args = parser.parse_args()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "router.fakeprovider", "--port", str(port)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        server.stdout.readline()
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(server.pid, {cpus[0]})
        os.sched_setaffinity(0, {cpus[-1]})
        loop = uvloop.new_event_loop()
        loop.run_until_complete(_load(port, args.connections, 0.5, args.stream))  # warm up
        cpu_before, started = _cpu_seconds(server.pid), time.perf_counter()
        done = loop.run_until_complete(_load(port, args.connections, args.seconds, args.stream))
        elapsed, cpu = time.perf_counter() - started, _cpu_seconds(server.pid) - cpu_before
        loop.close()
    finally:
        server.terminate()
        server.wait(timeout=5)
    kind = "stream" if args.stream else "json"
    print(f"{kind}: {done} requests in {elapsed:.1f}s = {done / elapsed:.0f} req/s; "
          f"server CPU {cpu:.2f}s = {cpu / done * 1e6:.0f} us/request = "
          f"{done / cpu:.0f} req/s per server core")


if __name__ == "__main__":
    main()
