"""The Anthropic front door through the official `anthropic` SDK: answers, streams, tools,
thinking, images and documents, count_tokens, models, routing by Claude model id, and
what the fake provider received on each wire."""

from __future__ import annotations

import anthropic
import pytest

from router.fakeprovider import Fault, FaultKind
from router.fakeprovider.wire import count_tokens
from router.fakeprovider.wire_anthropic import signature
from tests.conftest import ANTHROPIC_KEY, deployment, make_config, run_gateway

IMAGE = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                     "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
                                             "QVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}}
PDF = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                      "data": "JVBERi0xLjQKJcfsj6IK"}}
TOOL = {"name": "read_file", "description": "Read a file",
        "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}}}
SYSTEM = [{"type": "text", "text": "You are a coding agent."},
          {"type": "text", "text": "Project rules.", "cache_control": {"type": "ephemeral"}}]


@pytest.fixture
def gw(fake):
    """Tier small: an Anthropic-wire deployment, then an OpenAI-wire one; medium and large
    one Anthropic-wire deployment each."""
    config = make_config([
        [deployment(fake, "ant-small", "anthropic"), deployment(fake, "oai-small")],
        [deployment(fake, "ant-medium", "anthropic")],
        [deployment(fake, "ant-large", "anthropic")],
    ])
    with run_gateway(config) as gateway:
        yield gateway


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_create_answers_in_anthropic_shape_with_tianji_headers(gw, fake, claude):
    raw = claude(gw).messages.with_raw_response.create(
        model="claude-haiku-4-5", max_tokens=64, messages=user("hi"))
    message = raw.parse()
    assert message.type == "message" and message.role == "assistant"
    assert message.content[0].text == "Hello from ant-small! This is a fake answer."
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens > 0 and message.usage.output_tokens == 8
    assert raw.headers["x-tianji-tier"] == "small"
    assert raw.headers["x-tianji-provider"] == "ant-small"
    assert raw.headers["x-tianji-attempts"] == "1"
    assert float(raw.headers["x-tianji-cost-usd"]) > 0


def test_native_deployment_receives_the_body_as_sent(gw, fake, claude):
    """Everything the client sent reaches an Anthropic-wire deployment unchanged: system
    blocks with cache_control, thinking with signatures, tool use and results, images,
    PDFs, metadata, stop sequences and fields newer than Tianji."""
    history = [
        {"role": "user", "content": [IMAGE, PDF, {"type": "text", "text": "Read main.py",
                                                  "cache_control": {"type": "ephemeral"}}]},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "I should read it.",
             "signature": signature("ant-small")},
            {"type": "tool_use", "id": "toolu_1", "name": "read_file",
             "input": {"path": "main.py"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "print('hi')"}]},
    ]
    extra = {"context_management": {"edits": [{"type": "clear_thinking_20251015"}]},
             "output_config": {"effort": "high"}}
    client = claude(gw, api_key="client-key-must-not-travel")
    client.messages.create(
        model="claude-haiku-4-5", max_tokens=1024, system=SYSTEM, messages=history,
        tools=[TOOL], thinking={"type": "enabled", "budget_tokens": 512},
        metadata={"user_id": "user-42"}, stop_sequences=["STOP"], extra_body=extra,
        extra_headers={"anthropic-beta": "interleaved-thinking-2025-05-14,claude-code-20250219",
                       "anthropic-version": "2023-06-01",
                       "x-secret-header": "do-not-forward"})
    received = fake.calls("ant-small")[-1]
    assert received.path == "/d/ant-small/v1/messages"
    assert received.body == {
        "model": "claude-fake-ant-small", "max_tokens": 1024, "system": SYSTEM,
        "messages": history, "tools": [TOOL],
        "thinking": {"type": "enabled", "budget_tokens": 512},
        "metadata": {"user_id": "user-42"}, "stop_sequences": ["STOP"], **extra,
        "stream": True,  # a non-streamed request is streamed from the provider (stalls)
    }
    headers = {k.lower(): v for k, v in received.headers.items()}
    assert headers["x-api-key"] == ANTHROPIC_KEY
    assert headers["anthropic-version"] == "2023-06-01"
    assert headers["anthropic-beta"] == "interleaved-thinking-2025-05-14,claude-code-20250219"
    assert "x-secret-header" not in headers and "authorization" not in headers
    assert "client-key-must-not-travel" not in str(received.headers)


