"""The OpenAI Responses front door: POST /v1/responses, streamed and not, stateless.

It checks the body (router/responses_schema.py) and runs the shared request path. A
deployment with its own Responses API gets the body as sent (router/upstream_responses.py);
every other gets the chat request it turns into (router/responses_wire.py, litellm's
bridge). The shared request path is the classifier, policy, affinity, fallback and
escalation, the stream commit point, headers, request log and metrics (router/api/core.py
`respond`). Answers are `response` objects, streams
Responses events; errors are OpenAI's shape.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from router.api.core import Call, Routed, arrive, json_bytes, respond
from router.api.gateway import Gateway
from router.errors import GatewayError
from router.guards import json_body
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
    arrival = await arrive(gw, request, parse_responses_body)
    body = arrival.body
    chat = to_chat(body)
    max_messages = gw.config.server.max_messages
    if len(chat["messages"]) > max_messages:
        raise _invalid(f"Too many input items: at most {max_messages} messages.",
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
    routed = dataclasses.replace(Routed.chat(arrival, decision, chat),
                                 wire_call=ResponsesCall(body, gw.messages_http))
    return await respond(gw, request, routed, _ResponsesDoor(body))


class _ResponsesDoor:
    """A deployment's own Responses answer and events as sent (router/responses_native.py),
    or the bridge's chat answer as a `response` object and its chat stream as Responses
    events."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body  # the Responses body as sent
        self.response_id = new_response_id()

    def answer(self, served: Served) -> tuple[Any, dict[str, Any]]:
        assert served.response is not None
        if native(served.candidate.deployment):
            return served.response, chat_usage(served.response.get("usage"))
        return to_response(self.body, served.response, self.response_id), served.usage

    async def stream(self, call: Call, served: Served) -> tuple[Served, _ResponsesStream]:
        writer = _ResponsesStream()
        assert served.first_chunk is not None and served.chunks is not None
        see = writer.seen(call.entry.observe)
        events = NativeEvents(served.first_chunk, served.chunks, see) if native(
            served.candidate.deployment) else ResponseEvents(
            self.body, self.response_id, served.first_chunk, served.chunks, see,
            served.provider_finished)
        writer.events = events
        return dataclasses.replace(served, first_chunk=await anext(events), chunks=events), writer


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

