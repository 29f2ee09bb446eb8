"""The OpenAI chat completions front door: POST /v1/chat/completions (and /v1/route,
which reads the same body). Parses and validates OpenAI's request, writes OpenAI's
answer, its SSE chunks and its error event."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError

from router.api.core import (
    JSON,
    Call,
    json_bytes,
    log_request,
    read_body,
    record,
    shielded_close,
    tianji_headers,
)
from router.api.gateway import Gateway
from router.errors import GatewayError, classify
from router.policy import needs_of
from router.schema import PASSTHROUGH_PARAMS, ChatCompletionRequest, validation_message
from router.upstream import Served, openai_dict


def parse_chat_body(raw: bytes, max_messages: int) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise GatewayError(
            400, "The request body is not valid JSON (UTF-8).", code="invalid_json"
        ) from None
    if not isinstance(data, dict):
        raise GatewayError(400, "The request body must be a JSON object.", code="invalid_json")
    try:
        ChatCompletionRequest.model_validate(data)
    except ValidationError as err:
        message, param = validation_message(err)
        raise GatewayError(400, message, code="invalid_request", param=param) from None
    except RecursionError:
        raise GatewayError(
            400, "The request body is nested too deeply.", code="invalid_json"
        ) from None
    if len(data["messages"]) > max_messages:
        raise GatewayError(
            400, f"Too many messages: at most {max_messages}.", param="messages", code="too_many"
        )
    return data


async def route(gw: Gateway, request: Request) -> dict[str, Any]:
    """POST /v1/route: the Decision for a chat request, without calling anyone."""
    server = gw.config.server
    body = parse_chat_body(await read_body(request, server.max_body_bytes), server.max_messages)
    return gw.decide(body, request).explain()


async def chat_completions(gw: Gateway, request: Request) -> Response:
    config = gw.config
    started = time.monotonic()
    request_id: str = request.state.request_id
    body = parse_chat_body(
        await read_body(request, config.server.max_body_bytes), config.server.max_messages
    )
    decision = gw.decide(body, request)
    params = {k: v for k, v in body.items() if k in PASSTHROUGH_PARAMS}
    params["messages"] = body["messages"]
    stream = bool(body.get("stream"))
    call = Call(request_id, decision, started, stream,
                body["messages"] if config.server.log_prompts else None)
    deadline = started + config.resilience.request_timeout_s
    try:
        served = await gw.upstream.complete(
            decision, params, stream=stream, deadline=deadline, request_id=request_id
        )
    except GatewayError as err:
        log_request(call, None, err.status, None)
        gw.metrics.observe_error(decision.tier, err.status)
        raise
    if not stream:
        assert served.response is not None
        cost = record(gw, call, served, served.usage, 200)
        headers = tianji_headers(decision, served, cost)
        return Response(json_bytes(served.response), 200, headers, media_type=JSON)
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    prompt_cost = gw.catalog[served.candidate.deployment.name].cost(
        needs_of(body).prompt_tokens, 0
    )
    return StreamingResponse(
        _sse(gw, call, served, include_usage, deadline),
        headers={**tianji_headers(decision, served, prompt_cost), "cache-control": "no-cache"},
        media_type="text/event-stream",
    )


def _sse_event(data: dict[str, Any]) -> bytes:
    return b"data: " + json_bytes(data) + b"\n\n"


async def _sse(
    gw: Gateway, call: Call, served: Served, include_usage: bool, deadline: float
) -> AsyncIterator[bytes]:
    """Relay the upstream stream. After the first byte there is no fallback: a failure
    ends the stream with an OpenAI-style error event and no [DONE]. A stream that ends
    without the provider's own finish reason is such a failure, and so is a gap between
    chunks longer than `attempt_timeout_s` (when set) or the rest of the deadline."""
    assert served.first_chunk is not None and served.chunks is not None
    idle_s = gw.config.resilience.attempt_timeout_s
    usage: dict[str, Any] = {}
    finished = False
    status = 200

    def relay(chunk: dict[str, Any]) -> bytes | None:
        nonlocal finished
        if chunk.get("usage"):
            usage.update(chunk["usage"])
            if not chunk.get("choices"):
                return _sse_event(chunk) if include_usage else None
            if not include_usage:
                chunk = {k: v for k, v in chunk.items() if k != "usage"}
        if any(c.get("finish_reason") for c in chunk.get("choices") or ()):
            finished = True
        return _sse_event(chunk)

    try:
        first = relay(served.first_chunk)
        if first:
            yield first
        while True:
            wait_s = max(0.0, deadline - time.monotonic())
            async with asyncio.timeout(min(wait_s, idle_s) if idle_s else wait_s):
                try:
                    chunk = await anext(served.chunks)
                except StopAsyncIteration:
                    break
            data = relay(openai_dict(chunk))
            if data:
                yield data
        if not finished or (served.provider_finished and not served.provider_finished()):
            raise ConnectionError("the provider's stream ended before the answer was complete")
        yield b"data: [DONE]\n\n"
    except asyncio.CancelledError:
        status = 499  # the client went away; closing the upstream below cancels its request
        raise
    except (Exception, TimeoutError) as exc:
        failure = classify(exc)
        status = 502
        message = (
            "The upstream stream failed after the answer had started, so it could not be "
            f"retried elsewhere: {failure.error_class}: {gw.redact(failure.message)}"
        )
        error = GatewayError(502, message, "upstream_error", "stream_interrupted")
        yield _sse_event(error.to_body())
    finally:
        if served.close is not None:
            await shielded_close(served)
        record(gw, call, served, usage, status)
