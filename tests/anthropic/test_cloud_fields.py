"""/v1/messages fields on Claude's clouds, over HTTP: the anthropic SDK sends each field to
Tianji, litellm's Bedrock or Vertex Messages config builds the call, Tianji signs and sends
it to the fake provider, and each test reads the body that arrived. A field is kept as
sent, translated, or dropped with a `messages_fields_dropped` warning naming it (the
README's per-cloud table); JSON and streams."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.anthropic.conftest import bedrock, service_account, vertex
from tests.conftest import make_config, run_gateway

TOOL = {"name": "read_file", "description": "Read a file",
        "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}}}
SCHEMA = {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"],
          "additionalProperties": False}
CLOUDS = ("bedrock", "vertex")
# Kept as sent on both clouds.
KEPT: dict[str, Any] = {
    "temperature": 0.5, "top_p": 0.9, "top_k": 5, "stop_sequences": ["END"],
    "metadata": {"user_id": "u-1"}, "tools": [TOOL], "tool_choice": {"type": "auto"},
    "thinking": {"type": "enabled", "budget_tokens": 1024}, "safeguards": {"x": 1},
}
# Translated: (field, value, a check of the body that arrived, per cloud).
TRANSLATED: list[tuple[str, Any, Any]] = [
    ("system", "Rules.", lambda b, cloud: b["system"] == [{"type": "text", "text": "Rules."}]),
    # Claude Haiku 4.5 takes no effort: litellm asks for thinking instead.
    ("output_config", {"effort": "low"},
     lambda b, cloud: "output_config" not in b and b["thinking"]["type"] == "enabled"),
    ("output_format", {"type": "json_schema", "schema": SCHEMA},
     lambda b, cloud: (b["output_config"]["format"] if cloud == "bedrock"
                       else b["output_format"]) == {"type": "json_schema", "schema": SCHEMA}),
]
# Dropped with a warning: on Bedrock all of them, on Vertex those litellm does not send.
DROPPED = {
    "bedrock": {"service_tier": "auto", "speed": "fast", "container": "c1",
                "mcp_servers": [{"type": "url", "url": "https://mcp.example", "name": "m"}]},
    "vertex": {"service_tier": "auto", "speed": "fast"},
}


@pytest.fixture(scope="module")
def clouds(fake: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Per cloud, a gateway as shipped (it streams from the provider even when the client
    does not) and one with `stream_upstream: false` (a whole-answer call for a JSON client),
    so that both of the cloud's endpoints see every field."""
    credentials = service_account(fake, tmp_path_factory.mktemp("vertex-fields"))
    deployments = {"bedrock": lambda: bedrock(fake, "bedrock"),
                   "vertex": lambda: vertex(fake, credentials, "vertex")}
    with contextlib.ExitStack() as stack:
        yield {
            (cloud, streamed): stack.enter_context(run_gateway(make_config(
                [[dep()]], resilience={"stream_upstream": streamed})))
            for cloud, dep in deployments.items() for streamed in (False, True)
        }


def send(claude: Any, clouds: dict[Any, Any], cloud: str, stream: bool, **fields: Any) -> None:
    gw = clouds[cloud, stream]
    client = claude(gw)
    args = {"model": "haiku", "max_tokens": 2048, "messages": [{"role": "user", "content": "hi"}],
            "extra_body": fields}
    if stream:
        with client.messages.stream(**args) as events:
            assert events.get_final_message().content
    else:
        assert client.messages.create(**args).content


def arrived(fake: Any, cloud: str, stream: bool) -> dict[str, Any]:
    (call,) = fake.calls(cloud)
    assert call.status == 200 and call.stream is stream
    return call.body


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("field", KEPT)
def test_a_kept_field_arrives_as_sent(fake, clouds, claude, cloud, field, stream):
    send(claude, clouds, cloud, stream, **{field: KEPT[field]})
    assert arrived(fake, cloud, stream)[field] == KEPT[field]


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize(("field", "value", "check"), TRANSLATED,
                         ids=[f for f, _, _ in TRANSLATED])
def test_a_translated_field_arrives_in_the_clouds_terms(fake, clouds, claude, cloud, field,
                                                         value, check, stream):
    send(claude, clouds, cloud, stream, **{field: value})
    assert check(arrived(fake, cloud, stream), cloud)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_field_the_cloud_does_not_take_is_dropped_with_a_warning(fake, clouds, claude,
                                                                   request, cloud, stream):
    log_lines = request.getfixturevalue("log_lines")
    send(claude, clouds, cloud, stream, **DROPPED[cloud])
    body = arrived(fake, cloud, stream)
    assert not set(DROPPED[cloud]) & set(body)
    (line,) = [json.loads(x) for x in log_lines if "messages_fields_dropped" in x]
    assert line["provider"] == ("bedrock" if cloud == "bedrock" else "vertex_ai")
    assert set(DROPPED[cloud]) <= set(line["fields"])
