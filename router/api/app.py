"""The app: FastAPI factory, the guard (request id, header limits, API key), the admin
routes (health, readiness, models, deployments, metrics) and the published schema.

    app = create_app(load_config("config/default.yaml"))

Front doors: router/api/chat.py (OpenAI chat completions and /v1/route),
router/api/messages.py (Anthropic Messages), router/api/responses.py (OpenAI Responses),
router/api/embeddings.py (OpenAI embeddings); router/api/models.py answers /v1/models and
unknown paths. The POSTs of the chat, Messages and Responses doors are dispatched by
router/api/lean.py inside the guard, ahead of FastAPI's router; their FastAPI routes stay
declared for the published schema. Every error is the front door's error JSON; every answer
carries x-tianji-* headers.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from router.api import chat, messages, models
from router.api.core import JSON, error_response, json_bytes, refused
from router.api.gateway import Gateway
from router.api.lean import LeanRoutes
from router.classify import Classifier
from router.config import Config
from router.embeddings import EMBEDDINGS_TIER
from router.embeddings import REQUEST_SCHEMA as EMBEDDING_REQUEST
from router.errors import GatewayError
from router.guards import cors_options, metered, needs_key
from router.ops.routes import ops_router
from router.redact import Redactor, secret_values
from router.schema import ChatCompletionRequest

log = logging.getLogger("tianji.request")


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
    "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>' or "
    "'x-api-key: <key>'.",
    "authentication_error",
    "invalid_api_key",
)


def _error_writer(path: str, headers: Headers) -> Callable[..., Response]:
    """The error shape of the front door a request came to."""
    return messages.error_response if messages.wants_anthropic(path, headers) else error_response


def _answer_error(
    request: Request, err: GatewayError, writer: Callable[..., Response] | None = None
) -> Response:
    """The error in the request's front door's shape, or `writer`'s (the guard adds
    x-request-id), after its log line, metric and row when the request was refused before
    routing."""
    refused(request.app.state.gateway, request, err)
    return (writer or _error_writer(request.url.path, request.headers))(err)


class _Guard:
    """Pure ASGI middleware: a request id on every answer, and the API-key check on /v1/."""

    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app = app
        self.gateway = gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["started"] = time.monotonic()
        headers = Headers(scope=scope)
        answer_error = _error_writer(scope["path"], headers)
        raw_headers = scope["headers"]
        if len(raw_headers) > MAX_HEADER_COUNT or sum(
            len(k) + len(v) for k, v in raw_headers
        ) > MAX_HEADER_BYTES:
            state["request_id"] = uuid.uuid4().hex  # for the log only, as before
            refused(self.gateway, Request(scope), _HEADERS_TOO_LARGE)
            await answer_error(_HEADERS_TOO_LARGE)(scope, receive, send)
            return
        supplied = headers.get("x-request-id", "")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        state["request_id"] = request_id
        public = self.gateway.config.server.public_metrics
        self.gateway.state.start()
        if needs_key(scope["path"], public):
            caller = self.gateway.identify(headers)
            refusal = _UNAUTHORIZED if caller is None else None
            state["caller"] = caller
            if caller is not None and caller.entry and caller.entry.limited and metered(scope):
                try:  # a key's rate limits and budget (router/state/limits.py)
                    state["admission"] = await self.gateway.limits.admit(caller.entry)
                except GatewayError as err:
                    refusal = err
            if refusal is not None:
                refused(self.gateway, Request(scope), refusal)
                await answer_error(refusal, request_id)(scope, receive, send)
                return
        added = [(b"x-request-id", request_id.encode())]
        if (admission := state.get("admission")) is not None and admission.label:
            added.append((b"x-tianji-budget", admission.label.encode()))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                have = {name for name, _ in headers}  # a refusal's own x-tianji-budget stays
                message["headers"] = [*headers, *(h for h in added if h[0] not in have)]
            await send(message)

        await self.app(scope, receive, send_with_id)


def create_app(config: Config, classifier: Classifier | None = None) -> FastAPI:
    gw = Gateway(config, classifier)
    app = FastAPI(
        title="Tianji",
        version="0.1.0",
        description="OpenAI-compatible gateway that routes each request to the cheapest "
        "capable tier.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = gw
    app.include_router(ops_router(gw))  # request log: feedback, stats, dashboard

    @app.exception_handler(GatewayError)
    async def _gateway_error(request: Request, err: GatewayError) -> Response:
        return _answer_error(request, err)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException) -> Response:
        if err.status_code == 404:
            unknown = models.unknown_path(app, request.method, request.url.path)
            if "anthropic-version" in request.headers:  # an Anthropic client: its shape
                return _answer_error(request, unknown, messages.error_response)
            return _answer_error(request, unknown)
        message = {405: "Method not allowed."}.get(err.status_code)
        return _answer_error(request, GatewayError(err.status_code, message or str(err.detail)))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, err: RequestValidationError) -> Response:
        return _answer_error(request, GatewayError(400, "Invalid request.", code="invalid_request"))

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, err: Exception) -> Response:
        request_id = getattr(request.state, "request_id", None)
        log.error(
            json.dumps(
                {"event": "internal_error", "request_id": request_id, "error": type(err).__name__}
            )
        )
        return _answer_error(
            request,
            GatewayError(500, "Internal error in Tianji.", "server_error", "internal_error"),
        )

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Response:
        if gw.upstream.preload.pending:  # litellm still loading (router/startup.py)
            return Response(json_bytes({"status": "starting"}), 503, media_type=JSON)
        names = [d.name for t in config.tiers for d in t.deployments]
        state = gw.health.snapshot(names)
        live = {
            t.name: [
                d.name
                for d in t.deployments
                if not d.missing_env and state[d.name]["state"] == "ok"
            ]
            for t in config.tiers
        }
        ready = any(live.values())
        shared = gw.state.report()  # Redis lost: still serving, on this process's state
        status = ("degraded" if shared.get("degraded") else "ready") if ready else "not_ready"
        body = {"status": status, "available": live, "state": shared}
        return Response(json_bytes(body), 200 if ready else 503, media_type=JSON)

    @app.get("/v1/models")
    async def models_list(request: Request) -> dict[str, Any]:
        return models.models_list(config, request.headers)

    @app.get("/v1/models/{model_id:path}")
    async def model_retrieve(request: Request, model_id: str) -> dict[str, Any]:
        return models.model_retrieve(config, request.headers, model_id)

    @app.get("/v1/deployments")
    async def deployments() -> dict[str, Any]:
        listed = [(t.name, d) for t in config.tiers for d in t.deployments]
        listed += [(EMBEDDINGS_TIER, d) for d in config.embeddings]
        state = gw.health.snapshot([d.name for _, d in listed])
        return {
            "data": [
                {
                    "name": d.name,
                    "tier": tier,
                    "model": d.model,
                    "missing_env": list(d.missing_env),
                    **state[d.name],
                }
                for tier, d in listed
            ]
        }

    @app.get("/metrics")
    async def metrics() -> Response:
        body, content_type = gw.metrics.render()
        return Response(body, media_type=content_type)

    @app.post("/v1/route")
    async def route(request: Request) -> dict[str, Any]:
        return await chat.route(gw, request)

    @app.post("/v1/chat/completions", response_model=None)
    async def chat_completions(request: Request) -> Response:
        return await chat.chat_completions(gw, request)

    @app.post("/v1/responses", response_model=None)
    async def openai_responses(request: Request) -> Response:
        await gw.upstream.preload.wait()  # its translation is litellm's (router/startup.py)
        from router.api import responses

        return await responses.responses(gw, request)

    @app.post("/v1/embeddings", response_model=None)
    async def openai_embeddings(request: Request) -> Response:
        await gw.upstream.preload.wait()  # its calls are litellm's (router/startup.py)
        from router.api import embeddings

        return await embeddings.embeddings(gw, request)

    @app.post("/v1/messages", response_model=None)
    async def anthropic_messages(request: Request) -> Response:
        return await messages.messages(gw, request)

    @app.post("/v1/messages/count_tokens", response_model=None)
    async def anthropic_count_tokens(request: Request) -> Response:
        return await messages.count_tokens(gw, request)

    # Innermost first: the hot routes ahead of FastAPI's (router/api/lean.py), inside the
    # guard; CORS outermost, since a preflight carries no API key.
    hot = {"/v1/chat/completions": chat_completions, "/v1/responses": openai_responses,
           "/v1/messages": anthropic_messages}
    app.add_middleware(LeanRoutes, routes=hot, answer_error=_answer_error)
    app.add_middleware(_Guard, gateway=gw)
    if config.server.cors_origins:
        app.add_middleware(CORSMiddleware, **cors_options(config.server.cors_origins))
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
    "403": "The key may not use the tier asked for",
    "429": "The key's rate limit or budget (Retry-After; code budget_exceeded with the reset "
           "time), or every deployment is rate-limited (Retry-After when the providers gave one)",
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
    bodies = {"/v1/chat/completions": request, "/v1/route": request,
              "/v1/embeddings": EMBEDDING_REQUEST}
    for path, schema in bodies.items():
        op = doc["paths"][path]["post"]
        op["requestBody"] = {"required": True, "content": {JSON: {"schema": schema}}}
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


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory` and multi-worker serving: config from $TIANJI_CONFIG."""
    import os

    from router.config import load_config
    from router.logs import configure_logging
    from router.startup import settle_heap

    config = load_config(os.environ["TIANJI_CONFIG"])
    configure_logging(Redactor(secret_values(config)))
    app = create_app(config)
    settle_heap()
    upstream = app.state.gateway.upstream
    if upstream.needs_litellm:  # (else loaded on first need: router/direct.py)
        upstream.preload.start()  # litellm, while the server starts listening
    return app
