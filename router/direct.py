"""OpenAI-wire calls without litellm: the plain case, byte for byte what litellm would send.

`import litellm` is most of a serving process's memory (~120 MB of ~220) and most of its
start-up. A streamed call (non-streamed requests are streamed from the provider too,
`stream_upstream`) to an OpenAI-compatible server, with text messages and sampling
parameters only, needs nothing of it: the request is the client's messages and parameters,
the answer is the provider's chunks as they are. `DirectTransport` makes such calls itself,
so a config whose deployments all take it never loads litellm at all.

What takes this path (`plain_deployment`, `plain_call`), anything else goes through
router/transport.py or `litellm.acompletion` as before, with litellm loaded on first need:

- a deployment `openai/<model>` with an `api_key` and an explicit `http://` `api_base` (a
  local or in-cluster OpenAI-compatible server; TLS set-up, the OpenAI default base URL and
  its environment variables are litellm's), and a model outside the families litellm maps
  differently (o-series, GPT-5/6, audio: any name that could be one);
- messages with `role` system, user or assistant, string `content` and at most a `name`;
- parameters among `PLAIN_PARAMS` with scalar values (`stop`: a string or up to 4).

For those, litellm's OpenAI config passes messages and parameters through unchanged (its
validation, developer-role, cache-control, image and tool steps all leave them alone), so
the body is `model`, `messages`, the parameters, `stream` and `stream_options`;
tests/test_direct.py checks that the provider receives the same request through this path
as through router/transport.py. The stream is router/transport_stream.py's `LeanStream`,
which awaits litellm (`need_litellm`, without blocking the event loop) before the first
thing that needs it: an HTTP error status, a failed connection or read, an error event, a
tool-call chunk, a usage chunk to count. Errors are then litellm's exceptions, mapped as on
the lean path.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

import aiohttp

from router.http_pool import HTTPPool
from router.transport_stream import (
    LeanStream,
    ReadFailed,
    mapped_exception,
    read_error,
    transport_error,
)

# Sampling and length parameters litellm's OpenAI mapping passes through as they are.
PLAIN_PARAMS = frozenset({
    "temperature", "top_p", "max_tokens", "max_completion_tokens", "seed", "presence_penalty",
    "frequency_penalty", "stop", "user", "n",
})
# acompletion keyword arguments router/upstream.py sets that are not the provider's.
_CALL_KEYS = frozenset({
    "model", "messages", "stream", "stream_options", "timeout", "num_retries", "max_retries",
    "drop_params", "api_key", "api_base", "_skip_mcp_handler", "as_dicts",
})
_ROLES = frozenset({"system", "user", "assistant"})
_MESSAGE_KEYS = frozenset({"role", "content", "name"})
# Names litellm gives its own OpenAI configs (o-series, GPT-5/6 reasoning, audio), widened:
# any name that could be one of them is left to litellm.
_SPECIAL_MODEL = re.compile(r"^o\d|gpt-[56]|audio|search", re.IGNORECASE)
_STOP_LIMIT = 4  # litellm truncates a longer list


def plain_deployment(model: str, params: dict[str, Any]) -> bool:
    """Whether a deployment (`model` as configured, its litellm parameters) takes this path."""
    provider, _, name = model.partition("/")
    base = params.get("api_base")
    return (
        provider == "openai" and bool(name) and bool(params.get("api_key"))
        and set(params) <= {"api_key", "api_base"}
        and isinstance(base, str) and base.startswith("http://")
        and not _SPECIAL_MODEL.search(name)
    )


def plain_call(params: dict[str, Any]) -> bool:
    """Whether a request's parameters (`messages` included) are ones this path sends as is."""
    for key, value in params.items():
        if key == "messages" or value is None:
            continue
        if key not in PLAIN_PARAMS:
            return False
        if key == "stop":
            if not (isinstance(value, str) or (
                isinstance(value, list) and len(value) <= _STOP_LIMIT
                and all(isinstance(v, str) for v in value)
            )):
                return False
        elif key == "n":
            if value != 1:
                return False
        elif isinstance(value, bool) or not isinstance(value, int | float | str):
            return False
    messages = params.get("messages")
    return isinstance(messages, list) and bool(messages) and all(
        isinstance(m, dict) and m.keys() <= _MESSAGE_KEYS and m.get("role") in _ROLES
        and isinstance(m.get("content"), str) and isinstance(m.get("name", ""), str)
        for m in messages
    )


