"""The OpenAI Responses front door: POST /v1/responses, streamed and not, stateless.

It checks the body (router/responses_schema.py), turns it into the chat request every
deployment gets (router/responses_wire.py, litellm's bridge), and runs the shared request
path: classifier, policy, affinity, fallback and escalation, the stream commit point,
headers, request log and metrics (router/api/core.py). Answers are `response` objects, streams
Responses events; errors are OpenAI's shape.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
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
from router.responses_native import NativeEvents, chat_usage, native_only
from router.responses_schema import (
    STATEFUL,
    ResponsesRequest,
    built_in_tool,
    responses_validation_message,
    stateful_field,
)
from router.responses_wire import (
    FINAL_EVENTS,
    RESPONSES_FIELD,
    ResponseEvents,
    new_response_id,
    to_chat,
    to_response,
)
from router.schema import PASSTHROUGH_PARAMS
from router.upstream import Served
from router.upstream_responses import ResponsesCall, native


def _invalid(message: str, param: str | None = None, code: str = "invalid_request") -> GatewayError:
    return GatewayError(400, message, code=code, param=param)


def parse_responses_body(raw: bytes) -> dict[str, Any]:
    """The Responses body as sent, after the checks: JSON, stateless, the allowlist."""
    data = json_body(raw)
    if (field := stateful_field(data)) is not None:
        asked_for = STATEFUL.get(field, "item_reference")
        raise _invalid(
            f"Tianji does not store responses, so '{asked_for}' is not supported: send the "
            "whole conversation in 'input' (earlier output items included) and leave 'store' "
            "unset or false.", field, "unsupported_parameter")
    if (tool := built_in_tool(data)) is not None:
        raise _invalid(f"Tianji supports only function tools; a {tool[1]!r} tool would reach no "
                       "deployment.", tool[0], "unsupported_tool")
    try:
        ResponsesRequest.model_validate(data)
    except ValidationError as err:
        message, param = responses_validation_message(err)
        raise _invalid(message, param) from None
    except RecursionError:
        raise _invalid("The request body is nested too deeply.", code="invalid_json") from None
    return data


def in_responses_terms(err: GatewayError) -> GatewayError:
    """A routing error that names chat parameters, with the Responses fields they came from."""
    if err.code != "unsupported_parameter":
        return err
    message = err.message
    for chat_name, field in RESPONSES_FIELD.items():
        message = re.sub(rf"(?<![\w.]){chat_name}(?!\w)", field, message)
    return GatewayError(err.status, message, code=err.code,
                        param=RESPONSES_FIELD.get(err.param or "", err.param))


async def responses(gw: Gateway, request: Request) -> Response:
    config = gw.config
    started = time.monotonic()
    body = parse_responses_body(await read_body(request, config.server.max_body_bytes))
    asked(request, body)
    read = time.monotonic()  # the deadline starts once the body is in
    chat = to_chat(body)
    if len(chat["messages"]) > config.server.max_messages:
        raise _invalid(f"Too many input items: at most {config.server.max_messages} messages.",
                       "input", "too_many")
    try:
        decision = gw.decide(chat, request)
    except GatewayError as err:
        raise in_responses_terms(err) from None
    # Log probabilities: only a provider's own Responses API carries them back.
    if body.get("top_logprobs"):
        decision = native_only(decision, "top_logprobs")
    if "message.output_text.logprobs" in (body.get("include") or ()):
        decision = native_only(decision, "include")
    decision, affinity = await steer_by_affinity(gw, request.headers, chat, chat, decision)
    await gw.reserve(request, chat, decision)
    params = {k: v for k, v in chat.items() if k in PASSTHROUGH_PARAMS}
    params["messages"] = chat["messages"]
    call = start_call(gw, request, chat, decision, started)
    deadline = read + config.resilience.request_timeout_s
    try:
        served = await serve(gw, call, decision, params, chat, chat, deadline=deadline,
                             wire_call=ResponsesCall(body, gw.messages_http))
    except GatewayError as err:
        failed(gw, call, err)
        raise
    label = await remember(gw, call, affinity, served)
    response_id = new_response_id()
    on_own_api = native(served.candidate.deployment)  # else the bridge's chat answer
    if not call.stream:
        assert served.response is not None
        if on_own_api:
            answer, usage = served.response, chat_usage(served.response.get("usage"))
        else:
            answer, usage = to_response(body, served.response, response_id), served.usage
        cost = record(gw, call, served, usage, 200)
        headers = tianji_headers(decision, served, cost, label, call.entry.verification)
        return Response(json_bytes(answer), 200, headers, media_type=JSON)
    writer = _ResponsesStream()
    assert served.first_chunk is not None and served.chunks is not None
    see = writer.seen(call.entry.observe)
    events = NativeEvents(served.first_chunk, served.chunks, see) if on_own_api else (
        ResponseEvents(body, response_id, served.first_chunk, served.chunks, see,
                       served.provider_finished))
    writer.events = events
    relayed = dataclasses.replace(served, first_chunk=await anext(events), chunks=events)
    prompt_cost = stream_cost(gw, call, served, needs_of(chat).prompt_tokens)
    return StreamingResponse(
        _sse(gw, call, relayed, writer),
        headers={**tianji_headers(decision, served, prompt_cost, label,
                                  call.entry.verification),
                 "cache-control": "no-cache"},
        media_type="text/event-stream",
    )


def _sse_event(event: dict[str, Any]) -> bytes:
    return b"event: " + str(event["type"]).encode() + b"\ndata: " + json_bytes(event) + b"\n\n"


class _ResponsesStream:
    """Responses events as SSE; the stream is finished once `response.completed` (or
    `response.incomplete`, when the answer hit max_output_tokens) is written. Usage comes
    from the chat chunks underneath, for `record`."""

    def __init__(self) -> None:
        self.usage: dict[str, Any] = {}
        self.finished = False
        self.events: ResponseEvents | NativeEvents | None = None

    def seen(self, observe: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        """What to do with each chat chunk: keep its usage, show it to the request log."""
        def see(chunk: dict[str, Any]) -> None:
            if chunk.get("usage"):
                self.usage.update(chunk["usage"])
            observe(chunk)
        return see

    def event(self, event: Any) -> bytes | None:
        if event.get("type") in FINAL_EVENTS:
            self.finished = True
        return _sse_event(event)

    def done(self) -> bytes:
        return b""

    def error(self, err: GatewayError) -> bytes:
        assert self.events is not None
        return b"".join(_sse_event(e) for e in self.events.failure(err))


def _sse(gw: Gateway, call: Call, served: Served, writer: _ResponsesStream) -> Any:
    """The Responses stream (see `relay_stream` for the commit point)."""
    return relay_stream(gw, call, served, writer)
