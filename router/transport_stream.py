"""`LeanStream`: a provider's SSE answer read by router/transport.py, as litellm chunks.

Split from router/transport.py (the request side); like it, everything here that
reaches below litellm's top-level API is checked against `acompletion` by
tests/test_transport.py. Also the two error helpers both sides share.

litellm is imported where a chunk or an error needs it, not at module level: an OpenAI-wire
stream of text chunks read as dicts needs none of it (router/direct.py serves such calls with
litellm not loaded). A stream given `need_litellm` awaits it before the first thing that
does (an error to map, a tool-call chunk, tokens to count), so the load never blocks the
event loop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp

if TYPE_CHECKING:
    import httpx


class StreamRoute(Protocol):
    """What a stream needs of its route (router/transport.py `_Route`, router/direct.py's)."""

    provider: str
    model: str  # without the provider prefix

    @property
    def config(self) -> Any: ...  # litellm's provider config: only for errors


class ReadFailed(Exception):
    """Reading the provider's body failed (`original`, an aiohttp error); mapped to httpx's
    exception as litellm's aiohttp transport maps it once litellm is loaded (`read_error`)."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def read_error(exc: ReadFailed) -> Exception:
    """The httpx exception litellm's `map_aiohttp_exceptions` makes of a failed read."""
    from litellm.llms.custom_httpx.aiohttp_transport import map_aiohttp_exceptions

    try:
        with map_aiohttp_exceptions():
            raise exc.original
    except Exception as mapped:  # noqa: BLE001 - the map reports by raising
        return mapped
    raise AssertionError("unreachable: the map re-raises")


def transport_error(exc: httpx.TransportError, route: StreamRoute, timeout: Any) -> Exception:
    """What acompletion raises (before mapping) when the connection fails or times out."""
    import httpx
    import litellm

    if isinstance(exc, httpx.TimeoutException):
        return litellm.Timeout(
            message=f"Connection timed out. Timeout passed={timeout}. {exc}".strip(),
            model=route.model,
            llm_provider=route.provider,
        )
    # As litellm does: a provider error with a synthesized 500 (the OpenAI SDK, which
    # acompletion uses for openai/, says only "Connection error.").
    message = "Connection error." if route.provider == "openai" else str(exc)
    err = route.config.get_error_class(error_message=message, status_code=500, headers={})
    err.status_code_is_synthesized = True
    return err  # type: ignore[no-any-return]


class LeanStream:
    """A provider's SSE answer as litellm `ModelResponseStream` chunks, for router/upstream.py
    and router/api/chat.py: what they use of litellm's `CustomStreamWrapper`, and stricter.

    - OpenAI chunks pass through as they are (one `ModelResponseStream` each, or with
      `as_dicts` what that object dumps to: for text, the provider's JSON without its
      nulls, at a fraction of the cost; router/upstream.py relays dicts); Anthropic
      events go through litellm's own `ModelResponseIterator.chunk_parser`, then, as
      `CustomStreamWrapper` does, events without content are dropped, the first chunk says
      `role: assistant`, and usage comes in one last chunk (when `include_usage`).
    - `received_finish_reason` stays None until the provider itself sends a finish reason
      (OpenAI's `finish_reason`, Anthropic's `message_delta.stop_reason`): a stream that
      just ends is not made to look complete.
    - A broken stream raises: a connection cut or read timeout mid-body, and an SSE data line
      that is not JSON (litellm's Anthropic iterator would quietly buffer it, and the rest
      of the stream behind it, as a fragment). Errors are mapped as `CustomStreamWrapper`
      maps them: `MidStreamFallbackError` around litellm's exception, or the exception
      itself for a 4xx other than 429.
    - `aclose()` closes the HTTP response; a stream not read to its end drops the
      connection, which cancels the provider's work.
    """

    def __init__(
        self, resp: aiohttp.ClientResponse, route: StreamRoute, messages: list[Any],
        json_mode: bool, litellm_params: dict[str, Any], include_usage: bool, timeout: Any,
        as_dicts: bool = False, need_litellm: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._resp = resp
        self._need_litellm = need_litellm
        self._as_dicts = as_dicts
        self._timeout = timeout
        self._route = route
        self._messages = messages
        self._include_usage = include_usage
        self._lines: list[bytes] = []
        self._buffer = b""
        self._eof = False
        self._finished = False
        self._ready: list[Any] = []
        self._ahead_error: Exception | None = None
        self._sent_first = False
        self._usage: Any = None
        self._text: list[str] = []  # for counting tokens if an OpenAI server sends no usage
        self._id: str | None = None
        self._model = route.model
        self.received_finish_reason: str | None = None
        self._anthropic = None
        if route.provider == "anthropic":
            from litellm.llms.anthropic.chat.handler import ModelResponseIterator
            from litellm.llms.anthropic.chat.transformation import (
                ANTHROPIC_TOOL_NAME_REVERSE_MAP_KEY,
            )

            self._anthropic = ModelResponseIterator(
                streaming_response=None, sync_stream=False, json_mode=json_mode,
                tool_name_reverse_map=litellm_params.get(ANTHROPIC_TOOL_NAME_REVERSE_MAP_KEY),
            )

    def __aiter__(self) -> LeanStream:
        return self

    @property
    def buffered(self) -> bool:
        """Whether the next chunk is parsed already: the next call reads nothing and waits
        for nothing (router/upstream.py's `_Paced` sets no timer for it)."""
        return bool(self._ready) and not isinstance(self._ready[0], _Deferred)

    async def __anext__(self) -> Any:
        try:
            if self._ahead_error is not None:
                raise self._ahead_error
            while not self._ready:
                line = await self._next_line()
                if line is None:
                    if self._finished:
                        raise StopAsyncIteration
                    self._finished = True
                    self._finish()
                    if not self._ready:
                        raise StopAsyncIteration
                    break
                if line.startswith(b"data:"):
                    self._on_data(line[5:].strip())
            chunk = self._ready.pop(0)
            if isinstance(chunk, _Deferred):
                await self._litellm_loaded()
                chunk = chunk.build()
        except (StopAsyncIteration, asyncio.CancelledError):
            raise
        except Exception as exc:  # noqa: BLE001 - mapped as CustomStreamWrapper maps it
            self._stop()
            await self._litellm_loaded()
            cause = self._resolved(exc)
            raise self._failed(cause) from cause
        self._sent_first = True
        if self._as_dicts and self._anthropic is None:
            self._take_ahead()
        return chunk

    def _take_ahead(self) -> None:
        """Parse the lines already read until a chunk is ready (OpenAI wire), so that the next
        call waits for nothing. A line that fails is kept and raised by that call, after the
        chunks before it, as if parsed then."""
        try:
            while not self._ready and self._lines:
                line = self._lines.pop(0)
                if line.startswith(b"data:"):
                    self._on_data(line[5:].strip())
        except Exception as exc:  # noqa: BLE001 - raised by the next __anext__
            self._ahead_error = exc

    async def _litellm_loaded(self) -> None:
        if self._need_litellm is not None:
            await self._need_litellm()

    def _resolved(self, exc: Exception) -> Exception:
        """The exception litellm's own reader would have raised where this one stands in."""
        if isinstance(exc, ReadFailed):
            return read_error(exc)
        if isinstance(exc, _ErrorEvent):
            return self._route.config.get_error_class(  # type: ignore[no-any-return]
                error_message=exc.message, status_code=500, headers={}
            )
        return exc

    async def aclose(self) -> None:
        self._stop()

    def _stop(self) -> None:
        """No more chunks; close the response (drops the connection unless read to its end)."""
        self._eof = self._finished = True
        self._lines.clear()
        self._ready.clear()
        self._resp.close()

    async def _next_line(self) -> bytes | None:
        while not self._lines:
            if self._eof:
                return None
            try:
                data = await self._resp.content.readany()
            except asyncio.CancelledError as exc:
                task = asyncio.current_task()
                if task is None or task.cancelling() > 0:
                    raise
                raise ReadFailed(exc) from exc  # aiohttp cancelled the read internally
            except Exception as exc:  # noqa: BLE001 - mapped in __anext__ (ReadFailed)
                raise ReadFailed(exc) from exc
            if not data:
                self._eof = True
                if self._buffer:
                    self._lines.append(self._buffer)
                    self._buffer = b""
                break
            *lines, self._buffer = (self._buffer + data).split(b"\n")
            self._lines.extend(lines)
        return self._lines.pop(0) if self._lines else None

    def _on_data(self, payload: bytes) -> None:
        if not payload or payload == b"[DONE]":
            return
        try:
            event = json.loads(payload)
        except ValueError as exc:
            shown = payload[:200]
            raise ValueError(f"Malformed chunk from the provider: {exc}: {shown!r}") from exc
        if not isinstance(event, dict):
            raise ValueError(f"Malformed chunk from the provider: {payload[:200]!r}")
        if self._anthropic is not None:
            self._on_anthropic(event)
        else:
            self._on_openai(event)

    def _on_openai(self, event: dict[str, Any]) -> None:
        # An error event, as the OpenAI SDK reads one: with choices too (OpenRouter's mid-stream
        # error has a choice whose finish_reason is "error"; it is no end of the answer)
        if event.get("error"):
            error = event["error"]
            message = error.get("message") if isinstance(error, dict) else None
            raise _ErrorEvent(message or json.dumps(error))
        for choice in event.get("choices") or ():
            if choice.get("finish_reason"):
                self.received_finish_reason = choice["finish_reason"]
            content = (choice.get("delta") or {}).get("content")
            if content:
                self._text.append(content)
        if event.get("usage"):
            self._usage = event["usage"]
        if not self._as_dicts:
            self._ready.append(_chunk_object(event))  # (a route with litellm loaded)
        elif any(_calls_tools(choice) or not isinstance(choice.get("delta"), dict)
                 for choice in event.get("choices") or ()):
            # litellm completes tool-call deltas (`type` on every one) and adds the `delta: {}`
            # OpenAI's schema requires where a choice has none: keep its shape there
            self._ready.append(
                _Deferred(lambda: _chunk_object(event).model_dump(exclude_none=True))
            )
        else:
            self._ready.append(_without_none(event))

    def _on_anthropic(self, event: dict[str, Any]) -> None:
        assert self._anthropic is not None
        chunk = self._anthropic.chunk_parser(chunk=event)  # raises on an `error` event
        if chunk.usage:  # (cumulative: message_start's input, message_delta's output)
            self._usage = chunk.usage
        choice = chunk.choices[0]
        delta = choice.delta
        finish = choice.finish_reason or None
        if event.get("type") == "message_delta":
            if (event.get("delta") or {}).get("stop_reason"):
                self.received_finish_reason = finish
            else:  # chunk_parser calls a missing stop_reason "stop": not ours to invent
                finish = None
        choice.finish_reason = finish
        if not (delta.content or delta.tool_calls or finish
                or getattr(delta, "reasoning_content", None)
                or getattr(delta, "thinking_blocks", None)
                or getattr(delta, "provider_specific_fields", None)):
            return
        chunk.usage = None
        chunk.model = self._model
        if not delta.content and not delta.tool_calls:
            delta.content = None
        if not self._sent_first and not self._ready:
            delta.role = "assistant"
        self._id = chunk.id
        self._ready.append(chunk)

    def _finish(self) -> None:
        """At the end of the body: the usage chunk, as CustomStreamWrapper sends it."""
        if not self._include_usage:
            return
        if self._anthropic is not None and self._usage is not None:
            from litellm.types.utils import Delta, ModelResponseStream, StreamingChoices

            self._ready.append(ModelResponseStream(
                id=self._id or self._anthropic.response_id, model=self._model,
                choices=[StreamingChoices(index=0, delta=Delta())], usage=self._usage,
            ))
        elif self._anthropic is None and self._usage is None and self._sent_first:
            # An OpenAI-compatible server that ignores stream_options: count, as litellm does.
            self._ready.append(_Deferred(self._counted_usage))

    def _counted_usage(self) -> Any:
        """The usage chunk of an OpenAI-wire stream that sent none: litellm's token counts."""
        import litellm
        from litellm.types.utils import Delta, ModelResponseStream, StreamingChoices, Usage

        prompt = litellm.token_counter(model=self._model, messages=self._messages)
        completion = litellm.token_counter(model=self._model, text="".join(self._text))
        chunk = ModelResponseStream(
            model=self._model, choices=[StreamingChoices(index=0, delta=Delta())],
            usage=Usage(prompt_tokens=prompt, completion_tokens=completion,
                        total_tokens=prompt + completion),
        )
        return chunk.model_dump(exclude_none=True) if self._as_dicts else chunk

    def _failed(self, exc: Exception) -> Exception:
        import httpx
        from litellm.exceptions import MidStreamFallbackError
        from litellm.llms.openai.common_utils import OpenAIError

        route = self._route
        if isinstance(exc, httpx.TimeoutException):
            exc = transport_error(exc, route, self._timeout)
        elif isinstance(exc, httpx.TransportError):
            exc.request = httpx.Request("POST", str(self._resp.url))  # exception_type reads it
        mapped = (exc if isinstance(exc, OpenAIError)
                  else mapped_exception(exc, route.model, route.provider))
        status = getattr(mapped, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and status != 429:
            return mapped
        return MidStreamFallbackError(
            message=str(mapped), model=route.model, llm_provider=route.provider,
            original_exception=mapped, is_pre_first_chunk=not self._sent_first,
        )


class _ErrorEvent(Exception):
    """An OpenAI-wire stream's `error` event; becomes the provider config's error class."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Deferred:
    """A chunk built once litellm is loaded (`build` needs its objects)."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self.build = build


def _chunk_object(event: dict[str, Any]) -> Any:
    from litellm.types.utils import ModelResponseStream

    return ModelResponseStream(**event)


def _calls_tools(choice: Any) -> bool:
    delta = choice.get("delta") if isinstance(choice, dict) else None
    return isinstance(delta, dict) and bool(delta.get("tool_calls") or delta.get("function_call"))


def _without_none(value: Any) -> Any:
    """A JSON value without its null fields, as litellm's chunk objects dump it."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def mapped_exception(exc: Exception, model: str, provider: str) -> Exception:
    """The exception `acompletion` would raise for `exc` (litellm.exception_type raises it)."""
    import litellm

    try:
        litellm.exception_type(model=model, original_exception=exc, custom_llm_provider=provider)
    except Exception as mapped:  # noqa: BLE001 - exception_type reports by raising
        return mapped
    return exc
