"""What each import of the serving path adds to a process's RSS, in the order given.

    .venv/bin/python -m bench.import_rss            # the serving path's libraries, then Tianji's
    .venv/bin/python -m bench.import_rss numpy fastapi

A fresh interpreter imports each module in turn (the collector off, as `router serve` starts)
and prints its RSS after each, with what that import added: a library's share is what its
import adds after the ones before it, so the order matters (pydantic before FastAPI, ...).
The last line loads the classifier's ask embedding (its table and tokenizer).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench import _targets

SERVING = ("yaml", "pydantic", "numpy", "fastapi", "aiohttp", "uvicorn", "prometheus_client",
           "sqlite3", "tokenizers", "router.config", "router.schema",
           "router.classify.learned", "router.upstream", "router.api.app", "router.serving")

_CHILD = """
import gc, importlib, json, sys
gc.disable()
def rss_kb():
    status = open("/proc/self/status").read().split("\\n")
    return int(next(s for s in status if s.startswith("VmRSS")).split()[1])
rows = [["(interpreter)", rss_kb()]]
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    rows.append([name, rss_kb()])
from router.classify import embedding
embedding.load()
rows.append(["embedding.load()", rss_kb()])
print(json.dumps(rows + [["modules", len(sys.modules)]]))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_rss", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="modules to import, in order (default: "
                        "the serving path's)")
    args = parser.parse_args(argv)
    names = args.modules or list(SERVING)
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(names)], capture_output=True,
                         text=True, cwd=str(_targets.REPO), timeout=120, check=True)
    rows = json.loads(out.stdout)
    *imports, (_, modules) = rows
    before = imports[0][1]
    for name, kb in imports:
        print(f"{kb / 1024:7.1f} MB  {(kb - before) / 1024:+6.1f}  {name}")
        before = kb
    print(f"{modules} modules imported")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
