"""router/direct.py must send what the lean transport sends and fail as it fails, without
litellm on the way to an answer.

Each case streams the same call through `LeanTransport` (litellm's OpenAI config) and
`DirectTransport` to two fake deployments, and compares what the provider received (path,
body, auth and content-type headers), the chunks, and for every fault the exception class,
status, kind, Retry-After and message. The direct path awaits `need_litellm` before anything
that needs litellm: never on the way to an answer, always before an error. That litellm is
then not even imported is checked in a fresh interpreter by tests/test_startup.py.
"""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest

from router.direct import DirectTransport, plain_call, plain_deployment
from router.errors import classify
from router.params import for_provider
from router.transport import LeanTransport
from router.upstream import quiet_litellm
from tests.test_transport import KEY, MID_STREAM, STREAM_FAULTS

MODEL = "openai/gpt-fake"
_DEP: Any = SimpleNamespace(provider="openai", model=MODEL)  # what for_provider reads
PLAIN: dict[str, dict[str, Any]] = {
    "one": {"messages": [{"role": "user", "content": "hi"}]},
    "params": {
        "messages": [{"role": "system", "content": "be brief"},
                     {"role": "user", "content": "hi", "name": "ann"},
                     {"role": "assistant", "content": "hello"},
                     {"role": "user", "content": "again"}],
        "temperature": 0.3, "top_p": 0.9, "max_tokens": 77, "stop": ["END", "STOP"], "seed": 7,
        "user": "u-1", "presence_penalty": 0.1, "frequency_penalty": 0.2, "n": 1,
        "max_completion_tokens": 60,
    },
    "stop_string": {"messages": [{"role": "user", "content": "hi"}], "stop": "END"},
}


def _stream_both(fake: Any, name: str, request: dict[str, Any],
                 timeout: float = 10) -> dict[str, Any]:
    quiet_litellm()
    lean = LeanTransport()
    needed: list[int] = []

    async def need_litellm() -> None:
        needed.append(1)

    direct = DirectTransport(need_litellm)
    out: dict[str, Any] = {}

    async def run() -> None:
        for label, fn in (("lean", lean.acompletion), ("direct", direct.acompletion)):
            dep = f"{name}-{label[:2]}"  # same length both ways: the fake echoes it
            base = fake.openai_base(dep)
            assert plain_deployment(MODEL, {"api_key": KEY, "api_base": base})
            assert plain_call(request)
            needed.clear()
            chunks: list[Any] = []
            error: Any = None
            stream: Any = None
            # As router/upstream.py calls each: the lean path after Tianji's translations
            # (`user` in extra_body for a model outside litellm's catalog), the direct one as is.
            sent = for_provider(_DEP, request) if label == "lean" else request
            try:
                stream = await fn(model=MODEL, api_base=base, api_key=KEY, num_retries=0,
                                  max_retries=0, drop_params=True, stream=True,
                                  stream_options={"include_usage": True}, as_dicts=True,
                                  _skip_mcp_handler=True, timeout=timeout,
                                  **json.loads(json.dumps(sent)))
                async for chunk in stream:  # (the fake numbers its answers: not compared)
                    chunks.append({k: v for k, v in chunk.items() if k not in ("id", "created")})
            except Exception as exc:  # noqa: BLE001 - the exception is what we compare
                failure = classify(exc)
                error = (type(exc).__name__, getattr(exc, "status_code", None), failure.kind,
                         failure.status, failure.retry_after, failure.message)
            finally:
                if stream is not None:
                    await stream.aclose()
            calls = fake.calls(dep)
            out[label] = {
                "chunks": json.loads(json.dumps(chunks).replace(dep, "DEP")),
                "error": json.loads(json.dumps(error).replace(dep, "DEP")),
                "received": getattr(stream, "received_finish_reason", None),
                "call": calls[0] if calls else None,
                "needed": len(needed),
            }
        await lean.aclose()

    asyncio.run(run())
    return out


@pytest.mark.parametrize("case", sorted(PLAIN))
def test_the_provider_sees_the_same_request_and_the_chunks_are_the_same(fake, case):
    name = f"d-{case}"
    out = _stream_both(fake, name, PLAIN[case])
    lean, direct = out["lean"], out["direct"]
    assert lean["error"] is None and direct["error"] is None
    assert direct["chunks"] == lean["chunks"] and direct["chunks"]
    assert direct["received"] == lean["received"] == "stop"
    assert direct["call"].path.replace(f"{name}-di", "DEP") == lean["call"].path.replace(
        f"{name}-le", "DEP")
    assert direct["call"].body == lean["call"].body
    for header in ("authorization", "content-type"):
        assert direct["call"].headers.get(header) == lean["call"].headers.get(header), header
    assert direct["needed"] == 0  # an answer needs nothing of litellm


