"""router/transport.py must do exactly what litellm.acompletion does, only cheaper.

Each case sends the same call through `litellm.acompletion` and through
`LeanTransport.acompletion` to two fake deployments and compares what the
provider received (path, body, auth headers), the answer, and for every fault
the exception class, status, Retry-After and message. The lean path reaches
below litellm's top-level API (provider configs, exception mapping); if a
litellm upgrade changes any of that, these tests fail loudly. Streams are compared
on what a client assembles (text, tool calls, finish reason, usage) and on every
failure before the first chunk; a stream broken mid-body must raise, and one that
just ends must not claim the provider finished it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import litellm
import pytest

from router.errors import Kind, classify
from router.fakeprovider import Fault, FaultKind
from router.transport import LeanTransport
from router.upstream import quiet_litellm
from tests.waiting import wait_for_async

KEY = "sk-fake-transport-key-0123456789abcdef"
MODELS = {"openai": "openai/gpt-fake", "anthropic": "anthropic/claude-fake"}
TOOLS = [{"type": "function", "function": {"name": "lookup", "description": "d",
                                            "parameters": {"type": "object"}}}]
REQUESTS: dict[str, dict[str, Any]] = {
    "plain": {"messages": [{"role": "user", "content": "hi"}]},
    "params": {
        "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
        "temperature": 0.3, "top_p": 0.9, "max_tokens": 77, "stop": ["END"], "seed": 7,
        "user": "u-1",
    },
    "developer_json": {
        "messages": [{"role": "developer", "content": "dev"}, {"role": "user", "content": "hi"}],
        "response_format": {"type": "json_object"},
    },
    "tools": {"messages": [{"role": "user", "content": "call"}], "tools": TOOLS,
              "tool_choice": "required"},
    "every_param": {  # everything router/schema.py passes through, besides tools
        "messages": [{"role": "user", "content": "hi"}],
        "frequency_penalty": 0.1, "presence_penalty": 0.2, "logit_bias": {"50256": -100},
        "logprobs": True, "top_logprobs": 2, "n": 1, "parallel_tool_calls": False,
        "reasoning_effort": "low", "max_completion_tokens": 30, "tools": TOOLS,
    },
    "legacy_functions": {
        "messages": [{"role": "user", "content": "call"}],
        "functions": [TOOLS[0]["function"]], "function_call": "auto",
    },
    "image": {
        "messages": [{"role": "user", "content": [
            {"type": "text", "text": "look"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        ]}],
        "max_completion_tokens": 20,
    },
}
FAULTS = [
    *(Fault(FaultKind.HTTP_ERROR, status=s, retry_after=2)
      for s in (429, 500, 502, 503, 504, 529, 401, 403, 404)),
    Fault(FaultKind.NON_JSON, status=502),
    Fault(FaultKind.RESET),
    Fault(FaultKind.CONTEXT_LENGTH),
    Fault(FaultKind.CONTENT_FILTER),
    Fault(FaultKind.STALL, delay=0.1, close=True),
    Fault(FaultKind.STREAM_CUT),
]


def _base(fake: Any, wire: str, dep: str) -> str:
    return fake.openai_base(dep) if wire == "openai" else fake.anthropic_base(dep)


def _call(fn: Any, wire: str, base: str, request: dict[str, Any]) -> Any:
    # The keyword arguments router/upstream.py passes, the same both ways (_skip_mcp_handler:
    # see router/fakeprovider/README.md; the lean path must not send it to the provider).
    kwargs = {"timeout": 10, **request}
    return fn(model=MODELS[wire], api_base=base, api_key=KEY, num_retries=0,
              max_retries=0, drop_params=True, stream=False, _skip_mcp_handler=True, **kwargs)


def _both(fake: Any, wire: str, name: str, request: dict[str, Any]) -> dict[str, Any]:
    """Run the call both ways; return {"ac"|"lean": (response or error, recorded call)}."""
    quiet_litellm()
    lean = LeanTransport()
    out: dict[str, Any] = {}

    async def run() -> None:
        for label, fn in (("ac", litellm.acompletion), ("lean", lean.acompletion)):
            dep = f"{name}-{label[:2]}"  # same length both ways: the fake echoes it
            base = _base(fake, wire, dep)
            assert lean.supports(MODELS[wire], {"api_key": KEY, "api_base": base}, stream=False)
            try:
                result: Any = (await _call(fn, wire, base, request)).model_dump(exclude_none=True)
                for key in ("id", "created"):
                    result.pop(key, None)
            except Exception as exc:  # noqa: BLE001 - the exception is what we compare
                failure = classify(exc)
                result = (type(exc).__name__, getattr(exc, "status_code", None),
                          failure.kind, failure.status, failure.retry_after, failure.message)
            calls = fake.calls(dep)
            out[label] = (json.loads(json.dumps(result).replace(dep, "DEP")),
                          calls[0] if calls else None)
        await lean.aclose()

    asyncio.run(run())
    return out


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("case", sorted(REQUESTS))
def test_the_provider_sees_the_same_request_and_we_get_the_same_answer(fake, wire, case):
    name = f"{wire}-{case}"
    out = _both(fake, wire, name, REQUESTS[case])
    (ac, ac_call), (lean, lean_call) = out["ac"], out["lean"]
    assert lean == ac
    assert lean_call.path.replace(f"{name}-le", "DEP") == ac_call.path.replace(f"{name}-ac", "DEP")
    assert lean_call.body == ac_call.body
    for header in ("authorization", "x-api-key", "anthropic-version", "content-type"):
        assert lean_call.headers.get(header) == ac_call.headers.get(header), header


def test_a_request_litellm_cannot_build_fails_the_same_way_and_reaches_no_provider(fake):
    """A parameter litellm's Anthropic mapping chokes on (response_format without a type; the
    gateway's schema rejects it first, this is the second line): both paths raise the same
    error, read as untranslatable (not the provider's fault), and nothing is sent."""
    out = _both(fake, "anthropic", "anthropic-unbuildable",
                {**REQUESTS["plain"], "response_format": {"schema": {}}})
    assert out["lean"] == out["ac"]
    result, call = out["lean"]
    assert result[2] == Kind.UNTRANSLATABLE.value and call is None


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.kind.value}-{f.status}")
def test_every_fault_raises_the_same_exception(fake, wire, fault):
    name = f"{wire}-{fault.kind.value}-{fault.status}"
    for label in ("ac", "le"):
        fake.set_fault(f"{name}-{label}", fault)
    out = _both(fake, wire, name, REQUESTS["plain"])
    assert out["lean"][0] == out["ac"][0]


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_slow_provider_times_out_the_same_way(fake, wire):
    name = f"{wire}-slow"
    for label in ("ac", "le"):
        fake.set_fault(f"{name}-{label}", Fault(FaultKind.STALL, delay=3))
    out = _both(fake, wire, name, {**REQUESTS["plain"], "timeout": 0.5})
    # Same class, status, kind, Retry-After; litellm's message carries the time taken.
    assert out["lean"][0][:5] == out["ac"][0][:5]
    assert out["lean"][0][0] == "Timeout"
    assert out["lean"][0][5].startswith("litellm.Timeout: ")


