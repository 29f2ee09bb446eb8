"""Helpers for the fault, bad-input and security suites: raw requests, SSE parsing, checks.

Requests go through `gw.http` (httpx) so a test sees exactly what a client gets:
status, headers, the JSON body, or every SSE event of a stream in order.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import Gateway, make_config

# Small resilience numbers so stalls and cooldowns resolve fast. Tests of stalls pass
# STALL_ATTEMPT themselves: room for two stalled attempts and then the next deployment. No
# limit is below 1.5 s: a healthy answer must fit in it on a loaded 2-core machine too.
FAST = {
    "retries": 1,
    "backoff_initial_s": 0.01,
    "backoff_max_s": 0.05,
    "request_timeout_s": 4,
    "attempt_timeout_s": 1.5,
    "cooldown_s": 30,
    "failures_before_cooldown": 3,
}
STALL_ATTEMPT = {"attempt_timeout_s": 1.5, "request_timeout_s": 6}
NO_HANG_S = 10.0  # a generous bound: "finished, no hang", not a latency target
WIRES = ("openai", "anthropic")


def fast_config(tiers: list[list[dict]], **resilience: Any) -> Any:
    return make_config(tiers, resilience={**FAST, **resilience})


def answer_text(dep_id: str) -> str:
    return f"Hello from {dep_id}! This is a fake answer."


@dataclass
class Result:
    """What the client saw."""

    status: int
    headers: dict[str, str]
    body: Any = None  # parsed JSON for a non-stream answer (or an error before a stream)
    events: list[Any] = field(default_factory=list)  # parsed SSE data, "[DONE]" as a string
    raw: bytes = b""
    elapsed: float = 0.0

    @property
    def streamed(self) -> bool:
        return self.headers.get("content-type", "").startswith("text/event-stream")

    @property
    def text(self) -> str:
        """The assistant's answer, from the JSON body or the concatenated stream deltas."""
        if not self.streamed:
            return self.body["choices"][0]["message"]["content"] or ""
        parts = []
        for event in self.events:
            if isinstance(event, dict):
                for choice in event.get("choices") or ():
                    parts.append((choice.get("delta") or {}).get("content") or "")
        return "".join(parts)

    @property
    def done(self) -> bool:
        return "[DONE]" in self.events

    @property
    def error_events(self) -> list[dict[str, Any]]:
        return [e for e in self.events if isinstance(e, dict) and "error" in e]


def parse_sse(raw: bytes) -> list[Any]:
    events: list[Any] = []
    for block in raw.decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        data = "\n".join(
            line[5:].lstrip() for line in block.split("\n") if line.startswith("data:")
        )
        if not data:
            continue
        events.append(data if data == "[DONE]" else json.loads(data))
    return events


def messages(content: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": content}]


def chat(
    gw: Gateway,
    content: str = "hi",
    *,
    stream: bool = False,
    model: str = "auto",
    headers: dict[str, str] | None = None,
    **params: Any,
) -> Result:
    """POST /v1/chat/completions and collect the whole answer (every SSE event if streamed)."""
    body = {"model": model, "messages": messages(content), **params}
    if stream:
        body["stream"] = True
    started = time.monotonic()
    with gw.http.stream("POST", "/v1/chat/completions", json=body, headers=headers) as response:
        raw = response.read()
    elapsed = time.monotonic() - started
    result = Result(response.status_code, dict(response.headers), raw=raw, elapsed=elapsed)
    if result.streamed:
        result.events = parse_sse(raw)
    else:
        result.body = json.loads(raw)
    return result


def post_raw(
    gw: Gateway, path: str, content: bytes, headers: dict[str, str] | None = None
) -> Result:
    started = time.monotonic()
    response = gw.http.post(
        path, content=content, headers={"content-type": "application/json", **(headers or {})}
    )
    result = Result(response.status_code, dict(response.headers), raw=response.content,
                    elapsed=time.monotonic() - started)
    try:
        result.body = response.json()
    except ValueError:
        result.body = None
    return result


def raw_http(gw: Gateway, request: bytes, timeout: float = NO_HANG_S) -> bytes:
    """Send raw bytes to the gateway; what it answers up to the end of its head, before it
    closes (a reset included: a server that refuses a body may not read it) or goes quiet."""
    host, port = gw.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        with contextlib.suppress(ConnectionResetError):
            while b"\r\n\r\n" not in data:
                piece = sock.recv(65536)
                if not piece:
                    break
                data += piece
        return data


def assert_openai_error(body: Any, code: str | None = None) -> dict[str, Any]:
    """`body` is exactly OpenAI's error shape; returns the inner error object."""
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"message", "type", "param", "code"}, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["type"], str) and error["type"], error
    assert error["param"] is None or isinstance(error["param"], str), error
    assert error["code"] is None or isinstance(error["code"], str), error
    assert "Traceback" not in error["message"] and 'File "' not in error["message"], error
    if code is not None:
        assert error["code"] == code, error
    return error


def assert_served(result: Result, dep_id: str, *, tier: str | None = None) -> None:
    """A complete, successful answer from `dep_id` (full stream ending in [DONE] if streamed)."""
    assert result.status == 200, (result.status, result.body, result.events)
    assert result.headers["x-tianji-provider"] == dep_id, result.headers
    if tier is not None:
        assert result.headers["x-tianji-tier"] == tier, result.headers
    assert result.text == answer_text(dep_id), result.text
    if result.streamed:
        assert result.done and result.events[-1] == "[DONE]", result.events
        assert not result.error_events, result.events
    assert result.elapsed < NO_HANG_S


def assert_interrupted_stream(result: Result) -> dict[str, Any]:
    """A stream that started, then ended with one OpenAI-shaped error event and no [DONE]."""
    assert result.status == 200 and result.streamed, (result.status, result.body)
    assert not result.done, result.events
    assert result.events and isinstance(result.events[-1], dict), result.events
    assert len(result.error_events) == 1 and result.events[-1] is result.error_events[0]
    error = assert_openai_error(result.events[-1])
    assert result.elapsed < NO_HANG_S
    return error


def calls(fake: Any, dep_id: str) -> int:
    return len(fake.calls(dep_id))


def log_records(lines: list[str], event: str | None = None) -> list[dict[str, Any]]:
    """The JSON log records among formatted log lines, optionally of one event kind."""
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and (event is None or record.get("event") == event):
            records.append(record)
    return records


def deployments_state(gw: Gateway) -> dict[str, dict[str, Any]]:
    response = gw.http.get("/v1/deployments")
    assert response.status_code == 200
    return {d["name"]: d for d in response.json()["data"]}