def test_stream_relays_the_providers_events(gw, fake, claude):
    with claude(gw).messages.stream(model="auto", max_tokens=64, messages=user("hi"),
                                    thinking={"type": "enabled", "budget_tokens": 512}) as s:
        events = [event.type for event in s]
        final = s.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[0].signature == signature("ant-small")
    assert final.content[1].text == "Hello from ant-small! This is a fake answer."
    assert final.usage.output_tokens == 8
    assert events[-1] == "message_stop"
    assert fake.calls("ant-small")[-1].body["stream"] is True


def test_forced_tool_call_on_both_wires(gw, fake, claude):
    client = claude(gw)
    for dep_id in ("ant-small", "oai-small"):
        fake.clear()
        if dep_id == "oai-small":
            fake.set_fault("ant-small", Fault(FaultKind.HTTP_ERROR, status=401))
        message = client.messages.create(
            model="haiku", max_tokens=64, messages=user("read main.py"), tools=[TOOL],
            tool_choice={"type": "tool", "name": "read_file"})
        block = message.content[-1]
        assert (block.type, block.name, message.stop_reason) == (
            "tool_use", "read_file", "tool_use"), dep_id
    sent = fake.calls("oai-small")[-1].body
    assert sent["tools"][0]["function"]["name"] == "read_file"
    assert sent["tool_choice"] == {"type": "function", "function": {"name": "read_file"}}


def test_openai_wire_deployment_gets_a_translation(gw, fake, claude):
    fake.set_fault("ant-small", Fault(FaultKind.HTTP_ERROR, status=503))
    client = claude(gw)
    raw = client.messages.with_raw_response.create(
        model="claude-haiku-4-5", max_tokens=64, system="Be brief.", messages=user("hi"))
    assert raw.headers["x-tianji-provider"] == "oai-small"
    assert raw.parse().content[0].text == "Hello from oai-small! This is a fake answer."
    with client.messages.stream(model="haiku", max_tokens=64, messages=user("hi")) as s:
        assert s.get_final_text() == "Hello from oai-small! This is a fake answer."
    sent = fake.calls("oai-small")[0].body
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["max_tokens"] == 64


def test_thinking_history_skips_deployments_that_cannot_carry_it(fake, claude):
    config = make_config([[deployment(fake, "oai"), deployment(fake, "ant", "anthropic")]])
    history = [*user("q"), {"role": "assistant", "content": [
        {"type": "thinking", "thinking": "hmm", "signature": signature("ant")},
        {"type": "text", "text": "a"}]}, *user("more")]
    with run_gateway(config) as gw:
        raw = claude(gw).messages.with_raw_response.create(
            model="auto", max_tokens=64, messages=history)
    assert raw.headers["x-tianji-provider"] == "ant"
    assert fake.calls("oai") == []


def test_thinking_history_with_only_openai_wire_is_a_clear_400(fake, claude):
    config = make_config([[deployment(fake, "oai")]])
    history = [*user("q"), {"role": "assistant", "content": [
        {"type": "thinking", "thinking": "hmm", "signature": "sig"}]}, *user("more")]
    with run_gateway(config) as gw, pytest.raises(anthropic.BadRequestError) as err:
        claude(gw).messages.create(model="auto", max_tokens=64, messages=history)
    assert "thinking blocks" in err.value.message
    assert fake.calls("oai") == []


def test_failover_to_another_cloud_stream_and_not(gw, fake, claude):
    fake.set_fault("ant-small", Fault(FaultKind.HTTP_ERROR, status=529))
    client = claude(gw)
    raw = client.messages.with_raw_response.create(model="haiku", max_tokens=64,
                                                   messages=user("hi"))
    assert raw.headers["x-tianji-provider"] == "oai-small"
    assert int(raw.headers["x-tianji-attempts"]) >= 2
    with client.messages.stream(model="haiku", max_tokens=64, messages=user("hi")) as s:
        assert s.get_final_text() == "Hello from oai-small! This is a fake answer."


