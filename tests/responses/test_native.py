"""/v1/responses on deployments that have the Responses API themselves
(router/upstream_responses.py): the client's body reaches the provider's own
/v1/responses, its `response` and events come back as sent (reasoning summaries, encrypted
reasoning, log probabilities), and a tier that mixes such deployments with bridged ones
falls back across them, streamed or not."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import openai
import pytest

from router.fakeprovider import Fault, FaultKind
from router.fakeprovider.wire_responses import ENCRYPTED, SUMMARY
from tests.conftest import PROVIDER_KEY, Gateway, deployment, make_config, run_gateway
from tests.faults.support import log_records
from tests.node_sdk import run_node_client
from tests.responses.conftest import answer_text
from tests.responses.test_node_sdk import CLIENT, TEXT_EVENTS
from tests.waiting import wait_for

TOOL = {"type": "function", "name": "get_weather", "description": "Weather for a city.",
        "parameters": {"type": "object", "properties": {}}}
FAST = {"retries": 1, "backoff_initial_s": 0.01, "request_timeout_s": 6,
        "attempt_timeout_s": None, "first_token_timeout_s": 1.0, "idle_timeout_s": 1.0}


@pytest.fixture(scope="module")
def gateways(fake) -> Iterator[Callable[[str], Gateway]]:
    """`native`: one tier, native n1 then native n2. `native-first`: native n, then bridged
    (anthropic) a. `bridge-first`: a, then n. `bridge`: a alone."""
    def native(name: str) -> dict:
        return deployment(fake, name, responses_api=True)

    builds = {
        "native": lambda: [[native("n1"), native("n2")]],
        "native-first": lambda: [[native("n"), deployment(fake, "a", "anthropic")]],
        "bridge-first": lambda: [[deployment(fake, "a", "anthropic"), native("n")]],
        "bridge": lambda: [[deployment(fake, "a", "anthropic")]],
    }
    started: dict[str, Gateway] = {}
    with contextlib.ExitStack() as stack:

        def get(name: str) -> Gateway:
            if name not in started:
                config = make_config(builds[name](), resilience=FAST)
                started[name] = stack.enter_context(run_gateway(config))
            gw = started[name]
            for tier in gw.config.tiers:
                for dep in tier.deployments:
                    gw.health.record_success(dep.name)
            return gw

        yield get


def client(gw: Gateway) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gw.url}/v1", api_key="none", max_retries=0, timeout=30)


def test_the_body_reaches_the_providers_own_responses_api(fake, gateways):
    raw = client(gateways("native")).responses.with_raw_response.create(
        model="auto", input="hi", instructions="Be brief.", max_output_tokens=64,
        metadata={"app": "t"}, extra_body={"prompt_cache_key": "k1"})
    response = raw.parse()
    assert response.output_text == answer_text("n1")
    assert raw.headers["x-tianji-provider"] == "n1"
    (sent,) = fake.calls("n1")
    # The provider's usage at the deployment's price ($1 in, $5 out per million tokens).
    usage = sent.usage
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(
        (usage["input_tokens"] * 1.0 + usage["output_tokens"] * 5.0) / 1e6)
    assert response.usage.input_tokens == usage["input_tokens"]
    assert sent.path == "/d/n1/v1/responses"
    assert sent.body == {"model": "gpt-fake-n1", "input": "hi", "instructions": "Be brief.",
                         "max_output_tokens": 64, "metadata": {"app": "t"},
                         "prompt_cache_key": "k1", "store": False, "stream": True}


def test_a_stream_relays_the_providers_events(fake, gateways, request):
    gw = gateways("native")
    log_lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
    events = list(client(gw).responses.create(model="auto", input="hi", stream=True))
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == answer_text("n1") == events[-1].response.output_text
    assert [e.sequence_number for e in events] == list(range(len(events)))
    # The log line (written once the stream ended) costs the final event's usage.
    line = wait_for(lambda: log_records(log_lines, "request"), "the request's log line")[-1]
    usage = fake.calls("n1")[0].usage
    assert line["status"] == 200 and line["deployment"] == "n1" and line["stream"]
    assert line["cost_usd"] == pytest.approx(
        (usage["input_tokens"] * 1.0 + usage["output_tokens"] * 5.0) / 1e6)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_reasoning_summaries_and_encrypted_reasoning_survive(fake, gateways, stream):
    ask = {"model": "auto", "input": "hi", "reasoning": {"effort": "low", "summary": "auto"},
           "include": ["reasoning.encrypted_content"]}
    api = client(gateways("native")).responses
    if stream:
        with api.stream(**ask) as events:
            response = events.get_final_response()
    else:
        response = api.create(**ask)
    reasoning = response.output[0]
    assert reasoning.type == "reasoning"
    assert [s.text for s in reasoning.summary] == [SUMMARY]
    assert reasoning.encrypted_content == ENCRYPTED.format(dep_id="n1")
    assert response.usage.output_tokens_details.reasoning_tokens > 0


def test_a_function_call_comes_back_from_the_native_api(fake, gateways):
    response = client(gateways("native")).responses.create(
        model="auto", input="weather?", tools=[TOOL], tool_choice="required")
    (call,) = response.output
    assert (call.type, call.name, call.arguments) == ("function_call", "get_weather", "{}")


def test_top_logprobs_go_to_a_native_deployment_and_are_carried_back(fake, gateways):
    raw = client(gateways("bridge-first")).responses.with_raw_response.create(
        model="auto", input="hi", top_logprobs=2, include=["message.output_text.logprobs"])
    assert raw.headers["x-tianji-provider"] == "n"  # a (bridged) cannot carry them: left out
    assert fake.calls("a") == []
    logprobs = raw.parse().output[0].content[0].logprobs
    assert logprobs and logprobs[0].top_logprobs


def test_top_logprobs_with_only_bridged_deployments_is_a_400_naming_it(fake, gateways):
    with pytest.raises(openai.BadRequestError) as caught:
        client(gateways("bridge")).responses.create(model="auto", input="hi", top_logprobs=2)
    error = caught.value.body
    assert error["param"] == "top_logprobs" and error["code"] == "unsupported_parameter"
    assert fake.calls("a") == []


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize(("tier", "failing", "served"),
                         [("native-first", "n", "a"), ("bridge-first", "a", "n")],
                         ids=["native-to-bridge", "bridge-to-native"])
def test_a_mixed_tier_falls_back_across_native_and_bridged(fake, gateways, stream, tier,
                                                            failing, served):
    fake.set_fault(failing, Fault(FaultKind.HTTP_ERROR, status=500))
    api = client(gateways(tier)).responses
    if stream:
        with api.stream(model="auto", input="hi") as events:
            response = events.get_final_response()
    else:
        response = api.create(model="auto", input="hi")
    assert response.output_text == answer_text(served)
    assert len(fake.calls(failing)) == 2  # retried once, then the next deployment


@pytest.mark.parametrize("stall", [Fault(FaultKind.STALL, delay=30),
                                   Fault(FaultKind.STREAM_STALL, after_chunks=3, delay=30)],
                         ids=["before-first-event", "between-events"])
def test_a_stalled_native_deployment_is_left_for_the_next(fake, gateways, stall):
    fake.set_fault("n1", stall)
    raw = client(gateways("native")).responses.with_raw_response.create(
        model="auto", input="hi")
    assert raw.parse().output_text == answer_text("n2")
    assert raw.headers["x-tianji-attempts"] == "2"
    (stalled,) = fake.calls("n1")
    assert stalled.disconnected


def test_azure_deployments_are_called_on_azures_responses_api(fake):
    azure = {"name": "z", "model": "azure/gpt-fake-z", "api_base": f"{fake.url}/d/z",
             "api_key": PROVIDER_KEY, "api_version": "2025-04-01-preview",
             "price": {"input": 1.0, "output": 5.0}}
    reasoning = {"type": "reasoning", "id": "rs_1", "summary": [], "status": "completed",
                 "encrypted_content": "enc"}
    turn = [{"role": "user", "content": "hi"}, reasoning,
            {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "again"}]
    with run_gateway(make_config([[azure]], resilience=FAST)) as gw:
        raw = client(gw).responses.with_raw_response.create(model="auto", input=turn)
    assert raw.parse().output_text == answer_text("z")
    (sent,) = fake.calls("z")
    assert sent.path == "/d/z/openai/responses"
    assert sent.headers["api-key"] == PROVIDER_KEY and "authorization" not in sent.headers
    assert sent.body["model"] == "gpt-fake-z"
    # Azure refuses a status on reasoning input items: left out, the rest as sent.
    assert sent.body["input"][1] == {k: v for k, v in reasoning.items() if k != "status"}


def test_a_native_stream_that_breaks_after_it_started_ends_with_error_events(fake, gateways):
    fake.set_fault("n1", Fault(FaultKind.STREAM_CUT, after_chunks=5))
    events = []
    with pytest.raises(openai.APIError):
        for event in client(gateways("native")).responses.create(
                model="auto", input="hi", stream=True):
            events.append(event)
    assert events[0].type == "response.created"
    assert fake.calls("n2") == []  # after the first event there is no fallback


@pytest.mark.parametrize("scenario", ["create", "stream", "interrupted"])
def test_the_node_sdk_on_a_native_deployment(fake, gateways, scenario):
    """The openai Node SDK (tests/responses/node_client.mjs): an answer, a stream and a
    stream cut after it started, all from the provider's own Responses API."""
    if scenario == "interrupted":
        fake.set_fault("n1", Fault(FaultKind.STREAM_CUT, after_chunks=5))
    result = run_node_client(CLIENT, gateways("native"), scenario)
    assert [c.path for c in fake.calls("n1")] == ["/d/n1/v1/responses"]
    if scenario == "interrupted":
        assert not result["ok"] and result["name"] == "APIError", result
        assert result["error"]["code"] == "stream_interrupted"
        return
    assert result["ok"], result
    assert result["text"] == answer_text("n1") and result["id"] == "resp_fake_n1"
    if scenario == "stream":
        assert result["types"] == TEXT_EVENTS and result["deltas"] == answer_text("n1")
