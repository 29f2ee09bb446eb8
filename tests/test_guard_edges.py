"""router/guards.py through the real gateway, on what its mutation run left unasserted: the
CORS answer a configured origin gets in full, the messages a body that is not JSON or not a JSON
object gets, and which requests a key's rate limit counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from router.guards import CORS_HEADERS, EXPOSED_HEADERS
from router.keys import KeyEntry, hash_key
from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import assert_openai_error

ORIGIN = "https://app.example"
KEY = "tj-limited-key-0123456789abcdef"


@pytest.fixture(scope="module")
def cors_gateway(fake) -> Iterator:
    config = make_config([[deployment(fake, "a")]], server={"cors_origins": [ORIGIN]})
    with run_gateway(config) as gateway:
        yield gateway


def _preflight(gateway, method: str, headers: str):
    return gateway.http.options("/v1/chat/completions", headers={
        "origin": ORIGIN, "access-control-request-method": method,
        "access-control-request-headers": headers})


def _listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",")}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_configured_origin_may_send_gets_and_posts_with_every_gateway_header(
        cors_gateway, method):
    answer = _preflight(cors_gateway, method, ", ".join(CORS_HEADERS))
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    assert _listed(answer.headers["access-control-allow-methods"]) >= {"get", "post"}
    assert _listed(answer.headers["access-control-allow-headers"]) >= set(CORS_HEADERS)
    assert answer.headers["access-control-max-age"] == "600"


def test_other_methods_are_not_allowed_cross_site(cors_gateway):
    answer = _preflight(cors_gateway, "DELETE", "content-type")
    assert answer.status_code == 400
    assert _listed(answer.headers["access-control-allow-methods"]) == {"get", "post"}


def test_a_page_on_a_configured_origin_can_read_every_tianji_header(cors_gateway):
    answer = cors_gateway.http.post("/v1/chat/completions", headers={"origin": ORIGIN}, json={
        "model": "auto", "messages": [{"role": "user", "content": "hi"}]})
    assert answer.status_code == 200, answer.text
    assert _listed(answer.headers["access-control-expose-headers"]) == set(EXPOSED_HEADERS)


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe", b'{"model": "auto"} xyz'])
def test_a_body_that_is_not_json_is_told_so(cors_gateway, body):
    answer = cors_gateway.http.post("/v1/chat/completions", content=body,
                                    headers={"content-type": "application/json"})
    assert answer.status_code == 400
    error = assert_openai_error(answer.json(), "invalid_json")
    assert error["message"] == "The request body is not valid JSON (UTF-8)."


@pytest.mark.parametrize("body", [b"[1, 2]", b'"hello"', b"null"])
def test_a_json_body_that_is_not_an_object_is_told_so(cors_gateway, body):
    answer = cors_gateway.http.post("/v1/chat/completions", content=body,
                                    headers={"content-type": "application/json"})
    assert answer.status_code == 400
    error = assert_openai_error(answer.json(), "invalid_json")
    assert error["message"] == "The request body must be a JSON object."


def test_only_requests_that_call_providers_count_against_a_keys_rate_limit(fake):
    entry = KeyEntry(id="limited", sha256=hash_key(KEY), requests_per_minute=2)
    config = make_config([[deployment(fake, "a")]]).model_copy(update={"keys": [entry]})
    auth = {"authorization": f"Bearer {KEY}"}
    chat = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    with run_gateway(config) as gateway:
        for _ in range(3):  # reads of the gateway's own state are not metered
            assert gateway.http.get("/v1/models", headers=auth).status_code == 200
        assert gateway.http.post("/v1/route", headers=auth, json=chat).status_code == 200
        served = [gateway.http.post("/v1/chat/completions", headers=auth, json=chat)
                  for _ in range(3)]
    assert [answer.status_code for answer in served] == [200, 200, 429]
    assert_openai_error(served[2].json(), "requests_per_minute_exceeded")
