"""router/guards.py's JSON checks through the real gateway, on what its mutation run left
unasserted: every spelling of `application/json` HTTP allows is served (media types are
case-insensitive, parameters follow after `;`), and the message a NaN in a body gets."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import assert_openai_error

CHAT = json.dumps({"model": "auto", "messages": [{"role": "user", "content": "hi"}]}).encode()


@pytest.fixture(scope="module")
def gw(fake) -> Iterator:
    with run_gateway(make_config([[deployment(fake, "a")]])) as gateway:
        yield gateway


@pytest.mark.parametrize("content_type", [
    "Application/JSON",
    "application/json ; charset=utf-8",
    "application/json; charset=utf-8; profile=chat",
])
def test_json_declared_in_any_spelling_is_served(gw, content_type):
    answer = gw.http.post("/v1/chat/completions", content=CHAT,
                          headers={"content-type": content_type})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("content_type", [None, "application/json-seq", "text/plain; x=json"])
def test_anything_else_is_refused_with_the_415_s_message(gw, content_type, fake):
    headers = {} if content_type is None else {"content-type": content_type}
    answer = gw.http.post("/v1/chat/completions", content=CHAT, headers=headers)
    assert answer.status_code == 415
    error = assert_openai_error(answer.json(), "unsupported_media_type")
    assert error["message"] == (
        "The request body must be JSON, sent with 'Content-Type: application/json'.")
    assert fake.calls("a") == []


def test_nan_in_a_body_is_a_400_naming_the_field(gw):
    body = CHAT[:-1] + b', "temperature": NaN}'
    answer = gw.http.post("/v1/chat/completions", content=body,
                          headers={"content-type": "application/json"})
    assert answer.status_code == 400
    error = assert_openai_error(answer.json(), "invalid_request")
    assert error["message"] == (
        "Invalid value for 'temperature': NaN and Infinity are not JSON numbers.")
    assert error["param"] == "temperature"
