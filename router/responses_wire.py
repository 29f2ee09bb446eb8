"""Responses API <-> Chat Completions, by litellm's own bridge.

Every deployment is called on the chat wire (router/upstream.py: litellm or the lean
transport, OpenAI's or Anthropic's wire), so the Responses front door shares the whole
request path. litellm 1.106.2's `LiteLLMCompletionResponsesConfig` (the translation
`litellm.aresponses` uses for providers without a Responses API) maps the request to chat
parameters and a chat answer to a `response` object; its `LiteLLMCompletionStreamingIterator`
turns chat chunks into Responses events. What is Tianji's own: the response id (one per
request, the same in every event), `store: false`, sequence numbers, usage details that are
never null, and the error and `response.failed` events of a stream that breaks.
"""

from __future__ import annotations

import copy
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, cast

import litellm
from litellm.responses.litellm_completion_transformation.streaming_iterator import (
    LiteLLMCompletionStreamingIterator,
)
from litellm.responses.litellm_completion_transformation.transformation import (
    LiteLLMCompletionResponsesConfig as Bridge,
)
from litellm.types.llms.openai import ResponsesAPIOptionalRequestParams

from router.errors import GatewayError
from router.schema import PASSTHROUGH_PARAMS

JSON = dict[str, Any]

# Responses fields with a chat parameter of the same name (the bridge does not carry them).
_SAME_NAME = ("prompt_cache_key", "service_tier")
# Request fields the `response` object echoes (the bridge leaves them out).
_ECHOED = ("safety_identifier", "service_tier", "max_tool_calls")
# The Responses field each translated chat parameter came from (for errors that name one).
RESPONSES_FIELD = {"verbosity": "text.verbosity", "max_tokens": "max_output_tokens",
                   "response_format": "text.format", "reasoning_effort": "reasoning.effort"}
# Terminal events of a stream that reached the provider's end of answer.
FINAL_EVENTS = frozenset({"response.completed", "response.incomplete"})


def new_response_id() -> str:
    return f"resp_{uuid.uuid4().hex}"


def _request(body: Mapping[str, Any]) -> ResponsesAPIOptionalRequestParams:
    """The body as the bridge reads it: without what is not a Responses parameter for it."""
    return cast(ResponsesAPIOptionalRequestParams,
                {k: v for k, v in body.items() if k not in ("model", "input", "stream")})


def to_chat(body: Mapping[str, Any]) -> JSON:
    """The chat-completions request of a (validated) Responses body: `model`, `messages`,
    `stream` and chat parameters only."""
    chat = Bridge.transform_responses_api_request_to_chat_completion_request(
        model=str(body["model"]), input=copy.deepcopy(body["input"]),
        responses_api_request=_request(body),
    )
    chat.pop("stream", None)
    for name in _SAME_NAME:
        if body.get(name) is not None:
            chat[name] = body[name]
    verbosity = (body.get("text") or {}).get("verbosity")
    if verbosity is not None:
        chat["verbosity"] = verbosity
    lost = set(chat) - PASSTHROUGH_PARAMS - {"model", "messages"}
    if lost:  # a bridge that grew a parameter the chat door would not pass on: say so
        raise GatewayError(400, "The request could not be translated to a chat request: "
                           f"{', '.join(sorted(lost))}.", code="untranslatable_request")
    chat["model"] = body["model"]
    chat["stream"] = bool(body.get("stream"))
    return chat


def _usage(usage: Any) -> JSON:
    """Responses usage with its details filled in, as OpenAI sends it (clients read
    `input_tokens_details.cached_tokens` without a None check)."""
    usage = {k: v for k, v in (usage or {}).items() if k != "cost"}
    usage.setdefault("input_tokens", 0)
    usage.setdefault("output_tokens", 0)
    usage.setdefault("total_tokens", usage["input_tokens"] + usage["output_tokens"])
    for name, always in (("input_tokens_details", "cached_tokens"),
                         ("output_tokens_details", "reasoning_tokens")):
        details = {k: v for k, v in (usage.get(name) or {}).items() if v is not None}
        details.setdefault(always, 0)
        usage[name] = details
    return usage


def _item(item: JSON, body: Mapping[str, Any]) -> JSON:
    """An output item in OpenAI's shape. litellm's reasoning item carries the thinking as
    `output_text` content with a `role` and no summary; OpenAI's has `reasoning_text`
    content and a list of `summary_text` parts (here the thinking, when a summary was
    asked for: what Claude returns is itself a summary)."""
    if item.get("type") != "reasoning":
        return item
    texts = [str(part.get("text") or "") for part in item.get("content") or ()]
    item = {k: v for k, v in item.items() if k not in ("role", "phase")}
    item["content"] = [{"type": "reasoning_text", "text": t} for t in texts]
    wants_summary = bool((body.get("reasoning") or {}).get("summary"))
    item["summary"] = [{"type": "summary_text", "text": t} for t in texts] if (
        wants_summary) else []
    return item


