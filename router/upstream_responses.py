"""One /v1/responses call to a deployment that has the Responses API itself.

`Upstream.complete(..., call=ResponsesCall(...))` walks the Decision's deployments as for
chat (retries, health, cooldowns, fallback, escalation, the stream commit point). A
deployment the call `takes` (see `native`) is sent the client's Responses body as is:
`model` set to the deployment's id, `store: false` (Tianji keeps no state, and neither
should the provider on its behalf), the deployment's own key; the answer is the provider's
`response` object, or its Responses events. Every other deployment goes through the
upstream's chat path with the chat request litellm's bridge made of the body
(router/responses_wire.py), so one tier may mix both and fall back across them.

litellm 1.106.2's `aresponses` would make the same HTTP call (its `OpenAIResponsesAPIConfig`
posts the body to `{api_base}/responses`), but runs each call in a thread pool and through
its logging and prompt-management hooks; like the native Messages path
(router/upstream_messages.py) Tianji sends it itself on a pooled aiohttp session and reads
the stream event by event.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import urlparse

import httpx
import litellm

from router.config import Deployment
from router.errors import MalformedAnswer
from router.upstream_messages import (
    HTTPPool,
    _aiohttp_lines,
    _error_message,
    _sse_events,
    closer,
    post,
    read_json,
    status_error,
)

JSON = dict[str, Any]
OPENAI_API = "https://api.openai.com/v1"
# Events that end a Responses stream: the answer whole (or cut by max_output_tokens).
FINAL_EVENTS = frozenset({"response.completed", "response.incomplete"})
# The status each of the API's error codes (in an `error` event) stands for.
_EVENT_ERROR_STATUS = {"rate_limit_exceeded": 429, "server_error": 500,
                       "invalid_request_error": 400, "context_length_exceeded": 400}


def native(dep: Deployment) -> bool:
    """Whether `dep` is called on its provider's own Responses API: `responses_api:` when
    set, else an `azure/` deployment or an `openai/` one at OpenAI itself."""
    if dep.responses_api is not None:
        return dep.responses_api  # true only on openai/ and azure/ (router/config.py)
    if dep.provider == "azure":
        return True
    if dep.provider != "openai":
        return False
    base = dep.litellm_params.get("api_base")
    return base is None or urlparse(str(base)).hostname == "api.openai.com"


class ResponseStream:
    """A provider's Responses events as dicts, ending after the final one. An `error` or
    `response.failed` event raises (so the caller fails over before the first byte and
    ends the stream with an error event after it)."""

    def __init__(self, events: AsyncIterator[JSON], close: Any, model: str) -> None:
        self._events = events
        self._close = close
        self._model = model
        self.received_finish_reason: str | None = None  # set by the final event
        self.final: JSON | None = None  # the `response` of the final event

    def __aiter__(self) -> ResponseStream:
        return self

    async def __anext__(self) -> JSON:
        if self.received_finish_reason is not None:
            raise StopAsyncIteration
        event = await anext(self._events)
        kind = event.get("type")
        if kind == "error" or kind == "response.failed":
            error = event.get("error") or (event.get("response") or {}).get("error") or event
            code = str(error.get("code") or "")
            raise status_error(_EVENT_ERROR_STATUS.get(code, 500),
                               str(error.get("message") or kind), "openai", self._model)
        if kind in FINAL_EVENTS:
            self.received_finish_reason = str(kind)
            self.final = dict(event.get("response") or {})
        return event

    async def aclose(self) -> None:
        await self._close()


class ResponsesCall:
    """The `call` of `Upstream.complete` for /v1/responses (a `router.upstream.WireCall`)
    for the deployments it `takes`; `body` is the client's validated Responses body."""

    def __init__(self, body: Mapping[str, Any], http: HTTPPool) -> None:
        self.body = body
        self.http = http

    def takes(self, dep: Deployment) -> bool:
        return native(dep)

    def streams(self, params: dict[str, Any]) -> bool:
        return True  # the final event carries the whole `response`

    def has_answer(self, body: dict[str, Any]) -> bool:
        return bool(body.get("output"))

    async def first(self, events: ResponseStream) -> JSON:
        return await anext(events)

    async def assemble(self, first: JSON, rest: AsyncIterator[JSON], events: ResponseStream,
                       params: dict[str, Any]) -> JSON:
        async for _ in rest:
            pass
        if events.final is None:
            raise MalformedAnswer("the stream ended before the provider finished its answer")
        if not self.has_answer(events.final):
            raise MalformedAnswer("the provider answered 200 with no answer in it")
        return events.final

    async def __call__(self, **kwargs: Any) -> JSON | ResponseStream:
        provider, model = str(kwargs["model"]).split("/", 1)
        stream = bool(kwargs.get("stream"))
        body = {**self.body, "model": model, "stream": stream, "store": False}
        if provider == "azure":
            url, headers = await _azure_target(kwargs)
            body["input"] = _without_reasoning_status(body["input"])
        else:
            url, headers = _openai_target(kwargs)
        response = await post(self.http, url, headers, json.dumps(body).encode(),
                              lambda status, text, answer: _status_error(status, text, model,
                                                                         answer))
        if not stream:
            return await read_json(response)
        return ResponseStream(_sse_events(_aiohttp_lines(response)), closer(response), model)


def _status_error(status: int, text: str, model: str, response: httpx.Response) -> Exception:
    """The litellm exception for a Responses error status (`context_length_exceeded` is a
    400 that moves the request to a larger window)."""
    if '"context_length_exceeded"' in text:
        return litellm.ContextWindowExceededError(
            message=_error_message(text), model=model, llm_provider="openai", response=response)
    return status_error(status, _error_message(text), "openai", model, response)


def _openai_target(params: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    base = str(params.get("api_base") or OPENAI_API).rstrip("/")
    url = base if base.endswith("/responses") else f"{base}/responses"
    key = params.get("api_key") or os.environ.get("OPENAI_API_KEY", "")
    headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}
    if params.get("organization"):
        headers["openai-organization"] = str(params["organization"])
    return url, headers


async def _azure_target(params: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """Azure OpenAI's Responses URL and auth, as litellm's Azure Responses config builds
    them (an Entra ID token is fetched off the event loop when there is no key)."""
    from litellm.constants import AZURE_DEFAULT_RESPONSES_API_VERSION
    from litellm.llms.azure.common_utils import BaseAzureLLM
    from litellm.types.router import GenericLiteLLMParams

    url = BaseAzureLLM.get_base_azure_url(
        api_base=params.get("api_base"), litellm_params={"api_version": params.get(
            "api_version")}, route="/openai/responses",
        default_api_version=AZURE_DEFAULT_RESPONSES_API_VERSION)
    deployment = GenericLiteLLMParams(**{k: v for k, v in params.items()
                                         if k not in ("model", "stream", "messages")})
    validate = BaseAzureLLM.base_validate_azure_environment
    headers = validate({}, deployment) if params.get("api_key") else (
        await asyncio.to_thread(validate, {}, deployment))
    return url, {**headers, "content-type": "application/json"}


def _without_reasoning_status(items: Any) -> Any:
    """Azure refuses a `status` on reasoning input items (litellm drops it too:
    BerriAI/litellm#13484)."""
    if not isinstance(items, list):
        return items
    return [{k: v for k, v in item.items() if k != "status"}
            if isinstance(item, Mapping) and item.get("type") == "reasoning" else item
            for item in items]
