"""router/transport.py (the lean path) on requests and answers tests/test_transport.py does not
send: each case is compared with `litellm.acompletion` against the fake provider where the two
must agree (what the provider receives, what the caller gets), and checked on its own where the
lean path knows more than acompletion (a request litellm cannot build never reached a provider).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import litellm
import pytest
from aiohttp import web

from router.errors import Kind, classify
from router.fakeprovider import Fault, FaultKind
from router.transport import LeanTransport
from router.upstream import quiet_litellm
from tests.test_transport import (
    KEY,
    MID_STREAM,
    MODELS,
    REQUESTS,
    TOOLS,
    _base,
    _both,
    _stream_both,
)

WIRES = ["openai", "anthropic"]


@pytest.mark.parametrize("wire", WIRES)
def test_turns_of_the_same_role_in_a_row_reach_the_provider_as_acompletion_sends_them(fake, wire):
    """No "Please continue" turn is inserted between two user or two assistant turns (as
    litellm would with ensure_alternating_roles)."""
    request = {"messages": [
        {"role": "user", "content": "first question"},
        {"role": "user", "content": "second question"},
        {"role": "assistant", "content": "one"},
        {"role": "assistant", "content": "two"},
        {"role": "user", "content": "and now?"},
    ]}
    name = f"{wire}-same-role"
    out = _both(fake, wire, name, request)
    (ac, ac_call), (lean, lean_call) = out["ac"], out["lean"]
    assert lean == ac
    assert lean_call.body == ac_call.body
    contents = [m.get("content") for m in lean_call.body["messages"]]
    assert "second question" in str(contents) and "Please continue" not in str(contents)


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("tool_choice", [{"type": "function"}, 7], ids=["no-function", "int"])
def test_a_tool_choice_litellm_cannot_translate_is_untranslatable_and_sent_nowhere(
    fake, wire, tool_choice
):
    """litellm refuses the tool_choice while building the request (a BadRequestError that
    acompletion's caller cannot tell from a provider's 400): the lean path marks it as failed
    before any HTTP call, so the gateway tries another deployment instead of blaming this one."""
    lean = LeanTransport()
    dep = f"{wire}-bad-tool-choice"
    base = _base(fake, wire, dep)

    async def run() -> BaseException:
        assert lean.supports(MODELS[wire], {"api_key": KEY, "api_base": base}, stream=False)
        try:
            await lean.acompletion(model=MODELS[wire], api_base=base, api_key=KEY, timeout=10,
                                   messages=REQUESTS["plain"]["messages"], tools=TOOLS,
                                   tool_choice=tool_choice)
        except Exception as exc:  # noqa: BLE001 - the exception is what we check
            return exc
        finally:
            await lean.aclose()
        raise AssertionError("the call succeeded")

    exc = asyncio.run(run())
    failure = classify(exc)
    assert failure.kind is Kind.UNTRANSLATABLE, failure
    assert failure.message.startswith("Invalid tool choice"), failure.message
    assert fake.calls(dep) == []



# Error answers the fake provider does not give: (status, content type, body), served by a
# stand-in at /<case>/...
ERROR_BODIES = {
    "empty-500": (500, "text/plain", b""),
    "empty-429": (429, "text/plain", b""),
    "blank-502": (502, "text/plain", b"  \n"),
    "text-503": (503, "text/plain", b"upstream connect error or disconnect/reset"),
    "json-string-500": (500, "application/json", b'"overloaded"'),
    "json-list-400": (400, "application/json", b'[{"message": "bad"}]'),
    "json-no-error-key-400": (400, "application/json", b'{"message": "bad field", "code": 7}'),
    "json-error-string-500": (500, "application/json", b'{"error": "internal"}'),
}
# A 200 whose body is not JSON (a proxy's page): the JSON path only (a stream reads no event)
NOT_JSON_200 = {
    "html-200": (200, "text/html", b"<html><body>Gateway login</body></html>"),
    "cut-json-200": (200, "application/json", b'{"id": "chatcmpl-1", "choices": ['),
}


async def _error_server() -> tuple[Any, str]:
    async def handler(request: web.Request) -> web.Response:
        status, content_type, body = {**ERROR_BODIES, **NOT_JSON_200}[request.match_info["case"]]
        await request.read()
        return web.Response(status=status, body=body, headers={"content-type": content_type})

    app = web.Application()
    app.router.add_post("/{case}/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def _failure(fn: Any, model: str, base: str, *, stream: bool) -> tuple[Any, ...]:
    try:
        result = await fn(model=model, api_base=base, api_key=KEY, num_retries=0, max_retries=0,
                          drop_params=True, stream=stream, timeout=10, _skip_mcp_handler=True,
                          **REQUESTS["plain"])
        if stream:
            async for _ in result:
                pass
    except Exception as exc:  # noqa: BLE001 - the exception is what we compare
        failure = classify(exc)
        return (type(exc).__name__, getattr(exc, "status_code", None), failure.kind,
                failure.status, failure.retry_after, failure.message)
    raise AssertionError("no error")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("wire", WIRES)
def test_an_error_answer_of_any_body_fails_as_acompletion_fails(wire, stream):
    """An error status with an empty, blank, plain-text or unusual JSON body: the same
    exception class, status, kind and message as acompletion (the OpenAI SDK's wording for
    openai/, litellm's handlers' for anthropic/)."""
    quiet_litellm()

    async def run() -> dict[str, list[tuple[Any, ...]]]:
        runner, root = await _error_server()
        lean = LeanTransport()
        out: dict[str, list[tuple[Any, ...]]] = {"ac": [], "lean": []}
        try:
            for case in ERROR_BODIES:
                base = f"{root}/{case}" + ("/v1" if wire == "openai" else "")
                assert lean.supports(MODELS[wire], {"api_key": KEY, "api_base": base},
                                     stream=stream)
                for label, fn in (("ac", litellm.acompletion), ("lean", lean.acompletion)):
                    out[label].append(await _failure(fn, MODELS[wire], base, stream=stream))
        finally:
            await lean.aclose()
            await runner.cleanup()
        return out

    out = asyncio.run(run())
    for case, ac, lean in zip(ERROR_BODIES, out["ac"], out["lean"], strict=True):
        assert lean == ac, case


@pytest.mark.parametrize("case", ["plain", "tools"])
def test_an_anthropic_stream_is_chunk_for_chunk_what_acompletion_gives(fake, case):
    """Not only what a client assembles (tests/test_transport.py): every chunk's choices and
    which chunk carries usage, as litellm's CustomStreamWrapper makes them from Anthropic's
    events (a finish chunk without `content`, usage only in the last chunk)."""
    name = f"chunks-{case}"
    out = _stream_both(fake, "anthropic", name, REQUESTS[case])

    def shape(label: str) -> Any:  # the fake names the deployment (name-ac, name-le)
        chunks = [(c.get("choices"), "usage" in c) for c in out[label]["chunks"]]
        return json.loads(json.dumps(chunks).replace(f"{name}-{label[:2]}", "DEP"))

    assert out["ac"]["error"] is None and out["lean"]["error"] is None
    assert shape("lean") == shape("ac")


@pytest.mark.parametrize("wire", WIRES)
def test_a_stream_that_stalls_mid_body_times_out_naming_the_timeout(fake, wire):
    """A read that waits longer than the call's timeout after the answer started: a litellm
    Timeout (408, transient) that says so and names the timeout, on both wires."""
    name = f"stall-{wire}"
    fake.set_fault(f"{name}-le", MID_STREAM["stall"])
    fake.set_fault(f"{name}-ac", MID_STREAM["stall"])
    out = _stream_both(fake, wire, name, REQUESTS["plain"], timeout=1)
    error_class, status, kind, failure_status, _, message = out["lean"]["error"]
    assert (error_class, status, kind, failure_status) == ("Timeout", 408, "transient", 408)
    assert message.startswith("litellm.Timeout: Connection timed out. Timeout passed=1."), message


@pytest.mark.parametrize("wire", WIRES)
def test_a_provider_slower_than_the_timeout_is_a_timeout_naming_it(fake, wire):
    name = f"slow-named-{wire}"
    for label in ("ac", "le"):
        fake.set_fault(f"{name}-{label}", Fault(FaultKind.STALL, delay=3))
    out = _both(fake, wire, name, {**REQUESTS["plain"], "timeout": 0.5})
    assert out["lean"][0][0] == "Timeout"
    assert out["lean"][0][5].startswith("litellm.Timeout: Connection timed out. Timeout passed=0.5")


def test_a_200_whose_body_is_not_json_fails_as_acompletion_fails():
    """openai/ (the OpenAI SDK's failure, which litellm maps to a 500): the same class, status,
    kind and Retry-After (the wording differs for an HTML page: litellm's "Empty or invalid
    response from LLM endpoint" against the lean path's JSON error)."""
    quiet_litellm()
    wire = "openai"

    async def run() -> dict[str, list[tuple[Any, ...]]]:
        runner, root = await _error_server()
        lean = LeanTransport()
        out: dict[str, list[tuple[Any, ...]]] = {"ac": [], "lean": []}
        try:
            for case in NOT_JSON_200:
                base = f"{root}/{case}" + ("/v1" if wire == "openai" else "")
                assert lean.supports(MODELS[wire], {"api_key": KEY, "api_base": base},
                                     stream=False)
                for label, fn in (("ac", litellm.acompletion), ("lean", lean.acompletion)):
                    out[label].append(await _failure(fn, MODELS[wire], base, stream=False))
        finally:
            await lean.aclose()
            await runner.cleanup()
        return out

    out = asyncio.run(run())
    for case, ac, lean in zip(NOT_JSON_200, out["ac"], out["lean"], strict=True):
        assert lean[:5] == ac[:5], case
        # the provider's fault: the next deployment is tried
        assert lean[:4] == ("InternalServerError", 500, "transient", 500), case
