"""Which requests get Anthropic's shapes (the Messages paths, and /v1/models with
`anthropic-version`), the models list in full, and the Anthropic error type of each status
the gateway answers with, through the official `anthropic` SDK where it has a class."""

from __future__ import annotations

import datetime

import anthropic
import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway

VERSION = {"anthropic-version": "2023-06-01"}
KEY = "tianji-gateway-key-0123456789"
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def gw(fake):
    config = make_config([[deployment(fake, "a", "anthropic")], [deployment(fake, "b")]])
    with run_gateway(config) as gateway:
        yield gateway


@pytest.fixture(scope="module")
def keyed(fake):
    config = make_config([[deployment(fake, "a", "anthropic")]], server={"api_keys": [KEY]})
    with run_gateway(config) as gateway:
        yield gateway


def anthropic_error(response) -> tuple[int, str, str]:
    body = response.json()
    assert set(body) == {"type", "error"} and body["type"] == "error", body
    assert set(body["error"]) == {"type", "message"}, body
    return response.status_code, body["error"]["type"], body["error"]["message"]


def openai_error(response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"}, body
    return response.status_code, body["error"]["code"]


def test_the_models_list_in_anthropics_shape_field_for_field(gw, claude):
    page = claude(gw).models.list()
    names = ["auto", "small", "haiku", "medium", "sonnet"]
    assert [m.id for m in page.data] == names
    assert [m.display_name for m in page.data] == [f"Tianji {n}" for n in names]
    assert {m.created_at for m in page.data} == {
        datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)}
    raw = gw.http.get("/v1/models", headers=VERSION).json()
    assert {k: raw[k] for k in ("has_more", "first_id", "last_id")} == {
        "has_more": False, "first_id": "auto", "last_id": "sonnet"}
    assert raw["data"][1] == {"type": "model", "id": "small", "display_name": "Tianji small",
                              "created_at": "2025-01-01T00:00:00Z"}


def test_one_model_in_anthropics_shape_and_an_unknown_one_is_its_404(gw, claude):
    model = claude(gw).models.retrieve("haiku")
    assert (model.id, model.display_name, model.type) == ("haiku", "Tianji haiku", "model")
    with pytest.raises(anthropic.NotFoundError) as err:
        claude(gw).models.retrieve("gpt-4o")
    assert err.value.body["error"]["type"] == "not_found_error"
    assert err.value.body["error"]["message"] == (
        "The model 'gpt-4o' does not exist. Available models: auto, small, haiku, medium, "
        "sonnet.")
    assert openai_error(gw.http.get("/v1/models/gpt-4o")) == (404, "model_not_found")


def test_the_messages_paths_answer_in_anthropics_shape_without_the_version_header(gw):
    bad = gw.http.post("/v1/messages", json={"model": "auto", "messages": HI})
    assert anthropic_error(bad)[:2] == (400, "invalid_request_error")
    counted = gw.http.post("/v1/messages/count_tokens", json={"model": "auto"})
    assert anthropic_error(counted) == (400, "invalid_request_error",
                                        "messages: Field required (a non-empty list).")


def test_other_paths_keep_openais_shape_with_the_version_header(gw):
    chat = gw.http.post("/v1/chat/completions", headers=VERSION, json={"model": "auto"})
    assert chat.status_code == 400 and set(chat.json()) == {"error"}


@pytest.mark.parametrize("path", ["/v1/models", "/v1/models/haiku"])
def test_a_refused_models_request_is_in_the_shape_its_headers_ask_for(keyed, path):
    assert anthropic_error(keyed.http.get(path, headers=VERSION))[:2] == (
        401, "authentication_error")
    assert openai_error(keyed.http.get(path)) == (401, "invalid_api_key")


def test_an_error_carries_the_request_id(keyed):
    mine = keyed.http.post("/v1/messages", headers={**VERSION, "x-request-id": "client-id-1"},
                           json={"model": "auto", "max_tokens": 5, "messages": HI})
    assert mine.status_code == 401 and mine.headers["x-request-id"] == "client-id-1"
    bad = keyed.http.post("/v1/messages", headers={**VERSION, "x-api-key": KEY},
                          json={"model": "auto", "messages": HI})
    assert bad.status_code == 400 and len(bad.headers["x-request-id"]) >= 16


def test_the_request_deadline_is_anthropics_timeout_error(fake, claude):
    config = make_config([[deployment(fake, "slow", "anthropic")]],
                         # the retry starts with 0.2 s left: the deadline ends the walk
                         resilience={"attempt_timeout_s": 1.0, "request_timeout_s": 1.2})
    fake.set_fault("slow", Fault(FaultKind.STALL, delay=5))
    with run_gateway(config) as gateway, pytest.raises(anthropic.APIStatusError) as err:
        claude(gateway).messages.create(model="auto", max_tokens=5, messages=HI)
    assert err.value.status_code == 504
    assert err.value.body["error"]["type"] == "timeout_error"
    assert err.value.body["error"]["message"].startswith(
        "The request deadline of 1.2s passed before any deployment answered.")


def test_every_deployment_cooling_down_is_overloaded(fake, claude):
    config = make_config([[deployment(fake, "a", "anthropic")]],
                         resilience={"failures_before_cooldown": 1})
    fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=500))
    with run_gateway(config) as gateway:
        client = claude(gateway)
        with pytest.raises(anthropic.APIStatusError):
            client.messages.create(model="auto", max_tokens=5, messages=HI)
        with pytest.raises(anthropic.OverloadedError) as err:
            client.messages.create(model="auto", max_tokens=5, messages=HI)
    assert err.value.status_code == 529
    assert err.value.body["error"]["type"] == "overloaded_error"
    assert err.value.body["error"]["message"].startswith(
        "Every deployment that could take this request is cooling down.")
