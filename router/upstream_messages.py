"""One Anthropic Messages call to one deployment, in the wire that deployment speaks.

`Upstream.complete(..., call=MessagesCall(...))` walks the Decision's deployments
exactly as for chat completions (retries, health, fallback, escalation, stream
commit point); only the call itself differs:

| deployment              | what is sent                                                   |
|-------------------------|----------------------------------------------------------------|
| `anthropic/...`         | the client's Messages body as sent (every top-level field,     |
|                         | thinking signatures, cache_control, documents), `model` set to |
|                         | the deployment's id; only `anthropic-version`/`anthropic-beta` |
|                         | headers from the client; the deployment's own key              |
| `bedrock/`, `vertex_ai/`| the request litellm's Messages config for the cloud builds     |
|                         | (router/upstream_clouds.py: SigV4 / Google OAuth, the cloud's  |
|                         | URL and `anthropic_version`, the fields and betas the cloud    |
|                         | accepts; what it leaves out is logged), sent by Tianji; a      |
|                         | stream is read event by event (Bedrock's binary event stream,  |
|                         | Vertex's SSE)                                                  |
| anything else           | litellm's Anthropic adapter: translated to chat completions    |
|                         | and back (requests with thinking signatures never get here)    |

A call returns the Anthropic `message` dict, or an `EventStream` of Anthropic
event dicts whose first event has arrived. An `error` event inside a stream
raises, so the caller fails over before the first byte and ends the stream
with an error event after it.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
import litellm
from litellm.llms.custom_httpx.aiohttp_transport import map_aiohttp_exceptions

# litellm would fetch its beta-header table from GitHub on first use: use the bundled one.
os.environ.setdefault("LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS", "True")

from litellm.anthropic_beta_headers_manager import (  # noqa: E402
    filter_and_transform_beta_headers,
)
from litellm.llms.anthropic.pass_through.adapters.streaming_iterator import (  # noqa: E402
    AnthropicStreamWrapper,
)
from litellm.llms.anthropic.pass_through.adapters.transformation import (  # noqa: E402
    AnthropicAdapter,
)

from router import http_pool  # noqa: E402
from router.errors import MalformedAnswer  # noqa: E402
from router.messages_answer import assemble_message  # noqa: E402
from router.transport import LeanTransport, litellm_tls  # noqa: E402
from router.upstream import assemble_chat, first_answer_chunk  # noqa: E402
from router.upstream_clouds import StreamException, bedrock_events, prepare_async  # noqa: E402

JSON = dict[str, Any]
DEFAULT_VERSION = "2023-06-01"
ANTHROPIC_API = "https://api.anthropic.com"
# Providers that take the Messages body natively; the rest get the chat translation.
CLAUDE_NATIVE = frozenset({"anthropic", "bedrock", "vertex_ai"})
# The Messages fields litellm's Anthropic adapter translates to chat completions.
_LITELLM_FIELDS = ("max_tokens", "messages", "metadata", "stop_sequences", "system",
                   "temperature", "thinking", "tool_choice", "tools", "top_k", "top_p")
# Deployment parameters that are not credentials or endpoints: never sent as headers.
_CALL_KEYS = ("timeout", "num_retries", "max_retries", "drop_params", "_skip_mcp_handler",
              "stream_options", "stream", "model")
_ADAPTER = AnthropicAdapter()


@dataclass(frozen=True)
class MessagesRequest:
    """What the client sent that goes upstream: the body and the allowlisted headers."""

    body: JSON
    version: str = DEFAULT_VERSION
    betas: tuple[str, ...] = ()

    @property
    def has_thinking_history(self) -> bool:
        """Thinking blocks (with signatures) in earlier assistant turns: only Claude keeps
        them; a chat translation would drop them, so such a request skips other wires."""
        for message in self.body.get("messages") or ():
            content = message.get("content") if isinstance(message, Mapping) else None
            if isinstance(content, list) and any(
                isinstance(b, Mapping) and b.get("type") in ("thinking", "redacted_thinking")
                for b in content
            ):
                return True
        return False


def cloud_betas(betas: tuple[str, ...], provider: str) -> list[str]:
    """The betas `provider` accepts (renamed where the cloud names them differently)."""
    if provider == "anthropic":
        return list(betas)
    return filter_and_transform_beta_headers(list(betas), provider)


class EventStream:
    """Anthropic stream events as dicts. Ends after `message_stop`; an `error` event raises.

    `received_finish_reason` stays None until `message_stop`, so the upstream's and the
    relay's "did the provider finish" checks hold for this wire too.
    """

    def __init__(self, events: AsyncIterator[JSON], close: Any, provider: str, model: str,
                 source: Any = None) -> None:
        self._events = events
        self._close = close
        self._provider = provider
        self._model = model
        self._source = source  # a translated chat stream: did *it* see the provider finish?
        self.received_finish_reason: str | None = None

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> JSON:
        if self.received_finish_reason is not None:
            raise StopAsyncIteration
        try:
            event = await anext(self._events)
        except StreamException as exc:
            raise status_error(exc.status, str(exc), self._provider, self._model) from None
        kind = event.get("type")
        if kind == "error":
            error = event.get("error") or {}
            raise status_error(_EVENT_ERROR_STATUS.get(error.get("type"), 500),
                               str(error.get("message") or "error event"), self._provider,
                               self._model)
        if kind == "message_stop":
            if getattr(self._source, "received_finish_reason", "stop") is None:
                raise ConnectionError("the provider's stream ended before the answer was "
                                      "complete")
            self.received_finish_reason = "stop"
        return event

    async def aclose(self) -> None:
        if self._close is not None:
            await self._close()


_EVENT_ERROR_STATUS = {"overloaded_error": 529, "rate_limit_error": 429, "api_error": 500,
                       "invalid_request_error": 400, "timeout_error": 504}


def status_error(status: int, message: str, provider: str, model: str,
                 response: httpx.Response | None = None) -> Exception:
    """A provider's HTTP error as the litellm exception `router.errors.classify` reads."""
    args = {"message": message, "model": model, "llm_provider": provider}
    if status == 400 and "prompt is too long" in message:
        return litellm.ContextWindowExceededError(**args, response=response)
    if status == 400 and "content filtering" in message:
        return litellm.ContentPolicyViolationError(**args, response=response)
    if status == 400:
        return litellm.BadRequestError(**args, response=response)
    if status == 401:
        return litellm.AuthenticationError(**args, response=response)
    if status == 403:
        request = httpx.Request("POST", "https://provider.invalid")
        return litellm.PermissionDeniedError(
            **args, response=response or httpx.Response(403, request=request))
    if status == 404:
        return litellm.NotFoundError(**args, response=response)
    if status == 429:
        return litellm.RateLimitError(**args, response=response)
    error = litellm.APIError(status, message, provider, model)
    error.response = response  # type: ignore[assignment]  # Retry-After is read from it
    return error


