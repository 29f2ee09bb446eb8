"""The openai Node SDK (the pinned npm package `.ci/run` installs in .tools/openai-node)
against /v1/chat/completions on both wires: an answer, a stream with its usage chunk, JSON
mode on Claude and a parameter only the OpenAI wire honours.

Skipped when node or the package is absent outside CI (install it with `.ci/run`, or point
$TIANJI_OPENAI_NODE at an `openai` package directory); in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import deployment, make_config, run_gateway
from tests.node_sdk import run_node_client

CLIENT = Path(__file__).with_name("node_chat_client.mjs")


def node_client(gw: Any, scenario: str) -> dict[str, Any]:
    return run_node_client(CLIENT, gw, scenario)


@pytest.fixture(scope="module")
def gateways(fake):
    """Per wire, a gateway whose one tier has a deployment `d` on that wire."""
    with run_gateway(make_config([[deployment(fake, "d", "openai")]])) as openai_gw, \
            run_gateway(make_config([[deployment(fake, "d", "anthropic")]])) as claude_gw:
        yield {"openai": openai_gw, "anthropic": claude_gw}


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_node_sdk_create(fake, gateways, wire):
    result = node_client(gateways[wire], "create")
    assert result == {"ok": True, "text": "Hello from d! This is a fake answer.", "provider": "d"}
    body = fake.calls("d")[-1].body
    assert (body["user"] if wire == "openai" else body["metadata"]["user_id"]) == "user-42"


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_node_sdk_stream_ends_with_a_usage_chunk_without_choices(fake, gateways, wire):
    result = node_client(gateways[wire], "stream")
    assert result["ok"], result
    assert result["text"] == "Hello from d! This is a fake answer."
    assert result["lastChoices"] == [] and result["usage"]["completion_tokens"] == 8


def test_node_sdk_json_mode_on_claude(fake, gateways):
    result = node_client(gateways["anthropic"], "json")
    assert result["ok"], result
    assert json.loads(result["content"]) == {}


def test_node_sdk_gets_a_400_naming_n_when_only_claude_is_in_reach(fake, gateways):
    result = node_client(gateways["anthropic"], "n")
    assert result["ok"] is False and result["name"] == "BadRequestError"
    assert result["status"] == 400
    assert result["error"]["param"] == "n" and result["error"]["code"] == "unsupported_parameter"
    assert fake.calls("d") == []
