"""Runs a Node client script with the openai Node SDK (the pinned npm package `.ci/run`
installs in .tools/openai-node; $TIANJI_OPENAI_NODE points at another `openai` package
directory). Skipped when node or the package is absent outside CI; in CI (CI=true) the test
fails instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SDK = Path(os.environ.get("TIANJI_OPENAI_NODE")
           or ROOT / ".tools/openai-node/node_modules/openai")


def run_node_client(client: Path, gw: Any, scenario: str) -> dict[str, Any]:
    """`node client SDK base_url scenario`; its last stdout line, as JSON."""
    node = shutil.which("node")
    if node is None or not (SDK / "index.mjs").exists():
        message = f"node or the openai Node SDK ({SDK}) is missing (.ci/run installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([node, str(client), str(SDK), f"{gw.url}/v1", scenario],
                          capture_output=True, text=True, timeout=60, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
