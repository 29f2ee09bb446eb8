"""The openai Node SDK (the pinned npm package `.ci/run` installs in .tools/openai-node)
against /v1/responses: create, both ways of streaming, a 400 and a broken stream.

Skipped when node or the package is absent outside CI (install it with `.ci/run`, or point
$TIANJI_OPENAI_NODE at an `openai` package directory); in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.node_sdk import run_node_client
from tests.responses.conftest import answer_text

CLIENT = Path(__file__).with_name("node_client.mjs")
TEXT_EVENTS = ["response.created", "response.in_progress", "response.output_item.added",
               "response.content_part.added", *["response.output_text.delta"] * 8,
               "response.output_text.done", "response.content_part.done",
               "response.output_item.done", "response.completed"]


def node_client(gw: Any, scenario: str) -> dict[str, Any]:
    return run_node_client(CLIENT, gw, scenario)


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_node_sdk_create(fake, gateways, wire):
    result = node_client(gateways(wire), "create")
    assert result["ok"], result
    assert result["text"] == answer_text("a") and result["status"] == "completed"
    assert result["id"].startswith("resp_") and result["usage"]["output_tokens"] == 8
    body = fake.calls("a")[-1].body
    system = body["messages"][0]["content"] if wire == "openai" else body["system"]
    assert "Be brief." in json.dumps(system)


def test_node_sdk_stream_helper_and_final_response(fake, gateways):
    result = node_client(gateways("anthropic"), "stream")
    assert result["ok"], result
    assert result["types"] == TEXT_EVENTS
    assert result["deltas"] == result["text"] == answer_text("a")


def test_node_sdk_stream_true(fake, gateways):
    result = node_client(gateways("openai"), "stream-true")
    assert result["ok"], result
    assert result["types"] == TEXT_EVENTS


def test_node_sdk_gets_a_bad_request_for_store_true(fake, gateways):
    result = node_client(gateways("openai"), "store")
    assert not result["ok"] and result["name"] == "BadRequestError" and result["status"] == 400
    assert result["error"]["param"] == "store"
    assert result["error"]["code"] == "unsupported_parameter"


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_node_sdk_throws_on_a_broken_stream(fake, gateways, wire):
    fake.set_fault("a", Fault(FaultKind.STREAM_CUT, after_chunks=4))
    result = node_client(gateways(wire), "interrupted")
    assert not result["ok"] and result["name"] == "APIError", result
    assert result["error"]["code"] == "stream_interrupted"
