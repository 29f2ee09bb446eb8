"""A model litellm's table does not know is assumed to take text only: requests with tools,
images or JSON mode skip it (or get a 400 naming the capability when nothing in reach takes
them) unless `supports:` in the config says otherwise; `router check` says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openai
import pytest

from tests.conftest import deployment, make_config, run_gateway

ROOT = Path(__file__).resolve().parents[2]
TOOLS = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
IMAGE = [{"role": "user", "content": [
    {"type": "text", "text": "what is this?"},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]
HI = [{"role": "user", "content": "hi"}]
NEEDS = {
    "tools": {"messages": HI, "tools": TOOLS},
    "vision": {"messages": IMAGE},
    "json": {"messages": HI, "response_format": {"type": "json_object"}},
}


@pytest.fixture(scope="module")
def gw(fake):
    # "local" is unknown to litellm and declares nothing; "declared" lists what it takes.
    config = make_config([[deployment(fake, "local", supports=None),
                           deployment(fake, "declared", supports=["tools", "vision", "json"])]])
    with run_gateway(config) as gateway:
        yield gateway


@pytest.fixture(scope="module")
def local_only(fake):
    with run_gateway(make_config([[deployment(fake, "solo", supports=None)]])) as gateway:
        yield gateway


def test_plain_text_goes_to_the_unknown_model(fake, gw):
    raw = gw.client.chat.completions.with_raw_response.create(model="small", messages=HI)
    assert raw.headers["x-tianji-provider"] == "local"


@pytest.mark.parametrize("capability", list(NEEDS))
def test_a_request_needing_a_capability_skips_the_text_only_model(fake, gw, capability):
    raw = gw.client.chat.completions.with_raw_response.create(model="small", **NEEDS[capability])
    assert raw.headers["x-tianji-provider"] == "declared"
    assert fake.calls("local") == []


@pytest.mark.parametrize("capability", list(NEEDS))
def test_with_only_text_only_models_in_reach_it_is_a_400_naming_the_capability(
        fake, local_only, capability):
    with pytest.raises(openai.BadRequestError) as caught:
        local_only.client.chat.completions.create(model="small", **NEEDS[capability])
    error = caught.value.body
    assert error["code"] == "unsupported_capability"
    assert error["message"] == (
        "no deployment up to tier 'small' can take this request: solo: does not support "
        f"{capability} (assumed text-only: not in litellm's table, no `supports:`)")
    assert fake.calls("solo") == []


def test_router_check_names_the_deployments_assumed_text_only(tmp_path):
    config = tmp_path / "tianji.yaml"
    config.write_text(
        "tiers:\n"
        "  - name: small\n"
        "    deployments:\n"
        "      - {name: local-llama, model: openai/llama-in-house, api_base: "
        "'http://127.0.0.1:1/v1', api_key: k}\n"
        "      - {name: declared, model: openai/other-in-house, api_base: "
        "'http://127.0.0.1:1/v1', api_key: k, supports: [tools]}\n"
        "      - {name: known, model: openai/gpt-4.1, api_key: k}\n")
    result = subprocess.run([sys.executable, "-m", "router.cli", "check", "--config",
                             str(config)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    local = lines.index(next(line for line in lines if "local-llama" in line))
    assert "supports text only (assumed: the model is not in litellm's table" in lines[local + 1]
    assert "supports tools;" not in lines[local + 1]
    assert lines[-1] == ("assumed text-only (no tools, images or JSON mode sent to them): "
                         "local-llama; set `supports: [tools, vision, json]` as they apply")