async def _sse_events(lines: AsyncIterator[str]) -> AsyncIterator[JSON]:
    """Parse `event:`/`data:` lines into event dicts (the data line carries `type`)."""
    data: list[str] = []
    async for line in lines:
        if line.startswith("data:"):
            data.append(line[5:].lstrip())
        elif not line and data:
            yield json.loads("\n".join(data))
            data = []
    if data:
        yield json.loads("\n".join(data))


class MessagesCall:
    """The `call` Upstream uses for a Messages request (a `router.upstream.WireCall`):
    `await call(**kwargs)` with the kwargs Upstream builds (deployment parameters, `model`,
    `stream`, timeouts). Every deployment can stream, so a non-streamed request is
    streamed from the provider (`stream_upstream`) and its events assembled into the
    `message` (router/messages_answer.py)."""

    def __init__(self, request: MessagesRequest, http: HTTPPool,
                 transport: LeanTransport | None, request_id: str = "") -> None:
        self.request = request
        self.http = http
        self.transport = transport
        self.request_id = request_id

    def takes(self, dep: Any) -> bool:
        return True  # every deployment of the request's decision

    def streams(self, params: dict[str, Any]) -> bool:
        return True

    def has_answer(self, body: dict[str, Any]) -> bool:
        return "content" in body

    async def first(self, events: EventStream | TranslatedChunks) -> Any:
        if isinstance(events, TranslatedChunks):
            return await first_answer_chunk(events)
        return await anext(events)

    async def assemble(self, first: Any, rest: AsyncIterator[Any],
                       events: EventStream | TranslatedChunks, params: dict[str, Any]) -> JSON:
        if isinstance(events, TranslatedChunks):  # the chat answer, then litellm's translation
            answer = await assemble_chat(first, rest, events)
            translated = _ADAPTER.translate_completion_output_params(
                litellm.ModelResponse(**answer), tool_name_mapping=events.tool_names)
            return dict(translated or {})
        message = await assemble_message(first, rest)
        if events.received_finish_reason is None:
            raise MalformedAnswer("the stream ended before the provider finished its answer")
        return message

    async def __call__(self, **kwargs: Any) -> JSON | EventStream:
        model: str = kwargs["model"]
        provider = model.split("/", 1)[0] if "/" in model else "openai"
        stream = bool(kwargs.get("stream"))
        if provider == "anthropic":
            return await self._anthropic(model.split("/", 1)[1], stream, kwargs)
        if provider in CLAUDE_NATIVE:
            return await self._cloud(provider, stream, kwargs)
        return await self._translated(provider, stream, kwargs)

    async def _anthropic(self, model: str, stream: bool, kwargs: Mapping[str, Any]) -> Any:
        url, headers = _anthropic_target(kwargs, self.request)
        body = {**self.request.body, "model": model}
        if stream:
            body["stream"] = True
        else:
            body.pop("stream", None)
        return await self._send(url, headers, json.dumps(body).encode(), "anthropic", model,
                                stream)

    async def _cloud(self, provider: str, stream: bool, kwargs: Mapping[str, Any]) -> Any:
        """Claude on Bedrock or Vertex: litellm builds and signs the request
        (router/upstream_clouds.py), Tianji sends it and reads the stream as it comes."""
        model = str(kwargs["model"])
        deployment = {k: v for k, v in kwargs.items() if k not in _CALL_KEYS}
        try:
            request = await prepare_async(
                provider, model.split("/", 1)[1], self.request.body,
                cloud_betas(self.request.betas, provider), deployment, stream, self.request_id)
        except litellm.BadRequestError:
            raise  # the request itself (e.g. a tool the cloud cannot run): the client's
        except Exception as exc:  # noqa: BLE001 - credentials, token or signing failed
            raise litellm.AuthenticationError(
                message=f"could not authenticate to {provider}: {type(exc).__name__}: {exc}",
                model=model, llm_provider=provider) from None
        return await self._send(request.url, request.headers, request.body, provider, model,
                                stream)

    async def _send(self, url: str, headers: Mapping[str, str], data: bytes, provider: str,
                    model: str, stream: bool) -> JSON | EventStream:
        """POST one Messages request: the `message`, or an EventStream whose events are
        read as the provider sends them. An error status raises litellm's exception."""
        response = await post(
            self.http, url, headers, data,
            lambda status, text, answer: status_error(status, _error_message(text), provider,
                                                      model, answer))
        if not stream:
            return await read_json(response)
        if provider == "bedrock":
            events = bedrock_events(_aiohttp_chunks(response))
        else:
            events = _sse_events(_aiohttp_lines(response))
        return EventStream(events, closer(response), provider, model)

    async def _translated(self, provider: str, stream: bool, kwargs: Mapping[str, Any]) -> Any:
        body = self.request.body
        anthropic_request = {k: body[k] for k in (*_LITELLM_FIELDS, "output_config",
                                                  "output_format") if k in body}
        anthropic_request["model"] = kwargs["model"]
        openai_request, tool_names = _ADAPTER.translate_completion_input_params_with_tool_mapping(
            anthropic_request, custom_llm_provider=provider)
        if openai_request is None:
            raise ValueError("litellm could not translate the request to chat completions")
        call_kwargs = {**kwargs, **openai_request, "model": kwargs["model"]}
        lean = self.transport is not None and self.transport.supports(
            call_kwargs["model"], {k: v for k, v in kwargs.items() if k not in _CALL_KEYS},
            stream=stream)
        acompletion = self.transport.acompletion if lean and self.transport else (
            litellm.acompletion)
        response = await acompletion(**call_kwargs)
        if not stream:
            translated = _ADAPTER.translate_completion_output_params(
                response, tool_name_mapping=tool_names)
            return dict(translated or {})
        if not self.request.body.get("stream"):
            # Streamed only to be assembled: as the chat answer litellm translates whole, so
            # the `message` is the one a non-streamed call would have made of it.
            return TranslatedChunks(response, tool_names)
        # Wait for the provider's first chunk here, so that a failure before it still
        # fails over (the adapter invents `message_start` before reading anything).
        try:
            first = await anext(response)
        except BaseException:
            await response.aclose()
            raise
        local_model = str(kwargs["model"]).split("/", 1)[-1]
        wrapper = AnthropicStreamWrapper(completion_stream=_prepend(first, response),
                                         model=local_model, tool_name_mapping=tool_names)
        return EventStream(aiter(wrapper), response.aclose, provider, local_model, response)


