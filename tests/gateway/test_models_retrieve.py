"""GET /v1/models/{id} with the openai and anthropic SDKs, and the 404 of an unknown path,
each in the client's wire format."""

from __future__ import annotations

import anthropic
import openai
import pytest

from tests.conftest import deployment, make_config, run_gateway
from tests.gateway.test_embeddings import config_with, openai_embedder

VERSION = {"anthropic-version": "2023-06-01"}


@pytest.fixture
def gw(fake):
    with run_gateway(config_with(fake, [openai_embedder(fake)])) as gateway:
        yield gateway


def test_openai_sdk_retrieves_every_listed_model(gw):
    listed = [m.id for m in gw.client.models.list()]
    assert listed[:3] == ["auto", "small", "haiku"]
    assert {"embeddings", "text-embedding-3-small"} <= set(listed)
    for name in listed:
        model = gw.client.models.retrieve(name)
        assert (model.id, model.object, model.owned_by) == (name, "model", "tianji")
    with_slash = gw.client.models.retrieve("openai/text-embedding-3-small")
    assert with_slash.id == "openai/text-embedding-3-small"


def test_openai_sdk_unknown_model_is_a_404_listing_the_models(gw):
    with pytest.raises(openai.NotFoundError) as missing:
        gw.client.models.retrieve("gpt-4o")
    error = missing.value.body
    assert (error["code"], error["param"]) == ("model_not_found", "model")
    assert "'gpt-4o'" in error["message"] and "auto, small, haiku" in error["message"]


def test_anthropic_sdk_retrieves_a_model_in_its_shape(gw):
    client = anthropic.Anthropic(base_url=gw.url, api_key="none", max_retries=0)
    listed = {m.id: m for m in client.models.list()}
    assert set(listed) == {"auto", "small", "haiku"}  # no embeddings on the Anthropic wire
    model = client.models.retrieve("haiku")
    assert (model.id, model.type, model.display_name) == ("haiku", "model", "Tianji haiku")
    assert model == listed["haiku"]
    with pytest.raises(anthropic.NotFoundError) as missing:
        client.models.retrieve("embeddings")
    assert missing.value.body["type"] == "error"
    assert missing.value.body["error"]["type"] == "not_found_error"
    assert "auto, small, haiku" in missing.value.body["error"]["message"]
    client.close()


def test_unknown_path_lists_the_endpoints_in_openai_shape(gw):
    response = gw.http.post("/v1/completions", json={"model": "auto", "prompt": "hi"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_path"
    assert error["message"].startswith("Unknown path: POST /v1/completions. This gateway serves:")
    for endpoint in ("POST /v1/chat/completions", "POST /v1/embeddings", "GET /v1/models",
                     "GET /v1/models/{model_id}", "POST /v1/messages"):
        assert endpoint in error["message"]
    with pytest.raises(openai.NotFoundError) as sdk:
        gw.client.completions.create(model="auto", prompt="hi")
    assert sdk.value.body["code"] == "unknown_path"


@pytest.mark.parametrize("path, headers", [
    ("/v1/complete", VERSION),         # an Anthropic client on an endpoint Tianji lacks
    ("/v1/messages/batches", {}),      # under the Messages API's path
])
def test_unknown_path_is_anthropic_shaped_for_anthropic_clients(gw, path, headers):
    response = gw.http.post(path, json={}, headers=headers)
    assert response.status_code == 404
    body = response.json()
    assert body["type"] == "error" and body["error"]["type"] == "not_found_error"
    assert "POST /v1/messages" in body["error"]["message"]


def test_models_without_embeddings_config(fake):
    with run_gateway(make_config([[deployment(fake, "s1")]])) as gw:
        assert [m.id for m in gw.client.models.list()] == ["auto", "small", "haiku"]
        with pytest.raises(openai.NotFoundError):
            gw.client.models.retrieve("embeddings")
