"""The parameter table's Claude column on the clouds, over HTTP: the openai SDK sends each
Chat Completions parameter to Tianji, real litellm signs the call (SigV4 for Bedrock, a
Google OAuth token for Vertex AI) and sends it to the fake provider, and each test reads
the body that arrived upstream. Three Claude wires: Bedrock's Converse API (litellm's route
for `bedrock/` Claude ids, the shipped config's), Bedrock InvokeModel (`bedrock/invoke/`)
and Vertex AI's rawPredict; and Gemini on Vertex AI (generateContent), which litellm maps
by its own rules (the README's "other litellm providers"). Each parameter is translated
(checked in the body), routed to the tier's OpenAI-wire deployment, or a 400 naming it when
only the cloud is in reach; answered as JSON and as a stream, and with the provider's
whole-answer endpoints (`stream_upstream: false`)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from router.upstream import assemblable
from tests.anthropic.conftest import bedrock, service_account, vertex
from tests.conftest import deployment, make_config, run_gateway
from tests.gateway.test_parameters import HI, ROUTED, SCHEMA, TOOLS, TRANSLATED

CLOUDS = ("converse", "invoke", "vertex", "gemini")
GEMINI = "gemini-2.5-flash"  # Gemini on Vertex AI: litellm's own mapping, not Claude's
# Claude 3.5 Sonnet: a Bedrock model litellm's table knows on InvokeModel (tools, JSON), and
# not a reasoning model there.
INVOKE_MODEL = "invoke/anthropic.claude-3-5-sonnet-20240620-v1:0"
# The path each cloud's call takes, streamed from the provider or not.
PATHS = {
    "converse": ("/converse-stream", "/converse"),
    "invoke": ("/invoke-with-response-stream", "/invoke"),
    "vertex": (":streamRawPredict", ":rawPredict"),
    "gemini": (":streamGenerateContent", ":generateContent"),
}
MODES = ("json", "stream", "whole")  # whole: a JSON answer from a JSON call upstream


def _cloud(fake: Any, credentials: str, cloud: str, name: str) -> dict:
    if cloud == "converse":
        return bedrock(fake, name)
    if cloud == "invoke":
        return bedrock(fake, name, INVOKE_MODEL)
    if cloud == "gemini":
        return vertex(fake, credentials, name, GEMINI)
    return vertex(fake, credentials, name)


@pytest.fixture(scope="module")
def gateways(fake: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Per cloud: `<cloud>` alone (JSON and streams), `<cloud>-whole` alone with
    `stream_upstream: false`, and `<cloud>-mixed`: the cloud, then an OpenAI-wire
    deployment in the same tier."""
    credentials = service_account(fake, tmp_path_factory.mktemp("vertex-params"))
    with contextlib.ExitStack() as stack:
        made: dict[str, Any] = {}
        for cloud in CLOUDS:
            made[cloud] = stack.enter_context(run_gateway(make_config(
                [[_cloud(fake, credentials, cloud, cloud)]])))
            made[f"{cloud}-whole"] = stack.enter_context(run_gateway(make_config(
                [[_cloud(fake, credentials, cloud, f"{cloud}-whole")]],
                resilience={"stream_upstream": False})))
            made[f"{cloud}-mixed"] = stack.enter_context(run_gateway(make_config(
                [[_cloud(fake, credentials, cloud, f"{cloud}-mixed"),
                  deployment(fake, f"{cloud}-o", "openai")]])))
        yield made


def ask(gw: Any, mode: str, **params: Any) -> tuple[dict[str, str], str]:
    """The answer's headers and what the client got: the text, or the tool calls' names."""
    stream = mode == "stream"
    raw = gw.client.chat.completions.with_raw_response.create(
        model="small", messages=params.pop("messages", HI), stream=stream, **params)
    answer = raw.parse()
    if not stream:
        message = answer.choices[0].message
        calls = [c.function.name for c in message.tool_calls or []]
        return dict(raw.headers), message.content or ",".join(calls)
    text, calls = "", []
    for chunk in answer:
        for choice in chunk.choices:
            text += choice.delta.content or ""
            calls += [c.function.name for c in choice.delta.tool_calls or [] if c.function
                      and c.function.name]
    return dict(raw.headers), text or ",".join(calls)


def arrived(fake: Any, dep: str, mode: str, cloud: str, params: dict | None = None) -> dict:
    """The one call's body, after checking its endpoint: streamed unless `whole`, or unless
    a JSON answer needs what a stream cannot rebuild (several choices, log probabilities)."""
    (call,) = fake.calls(dep)
    whole = mode == "whole" or (mode == "json" and not assemblable(params or {}))
    assert call.path.endswith(PATHS[cloud][whole]), call.path
    assert call.status == 200
    return call.body


