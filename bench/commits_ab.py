"""One change's effect in one run: Tianji at several commits, same fake upstream, same load.

    .venv/bin/python -m bench.commits_ab before=6aaf3b6 after=HEAD
    .venv/bin/python -m bench.commits_ab base=6aaf3b6 gc=ede4f58 logs=b6d38c7 --rounds 3

Each NAME=COMMIT is exported (`git archive`) into a temporary directory and served from
there by this checkout's interpreter (`router serve`, one worker, the config
bench/gateway_perf.py uses: three fake tiers, the learned classifier, a client key, logs
and metrics on). After a warm-up, rounds of wrk at `--c` connections (or streams from the
asyncio client with `--stream`) go to each server in turn, so a busy machine slows all of
them alike: on a shared machine compare the ratios within one run. Reported per commit:
start-up (spawn to the first 200 on /healthz), the medians over rounds of req/s, CPU
milliseconds per request (the server's process tree, from /proc), p50 and p99, and RSS
after the requests it has served (warm-up included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import _load, _targets
from bench._procs import Proc, cpu_seconds, free_port, rss_mb, spawn
from bench.gateway_perf import PROMPT


def export(commit: str, into: Path) -> None:
    """The tree of `commit` in `into` (created), its modules byte-compiled as an installed
    package's are (else the first start-up compiles them and its time says so)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(_targets.REPO), "archive", commit],
                             capture_output=True, check=True, timeout=60).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True, timeout=60)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "router")],
                   check=True, timeout=300, stdout=subprocess.DEVNULL)


def serve(name: str, tree: Path, fake_url: str, workdir: Path) -> Proc:
    config = workdir / f"{name}.yaml"
    _targets.tianji_config(fake_url, "openai", _targets.classifier_kind(), config)
    port = free_port()
    argv = [sys.executable, "-m", "router.cli", "serve", "--config", str(config), "--port",
            str(port)]
    env = {**_targets._ENV, "TIANJI_CONFIG": str(config)}
    return spawn(name, argv, f"http://127.0.0.1:{port}", "/healthz", workdir / f"{name}.log",
                 env=env, cwd=str(tree))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.commits_ab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="+", metavar="NAME=COMMIT")
    parser.add_argument("--rounds", type=int, default=3, help="load rounds per commit (3)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per round (5)")
    parser.add_argument("--c", type=int, default=32, help="connections (32)")
    parser.add_argument("--stream", action="store_true", help="streamed requests")
    args = parser.parse_args(argv)
    body: dict[str, object] = {"model": "auto", "messages": [{"role": "user", "content": PROMPT}]}
    if args.stream:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json",
               "Authorization": f"Bearer {_targets.GATEWAY_KEY}"}
    with tempfile.TemporaryDirectory(prefix="tianji-ab-") as tmp:
        workdir = Path(tmp)
        fake = _targets.start_fake(workdir)
        procs: dict[str, Proc] = {}
        try:
            for spec in args.commits:
                name, _, commit = spec.partition("=")
                export(commit or name, workdir / f"tree-{name}")
                procs[name] = serve(name, workdir / f"tree-{name}", fake.url, workdir)
            for name, proc in procs.items():
                url = proc.url + "/v1/chat/completions"
                warm = _load.run_asyncio(url, raw, headers, 4, 300, 15)
                if warm.errors or not warm.requests:
                    raise RuntimeError(f"{name}: warm-up failed")
            rows: dict[str, list[tuple[float, float, float, float]]] = {n: [] for n in procs}
            served = dict.fromkeys(procs, 300)
            for round_no in range(args.rounds):
                for name, proc in procs.items():
                    url = proc.url + "/v1/chat/completions"
                    before = cpu_seconds(proc.pid)
                    out = (_load.run_asyncio(url, raw, headers, args.c, 100_000, args.seconds)
                           if args.stream or not _load.WRK else
                           _load.run_wrk(url, raw, headers, args.c, args.seconds, workdir))
                    cpu = (cpu_seconds(proc.pid) - before) * 1000 / max(1, out.requests)
                    rows[name].append((out.rps, cpu, out.p50_ms, out.p99_ms))
                    served[name] += out.requests
                    print(f"round {round_no} {name}: {out.rps:.0f} req/s, {cpu:.3f} CPU ms per "
                          f"request, p50 {out.p50_ms:.1f} ms, p99 {out.p99_ms:.1f} ms, "
                          f"{out.errors} errors", file=sys.stderr, flush=True)
            print(f"{'':10} {'start-up s':>10} {'req/s':>7} {'CPU ms/req':>10} {'p50 ms':>8} "
                  f"{'p99 ms':>8} {'RSS MB':>7} {'after requests':>14}")
            for name, proc in procs.items():
                med = [statistics.median(r[i] for r in rows[name]) for i in range(4)]
                print(f"{name:10} {proc.startup_s:10.2f} {med[0]:7.0f} {med[1]:10.3f} "
                      f"{med[2]:8.1f} {med[3]:8.1f} {rss_mb(proc.pid):7.0f} {served[name]:14}")
        finally:
            for proc in procs.values():
                proc.stop()
            fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
