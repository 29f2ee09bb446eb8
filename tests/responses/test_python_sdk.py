"""POST /v1/responses with the official openai Python SDK, against fake providers on both
wires: answers, streams, tools, structured output, reasoning, the shared request path
(routing, fallback, headers, log) and the errors."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from pydantic import BaseModel

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import assert_openai_error, log_records, parse_sse
from tests.gateway.test_metrics import metric
from tests.responses.conftest import WIRES, answer_text

wires = pytest.mark.parametrize("wire", WIRES)
WEATHER = {"type": "function", "name": "get_weather", "description": "The weather in a city.",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                          "required": ["city"]}}


def sent(fake: Any, dep_id: str) -> dict[str, Any]:
    """The body the deployment last received."""
    return fake.calls(dep_id)[-1].body


def text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content)


@wires
def test_create_answers_with_a_response_object_and_the_tianji_headers(fake, gateways, wire):
    gw = gateways(wire)
    raw = gw.client.responses.with_raw_response.create(
        model="auto", input="Say hello", instructions="Answer in one line.")
    response = raw.parse()
    assert response.object == "response" and response.status == "completed"
    assert response.id.startswith("resp_")
    assert response.output_text == answer_text("a")
    assert response.store is False and response.instructions == "Answer in one line."
    assert response.usage.output_tokens == 8 and response.usage.input_tokens > 0
    assert response.usage.input_tokens_details.cached_tokens == 0
    headers = raw.headers
    assert headers["x-tianji-provider"] == "a" and headers["x-tianji-tier"] == "small"
    assert headers["x-tianji-attempts"] == "1" and float(headers["x-tianji-cost-usd"]) > 0
    body = sent(fake, "a")
    if wire == "openai":
        assert body["messages"] == [{"role": "system", "content": "Answer in one line."},
                                    {"role": "user", "content": "Say hello"}]
    else:
        assert text_of(body["system"]) == "Answer in one line."
        assert text_of(body["messages"][0]["content"]) == "Say hello"


def test_input_items_become_the_conversation_in_order(fake, gateways):
    gw = gateways("openai")
    gw.client.responses.create(model="auto", input=[
        {"role": "developer", "content": "Be terse."},
        {"role": "user", "content": [{"type": "input_text", "text": "What is 2+2?"}]},
        {"type": "message", "role": "assistant",
         "content": [{"type": "output_text", "text": "4"}]},
        {"role": "user", "content": [
            {"type": "input_text", "text": "And this?"},
            {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo="}]},
    ])
    messages = sent(fake, "a")["messages"]
    # litellm sends a developer turn as a system one to a model it does not know.
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert text_of(messages[0]["content"]) == "Be terse."
    assert text_of(messages[1]["content"]) == "What is 2+2?"
    assert text_of(messages[2]["content"]) == "4"
    image = messages[3]["content"][1]
    assert image["type"] == "image_url"
    assert image["image_url"]["url"] == "data:image/png;base64,iVBORw0KGgo="


def test_sampling_and_output_limits_reach_the_provider(fake, gateways):
    gw = gateways("openai")
    response = gw.client.responses.create(
        model="auto", input="Say hello", max_output_tokens=50, temperature=0.3, top_p=0.9,
        metadata={"team": "docs"}, prompt_cache_key="docs-bot", user="user-42")
    body = sent(fake, "a")
    assert body["max_tokens"] == 50 and body["temperature"] == 0.3 and body["top_p"] == 0.9
    assert body["user"] == "user-42"
    assert body["prompt_cache_key"] == "docs-bot"
    assert "metadata" not in body  # the response's own metadata, echoed, not a model input
    assert response.metadata == {"team": "docs"} and response.max_output_tokens == 50


@wires
def test_stream_events_in_the_responses_shape(fake, gateways, wire):
    gw = gateways(wire)
    with gw.client.responses.stream(model="auto", input="Say hello") as stream:
        events = list(stream)
        final = stream.get_final_response()
    kinds = [e.type for e in events]
    assert kinds[:4] == ["response.created", "response.in_progress",
                         "response.output_item.added", "response.content_part.added"]
    assert kinds[-4:] == ["response.output_text.done", "response.content_part.done",
                          "response.output_item.done", "response.completed"]
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert "".join(deltas) == answer_text("a") and len(deltas) == 8
    assert [e.sequence_number for e in events] == list(range(len(events)))
    ids = {e.response.id for e in events if hasattr(e, "response")}
    assert ids == {final.id}
    assert final.output_text == answer_text("a") and final.usage.output_tokens == 8


def test_stream_true_carries_the_headers_and_ends_with_response_completed(fake, gateways):
    gw = gateways("anthropic")
    with gw.http.stream("POST", "/v1/responses",
                        json={"model": "auto", "input": "Say hello", "stream": True}) as r:
        raw = r.read()
        headers = r.headers
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["x-tianji-provider"] == "a" and headers["x-tianji-tier"] == "small"
    blocks = [b for b in raw.decode().split("\n\n") if b]
    assert all(b.startswith("event: ") for b in blocks)
    events = parse_sse(raw)
    assert [b.split("\n")[0][7:] for b in blocks] == [e["type"] for e in events]
    assert events[-1]["type"] == "response.completed"
    assert events[-1]["response"]["output"][0]["content"][0]["text"] == answer_text("a")
    sdk_events = list(gw.client.responses.create(model="auto", input="Say hello", stream=True))
    assert [e.type for e in sdk_events] == [e["type"] for e in events]


@wires
def test_function_call_and_its_output_round_trip(fake, gateways, wire):
    gw = gateways(wire)
    question = f"Weather in Paris? ({wire} tools)"
    first = gw.client.responses.create(model="auto", input=question, tools=[WEATHER],
                                       tool_choice="required")
    [call] = first.output
    assert call.type == "function_call" and call.name == "get_weather"
    assert json.loads(call.arguments) == {} and call.call_id
    second = gw.client.responses.create(model="auto", tools=[WEATHER], input=[
        {"role": "user", "content": question},
        call.model_dump(exclude_none=True),
        {"type": "function_call_output", "call_id": call.call_id, "output": "Sunny, 21 C"},
    ])
    assert second.output_text == answer_text("a")
    body = sent(fake, "a")
    if wire == "openai":
        assistant, result = body["messages"][1], body["messages"][2]
        assert assistant["tool_calls"][0]["id"] == call.call_id
        assert assistant["tool_calls"][0]["function"]["name"] == "get_weather"
        assert result == {"role": "tool", "content": "Sunny, 21 C", "tool_call_id": call.call_id}
        assert body["tools"][0]["function"]["name"] == "get_weather"
    else:
        tool_use = body["messages"][1]["content"][0]
        tool_result = body["messages"][2]["content"][0]
        assert tool_use["type"] == "tool_use" and tool_use["id"] == call.call_id
        assert tool_result["type"] == "tool_result" and tool_result["tool_use_id"] == call.call_id
        assert text_of(tool_result["content"]) == "Sunny, 21 C"
        assert body["tools"][0]["name"] == "get_weather"


@wires
def test_a_streamed_function_call(fake, gateways, wire):
    gw = gateways(wire)
    with gw.client.responses.stream(model="auto", input="Weather in Rome?", tools=[WEATHER],
                                    tool_choice={"type": "function", "name": "get_weather"}
                                    ) as stream:
        kinds = [e.type for e in stream]
        final = stream.get_final_response()
    [call] = [item for item in final.output if item.type == "function_call"]
    assert call.name == "get_weather" and json.loads(call.arguments) == {}
    assert "response.function_call_arguments.done" in kinds
    assert kinds[-1] == "response.completed"


class City(BaseModel):
    city: str


def test_text_format_json_schema_is_structured_output_on_the_openai_wire(fake, gateways):
    gw = gateways("openai")
    fake.configure("a", text='{{"city": "Paris"}}')  # a format string: braces doubled
    parsed = gw.client.responses.parse(model="auto", input="Where is the Louvre?",
                                       text_format=City)
    assert parsed.output_parsed == City(city="Paris")
    response_format = sent(fake, "a")["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "City"
    assert response_format["json_schema"]["schema"]["required"] == ["city"]


def test_text_format_json_schema_on_the_anthropic_wire_forces_a_json_tool(fake, gateways):
    gw = gateways("anthropic")
    schema = {"type": "object", "properties": {"city": {"type": "string"}}}
    response = gw.client.responses.create(model="auto", input="Where is the Louvre?", text={
        "format": {"type": "json_schema", "name": "place", "schema": schema, "strict": True}})
    assert json.loads(response.output_text) == {}  # the fake's forced tool call: arguments {}
    body = sent(fake, "a")
    assert body["tools"][0]["input_schema"] == schema
    assert body["tool_choice"] == {"type": "tool", "name": body["tools"][0]["name"]}
    assert response.text.format.type == "json_schema"


def test_text_format_json_object(fake, gateways):
    gw = gateways("openai")
    fake.configure("a", text='{{"ok": true}}')
    response = gw.client.responses.create(model="auto", input="Reply in JSON.",
                                          text={"format": {"type": "json_object"}})
    assert json.loads(response.output_text) == {"ok": True}
    assert sent(fake, "a")["response_format"] == {"type": "json_object"}


def test_reasoning_becomes_thinking_and_its_signed_item_goes_back(fake, gateways):
    gw = gateways("claude")
    question = "Think about 17 * 23."
    first = gw.client.responses.create(
        model="auto", input=question, reasoning={"effort": "low", "summary": "auto"},
        max_output_tokens=4000, include=["reasoning.encrypted_content"])
    assert sent(fake, "c")["thinking"]["type"] == "enabled"
    reasoning, message = first.output
    assert reasoning.type == "reasoning" and reasoning.encrypted_content
    assert reasoning.summary[0].type == "summary_text" and reasoning.summary[0].text
    assert message.content[0].text == answer_text("c")
    gw.client.responses.create(
        model="auto", reasoning={"effort": "low"}, max_output_tokens=4000,
        input=[{"role": "user", "content": question},
               *[item.model_dump(exclude_none=True) for item in first.output],
               {"role": "user", "content": "Now check it."}])
    thinking = sent(fake, "c")["messages"][1]["content"][0]
    assert thinking["type"] == "thinking"
    assert thinking["signature"] and thinking["thinking"] == reasoning.summary[0].text


def test_reasoning_streams_as_a_reasoning_item_before_the_message(fake, gateways):
    gw = gateways("claude")
    with gw.client.responses.stream(model="auto", input="Think twice.", max_output_tokens=4000,
                                    reasoning={"effort": "low", "summary": "auto"}) as stream:
        kinds = [e.type for e in stream]
        final = stream.get_final_response()
    assert kinds.index("response.reasoning_summary_text.delta") < kinds.index(
        "response.output_text.delta")
    assert [item.type for item in final.output] == ["reasoning", "message"]


def test_routing_picks_the_tier_and_falls_over_then_escalates(fake, gateways):
    gw = gateways("tiers")
    hard = gw.client.responses.with_raw_response.create(model="auto", input="[hard] Prove it.")
    assert hard.headers["x-tianji-tier"] == "large" and hard.headers["x-tianji-provider"] == "l1"
    pinned = gw.client.responses.with_raw_response.create(model="sonnet", input="Hi")
    assert pinned.headers["x-tianji-tier"] == "medium"
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=503))
    fake.set_fault("s2", Fault(FaultKind.HTTP_ERROR, status=503))
    raw = gw.client.responses.with_raw_response.create(model="auto", input="Easy one")
    assert raw.headers["x-tianji-provider"] == "m1" and raw.headers["x-tianji-tier"] == "medium"
    assert raw.parse().output_text == answer_text("m1")
    assert int(raw.headers["x-tianji-attempts"]) >= 3


@wires
def test_a_stream_falls_over_before_its_first_event(fake, gateways, wire):
    gw = gateways(wire)
    fake.set_fault("a", Fault(FaultKind.STREAM_CUT, after_chunks=0))
    with gw.client.responses.stream(model="auto", input="Say hello") as stream:
        final = stream.get_final_response()
    assert final.output_text == answer_text("b")


@wires
def test_a_stream_that_breaks_after_its_first_event_ends_with_error_and_failed(
    fake, gateways, wire
):
    gw = gateways(wire)
    fake.set_fault("a", Fault(FaultKind.STREAM_CUT, after_chunks=4))
    with gw.http.stream("POST", "/v1/responses",
                        json={"model": "auto", "input": "Say hello", "stream": True}) as r:
        events = parse_sse(r.read())
    kinds = [e["type"] for e in events]
    assert kinds[0] == "response.created" and kinds[-2:] == ["error", "response.failed"]
    assert "response.completed" not in kinds
    error = events[-2]
    assert error["code"] == "stream_interrupted" and error["message"]
    assert_openai_error({"error": error["error"]}, "stream_interrupted")
    failed = events[-1]["response"]
    assert failed["status"] == "failed" and failed["id"] == events[0]["response"]["id"]
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert len(fake.calls("b")) == 0  # committed: no fallback after the first event


@wires
def test_the_sdk_raises_on_a_broken_stream(fake, gateways, wire):
    gw = gateways(wire)
    fake.set_fault("a", Fault(FaultKind.STREAM_CUT, after_chunks=4))
    deltas = []
    with pytest.raises(openai.APIError, match="failed after the answer had started"):
        for event in gw.client.responses.create(model="auto", input="Say hello", stream=True):
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
    assert "".join(deltas) != answer_text("a")
    with pytest.raises(openai.APIError), gw.client.responses.stream(
        model="auto", input="Say hello"
    ) as stream:
        stream.get_final_response()


@pytest.mark.parametrize(("body", "param", "code"), [
    ({"store": True}, "store", "unsupported_parameter"),
    ({"previous_response_id": "resp_123"}, "previous_response_id", "unsupported_parameter"),
    ({"conversation": "conv_1"}, "conversation", "unsupported_parameter"),
    ({"background": True}, "background", "unsupported_parameter"),
    ({"input": [{"type": "item_reference", "id": "msg_1"}]}, "input.0",
     "unsupported_parameter"),
    ({"tools": [{"type": "web_search"}]}, "tools.0.type", "unsupported_tool"),
    ({"api_base": "http://evil.example"}, "api_base", "invalid_request"),
    ({"input": [{"role": "user", "content": [{"type": "input_text", "text": "a",
                                               "cache": 1}]}]},
     "input.0.content.0.cache", "invalid_request"),
    ({"input": [{"type": "computer_call_output"}]}, "input.0.type", "invalid_request"),
    ({"input": [{"role": "user", "content": [{"type": "input_image", "image_url": "x"}]}]},
     "input.0.content.0.image_url", "invalid_request"),
    ({"input": []}, "input", "invalid_request"),
    ({"input": ""}, "input", "invalid_request"),
    ({"input": None}, "input", "invalid_request"),
    ({"text": {"format": {"type": "json_schema", "name": "bad name", "schema": {}}}},
     "text.format.name", "invalid_request"),
    ({"reasoning": {"effort": "extreme"}}, "reasoning.effort", "invalid_request"),
    ({"max_output_tokens": 0}, "max_output_tokens", "invalid_request"),
])
def test_bad_requests_get_a_400_in_openai_shape_naming_the_field(
    fake, gateways, body, param, code
):
    gw = gateways("openai")
    response = gw.http.post("/v1/responses", json={"model": "auto", "input": "hi", **body})
    assert response.status_code == 400
    error = assert_openai_error(response.json(), code)
    assert error["param"] == param and error["type"] == "invalid_request_error"
    assert not fake.calls("a") and not fake.calls("b")


def test_the_sdk_raises_bad_request_and_not_found(fake, gateways):
    gw = gateways("openai")
    with pytest.raises(openai.BadRequestError) as stored:
        gw.client.responses.create(model="auto", input="hi", store=True)
    assert "does not store responses" in stored.value.message
    assert stored.value.body["param"] == "store"
    with pytest.raises(openai.NotFoundError) as unknown:
        gw.client.responses.create(model="gpt-4o", input="hi")
    assert unknown.value.body["code"] == "model_not_found"
    assert gw.http.post("/v1/responses", content=b"{", headers={
        "content-type": "application/json"}).json()["error"]["code"] == "invalid_json"


def test_an_api_key_is_required_when_configured(fake):
    config = make_config([[deployment(fake, "k1")]], server={"api_keys": ["gateway-key-0123"]})
    with run_gateway(config) as gw:
        refused = gw.http.post("/v1/responses", json={"model": "auto", "input": "hi"})
        assert refused.status_code == 401
        assert_openai_error(refused.json(), "invalid_api_key")
        allowed = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="gateway-key-0123",
                                max_retries=0)
        assert allowed.responses.create(model="auto", input="hi").output_text == answer_text(
            "k1")
    assert len(fake.calls("k1")) == 1


def test_every_request_is_logged_as_the_responses_front_door(fake, gateways, request):
    gw = gateways("openai")
    lines = request.getfixturevalue("log_lines")
    ids = ("log-me-200", "log-me-400")  # the shared gateway may still log earlier requests
    gw.client.responses.create(model="auto", input="Log me",
                               extra_headers={"x-request-id": ids[0]})
    gw.http.post("/v1/responses", json={"model": "auto", "input": "x", "store": True},
                 headers={"x-request-id": ids[1]})
    records = [r for r in log_records(lines, "request") if r["request_id"] in ids]
    assert [(r["front_door"], r["status"]) for r in records] == [
        ("openai-responses", 200), ("openai-responses", 400)]
    assert records[0]["deployment"] == "a" and records[0]["attempts"] == 1
    assert records[1]["error_code"] == "unsupported_parameter"
    metrics = gw.http.get("/metrics").text
    assert metric(metrics, "tianji_requests_total", tier="small", status="200") >= 1
    assert metric(metrics, "tianji_requests_total", status="400") >= 1