def test_failure_after_the_first_byte_ends_with_an_error_event(gw, fake, claude):
    fake.set_fault("ant-small", Fault(FaultKind.STREAM_CUT, after_chunks=3))
    response = gw.http.post("/v1/messages", headers={"anthropic-version": "2023-06-01"},
                            json={"model": "haiku", "max_tokens": 64, "stream": True,
                                  "messages": user("hi")})
    assert response.status_code == 200
    text = response.text
    assert "event: message_start" in text and "event: error" in text
    assert "message_stop" not in text
    with pytest.raises(anthropic.APIStatusError) as err, claude(gw).messages.stream(
            model="haiku", max_tokens=64, messages=user("hi")) as s:
        s.get_final_message()
    assert "could not be retried elsewhere" in str(err.value)


@pytest.mark.parametrize("model,text,tier", [
    ("claude-opus-5-5", "[easy] hi", "small"),       # routed by difficulty under Opus
    ("claude-opus-5-5", "[hard] prove it", "large"),
    ("claude-sonnet-4-5", "[hard] prove it", "medium"),  # never above the named family
    ("claude-haiku-4-5", "[hard] prove it", "small"),
    ("sonnet", "[easy] hi", "medium"),               # an alias pins the tier
    ("auto", "[hard] prove it", "large"),
])
def test_default_model_rules(gw, claude, model, text, tier):
    raw = claude(gw).messages.with_raw_response.create(model=model, max_tokens=64,
                                                       messages=user(text))
    assert raw.headers["x-tianji-tier"] == tier


@pytest.mark.parametrize("rules,model,text,tier", [
    ([{"match": "*"}], "claude-haiku-4-5", "[hard] x", "large"),  # route everything
    ([{"match": "*", "max_tier": "sonnet"}], "claude-opus-5-5", "[hard] x", "medium"),
    ([{"match": "claude-*", "tier": "opus"}], "claude-haiku-4-5", "[easy] x", "large"),
])
def test_configured_model_rules(fake, claude, rules, model, text, tier):
    config = make_config([[deployment(fake, f"a{i}", "anthropic")] for i in range(3)],
                         anthropic={"models": rules})
    with run_gateway(config) as gw:
        raw = claude(gw).messages.with_raw_response.create(model=model, max_tokens=64,
                                                           messages=user(text))
    assert raw.headers["x-tianji-tier"] == tier


def test_header_ceiling_and_rule_ceiling_take_the_lower(gw, claude):
    raw = claude(gw).messages.with_raw_response.create(
        model="claude-opus-5-5", max_tokens=64, messages=user("[hard] x"),
        extra_headers={"x-tianji-max-tier": "medium"})
    assert raw.headers["x-tianji-tier"] == "medium"


def test_count_tokens_is_the_anthropic_apis_own_count(gw, fake, claude):
    client = claude(gw, api_key="client-key-must-not-travel")
    raw = client.messages.with_raw_response.count_tokens(
        model="haiku", system=SYSTEM, messages=user("hi " * 400), tools=[TOOL],
        thinking={"type": "enabled", "budget_tokens": 1024})
    assert raw.headers["x-tianji-token-count"] == "exact"
    assert raw.headers["x-tianji-provider"] == "ant-small"
    (call,) = fake.calls("ant-small")
    assert call.path == "/d/ant-small/v1/messages/count_tokens"
    assert call.body == {"model": "claude-fake-ant-small", "system": SYSTEM, "tools": [TOOL],
                         "messages": user("hi " * 400),
                         "thinking": {"type": "enabled", "budget_tokens": 1024}}
    assert raw.parse().input_tokens == count_tokens([SYSTEM, [TOOL], user("hi " * 400)])
    assert call.headers["x-api-key"] == ANTHROPIC_KEY
    assert "client-key-must-not-travel" not in str(call.headers)
    assert fake.calls("oai-small") == []


