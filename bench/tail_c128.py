"""What bounds p99 at 128 connections: the client's latency, Tianji's own, and the accept queue.

    LITELLM_LOCAL_MODEL_COST_MAP=True .venv/bin/python -m bench.tail_c128 --seconds 3 8

Starts the fake upstream and `router serve` (one worker, the bench config of
bench/gateway_perf.py), warms up, then for each phase length runs wrk at 128 connections
(`--c`) while sampling the listening socket's accept queue (connections the kernel has
completed and the server has not yet accepted, from /proc/net/tcp) every 0.25 s. Reported
per phase: wrk's p50 and p99; the p50, p99 and max of `latency_ms` in Tianji's request log
lines for the phase (from the guard to the log line: the time the server spends on a
request once it has read it); and the accept queue over the phase. A client p99 far above
the server's, growing with the phase length while the queue drains slowly, is time spent
waiting to be accepted. Linux only (/proc/net/tcp, IPv4).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

from bench import _load, _targets


def _accept_queue(port: int) -> int:
    """The listening socket's accept queue on 127.0.0.1:`port` (rx_queue of state 0A)."""
    suffix = f":{port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(suffix) and fields[3] == "0A":
            return int(fields[4].split(":")[1], 16)
    return 0


def _sample(port: int, queue: list[int], done: threading.Event) -> None:
    while not done.is_set():
        queue.append(_accept_queue(port))
        done.wait(0.25)


def _server_latencies(log: Path, skip: int) -> tuple[list[float], int]:
    """`latency_ms` of the request log lines after the first `skip`, and the count so far."""
    lines = [json.loads(line) for line in log.read_text().splitlines()
             if line.startswith('{"event": "request"')]
    return [entry["latency_ms"] for entry in lines[skip:]], len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, nargs="+", default=[3.0, 8.0])
    parser.add_argument("--c", type=int, default=128, help="connections (128)")
    args = parser.parse_args()
    if _load.WRK is None:
        raise SystemExit("wrk is not on PATH (apt-get install -y wrk)")
    with tempfile.TemporaryDirectory(prefix="tianji-tail-") as tmp:
        work = Path(tmp)
        fake = _targets.start_fake(work)
        tianji = _targets.start_tianji(fake.url, "openai", _targets.classifier_kind(), 1, work)
        try:
            body = json.dumps({"model": "auto", "messages": [
                {"role": "user", "content": "Translate 'good morning' into French."}]}).encode()
            headers = {"Content-Type": "application/json",
                       "Authorization": f"Bearer {_targets.GATEWAY_KEY}"}
            url = f"{tianji.url}/v1/chat/completions"
            port = int(tianji.url.rsplit(":", 1)[1])
            _load.run_wrk(url, body, headers, 8, 2, work)  # warm-up
            time.sleep(0.5)
            _, seen = _server_latencies(tianji.log, 0)
            for seconds in args.seconds:
                queue: list[int] = []
                done = threading.Event()
                sampler = threading.Thread(target=_sample, args=(port, queue, done))
                sampler.start()
                result = _load.run_wrk(url, body, headers, args.c, seconds, work)
                done.set()
                sampler.join()
                time.sleep(0.5)  # the last log lines
                server, seen = _server_latencies(tianji.log, seen)
                print(f"{seconds:g} s at c={args.c}: wrk p50 {result.p50_ms:.0f} ms, p99 "
                      f"{result.p99_ms:.0f} ms ({result.p99_ms / result.p50_ms:.1f}x), "
                      f"{result.rps:.0f} req/s; Tianji's latency_ms p50 "
                      f"{_load.percentile(server, 50):.0f}, p99 "
                      f"{_load.percentile(server, 99):.0f}, max {max(server):.0f}; "
                      f"accept queue every 0.25 s: {' '.join(map(str, queue))}")
        finally:
            tianji.stop()
            fake.stop()


if __name__ == "__main__":
    main()
