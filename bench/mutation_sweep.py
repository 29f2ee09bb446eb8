"""Run test files against many mutants in one process (used by `mutation_report --kill-with`).

    cd mutants && python ../bench/mutation_sweep.py NAMES_FILE TEST...

mutmut's trampolines read MUTANT_UNDER_TEST at each call, so one process can switch mutants
between pytest runs instead of paying an interpreter start and litellm's import for each.
Only for modules that keep no state between calls (no caches, no module-level mutation):
router/policy.py, errors.py, redact.py, cascade.py, schema.py, api/core.py and api/chat.py
qualify (the last three through gateways the tests run in a thread of this process). Prints
one JSON list, the mutants some test failed with.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

import pytest


def sweep(names: list[str], tests: list[str]) -> list[str]:
    killed = []
    for name in names:
        os.environ["MUTANT_UNDER_TEST"] = name
        with contextlib.redirect_stdout(io.StringIO()):
            code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", *tests])
        if code == pytest.ExitCode.TESTS_FAILED:
            killed.append(name)
    return killed


if __name__ == "__main__":
    names = json.loads(Path(sys.argv[1]).read_text())
    print(json.dumps(sweep(names, sys.argv[2:])))
