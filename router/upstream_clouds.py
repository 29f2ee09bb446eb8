"""Claude on Bedrock and on Vertex AI: the signed Messages request, and the stream's events.

litellm's own Messages configs (`AmazonAnthropicClaudeMessagesConfig`,
`VertexAIPartnerModelsAnthropicMessagesConfig`) build the request: the cloud's URL
(Bedrock `.../model/<id>/invoke[-with-response-stream]`, Vertex
`.../publishers/anthropic/models/<id>:rawPredict|:streamRawPredict`), its auth (SigV4, or a
Google OAuth bearer token from `vertex_credentials`), `anthropic_version` in the body,
the model out of the body, the betas the cloud accepts, and the top-level fields it
accepts. Tianji sends the request itself (router/upstream_messages.py), so that a stream
reaches the client event by event. What the cloud's transform left out of the client's
body is logged as a warning (`messages_fields_dropped`), never dropped in silence.

Bedrock streams AWS's binary event stream: each `chunk` frame carries one Anthropic
event (base64 JSON); an `exception` frame is a failure with a status of its kind.
Vertex streams Anthropic's SSE.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import litellm
from botocore.eventstream import EventStreamBuffer, InvalidPayloadLength, ParserError
from litellm.llms.anthropic.pass_through.messages.utils import AnthropicMessagesRequestUtils
from litellm.llms.base_llm.anthropic_messages.transformation import BaseAnthropicMessagesConfig
from litellm.types.router import GenericLiteLLMParams
from litellm.utils import ProviderConfigManager

JSON = dict[str, Any]
log = logging.getLogger("tianji.upstream")

# Bedrock's stream exceptions by `:exception-type`, as the HTTP status each stands for.
_BEDROCK_EXCEPTION_STATUS = {
    "throttlingException": 429, "serviceUnavailableException": 503,
    "internalServerException": 500, "modelStreamErrorException": 500,
    "modelTimeoutException": 504, "validationException": 400,
}
# Body fields that are the wire's framing, not the client's content.
_FRAMING = frozenset({"model", "stream", "anthropic_version", "anthropic_beta"})


@dataclass(frozen=True)
class CloudRequest:
    url: str
    headers: dict[str, str]
    body: bytes
    dropped: tuple[str, ...]  # what the cloud's transform left out of the client's body


@functools.cache
def _config(provider: str, model: str) -> BaseAnthropicMessagesConfig:
    """litellm's Messages config for the cloud; one per model, so that its cache of
    Google credentials and tokens lives as long as the process."""
    config = ProviderConfigManager.get_provider_anthropic_messages_config(
        model=model, provider=litellm.LlmProviders(provider))
    if config is None:
        raise ValueError(f"litellm has no Messages config for {provider}/{model}")
    return config


def prepare(provider: str, model: str, body: JSON, betas: list[str],
            deployment: Mapping[str, Any], stream: bool) -> CloudRequest:
    """The cloud's request for the client's Messages `body` (blocking: a Google token
    may be fetched; run it in a thread). `model` is the deployment's id without the
    provider prefix; `deployment` its litellm parameters (credentials, region, api_base)."""
    config = _config(provider, model)
    params = {k: v for k, v in body.items() if k not in ("messages", "model", "stream")}
    optional = dict(AnthropicMessagesRequestUtils.get_requested_anthropic_messages_optional_param(
        params=params, model=model, drop_params=True, custom_llm_provider=provider))
    if stream:
        optional["stream"] = True
    litellm_params = dict(deployment)
    api_base = litellm_params.pop("api_base", None)
    headers: dict[str, Any] = {"anthropic-beta": ",".join(betas)} if betas else {}
    headers, api_base = config.validate_anthropic_messages_environment(
        headers=headers, model=model, messages=body["messages"], optional_params=optional,
        litellm_params=litellm_params, api_key=None, api_base=api_base)
    request = config.transform_anthropic_messages_request(
        model=model, messages=body["messages"],
        anthropic_messages_optional_request_params=dict(optional),
        litellm_params=GenericLiteLLMParams(**litellm_params), headers=headers)
    url = config.get_complete_url(api_base=api_base, api_key=None, model=model,
                                  optional_params=dict(litellm_params),
                                  litellm_params=dict(litellm_params), stream=stream)
    headers, signed = config.sign_request(
        headers=headers, optional_params=dict(litellm_params), request_data=request,
        api_base=url, api_key=None, model=model, stream=stream, fake_stream=False)
    data = signed if signed is not None else json.dumps(request).encode()
    return CloudRequest(url, {k: str(v) for k, v in headers.items()}, data,
                        dropped_fields(body, request))


def dropped_fields(sent: JSON, request: JSON) -> tuple[str, ...]:
    """Top-level fields of the client's body missing from the cloud's request, and
    `context_management` edits it left out (as `context_management.edits[type]`)."""
    dropped = [k for k in sent if k not in _FRAMING and k not in request]
    edits = (sent.get("context_management") or {}).get("edits")
    kept = (request.get("context_management") or {}).get("edits") or []
    if isinstance(edits, list) and "context_management" in request:
        kept_types = {e.get("type") for e in kept if isinstance(e, Mapping)}
        dropped += [f"context_management.edits[{e.get('type')}]" for e in edits
                    if isinstance(e, Mapping) and e.get("type") not in kept_types]
    return tuple(dropped)


async def prepare_async(provider: str, model: str, body: JSON, betas: list[str],
                        deployment: Mapping[str, Any], stream: bool,
                        request_id: str = "") -> CloudRequest:
    """`prepare` off the event loop, with the warning for what the cloud does not take."""
    request = await asyncio.to_thread(prepare, provider, model, body, betas, deployment, stream)
    if request.dropped:
        log.warning(json.dumps({"event": "messages_fields_dropped", "request_id": request_id,
                                "provider": provider, "model": model,
                                "fields": list(request.dropped)}))
    return request


class StreamException(Exception):
    """A failure the cloud reported inside its stream (Bedrock's exception frames)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def bedrock_events(chunks: AsyncIterator[bytes]) -> AsyncIterator[JSON]:
    """Anthropic events from Bedrock's event stream. A frame that does not decode (bad
    checksum, bad length) raises ConnectionError: the stream is broken, not finished."""
    buffer = EventStreamBuffer()
    async for data in chunks:
        buffer.add_data(data)
        while True:  # the frames before a bad one are events like any others
            try:
                message = next(buffer)
            except StopIteration:
                break
            except (ParserError, InvalidPayloadLength) as exc:
                raise ConnectionError(f"Bedrock's event stream is malformed: {exc}") from None
            event = _bedrock_event(message.headers, message.payload)
            if event is not None:
                yield event


def _bedrock_event(headers: Mapping[str, Any], payload: bytes) -> JSON | None:
    kind = headers.get(":message-type")
    if kind == "exception" or kind == "error":
        name = str(headers.get(":exception-type") or headers.get(":error-code") or "error")
        try:
            message = str(json.loads(payload).get("message") or name)
        except (ValueError, AttributeError):
            message = name
        raise StreamException(_BEDROCK_EXCEPTION_STATUS.get(name, 500), f"{name}: {message}")
    if headers.get(":event-type") != "chunk":
        return None
    event = json.loads(base64.b64decode(json.loads(payload)["bytes"]))
    event.pop("amazon-bedrock-invocationMetrics", None)  # Bedrock's, not Anthropic's
    return dict(event)
