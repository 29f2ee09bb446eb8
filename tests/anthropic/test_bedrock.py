"""Claude on Bedrock (and Vertex) through the Anthropic front door, built by litellm's
Messages config and sent by Tianji: SigV4-signed InvokeModel with Bedrock's model id,
`anthropic_version` in the body, only the betas and fields Bedrock accepts (the rest
logged), and streams that are streams: InvokeModelWithResponseStream's event frames
reach the client as they arrive, with the stream commit point, stall limits and
mid-stream failures of every other wire."""

from __future__ import annotations

import json

import anthropic
import pytest

from router.fakeprovider import Fault, FaultKind
from tests.anthropic.conftest import AWS_KEY_ID, AWS_SECRET, BEDROCK_HAIKU, bedrock, vertex
from tests.conftest import make_config, run_gateway
from tests.waiting import wait_for

INVOKE = f"/d/bedrock-haiku/model/{BEDROCK_HAIKU}/invoke"
ANSWER = "Hello from {}! This is a fake answer."
VERSION = {"anthropic-version": "2023-06-01"}


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_bedrock_gets_the_messages_body_signed_with_its_model_id(fake, claude):
    system = [{"type": "text", "text": "Rules.", "cache_control": {"type": "ephemeral"}}]
    with run_gateway(make_config([[bedrock(fake, "bedrock-haiku")]])) as gw:
        raw = claude(gw, api_key="client-key").messages.with_raw_response.create(
            model="claude-haiku-4-5", max_tokens=64, system=system,
            messages=user("hi"), metadata={"user_id": "u-1"},
            extra_headers={"anthropic-beta": "claude-code-20250219,"
                                             "context-management-2025-06-27"})
        assert raw.parse().content[0].text == ANSWER.format("bedrock-haiku")
        assert raw.headers["x-tianji-provider"] == "bedrock-haiku"
        assert AWS_SECRET not in raw.http_response.text
    (call,) = fake.calls("bedrock-haiku")
    # A non-streamed request is streamed from the provider (stream_upstream: stalls show).
    assert call.path == f"{INVOKE}-with-response-stream"
    assert call.body["anthropic_version"] == "bedrock-2023-05-31"
    assert "model" not in call.body
    assert call.body["system"] == system and call.body["metadata"] == {"user_id": "u-1"}
    # claude-code-20250219 is not a Bedrock beta: dropped rather than failing the call.
    assert call.body["anthropic_beta"] == ["context-management-2025-06-27"]
    headers = {k.lower(): v for k, v in call.headers.items()}
    assert headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={AWS_KEY_ID}/")
    assert "client-key" not in str(call.headers)


