"""router/transport.py must do exactly what litellm.acompletion does, only cheaper.

Each case sends the same call through `litellm.acompletion` and through
`LeanTransport.acompletion` to two fake deployments and compares what the
provider received (path, body, auth headers), the answer, and for every fault
the exception class, status, Retry-After and message. The lean path reaches
below litellm's top-level API (provider configs, exception mapping); if a
litellm upgrade changes any of that, these tests fail loudly.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import litellm
import pytest

from router.errors import classify
from router.transport import LeanTransport
from router.upstream import quiet_litellm
from tests.fakeprovider import Fault, FaultKind

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
    # see tests/fakeprovider/README.md; the lean path must not send it to the provider).
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
        sessions.append(lean._session)

    asyncio.run(one())  # asyncio.run cancels the pool's keeper task, which closes it
    asyncio.run(one())
    assert len(sessions) == 2 and sessions[0] is not sessions[1]
    assert all(s is not None and s.closed for s in sessions)

    async def closed_by_aclose() -> None:
        await _call(lean.acompletion, "openai", base, REQUESTS["plain"])
        session = lean._session
        await lean.aclose()
        assert session is not None and session.closed and lean._session is None

    asyncio.run(closed_by_aclose())


def test_only_plain_api_key_deployments_take_the_lean_path():
    lean = LeanTransport()
    ok = {"api_key": KEY, "api_base": "http://127.0.0.1:9/v1"}
    assert lean.supports("openai/gpt-x", ok, stream=False)
    assert lean.supports("anthropic/claude-x", {"api_key": KEY}, stream=False)
    assert not lean.supports("openai/gpt-x", ok, stream=True)
    assert not lean.supports("openai/gpt-x", {"api_base": "http://127.0.0.1:9/v1"}, stream=False)
    assert not lean.supports("openai/gpt-x", {**ok, "organization": "org"}, stream=False)
    assert not lean.supports("bedrock/anthropic.claude-x", {"api_key": KEY}, stream=False)
    assert not lean.supports("vertex_ai/claude-x", {"api_key": KEY}, stream=False)
    assert not lean.supports("azure/gpt-x", ok, stream=False)