def test_count_tokens_falls_back_to_a_flagged_estimate(gw, fake, claude):
    fake.set_fault("ant-small", Fault(FaultKind.HTTP_ERROR, status=500))
    client = claude(gw)
    short = client.messages.with_raw_response.count_tokens(model="haiku", messages=user("hi"))
    long = client.messages.with_raw_response.count_tokens(
        model="haiku", system=SYSTEM, messages=user("hi " * 400), tools=[TOOL])
    assert short.headers["x-tianji-token-count"] == "estimate"
    assert "x-tianji-provider" not in short.headers
    assert 0 < short.parse().input_tokens < long.parse().input_tokens
    assert long.parse().input_tokens >= 300
    assert [c.status for c in fake.calls("ant-small")] == [500, 500]
    # A failed count is not a failed answer: the deployment stays healthy.
    assert gw.health.cooling_for("ant-small") == 0


def test_count_tokens_without_an_anthropic_deployment_is_an_estimate(fake, claude):
    with run_gateway(make_config([[deployment(fake, "oai")]])) as gateway:
        raw = claude(gateway).messages.with_raw_response.count_tokens(
            model="haiku", messages=user("hi " * 400))
    assert raw.headers["x-tianji-token-count"] == "estimate"
    assert raw.parse().input_tokens >= 300
    assert fake.calls("oai") == []


def test_models_in_anthropic_shape(gw, claude):
    page = claude(gw).models.list()
    ids = [m.id for m in page.data]
    assert ids[:4] == ["auto", "small", "haiku", "medium"]
    assert all(m.type == "model" for m in page.data)
    openai_shape = gw.http.get("/v1/models").json()
    assert openai_shape["object"] == "list"


def test_client_cannot_redirect_the_upstream(gw, fake, claude):
    """Body fields named like litellm or HTTP parameters never choose the URL or key."""
    fake.set_fault("ant-small", Fault(FaultKind.HTTP_ERROR, status=503))
    claude(gw).messages.create(
        model="haiku", max_tokens=64, messages=user("hi"),
        extra_body={"api_base": "http://127.0.0.1:9/evil", "api_key": "sk-client",
                    "base_url": "http://127.0.0.1:9/evil"})
    assert fake.calls("oai-small")[-1].status == 200
    sent = fake.calls("oai-small")[-1]
    assert "sk-client" not in str(sent.headers) and "api_base" not in sent.body


def test_newer_fields_pass_but_credential_like_fields_do_not(gw, fake, claude):
    claude(gw).messages.create(
        model="haiku", max_tokens=64, messages=user("hi"),
        extra_body={"brand_new_option": {"x": 1}, "api_key": "sk-client",
                    "upstream_url": "http://127.0.0.1:9", "x-odd": 1})
    sent = fake.calls("ant-small")[-1].body
    assert sent["brand_new_option"] == {"x": 1}
    assert not {"api_key", "upstream_url", "x-odd"} & set(sent)


def test_translated_stream_cut_ends_with_an_error_event(fake, claude):
    config = make_config([[deployment(fake, "oai")]])
    fake.set_fault("oai", Fault(FaultKind.STREAM_CUT, after_chunks=3))
    with run_gateway(config) as gw:
        response = gw.http.post("/v1/messages", headers={"anthropic-version": "2023-06-01"},
                                json={"model": "auto", "max_tokens": 64, "stream": True,
                                      "messages": user("hi")})
        metrics = gw.http.get("/metrics").text
    assert response.status_code == 200
    assert "event: message_start" in response.text and "event: error" in response.text
    assert "message_stop" not in response.text
    assert 'deployment="oai"' in metrics


def test_messages_are_counted_in_metrics_and_logged(gw, claude, log_lines):
    claude(gw).messages.create(model="haiku", max_tokens=16, messages=user("hi"))
    metrics = gw.http.get("/metrics").text
    assert 'deployment="ant-small",status="200"' in metrics.replace(" ", "")
    records = [line for line in log_lines if '"event": "request"' in line]
    assert records and '"deployment": "ant-small"' in records[-1]
    assert ANTHROPIC_KEY not in "\n".join(log_lines)
