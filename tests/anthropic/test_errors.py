"""Every error on the Anthropic front door is Anthropic's shape, type and status, so the
official SDK raises its own exception class."""

from __future__ import annotations

import anthropic
import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway

KEY = "tianji-gateway-key-0123456789"
VERSION = {"anthropic-version": "2023-06-01"}


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


class FailingClassifier:
    name = "failing"

    def score(self, request):
        raise RuntimeError("classifier bug")


@pytest.fixture
def gw(fake):
    config = make_config([[deployment(fake, "a", "anthropic"), deployment(fake, "b")]],
                         server={"api_keys": [KEY], "max_body_bytes": 4096})
    with run_gateway(config) as gateway:
        yield gateway


def error_of(response) -> tuple[int, str]:
    body = response.json()
    assert body["type"] == "error" and set(body["error"]) == {"type", "message"}, body
    return response.status_code, body["error"]["type"]


def test_invalid_request_error(gw, claude):
    client = claude(gw, api_key=KEY)
    with pytest.raises(anthropic.BadRequestError) as err:
        client.messages.create(model="auto", max_tokens=0, messages=user("hi"))
    assert err.value.body["error"]["type"] == "invalid_request_error"
    assert "max_tokens" in err.value.message
    headers = {**VERSION, "x-api-key": KEY, "content-type": "application/json"}
    for bad in (b"{not json", b"[]", b'{"model": "auto", "max_tokens": 5}',
                b'{"model": "auto", "max_tokens": 5, "messages": [{"role": "system"}]}'):
        response = gw.http.post("/v1/messages", content=bad, headers=headers)
        assert error_of(response) == (400, "invalid_request_error"), bad
    # a body not declared as JSON (what a cross-site form post sends) is refused unread
    plain = gw.http.post("/v1/messages", content=b'{"model": "auto"}',
                         headers={**headers, "content-type": "text/plain"})
    assert error_of(plain) == (415, "invalid_request_error")
    good = {"model": "auto", "max_tokens": 5, "messages": user("hi")}
    for header in ({"anthropic-version": "latest"}, {"anthropic-beta": "ok-1,bad value"}):
        response = gw.http.post("/v1/messages", json=good, headers={**headers, **header})
        assert error_of(response) == (400, "invalid_request_error"), header
        assert next(iter(header)) in response.json()["error"]["message"]


def test_authentication_error_and_both_ways_to_send_the_key(gw, claude):
    with pytest.raises(anthropic.AuthenticationError) as err:
        claude(gw, api_key="wrong").messages.create(model="auto", max_tokens=5,
                                                    messages=user("hi"))
    assert err.value.body["error"]["type"] == "authentication_error"
    assert claude(gw, api_key=KEY).messages.create(model="auto", max_tokens=5,
                                                   messages=user("hi")).content
    bearer = gw.http.post("/v1/messages", headers={**VERSION, "authorization": f"Bearer {KEY}"},
                          json={"model": "auto", "max_tokens": 5, "messages": user("hi")})
    assert bearer.status_code == 200
    assert error_of(gw.http.get("/v1/models", headers=VERSION)) == (401, "authentication_error")


def test_not_found_error_names_the_models(gw, claude):
    with pytest.raises(anthropic.NotFoundError) as err:
        claude(gw, api_key=KEY).messages.create(model="gpt-4o", max_tokens=5,
                                                messages=user("hi"))
    assert err.value.body["error"]["type"] == "not_found_error"
    assert "claude-*sonnet*" in err.value.message and "haiku" in err.value.message
    response = gw.http.post("/v1/messages/nope", headers={**VERSION, "x-api-key": KEY}, json={})
    assert error_of(response) == (404, "not_found_error")


def test_request_too_large(gw, claude):
    with pytest.raises(anthropic.APIStatusError) as err:
        claude(gw, api_key=KEY).messages.create(model="auto", max_tokens=5,
                                                messages=user("x" * 5000))
    assert err.value.status_code == 413
    assert err.value.body["error"]["type"] == "request_too_large"


def test_headers_too_large_is_anthropics_shape(gw, claude):
    """The guard's 431 comes before any front door, in the shape of the one asked for."""
    crowded = {f"x-h{i}": "1" for i in range(120)}
    client = claude(gw, api_key=KEY).with_options(default_headers=crowded)
    with pytest.raises(anthropic.APIStatusError) as err:
        client.messages.create(model="auto", max_tokens=5, messages=user("hi"))
    assert err.value.status_code == 431
    assert err.value.body["type"] == "error"
    assert err.value.body["error"]["type"] == "invalid_request_error"
    assert "headers are too large" in err.value.message
    models = gw.http.get("/v1/models", headers={**VERSION, **crowded})
    assert error_of(models) == (431, "invalid_request_error")


def test_rate_limit_error_when_every_deployment_is_limited(gw, fake, claude):
    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=429, retry_after=2))
    with pytest.raises(anthropic.RateLimitError) as err:
        claude(gw, api_key=KEY).messages.create(model="auto", max_tokens=5,
                                                messages=user("hi"))
    assert err.value.body["error"]["type"] == "rate_limit_error"
    assert err.value.response.headers["retry-after"] == "2"


def test_overloaded_error_when_no_deployment_answers(gw, fake, claude):
    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=500))
    with pytest.raises(anthropic.OverloadedError) as err:
        claude(gw, api_key=KEY).messages.create(model="auto", max_tokens=5,
                                                messages=user("hi"))
    assert err.value.status_code == 529
    assert err.value.body["error"]["type"] == "overloaded_error"
    assert "Tried" in err.value.message


def test_provider_rejecting_the_request_is_an_invalid_request_error(gw, fake, claude):
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=400))
    with pytest.raises(anthropic.BadRequestError) as err:
        claude(gw, api_key=KEY).messages.create(model="auto", max_tokens=5,
                                                messages=user("hi"))
    assert err.value.body["error"]["type"] == "invalid_request_error"
    assert fake.calls("b") == []


def test_api_error_on_an_internal_failure_without_details(fake, claude):
    config = make_config([[deployment(fake, "a", "anthropic")]])
    with run_gateway(config, classifier=FailingClassifier()) as gw, pytest.raises(
            anthropic.InternalServerError) as err:
        claude(gw).messages.create(model="auto", max_tokens=5, messages=user("hi"))
    assert err.value.status_code == 500
    assert err.value.body["error"] == {"type": "api_error", "message": "Internal error in Tianji."}


def test_provider_key_never_appears_in_an_error(gw, fake, claude):
    from tests.conftest import ANTHROPIC_KEY, PROVIDER_KEY

    for dep in ("a", "b"):
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=401))
    with pytest.raises(anthropic.APIStatusError) as err:
        claude(gw, api_key=KEY).messages.create(model="auto", max_tokens=5,
                                                messages=user("hi"))
    text = err.value.response.text
    assert ANTHROPIC_KEY not in text and PROVIDER_KEY not in text and KEY not in text


def test_missing_credentials_is_a_503_api_error_not_overloaded(fake, claude):
    dep = deployment(fake, "a", "anthropic", api_key="${UNSET_TEST_KEY}")
    with run_gateway(make_config([[dep]])) as gw, pytest.raises(
            anthropic.InternalServerError) as err:
        claude(gw).messages.create(model="auto", max_tokens=5, messages=user("hi"))
    assert err.value.status_code == 503
    assert err.value.body["error"]["type"] == "api_error"
    assert "UNSET_TEST_KEY" in err.value.message
