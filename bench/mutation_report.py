"""Mutation score of the core, one module at a time (mutmut 3, configured in pyproject.toml).

    pip install -e '.[test,mutation]'
    python -m bench.mutation_report                          # every module in [tool.mutmut]
    python -m bench.mutation_report --module router/health.py --survivors
    python -m bench.mutation_report --module router/health.py --rerun-survivors  # after new tests
    python -m bench.mutation_report --module router/health.py --kill-with tests/unit/test_x.py
    python -m bench.mutation_report --module router/policy.py --tests tests/unit/test_policy.py
    python -m bench.mutation_report --module router/policy.py --scoped --kill-with tests/unit/x.py
    python -m bench.mutation_report --module router/schema.py --tests tests/test_bad_input.py \
        --keyword 'not nesting'

With --tests the run is scoped: mutmut works on a fresh copy of the tree under
mutants/scoped/<module>/ whose configuration mutates that module only and selects only the
named test files (to learn which tests reach which function and to test each mutant). A
module on the request path then costs minutes instead of the hours a survivor costs when
it reruns every gateway test of the suite; the score is a lower bound on the whole suite's.

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
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from router.data import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
SCOPED = MUTANTS / "scoped"
COPIED = ("router", "tests", "config", "bench")
# Modules without state between calls: --kill-with switches their mutants in one process.
# core.py, schema.py and chat.py qualify too: the gateways their tests start run in a thread
# of the test process, whose trampolines read MUTANT_UNDER_TEST at each call.
IN_PROCESS = frozenset({"router/policy.py", "router/errors.py", "router/redact.py",
                        "router/cascade.py", "router/api/core.py", "router/schema.py",
                        "router/api/chat.py"})
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
    tests: str  # "suite", or the test files of a scoped run
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


def scoped_root(module: str) -> Path:
    return SCOPED / module.removesuffix(".py").replace("/", ".")


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def prepare_scoped(module: str, tests: list[str], keyword: str | None = None) -> Path:
    """A fresh copy of the tree whose [tool.mutmut] mutates `module` with `tests` only (those
    matching pytest's `-k keyword`, when given)."""
    root = scoped_root(module)
    shutil.rmtree(root, ignore_errors=True)
    # mutants/ must exist before mutmut starts: it is first on PYTHONPATH, and a directory
    # missing at start-up stays unsearched for imports.
    (root / "mutants").mkdir(parents=True)
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    config["only_mutate"] = [module]
    config["pytest_add_cli_args_test_selection"] = [*tests, *(["-k", keyword] if keyword else [])]
    config["use_git_change_detection"] = False  # the copy is no git checkout
    # The fork server imports the named test files (and through them router/) once, instead
    # of each mutant importing them again (seconds a mutant). Safe here because a scoped run
    # names unit and in-process gateway tests; tests/test_cli.py, which passes
    # MUTANT_UNDER_TEST to `router serve` subprocesses through an environment copied at
    # import, needs the whole-suite run's "import" warm-up.
    config["forkserver_warmup"] = "collect"
    lines = ["[tool.pytest.ini_options]", 'addopts = "-ra"', "", "[tool.mutmut]"]
    for key, value in config.items():
        if isinstance(value, list):
            lines.append(f"{key} = {toml_list(value)}")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    (root / "tests.txt").write_text(" ".join(tests) + "\n")
    return root


def environment(mutants: Path = MUTANTS) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(mutants), env.get("PYTHONPATH")]))
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


def run_scoped(module: str, tests: list[str], max_children: int, keyword: str | None) -> int:
    root = prepare_scoped(module, tests, keyword)
    argv = [str(MUTMUT), "run", "--max-children", str(max_children), mutant_glob(module)]
    print(f"$ (cd {root.relative_to(ROOT)} &&", " ".join(argv) + ")", flush=True)
    env = environment(root / "mutants")
    return subprocess.run(argv, cwd=root, env=env, check=False).returncode


