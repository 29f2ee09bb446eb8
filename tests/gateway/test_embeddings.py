"""POST /v1/embeddings with the official openai SDK, through the real gateway, real litellm
and the fake provider (OpenAI's embeddings wire and Bedrock's Titan InvokeModel)."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import numpy as np
import openai
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from router.config import parse_config
from router.fakeprovider import Fault, FaultKind
from router.fakeprovider.wire_embeddings import DEFAULT_DIMENSIONS, fake_vector
from tests.conftest import PROVIDER_KEY, deployment, run_gateway
from tests.faults.support import NO_HANG_S, assert_openai_error
from tests.gateway.test_metrics import metric
from tests.ops.conftest import rows

OPENAI_PRICE = 0.02  # USD per 1M tokens: litellm's table for text-embedding-3-small
TITAN_PRICE = 0.5  # the test config's `price:` for Titan


def openai_embedder(fake, dep_id: str = "e1", model: str = "text-embedding-3-small") -> dict:
    return {"name": dep_id, "model": f"openai/{model}", "api_base": fake.openai_base(dep_id),
            "api_key": PROVIDER_KEY}


def titan_embedder(fake, dep_id: str = "e2") -> dict:
    """Titan Text Embeddings v2 on Bedrock; litellm signs with these keys and posts to
    {api_base}/model/amazon.titan-embed-text-v2%3A0/invoke, one call per input."""
    return {"name": dep_id, "model": "bedrock/amazon.titan-embed-text-v2:0",
            "api_base": fake.anthropic_base(dep_id), "aws_region_name": "us-east-1",
            "aws_access_key_id": "AKIAFAKEFAKEFAKE0000",
            "aws_secret_access_key": "fake-aws-secret-0123456789abcdef",
            "price": {"input": TITAN_PRICE}}


def config_with(fake, embeddings: list[dict], **sections: dict):
    raw = {
        "resilience": {"retries": 0, "backoff_initial_s": 0.01, "backoff_max_s": 0.05,
                       "request_timeout_s": 10, "cooldown_s": 30,
                       "failures_before_cooldown": 3},
        "tiers": [{"name": "small", "aliases": ["haiku"],
                   "deployments": [deployment(fake, "s1")]}],
        "embeddings": embeddings,
        **sections,
    }
    return parse_config(raw, env={})


def float32(values: list[float]) -> list[float]:
    return np.asarray(values, dtype=np.float32).astype(np.float64).tolist()


def test_sdk_embeds_a_list_of_strings_with_headers_cost_and_the_fakes_vectors(fake):
    config = config_with(fake, [openai_embedder(fake), titan_embedder(fake)])
    with run_gateway(config) as gw:
        raw = gw.client.embeddings.with_raw_response.create(
            model="text-embedding-3-small", input=["good morning", "bonjour"])
    answer = raw.parse()
    # The SDK asks for base64 by default and decodes it: the vectors must come back exact.
    assert [d.embedding for d in answer.data] == [
        float32(fake_vector("good morning")), float32(fake_vector("bonjour"))]
    assert [d.index for d in answer.data] == [0, 1]
    assert answer.model == "text-embedding-3-small"
    sent = fake.calls("e1")[0].body
    assert sent["input"] == ["good morning", "bonjour"] and "encoding_format" not in sent
    tokens = fake.calls("e1")[0].usage["prompt_tokens"]
    assert answer.usage.prompt_tokens == answer.usage.total_tokens == tokens
    assert raw.headers["x-tianji-tier"] == "embeddings"
    assert raw.headers["x-tianji-provider"] == "e1"
    assert raw.headers["x-tianji-model"] == "openai/text-embedding-3-small"
    assert raw.headers["x-tianji-attempts"] == "1"
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(tokens * OPENAI_PRICE / 1e6)
    assert "x-tianji-difficulty" not in raw.headers
    assert fake.calls("e2") == []


def test_first_deployment_fails_so_titan_on_bedrock_answers_and_costs_its_price(fake):
    config = config_with(fake, [openai_embedder(fake), titan_embedder(fake)])
    fake.set_fault("e1", Fault(FaultKind.HTTP_ERROR, status=503, times=1))
    with run_gateway(config) as gw:
        raw = gw.client.embeddings.with_raw_response.create(
            model="embeddings", input=["one", "two"], dimensions=8, encoding_format="float")
    answer = raw.parse()
    assert raw.headers["x-tianji-provider"] == "e2"
    assert raw.headers["x-tianji-attempts"] == "2"
    # One call only to the failing deployment: no retry hidden inside the OpenAI SDK.
    assert [c.status for c in fake.calls("e1")] == [503]
    titan = fake.calls("e2")
    assert [c.body for c in titan] == [{"inputText": "one", "dimensions": 8},
                                       {"inputText": "two", "dimensions": 8}]
    assert all(c.path.endswith("/model/amazon.titan-embed-text-v2%3A0/invoke") for c in titan)
    assert all(c.headers["authorization"].startswith("AWS4-HMAC-SHA256 ") for c in titan)
    assert [d.embedding for d in answer.data] == [fake_vector("one", 8), fake_vector("two", 8)]
    tokens = sum(c.usage["inputTextTokenCount"] for c in titan)
    assert answer.usage.prompt_tokens == tokens
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(tokens * TITAN_PRICE / 1e6)


def test_base64_is_little_endian_float32_as_openai_sends_it(fake):
    config = config_with(fake, [openai_embedder(fake)])
    with run_gateway(config) as gw:
        answer = gw.client.embeddings.create(model="embeddings", input="hello",
                                             encoding_format="base64")
        as_float = gw.http.post("/v1/embeddings", json={"model": "embeddings", "input": "hello",
                                                        "encoding_format": "float"}).json()
    encoded = answer.data[0].embedding
    assert isinstance(encoded, str)
    decoded = np.frombuffer(base64.b64decode(encoded), dtype="<f4")
    assert decoded.size == DEFAULT_DIMENSIONS
    assert decoded.tolist() == float32(fake_vector("hello"))
    assert as_float["data"][0]["embedding"] == float32(fake_vector("hello"))


def test_token_arrays_go_to_openai_wire_deployments_only(fake):
    config = config_with(fake, [titan_embedder(fake), openai_embedder(fake)])
    with run_gateway(config) as gw:
        one = gw.client.embeddings.with_raw_response.create(model="embeddings",
                                                            input=[15339, 1917])
        two = gw.client.embeddings.create(model="embeddings", input=[[1, 2], [3]])
        whole = gw.http.post("/v1/embeddings", json={"model": "embeddings", "input": [7.0, 8]})
    assert one.headers["x-tianji-provider"] == "e1"
    assert [d.embedding for d in one.parse().data] == [float32(fake_vector([15339, 1917]))]
    assert [d.embedding for d in two.data] == [float32(fake_vector([1, 2])),
                                               float32(fake_vector([3]))]
    assert whole.status_code == 200  # 7.0 is an integer to JSON Schema; sent on as 7
    assert [c.body["input"] for c in fake.calls("e1")] == [[15339, 1917], [[1, 2], [3]], [7, 8]]
    assert fake.calls("e2") == []

    only_titan = config_with(fake, [titan_embedder(fake)])
    with run_gateway(only_titan) as gw, pytest.raises(openai.BadRequestError) as refused:
        gw.client.embeddings.create(model="embeddings", input=[1, 2, 3])
    error = refused.value.body
    assert error["param"] == "input" and error["code"] == "unsupported_parameter"
    assert "token-id input" in error["message"] and "e2" in error["message"]


def test_dimensions_no_deployment_can_set_is_a_400_not_a_silent_drop(fake):
    # litellm drops `dimensions` for OpenAI models before text-embedding-3.
    config = config_with(fake, [openai_embedder(fake, model="text-embedding-ada-002")])
    with run_gateway(config) as gw:
        with pytest.raises(openai.BadRequestError) as refused:
            gw.client.embeddings.create(model="embeddings", input="x", dimensions=4)
        plain = gw.client.embeddings.create(model="embeddings", input="x")
    assert refused.value.body["param"] == "dimensions"
    assert "text-embedding-ada-002" in refused.value.body["message"]
    assert len(plain.data[0].embedding) == DEFAULT_DIMENSIONS
    assert len(fake.calls("e1")) == 1  # the refused request reached no provider


def test_a_wrong_answer_is_the_providers_fault_and_the_next_deployment_answers(fake):
    config = config_with(fake, [openai_embedder(fake), openai_embedder(fake, "e3")])
    fake.set_fault("e1", Fault(FaultKind.EMPTY_ANSWER, times=1))
    with run_gateway(config) as gw:
        raw = gw.client.embeddings.with_raw_response.create(model="embeddings", input=["a", "b"])
    assert raw.headers["x-tianji-provider"] == "e3"
    assert len(raw.parse().data) == 2


def test_auth_failure_cools_the_deployment_down_and_later_requests_skip_it(fake):
    config = config_with(fake, [openai_embedder(fake), openai_embedder(fake, "e3")])
    fake.set_fault("e1", Fault(FaultKind.HTTP_ERROR, status=401))
    with run_gateway(config) as gw:
        first = gw.client.embeddings.with_raw_response.create(model="embeddings", input="a")
        second = gw.client.embeddings.with_raw_response.create(model="embeddings", input="b")
        states = {d["name"]: d for d in gw.http.get("/v1/deployments").json()["data"]}
    assert [r.headers["x-tianji-provider"] for r in (first, second)] == ["e3", "e3"]
    assert len(fake.calls("e1")) == 1
    assert (states["e1"]["tier"], states["e1"]["state"]) == ("embeddings", "cooldown")
    assert states["e3"]["state"] == "ok"


def test_every_deployment_failing_is_a_503_naming_what_was_tried(fake):
    config = config_with(fake, [openai_embedder(fake), titan_embedder(fake)])
    fake.set_fault("e1", Fault(FaultKind.HTTP_ERROR, status=500))
    fake.set_fault("e2", Fault(FaultKind.HTTP_ERROR, status=502))
    with run_gateway(config) as gw, pytest.raises(openai.InternalServerError) as failed:
        gw.client.embeddings.create(model="embeddings", input="a")
    assert failed.value.status_code == 503
    error = failed.value.body
    assert error["code"] == "all_deployments_failed"
    assert "e1" in error["message"] and "e2" in error["message"]
    assert PROVIDER_KEY not in json.dumps(error)


def test_no_embeddings_config_is_a_404_naming_it(fake):
    with run_gateway(config_with(fake, [])) as gw, pytest.raises(openai.NotFoundError) as missing:
        gw.client.embeddings.create(model="text-embedding-3-small", input="a")
    error = missing.value.body
    assert error["code"] == "embeddings_not_configured"
    assert "`embeddings:`" in error["message"]


@pytest.mark.parametrize("body, param", [
    ({"model": "embeddings", "input": ""}, "input"),
    ({"model": "embeddings", "input": []}, "input"),
    ({"model": "embeddings", "input": ["a", ""]}, "input[1]"),
    ({"model": "embeddings", "input": ["a", 1]}, "input[1]"),
    ({"model": "embeddings", "input": [1, -2]}, "input[1]"),
    ({"model": "embeddings", "input": [[1], []]}, "input[1]"),
    ({"model": "embeddings", "input": [True]}, "input[0]"),
    ({"model": "embeddings", "input": {"text": "a"}}, "input"),
    ({"model": "embeddings", "input": ["a"] * 2049}, "input"),
    ({"model": "embeddings"}, "input"),
    ({"input": "a"}, "model"),
    ({"model": "embeddings", "input": "a", "encoding_format": "hex"}, "encoding_format"),
    ({"model": "embeddings", "input": "a", "dimensions": 0}, "dimensions"),
    ({"model": "embeddings", "input": "a", "dimensions": 16385}, "dimensions"),
    ({"model": "embeddings", "input": "a", "dimensions": "8"}, "dimensions"),
    ({"model": "embeddings", "input": "a", "dimensions": 8.5}, "dimensions"),
    ({"model": "embeddings", "input": [1, 2.5]}, "input[1]"),
    ({"model": "embeddings", "input": "a", "user": 7}, "user"),
    ({"model": "embeddings", "input": "a", "api_base": "http://evil"}, "api_base"),
])
def test_bad_input_is_a_400_naming_the_field(fake, body, param):
    with run_gateway(config_with(fake, [openai_embedder(fake)])) as gw:
        response = gw.http.post("/v1/embeddings", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["type"], error["param"]) == ("invalid_request_error", param)
    assert fake.calls("e1") == []


def test_unknown_model_not_json_and_nan_are_openai_errors(fake):
    with run_gateway(config_with(fake, [openai_embedder(fake)])) as gw:
        with pytest.raises(openai.NotFoundError) as unknown:
            gw.client.embeddings.create(model="text-embedding-ada-002", input="a")
        not_json = gw.http.post("/v1/embeddings", content=b"{nope",
                                headers={"content-type": "application/json"})
        nan = gw.http.post("/v1/embeddings", content=b'{"model": "embeddings", "input": "a", '
                           b'"dimensions": NaN}', headers={"content-type": "application/json"})
    assert unknown.value.body["code"] == "model_not_found"
    assert "text-embedding-3-small" in unknown.value.body["message"]
    assert (not_json.status_code, not_json.json()["error"]["code"]) == (400, "invalid_json")
    assert (nan.status_code, nan.json()["error"]["param"]) == (400, "dimensions")


def test_api_key_is_required_when_configured(fake):
    config = config_with(fake, [openai_embedder(fake)],
                         server={"api_keys": ["gateway-key-0123"]})
    with run_gateway(config) as gw:
        with pytest.raises(openai.AuthenticationError):
            gw.client.embeddings.create(model="embeddings", input="a")
        keyed = openai.OpenAI(base_url=f"{gw.url}/v1", api_key="gateway-key-0123", max_retries=0)
        assert len(keyed.embeddings.create(model="embeddings", input="a").data) == 1
        keyed.close()


def test_log_line_row_and_metrics(fake, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'log.db'}"
    config = config_with(fake, [openai_embedder(fake), titan_embedder(fake)],
                         log={"url": url, "flush_interval_s": 0.05})
    fake.set_fault("e1", Fault(FaultKind.HTTP_ERROR, status=503, times=1))
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        served = gw.client.embeddings.with_raw_response.create(model="embeddings", input="a")
        fake.set_fault("e1", Fault(FaultKind.HTTP_ERROR, status=500))
        fake.set_fault("e2", Fault(FaultKind.HTTP_ERROR, status=500))
        with pytest.raises(openai.APIStatusError):
            gw.client.embeddings.create(model="embeddings", input="b")
        text = gw.http.get("/metrics").text
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
    ok, bad = rows(url)
    cost = float(served.headers["x-tianji-cost-usd"])
    assert (ok["front_door"], ok["tier"], ok["deployment"], ok["status"]) == (
        "openai-embeddings", "embeddings", "e2", 200)
    assert ok["attempts"] == 2 and ok["fallback"] == 1
    assert ok["cost_usd"] == pytest.approx(cost) and ok["baseline_usd"] == pytest.approx(cost)
    assert [a["deployment"] for a in json.loads(ok["attempt_path"])] == ["e1", "e2"]
    assert ok["answer"] is None and ok["prompt"] is None
    assert (bad["status"], bad["error_code"], bad["deployment"]) == (
        503, "all_deployments_failed", None)
    logged = [json.loads(line) for line in lines if line.startswith('{"event": "request"')]
    assert [(e["status"], e["deployment"], e["front_door"]) for e in logged] == [
        (200, "e2", "openai-embeddings"), (503, None, "openai-embeddings")]
    assert metric(text, "tianji_requests_total", tier="embeddings", status="200") == 1
    assert metric(text, "tianji_requests_total", tier="embeddings", status="503") == 1
    assert metric(text, "tianji_cost_usd_total", tier="embeddings") == pytest.approx(cost)


def test_log_prompts_keeps_the_input_never_the_vectors(fake, tmp_path):
    url = f"sqlite:///{tmp_path / 'log.db'}"
    config = config_with(fake, [openai_embedder(fake)], server={"log_prompts": True},
                         log={"url": url, "flush_interval_s": 0.05})
    with run_gateway(config) as gw:
        gw.client.embeddings.create(model="embeddings", input=["keep me", "and me"])
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
    (row,) = rows(url)
    assert json.loads(row["prompt"]) == ["keep me", "and me"]
    assert row["answer"] is None


def test_router_check_rejects_a_bad_embeddings_entry_and_a_shared_name(fake):
    from router.config import ConfigError

    bad_price = openai_embedder(fake) | {"price": {"input": 1, "outptu": 2}}
    with pytest.raises(ConfigError, match=r"embeddings\.0\.price\.outptu"):
        config_with(fake, [bad_price])
    with pytest.raises(ConfigError, match="also a tier name or alias"):
        config_with(fake, [openai_embedder(fake, "haiku")])
    with pytest.raises(ConfigError, match="repeated: s1"):
        config_with(fake, [openai_embedder(fake, "s1")])


@pytest.fixture(scope="module")
def fuzzed(fake):
    with run_gateway(config_with(fake, [openai_embedder(fake), titan_embedder(fake)])) as gw:
        yield gw


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=lambda m: m.value)
def test_generated_requests_from_the_published_schema_never_5xx(fake, fuzzed, mode):
    """The published request schema, fuzzed: valid bodies are answered, invalid ones get
    an OpenAI-shaped 4xx; nothing is a 5xx or hangs."""
    document = httpx.get(f"{fuzzed.url}/openapi.json").json()
    operation = schemathesis.openapi.from_dict(document)["/v1/embeddings"]["POST"]
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode),
           model=st.sampled_from(["embeddings", "text-embedding-3-small", "e2"]))
    @settings(max_examples=30, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def run(case: Any, model: str) -> None:
        if isinstance(case.body, dict) and isinstance(case.body.get("model"), str):
            case.body["model"] = model  # a name the gateway serves, not a random string
        response = case.call(base_url=fuzzed.url, timeout=NO_HANG_S)
        statuses.append(response.status_code)
        assert response.status_code < 500, (response.text[:300], case.body)
        if response.status_code >= 400:
            assert_openai_error(response.json())
        else:
            assert response.json()["object"] == "list"

    run()
    if mode is GenerationMode.POSITIVE:
        assert statuses.count(200) >= len(statuses) // 2, statuses