def chat_messages(body: Mapping[str, Any], model: str) -> list[JSON]:
    """A Messages body's system prompt and turns as the chat messages litellm's adapter
    makes of them for a chat-wire deployment `model` (as `MessagesCall._translated` sends
    them): the system prompt first, as a system message (a string stays a string, text
    blocks become text parts)."""
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    request = {k: body[k] for k in ("system", "messages") if k in body}
    translated, _ = _ADAPTER.translate_completion_input_params_with_tool_mapping(
        {**request, "model": model}, custom_llm_provider=provider)
    if translated is None:
        raise ValueError("litellm could not translate the request to chat completions")
    return [dict(m) for m in translated["messages"]]


class TranslatedChunks:
    """A chat-wire deployment's stream of a non-streamed Messages request: its chat chunks,
    and the tool names the translation renamed (`MessagesCall.assemble` translates the
    assembled chat answer back)."""

    def __init__(self, chunks: Any, tool_names: Mapping[str, str]) -> None:
        self._chunks = chunks
        self.tool_names = tool_names

    def __aiter__(self) -> TranslatedChunks:
        return self

    async def __anext__(self) -> Any:
        return await anext(self._chunks)

    @property
    def received_finish_reason(self) -> Any:
        """The chat stream's (see router/upstream.py `_provider_finished`)."""
        return getattr(self._chunks, "received_finish_reason", "unknown")

    async def aclose(self) -> None:
        await self._chunks.aclose()


