"""The OpenAI chat completions front door: POST /v1/chat/completions (and /v1/route,
which reads the same body). Parses and validates OpenAI's request, writes OpenAI's
answer, its SSE chunks and its error event."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError

from router.api.core import (
    JSON,
    Call,
    asked,
    failed,
    json_bytes,
    read_body,
    record,
    relay_stream,
    remember,
    serve,
    start_call,
    steer_by_affinity,
    stream_cost,
    tianji_headers,
)
from router.api.gateway import Gateway
from router.errors import GatewayError
from router.guards import json_body
from router.policy import needs_of
from router.schema import (
    PASSTHROUGH_PARAMS,
    ChatCompletionRequest,
    validation_message,
)
from router.upstream import Served, openai_dict


def parse_chat_body(raw: bytes, max_messages: int) -> dict[str, Any]:
    data = json_body(raw)
    try:
        ChatCompletionRequest.model_validate(data)
    except ValidationError as err:
        message, param = validation_message(err)
        raise GatewayError(400, message, code="invalid_request", param=param) from None
    except RecursionError:
        raise GatewayError(
            400, "The request body is nested too deeply.", code="invalid_json"
        ) from None
    if data.get("store") is True:
        raise GatewayError(400, "Tianji stores no completions, so it cannot honour store: true; "
                           "send store: false or leave it out.", code="unsupported_parameter",
                           param="store")
    if len(data["messages"]) > max_messages:
        raise GatewayError(
            400, f"Too many messages: at most {max_messages}.", param="messages", code="too_many"
        )
    return data


async def route(gw: Gateway, request: Request) -> dict[str, Any]:
    """POST /v1/route: the Decision for a chat request, without calling anyone."""
    server = gw.config.server
    body = parse_chat_body(await read_body(request, server.max_body_bytes), server.max_messages)
    asked(request, body)
    return gw.decide(body, request).explain()


async def chat_completions(gw: Gateway, request: Request) -> Response:
    config = gw.config
    started = time.monotonic()
    body = parse_chat_body(
        await read_body(request, config.server.max_body_bytes), config.server.max_messages
    )
    asked(request, body)
    read = time.monotonic()  # the deadline starts once the body is in
    decision, affinity = await steer_by_affinity(
        gw, request.headers, body, body, gw.decide(body, request)
    )
    await gw.reserve(request, body, decision)
    params = {k: v for k, v in body.items() if k in PASSTHROUGH_PARAMS}
    params["messages"] = body["messages"]
    call = start_call(gw, request, body, decision, started)
    stream = call.stream
    deadline = read + config.resilience.request_timeout_s
    try:
        served = await serve(gw, call, decision, params, body, body, deadline=deadline)
    except GatewayError as err:
        failed(gw, call, err)
        raise
    label = await remember(gw, call, affinity, served)
    if not stream:
        assert served.response is not None
        cost = record(gw, call, served, served.usage, 200)
        headers = tianji_headers(decision, served, cost, label, call.entry.verification)
        return Response(json_bytes(served.response), 200, headers, media_type=JSON)
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    prompt_cost = stream_cost(gw, call, served, needs_of(body).prompt_tokens)
    return StreamingResponse(
        _sse(gw, call, served, include_usage),
        headers={**tianji_headers(decision, served, prompt_cost, label,
                                  call.entry.verification),
                 "cache-control": "no-cache"},
        media_type="text/event-stream",
    )


def _sse_event(data: dict[str, Any]) -> bytes:
    return b"data: " + json_bytes(data) + b"\n\n"


class _ChatStream:
    """OpenAI's chat.completion.chunk events, `data: [DONE]`, and an error event."""

    def __init__(self, include_usage: bool, observe: Callable[[dict[str, Any]], None]) -> None:
        self.include_usage = include_usage
        self.observe = observe  # the request log's copy of the answer (router/ops)
        self.usage: dict[str, Any] = {}
        self.finished = False

    def event(self, chunk: Any) -> bytes | None:
        chunk = openai_dict(chunk)
        if chunk.get("usage"):
            self.usage.update(chunk["usage"])
            if all(not c.get("delta") and not c.get("finish_reason")
                   for c in chunk.get("choices") or ()):
                # As OpenAI's usage chunk: no choices (litellm's Anthropic mapping sends one
                # empty delta with it).
                chunk["choices"] = []
            if not chunk.get("choices"):
                return _sse_event(chunk) if self.include_usage else None
            if not self.include_usage:
                chunk = {k: v for k, v in chunk.items() if k != "usage"}
        if any(c.get("finish_reason") for c in chunk.get("choices") or ()):
            self.finished = True
        self.observe(chunk)
        return _sse_event(chunk)

    def done(self) -> bytes:
        return b"data: [DONE]\n\n"

    def error(self, err: GatewayError) -> bytes:
        return _sse_event(err.to_body())


def _sse(
    gw: Gateway, call: Call, served: Served, include_usage: bool
) -> AsyncIterator[bytes]:
    """The chat completions stream (see `relay_stream` for the commit point)."""
    return relay_stream(gw, call, served, _ChatStream(include_usage, call.entry.observe))