def test_the_pool_is_per_event_loop_and_closed_with_it(fake):
    lean = LeanTransport()
    base = fake.openai_base("pool")
    sessions = []

    async def one() -> None:
        await _call(lean.acompletion, "openai", base, REQUESTS["plain"])
        await _call(lean.acompletion, "openai", base, REQUESTS["plain"])
        sessions.append(lean._http._session)

    asyncio.run(one())  # asyncio.run cancels the pool's keeper task, which closes it
    asyncio.run(one())
    assert len(sessions) == 2 and sessions[0] is not sessions[1]
    assert all(s is not None and s.closed for s in sessions)

    async def closed_by_aclose() -> None:
        await _call(lean.acompletion, "openai", base, REQUESTS["plain"])
        session = lean._http._session
        await lean.aclose()
        assert session is not None and session.closed and lean._http._session is None

    asyncio.run(closed_by_aclose())


def test_only_plain_api_key_deployments_take_the_lean_path():
    lean = LeanTransport()
    ok = {"api_key": KEY, "api_base": "http://127.0.0.1:9/v1"}
    assert lean.supports("openai/gpt-x", ok, stream=False)
    assert lean.supports("anthropic/claude-x", {"api_key": KEY}, stream=False)
    assert lean.supports("openai/gpt-x", ok, stream=True)
    assert lean.supports("anthropic/claude-x", {"api_key": KEY}, stream=True)
    assert not lean.supports("openai/gpt-x", {"api_base": "http://127.0.0.1:9/v1"}, stream=False)
    assert not lean.supports("openai/gpt-x", {**ok, "organization": "org"}, stream=False)
    assert not lean.supports("bedrock/anthropic.claude-x", {"api_key": KEY}, stream=False)
    assert not lean.supports("vertex_ai/claude-x", {"api_key": KEY}, stream=False)
    assert not lean.supports("azure/gpt-x", ok, stream=False)