def _native_schema(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of Converse's native structured output (`outputConfig`)."""
    structure = body["outputConfig"]["textFormat"]["structure"]["jsonSchema"]
    return json.loads(structure["schema"])


def _no_tools(body: dict[str, Any]) -> bool:
    return "toolConfig" not in body and "outputConfig" not in body


# Converse's own request shape (litellm 1.106.2's mapping).
CONVERSE: list[tuple[str, dict[str, Any], Any]] = [
    ("temperature", {"temperature": 0.5}, lambda b: b["inferenceConfig"]["temperature"] == 0.5),
    ("top_p", {"top_p": 0.9}, lambda b: b["inferenceConfig"]["topP"] == 0.9),
    ("max_tokens", {"max_tokens": 50}, lambda b: b["inferenceConfig"]["maxTokens"] == 50),
    ("max_completion_tokens", {"max_completion_tokens": 60},
     lambda b: b["inferenceConfig"]["maxTokens"] == 60),
    ("stop", {"stop": ["END"]}, lambda b: b["inferenceConfig"]["stopSequences"] == ["END"]),
    ("tools", {"tools": TOOLS},
     lambda b: [t["toolSpec"]["name"] for t in b["toolConfig"]["tools"]] == ["f"]),
    ("tool_choice", {"tools": TOOLS, "tool_choice": {"type": "function",
                                                      "function": {"name": "f"}}},
     lambda b: b["toolConfig"]["toolChoice"] == {"tool": {"name": "f"}}),
    ("tool_choice-required", {"tools": TOOLS, "tool_choice": "required"},
     lambda b: b["toolConfig"]["toolChoice"] == {"any": {}}),
    ("parallel_tool_calls", {"tools": TOOLS, "parallel_tool_calls": False},
     lambda b: b["additionalModelRequestFields"]["tool_choice"]["disable_parallel_tool_use"]),
    ("response_format-json_schema",
     {"response_format": {"type": "json_schema",
                          "json_schema": {"name": "thing", "schema": SCHEMA}}},
     lambda b: _native_schema(b) == {**SCHEMA, "additionalProperties": False}),
    ("response_format-text", {"response_format": {"type": "text"}}, _no_tools),
    ("user", {"user": "user-42"}, lambda b: b["requestMetadata"] == {"user_id": "user-42"}),
    ("user-email", {"user": "ada@example.com"},
     lambda b: b["requestMetadata"] == {"user_id": "ada@example.com"}),
    ("user-refused-characters", {"user": "ada<script>"},
     lambda b: b["requestMetadata"]["user_id"].startswith("user-")
     and "ada" not in b["requestMetadata"]["user_id"]),
    ("safety_identifier", {"safety_identifier": "sid-7"},
     lambda b: b["requestMetadata"] == {"user_id": "sid-7"}),
    ("reasoning_effort", {"reasoning_effort": "low"},
     lambda b: b["additionalModelRequestFields"]["thinking"]["type"] in ("enabled", "adaptive")),
    ("service_tier-auto", {"service_tier": "auto"}, lambda b: "serviceTier" not in b),
    ("service_tier-flex", {"service_tier": "flex"}, lambda b: b["serviceTier"] == {"type": "flex"}),
    ("service_tier-priority", {"service_tier": "priority"},
     lambda b: b["serviceTier"] == {"type": "priority"}),
    ("prompt_cache_key", {"prompt_cache_key": "conv-1"}, lambda b: "prompt_cache_key" not in b),
    ("store", {"store": False}, lambda b: "store" not in b),
    ("metadata", {"metadata": {"app": "x"}}, lambda b: "metadata" not in b),
    ("modalities-text", {"modalities": ["text"]}, lambda b: "modalities" not in b),
    ("n-1", {"n": 1}, lambda b: set(b) <= {"messages", "inferenceConfig"}),
]



def _generation(key: str, value: Any) -> Any:
    return lambda b: b["generationConfig"][key] == value


# Gemini's request shape (litellm 1.106.2's mapping): the README's "other litellm providers".
GEMINI_ROWS: list[tuple[str, dict[str, Any], Any]] = [
    ("temperature", {"temperature": 0.5}, _generation("temperature", 0.5)),
    ("top_p", {"top_p": 0.9}, _generation("top_p", 0.9)),
    ("max_tokens", {"max_tokens": 50}, _generation("max_output_tokens", 50)),
    ("max_completion_tokens", {"max_completion_tokens": 60}, _generation("max_output_tokens", 60)),
    ("stop", {"stop": ["END"]}, _generation("stop_sequences", ["END"])),
    ("tools", {"tools": TOOLS},
     lambda b: [f["name"] for f in b["tools"][0]["function_declarations"]] == ["f"]),
    ("tool_choice", {"tools": TOOLS, "tool_choice": {"type": "function",
                                                      "function": {"name": "f"}}},
     lambda b: b["toolConfig"]["functionCallingConfig"] == {
         "mode": "ANY", "allowed_function_names": ["f"]}),
    ("tool_choice-required", {"tools": TOOLS, "tool_choice": "required"},
     lambda b: b["toolConfig"]["functionCallingConfig"]["mode"] == "ANY"),
    ("response_format-json_schema",
     {"response_format": {"type": "json_schema",
                          "json_schema": {"name": "thing", "schema": SCHEMA}}},
     lambda b: b["generationConfig"]["response_mime_type"] == "application/json"
     and b["generationConfig"]["response_json_schema"] == SCHEMA),
    ("response_format-json_object", {"response_format": {"type": "json_object"}},
     lambda b: b["generationConfig"] == {"response_mime_type": "application/json"}),
    ("response_format-text", {"response_format": {"type": "text"}},
     _generation("response_mime_type", "text/plain")),
    ("web_search_options", {"web_search_options": {}},
     lambda b: {"googleSearch": {}} in b["tools"]),
    ("reasoning_effort", {"reasoning_effort": "low"},
     lambda b: b["generationConfig"]["thinkingConfig"]["thinkingBudget"] > 0),
    ("n", {"n": 2}, _generation("candidate_count", 2)),
    ("seed", {"seed": 7}, _generation("seed", 7)),
    ("presence_penalty", {"presence_penalty": 0.5}, _generation("presence_penalty", 0.5)),
    ("frequency_penalty", {"frequency_penalty": 0.5}, _generation("frequency_penalty", 0.5)),
    ("logprobs", {"logprobs": True}, _generation("responseLogprobs", True)),
    ("top_logprobs", {"logprobs": True, "top_logprobs": 2}, _generation("logprobs", 2)),
    ("service_tier-flex", {"service_tier": "flex"}, lambda b: b["serviceTier"] == "flex"),
    ("service_tier-priority", {"service_tier": "priority"},
     lambda b: b["serviceTier"] == "priority"),
    # litellm would send `auto` as `priority`, which Google bills above standard.
    ("service_tier-auto", {"service_tier": "auto"}, lambda b: "serviceTier" not in b),
    ("modalities-text", {"modalities": ["text"]}, _generation("responseModalities", ["TEXT"])),
    ("prompt_cache_key", {"prompt_cache_key": "conv-1"}, lambda b: "prompt_cache_key" not in b),
    ("store", {"store": False}, lambda b: "store" not in b),
    ("metadata", {"metadata": {"app": "x"}}, lambda b: "metadata" not in b),
]
_ANTHROPIC_BODY = {
    "invoke": TRANSLATED,
    "vertex": [*TRANSLATED, ("reasoning_effort", {"reasoning_effort": "low"},
                             lambda b: b["thinking"]["type"] in ("enabled", "adaptive"))],
}
ROWS = [(cloud, *row) for cloud, rows in [("converse", CONVERSE), *_ANTHROPIC_BODY.items(),
                                           ("gemini", GEMINI_ROWS)]
        for row in rows]
# The Claude column's routed rows. Converse also routes web search (litellm maps none) and
# the one service tier Bedrock has no name for (litellm would drop it); InvokeModel's
# Claude 3.5 is no reasoning model; neither Anthropic body takes a service tier. JSON mode
# on Converse: see the last test.
_ROUTED_BY = {
    "converse": [r for r in ROUTED if r[0] not in ("service_tier", "reasoning_effort")] + [
        ("web_search_options", {"web_search_options": {}}),
        ("service_tier-scale", {"service_tier": "scale"}),
        ("response_format-json_object", {"response_format": {"type": "json_object"}})],
    "invoke": [*ROUTED, ("service_tier-priority", {"service_tier": "priority"})],
    "vertex": [r for r in ROUTED if r[0] != "reasoning_effort"] + [
        ("service_tier-priority", {"service_tier": "priority"})],
    # Gemini: no end-user id, logit bias, verbosity or predicted output in litellm's mapping;
    # no parallel-calls switch in Gemini (litellm lists it, then sends nothing); legacy
    # functions would come back as tool_calls; no `scale` tier.
    "gemini": [("user", {"user": "user-42"}), ("safety_identifier", {"safety_identifier": "s"}),
               *[r for r in ROUTED if r[0] in ("logit_bias", "verbosity", "prediction",
                                               "functions", "function_call")],
               ("parallel_tool_calls", {"tools": TOOLS, "parallel_tool_calls": False}),
               ("service_tier-scale", {"service_tier": "scale"})],
}
ROUTED_ROWS = [(cloud, row, params) for cloud, rows in _ROUTED_BY.items()
               for row, params in rows]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("cloud", "params", "check"), [(c, p, k) for c, _, p, k in ROWS],
                         ids=[f"{c}-{r}" for c, r, _, _ in ROWS])
