"""Each malformed Messages body gets Anthropic's 400 with the message naming what is wrong
(the check Anthropic's API makes first), and the bodies at the edge of each rule are served."""

from __future__ import annotations

import json

import anthropic
import pytest

from tests.conftest import deployment, make_config, run_gateway

VERSION = {"anthropic-version": "2023-06-01", "content-type": "application/json"}
HI = [{"role": "user", "content": "hi"}]
GOOD = {"model": "auto", "max_tokens": 5, "messages": HI}


@pytest.fixture(scope="module")
def gw(fake):
    config = make_config([[deployment(fake, "a", "anthropic")]], server={"max_messages": 3})
    with run_gateway(config) as gateway:
        yield gateway


def with_(**fields) -> bytes:
    return json.dumps({**GOOD, **fields}).encode()


def without(name: str) -> bytes:
    return json.dumps({k: v for k, v in GOOD.items() if k != name}).encode()


BAD = [
    (b"{not json", "The request body is not valid JSON (UTF-8)."),
    (b"\xff\xfe", "The request body is not valid JSON (UTF-8)."),
    (b"[1, 2]", "The request body must be a JSON object."),
    (b'{"model": "auto", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}],'
     b' "temperature": NaN}', "temperature: NaN and Infinity are not JSON numbers."),
    (without("model"), "model: Field required (a string)."),
    (with_(model=""), "model: Field required (a string)."),
    (with_(model=7), "model: Field required (a string)."),
    (without("max_tokens"), "max_tokens: Field required (an integer >= 1)."),
    (with_(max_tokens=0), "max_tokens: Field required (an integer >= 1)."),
    (with_(max_tokens=True), "max_tokens: Field required (an integer >= 1)."),
    (with_(max_tokens="5"), "max_tokens: Field required (an integer >= 1)."),
    (with_(max_tokens=2.5), "max_tokens: Field required (an integer >= 1)."),
    (without("messages"), "messages: Field required (a non-empty list)."),
    (with_(messages=[]), "messages: Field required (a non-empty list)."),
    (with_(messages={"role": "user", "content": "hi"}),
     "messages: Field required (a non-empty list)."),
    (with_(messages=HI * 4), "messages: too many, at most 3."),
    (with_(messages=[*HI, {"role": "tool", "content": "x"}]),
     "messages.1.role: must be 'user', 'assistant' or 'system'."),
    (with_(messages=["hi"]), "messages.0.role: must be 'user', 'assistant' or 'system'."),
    (with_(messages=[{"content": "hi"}]),
     "messages.0.role: must be 'user', 'assistant' or 'system'."),
    (with_(messages=[{"role": "user", "content": [{"text": "hi"}]}]),
     "messages.0.content: each block needs a string 'type'."),
    (with_(messages=[{"role": "user", "content": [{"type": "text", "text": "a"}, "b"]}]),
     "messages.0.content: each block needs a string 'type'."),
    (with_(messages=[{"role": "user", "content": [{"type": 1}]}]),
     "messages.0.content: each block needs a string 'type'."),
    (with_(messages=[*HI, {"role": "assistant"}]),
     "messages.1.content: a string or a list of content blocks."),
    (with_(messages=[{"role": "user", "content": 3}]),
     "messages.0.content: a string or a list of content blocks."),
    (with_(system=3), "system: a string or a list of text blocks."),
    (with_(system=["be brief"]), "system: a string or a list of text blocks."),
    (with_(system={"type": "text", "text": "x"}), "system: a string or a list of text blocks."),
    (with_(tools={"name": "f"}), "tools: a list of tools, each with a name."),
    (with_(tools=[{"name": "f"}, {"description": "no name"}]),
     "tools: a list of tools, each with a name."),
    (with_(tools=[{"name": ""}]), "tools: a list of tools, each with a name."),
    (with_(tools=["f"]), "tools: a list of tools, each with a name."),
    (with_(stream="yes"), "stream: a boolean."),
    (with_(stream=1), "stream: a boolean."),
    (with_(stream=None), "stream: a boolean."),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_a_malformed_body_is_a_400_naming_the_field(gw, body, message):
    response = gw.http.post("/v1/messages", content=body, headers=VERSION)
    assert response.status_code == 400, response.text
    assert response.json() == {"type": "error", "error": {
        "type": "invalid_request_error", "message": message}}


VALID = [
    with_(max_tokens=1),
    with_(messages=HI * 3),
    with_(messages=[{"role": "system", "content": "mid-conversation"}, *HI]),
    with_(messages=[{"role": "user", "content": [{"type": "text", "text": "hi"}]},
                    {"role": "assistant", "content": "hello"}, *HI]),
    with_(messages=[{"role": "user", "content": []}]),
    with_(system="be brief"),
    with_(system=[{"type": "text", "text": "be brief"}]),
    with_(system=None),
    with_(tools=[{"name": "f"}, {"name": "g", "description": "d"}]),
    with_(tools=None),
    with_(stream=False),
]


@pytest.mark.parametrize("body", VALID)
def test_a_body_at_the_edge_of_each_rule_is_served(gw, body):
    response = gw.http.post("/v1/messages", content=body, headers=VERSION)
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "message"


def test_count_tokens_needs_no_max_tokens_but_checks_the_rest(gw):
    counted = gw.http.post("/v1/messages/count_tokens", content=without("max_tokens"),
                           headers=VERSION)
    assert counted.status_code == 200, counted.text
    assert counted.json()["input_tokens"] > 0
    bad = gw.http.post("/v1/messages/count_tokens", headers=VERSION,
                       content=json.dumps({"model": "auto", "messages": []}).encode())
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "messages: Field required (a non-empty list)."


@pytest.mark.parametrize(("headers", "message"), [
    ({"anthropic-version": "latest"}, "anthropic-version: expected a date such as 2023-06-01."),
    ({"anthropic-version": "2023-06-01x"},
     "anthropic-version: expected a date such as 2023-06-01."),
    ({"anthropic-beta": "ok-1,Bad"}, "anthropic-beta: malformed value 'Bad'."),
    ({"anthropic-beta": "-starts-with-a-dash"},
     "anthropic-beta: malformed value '-starts-with-a-dash'."),
    ({"anthropic-beta": "x" * 101}, f"anthropic-beta: malformed value {'x' * 40!r}."),
    ({"anthropic-beta": "ok, has space"}, "anthropic-beta: malformed value 'has space'."),
])
def test_a_malformed_anthropic_header_is_a_400_naming_it(gw, headers, message):
    response = gw.http.post("/v1/messages", content=with_(), headers={**VERSION, **headers})
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "invalid_request_error", "message": message}


def test_well_formed_betas_and_version_reach_the_provider(gw, fake, claude):
    client = claude(gw)
    client.messages.create(model="auto", max_tokens=5, messages=HI, extra_headers={
        "anthropic-beta": "beta-1 ,, b.2_x-" + "y" * 94, "anthropic-version": "2024-10-22"})
    (call,) = fake.calls("a")
    assert call.headers["anthropic-beta"] == "beta-1,b.2_x-" + "y" * 94  # 100 characters
    assert call.headers["anthropic-version"] == "2024-10-22"


def test_without_the_headers_the_default_version_and_no_beta(gw, fake):
    response = gw.http.post("/v1/messages", content=with_(),
                            headers={"content-type": "application/json"})
    assert response.status_code == 200
    (call,) = fake.calls("a")
    assert call.headers["anthropic-version"] == "2023-06-01"
    assert "anthropic-beta" not in call.headers


def test_the_sdk_raises_bad_request_for_a_malformed_body(gw, claude):
    with pytest.raises(anthropic.BadRequestError) as err:
        claude(gw).messages.create(model="auto", max_tokens=5, messages=HI, stream="yes")
    assert err.value.body["error"]["message"] == "stream: a boolean."