def kill_with(module: str, tests: list[str], *, scoped: bool = False) -> None:
    """Run `tests` against each survivor of the last run (in mutants/, the mutant named in
    MUTANT_UNDER_TEST, as mutmut would); record the ones they kill. Minutes instead of the
    hour a full rerun of the survivors takes, since each survivor's full test list runs to
    the end. Pure modules (bench/mutation_sweep.py) switch mutants in one process."""
    mutants = scoped_root(module) / "mutants" if scoped else MUTANTS
    meta = mutants / f"{module}.meta"
    data = json.loads(meta.read_text())
    for test in tests:  # the copy mutmut made at its last run may predate these files
        (mutants / test).parent.mkdir(parents=True, exist_ok=True)
        (mutants / test).write_bytes((ROOT / test).read_bytes())
    env = environment(mutants)
    survivors = read_score(module, scoped=scoped).survivors
    if scoped:  # the new files may reach functions the scoped run's files did not
        survivors += sorted(n for n, c in data["exit_code_by_key"].items() if c in NO_TESTS)
    if module in IN_PROCESS:
        names = mutants / "survivors.json"
        names.write_text(json.dumps(survivors))
        argv = [sys.executable, str(ROOT / "bench" / "mutation_sweep.py"), str(names), *tests]
        run = subprocess.run(argv, cwd=mutants, env=env, capture_output=True, text=True,
                             check=True)
        killed = json.loads(run.stdout.strip().splitlines()[-1])
    else:
        killed = []
        for name in survivors:
            env["MUTANT_UNDER_TEST"] = name
            argv = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
            run = subprocess.run(argv, cwd=mutants, env=env, capture_output=True, check=False)
            if run.returncode == 1:  # a test failed: killed (2-5 are pytest's own errors)
                killed.append(name)
    for name in survivors:  # a mutant with no tests before and a passing run now survived
        if data["exit_code_by_key"][name] in NO_TESTS:
            data["exit_code_by_key"][name] = 0
    for name in killed:
        data["exit_code_by_key"][name] = 1
        print("killed:", name, flush=True)
    meta.write_text(json.dumps(data, indent=4))
    if scoped:
        listed = (scoped_root(module) / "tests.txt").read_text().split()
        extra = [t for t in tests if t not in listed]
        (scoped_root(module) / "tests.txt").write_text(" ".join(listed + extra) + "\n")


def read_score(module: str, *, scoped: bool = False) -> Score:
    mutants = scoped_root(module) / "mutants" if scoped else MUTANTS
    tests = "suite"
    if scoped and (scoped_root(module) / "tests.txt").exists():
        tests = (scoped_root(module) / "tests.txt").read_text().strip()
    meta = mutants / f"{module}.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    counts: Counter[str] = Counter(status(code) for code in codes.values())
    survivors = sorted(name for name, code in codes.items() if status(code) == "survived")
    return Score(module, tests, counts, survivors)


def scores_of(module: str) -> list[Score]:
    """The whole suite's last run of `module` and the last scoped one, those that exist."""
    found = [read_score(module), read_score(module, scoped=True)]
    return [s for s in found if s.counts] or found[:1]


def print_table(scores: list[Score]) -> None:
    columns = ("killed", "survived", "timeout", "no tests", "other", "not tested")
    print(f"{'module':<26}" + "".join(f"{c:>11}" for c in columns) + f"{'score':>8}")
    for s in scores:
        cells = "".join(f"{s.counts[c]:>11}" for c in columns)
        print(f"{s.module:<26}{cells}{s.score:>8.1%}  tests: {s.tests}")


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
    parser.add_argument("--tests", nargs="+", metavar="TEST",
                        help="scoped run: mutate --module with only these test files")
    parser.add_argument("--keyword", metavar="EXPR",
                        help="scoped run: only the tests matching pytest's -k EXPR")
    parser.add_argument("--scoped", action="store_true",
                        help="--kill-with works on the last scoped run (see --tests)")
    args = parser.parse_args(argv)

    known = configured_modules()
    modules = args.module or known
    unknown = [m for m in modules if m not in known]
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}")

    failed = []
    if args.tests and not args.module:
        parser.error("--tests needs --module")
    if args.kill_with:
        for m in modules:
            kill_with(m, args.kill_with, scoped=args.scoped)
    elif args.tests and not args.report_only:
        failed = [m for m in modules
                  if run_scoped(m, args.tests, args.max_children, args.keyword) != 0]
    elif not args.report_only:
        failed = [m for m in modules
                  if run_mutmut(m, args.max_children, survivors_only=args.rerun_survivors) != 0]
    scores = [s for m in modules for s in scores_of(m)]
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
