"""Start-up of `router serve` at several commits: spawn to the first 200 on /healthz, and the
CPU the process spent to get there.

    .venv/bin/python -m bench.startup base=2b1cdf6 after=HEAD [--rounds 8]

Each NAME=COMMIT is exported and byte-compiled as bench/commits_ab.py does and served with
the same config (one worker, the bench config of bench/gateway_perf.py, pointed at a port
nothing listens on: start-up makes no provider call). Rounds start each commit's server in
turn, time it to the first 200 on /healthz, read its CPU seconds (user + system, from /proc)
at that moment, and stop it. On a busy machine the wall time moves with the load (a process
that needs 0.7 s of CPU gets a fraction of a core); the CPU seconds move much less, so
compare those across commits, and the wall times within one round. Prints the median and
the minimum of both per commit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from bench._procs import cpu_seconds, free_port
from bench.commits_ab import export, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commits", nargs="+", metavar="NAME=COMMIT")
    parser.add_argument("--rounds", type=int, default=8, help="start-ups per commit (8)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tianji-startup-") as tmp:
        workdir = Path(tmp)
        trees: dict[str, Path] = {}
        for spec in args.commits:
            name, _, commit = spec.partition("=")
            trees[name] = workdir / f"tree-{name}"
            export(commit or name, trees[name])
        nowhere = f"http://127.0.0.1:{free_port()}"
        seen: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for round_no in range(args.rounds):
            for name, tree in trees.items():
                proc = serve(name, tree, nowhere, workdir)
                try:
                    seen[name].append((proc.startup_s, cpu_seconds(proc.pid)))
                finally:
                    proc.stop()
                print(f"round {round_no} {name}: {proc.startup_s:.2f} s, "
                      f"{seen[name][-1][1]:.2f} CPU s", file=sys.stderr, flush=True)
    print(f"{'':10} {'wall s median':>13} {'min':>6} {'CPU s median':>12} {'min':>6}")
    for name, rows in seen.items():
        walls, cpus = [r[0] for r in rows], [r[1] for r in rows]
        print(f"{name:10} {statistics.median(walls):13.2f} {min(walls):6.2f} "
              f"{statistics.median(cpus):12.2f} {min(cpus):6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
