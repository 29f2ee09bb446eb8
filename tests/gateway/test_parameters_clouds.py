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
from tests.anthropic.conftest import BEDROCK_HAIKU, bedrock, service_account, vertex
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
    ("response_format-json_object", {"response_format": {"type": "json_object"}},
     lambda b: b["toolConfig"]["toolChoice"] == {"tool": {"name": "json_tool_call"}}
     and "outputConfig" not in b),
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
# Claude 3.5 is no reasoning model; neither Anthropic body takes a service tier.
_ROUTED_BY = {
    "converse": [r for r in ROUTED if r[0] not in ("service_tier", "reasoning_effort")] + [
        ("web_search_options", {"web_search_options": {}}),
        ("service_tier-scale", {"service_tier": "scale"})],
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


# JSON mode on each Claude cloud: Claude 4.5 with native structured output on Anthropic's API
# and on Bedrock (Converse, InvokeModel), where Tianji sends litellm's JSON tool itself, and on
# Vertex AI (no native output in litellm's table), where litellm's tool path sends it.
JSON_CLOUDS = ("anthropic", "converse", "invoke", "vertex")
ANSWER = {"city": "Porto", "day": 3, "tags": ["meeting"]}


def _answers_json(fake: Any, dep: str) -> None:
    """The deployment's answer is ANSWER (the fake writes it into a forced tool's input; its
    text is a format string, so braces are doubled)."""
    fake.configure(dep, text=json.dumps(ANSWER).replace("{", "{{").replace("}", "}}"))


def _json_cloud(fake: Any, credentials: str, cloud: str, name: str) -> dict:
    if cloud == "anthropic":
        return deployment(fake, name, "anthropic", model="anthropic/claude-sonnet-4-5")
    if cloud == "invoke":
        # Tianji's table lookup does not find `invoke/` ids of Claude 4.5: say what it takes.
        return bedrock(fake, name, f"invoke/{BEDROCK_HAIKU}", supports=["tools", "json"])
    return _cloud(fake, credentials, cloud, name)


@pytest.fixture(scope="module")
def json_gateways(fake: Any, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[dict[str, Any]]:
    """Per cloud: `json-<cloud>` alone, `json-<cloud>-whole` with `stream_upstream: false`."""
    credentials = service_account(fake, tmp_path_factory.mktemp("vertex-json"))
    with contextlib.ExitStack() as stack:
        made: dict[str, Any] = {}
        for cloud in JSON_CLOUDS:
            for name, resilience in ((f"json-{cloud}", {}),
                                     (f"json-{cloud}-whole", {"stream_upstream": False})):
                made[name] = stack.enter_context(run_gateway(make_config(
                    [[_json_cloud(fake, credentials, cloud, name)]], resilience=resilience)))
        yield made


def _forced_json_tool(cloud: str, body: dict[str, Any]) -> dict[str, Any]:
    """The JSON tool's schema, after checking the request forces that tool and asks for no
    native structured output."""
    assert "output_format" not in body and "outputConfig" not in body
    assert "format" not in (body.get("output_config") or {})
    if cloud == "converse":
        (tool,) = body["toolConfig"]["tools"]
        assert body["toolConfig"]["toolChoice"] == {"tool": {"name": "json_tool_call"}}
        assert tool["toolSpec"]["name"] == "json_tool_call"
        return dict(tool["toolSpec"]["inputSchema"]["json"])
    (tool,) = body["tools"]
    assert body["tool_choice"] == {"type": "tool", "name": "json_tool_call"}
    assert tool["name"] == "json_tool_call"
    return dict(tool["input_schema"])


def _tokens(usage: dict[str, Any]) -> tuple[int, int]:
    """(prompt, completion) tokens as the provider reported them (Converse's names or
    Anthropic's)."""
    if "inputTokens" in usage:
        return usage["inputTokens"], usage["outputTokens"]
    return usage["input_tokens"], usage["output_tokens"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cloud", JSON_CLOUDS)
def test_json_mode_answers_the_object_as_the_message_content(fake, json_gateways, cloud, mode):
    """`response_format: json_object` reaches each Claude cloud as a forced tool open to any
    object (never native structured output, whose `additionalProperties: false` would admit
    only `{}`), and the openai SDK gets the tool's input as the message's content: the
    object, finish reason `stop`, no tool call, the provider's usage."""
    dep = f"json-{cloud}" if mode != "whole" else f"json-{cloud}-whole"
    _answers_json(fake, dep)
    gw = json_gateways[dep]
    if mode == "stream":
        chunks = list(gw.client.chat.completions.create(
            model="small", messages=HI, response_format={"type": "json_object"}, stream=True,
            stream_options={"include_usage": True}))
        content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert not any(c.choices[0].delta.tool_calls for c in chunks if c.choices)
        (finish,) = [c.choices[0].finish_reason for c in chunks
                     if c.choices and c.choices[0].finish_reason]
        usage = chunks[-1].usage
    else:
        completion = gw.client.chat.completions.create(
            model="small", messages=HI, response_format={"type": "json_object"})
        (choice,) = completion.choices
        content, finish, usage = choice.message.content, choice.finish_reason, completion.usage
        assert choice.message.tool_calls is None
    assert json.loads(content) == ANSWER and finish == "stop"
    (call,) = fake.calls(dep)
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens) == _tokens(call.usage)
    schema = _forced_json_tool(cloud, call.body)
    assert schema["type"] == "object" and schema.get("additionalProperties", True) is True
    assert not schema.get("required")


@pytest.mark.parametrize("mode", ["json", "stream"])
@pytest.mark.parametrize("cloud", JSON_CLOUDS)
def test_responses_text_format_json_object_answers_the_object(fake, json_gateways, cloud, mode):
    """/v1/responses with `text.format: json_object`: the object is the output text."""
    dep = f"json-{cloud}"
    _answers_json(fake, dep)
    responses = json_gateways[dep].client.responses
    if mode == "stream":
        events = list(responses.create(model="small", input="Where and when?", stream=True,
                                       text={"format": {"type": "json_object"}}))
        response = events[-1].response
        assert events[-1].type == "response.completed"
    else:
        response = responses.create(model="small", input="Where and when?",
                                    text={"format": {"type": "json_object"}})
    assert json.loads(response.output_text) == ANSWER
    assert [item.type for item in response.output] == ["message"]
    (call,) = fake.calls(dep)
    _forced_json_tool(cloud, call.body)


def test_json_mode_beside_client_tools_adds_the_json_tool_and_forces_it(fake, json_gateways):
    """As litellm's tool path does for Claude without native output: the client's tools are
    sent, the JSON tool after them, and the JSON tool is the one forced."""
    _answers_json(fake, "json-anthropic")
    completion = json_gateways["json-anthropic"].client.chat.completions.create(
        model="small", messages=HI, response_format={"type": "json_object"}, tools=TOOLS)
    assert json.loads(completion.choices[0].message.content) == ANSWER
    body = fake.calls("json-anthropic")[0].body
    assert [t["name"] for t in body["tools"]] == ["f", "json_tool_call"]
    assert body["tool_choice"] == {"type": "tool", "name": "json_tool_call"}


def test_json_mode_with_thinking_offers_the_json_tool_unforced(fake, json_gateways):
    """Claude takes no forced tool with extended thinking on (`reasoning_effort`): the JSON
    tool is offered with `tool_choice` left to the model, as on litellm's tool path."""
    json_gateways["json-anthropic"].client.chat.completions.create(
        model="small", messages=HI, response_format={"type": "json_object"},
        reasoning_effort="low", max_tokens=4096)
    body = fake.calls("json-anthropic")[0].body
    assert body["thinking"]["type"] in ("enabled", "adaptive")
    assert [t["name"] for t in body["tools"]] == ["json_tool_call"]
    assert body.get("tool_choice", {"type": "auto"})["type"] == "auto"
    assert "output_format" not in body


def test_json_schema_stays_native_structured_output(fake, json_gateways):
    """Only JSON mode takes the tool: a `json_schema` is sent to Claude 4.5 as native
    structured output (`output_format`), with litellm's `additionalProperties: false`."""
    json_gateways["json-anthropic"].client.chat.completions.create(
        model="small", messages=HI, response_format={
            "type": "json_schema", "json_schema": {"name": "thing", "schema": SCHEMA}})
    body = fake.calls("json-anthropic")[0].body
    assert body["output_format"]["schema"] == {**SCHEMA, "additionalProperties": False}
    assert "tools" not in body


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
