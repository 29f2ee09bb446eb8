"""The Responses fields that are chat parameters underneath follow chat's rule
(router/params.py): passed, translated, routed to a deployment that honours them, or a 400
that names them. Official openai Python SDK against fake providers on both wires."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from tests.responses.conftest import answer_text


def sent(fake: Any, dep_id: str) -> dict[str, Any]:
    (call,) = fake.calls(dep_id)
    return call.body


def create(gw: Any, **fields: Any) -> tuple[Any, Any]:
    raw = gw.client.responses.with_raw_response.create(model="auto", input="Say hello", **fields)
    return raw.headers, raw.parse()


def test_safety_identifier_reaches_the_openai_wire_as_sent(fake, gateways):
    headers, response = create(gateways("openai"), safety_identifier="sid-7")
    assert sent(fake, "a")["safety_identifier"] == "sid-7"
    assert response.safety_identifier == "sid-7"


def test_safety_identifier_is_claudes_end_user_id(fake, gateways):
    headers, response = create(gateways("anthropic"), safety_identifier="sid-7")
    assert headers["x-tianji-provider"] == "a"
    assert sent(fake, "a")["metadata"] == {"user_id": "sid-7"}
    assert response.output_text == answer_text("a")


def test_user_reaches_the_openai_wire_and_claudes_metadata(fake, gateways):
    create(gateways("openai"), user="user-42")
    assert sent(fake, "a")["user"] == "user-42"
    create(gateways("anthropic"), user="user-42")
    assert fake.calls("a")[-1].body["metadata"] == {"user_id": "user-42"}


@pytest.mark.parametrize(("fields", "chat"), [
    ({"service_tier": "flex"}, {"service_tier": "flex"}),
    ({"text": {"verbosity": "low"}}, {"verbosity": "low"}),
], ids=["service_tier", "text.verbosity"])
def test_a_field_claude_cannot_honour_goes_to_an_openai_wire_deployment(
        fake, gateways, fields, chat):
    headers, response = create(gateways("mixed"), **fields)
    assert headers["x-tianji-provider"] == "o" and fake.calls("a") == []
    body = sent(fake, "o")
    assert all(body[k] == v for k, v in chat.items())
    assert response.output_text == answer_text("o")
    if "service_tier" in fields:
        assert response.service_tier == "flex"
    else:
        assert response.text.verbosity == "low"


@pytest.mark.parametrize(("fields", "name"), [
    ({"service_tier": "priority"}, "service_tier"),
    ({"text": {"verbosity": "high"}}, "text.verbosity"),
], ids=["service_tier", "text.verbosity"])
def test_a_field_no_deployment_in_reach_honours_is_a_400_naming_it(fake, gateways, fields, name):
    with pytest.raises(openai.BadRequestError) as caught:
        create(gateways("anthropic"), **fields)
    error = caught.value.body
    assert error["code"] == "unsupported_parameter" and error["param"] == name
    assert f"'{name}'" in error["message"]
    assert f"a: does not support parameter {name}" in error["message"]
    assert fake.calls("a") == [] and fake.calls("b") == []


def test_service_tier_auto_asks_for_nothing_claude_lacks(fake, gateways):
    headers, _ = create(gateways("anthropic"), service_tier="auto")
    assert headers["x-tianji-provider"] == "a"
    assert "service_tier" not in sent(fake, "a")


def test_max_tool_calls_is_accepted_and_echoed(fake, gateways):
    # It limits built-in tool calls; Tianji serves only function tools, which the client runs.
    _, response = create(gateways("anthropic"), max_tool_calls=2)
    assert response.max_tool_calls == 2 and response.output_text == answer_text("a")
    assert "max_tool_calls" not in sent(fake, "a")


@pytest.mark.parametrize("obfuscate", [True, False])
def test_stream_options_include_obfuscation_pads_the_delta_events(fake, gateways, obfuscate):
    gw = gateways("openai")
    events = list(gw.client.responses.create(
        model="auto", input="Say hello", stream=True,
        stream_options={"include_obfuscation": obfuscate}))
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert "".join(e.delta for e in deltas) == answer_text("a")
    paddings = [getattr(e, "obfuscation", None) for e in deltas]
    if obfuscate:
        assert all(isinstance(p, str) and len(p) >= 16 for p in paddings)
        assert len(set(paddings)) == len(paddings)
        # The padded size shows the delta's length only to the next multiple of 16.
        assert all((len(e.delta) + len(p)) // 16 == -(-len(e.delta) // 16) + 1
                   for e, p in zip(deltas, paddings, strict=True))
    else:
        assert paddings == [None] * len(deltas)
    assert events[-1].type == "response.completed"


def test_top_logprobs_is_a_400_naming_it(fake, gateways):
    with pytest.raises(openai.BadRequestError) as caught:
        create(gateways("openai"), top_logprobs=3)
    assert caught.value.body["param"] == "top_logprobs"
    assert caught.value.body["code"] == "unsupported_parameter"
    assert "/v1/chat/completions" in caught.value.body["message"]
    assert fake.calls("a") == []
    _, response = create(gateways("openai"), top_logprobs=0)
    assert response.output_text == answer_text("a")


def test_an_unknown_field_is_still_a_400_naming_it(fake, gateways):
    with pytest.raises(openai.BadRequestError) as caught:
        create(gateways("openai"), extra_body={"top_k": 5})
    assert caught.value.body["param"] == "top_k"
    assert fake.calls("a") == []