def test_each_parameter_arrives_translated(fake, gateways, cloud, params, check, mode):
    dep = cloud if mode != "whole" else f"{cloud}-whole"
    headers, answer = ask(gateways[dep], mode, **params)
    assert headers["x-tianji-provider"] == dep
    assert answer  # the client got the answer (text or a tool call), not an empty one
    body = arrived(fake, dep, mode, cloud, params)
    if cloud in ("invoke", "vertex"):
        assert "model" not in body and body["anthropic_version"] == (
            "vertex-2023-10-16" if cloud == "vertex" else "bedrock-2023-05-31")
    assert check(body)


@pytest.mark.parametrize("mode", ["json", "stream"])
@pytest.mark.parametrize(("cloud", "params"), [(c, p) for c, _, p in ROUTED_ROWS],
                         ids=[f"{c}-{r}" for c, r, _ in ROUTED_ROWS])
def test_a_parameter_the_cloud_cannot_honour_goes_to_the_openai_wire(
        fake, gateways, cloud, params, mode):
    headers, answer = ask(gateways[f"{cloud}-mixed"], mode, **params)
    assert headers["x-tianji-provider"] == f"{cloud}-o" and answer
    assert fake.calls(f"{cloud}-mixed") == []
    (call,) = fake.calls(f"{cloud}-o")
    assert all(call.body[k] == v for k, v in params.items())


