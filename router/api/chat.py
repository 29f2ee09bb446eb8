"""The OpenAI chat completions front door: POST /v1/chat/completions (and /v1/route,
which reads the same body). Parses and validates OpenAI's request, writes OpenAI's
answer, its SSE chunks and its error event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from router.api.core import Call, Routed, arrive, json_bytes, respond
from router.api.gateway import Gateway
from router.errors import GatewayError
from router.guards import json_body
from router.schema import ChatCompletionRequest, validation_message
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


def _parser(gw: Gateway) -> Callable[[bytes], dict[str, Any]]:
    return lambda raw: parse_chat_body(raw, gw.config.server.max_messages)


async def route(gw: Gateway, request: Request) -> dict[str, Any]:
    """POST /v1/route: the Decision for a chat request, without calling anyone."""
    body = (await arrive(gw, request, _parser(gw))).body
    return gw.decide(body, request).explain()


async def chat_completions(gw: Gateway, request: Request) -> Response:
    arrival = await arrive(gw, request, _parser(gw))
    body = arrival.body
    routed = Routed.chat(arrival, gw.decide(body, request), body)
    return await respond(gw, request, routed, _ChatDoor(body))


class _ChatDoor:
    """A chat.completion as the provider answered, or its chunks (`_ChatStream`)."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def answer(self, served: Served) -> tuple[Any, dict[str, Any]]:
        return served.response, served.usage

    async def stream(self, call: Call, served: Served) -> tuple[Served, _ChatStream]:
        return served, _ChatStream(self.include_usage, call.entry.observe)


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

