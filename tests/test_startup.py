"""Start-up: the app and /healthz without litellm, litellm loaded in the background (readiness
says so), the first chat request served once it is in, and the heap frozen after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import deployment

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}

# Runs in a fresh interpreter: builds the app from $TIANJI_CONFIG as `router serve` does, and
# reports what it saw at each step as one JSON line.
_SCRIPT = """
import gc, json, sys, time
from starlette.testclient import TestClient
from router.api import create_app
from router.config import load_config
from router.startup import GEN0_THRESHOLD
app = create_app(load_config(sys.argv[1]))
client = TestClient(app)
seen = {"built": "litellm" in sys.modules, "healthz": client.get("/healthz").status_code}
seen["after_healthz"] = "litellm" in sys.modules
frozen_before = gc.get_freeze_count()
upstream = app.state.gateway.upstream
upstream.preload.start()
seen["pending"] = upstream.preload.pending
loading = upstream.preload.pending
seen["readyz_while_loading"] = client.get("/readyz").json()["status"] if loading else None
body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
seen["chat"] = client.post("/v1/chat/completions", json=body).status_code
deadline = time.monotonic() + 60
while upstream.preload.pending and time.monotonic() < deadline:
    time.sleep(0.05)
seen["readyz"] = client.get("/readyz").json()["status"]
seen["loaded"] = "litellm" in sys.modules
seen["frozen_more"] = gc.get_freeze_count() > frozen_before
seen["gen0"] = gc.get_threshold()[0] == GEN0_THRESHOLD
print(json.dumps(seen))
"""


def _run(tmp_path: Path, config_yaml: dict) -> dict:
    path = tmp_path / "tianji.yaml"
    path.write_text(json.dumps(config_yaml))
    result = subprocess.run([sys.executable, "-c", _SCRIPT, str(path)], capture_output=True,
                            text=True, cwd=ROOT, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_needs_no_litellm_and_the_first_request_waits_for_its_background_load(
    fake, tmp_path
):
    seen = _run(tmp_path, {"classifier": {"kind": "rules"},
                           "tiers": [{"name": "small", "deployments": [deployment(fake, "s1")]}]})
    assert seen["built"] is False and seen["healthz"] == 200 and seen["after_healthz"] is False
    assert seen["pending"] is True
    assert seen["readyz_while_loading"] in (None, "starting")  # None: it finished first
    assert seen["chat"] == 200
    assert seen["readyz"] == "ready" and seen["loaded"] is True
    assert seen["frozen_more"] is True and seen["gen0"] is True
    assert len(fake.calls("s1")) == 1


def test_check_does_not_import_litellm():
    code = (
        "import sys, contextlib, io\n"
        "from router.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['check', '--config', 'config/default.yaml'])\n"
        "print(rc, 'litellm' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=ENV, timeout=60)
    assert result.stdout.split() == ["0", "False"], result.stderr[-2000:]