@pytest.mark.parametrize("mode", ["json", "stream"])
@pytest.mark.parametrize(("cloud", "params"), [(c, p) for c, _, p in ROUTED_ROWS],
                         ids=[f"{c}-{r}" for c, r, _ in ROUTED_ROWS])
def test_with_only_the_cloud_in_reach_it_is_a_400_naming_the_parameter(
        fake, gateways, cloud, params, mode):
    with pytest.raises(openai.BadRequestError) as caught:
        ask(gateways[cloud], mode, **params)
    error = caught.value.body
    assert error["code"] == "unsupported_parameter" and error["param"] in params
    assert f"{cloud}: does not support parameter" in error["message"]
    assert fake.calls(cloud) == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_forced_function_comes_back_as_a_tool_call(fake, gateways, cloud, mode):
    dep = cloud if mode != "whole" else f"{cloud}-whole"
    _, answer = ask(gateways[dep], mode, tools=TOOLS, tool_choice="required")
    assert answer == "f"



def test_a_service_tier_bedrock_has_no_name_for_is_a_400_that_names_the_value(fake, gateways):
    """litellm sends Converse `serviceTier` for flex and priority and drops any other value:
    Tianji does not let it drop `scale` in silence."""
    with pytest.raises(openai.BadRequestError) as caught:
        ask(gateways["converse"], "json", service_tier="scale")
    assert caught.value.body["param"] == "service_tier"
    assert caught.value.body["message"] == (
        "no deployment up to tier 'small' supports the parameter 'service_tier' set to "
        "'scale': converse: does not support parameter service_tier: scale")


@pytest.fixture(scope="module")
def native(fake: Any) -> Iterator[Any]:
    """Claude Sonnet 4.5 on Anthropic's API (native structured output in litellm's table),
    then an OpenAI-wire deployment."""
    with run_gateway(make_config([[
            deployment(fake, "an", "anthropic", model="anthropic/claude-sonnet-4-5"),
            deployment(fake, "an-o", "openai")]])) as gw:
        yield gw


