"""The 400 a bad chat request gets (router/schema.py), message and parameter exactly as a
client reads them, for the cases a mutation run found unasserted: which of several errors is
named, the count of the others, the allowed values of a role or a type, the paths of nested
fields, the edges of metadata and image URLs, and the bodies that are accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import assert_openai_error, post_raw

USER = [{"role": "user", "content": "hi"}]
ROLES = "assistant, developer, function, system, tool, user"
PART_TYPES = "file, image_url, input_audio, text"
UNRECOGNIZED = (
    "Unrecognized request argument supplied: {}. Tianji accepts the Chat Completions "
    "parameters in its README's parameter table; provider arguments (upstream URLs, "
    "credentials, litellm options) are set in its config, not by clients."
)


@pytest.fixture(scope="module")
def gw(fake) -> Iterator:
    with run_gateway(make_config([[deployment(fake, "a")]])) as gateway:
        yield gateway


def body(**changes: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": USER, **changes}


def user_parts(*parts: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": list(parts)}]


def image(url: str) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": url}}


def rejected(gw, payload: Any) -> tuple[str, str | None]:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    result = post_raw(gw, "/v1/chat/completions", raw)
    assert result.status == 400, (result.status, result.raw[:300])
    error = assert_openai_error(result.body)
    assert error["type"] == "invalid_request_error", error
    return error["message"], error["param"]


REJECTED = {
    "a provider argument": (
        body(api_base="http://attacker.example"),
        UNRECOGNIZED.format("api_base"), "api_base"),
    "an unknown role": (
        body(messages=[{"role": "robot", "content": "x"}]),
        f"Invalid value for 'messages.0.role': must be one of {ROLES}", "messages.0.role"),
    "a message without a role": (
        body(messages=[{"content": "x"}]),
        f"Invalid value for 'messages.0.role': must be one of {ROLES}", "messages.0.role"),
    "a response_format of an unknown type": (
        body(response_format={"type": "xml"}),
        "Invalid value for 'response_format.type': must be one of json_object, json_schema, "
        "text", "response_format.type"),
    "a response_format without a type": (
        body(response_format={}),
        "Invalid value for 'response_format.type': must be one of json_object, json_schema, "
        "text", "response_format.type"),
    "a content part of an unknown type": (
        body(messages=user_parts({"type": "video"})),
        f"Invalid value for 'messages.0.content.0.type': must be one of {PART_TYPES} "
        "(and 1 more error)", "messages.0.content.0.type"),
    "a content part without a type": (
        body(messages=user_parts({"text": "a"})),
        f"Invalid value for 'messages.0.content.0.type': must be one of {PART_TYPES} "
        "(and 1 more error)", "messages.0.content.0.type"),
    "a text part without its text": (
        body(messages=user_parts({"type": "text"})),
        "Invalid value for 'messages.0.content.0.text': Field required (and 1 more error)",
        "messages.0.content.0.text"),
    "a system message with an image part": (
        body(messages=[{"role": "system", "content": [image("http://example.com/a.png")]},
                       *USER]),
        "Invalid value for 'messages.0.content.0.text': Field required (and 2 more errors)",
        "messages.0.content.0.text"),
    "content a number": (
        body(messages=[{"role": "user", "content": 5}]),
        "Invalid value for 'messages.0.content': Input should be a valid string "
        "(and 1 more error)", "messages.0.content"),
    "two bad values": (
        body(temperature=5, top_p=3),
        "Invalid value for 'temperature': Input should be less than or equal to 2 "
        "(and 1 more error)", "temperature"),
    "three bad values": (
        body(temperature=5, top_p=3, n=0),
        "Invalid value for 'temperature': Input should be less than or equal to 2 "
        "(and 2 more errors)", "temperature"),
    "a tool without a name": (
        body(tools=[{"type": "function", "function": {}}]),
        "Invalid value for 'tools.0.function.name': Field required", "tools.0.function.name"),
    "a tool call without a function name": (
        body(messages=[*USER, {"role": "assistant", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"arguments": "{}"}}]}]),
        "Invalid value for 'messages.1.tool_calls.0.function.name': Field required",
        "messages.1.tool_calls.0.function.name"),
    "no messages": (
        {"model": "auto"}, "Invalid value for 'messages': Field required", "messages"),
    "an empty object": (
        {}, "Invalid value for 'model': Field required (and 1 more error)", "model"),
    "a tool_choice function without its name": (
        body(tool_choice={"type": "function"}),
        "Invalid value for 'tool_choice': a tool_choice of type \"function\" names it: "
        "{\"function\": {\"name\": ...}} (and 1 more error)", "tool_choice"),
    "a json_schema name with a space": (
        body(response_format={"type": "json_schema", "json_schema": {"name": "a b"}}),
        "Invalid value for 'response_format.json_schema.name': String should match pattern "
        "'^[A-Za-z0-9_-]+$'", "response_format.json_schema.name"),
    "a json_schema format without its json_schema": (
        body(response_format={"type": "json_schema"}),
        "Invalid value for 'response_format.json_schema': Field required",
        "response_format.json_schema"),
    "17 metadata keys": (
        body(metadata={f"k{i}": "v" for i in range(17)}),
        "Invalid value for 'metadata': at most 16 keys of at most 64 characters", "metadata"),
    "a metadata key of 65 characters": (
        body(metadata={"k" * 65: "v"}),
        "Invalid value for 'metadata': at most 16 keys of at most 64 characters", "metadata"),
    "an image URL of another scheme": (
        body(messages=user_parts(image("file:///etc/passwd"))),
        "Invalid value for 'messages.0.content.0.image_url.url': must be an http(s) URL or a "
        "data: URL such as 'data:image/png;base64,...' (and 1 more error)",
        "messages.0.content.0.image_url.url"),
    "an image data: URL without base64": (
        body(messages=user_parts(image("data:image/png,aGk="))),
        "Invalid value for 'messages.0.content.0.image_url.url': must be an http(s) URL or a "
        "data: URL such as 'data:image/png;base64,...' (and 1 more error)",
        "messages.0.content.0.image_url.url"),
    "an image data: URL whose payload is not base64": (
        body(messages=user_parts(image("data:image/png;base64,@@"))),
        "Invalid value for 'messages.0.content.0.image_url.url': the data: URL's payload is "
        "not valid base64 (and 1 more error)", "messages.0.content.0.image_url.url"),
    "NaN in a nested parameter": (
        b'{"model":"auto","messages":[{"role":"user","content":"hi"}],'
        b'"logit_bias":{"50256":NaN}}',
        "Invalid value for 'logit_bias.50256': NaN and Infinity are not JSON numbers.",
        "logit_bias.50256"),
    "Infinity in a list": (
        b'{"model":"auto","messages":[{"role":"user","content":"hi"}],"stop":["a"],'
        b'"tools":[{"type":"function","function":{"name":"f","parameters":'
        b'{"enum":[1,Infinity]}}}]}',
        "Invalid value for 'tools.0.function.parameters.enum.1': NaN and Infinity are not "
        "JSON numbers.", "tools.0.function.parameters.enum.1"),
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_a_bad_request_gets_this_message_and_param(gw, case):
    payload, message, param = REJECTED[case]
    assert rejected(gw, payload) == (message, param)


ACCEPTED = {
    "an assistant turn with tool calls and no content": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"}],
    "an assistant turn with a legacy function_call and no content": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "function_call": {"name": "f", "arguments": "{}"}},
        {"role": "function", "name": "f", "content": "sunny"}],
    "an image as an https URL": user_parts(image("https://example.com/a.png")),
    "an image as a data: URL with a parameter": user_parts(
        {"type": "text", "text": "what is it"}, image("data:image/png;name=a.png;base64,aGk=")),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_these_messages_are_valid(gw, case):
    raw = json.dumps(body(messages=ACCEPTED[case])).encode()
    result = post_raw(gw, "/v1/route", raw)
    assert result.status == 200, result.raw[:300]


def test_16_metadata_keys_of_64_characters_are_valid(gw):
    metadata = {f"{i:02d}" + "k" * 62: "v" for i in range(16)}
    result = post_raw(gw, "/v1/route", json.dumps(body(metadata=metadata)).encode())
    assert result.status == 200, result.raw[:300]


def test_a_tool_choice_of_another_type_needs_no_function(gw):
    result = post_raw(gw, "/v1/route",
                      json.dumps(body(tool_choice={"type": "web_search"})).encode())
    assert result.status == 200, result.raw[:300]


def test_an_assistant_turn_without_content_or_tool_calls_is_named_in_the_sdk_error(gw):
    with pytest.raises(openai.BadRequestError) as caught:
        gw.client.chat.completions.create(model="auto", messages=[
            *USER, {"role": "assistant"}, {"role": "user", "content": "and?"}])
    assert caught.value.status_code == 400
    assert caught.value.body["message"] == (
        "Invalid value for 'messages.1': an assistant message needs 'content' or 'tool_calls'")
    assert caught.value.body["param"] == "messages.1"


def test_store_true_is_refused_by_name_and_store_false_is_valid(gw):
    message, param = rejected(gw, body(store=True))
    assert (message, param) == (
        "Tianji stores no completions, so it cannot honour store: true; send store: false or "
        "leave it out.", "store")
    result = post_raw(gw, "/v1/route", json.dumps(body(store=False)).encode())
    assert result.status == 200, result.raw[:300]
