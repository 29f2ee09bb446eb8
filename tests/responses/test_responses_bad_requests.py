"""The Responses door's 400s word for word, through the `openai` SDK: what Tianji does not
store, built-in tools, too many input items, and log probabilities only a deployment's own
Responses API carries back; the requests at the edge of each rule are served."""

from __future__ import annotations

import openai
import pytest

from tests.conftest import deployment, make_config, run_gateway

STATELESS = ("send the whole conversation in 'input' (earlier output items included) and "
             "leave 'store' unset or false.")


@pytest.fixture(scope="module")
def gw(fake):
    config = make_config([[deployment(fake, "a", "anthropic")]], server={"max_messages": 2})
    with run_gateway(config) as gateway:
        yield gateway


def refused(gw, **body) -> dict:
    with pytest.raises(openai.BadRequestError) as caught:
        gw.client.responses.create(model="auto", **{"input": "hi", **body})
    assert caught.value.status_code == 400
    return caught.value.body


@pytest.mark.parametrize(("body", "asked", "param"), [
    ({"store": True}, "store: true", "store"),
    ({"previous_response_id": "resp_1"}, "previous_response_id", "previous_response_id"),
    ({"conversation": "conv_1"}, "conversation", "conversation"),
    ({"background": True}, "background: true", "background"),
    ({"input": [{"type": "item_reference", "id": "msg_1"}]}, "item_reference", "input.0"),
])
def test_what_tianji_does_not_store_is_named_with_what_to_send_instead(gw, fake, body, asked,
                                                                      param):
    assert refused(gw, **body) == {
        "message": f"Tianji does not store responses, so '{asked}' is not supported: "
                   + STATELESS,
        "type": "invalid_request_error", "param": param, "code": "unsupported_parameter"}
    assert fake.calls("a") == []


def test_a_built_in_tool_is_named(gw):
    body = refused(gw, tools=[{"type": "function", "name": "f", "parameters": {}},
                              {"type": "file_search", "vector_store_ids": ["v"]}])
    assert (body["message"], body["param"], body["code"]) == (
        "Tianji supports only function tools; a 'file_search' tool would reach no deployment.",
        "tools.1.type", "unsupported_tool")


def test_a_field_the_schema_refuses_is_named_with_its_path(gw):
    body = refused(gw, max_output_tokens=0)
    assert (body["param"], body["code"]) == ("max_output_tokens", "invalid_request")
    assert body["message"] == (
        "Invalid value for 'max_output_tokens': Input should be greater than or equal to 1")


def test_more_input_items_than_max_messages_is_a_400(gw):
    items = [{"role": "user", "content": "one"}, {"role": "assistant", "content": "two"}]
    assert gw.client.responses.create(model="auto", input=items).output_text
    body = refused(gw, input=[*items, {"role": "user", "content": "three"}])
    assert body == {"message": "Too many input items: at most 2 messages.",
                    "type": "invalid_request_error", "param": "input", "code": "too_many"}
    two = refused(gw, instructions="be brief", input=items)  # instructions are a message too
    assert two["code"] == "too_many"


def test_logprobs_asked_through_include_need_a_deployments_own_responses_api(gw, fake):
    body = refused(gw, include=["message.output_text.logprobs"])
    assert (body["param"], body["code"]) == ("include", "unsupported_parameter")
    assert body["message"].startswith("Tianji cannot honour 'include' on /v1/responses")
    assert fake.calls("a") == []
    served = gw.client.responses.create(model="auto", input="hi",
                                        include=["reasoning.encrypted_content"])
    assert served.output_text