@pytest.mark.parametrize("mode", ["json", "stream"])
def test_json_mode_skips_claude_with_native_structured_output(fake, gateways, native, mode):
    """Native structured output (Converse's `outputConfig`, Anthropic's `output_format`) puts
    `additionalProperties: false` on every object, so JSON mode's schema of any object would
    admit only `{}`: Converse's and Anthropic's Claude 4.5 are skipped for `json_object`
    (Vertex's, on the forced-tool path, takes it: the Claude column's row), and take
    `json_schema` natively."""
    for gw, dep, other in ((gateways["converse-mixed"], "converse-mixed", "converse-o"),
                           (native, "an", "an-o")):
        headers, answer = ask(gw, mode, response_format={"type": "json_object"})
        assert headers["x-tianji-provider"] == other and answer
        assert fake.calls(dep) == []
        headers, _ = ask(gw, mode, response_format={
            "type": "json_schema", "json_schema": {"name": "thing", "schema": SCHEMA}})
        assert headers["x-tianji-provider"] == dep
    (call,) = fake.calls("an")
    assert call.body["output_format"]["schema"] == {**SCHEMA, "additionalProperties": False}
    assert "tools" not in call.body
    with pytest.raises(openai.BadRequestError) as caught:
        ask(gateways["converse"], mode, response_format={"type": "json_object"})
    assert caught.value.body["param"] == "response_format"
    assert "'response_format' set to 'json_object'" in caught.value.body["message"]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_usage_chunk_comes_last_with_no_choices(fake, gateways, cloud):
    chunks = list(gateways[cloud].client.chat.completions.create(
        model="small", messages=HI, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 8
    assert all(c.usage is None for c in chunks[:-1])
    assert "".join(c.choices[0].delta.content or "" for c in chunks[:-1]) == (
        f"Hello from {cloud}! This is a fake answer.")


@pytest.mark.parametrize("mode", MODES)
def test_gemini_answers_as_json_and_as_a_stream(fake, gateways, mode):
    """litellm marks no Gemini chunk as finished (the finish reason is only its
    `intermittent_finish_reason`): Tianji still reads Gemini's STOP as the provider's end."""
    dep = "gemini" if mode != "whole" else "gemini-whole"
    headers, answer = ask(gateways[dep], mode)
    assert headers["x-tianji-provider"] == dep
    assert answer == f"Hello from {dep}! This is a fake answer."
    assert arrived(fake, dep, mode, "gemini")["contents"] == [
        {"role": "user", "parts": [{"text": "hi"}]}]


@pytest.mark.parametrize("mode", MODES)
def test_n_on_gemini_answers_each_candidate(fake, gateways, mode):
    gw = gateways["gemini" if mode != "whole" else "gemini-whole"]
    raw = gw.client.chat.completions.with_raw_response.create(
        model="small", messages=HI, n=2, stream=mode == "stream")
    if mode == "stream":
        texts: dict[int, str] = {}
        for chunk in raw.parse():
            for choice in chunk.choices:
                texts[choice.index] = texts.get(choice.index, "") + (choice.delta.content or "")
    else:
        texts = {c.index: c.message.content for c in raw.parse().choices}
    assert sorted(texts) == [0, 1] and len(set(texts.values())) == 1


@pytest.mark.parametrize("mode", ["json", "stream"])
def test_audio_gemini_cannot_produce_is_a_clear_400(fake, gateways, mode):
    """litellm lists `audio` for Gemini but refuses a non-TTS request for it before any call:
    a 400 in the OpenAI shape that says why, and nothing sent."""
    with pytest.raises(openai.BadRequestError) as caught:
        ask(gateways["gemini"], mode, modalities=["text", "audio"],
            audio={"voice": "alloy", "format": "wav"})
    assert "audio format" in caught.value.body["message"]
    assert fake.calls("gemini") == []
    headers, _ = ask(gateways["gemini-mixed"], mode, modalities=["text", "audio"],
                     audio={"voice": "alloy", "format": "wav"})
    assert headers["x-tianji-provider"] == "gemini-o"


@pytest.mark.parametrize("mode", ["json", "stream"])
def test_log_probabilities_come_back_from_gemini(fake, gateways, mode):
    raw = gateways["gemini"].client.chat.completions.with_raw_response.create(
        model="small", messages=HI, logprobs=True, top_logprobs=2, stream=mode == "stream")
    if mode == "stream":
        tokens = [t for c in raw.parse() if c.choices and c.choices[0].logprobs
                  for t in c.choices[0].logprobs.content]
    else:
        tokens = raw.parse().choices[0].logprobs.content
    assert "".join(t.token for t in tokens) == "Hello from gemini! This is a fake answer."
    assert all(t.logprob == -0.25 and len(t.top_logprobs) == 2 for t in tokens)