# Streams: the same comparison, on what a client of the gateway sees (text, tool calls, finish
# reason, usage, received_finish_reason) and on every failure before the first chunk.
STREAM_REQUESTS = ["plain", "params", "tools", "developer_json"]
STREAM_FAULTS = [f for f in FAULTS if f.kind is not FaultKind.STREAM_CUT]
MID_STREAM = {
    "cut": Fault(FaultKind.STREAM_CUT, after_chunks=4),
    "malformed": Fault(FaultKind.MALFORMED_CHUNK, after_chunks=4),
    "stall": Fault(FaultKind.STREAM_STALL, after_chunks=4, delay=3),
    "cut-first": Fault(FaultKind.STREAM_CUT, after_chunks=0),
    "malformed-first": Fault(FaultKind.MALFORMED_CHUNK, after_chunks=0),
}


def _summary(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """What a client assembles from a stream."""
    text, finish, usage, tools = "", [], [], []
    for chunk in chunks:
        if chunk.get("usage"):
            u = chunk["usage"]
            usage.append({k: u[k] for k in ("prompt_tokens", "completion_tokens", "total_tokens")})
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            text += delta.get("content") or ""
            for call in delta.get("tool_calls") or ():
                fn = call.get("function") or {}
                tools.append((call.get("id"), fn.get("name"), fn.get("arguments")))
            if choice.get("finish_reason"):
                finish.append(choice["finish_reason"])
    first = chunks[0]["choices"][0]["delta"] if chunks and chunks[0].get("choices") else {}
    return {"text": text, "finish": finish, "usage": usage, "tools": tools,
            "role": first.get("role"), "ids": len({c.get("id") for c in chunks})}


def _stream_both(fake: Any, wire: str, name: str, request: dict[str, Any],
                 timeout: float = 10) -> dict[str, Any]:
    quiet_litellm()
    lean = LeanTransport()
    out: dict[str, Any] = {}

    async def run() -> None:
        for label, fn in (("ac", litellm.acompletion), ("lean", lean.acompletion)):
            dep = f"{name}-{label[:2]}"
            base = _base(fake, wire, dep)
            assert lean.supports(MODELS[wire], {"api_key": KEY, "api_base": base}, stream=True)
            chunks: list[dict[str, Any]] = []
            error: Any = None
            stream: Any = None
            try:
                stream = await fn(model=MODELS[wire], api_base=base, api_key=KEY, num_retries=0,
                                  max_retries=0, drop_params=True, stream=True,
                                  stream_options={"include_usage": True},
                                  _skip_mcp_handler=True, timeout=timeout, **request)
                async for chunk in stream:
                    chunks.append(chunk.model_dump(exclude_none=True))
            except Exception as exc:  # noqa: BLE001 - the exception is what we compare
                failure = classify(exc)
                error = (type(exc).__name__, getattr(exc, "status_code", None), failure.kind,
                         failure.status, failure.retry_after, failure.message)
            finally:
                if stream is not None:
                    await stream.aclose()
            calls = fake.calls(dep)
            out[label] = {
                "summary": json.loads(json.dumps(_summary(chunks)).replace(dep, "DEP")),
                "chunks": chunks,
                "error": json.loads(json.dumps(error).replace(dep, "DEP")),
                "received": getattr(stream, "received_finish_reason", None),
                "call": calls[0] if calls else None,
            }
        await lean.aclose()

    asyncio.run(run())
    return out


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("case", STREAM_REQUESTS)
def test_a_stream_sends_the_same_request_and_gives_the_same_answer(fake, wire, case):
    name = f"s-{wire}-{case}"
    out = _stream_both(fake, wire, name, REQUESTS[case])
    ac, lean = out["ac"], out["lean"]
    assert ac["error"] is None and lean["error"] is None
    assert lean["summary"] == ac["summary"]
    assert lean["summary"]["finish"] and lean["summary"]["usage"]
    assert lean["received"] == ac["received"] is not None
    assert lean["call"].path.replace(f"{name}-le", "DEP") == ac["call"].path.replace(
        f"{name}-ac", "DEP")
    assert lean["call"].body == ac["call"].body
    for header in ("authorization", "x-api-key", "anthropic-version", "content-type"):
        assert lean["call"].headers.get(header) == ac["call"].headers.get(header), header
    # Every chunk is OpenAI's chat.completion.chunk, as router/api/chat.py relays it.
    for chunk in lean["chunks"]:
        assert chunk["object"] == "chat.completion.chunk" and "choices" in chunk


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("fault", STREAM_FAULTS, ids=lambda f: f"{f.kind.value}-{f.status}")
def test_every_fault_before_a_stream_raises_the_same_exception(fake, wire, fault):
    name = f"s-{wire}-{fault.kind.value}-{fault.status}"
    for label in ("ac", "le"):
        fake.set_fault(f"{name}-{label}", fault)
    out = _stream_both(fake, wire, name, REQUESTS["plain"])
    assert out["ac"]["error"] is not None
    assert out["lean"]["error"] == out["ac"]["error"]


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("where", list(MID_STREAM))
def test_a_broken_stream_raises_and_is_not_finished(fake, wire, where):
    """Cut, malformed or stalled mid-body: the lean stream raises a transient failure and
    never reports the provider's finish reason (litellm's Anthropic iterator instead buffers
    a malformed line and ends the stream quietly)."""
    name = f"s-{wire}-mid-{where}"
    for label in ("ac", "le"):
        fake.set_fault(f"{name}-{label}", MID_STREAM[where])
    out = _stream_both(fake, wire, name, REQUESTS["plain"], timeout=1)
    lean = out["lean"]
    assert lean["error"] is not None, lean["summary"]
    assert lean["error"][2] == "transient"
    assert lean["received"] is None and not lean["summary"]["finish"]
    if out["ac"]["error"] is not None:  # same kind of failure as acompletion
        assert lean["error"][2] == out["ac"]["error"][2]


def test_a_stream_that_ends_without_a_finish_reason_does_not_invent_one():
    async def run(wire: str, body: bytes) -> tuple[list[Any], Any]:
        from aiohttp import web

        async def handler(request: Any) -> Any:
            resp = web.StreamResponse(headers={"content-type": "text/event-stream"})
            await resp.prepare(request)
            await resp.write(body)
            await resp.write_eof()
            return resp

        app = web.Application()
        app.router.add_post("/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        lean = LeanTransport()
        base = f"http://127.0.0.1:{port}" + ("/v1" if wire == "openai" else "")
        try:
            stream = await lean.acompletion(
                model=MODELS[wire], api_base=base, api_key=KEY, stream=True,
                stream_options={"include_usage": True}, timeout=5, **REQUESTS["plain"])
            chunks = [c async for c in stream]
            await stream.aclose()
            return chunks, stream.received_finish_reason
        finally:
            await lean.aclose()
            await runner.cleanup()

    openai_body = (b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
                   b'"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},'
                   b'"finish_reason":null}]}\n\n')
    chunks, received = asyncio.run(run("openai", openai_body))
    assert received is None and chunks[0].choices[0].delta.content == "Hi"
    assert not any(c.choices and c.choices[0].finish_reason for c in chunks)
    # A server that ignores stream_options: usage counted, as CustomStreamWrapper counts it.
    assert chunks[-1].usage.completion_tokens > 0 and chunks[-1].usage.prompt_tokens > 0
    anthropic_body = (
        b'event: message_start\ndata: {"type":"message_start","message":{"id":"m1",'
        b'"type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,'
        b'"usage":{"input_tokens":3,"output_tokens":1}}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
        b'"delta":{"type":"text_delta","text":"Hi"}}\n\n')
    chunks, received = asyncio.run(run("anthropic", anthropic_body))
    assert received is None and chunks[0].choices[0].delta.content == "Hi"
    assert not any(c.choices and c.choices[0].finish_reason for c in chunks)


def test_closing_a_stream_early_drops_the_upstream_connection(fake):
    lean = LeanTransport()
    base = fake.openai_base("s-close")
    fake.set_fault("s-close", Fault(FaultKind.STREAM_STALL, after_chunks=2, delay=5))

    async def run() -> None:
        stream = await lean.acompletion(
            model=MODELS["openai"], api_base=base, api_key=KEY, stream=True, timeout=10,
            **REQUESTS["plain"])
        await anext(stream)
        await stream.aclose()
        await wait_for_async(lambda: fake.calls("s-close")[0].disconnected,
                             "the provider to see the connection closed", timeout=5)
        await lean.aclose()

    asyncio.run(run())


# The same parameter names as REQUESTS' cases with other values: the lean path memoises
# litellm's parameter mapping per set of names, never the values.
OTHER_VALUES = {
    "params": {"messages": [{"role": "user", "content": "again"}], "temperature": 1.1,
               "top_p": 0.4, "max_tokens": 12, "stop": ["HALT"], "seed": 99, "user": "u-2"},
    "tools": {"messages": [{"role": "user", "content": "again"}],
              "tools": [{"type": "function", "function": {"name": "other", "parameters": {}}}],
              "tool_choice": "auto"},
    "developer_json": {"messages": [{"role": "user", "content": "again"}],
                       "response_format": {"type": "text"}},
}


@pytest.mark.parametrize("case", sorted(OTHER_VALUES))
def test_a_memoised_parameter_mapping_sends_each_call_its_own_values(fake, case):
    quiet_litellm()
    lean = LeanTransport()

    async def run() -> None:
        for i, request in enumerate((REQUESTS[case], OTHER_VALUES[case], REQUESTS[case])):
            base = fake.openai_base(f"memo-{case}-{i}")
            assert lean.supports(MODELS["openai"], {"api_key": KEY, "api_base": base},
                                 stream=False)
            await _call(lean.acompletion, "openai", base, request)
        for i, request in enumerate((REQUESTS[case], OTHER_VALUES[case])):
            await _call(litellm.acompletion, "openai", fake.openai_base(f"memo-{case}-a{i}"),
                        request)
        await lean.aclose()

    asyncio.run(run())
    sent = [fake.calls(f"memo-{case}-{i}")[0].body for i in range(3)]
    expected = [fake.calls(f"memo-{case}-a{i}")[0].body for i in range(2)]
    assert sent == [expected[0], expected[1], expected[0]]
    assert sent[0] != sent[1]


@pytest.mark.parametrize("case", STREAM_REQUESTS)
def test_an_openai_stream_as_dicts_is_what_its_chunk_objects_dump_to(fake, case):
    quiet_litellm()
    lean = LeanTransport()
    got: dict[bool, list[Any]] = {}

    async def run() -> None:
        for as_dicts in (False, True):
            base = fake.openai_base(f"dicts-{case}-{int(as_dicts)}")
            assert lean.supports(MODELS["openai"], {"api_key": KEY, "api_base": base}, stream=True)
            stream = await lean.acompletion(
                model=MODELS["openai"], api_base=base, api_key=KEY, stream=True, timeout=10,
                stream_options={"include_usage": True}, as_dicts=as_dicts, **REQUESTS[case])
            got[as_dicts] = [chunk async for chunk in stream]
        await lean.aclose()

    asyncio.run(run())
    assert got[True] and all(isinstance(c, dict) for c in got[True])
    objects = [c.model_dump(exclude_none=True) for c in got[False]]
    # The fake numbers its answers, names the deployment and stamps `created` with the clock
    # (the two calls may fall in different seconds); everything else must match.
    def same(chunks: list[dict[str, Any]]) -> Any:
        kept = [{k: v for k, v in c.items() if k not in ("id", "created")} for c in chunks]
        return json.loads(json.dumps(kept)
                          .replace(f"dicts-{case}-1", "DEP").replace(f"dicts-{case}-0", "DEP"))

    assert same(got[True]) == same(objects)
