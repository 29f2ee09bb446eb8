"""The `router` command as an operator runs it: check, route, and serve in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import openai
import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import free_port
from tests.waiting import stop_serving, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = str(ROOT / "config" / "default.yaml")
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if not k.endswith(("_API_KEY", "_SECRET_ACCESS_KEY", "_ACCESS_KEY_ID"))
             and k not in ("GOOGLE_APPLICATION_CREDENTIALS", "VERTEXAI_PROJECT", "TIANJI_CONFIG")}


def router(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "router.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env or CLEAN_ENV, timeout=120)


def test_check_lists_tiers_and_missing_credentials_and_exits_zero():
    result = router("check", "--config", DEFAULT)
    assert result.returncode == 0, result.stderr
    assert "tier small (aliases: haiku)" in result.stdout
    assert "MISSING ANTHROPIC_API_KEY" in result.stdout
    assert "MISSING AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY" in result.stdout


def test_check_rejects_an_invalid_config_naming_the_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tiers:\n  - name: a\n    deployments: [{api_key: x}]\n")
    result = router("check", "--config", str(bad))
    assert result.returncode == 2
    assert "tiers.0.deployments.0.model: Field required" in result.stderr


def test_check_lists_embeddings_with_price_window_and_credentials(tmp_path):
    config = tmp_path / "embed.yaml"
    config.write_text(
        "tiers:\n  - name: small\n    deployments: [{model: openai/gpt-4o-mini, api_key: k}]\n"
        "embeddings:\n"
        "  - {model: openai/text-embedding-3-small, api_key: '${OPENAI_EMBED_KEY}'}\n"
        "  - {model: openai/local-embedder, name: local, api_base: 'http://127.0.0.1:9/v1',"
        " price: {input: 0.01}}\n")
    result = router("check", "--config", str(config))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "embeddings (model names: embeddings, text-embedding-3-small," in out
    assert ("$0.02 per 1M input tokens; 8,191 tokens\n"
            "    credentials: MISSING OPENAI_EMBED_KEY") in out
    assert "local                  openai/local-embedder" in out
    assert "$0.01 per 1M input tokens; window unknown\n    credentials: ready" in out
    none = tmp_path / "none.yaml"
    none.write_text("tiers:\n  - name: small\n    deployments: [{model: openai/gpt-4o-mini}]\n")
    assert "embeddings: none configured" in router("check", "--config", str(none)).stdout


def test_route_prints_the_decision_offline_without_importing_litellm():
    code = (
        "import sys, json, io, contextlib\n"
        "from router.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    rc = main(['route', '--config', {DEFAULT!r}, 'Prove Fermat little theorem'])\n"
        "assert rc == 0\n"
        "print(json.dumps({'decision': json.loads(out.getvalue()),"
        " 'litellm': 'litellm' in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=CLEAN_ENV, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["litellm"] is False
    assert report["decision"]["tier"] in ("small", "medium", "large")
    assert 0 <= report["decision"]["difficulty"] <= 1
    assert report["decision"]["signals"]


class Served:
    def __init__(self, config: str, env: dict, cwd: str | os.PathLike = ROOT) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "router.cli", "serve", "--config", config,
             "--port", str(self.port)],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_until_serving(self.url, self.proc, self.stop, timeout=60)

    def stop(self) -> str:
        stop_serving(self.proc)
        out, err = self.proc.communicate()
        return out + err


def test_serve_default_config_starts_without_credentials_and_names_what_is_missing():
    server = Served(DEFAULT, CLEAN_ENV)
    try:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.APIStatusError) as info:
            client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": "hello"}])
        ready = httpx.get(server.url + "/readyz")
    finally:
        logs = server.stop()
    assert info.value.status_code == 503
    message = info.value.body["message"]
    assert "ANTHROPIC_API_KEY" in message and "AWS_ACCESS_KEY_ID" in message
    assert info.value.body["code"] == "missing_credentials"
    assert ready.status_code == 503
    assert "deployment anthropic-haiku (tier small) lacks credentials: ANTHROPIC_API_KEY" in logs
    assert "accepts requests without a key" in logs


def test_serve_names_what_embeddings_deployments_lack_and_answers_503():
    server = Served(str(ROOT / "config" / "example.yaml"), CLEAN_ENV)
    try:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.APIStatusError) as info:
            client.embeddings.create(model="text-embedding-3-small", input="hello")
    finally:
        logs = server.stop()
    assert info.value.status_code == 503
    assert info.value.body["code"] == "missing_credentials"
    assert info.value.body["message"] == (
        "No embeddings deployment has credentials: set AZURE_API_BASE, AZURE_API_KEY, "
        "OPENAI_API_KEY.")
    assert "deployment openai-embed (tier embeddings) lacks credentials: OPENAI_API_KEY" in logs


def test_serve_logs_one_line_per_request_and_never_the_provider_key(fake, tmp_path):
    secret = "sk-live-SECRET-do-not-log-9f8e7d6c5b4a"
    config = tmp_path / "tianji.yaml"
    config.write_text(
        "server:\n  api_keys: ['${GATEWAY_KEY}']\n"
        "classifier: {kind: rules}\n"
        "tiers:\n  - name: small\n    deployments:\n"
        f"      - {{name: a, model: openai/gpt-x, api_base: '{fake.openai_base('a')}',"
        " api_key: '${FAKE_PROVIDER_KEY}'}\n"
        f"      - {{name: b, model: openai/gpt-y, api_base: '{fake.openai_base('b')}',"
        " api_key: '${FAKE_PROVIDER_KEY}'}\n")
    env = {**CLEAN_ENV, "FAKE_PROVIDER_KEY": secret, "GATEWAY_KEY": "gw-key-123456"}
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=401))
    server = Served(str(config), env)
    try:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="gw-key-123456", max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "say hi"}])
        bad = httpx.post(server.url + "/v1/chat/completions", json={"model": "auto"},
                         headers={"authorization": "Bearer wrong"})
    finally:
        logs = server.stop()
    assert raw.headers["x-tianji-provider"] == "b"
    assert bad.status_code == 401
    assert fake.calls("a")[0].headers["authorization"] == f"Bearer {secret}"
    assert secret not in logs and secret not in raw.text
    assert "gw-key-123456" not in logs
    requests = [json.loads(line) for line in logs.splitlines()
                if line.startswith('{"event": "request"')]
    # The refused request gets its line too, after the answered one.
    assert [(r["status"], r["error_code"]) for r in requests] == [(200, None),
                                                                  (401, "invalid_api_key")]
    assert requests[0]["deployment"] == "b" and requests[0]["attempts"] == 2
    assert requests[1]["key_id"].startswith("key-") and "Bearer wrong" not in logs
    assert "say hi" not in logs  # no prompt text by default


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--loo", "--cv", "5"), "not both"),
        (("--cv", "1"), "at least 2 folds"),
        (("--seed", "1"), "needs --cv K"),
        (("--seed", "1", "--loo"), "needs --cv K"),
        (("--cv", "5", "--weak", "a", "--strong", "b"), "fixes pairs"),
    ],
)
def test_eval_rejects_held_out_flags_that_do_not_go_together(args, message):
    result = router("eval", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
