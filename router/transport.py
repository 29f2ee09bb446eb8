"""A lean path to plain-HTTP, API-key providers: litellm's provider config, one aiohttp pool.

`litellm.acompletion` costs several milliseconds of CPU per call, most of it in
work Tianji does not use: cost calculation, success callbacks and logging
objects, the OpenAI SDK's request building, httpx. For a non-streaming request
to a provider that needs nothing but an API key over HTTP(S) (`openai/...`,
OpenAI-compatible servers, `anthropic/...`), `LeanTransport.acompletion` runs
the steps litellm itself runs for such providers (`BaseLLMHTTPHandler`), with
litellm's own objects for everything provider-specific:

- message and parameter checks, `get_optional_params`;
- the provider's chat config (`ProviderConfigManager.get_provider_chat_config`):
  `validate_environment` (auth headers), `get_complete_url`, `transform_request`,
  `transform_response` (to litellm's `ModelResponse`), `get_error_class`;
- `litellm.exception_type` for errors, so callers see the same exception classes,
  status codes and `litellm_response_headers` (Retry-After) as from `acompletion`;
- litellm's aiohttp exception map for connection failures.

Only the HTTP call is ours: one pooled `aiohttp.ClientSession` per event loop
(router/http_pool.py).
Streams take the same path and come back as a `LeanStream` (router/transport_stream.py:
SSE lines parsed there,
chunks built by litellm's `ModelResponseStream` and, for Anthropic, its own
`ModelResponseIterator.chunk_parser`), in place of litellm's `CustomStreamWrapper`.
Every other provider (Bedrock's SigV4, Vertex's OAuth, Azure, any deployment with
parameters beyond `api_key`/`api_base`) goes through `litellm.acompletion`, chosen
per deployment by `LeanTransport.supports`.

Everything here that reaches below litellm's top-level API is in this module;
`tests/test_transport.py` compares it with `acompletion` against the fake
provider (wire request, response, every error class) so a litellm upgrade that
changes shape fails loudly there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
import litellm
from litellm.anthropic_beta_headers_manager import update_request_with_filtered_beta
from litellm.litellm_core_utils.get_litellm_params import get_litellm_params
from litellm.litellm_core_utils.prompt_templates.common_utils import get_completion_messages
from litellm.llms.custom_httpx.aiohttp_transport import map_aiohttp_exceptions
from litellm.llms.custom_httpx.http_handler import get_ssl_configuration
from litellm.llms.openai.common_utils import OpenAIError
from litellm.secret_managers.main import get_secret_bool, get_secret_str
from litellm.utils import (
    ProviderConfigManager,
    get_optional_params,
    validate_and_fix_openai_messages,
    validate_and_fix_openai_tools,
    validate_chat_completion_tool_choice,
    validate_openai_optional_params,
)

from router.errors import mark_failed_before_http
from router.http_pool import TLS, HTTPPool
from router.transport_stream import LeanStream, mapped_exception, transport_error

LEAN_PROVIDERS = frozenset({"openai", "anthropic"})
# Deployment parameters the lean path understands; any other one sends it to acompletion.
LEAN_PARAMS = frozenset({"api_key", "api_base"})
# acompletion keyword arguments that are not provider parameters (anything else would be sent
# to the provider: get_optional_params passes unknown keywords through for openai/).
_CALL_KEYS = frozenset(
    {"model", "messages", "stream", "timeout", "num_retries", "max_retries", "drop_params",
     "api_key", "api_base", "_skip_mcp_handler", "as_dicts"}
)


class _SilentLogging:
    """Stands in for litellm's per-call Logging object: provider configs report to it; we
    log attempts ourselves and keep no callbacks."""

    model_call_details: dict[str, Any] = {}

    def pre_call(self, *args: Any, **kwargs: Any) -> None:
        pass

    def post_call(self, *args: Any, **kwargs: Any) -> None:
        pass


_SILENT = _SilentLogging()


@dataclass(frozen=True)
class _Route:
    provider: str
    model: str  # without the provider prefix
    config: Any  # litellm BaseConfig
    litellm_params: dict[str, Any]


class LeanTransport:
    """`acompletion(**kwargs)` with litellm's signature and exceptions, for lean deployments."""

    def __init__(self) -> None:
        self._routes: dict[str, _Route | None] = {}
        self._params = _ParamMemo()
        self._http = HTTPPool(litellm_tls)

    def supports(self, model: str, params: dict[str, Any], *, stream: bool) -> bool:
        """Whether a call to `model` with deployment `params` can take the lean path."""
        if not params.get("api_key") or not LEAN_PARAMS.issuperset(params):
            return False
        return self._route(model, params.get("api_base")) is not None

    def _route(self, model: str, api_base: str | None) -> _Route | None:
        key = f"{model}\0{api_base}"
        if key not in self._routes:
            self._routes[key] = build_route(model, api_base)
        return self._routes[key]

    async def aclose(self) -> None:
        """Close the pool now (a server's shutdown); the next call opens a new one."""
        await self._http.aclose()

    async def acompletion(self, **kwargs: Any) -> Any:
        """Chat completion; raises litellm's exception classes. With `stream=True` the answer
        is a `LeanStream` of litellm `ModelResponseStream` chunks, once the provider has
        answered with a success status; with `as_dicts=True` too, an OpenAI-wire stream's
        chunks are the provider's JSON as dicts (no pydantic objects; see LeanStream)."""
        stream = bool(kwargs.get("stream"))
        api_key: str = kwargs["api_key"]
        route = self._route(kwargs["model"], kwargs.get("api_base"))
        assert route is not None, "call supports() first"
        model, provider, config = route.model, route.provider, route.config
        sent = False  # until the request goes out, a failure is litellm's translation of it
        try:
            messages = validate_and_fix_openai_messages(messages=kwargs["messages"])
            messages = get_completion_messages(
                messages=messages,
                ensure_alternating_roles=False,
                user_continue_message=None,
                assistant_continue_message=None,
            )
            messages = config.translate_developer_role_to_system_role(messages=messages)
            openai_params = {k: v for k, v in kwargs.items() if k not in _CALL_KEYS}
            if "tools" in openai_params:
                openai_params["tools"] = validate_and_fix_openai_tools(tools=openai_params["tools"])
            if "tool_choice" in openai_params:
                openai_params["tool_choice"] = validate_chat_completion_tool_choice(
                    tool_choice=openai_params["tool_choice"], model=model
                )
            if "stop" in openai_params:
                openai_params["stop"] = validate_openai_optional_params(stop=openai_params["stop"])
            optional_params = self._params.map(
                route, kwargs.get("drop_params"), messages,
                {**({"stream": True} if stream else {}), **openai_params},
            )
            litellm_params = dict(route.litellm_params)
            json_mode = optional_params.pop("json_mode", False)
            extra_body = optional_params.pop("extra_body", None)
            api_base = route.litellm_params["api_base"]
            if provider == "anthropic":
                url, headers, data = await _anthropic_request(
                    config, model, messages, optional_params, litellm_params, api_key, api_base
                )
                if stream:
                    data["stream"] = True  # as AnthropicChatCompletion sets it after transforming
            else:
                url, headers, data = await _http_request(
                    config, model, messages, optional_params, litellm_params, api_key, api_base,
                    stream=stream,
                )
            if data.get("stream") is False:
                del data["stream"]  # as the OpenAI SDK, which acompletion uses, leaves it out
            if extra_body is not None:
                data = {
                    **data,
                    **config.transform_extra_body(
                        extra_body=extra_body, request=data, model=model,
                        litellm_params=litellm_params,
                    ),
                }
            sent = True
            if stream:
                return await self._stream(
                    url, headers, data, kwargs.get("timeout"), route, messages, json_mode,
                    litellm_params, include_usage=bool(
                        (kwargs.get("stream_options") or {}).get("include_usage")
                    ), as_dicts=bool(kwargs.get("as_dicts")),
                )
            raw = await self._post(url, headers, data, kwargs.get("timeout"), route)
            return config.transform_response(  # type: ignore[no-any-return]
                model=model,
                raw_response=raw,
                model_response=litellm.ModelResponse(),
                logging_obj=_SILENT,
                request_data=data,
                messages=messages,
                optional_params=optional_params,
                litellm_params=litellm_params,
                encoding=None,
                api_key=api_key,
                json_mode=json_mode,
            )
        except Exception as exc:  # noqa: BLE001 - mapped exactly as acompletion maps it
            mapped = mapped_exception(exc, model, provider)
            raise (mapped if sent else mark_failed_before_http(mapped)) from exc

    async def _post(
        self, url: str, headers: dict[str, Any], data: dict[str, Any], timeout: Any, route: _Route
    ) -> httpx.Response:
        session = self._http.session()
        body = json.dumps(data)
        client_timeout = aiohttp.ClientTimeout(total=float(timeout) if timeout else None)
        try:
            with map_aiohttp_exceptions():
                async with session.post(
                    url, data=body, headers=headers, timeout=client_timeout
                ) as resp:
                    content = await resp.read()
                    status = resp.status
                    resp_headers = list(resp.raw_headers)
        except httpx.TransportError as exc:
            raise transport_error(exc, route, timeout) from exc
        response = httpx.Response(
            status, headers=resp_headers, content=content, request=httpx.Request("POST", url)
        )
        if status >= 400:
            raise status_error(route, response)
        if route.provider == "openai":
            try:
                json.loads(content)
            except ValueError as exc:  # the OpenAI SDK's failure, which litellm maps to a 500
                raise route.config.get_error_class(
                    error_message=str(exc), status_code=500, headers=dict(response.headers)
                ) from exc
        return response

    async def _stream(
        self, url: str, headers: dict[str, Any], data: dict[str, Any], timeout: Any,
        route: _Route, messages: list[Any], json_mode: bool, litellm_params: dict[str, Any],
        *, include_usage: bool, as_dicts: bool = False,
    ) -> LeanStream:
        session = self._http.session()
        body = json.dumps(data)
        # As httpx's timeout, which acompletion uses: per connect and per read, not in total.
        seconds = float(timeout) if timeout else None
        client_timeout = aiohttp.ClientTimeout(total=None, connect=seconds, sock_read=seconds)
        try:
            with map_aiohttp_exceptions():
                resp = await session.post(url, data=body, headers=headers, timeout=client_timeout)
        except httpx.TransportError as exc:
            raise transport_error(exc, route, timeout) from exc
        if resp.status >= 400:
            try:
                with map_aiohttp_exceptions():
                    content = await resp.read()
            except httpx.TransportError as exc:
                raise transport_error(exc, route, timeout) from exc
            finally:
                resp.close()  # after a full read the connection is already back in the pool
            response = httpx.Response(
                resp.status, headers=list(resp.raw_headers), content=content,
                request=httpx.Request("POST", url),
            )
            raise status_error(route, response, stream=True)
        return LeanStream(
            resp, route, messages, json_mode, litellm_params, include_usage, timeout, as_dicts
        )


