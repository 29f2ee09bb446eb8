"""The Anthropic Messages front door: POST /v1/messages, POST /v1/messages/count_tokens,
and GET /v1/models in Anthropic's shape (when the client sends `anthropic-version`).

It parses and checks the Messages body, maps the client's model name to routing
(`auto`, a tier or alias, or a real Claude id through `anthropic.models` rules),
gives the classifier and policy a chat-shaped view of the conversation, and runs
the shared request path with a Messages call per deployment
(router/upstream_messages.py). Answers, SSE events and errors are Anthropic's.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import Headers

from router.api.core import JSON, Call, Routed, arrive, json_bytes, respond
from router.api.gateway import Gateway
from router.config import Config
from router.errors import GatewayError
from router.policy import Decision, Route, needs_of
from router.schema import non_finite_path
from router.upstream import Served

log = logging.getLogger("tianji.messages")
# How long count_tokens waits for the provider's count before it answers with the estimate.
_COUNT_TIMEOUT_S = 5.0

if TYPE_CHECKING:  # the module itself is loaded with litellm (router/startup.py)
    from router.upstream_messages import MessagesRequest

# Anthropic's error types by status; 503 (every deployment failed or is cooling down) is
# Anthropic's 529; other client errors (408 body too slow, 415 not JSON, 431) are
# invalid_request_error and server-side statuses without a type of their own api_error.
_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error",
                403: "permission_error", 404: "not_found_error", 408: "invalid_request_error",
                413: "request_too_large", 415: "invalid_request_error",
                431: "invalid_request_error",
                429: "rate_limit_error", 504: "timeout_error", 529: "overloaded_error"}
_STATUS = {503: 529}
# "system" turns inside `messages` are what Claude Code sends with its
# mid-conversation-tool-changes beta.
_ROLES = ("user", "assistant", "system")


def wants_anthropic(path: str, headers: Headers) -> bool:
    """Does this request get Anthropic's error shape?"""
    return path.startswith("/v1/messages") or (
        (path == "/v1/models" or path.startswith("/v1/models/")) and "anthropic-version" in headers
    )


# 503s that are the configuration's doing, not the providers' load: not "overloaded".
_CONFIG_CODES = frozenset({"missing_credentials", "no_deployment"})


def error_body(err: GatewayError) -> tuple[int, JSON]:
    status = err.status if err.code in _CONFIG_CODES else _STATUS.get(err.status, err.status)
    kind = _ERROR_TYPES.get(status, "api_error")
    return status, {"type": "error", "error": {"type": kind, "message": err.message}}


def error_response(err: GatewayError, request_id: str | None = None) -> Response:
    status, body = error_body(err)
    headers = dict(err.headers)
    if request_id:
        headers["x-request-id"] = request_id
    return Response(json_bytes(body), status, headers, media_type=JSON)


def _invalid(message: str) -> GatewayError:
    return GatewayError(400, message, code="invalid_request")