def _anthropic_target(params: Mapping[str, Any], request: MessagesRequest,
                      endpoint: str = "") -> tuple[str, dict[str, str]]:
    """The Anthropic API's Messages URL (`endpoint` appended, e.g. "/count_tokens") and
    headers for a deployment: its own key, the client's version and betas."""
    base = str(params.get("api_base") or ANTHROPIC_API).rstrip("/")
    url = (base if base.endswith("/v1/messages") else f"{base}/v1/messages") + endpoint
    headers = {"x-api-key": str(params.get("api_key") or os.environ.get(
        "ANTHROPIC_API_KEY", "")), "anthropic-version": request.version,
        "content-type": "application/json", "accept": "application/json"}
    if request.betas:
        headers["anthropic-beta"] = ",".join(request.betas)
    return url, headers


# The fields of a Messages body that POST /v1/messages/count_tokens takes.
_COUNT_FIELDS = ("messages", "system", "tools", "tool_choice", "thinking", "mcp_servers",
                 "context_management", "output_config", "output_format")


async def count_tokens(http: HTTPPool, params: Mapping[str, Any], request: MessagesRequest,
                       timeout: float) -> int:
    """The Anthropic API's own count of the prompt's input tokens for an `anthropic/`
    deployment (`params`: its litellm parameters and `model`). Raises on any failure."""
    model = str(params["model"]).split("/", 1)[1]
    url, headers = _anthropic_target(params, request, "/count_tokens")
    body = {k: request.body[k] for k in _COUNT_FIELDS if k in request.body}
    async with asyncio.timeout(timeout):
        with map_aiohttp_exceptions():
            response = await http.session().post(
                url, data=json.dumps({**body, "model": model}).encode(), headers=headers)
            try:
                text = (await response.read()).decode("utf-8", "replace")
            finally:
                response.release()
    if response.status >= 400:
        raise status_error(response.status, _error_message(text), "anthropic", model)
    count = json.loads(text).get("input_tokens")
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValueError("the provider's count has no input_tokens")
    return count


async def _prepend(first: Any, rest: AsyncIterator[Any]) -> AsyncIterator[Any]:
    yield first
    async for item in rest:
        yield item


class HTTPPool(http_pool.HTTPPool):
    """The pool of native Messages and Responses calls (router/http_pool.py), with TLS set
    up as litellm's own clients set it up."""

    def __init__(self) -> None:
        super().__init__(litellm_tls)


# What `post` raises for an error status: from the status, the body's text and the
# response without its body (Retry-After is read from it).
ErrorOf = Callable[[int, str, httpx.Response], Exception]


async def post(http: HTTPPool, url: str, headers: Mapping[str, str], data: bytes,
               error: ErrorOf) -> aiohttp.ClientResponse:
    """POST `data` on the pool; the response once it has a success status, its body unread
    (`read_json` for a whole answer, `closer` for a stream). An error status raises
    `error(...)`, a failed connection httpx's exception (litellm's aiohttp map)."""
    with map_aiohttp_exceptions():
        response = await http.session().post(url, data=data, headers=dict(headers))
        if response.status >= 400:
            text = (await response.read()).decode("utf-8", "replace")
            response.release()
            raise error(response.status, text, httpx.Response(
                response.status, headers=dict(response.headers),
                request=httpx.Request("POST", url)))
    return response


async def read_json(response: aiohttp.ClientResponse) -> JSON:
    """A whole JSON answer; its connection goes back to the pool."""
    with map_aiohttp_exceptions():
        try:
            return dict(json.loads(await response.read()))
        finally:
            response.release()


def closer(response: aiohttp.ClientResponse) -> Callable[[], Awaitable[None]]:
    """A streamed response's close: one read to its end goes back to the pool; one cut
    short is closed."""

    async def close() -> None:
        if response.content.at_eof():
            response.release()
        else:
            response.close()

    return close


async def _aiohttp_lines(response: aiohttp.ClientResponse) -> AsyncIterator[str]:
    with map_aiohttp_exceptions():
        async for line in response.content:
            yield line.decode("utf-8", "replace").rstrip("\r\n")


async def _aiohttp_chunks(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    with map_aiohttp_exceptions():
        async for data in response.content.iter_any():
            yield data


def _error_message(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return text[:600]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return text[:600]
