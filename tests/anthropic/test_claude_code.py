"""Claude Code itself (`claude -p`, the pinned npm package `.ci/run` installs) through
Tianji to the fake provider: the Anthropic API deployment of its tier fails, Claude on
Bedrock answers, streamed from InvokeModelWithResponseStream.

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
BEDROCK_OPUS = "us.anthropic.claude-opus-4-5-20251101-v1:0"
AWS_SECRET = "fake-aws-secret-for-claude-code-0123456789"


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
         {"name": "cc-bedrock-opus", "model": f"bedrock/{BEDROCK_OPUS}",
          "api_base": f"{fake.url}/d/cc-bedrock-opus", "aws_region_name": "us-east-1",
          "aws_access_key_id": "AKIAFAKECLAUDECODE01", "aws_secret_access_key": AWS_SECRET,
          "price": {"input": 5.0, "output": 25.0}}],
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
    # The Anthropic API got Claude Code's request as sent, and failed.
    failed = fake.calls("cc-anthropic-opus")
    assert failed and all(c.status == 529 for c in failed)
    native = failed[0].body
    assert native["model"] == "claude-fake-cc-anthropic-opus" and native["stream"] is True
    assert {"Bash", "Read", "Edit"} <= {t["name"] for t in native["tools"]}
    assert any("cache_control" in block for block in native["system"])
    assert native["thinking"]["type"] in ("adaptive", "enabled")
    assert "context_management" in native and "metadata" in native
    headers = {k.lower(): v for k, v in failed[0].headers.items()}
    assert "claude-code-20250219" in headers["anthropic-beta"].split(",")
    assert headers["x-api-key"] == ANTHROPIC_KEY
    # Bedrock answered: its model id, its anthropic_version, only the betas it accepts.
    (served,) = fake.calls("cc-bedrock-opus")
    assert served.path == f"/d/cc-bedrock-opus/model/{BEDROCK_OPUS}/invoke-with-response-stream"
    body = served.body
    assert body["anthropic_version"] == "bedrock-2023-05-31"
    assert {"Bash", "Read", "Edit"} <= {t["name"] for t in body["tools"]}
    assert any("cache_control" in block for block in body["system"])
    assert "thinking" in body
    assert "claude-code-20250219" not in body.get("anthropic_beta", [])
    assert set(body.get("anthropic_beta", [])) <= set(headers["anthropic-beta"].split(",")) | {
        "tool-search-tool-2025-10-19"}
    for call in (*failed, served):
        assert CLIENT_KEY not in str(call.headers) and CLIENT_KEY not in str(call.body)
    assert AWS_SECRET not in done.stdout + done.stderr