def parse_messages_body(raw: bytes, max_messages: int, *, count_only: bool = False) -> JSON:
    """The Messages body as sent, after the checks Anthropic's API makes first."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise _invalid("The request body is not valid JSON (UTF-8).") from None
    if not isinstance(data, dict):
        raise _invalid("The request body must be a JSON object.")
    if (where := non_finite_path(data)) is not None:
        raise _invalid(f"{where}: NaN and Infinity are not JSON numbers.")
    if not isinstance(data.get("model"), str) or not data["model"]:
        raise _invalid("model: Field required (a string).")
    if not count_only:
        max_tokens = data.get("max_tokens")
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise _invalid("max_tokens: Field required (an integer >= 1).")
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _invalid("messages: Field required (a non-empty list).")
    if len(messages) > max_messages:
        raise _invalid(f"messages: too many, at most {max_messages}.")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            raise _invalid(f"messages.{i}.role: must be 'user', 'assistant' or 'system'.")
        content = message.get("content")
        if isinstance(content, list):
            if not all(isinstance(b, dict) and isinstance(b.get("type"), str) for b in content):
                raise _invalid(f"messages.{i}.content: each block needs a string 'type'.")
        elif not isinstance(content, str):
            raise _invalid(f"messages.{i}.content: a string or a list of content blocks.")
    system = data.get("system")
    if system is not None and not isinstance(system, str) and not (
        isinstance(system, list) and all(isinstance(b, dict) for b in system)
    ):
        raise _invalid("system: a string or a list of text blocks.")
    tools = data.get("tools")
    if tools is not None and not (
        isinstance(tools, list) and all(isinstance(t, dict) and t.get("name") for t in tools)
    ):
        raise _invalid("tools: a list of tools, each with a name.")
    if "stream" in data and not isinstance(data["stream"], bool):
        raise _invalid("stream: a boolean.")
    return data


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_text_of(b) for b in value)
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "text":
            return str(value.get("text", ""))
        if kind == "tool_use":
            return f"{value.get('name', '')} {json.dumps(value.get('input', {}))}"
        if kind == "tool_result":
            return _text_of(value.get("content", ""))
    return ""


def chat_view(body: JSON) -> JSON:
    """The conversation as a chat request, for the classifier and the policy's needs:
    text of every turn (tool calls and results included), images as image parts,
    tools by name and description, max_tokens."""
    messages: list[JSON] = []
    if body.get("system"):
        messages.append({"role": "system", "content": _text_of(body["system"])})
    for message in body["messages"]:
        content = message["content"]
        if isinstance(content, list):
            parts: list[JSON] = [{"type": "text", "text": _text_of(content)}]
            parts += [{"type": "image_url", "image_url": {"url": ""}}
                      for b in content if b.get("type") in ("image", "document")]
            messages.append({"role": message["role"], "content": parts})
        else:
            messages.append({"role": message["role"], "content": content})
    view: JSON = {"messages": messages, "max_tokens": body.get("max_tokens") or 0}
    if body.get("tools"):
        view["tools"] = [{"type": "function", "function": {
            "name": t.get("name", ""), "description": t.get("description", "")}}
            for t in body["tools"]]
    return view


def route_for(config: Config, model: str, headers: Headers) -> Route:
    """What the client's model name asks for, bounded by x-tianji-min/max-tier."""
    floor = headers.get("x-tianji-min-tier")
    ceiling = headers.get("x-tianji-max-tier")
    if model == "auto" or config.tier_index(model) is not None:
        return Route(model=model, min_tier=floor, max_tier=ceiling)
    for rule in config.model_rules():
        if not fnmatchcase(model, rule.match):
            continue
        if rule.tier is not None:
            return Route(model=rule.tier, min_tier=floor, max_tier=ceiling)
        if rule.max_tier is not None:
            ceiling = _lower(config, rule.max_tier, ceiling)
        return Route(model="auto", min_tier=floor, max_tier=ceiling)
    offered = [*config.model_names(), *(r.match for r in config.model_rules())]
    raise GatewayError(
        404, f"The model {model!r} does not exist. Available models: {', '.join(offered)}.",
        code="model_not_found", param="model")


def _lower(config: Config, rule_ceiling: str, header_ceiling: str | None) -> str:
    """The lower of two ceilings (an unknown header label is kept for the policy's 400)."""
    header_index = config.tier_index(header_ceiling) if header_ceiling else None
    if header_ceiling is None or header_index is None:
        return header_ceiling or rule_ceiling
    rule_index = config.tier_index(rule_ceiling)
    return rule_ceiling if rule_index is not None and rule_index <= header_index else (
        header_ceiling)


# Top-level fields newer than Tianji pass through to Claude deployments, but never one
# named like a credential, an endpoint or a header (a client must not smuggle those).
_UNSAFE_FIELD = re.compile(r"api|key|url|base|header|secret|credential|auth|endpoint")
_MESSAGES_FIELDS = frozenset({
    "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature",
    "top_k", "top_p", "thinking", "tools", "tool_choice", "service_tier", "container",
    "context_management", "output_config", "output_format", "mcp_servers", "cache_control",
    "inference_geo", "speed"})


def upstream_fields(body: JSON) -> JSON:
    """The body that goes upstream: Messages fields, and unknown snake_case fields that do
    not look like credentials or endpoints. `model` is the deployment's."""
    return {k: v for k, v in body.items() if k in _MESSAGES_FIELDS or (
        k != "model" and re.fullmatch(r"[a-z][a-z0-9_]*", k) and not _UNSAFE_FIELD.search(k))}


_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")
_BETA = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def _upstream_request(body: JSON, headers: Headers) -> MessagesRequest:
    """The body and the two allowlisted headers (a malformed one is a 400)."""
    from router.upstream_messages import DEFAULT_VERSION, MessagesRequest

    betas = tuple(b for b in (x.strip() for x in headers.get("anthropic-beta", "").split(","))
                  if b)
    bad = [b for b in betas if not _BETA.fullmatch(b)]
    if bad:
        raise _invalid(f"anthropic-beta: malformed value {bad[0][:40]!r}.")
    version = headers.get("anthropic-version", DEFAULT_VERSION)
    if not _VERSION.fullmatch(version):
        raise _invalid("anthropic-version: expected a date such as 2023-06-01.")
    return MessagesRequest(upstream_fields(body), version, betas)


def _claude_only(decision: Decision) -> Decision:
    """Leave out deployments whose wire cannot carry thinking blocks faithfully."""
    from router.upstream_messages import CLAUDE_NATIVE

    keep = tuple(c for c in decision.candidates if c.deployment.provider in CLAUDE_NATIVE)
    if len(keep) == len(decision.candidates):
        return decision
    if not keep:
        raise _invalid("The conversation carries thinking blocks, which only Claude deployments "
                       "(anthropic/, bedrock/, vertex_ai/) keep, and none can take it.")
    excluded = {**decision.excluded, **{
        c.deployment.name: "cannot carry thinking blocks (not a Claude wire)"
        for c in decision.candidates if c not in keep}}
    return dataclasses.replace(decision, candidates=keep, excluded=excluded)