def test_a_bedrock_stream_is_streamed_event_by_event(fake, claude):
    fake.configure("bedrock-haiku", chunk_delay=0.2)
    with run_gateway(make_config([[bedrock(fake, "bedrock-haiku")]])) as gw, \
            claude(gw).messages.stream(
                model="haiku", max_tokens=64, messages=user("hi"),
                thinking={"type": "enabled", "budget_tokens": 1024}) as stream:
        for event in stream:
            if event.type == "thinking":
                # The thinking reaches the client while Bedrock is still sending the rest.
                (call,) = fake.calls("bedrock-haiku")
                assert not call.completed
                break
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[1].text == ANSWER.format("bedrock-haiku")
    assert final.usage.output_tokens == 8 and final.usage.input_tokens > 0
    (call,) = fake.calls("bedrock-haiku")
    assert call.path == f"{INVOKE}-with-response-stream"
    assert call.body["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assert "stream" not in call.body


@pytest.fixture
def two_clouds(fake, vertex_credentials):
    """Tier small: Bedrock, then Vertex; stall limits of 1.5 s (the first Vertex call of a
    process loads google-auth and fetches a token inside its limit; a stall lasts 5 s)."""
    config = make_config(
        [[bedrock(fake, "bedrock-haiku"), vertex(fake, vertex_credentials, "vertex-haiku")]],
        resilience={"first_token_timeout_s": 1.5, "idle_timeout_s": 1.5})
    with run_gateway(config) as gateway:
        yield gateway


def test_bedrock_stalling_before_its_first_event_falls_over_to_vertex(two_clouds, fake,
                                                                      claude):
    fake.set_fault("bedrock-haiku", Fault(FaultKind.HEADERS_STALL, delay=5))
    with claude(two_clouds).messages.stream(model="haiku", max_tokens=64,
                                            messages=user("hi")) as stream:
        assert stream.get_final_text() == ANSWER.format("vertex-haiku")
    (stalled,) = fake.calls("bedrock-haiku")
    wait_for(lambda: stalled.completed, "the stalled call to end")
    assert stalled.disconnected  # left at first_token_timeout_s, not after its 5 s


def test_vertex_stalling_too_leaves_nothing_to_answer(two_clouds, fake, claude):
    fake.set_fault("bedrock-haiku", Fault(FaultKind.HTTP_ERROR, status=503))
    fake.set_fault("vertex-haiku", Fault(FaultKind.HEADERS_STALL, delay=5))
    with pytest.raises(anthropic.APIStatusError) as err, claude(two_clouds).messages.stream(
            model="haiku", max_tokens=64, messages=user("hi")) as stream:
        stream.get_final_message()
    assert err.value.status_code == 529 and "first_token_timeout_s" in str(err.value)


@pytest.mark.parametrize("dep", ["bedrock-haiku", "vertex-haiku"])
@pytest.mark.parametrize("fault", [
    Fault(FaultKind.STREAM_CUT, after_chunks=3),
    Fault(FaultKind.STREAM_STALL, after_chunks=3, delay=5),
    Fault(FaultKind.MALFORMED_CHUNK, after_chunks=3),
], ids=["cut", "idle-stall", "malformed"])
def test_a_failure_after_the_first_event_ends_with_an_error_event(two_clouds, fake, claude,
                                                                  dep, fault):
    if dep == "vertex-haiku":
        fake.set_fault("bedrock-haiku", Fault(FaultKind.HTTP_ERROR, status=503))
    fake.set_fault(dep, fault)
    response = two_clouds.http.post("/v1/messages", headers=VERSION, json={
        "model": "haiku", "max_tokens": 64, "stream": True, "messages": user("hi")})
    assert response.status_code == 200
    assert response.headers["x-tianji-provider"] == dep
    events = [line[7:] for line in response.text.splitlines() if line.startswith("event: ")]
    assert events[0] == "message_start" and events[-1] == "error"
    assert "message_stop" not in events
    with pytest.raises(anthropic.APIStatusError), claude(two_clouds).messages.stream(
            model="haiku", max_tokens=64, messages=user("hi")) as stream:
        stream.get_final_message()


def test_fields_bedrock_does_not_take_are_dropped_with_a_warning(fake, claude, request):
    context = {"edits": [{"type": "clear_thinking_20251015"},
                         {"type": "clear_tool_uses_20250919"}]}
    with run_gateway(make_config([[bedrock(fake, "bedrock-haiku")]])) as gw:
        log_lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
        message = claude(gw).messages.create(
            model="haiku", max_tokens=64, messages=user("hi"),
            extra_body={"context_management": context, "output_config": {"effort": "low"},
                        "service_tier": "auto", "brand_new_field": {"x": 1}})
    assert message.content[0].text == ANSWER.format("bedrock-haiku")
    (call,) = fake.calls("bedrock-haiku")
    assert call.body["context_management"] == {"edits": [{"type": "clear_tool_uses_20250919"}]}
    assert "context-management-2025-06-27" in call.body["anthropic_beta"]
    for field in ("service_tier", "brand_new_field"):
        assert field not in call.body
    (line,) = [json.loads(x) for x in log_lines if "messages_fields_dropped" in x]
    assert line["provider"] == "bedrock" and line["model"] == BEDROCK_HAIKU
    assert {"service_tier", "brand_new_field",
            "context_management.edits[clear_thinking_20251015]"} <= set(line["fields"])
    assert "context_management" not in line["fields"]


TOOL = {"name": "read_file", "description": "Read a file",
        "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}}}


@pytest.mark.parametrize("dep", ["bedrock-haiku", "vertex-haiku"])
def test_tool_use_and_thinking_history_stream_through_either_cloud(two_clouds, fake, claude,
                                                                  dep):
    """A tool call streamed back as input_json_delta, and a conversation carrying an earlier
    thinking block with its signature, which reaches the cloud as sent."""
    if dep == "vertex-haiku":
        fake.set_fault("bedrock-haiku", Fault(FaultKind.HTTP_ERROR, status=503))
    thinking = {"type": "thinking", "thinking": "Read it first.", "signature": "sig-abc"}
    history = [{"role": "user", "content": "Read main.py"},
               {"role": "assistant", "content": [thinking, {"type": "text", "text": "OK."}]},
               {"role": "user", "content": "Now read it."}]
    with claude(two_clouds).messages.stream(
            model="haiku", max_tokens=2048, messages=history, tools=[TOOL],
            tool_choice={"type": "any"},
            thinking={"type": "enabled", "budget_tokens": 1024}) as stream:
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "tool_use"]
    assert final.content[1].name == "read_file" and final.stop_reason == "tool_use"
    (call,) = [c for c in fake.calls(dep) if c.status == 200]
    assert call.body["messages"][1]["content"][0] == thinking
    assert call.body["tools"][0]["name"] == "read_file"
