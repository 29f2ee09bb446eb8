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


# As `router serve` builds the app (router/api/app.py app_from_env), on a config whose
# deployments all take router/direct.py's path.
_SERVE_SCRIPT = """
import json, os, sys
from starlette.testclient import TestClient
from router.api.app import app_from_env
os.environ["TIANJI_CONFIG"] = sys.argv[1]
app = app_from_env()
client = TestClient(app)
upstream = app.state.gateway.upstream
seen = {"needs": upstream.needs_litellm, "pending": upstream.preload.pending}
body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 9}
answer = client.post("/v1/chat/completions", json=body)
seen["chat"] = [answer.status_code, answer.json()["choices"][0]["message"]["content"][:9]]
stream = client.post("/v1/chat/completions", json={**body, "stream": True})
seen["stream"] = [stream.status_code, stream.text.rstrip().endswith("data: [DONE]")]
seen["readyz"] = client.get("/readyz").json()["status"]
seen["loaded"] = "litellm" in sys.modules
tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
seen["tools"] = client.post("/v1/chat/completions", json={**body, "tools": tools}).status_code
seen["loaded_after_tools"] = "litellm" in sys.modules
seen["readyz_after"] = client.get("/readyz").json()["status"]
print(json.dumps(seen))
"""


def test_a_config_of_plain_openai_wire_deployments_serves_text_without_litellm(fake, tmp_path):
    """Nothing loads litellm at start-up or for text requests; a request with tools loads it
    on first need (without taking the server out of readiness) and is served."""
    path = tmp_path / "tianji.yaml"
    path.write_text(json.dumps({"classifier": {"kind": "rules"}, "tiers": [
        {"name": "small", "deployments": [deployment(fake, "p1")]}]}))
    result = subprocess.run([sys.executable, "-c", _SERVE_SCRIPT, str(path)],
                            capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["needs"] is False and seen["pending"] is False
    assert seen["chat"] == [200, "Hello fro"] and seen["stream"] == [200, True]
    assert seen["readyz"] == "ready" and seen["loaded"] is False
    assert seen["tools"] == 200 and seen["loaded_after_tools"] is True
    assert seen["readyz_after"] == "ready"
    assert len(fake.calls("p1")) == 3


def test_a_config_with_a_deployment_that_needs_litellm_loads_it_at_start(fake, tmp_path):
    path = tmp_path / "tianji.yaml"
    path.write_text(json.dumps({"classifier": {"kind": "rules"}, "tiers": [
        {"name": "small", "deployments": [deployment(fake, "p2"),
                                          deployment(fake, "p3", wire="anthropic")]}]}))
    code = ("import json, os, sys, time\n"
            "from router.api.app import app_from_env\n"
            "os.environ['TIANJI_CONFIG'] = sys.argv[1]\n"
            "up = app_from_env().state.gateway.upstream\n"
            "seen = [up.needs_litellm, up.preload.pending]\n"
            "deadline = time.monotonic() + 60\n"
            "while up.preload.pending and time.monotonic() < deadline:\n"
            "    time.sleep(0.05)\n"
            "print(json.dumps(seen + ['litellm' in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, cwd=ROOT, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True]


def test_the_app_factory_freezes_the_heap_and_turns_the_collector_back_on(fake, tmp_path):
    """`router serve` starts with the collector off (router/cli.py); the app factory freezes
    what start-up made and turns it on, so the server runs with it, as any process does.
    Without `state.redis_url` the Redis client is never imported."""
    path = tmp_path / "tianji.yaml"
    path.write_text(json.dumps({"tiers": [{"name": "small",
                                           "deployments": [deployment(fake, "g1")]}]}))
    code = ("import gc, json, os, sys\n"
            "gc.disable()\n"
            "from router.api.app import app_from_env\n"
            "from router.startup import GEN0_THRESHOLD\n"
            "os.environ['TIANJI_CONFIG'] = sys.argv[1]\n"
            "app_from_env()\n"
            "print(json.dumps([gc.isenabled(), gc.get_freeze_count() > 50_000,\n"
            "                  gc.get_threshold()[0] == GEN0_THRESHOLD, 'redis' in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True, cwd=ROOT, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, False]


def test_built_in_commands_do_not_import_the_other_commands_modules():
    """`router serve`, `check` and `route` build only their own parsers; `router --help`
    still lists every command."""
    code = (
        "import sys, contextlib, io\n"
        "from router.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--config', 'config/default.yaml'])\n"
        "print('router.keys_cmd' in sys.modules, 'router.cascade_eval' in sys.modules)\n"
        "out = io.StringIO()\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(out):\n"
        "    main(['--help'])\n"
        "print(all(c in out.getvalue() for c in ('serve', 'train', 'keys', 'stats')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=ENV, timeout=60)
    assert result.stdout.split() == ["False", "False", "True"], result.stderr[-2000:]


def test_settling_the_heap_returns_freed_c_memory_to_the_system():
    """What start-up allocated in C and freed (the tokenizer's JSON parse) stops counting in
    the process's RSS once the heap is settled (glibc's malloc_trim; no such call on musl or
    macOS, where the step is skipped)."""
    code = (
        "import ctypes, json\n"
        "from router.startup import settle_heap\n"
        "libc = ctypes.CDLL(None)\n"
        "libc.malloc.restype = ctypes.c_void_p\n"
        "libc.free.argtypes = [ctypes.c_void_p]\n"
        "def anon_kb():\n"
        "    status = open('/proc/self/status').read().split('\\n')\n"
        "    return int(next(s for s in status if s.startswith('RssAnon')).split()[1])\n"
        "blocks = [libc.malloc(4000) for _ in range(20_000)]\n"
        "for b in blocks:\n"
        "    ctypes.memset(b, 1, 4000)\n"
        "keep = libc.malloc(4000)  # above the freed blocks: trimming the top alone frees none\n"
        "for b in blocks:\n"
        "    libc.free(b)\n"
        "before = anon_kb()\n"
        "if not hasattr(libc, 'malloc_trim'):\n"
        "    print(json.dumps(None))\n"
        "else:\n"
        "    settle_heap()\n"
        "    print(json.dumps(before - anon_kb()))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=ENV, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    released_kb = json.loads(result.stdout.strip().splitlines()[-1])
    if released_kb is None:
        return  # no malloc_trim in this C library: nothing to release
    assert released_kb > 60_000  # of the ~80 MB freed


# The app as `router serve` builds it, called as uvicorn calls it (no HTTP client library in
# the process: starlette's TestClient would import httpx).
_ASGI_SCRIPT = """
import asyncio, json, os, sys
from router.api.app import app_from_env
os.environ["TIANJI_CONFIG"] = sys.argv[1]
app = app_from_env()

async def post(body):
    pending = [{"type": "http.request", "body": json.dumps(body).encode(), "more_body": False}]
    sent = []

    async def receive():
        if pending:
            return pending.pop()
        await asyncio.Event().wait()  # the client never hangs up

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/v1/chat/completions",
             "raw_path": b"/v1/chat/completions", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"gateway"), (b"content-type", b"application/json")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return [sent[0]["status"], body.decode()]

ask = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
answer = asyncio.run(post(ask))
stream = asyncio.run(post({**ask, "stream": True}))
print(json.dumps({"answer": [answer[0], json.loads(answer[1])["object"]],
                  "stream": [stream[0], stream[1].rstrip().endswith("data: [DONE]")],
                  **{name: name in sys.modules for name in ("litellm", "httpx", "tenacity")}}))
"""


def test_text_requests_to_plain_deployments_import_no_litellm_httpx_or_tenacity(fake, tmp_path):
    """Each is imported only where a call needs it (an error, a request litellm translates, a
    retry): httpx with its command-line client (rich, pygments) is ~6 MB of RSS."""
    path = tmp_path / "tianji.yaml"
    path.write_text(json.dumps({"classifier": {"kind": "rules"}, "tiers": [
        {"name": "small", "deployments": [deployment(fake, "p2")]}]}))
    result = subprocess.run([sys.executable, "-c", _ASGI_SCRIPT, str(path)],
                            capture_output=True, text=True, cwd=ROOT, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"answer": [200, "chat.completion"], "stream": [200, True],
                    "litellm": False, "httpx": False, "tenacity": False}
    assert len(fake.calls("p2")) == 2
