"""Mutation score of the core, one module at a time (mutmut 3, configured in pyproject.toml).

    pip install -e '.[test,mutation]'
    python -m bench.mutation_report                          # every module in [tool.mutmut]
    python -m bench.mutation_report --module router/health.py --survivors
    python -m bench.mutation_report --module router/health.py --rerun-survivors  # after new tests
    python -m bench.mutation_report --module router/health.py --kill-with tests/unit/test_x.py

For each module this runs `mutmut run 'router.<module>.*'` (mutmut copies the tree into
mutants/, runs the whole suite once to learn which tests reach which function, then runs
those tests against each mutant) and prints killed / survived / timeout / no tests and the
score, killed + timeout over every mutant tested. `mutmut show NAME` prints one mutant's diff.

Gateways that tests start as a subprocess (`router serve` in tests/test_cli.py) import the
mutated copy too: PYTHONPATH puts mutants/ first, and the mutant under test travels in the
MUTANT_UNDER_TEST variable the subprocess inherits.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from router.data import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
MUTMUT = Path(sys.executable).parent / "mutmut"

# mutmut's exit codes (mutmut.stats.status_by_exit_code), folded into the columns printed here
KILLED = {1, 3}
SURVIVED = {0}
TIMEOUT = {36, -24, 24, 152, 255}
NO_TESTS = {5, 33}
NOT_TESTED = {None, 34, 37}  # not run yet, skipped, or caught by the type checker


@dataclass
class Score:
    module: str
    counts: Counter[str]
    survivors: list[str]

    @property
    def tested(self) -> int:
        return sum(n for status, n in self.counts.items() if status != "not tested")

    @property
    def score(self) -> float:
        caught = self.counts["killed"] + self.counts["timeout"]
        return caught / self.tested if self.tested else 0.0


def configured_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["only_mutate"])


def status(exit_code: int | None) -> str:
    if exit_code in KILLED:
        return "killed"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in TIMEOUT:
        return "timeout"
    if exit_code in NO_TESTS:
        return "no tests"
    if exit_code in NOT_TESTED:
        return "not tested"
    return "other"  # suspicious, segfault, interrupted


def mutant_glob(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".") + ".*"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(MUTANTS), env.get("PYTHONPATH")]))
    env.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    # The copy under mutants/ sits one level deeper than the repository: name the data directly.
    env.setdefault("TIANJI_DATA", str(default_data_dir()))
    return env


def run_mutmut(module: str, max_children: int, *, survivors_only: bool = False) -> int:
    names = read_score(module).survivors if survivors_only else [mutant_glob(module)]
    if not names:
        return 0
    argv = [str(MUTMUT), "run", "--max-children", str(max_children), *names]
    print("$", " ".join(argv), flush=True)
    return subprocess.run(argv, cwd=ROOT, env=environment(), check=False).returncode


def kill_with(module: str, tests: list[str]) -> None:
    """Run `tests` against each survivor of the last run (as mutmut would: in mutants/, the
    mutant named in MUTANT_UNDER_TEST); record the ones they kill. Minutes instead of the hour
    a full rerun of the survivors takes, since each survivor's full test list runs to the end."""
    meta = MUTANTS / f"{module}.meta"
    data = json.loads(meta.read_text())
    for test in tests:  # the copy mutmut made at its last run may predate these files
        (MUTANTS / test).parent.mkdir(parents=True, exist_ok=True)
        (MUTANTS / test).write_bytes((ROOT / test).read_bytes())
    env = environment()
    for name in read_score(module).survivors:
        env["MUTANT_UNDER_TEST"] = name
        argv = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
        run = subprocess.run(argv, cwd=MUTANTS, env=env, capture_output=True, check=False)
        if run.returncode == 1:  # a test failed: killed (2-5 are pytest's own errors)
            data["exit_code_by_key"][name] = 1
            print("killed:", name, flush=True)
    meta.write_text(json.dumps(data, indent=4))


def read_score(module: str) -> Score:
    meta = MUTANTS / f"{module}.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    counts: Counter[str] = Counter(status(code) for code in codes.values())
    survivors = sorted(name for name, code in codes.items() if status(code) == "survived")
    return Score(module, counts, survivors)


def print_table(scores: list[Score]) -> None:
    columns = ("killed", "survived", "timeout", "no tests", "other", "not tested")
    print(f"{'module':<26}" + "".join(f"{c:>11}" for c in columns) + f"{'score':>8}")
    for s in scores:
        cells = "".join(f"{s.counts[c]:>11}" for c in columns)
        print(f"{s.module:<26}{cells}{s.score:>8.1%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="e.g. router/health.py (repeatable)")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutants (default 1)")
    parser.add_argument("--report-only", action="store_true",
                        help="print the scores of the last run without running mutmut")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    parser.add_argument("--rerun-survivors", action="store_true",
                        help="test only the last run's survivors again (after adding tests)")
    parser.add_argument("--kill-with", nargs="+", metavar="TEST",
                        help="run only these test files against the last run's survivors")
    args = parser.parse_args(argv)

    known = configured_modules()
    modules = args.module or known
    unknown = [m for m in modules if m not in known]
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}")

    failed = []
    if args.kill_with:
        for m in modules:
            kill_with(m, args.kill_with)
    elif not args.report_only:
        failed = [m for m in modules
                  if run_mutmut(m, args.max_children, survivors_only=args.rerun_survivors) != 0]
    scores = [read_score(m) for m in modules]
    print_table(scores)
    if args.survivors:
        for s in scores:
            for name in s.survivors:
                print("survived:", name)
    if failed:
        print("mutmut failed for:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