# A shape's plan: (output name, input name), or (output name, None) for an empty extra_body.
_Plan = tuple[tuple[str, str | None], ...]


class _ParamMemo:
    """litellm's `get_optional_params`, memoised per (model, drop_params, the names of the
    parameters that are set) where its result depends on those names only: openai/ models
    outside the o-series, GPT-5 and audio families, whose mapping keeps or drops each
    parameter by name (the others change values: o-series temperatures, for one). The first
    call of a shape records which of the caller's values went where; a shape whose result
    holds anything else (a transformed value, a value two inputs share) is never memoised.
    tests/test_transport.py checks the request the provider receives, memoised or not."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, Any, tuple[str, ...]], _Plan | None] = {}

    def map(self, route: _Route, drop_params: Any, messages: list[Any],
            params: dict[str, Any]) -> dict[str, Any]:
        set_params = {k: v for k, v in params.items() if v is not None}
        key = (route.model, drop_params, tuple(sorted(set_params)))
        plan = self._plans.get(key)
        if plan is not None:
            return {out: {} if name is None else set_params[name] for out, name in plan}
        mapped: dict[str, Any] = get_optional_params(
            model=route.model, custom_llm_provider=route.provider, drop_params=drop_params,
            messages=messages, **set_params,
        )
        if key not in self._plans and route.provider == "openai":
            self._plans[key] = _plan(route.model, set_params, mapped)
        return mapped


def _plan(model: str, params: dict[str, Any], mapped: dict[str, Any]) -> _Plan | None:
    """Where each mapped value came from, if it was only kept or dropped by name."""
    if (litellm.openaiOSeriesConfig.is_model_o_series_model(model=model)
            or litellm.openAIGPT5Config.is_model_gpt_5_model(model=model)
            or litellm.openAIGPTAudioConfig.is_model_gpt_audio_model(model=model)):
        return None
    plan: list[tuple[str, str | None]] = []
    for out, value in mapped.items():
        if out == "extra_body" and value == {}:
            plan.append((out, None))
            continue
        sources = [name for name, given in params.items() if given is value]
        if sources != [out]:
            return None
        plan.append((out, out))
    return tuple(plan)


def status_error(
    route: _Route, response: httpx.Response, *, stream: bool = False
) -> Exception:
    """The provider error acompletion builds for an HTTP error status, before mapping."""
    headers = dict(response.headers)
    if route.provider != "openai":  # litellm's own handlers keep the whole body as the message
        return route.config.get_error_class(  # type: ignore[no-any-return]
            # (its stream handler passes the body's bytes, so they show as b'...')
            error_message=response.content if stream else response.text,
            status_code=response.status_code, headers=headers,
        )
    # openai/: as the OpenAI SDK words it (`_make_status_error_from_response`), then litellm's
    # OpenAIChatCompletion wraps it in OpenAIError with the SDK's message and body.
    text = response.text.strip()
    body: Any = text
    try:
        body = json.loads(text)
        message = f"Error code: {response.status_code} - {body}"
    except ValueError:
        message = text or f"Error code: {response.status_code}"
    data = body.get("error", body) if isinstance(body, dict) else body
    return OpenAIError(
        status_code=response.status_code, message=message, headers=headers,
        body=data if isinstance(data, dict) else None,
    )


async def _http_request(
    config: Any, model: str, messages: list[Any], optional_params: dict[str, Any],
    litellm_params: dict[str, Any], api_key: str, api_base: str, *, stream: bool = False,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """URL, headers and body as litellm's BaseLLMHTTPHandler.completion builds them."""
    headers = config.validate_environment(
        headers={}, model=model, messages=messages, optional_params=optional_params,
        litellm_params=litellm_params, api_key=api_key, api_base=api_base,
    )
    url = config.get_complete_url(
        api_base=api_base, api_key=api_key, model=model, optional_params=optional_params,
        litellm_params=litellm_params, stream=stream,
    )
    transform = (
        config.async_transform_request
        if config.uses_async_transform_request
        else _as_async(config.transform_request)
    )
    data = await transform(
        model=model, messages=messages, optional_params=optional_params,
        litellm_params=litellm_params, headers=headers,
    )
    return url, headers, data