@pytest.mark.parametrize("fault", STREAM_FAULTS, ids=lambda f: f"{f.kind.value}-{f.status}")
def test_every_fault_before_the_stream_raises_what_the_lean_path_raises(fake, fault):
    name = f"d-{fault.kind.value}-{fault.status}"
    for label in ("le", "di"):
        fake.set_fault(f"{name}-{label}", fault)
    out = _stream_both(fake, name, PLAIN["one"])
    assert out["lean"]["error"] is not None
    assert out["direct"]["error"] == out["lean"]["error"]
    assert out["direct"]["needed"] >= 1  # litellm awaited before its exception was built


@pytest.mark.parametrize("where", list(MID_STREAM))
def test_a_broken_stream_fails_as_the_lean_path_fails(fake, where):
    name = f"d-mid-{where}"
    for label in ("le", "di"):
        fake.set_fault(f"{name}-{label}", MID_STREAM[where])
    out = _stream_both(fake, name, PLAIN["one"], timeout=1)
    lean, direct = out["lean"], out["direct"]
    assert lean["error"] is not None and direct["error"] == lean["error"]
    assert direct["chunks"] == lean["chunks"]
    assert direct["received"] is None and direct["needed"] >= 1


def test_a_connection_refused_fails_as_the_lean_path_fails():
    out = {}

    async def need_litellm() -> None:
        pass

    async def run() -> None:
        base = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
        for label, transport in (("lean", LeanTransport()),
                                 ("direct", DirectTransport(need_litellm))):
            try:
                await transport.acompletion(
                    model=MODEL, api_base=base, api_key=KEY, stream=True, timeout=5,
                    messages=[{"role": "user", "content": "hi"}])
            except Exception as exc:  # noqa: BLE001 - the exception is what we compare
                failure = classify(exc)
                out[label] = (type(exc).__name__, failure.kind, failure.status, failure.message)

    quiet_litellm()
    asyncio.run(run())
    assert out["direct"] == out["lean"] and out["lean"][1] == "transient"


@pytest.mark.parametrize("params", [
    {"tools": [{"type": "function", "function": {"name": "f"}}]},
    {"response_format": {"type": "json_object"}},
    {"logprobs": True},
    {"n": 2},
    {"stop": ["a", "b", "c", "d", "e"]},  # litellm keeps the first 4
    {"temperature": True},
    {"messages": [{"role": "developer", "content": "d"}, {"role": "user", "content": "hi"}]},
    {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]},
    {"messages": [{"role": "tool", "content": "x", "tool_call_id": "c"}]},
    {"messages": [{"role": "user", "content": "hi", "cache_control": {"type": "ephemeral"}}]},
    {"messages": []},
])
def test_anything_beyond_text_and_sampling_parameters_is_left_to_litellm(params):
    assert plain_call(PLAIN["one"])
    assert not plain_call({**PLAIN["one"], **params})


@pytest.mark.parametrize("model, params, plain", [
    (MODEL, {"api_key": KEY, "api_base": "http://10.0.0.5:8000/v1"}, True),
    (MODEL, {"api_key": KEY, "api_base": "https://api.openai.com/v1"}, False),  # TLS: litellm
    (MODEL, {"api_key": KEY}, False),  # the default base URL and its env vars: litellm's
    (MODEL, {"api_base": "http://10.0.0.5:8000/v1"}, False),
    (MODEL, {"api_key": KEY, "api_base": "http://h/v1", "organization": "o"}, False),
    ("openai/o3-mini", {"api_key": KEY, "api_base": "http://h/v1"}, False),
    ("openai/gpt-5-mini", {"api_key": KEY, "api_base": "http://h/v1"}, False),
    ("openai/gpt-4o-audio-preview", {"api_key": KEY, "api_base": "http://h/v1"}, False),
    ("anthropic/claude-fake", {"api_key": KEY, "api_base": "http://h/v1"}, False),
    ("azure/gpt-fake", {"api_key": KEY, "api_base": "http://h/v1"}, False),
])
def test_only_plain_openai_wire_deployments_take_the_direct_path(model, params, plain):
    assert plain_deployment(model, params) is plain
