"""Claude Code itself (`claude -p`, the pinned npm package `.ci/run` installs) through
Tianji to the fake provider, with the first deployment of its tier failing.

Skipped when the binary is absent outside CI (install it with `.ci/run`, or point
$TIANJI_CLAUDE_BIN at one); in CI (CI=true) an absent binary fails the test.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import ANTHROPIC_KEY, deployment, make_config, run_gateway

ROOT = Path(__file__).resolve().parents[2]
CLAUDE = Path(os.environ.get("TIANJI_CLAUDE_BIN")
              or ROOT / ".tools/claude-code/node_modules/.bin/claude")
CLIENT_KEY = "sk-ant-client-key-not-for-upstream"


def _claude_binary() -> Path:
    if CLAUDE.exists():
        return CLAUDE
    message = f"Claude Code is not installed at {CLAUDE} (.ci/run installs it)"
    if os.environ.get("CI", "").lower() in ("1", "true"):
        pytest.fail(message)
    pytest.skip(message)


def test_claude_code_headless_through_tianji_with_failover(fake, tmp_path):
    claude = _claude_binary()
    config = make_config([
        [deployment(fake, "cc-small", "anthropic")],
        [deployment(fake, "cc-medium", "anthropic")],
        [deployment(fake, "cc-anthropic-opus", "anthropic"),
         deployment(fake, "cc-bedrock-opus", "anthropic")],
    ])
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
        "ANTHROPIC_BASE_URL": "", "ANTHROPIC_API_KEY": CLIENT_KEY,
        "DISABLE_TELEMETRY": "1", "DISABLE_AUTOUPDATER": "1", "DISABLE_ERROR_REPORTING": "1",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    }
    with run_gateway(config) as gw:
        fake.set_fault("cc-anthropic-opus", Fault(FaultKind.HTTP_ERROR, status=529))
        env["ANTHROPIC_BASE_URL"] = gw.url
        done = subprocess.run(
            [str(claude), "-p", "[hard] Say hello", "--model", "claude-opus-5-5"],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "Hello from cc-bedrock-opus! This is a fake answer."
    failed = fake.calls("cc-anthropic-opus")
    assert failed and all(c.status == 529 for c in failed)
    (served,) = [c for c in fake.calls("cc-bedrock-opus") if c.status == 200]
    body = served.body
    assert body["model"] == "claude-fake-cc-bedrock-opus"
    assert body["stream"] is True
    assert {"Bash", "Read", "Edit"} <= {t["name"] for t in body["tools"]}
    assert any("cache_control" in block for block in body["system"])
    assert body["thinking"]["type"] in ("adaptive", "enabled")
    assert "context_management" in body and "metadata" in body
    headers = {k.lower(): v for k, v in served.headers.items()}
    assert "claude-code-20250219" in headers["anthropic-beta"].split(",")
    assert headers["x-api-key"] == ANTHROPIC_KEY
    assert CLIENT_KEY not in str(served.headers) and CLIENT_KEY not in str(body)
