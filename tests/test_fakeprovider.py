"""The fake provider speaks well enough that real litellm parses it, and its faults
surface in litellm as the exceptions listed in router/fakeprovider/README.md."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from typing import Any

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import httpx
import litellm
import openai
import pytest
from litellm.exceptions import MidStreamFallbackError

from router.fakeprovider import FakeProvider, Fault, FaultKind, closed_port_url
from tests.waiting import wait_for_async

K = FaultKind
PROVIDERS = ["openai", "anthropic"]
MESSAGES = [{"role": "user", "content": "hi"}]
TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "parameters": {"type": "object", "properties": {}}}}]

litellm.suppress_debug_info = True
pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"  # one loop for the module: litellm caches its HTTP clients per loop


# `fake` is the session FakeProvider from conftest.py, reset after each test.


def target(fake: FakeProvider, api: str, dep_id: str = "dep") -> dict[str, str]:
    if api == "openai":
        return {"model": "openai/x", "api_base": fake.openai_base(dep_id)}
    return {"model": "anthropic/claude-x", "api_base": fake.anthropic_base(dep_id)}


async def complete(fake: FakeProvider, api: str, dep_id: str = "dep", **kwargs: Any) -> Any:
    params = {"messages": MESSAGES, "api_key": "sk-test", "num_retries": 0, "max_retries": 0,
              "timeout": 5, **target(fake, api, dep_id), **kwargs}
    return await litellm.acompletion(**params)


async def stream_text(fake: FakeProvider, api: str, dep_id: str = "dep",
                      **kwargs: Any) -> tuple[str, list[Any]]:
    response = await complete(fake, api, dep_id, stream=True, **kwargs)
    chunks = [c async for c in response]
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices), chunks


def caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# Answers


@pytest.mark.parametrize("api", PROVIDERS)
async def test_json_answer_names_the_deployment_and_counts_usage(fake: FakeProvider,
                                                                 api: str) -> None:
    response = await complete(fake, api, "east")

    assert response.choices[0].message.content == "Hello from east! This is a fake answer."
    assert response.choices[0].finish_reason == "stop"
    assert response.usage.completion_tokens == 8
    assert response.usage.prompt_tokens > 0
    call = await settled(fake, "east")
    assert len(fake.calls("east")) == 1
    assert (call.api, call.stream, call.status, call.completed, call.disconnected) == (
        api, False, 200, True, False)
    assert "hi" in str(call.body["messages"][-1]["content"])
    assert call.body["model"] == ("x" if api == "openai" else "claude-x")


@pytest.mark.parametrize("api", PROVIDERS)
async def test_stream_answer_parses_and_reports_usage(fake: FakeProvider, api: str) -> None:
    text, chunks = await stream_text(fake, api, stream_options={"include_usage": True})

    assert text == "Hello from dep! This is a fake answer."
    usage = getattr(chunks[-1], "usage", None)
    assert usage is not None and usage.completion_tokens == 8
    call = await settled(fake, "dep")
    assert len(fake.calls("dep")) == 1
    assert call.stream and call.completed and not call.disconnected


@pytest.mark.parametrize("api", PROVIDERS)
async def test_forced_tool_choice_returns_a_tool_call(fake: FakeProvider, api: str) -> None:
    # Without `_skip_mcp_handler` litellm 1.106.2 imports its MCP gateway for any request
    # with tools, which needs the `mcp` package (not installed): see README.md.
    choice = {"type": "function", "function": {"name": "get_weather"}}
    tools = {"tools": TOOLS, "tool_choice": choice, "_skip_mcp_handler": True}

    response = await complete(fake, api, **tools)
    _, chunks = await stream_text(fake, api, **tools)

    [tool_call] = response.choices[0].message.tool_calls
    assert (tool_call.function.name, tool_call.function.arguments) == ("get_weather", "{}")
    streamed = [tc for c in chunks if c.choices for tc in c.choices[0].delta.tool_calls or ()]
    assert streamed[0].function.name == "get_weather"


async def test_behaviour_sets_latency_and_text(fake: FakeProvider) -> None:
    fake.configure("slow", latency=0.2, text="{model} at {dep_id}")
    started = time.perf_counter()

    response = await complete(fake, "openai", "slow")

    assert time.perf_counter() - started >= 0.2
    assert response.choices[0].message.content == "x at slow"


# Faults -> litellm exceptions (non-streaming; see README.md for the table)

STATUS_FAULTS = [
    (Fault(K.HTTP_ERROR, status=429), litellm.RateLimitError, 429),
    (Fault(K.HTTP_ERROR, status=500), litellm.InternalServerError, 500),
    (Fault(K.HTTP_ERROR, status=502), litellm.BadGatewayError, 502),
    (Fault(K.HTTP_ERROR, status=503), litellm.ServiceUnavailableError, 503),
    (Fault(K.HTTP_ERROR, status=504), litellm.Timeout, 504),
    (Fault(K.HTTP_ERROR, status=401), litellm.AuthenticationError, 401),
    (Fault(K.HTTP_ERROR, status=404), litellm.NotFoundError, 404),
    (Fault(K.NON_JSON, status=502), litellm.BadGatewayError, 502),
    (Fault(K.CONTEXT_LENGTH), litellm.ContextWindowExceededError, 400),
    (Fault(K.CONTENT_FILTER), litellm.ContentPolicyViolationError, 400),
]


@pytest.mark.parametrize("api", PROVIDERS)
@pytest.mark.parametrize(("fault", "expected", "status"), STATUS_FAULTS,
                         ids=lambda v: v.kind.value + str(v.status) if isinstance(v, Fault) else "")
async def test_fault_surfaces_as_litellm_exception(fake: FakeProvider, api: str, fault: Fault,
                                                   expected: type[Exception],
                                                   status: int) -> None:
    fake.set_fault("dep", fault)

    for stream in (False, True):
        with pytest.raises(expected) as caught:
            await complete(fake, api, stream=stream)
        assert caught.value.status_code == status


@pytest.mark.parametrize("api", PROVIDERS)
async def test_forbidden_is_bad_request_for_openai_and_permission_denied_for_anthropic(
        fake: FakeProvider, api: str) -> None:
    fake.set_fault("dep", Fault(K.HTTP_ERROR, status=403))
    expected = litellm.BadRequestError if api == "openai" else litellm.PermissionDeniedError

    with pytest.raises(expected) as caught:
        await complete(fake, api)

    assert caught.value.status_code == 403


@pytest.mark.parametrize("api", PROVIDERS)
async def test_retry_after_is_in_litellm_response_headers(fake: FakeProvider, api: str) -> None:
    fake.set_fault("dep", Fault(K.HTTP_ERROR, status=429, retry_after=7))

    with pytest.raises(litellm.RateLimitError) as caught:
        await complete(fake, api)

    assert caught.value.litellm_response_headers["retry-after"] == "7"
    assert "retry-after" not in caught.value.response.headers  # a stub response


@pytest.mark.parametrize("api", PROVIDERS)
async def test_reset_and_refused_are_internal_server_errors_caused_by_connection_errors(
        fake: FakeProvider, api: str) -> None:
    fake.set_fault("dep", Fault(K.RESET))
    refused = closed_port_url() + ("/v1" if api == "openai" else "")

    with pytest.raises(litellm.InternalServerError) as reset:
        await complete(fake, api)
    with pytest.raises(litellm.InternalServerError) as refusal:
        await complete(fake, api, api_base=refused)

    for caught in (reset, refusal):
        assert caught.value.status_code == 500
        assert caught_by_transport(caught.value)
    assert fake.calls("dep")[0].status is None


def caught_by_transport(exc: BaseException) -> bool:
    return caused_by(exc, httpx.TransportError) or caused_by(exc, openai.APIConnectionError)


@pytest.mark.parametrize("api", PROVIDERS)
async def test_stall_before_headers_times_out_or_answers_late(fake: FakeProvider,
                                                              api: str) -> None:
    fake.set_fault("dep", Fault(K.STALL, delay=0.3, times=2))

    with pytest.raises(litellm.Timeout) as caught:
        await complete(fake, api, timeout=0.1)
    started = time.perf_counter()
    response = await complete(fake, api)

    assert caught.value.status_code == 408
    assert time.perf_counter() - started >= 0.3
    assert response.choices[0].message.content.startswith("Hello from dep")


@pytest.mark.parametrize("api", PROVIDERS)
async def test_stall_then_close_is_a_connection_error(fake: FakeProvider, api: str) -> None:
    fake.set_fault("dep", Fault(K.STALL, delay=0.05, close=True))

    with pytest.raises(litellm.InternalServerError) as caught:
        await complete(fake, api)

    assert caught_by_transport(caught.value)


# Mid-stream faults: litellm raises MidStreamFallbackError after the first chunks


@pytest.mark.parametrize("api", PROVIDERS)
@pytest.mark.parametrize("fault", [Fault(K.STREAM_CUT, after_chunks=4),
                                   Fault(K.STREAM_STALL, after_chunks=4, delay=1.0)],
                         ids=["cut", "stall"])
async def test_mid_stream_fault_raises_after_first_chunks(fake: FakeProvider, api: str,
                                                          fault: Fault) -> None:
    fake.set_fault("dep", fault)
    received: list[str] = []

    response = await complete(fake, api, stream=True, timeout=0.2)
    with pytest.raises(MidStreamFallbackError) as caught:
        async for chunk in response:
            received.append(chunk.choices[0].delta.content or "")

    assert "".join(received).startswith("Hello")
    assert isinstance(caught.value.original_exception, litellm.APIConnectionError)


async def test_malformed_openai_chunk_raises_mid_stream(fake: FakeProvider) -> None:
    fake.set_fault("dep", Fault(K.MALFORMED_CHUNK, after_chunks=2))

    with pytest.raises(MidStreamFallbackError) as caught:
        await stream_text(fake, "openai")

    assert caused_by(caught.value, ValueError)


async def test_malformed_anthropic_chunk_silently_truncates_in_litellm(
        fake: FakeProvider) -> None:
    fake.set_fault("dep", Fault(K.MALFORMED_CHUNK, after_chunks=4))

    text, _ = await stream_text(fake, "anthropic")

    assert text == "Hello"  # litellm buffers the bad line and drops the rest, no error


@pytest.mark.parametrize("kind", [K.STREAM_CUT, K.MALFORMED_CHUNK])
async def test_stream_faults_break_json_answers_too(fake: FakeProvider, kind: FaultKind) -> None:
    fake.set_fault("dep", Fault(kind))

    with pytest.raises((litellm.InternalServerError, litellm.APIConnectionError)):
        await complete(fake, "openai")


async def test_client_disconnect_mid_stream_is_recorded(fake: FakeProvider) -> None:
    fake.configure("dep", chunk_delay=0.05)
    body = {"model": "x", "messages": MESSAGES, "stream": True}

    async with httpx.AsyncClient() as client, client.stream(
            "POST", fake.openai_base("dep") + "/chat/completions", json=body) as response:
        await anext(aiter(response.aiter_bytes()))
    call = await settled(fake, "dep")

    assert call.completed and call.disconnected


async def settled(fake: FakeProvider, dep_id: str) -> Any:
    """The last call on `dep_id` once it has ended: the fake notes the end after its last
    write, so a client may have the whole answer before the record says so."""
    return await wait_for_async(lambda: fake.calls(dep_id) and fake.calls(dep_id)[-1].completed
                                and fake.calls(dep_id)[-1], f"a call on {dep_id} to end")


# Schedules


async def test_first_k_calls_fail_then_the_deployment_recovers(fake: FakeProvider) -> None:
    fake.set_fault("dep", Fault(K.HTTP_ERROR, status=503, times=2))

    for _ in range(2):
        with pytest.raises(litellm.ServiceUnavailableError):
            await complete(fake, "openai")
    await complete(fake, "openai")

    assert [c.status for c in fake.calls("dep")] == [503, 503, 200]


async def test_faults_fire_in_order(fake: FakeProvider) -> None:
    fake.set_fault("dep", Fault(K.HTTP_ERROR, status=429, times=1),
                   Fault(K.CONTEXT_LENGTH, times=1))

    with pytest.raises(litellm.RateLimitError):
        await complete(fake, "anthropic")
    with pytest.raises(litellm.ContextWindowExceededError):
        await complete(fake, "anthropic")
    await complete(fake, "anthropic")


async def test_fault_until_a_time(fake: FakeProvider) -> None:
    until = time.time() + 2.0  # time enough for the first call on a loaded machine
    fake.set_fault("dep", Fault(K.HTTP_ERROR, status=500, until=until))

    with pytest.raises(litellm.InternalServerError):
        await complete(fake, "openai")
    await asyncio.sleep(until - time.time() + 0.05)
    await complete(fake, "openai")


async def test_clear_disarms_faults(fake: FakeProvider) -> None:
    fake.set_fault("dep", Fault(K.HTTP_ERROR, status=500))
    fake.clear("dep")

    await complete(fake, "openai")


def test_random_failures_are_seeded() -> None:
    def statuses() -> list[int | None]:
        with FakeProvider(failure_rate=0.3, seed=7) as fake, httpx.Client() as client:
            for _ in range(60):
                with contextlib.suppress(httpx.TransportError):
                    client.post(fake.openai_base("r") + "/chat/completions",
                                json={"model": "x", "messages": MESSAGES})
            return [c.status for c in fake.calls("r")]

    first = statuses()

    assert first == statuses()
    assert 8 <= sum(s != 200 for s in first) <= 30
    assert {429, 500, 502, 503, 504, None} >= set(first) - {200}


def test_random_failures_draw_from_the_given_faults() -> None:
    among = [Fault(K.HTTP_ERROR, status=503), Fault(K.STREAM_CUT, after_chunks=2)]
    with FakeProvider(failure_rate=0.5, seed=3, random_faults=among) as fake, \
            httpx.Client() as client:
        for _ in range(60):
            with contextlib.suppress(httpx.TransportError):
                client.post(fake.anthropic_base("r") + "/v1/messages",
                            json={"model": "claude-x", "messages": MESSAGES, "stream": True})
        faults = [(c.fault, c.status) for c in fake.calls("r")]

    assert {(None, 200), ("http_error", 503), ("stream_cut", 200)} == set(faults)
    assert 15 <= sum(f is not None for f, _ in faults) <= 45
    with pytest.raises(ValueError):
        FakeProvider(failure_rate=0.5, random_faults=[Fault(K.RANDOM)])


# The server itself


async def test_admin_http_api(fake: FakeProvider) -> None:
    fault = {"kind": "http_error", "status": 503, "retry_after": 2, "times": 1}
    async with httpx.AsyncClient(base_url=fake.url) as admin:
        assert (await admin.get("/_admin/health")).json() == {"ok": True}
        assert (await admin.post("/_admin/faults/a", json=fault)).status_code == 200
        assert (await admin.post("/_admin/faults/b", json={"kind": "nope"})).status_code == 400
        assert (await admin.post("/_admin/config/a", json={"text": "Hi"})).status_code == 200
        failed = await admin.post("/d/a/v1/chat/completions", json={"model": "m"})
        answer = await admin.post("/d/a/v1/chat/completions", json={"model": "m"})
        calls = (await admin.get("/_admin/calls/a")).json()["calls"]
        await admin.post("/_admin/faults/a", json=[{"kind": "reset"}])
        assert (await admin.delete("/_admin/faults")).status_code == 200
        after_clear = await admin.post("/d/a/v1/chat/completions", json={"model": "m"})
        assert (await admin.post("/_admin/reset")).status_code == 200
        after_reset = (await admin.get("/_admin/calls/a")).json()["calls"]

    assert (failed.status_code, failed.headers["retry-after"]) == (503, "2")
    assert answer.json()["choices"][0]["message"]["content"] == "Hi"
    assert [c["status"] for c in calls] == [503, 200]
    assert calls[0]["fault"] == "http_error" and calls[0]["body"] == {"model": "m"}
    assert after_clear.status_code == 200 and after_reset == []


async def test_keep_alive_serves_requests_on_one_connection(fake: FakeProvider) -> None:
    host, port = fake.url.removeprefix("http://").split(":")
    body = b'{"model":"x","messages":[]}'
    request = (b"POST /d/k/v1/chat/completions HTTP/1.1\r\nhost: x\r\n"
               b"content-type: application/json\r\ncontent-length: %d\r\n\r\n%s"
               % (len(body), body))
    reader, writer = await asyncio.open_connection(host, int(port))

    writer.write(request * 2)  # pipelined, too
    answers = [await read_response(reader) for _ in range(2)]
    writer.close()

    assert all(a.startswith(b"HTTP/1.1 200 OK") for a in answers)
    assert len(fake.calls("k")) == 2


async def read_response(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    return head + await reader.readexactly(length)


async def test_unknown_route_and_bad_json(fake: FakeProvider) -> None:
    async with httpx.AsyncClient(base_url=fake.url) as client:
        missing = await client.post("/d/a/v1/audio/speech", json={})
        bad = await client.post("/d/a/v1/messages", content=b"{")

    assert missing.status_code == 404
    assert (bad.status_code, bad.json()["type"]) == (400, "error")


def test_standalone_server_starts_and_answers() -> None:
    with FakeProvider() as probe:
        port = int(probe.url.rsplit(":", 1)[1])  # free once the probe stops
    server = subprocess.Popen(
        [sys.executable, "-m", "router.fakeprovider", "--port", str(port), "--failure-rate", "0"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and "listening" in server.stdout.readline()
        answer = httpx.post(f"http://127.0.0.1:{port}/d/s/v1/messages",
                            json={"model": "claude-x", "messages": MESSAGES})
        assert answer.json()["content"][0]["text"] == "Hello from s! This is a fake answer."
    finally:
        server.terminate()
        server.wait(timeout=5)