def _parser(gw: Gateway, *, count_only: bool = False) -> Callable[[bytes], JSON]:
    max_messages = gw.config.server.max_messages
    return lambda raw: parse_messages_body(raw, max_messages, count_only=count_only)


async def messages(gw: Gateway, request: Request) -> Response:
    arrival = await arrive(gw, request, _parser(gw))
    body = arrival.body
    await gw.upstream.preload.wait()  # litellm, for router/upstream_messages.py
    from router.upstream_messages import MessagesCall

    view = chat_view(body)
    route = route_for(gw.config, body["model"], request.headers)
    decision = gw.decide_route(view, route, request)
    upstream = _upstream_request(body, request.headers)
    if upstream.has_thinking_history:
        decision = _claude_only(decision)
    wire_call = MessagesCall(upstream, gw.messages_http, gw.upstream.transport,
                             request.state.request_id)
    return await respond(gw, request, Routed(arrival, decision, body, view, wire_call=wire_call),
                         _MESSAGES)


class _MessagesDoor:
    """Anthropic's answer and events as the provider sent them (`_MessagesStream`)."""

    def answer(self, served: Served) -> tuple[Any, dict[str, Any]]:
        return served.response, served.usage

    async def stream(self, call: Call, served: Served) -> tuple[Served, _MessagesStream]:
        return served, _MessagesStream(call.entry.observe)


_MESSAGES = _MessagesDoor()


def _event(data: JSON) -> bytes:
    return b"event: " + str(data.get("type")).encode() + b"\ndata: " + json_bytes(data) + b"\n\n"


class _MessagesStream:
    """Anthropic's events as the provider sent them; `event: error` on a failure."""

    def __init__(self, observe: Callable[[JSON], None]) -> None:
        self.usage: JSON = {}
        self.finished = False
        self.observe = observe  # the request log's copy of the answer (router/ops)

    def event(self, chunk: Any) -> bytes | None:
        self.observe(chunk)
        kind = chunk.get("type")
        if kind == "message_start":
            self.usage.update((chunk.get("message") or {}).get("usage") or {})
        elif kind == "message_delta":
            self.usage.update(chunk.get("usage") or {})
        elif kind == "message_stop":
            self.finished = True
        return _event(chunk)

    def done(self) -> bytes:
        return b""

    def error(self, err: GatewayError) -> bytes:
        return _event({"type": "error", "error": {"type": "api_error", "message": err.message}})


async def count_tokens(gw: Gateway, request: Request) -> Response:
    """The prompt's input tokens: counted by the Anthropic API (its own
    /v1/messages/count_tokens) when the request would route to an `anthropic/` deployment
    that is not cooling down, else Tianji's estimate (about four characters per token,
    images counted flat). `x-tianji-token-count` says which: `exact` or `estimate`."""
    config = gw.config
    body = (await arrive(gw, request, _parser(gw, count_only=True))).body
    route = route_for(config, body["model"], request.headers)
    await gw.upstream.preload.wait()  # litellm, for router/upstream_messages.py
    upstream = _upstream_request(body, request.headers)
    view = chat_view(body)
    try:
        candidates = gw.decide_route(view, route).candidates
    except GatewayError:  # e.g. too long for every window: still worth counting
        candidates = ()
    counter = next((c.deployment for c in candidates if c.deployment.provider == "anthropic"
                    and gw.health.cooling_for(c.deployment.name) == 0), None)
    if counter is not None:
        timeout = min(_COUNT_TIMEOUT_S, config.resilience.request_timeout_s)
        from router.upstream_messages import count_tokens as count_tokens_upstream

        try:
            tokens = await count_tokens_upstream(
                gw.messages_http, {**counter.litellm_params, "model": counter.model}, upstream,
                timeout)
        except Exception as exc:  # noqa: BLE001 - any failure: answer with the estimate
            log.warning(json.dumps({
                "event": "count_tokens_estimated", "request_id": request.state.request_id,
                "deployment": counter.name, "error": gw.upstream.redact(
                    f"{type(exc).__name__}: {exc}")[:300]}))
        else:
            return Response(json_bytes({"input_tokens": tokens}), 200, media_type=JSON,
                            headers={"x-tianji-token-count": "exact",
                                     "x-tianji-provider": counter.name})
    return Response(json_bytes({"input_tokens": needs_of(view).prompt_tokens}), 200,
                    media_type=JSON, headers={"x-tianji-token-count": "estimate"})


def models_list(config: Config) -> JSON:
    """GET /v1/models in Anthropic's shape: auto, the tiers and aliases."""
    names = config.model_names()
    data = [{"type": "model", "id": name, "display_name": f"Tianji {name}",
             "created_at": "2025-01-01T00:00:00Z"} for name in names]
    return {"data": data, "has_more": False, "first_id": names[0], "last_id": names[-1]}
