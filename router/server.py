"""The HTTP face: FastAPI app factory and routes. The only module that knows HTTP.

    app = create_app(load_config("config/default.yaml"))

Routes: POST /v1/chat/completions, GET /v1/models, POST /v1/route,
GET /v1/deployments, GET /healthz, GET /readyz, GET /metrics.
Every error is OpenAI's error JSON; every answer carries x-tianji-* headers.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from router.classify import Classifier, load_classifier
from router.config import Config
from router.costs import ModelInfo, build_catalog, reference_deployment
from router.errors import GatewayError, classify
from router.guards import body_deadline, cors_options, needs_key, require_json
from router.health import Health
from router.telemetry import Metrics
from router.policy import Decision, PolicyError, Route, decide, needs_of
from router.redact import Redactor, secret_values
from router.schema import (
    PASSTHROUGH_PARAMS,
    ChatCompletionRequest,
    non_finite_path,
    validation_message,
)
from router.upstream import Served, Upstream, openai_dict

log = logging.getLogger("tianji.request")
JSON = "application/json"


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def error_response(err: GatewayError, request_id: str | None = None) -> Response:
    headers = dict(err.headers)
    if request_id:
        headers["x-request-id"] = request_id
    return Response(_json_bytes(err.to_body()), err.status, headers, media_type=JSON)


class Gateway:
    """Everything a request needs, built once at start-up."""

    def __init__(self, config: Config, classifier: Classifier | None = None) -> None:
        self.config = config
        self.catalog: dict[str, ModelInfo] = build_catalog(config)
        self.classifier = classifier or load_classifier(
            config.classifier.kind, config.classifier.weights
        )
        self.health = Health(
            config.resilience.cooldown_s, config.resilience.failures_before_cooldown
        )
        self.redact = Redactor(secret_values(config))
        self.upstream = Upstream(config, self.health, self.redact)
        self.reference = self.catalog[reference_deployment(config)]
        self.metrics = Metrics()
        self._api_keys = [k.encode() for k in config.server.api_keys]

    def authorized(self, headers: Headers) -> bool:
        if not self._api_keys:
            return True
        supplied = headers.get("authorization", "")
        token = supplied[7:] if supplied[:7].lower() == "bearer " else ""
        token = token or headers.get("x-api-key", "")
        given = token.encode()
        # Compare with every key, always, so timing says nothing about which matched.
        ok = False
        for key in self._api_keys:
            ok |= hmac.compare_digest(given, key)
        return ok

    def decide(self, body: dict[str, Any], request: Request) -> Decision:
        route = Route(
            model=body.get("model", "auto"),
            min_tier=request.headers.get("x-tianji-min-tier"),
            max_tier=request.headers.get("x-tianji-max-tier"),
        )
        if route.model != "auto" and self.config.tier_index(route.model) is None:
            raise GatewayError(
                404,
                f"The model {route.model!r} does not exist. Available models: "
                f"{', '.join(self.config.model_names())}.",
                code="model_not_found",
                param="model",
            )
        assessment = self.classifier.score(body)
        try:
            return decide(self.config, self.catalog, needs_of(body), assessment, route)
        except PolicyError as err:
            raise GatewayError(400, str(err), code=err.code, param=err.param) from None


async def _read_body(request: Request, limit: int) -> bytes:
    require_json(request.headers)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise GatewayError(413, f"Request body is larger than {limit} bytes.", code="too_large")
    chunks = []
    size = 0
    timeout_s = request.app.state.gateway.config.server.body_timeout_s
    async with body_deadline(timeout_s):
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise GatewayError(
                    413, f"Request body is larger than {limit} bytes.", code="too_large"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _parse_chat_body(raw: bytes, max_messages: int) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise GatewayError(
            400, "The request body is not valid JSON (UTF-8).", code="invalid_json"
        ) from None
    if not isinstance(data, dict):
        raise GatewayError(400, "The request body must be a JSON object.", code="invalid_json")
    if (where := non_finite_path(data)) is not None:
        raise GatewayError(400, f"Invalid value for '{where}': NaN and Infinity are not JSON "
                           "numbers.", code="invalid_request", param=where)
    try:
        ChatCompletionRequest.model_validate(data)
    except ValidationError as err:
        message, param = validation_message(err)
        raise GatewayError(400, message, code="invalid_request", param=param) from None
    except RecursionError:
        raise GatewayError(400, "The request body is nested too deeply.", code="invalid_json")
    if len(data["messages"]) > max_messages:
        raise GatewayError(
            400, f"Too many messages: at most {max_messages}.", param="messages", code="too_many"
        )
    return data


def _headers(decision: Decision, served: Served, cost: float | None) -> dict[str, str]:
    dep = served.candidate.deployment
    headers = {
        "x-tianji-tier": served.candidate.tier,
        "x-tianji-model": dep.model,
        "x-tianji-provider": dep.name,
        "x-tianji-difficulty": f"{decision.assessment.difficulty:.4f}",
        "x-tianji-attempts": str(served.calls),
    }
    if cost is not None:
        headers["x-tianji-cost-usd"] = f"{cost:.8f}"
    return headers


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# uvicorn sets no limit on request headers; these are generous for any SDK.
MAX_HEADER_COUNT = 100
MAX_HEADER_BYTES = 32 * 1024
_HEADERS_TOO_LARGE = GatewayError(
    431,
    f"Request headers are too large: at most {MAX_HEADER_COUNT} headers and "
    f"{MAX_HEADER_BYTES // 1024} KB in all.",
    code="headers_too_large",
)
_UNAUTHORIZED = GatewayError(
    401,
    "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.",
    "authentication_error",
    "invalid_api_key",
)


class _Guard:
    """Pure ASGI middleware: a request id on every answer, and the API-key check on /v1/
    (and on /metrics and /readyz unless `server.public_metrics`)."""

    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app = app
        self.gateway = gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_headers = scope["headers"]
        if len(raw_headers) > MAX_HEADER_COUNT or sum(
            len(k) + len(v) for k, v in raw_headers
        ) > MAX_HEADER_BYTES:
            await error_response(_HEADERS_TOO_LARGE)(scope, receive, send)
            return
        headers = Headers(scope=scope)
        supplied = headers.get("x-request-id", "")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        public = self.gateway.config.server.public_metrics
        if needs_key(scope["path"], public) and not self.gateway.authorized(headers):
            await error_response(_UNAUTHORIZED, request_id)(scope, receive, send)
            return
        id_header = (b"x-request-id", request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), id_header]
            await send(message)

        await self.app(scope, receive, send_with_id)


def create_app(config: Config, classifier: Classifier | None = None) -> FastAPI:
    gw = Gateway(config, classifier)
    app = FastAPI(
        title="Tianji",
        version="0.1.0",
        description="OpenAI-compatible gateway that routes each request to the cheapest capable tier.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = gw
    app.add_middleware(_Guard, gateway=gw)
    if config.server.cors_origins:  # outermost: a preflight carries no API key
        app.add_middleware(CORSMiddleware, **cors_options(config.server.cors_origins))

    @app.exception_handler(GatewayError)
    async def _gateway_error(request: Request, err: GatewayError) -> Response:
        return error_response(err)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException) -> Response:
        message = {404: "Unknown path.", 405: "Method not allowed."}.get(err.status_code)
        return error_response(GatewayError(err.status_code, message or str(err.detail)))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, err: RequestValidationError) -> Response:
        return error_response(GatewayError(400, "Invalid request.", code="invalid_request"))

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, err: Exception) -> Response:
        request_id = getattr(request.state, "request_id", None)
        log.error(
            json.dumps(
                {"event": "internal_error", "request_id": request_id, "error": type(err).__name__}
            )
        )
        return error_response(
            GatewayError(500, "Internal error in Tianji.", "server_error", "internal_error")
        )

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Response:
        names = [d.name for t in config.tiers for d in t.deployments]
        state = gw.health.snapshot(names)
        live = {
            t.name: [
                d.name for d in t.deployments if not d.missing_env and state[d.name]["state"] == "ok"
            ]
            for t in config.tiers
        }
        ready = any(live.values())
        body = {"status": "ready" if ready else "not_ready", "available": live}
        return Response(_json_bytes(body), 200 if ready else 503, media_type=JSON)

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        created = 0
        return {
            "object": "list",
            "data": [
                {"id": name, "object": "model", "created": created, "owned_by": "tianji"}
                for name in config.model_names()
            ],
        }

    @app.get("/v1/deployments")
    async def deployments() -> dict[str, Any]:
        names = [d.name for t in config.tiers for d in t.deployments]
        state = gw.health.snapshot(names)
        return {
            "data": [
                {
                    "name": d.name,
                    "tier": t.name,
                    "model": d.model,
                    "missing_env": list(d.missing_env),
                    **state[d.name],
                }
                for t in config.tiers
                for d in t.deployments
            ]
        }

    @app.get("/metrics")
    async def metrics() -> Response:
        body, content_type = gw.metrics.render()
        return Response(body, media_type=content_type)

    @app.post("/v1/route")
    async def route(request: Request) -> dict[str, Any]:
        body = _parse_chat_body(
            await _read_body(request, config.server.max_body_bytes), config.server.max_messages
        )
        return gw.decide(body, request).explain()

    @app.post("/v1/chat/completions", response_model=None)
    async def chat_completions(request: Request) -> Response:
        started = time.monotonic()
        request_id: str = request.state.request_id
        body = _parse_chat_body(
            await _read_body(request, config.server.max_body_bytes), config.server.max_messages
        )
        read = time.monotonic()  # the deadline starts once the body is in
        decision = gw.decide(body, request)
        params = {k: v for k, v in body.items() if k in PASSTHROUGH_PARAMS}
        params["messages"] = body["messages"]
        stream = bool(body.get("stream"))
        call = Call(request_id, decision, started, stream,
                    body["messages"] if config.server.log_prompts else None)
        deadline = read + config.resilience.request_timeout_s
        try:
            served = await gw.upstream.complete(
                decision, params, stream=stream, deadline=deadline, request_id=request_id
            )
        except GatewayError as err:
            _log_request(call, None, err.status, None)
            gw.metrics.observe_error(decision.tier, err.status)
            raise
        if not stream:
            assert served.response is not None
            cost = _record(gw, call, served, served.usage, 200)
            headers = _headers(decision, served, cost)
            return Response(_json_bytes(served.response), 200, headers, media_type=JSON)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        prompt_cost = gw.catalog[served.candidate.deployment.name].cost(
            needs_of(body).prompt_tokens, 0
        )
        return StreamingResponse(
            _sse(gw, call, served, include_usage),
            headers={**_headers(decision, served, prompt_cost), "cache-control": "no-cache"},
            media_type="text/event-stream",
        )

    app.openapi = lambda: _openapi(app, config)  # type: ignore[method-assign]
    return app


_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}
_ERROR_STATUSES = {
    "400": "Malformed JSON, a schema error or a request no deployment can take",
    "401": "Missing or wrong API key",
    "404": "Unknown model",
    "413": "Body too large",
    "415": "The body is not declared as application/json",
    "429": "Every deployment is rate-limited (Retry-After when the providers gave one)",
    "431": "Request headers too large",
    "503": "No deployment could answer; the message lists what was tried",
    "504": "The request deadline passed",
}


def _openapi(app: FastAPI, config: Config) -> dict[str, Any]:
    """The published schema: FastAPI's, plus the request body (hand-validated in the route,
    so FastAPI does not see it), the error shape, the SSE stream and bearer auth."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    doc = get_openapi(title=app.title, version=app.version, description=app.description,
                      routes=app.routes)
    request = ChatCompletionRequest.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(request.pop("$defs", {}))
    request["properties"]["model"]["enum"] = config.model_names()
    schemas["Error"] = _ERROR_SCHEMA
    doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    body = {"required": True, "content": {JSON: {"schema": request}}}
    errors = {
        status: {"description": text,
                 "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for status, text in _ERROR_STATUSES.items()
    }
    for path, operation in doc["paths"].items():
        for op in operation.values():
            if needs_key(path, config.server.public_metrics):
                op["security"] = [{"bearer": []}] if config.server.api_keys else []
                op["responses"].update({k: v for k, v in errors.items() if k in ("401", "431")})
    for path in ("/v1/chat/completions", "/v1/route"):
        op = doc["paths"][path]["post"]
        op["requestBody"] = body
        op["responses"].update(errors)
        op["responses"].pop("422", None)
    doc["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]["content"] = {
        JSON: {"schema": {"type": "object", "description": "An OpenAI chat.completion"}},
        "text/event-stream": {"schema": {
            "type": "string",
            "description": "OpenAI chat.completion.chunk events, then `data: [DONE]`. A failure "
            "after the first chunk ends the stream with a `data: {\"error\": ...}` event and "
            "no [DONE].",
        }},
    }
    app.openapi_schema = doc
    return doc


@dataclass(frozen=True)
class Call:
    """One chat request, for its metrics and its log line."""

    request_id: str
    decision: Decision
    started: float
    stream: bool
    messages: list[Any] | None  # only with server.log_prompts: true


def _record(
    gw: Gateway, call: Call, served: Served, usage: dict[str, Any], status: int
) -> float:
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    cost = gw.catalog[served.candidate.deployment.name].cost(prompt, completion)
    baseline = gw.reference.cost(prompt, completion)
    gw.metrics.observe(served, cost, baseline, time.monotonic() - call.started)
    _log_request(call, served, status, cost, baseline)
    return cost


def _log_request(
    call: Call,
    served: Served | None,
    status: int,
    cost: float | None,
    baseline: float | None = None,
) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    decision = call.decision
    record = {
        "event": "request",
        "request_id": call.request_id,
        "status": status,
        "tier": served.candidate.tier if served else decision.tier,
        "deployment": served.candidate.deployment.name if served else None,
        "attempts": served.calls if served else None,
        "difficulty": decision.assessment.difficulty,
        "task": decision.assessment.task,
        "stream": call.stream,
        "latency_ms": round((time.monotonic() - call.started) * 1000, 1),
        "cost_usd": None if cost is None else round(cost, 8),
        "saved_usd": None if cost is None or baseline is None else round(baseline - cost, 8),
    }
    if call.messages is not None:
        record["messages"] = call.messages  # the log handler's redaction still applies
    log.info(json.dumps(record, ensure_ascii=False))


def _sse_event(data: dict[str, Any]) -> bytes:
    return b"data: " + _json_bytes(data) + b"\n\n"


async def _sse(
    gw: Gateway, call: Call, served: Served, include_usage: bool
) -> AsyncIterator[bytes]:
    """Relay the upstream stream. After the first byte there is no fallback: a failure
    ends the stream with an OpenAI-style error event and no [DONE]. A stream that ends
    without the provider's own finish reason is such a failure, and so is a gap between
    chunks longer than `idle_timeout_s` (`served.chunks` enforces it)."""
    assert served.first_chunk is not None and served.chunks is not None
    usage: dict[str, Any] = {}
    finished = False
    status = 200

    def relay(chunk: dict[str, Any]) -> bytes | None:
        nonlocal finished
        if chunk.get("usage"):
            usage.update(chunk["usage"])
            if not chunk.get("choices"):
                return _sse_event(chunk) if include_usage else None
            if not include_usage:
                chunk = {k: v for k, v in chunk.items() if k != "usage"}
        if any(c.get("finish_reason") for c in chunk.get("choices") or ()):
            finished = True
        return _sse_event(chunk)

    try:
        first = relay(served.first_chunk)
        if first:
            yield first
        async for chunk in served.chunks:
            data = relay(openai_dict(chunk))
            if data:
                yield data
        if not finished or (served.provider_finished and not served.provider_finished()):
            raise ConnectionError("the provider's stream ended before the answer was complete")
        yield b"data: [DONE]\n\n"
    except asyncio.CancelledError:
        status = 499  # the client went away; closing the upstream below cancels its request
        raise
    except (Exception, TimeoutError) as exc:
        failure = classify(exc)
        status = 502
        message = (
            "The upstream stream failed after the answer had started, so it could not be "
            f"retried elsewhere: {failure.error_class}: {gw.redact(failure.message)}"
        )
        error = GatewayError(502, message, "upstream_error", "stream_interrupted")
        yield _sse_event(error.to_body())
    finally:
        if served.close is not None:
            await _shielded_close(served)
        _record(gw, call, served, usage, status)


async def _shielded_close(served: Served) -> None:
    assert served.close is not None
    try:
        await asyncio.shield(served.close())
    except BaseException:  # noqa: BLE001 - the stream is gone either way
        pass


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory` and multi-worker serving: config from $TIANJI_CONFIG."""
    import os

    from router.config import load_config
    from router.logs import configure_logging

    config = load_config(os.environ["TIANJI_CONFIG"])
    configure_logging(Redactor(secret_values(config)))
    return create_app(config)