def request_body(model: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The body litellm's OpenAI config builds for a plain call (model without its prefix)."""
    params = {k: v for k, v in kwargs.items() if k not in _CALL_KEYS and v is not None}
    body: dict[str, Any] = {"model": model, "messages": kwargs["messages"], **params,
                            "stream": True}
    if kwargs.get("stream_options"):
        body["stream_options"] = kwargs["stream_options"]
    return body


def chat_url(api_base: str) -> str:
    """litellm's OpenAI `get_complete_url`."""
    base = api_base.rstrip("/")
    return base if "chat/completions" in base else f"{base}/chat/completions"


class DirectRoute:
    """A plain deployment's model and URL; litellm's provider config only when an error
    needs it (`config`, for router/transport_stream.py)."""

    provider = "openai"

    def __init__(self, model: str, api_base: str) -> None:
        self.model = model
        self.url = chat_url(api_base)
        self._api_base = api_base

    @cached_property
    def config(self) -> Any:
        from router.transport import build_route

        route = build_route(f"openai/{self.model}", self._api_base)
        assert route is not None, "a plain deployment is one litellm's OpenAI config serves"
        return route.config


class DirectTransport:
    """`acompletion(**kwargs)` for plain calls (stream only): a `LeanStream` of dict chunks,
    or litellm's exception, as router/transport.py's `LeanTransport` answers. `need_litellm`
    is awaited before anything that needs litellm (router/startup.py `Preload.wait`)."""

    def __init__(self, need_litellm: Callable[[], Awaitable[None]]) -> None:
        self._need_litellm = need_litellm
        self._routes: dict[tuple[str, str], DirectRoute] = {}
        # aiohttp's default TLS: only http:// bases take this path (`plain_deployment`).
        self._http = HTTPPool()

    def _route(self, model: str, api_base: str) -> DirectRoute:
        key = (model, api_base)
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = DirectRoute(model.partition("/")[2], api_base)
        return route

    async def acompletion(self, **kwargs: Any) -> LeanStream:
        route = self._route(kwargs["model"], kwargs["api_base"])
        body = request_body(route.model, kwargs)
        headers = {"Authorization": f"Bearer {kwargs['api_key']}",
                   "Content-Type": "application/json"}
        timeout = kwargs.get("timeout")
        # As httpx's timeout, which acompletion uses: per connect and per read, not in total.
        seconds = float(timeout) if timeout else None
        client_timeout = aiohttp.ClientTimeout(total=None, connect=seconds, sock_read=seconds)
        try:
            resp = await self._http.session().post(
                route.url, data=json.dumps(body), headers=headers, timeout=client_timeout
            )
            if resp.status >= 400:
                try:
                    content = await resp.read()
                finally:
                    resp.close()
        except asyncio.CancelledError as exc:
            task = asyncio.current_task()
            if task is None or task.cancelling() > 0:
                raise
            mapped, cause = await self._failed(route, ReadFailed(exc), timeout)
            raise mapped from cause
        except Exception as exc:  # noqa: BLE001 - mapped as the lean path maps it
            mapped, cause = await self._failed(route, ReadFailed(exc), timeout)
            raise mapped from cause
        if resp.status >= 400:
            await self._need_litellm()
            import httpx  # (litellm's import has loaded it)

            from router.transport import status_error

            response = httpx.Response(
                resp.status, headers=list(resp.raw_headers), content=content,
                request=httpx.Request("POST", route.url),
            )
            error = status_error(route, response, stream=True)
            raise mapped_exception(error, route.model, route.provider) from error
        return LeanStream(
            resp, route, body["messages"], False, {},
            bool((kwargs.get("stream_options") or {}).get("include_usage")), timeout,
            as_dicts=True, need_litellm=self._need_litellm,
        )

    async def _failed(
        self, route: DirectRoute, failure: ReadFailed, timeout: Any
    ) -> tuple[Exception, Exception]:
        """litellm's exception for a connection that failed before an answer came, and the
        exception it was mapped from (as the lean path chains them)."""
        await self._need_litellm()
        import httpx

        error = read_error(failure)
        if isinstance(error, httpx.TransportError):
            cause = error
            error = transport_error(cause, route, timeout)
            error.__cause__ = cause
        return mapped_exception(error, route.model, route.provider), error

