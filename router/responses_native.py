"""The /v1/responses front door's side of deployments called on their own Responses API
(router/upstream_responses.py): their answers and events reach the client as the provider
sent them; Tianji adds what the bridge path adds for its own bookkeeping (usage for cost,
the answer text for the request log, the error events of a stream that breaks)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from router.errors import GatewayError
from router.ops.record import tool_marker
from router.policy import Decision
from router.upstream_responses import FINAL_EVENTS, native

JSON = dict[str, Any]


def native_only(decision: Decision, field: str) -> Decision:
    """The decision without deployments the bridge would serve: for a Responses field
    only the provider's own Responses API carries (`field` names it in the 400)."""
    keep = tuple(c for c in decision.candidates if native(c.deployment))
    if len(keep) == len(decision.candidates):
        return decision
    if not keep:
        raise GatewayError(
            400, f"Tianji cannot honour '{field}' on /v1/responses for this request: no "
            "deployment that could take it has the Responses API itself (openai/ deployments "
            "at OpenAI, or `responses_api: true`), and the translation to chat completions "
            "does not carry it back. Use /v1/chat/completions with logprobs and top_logprobs.",
            code="unsupported_parameter", param=field)
    excluded = {**decision.excluded, **{
        c.deployment.name: f"cannot carry {field} (no Responses API of its own)"
        for c in decision.candidates if c not in keep}}
    return dataclasses.replace(decision, candidates=keep, excluded=excluded)


def chat_usage(usage: Mapping[str, Any] | None) -> JSON:
    """Responses usage (input_tokens counts cached ones too) in the chat shape Tianji's cost
    accounting reads (router/costs.py `Tokens.of`)."""
    usage = usage or {}
    cached = (usage.get("input_tokens_details") or {}).get("cached_tokens") or 0
    return {"prompt_tokens": usage.get("input_tokens") or 0,
            "completion_tokens": usage.get("output_tokens") or 0,
            "prompt_tokens_details": {"cached_tokens": cached}}


class NativeEvents:
    """A native deployment's Responses events, relayed as they came. Usage of the final
    event and the text deltas go to `seen` (as chat chunks, which the request log and
    cost accounting read); `failure` ends a broken stream as the bridge's events do."""

    def __init__(self, first: JSON, rest: AsyncIterator[Any],
                 seen: Callable[[JSON], None]) -> None:
        self._first: JSON | None = first
        self._rest = rest
        self._seen = seen
        self.sequence = 0
        self.snapshot: JSON | None = None  # the latest `response` object sent

    def __aiter__(self) -> NativeEvents:
        return self

    async def __anext__(self) -> JSON:
        if self._first is not None:
            event, self._first = self._first, None
        else:
            event = await anext(self._rest)
        if isinstance(event.get("response"), dict):
            self.snapshot = event["response"]
        if event.get("type") == "response.output_text.delta":
            self._seen({"choices": [{"delta": {"content": event.get("delta")}}]})
        item = event.get("item") or {}
        added = event.get("type") == "response.output_item.added"
        if added and item.get("type") == "function_call":
            marker = tool_marker("function_call", item.get("name"))
            self._seen({"choices": [{"delta": {"content": marker}}]})
        if event.get("type") in FINAL_EVENTS:
            self._seen({"usage": chat_usage((event.get("response") or {}).get("usage"))})
        if isinstance(event.get("sequence_number"), int):
            self.sequence = event["sequence_number"] + 1
        return event

    def failure(self, err: GatewayError) -> list[JSON]:
        """An `error` event and `response.failed`, numbered after the last event sent."""
        error = {"code": err.code, "message": err.message, "param": err.param}
        events = [{"type": "error", **error, "error": err.to_body()["error"],
                   "sequence_number": self.sequence}]
        if self.snapshot is not None:
            response = {**self.snapshot, "status": "failed",
                        "error": {"code": "server_error", "message": err.message}}
            events.append({"type": "response.failed", "response": response,
                           "sequence_number": self.sequence + 1})
        self.sequence += len(events)
        return events