def _finish(response: JSON, response_id: str, body: Mapping[str, Any]) -> JSON:
    """Tianji's fields of a `response` object: its id, no store, the request's metadata."""
    response["id"] = response_id
    response["store"] = False
    response["metadata"] = dict(body.get("metadata") or {})
    response["previous_response_id"] = None
    for name in _ECHOED:
        if body.get(name) is not None:
            response[name] = body[name]
    if (body.get("text") or {}).get("verbosity") is not None:
        response["text"] = {**(response.get("text") or {}), "verbosity": body["text"]["verbosity"]}
    parallel = body.get("parallel_tool_calls")
    response["parallel_tool_calls"] = True if parallel is None else parallel
    response["output"] = [_item(item, body) for item in response.get("output") or ()]
    if response.get("usage") is not None or response.get("status") in ("completed", "incomplete"):
        response["usage"] = _usage(response.get("usage"))
    return response


def to_response(body: Mapping[str, Any], answer: JSON, response_id: str) -> JSON:
    """The `response` object of a chat answer."""
    response = Bridge.transform_chat_completion_response_to_responses_api_response(
        request_input=body["input"], responses_api_request=_request(body),
        chat_completion_response=copy.deepcopy(answer),
    )
    return _finish(response.model_dump(mode="json"), response_id, body)


class _ChatChunks:
    """A served stream's chat chunks (dicts) as litellm's stream objects, for litellm's
    iterator. A stream that ends without the provider's finish reason raises, so no
    `response.completed` is ever made of a cut answer."""

    logging_obj = None  # the iterator reads it; Tianji does its own logging

    def __init__(self, first: JSON, rest: AsyncIterator[Any], seen: Callable[[JSON], None],
                 provider_finished: Callable[[], bool] | None) -> None:
        self._first: JSON | None = first
        self._rest = rest
        self._seen = seen
        self._provider_finished = provider_finished
        self._finish_reason = False

    def __aiter__(self) -> _ChatChunks:
        return self

    async def __anext__(self) -> litellm.ModelResponseStream:
        if self._first is not None:
            chunk, self._first = self._first, None
        else:
            try:
                chunk = await anext(self._rest)
            except StopAsyncIteration:
                if not self._finish_reason or (
                    self._provider_finished is not None and not self._provider_finished()
                ):
                    raise ConnectionError(
                        "the provider's stream ended before the answer was complete") from None
                raise
        self._seen(chunk)
        if any(c.get("finish_reason") for c in chunk.get("choices") or ()):
            self._finish_reason = True
        return litellm.ModelResponseStream(**chunk)


def _padding(delta: str) -> str:
    """Random characters that pad a delta event so that its size tells at most the delta's
    length rounded up to 16 (OpenAI's `obfuscation` field, against size side channels)."""
    length = 16 + (-len(delta)) % 16 + secrets.randbelow(16)
    return secrets.token_urlsafe(length)[:length]


class ResponseEvents:
    """The Responses events of one served chat stream, as JSON objects in order."""

    def __init__(self, body: Mapping[str, Any], response_id: str, first: JSON,
                 rest: AsyncIterator[Any], seen: Callable[[JSON], None],
                 provider_finished: Callable[[], bool] | None) -> None:
        self._body = body
        self._id = response_id
        self._events = LiteLLMCompletionStreamingIterator(
            model=str(first.get("model") or body["model"]),
            # It reads only `__anext__` and `logging_obj` of litellm's stream wrapper.
            litellm_custom_stream_wrapper=cast(litellm.CustomStreamWrapper, _ChatChunks(
                first, rest, seen, provider_finished)),
            request_input=body["input"],
            responses_api_request=_request(body),
        )
        self.sequence = 0
        self.snapshot: JSON | None = None  # the latest `response` object sent
        self._obfuscate = bool((body.get("stream_options") or {}).get("include_obfuscation"))

    def __aiter__(self) -> ResponseEvents:
        return self

    async def __anext__(self) -> JSON:
        event = (await anext(self._events)).model_dump(mode="json")
        if isinstance(event.get("response"), dict):
            event["response"] = _finish(event["response"], self._id, self._body)
            self.snapshot = event["response"]
        if isinstance(event.get("item"), dict):
            event["item"] = _item(event["item"], self._body)
        if self._obfuscate and isinstance(event.get("delta"), str):
            event["obfuscation"] = _padding(event["delta"])
        return self.numbered(event)

    def numbered(self, event: JSON) -> JSON:
        event["sequence_number"] = self.sequence
        self.sequence += 1
        return event

    def failure(self, err: GatewayError) -> list[JSON]:
        """The end of a stream that broke: an `error` event (with the `error` object the
        official SDKs raise on) and `response.failed`."""
        error = {"code": err.code, "message": err.message, "param": err.param}
        events = [self.numbered({"type": "error", **error, "error": err.to_body()["error"]})]
        if self.snapshot is not None:
            response = {**self.snapshot, "status": "failed",
                        "error": {"code": "server_error", "message": err.message}}
            events.append(self.numbered({"type": "response.failed", "response": response}))
        return events