async def _anthropic_request(
    config: Any, model: str, messages: list[Any], optional_params: dict[str, Any],
    litellm_params: dict[str, Any], api_key: str, api_base: str,
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """As litellm's AnthropicChatCompletion.completion builds them (api_base already has the
    /v1/messages suffix that litellm's main.py adds)."""
    optional_params.pop("stream", None)
    transform_params = {**optional_params, "is_vertex_request": False}
    headers = config.validate_environment(
        api_key=api_key, headers={}, model=model, messages=messages,
        optional_params=transform_params, litellm_params=litellm_params, api_base=api_base,
    )
    data = await config.async_transform_request(
        model=model, messages=messages, optional_params=transform_params,
        litellm_params=litellm_params, headers=headers,
    )
    headers, data = update_request_with_filtered_beta(
        headers=headers, request_data=data, provider="anthropic"
    )
    return api_base, headers, data


def litellm_tls() -> TLS:
    """TLS as litellm's own clients: certifi or SSL_CERT_FILE, SSL_VERIFY / ssl_verify."""
    tls = get_ssl_configuration()
    return True if isinstance(tls, str) else tls


def _as_async(fn: Any) -> Any:
    async def call(**kwargs: Any) -> Any:
        return fn(**kwargs)

    return call


def build_route(model: str, api_base: str | None) -> _Route | None:
    try:
        name, provider, _, _ = litellm.get_llm_provider(model=model, api_base=api_base)
    except Exception:  # noqa: BLE001 - unknown to litellm: let acompletion report it
        return None
    if provider not in LEAN_PROVIDERS:
        return None
    config = ProviderConfigManager.get_provider_chat_config(
        model=name, provider=litellm.LlmProviders(provider)
    )
    if config is None or getattr(config, "has_custom_stream_wrapper", False):
        return None
    if provider == "openai":
        # The OpenAI SDK's default, as acompletion resolves it (env OPENAI_BASE_URL included).
        api_base = config.get_api_base(api_base)
    else:  # anthropic: main._complete_anthropic's default and URL suffix
        api_base = (
            api_base
            or litellm.api_base
            or get_secret_str("ANTHROPIC_API_BASE")
            or get_secret_str("ANTHROPIC_BASE_URL")
            or "https://api.anthropic.com/v1/messages"
        )
        if not get_secret_bool("LITELLM_ANTHROPIC_DISABLE_URL_SUFFIX") and not api_base.endswith(
            "/v1/messages"
        ):
            api_base += "/v1/messages"
    params = get_litellm_params(api_base=api_base, custom_llm_provider=provider)
    params["api_base"] = api_base
    return _Route(provider, name, config, params)
