"""The log's HTTP face: feedback, the JSON the dashboard reads, and the dashboard itself.

    POST /v1/feedback {request_id, score, comment?}   an app's verdict on one answer
    GET  /v1/stats?since=7d&by=tier                   `router stats --json` over HTTP
    GET  /v1/requests?limit=50                        recent requests with their routing
    GET  /dashboard                                   the page (static; reads the above)

Everything under /v1/ is behind the gateway's API key (server._Guard). The page
itself carries no data: its script sends the key, which the operator types into the
page's form or puts in the URL fragment (`/dashboard#key=...`, never sent to a server).
Prompts and answers are never served here, even when they are logged.
"""

from __future__ import annotations

import asyncio
import json
import math
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from router.errors import GatewayError
from router.ops.query import Reader
from router.ops.record import bearer, key_id
from router.ops.stats import GROUPS, parse_since, report

if TYPE_CHECKING:
    from router.api.gateway import Gateway

MAX_FEEDBACK_BYTES = 16 * 1024
MAX_COMMENT_CHARS = 2000
MAX_RECENT = 500
_STATIC = files("router.ops") / "static"
_ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
_NO_LOG = GatewayError(
    503, "The request log is disabled (log.enabled: false).", "server_error", "log_disabled"
)


def _unavailable(exc: Exception) -> GatewayError:
    return GatewayError(
        503, f"The request log cannot be read right now ({type(exc).__name__}).",
        "server_error", "log_unavailable",
    )


def _feedback_body(raw: bytes) -> tuple[str, float, str | None]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise GatewayError(
            400, "The request body is not valid JSON.", code="invalid_json"
        ) from None
    if not isinstance(data, dict):
        raise GatewayError(400, "The request body must be a JSON object.", code="invalid_json")
    unknown = sorted(set(data) - {"request_id", "score", "comment"})
    if unknown:
        raise GatewayError(400, f"Unknown field {unknown[0]!r}; fields are request_id, score, "
                           "comment.", code="invalid_request", param=unknown[0])
    request_id, score, comment = data.get("request_id"), data.get("score"), data.get("comment")
    if not isinstance(request_id, str) or not 0 < len(request_id) <= 64:
        raise GatewayError(400, "request_id must be the x-request-id of an answered request.",
                           code="invalid_request", param="request_id")
    if (isinstance(score, bool) or not isinstance(score, int | float)
            or not math.isfinite(score) or not 0 <= score <= 1):
        raise GatewayError(400, "score must be a number from 0 (bad) to 1 (good).",
                           code="invalid_request", param="score")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT_CHARS):
        raise GatewayError(400, f"comment must be a string of at most {MAX_COMMENT_CHARS} "
                           "characters.", code="invalid_request", param="comment")
    return request_id, float(score), comment


def ops_router(gw: Gateway) -> APIRouter:
    request_log = gw.request_log
    reader = Reader(request_log.db) if request_log.db is not None else None
    router = APIRouter(on_shutdown=[request_log.close])

    def need_reader() -> Reader:
        if reader is None:
            raise _NO_LOG
        return reader

    @router.post("/v1/feedback", status_code=200)
    async def feedback(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if len(raw) > MAX_FEEDBACK_BYTES:
            raise GatewayError(413, f"Feedback is larger than {MAX_FEEDBACK_BYTES} bytes.",
                               code="too_large")
        request_id, score, comment = _feedback_body(raw)
        log = need_reader()
        try:
            known = request_log.known(request_id) or await asyncio.to_thread(
                log.has_request, request_id)
        except Exception as exc:  # noqa: BLE001 - reported to the client as a 503
            raise _unavailable(exc) from None
        if not known:
            raise GatewayError(404, f"No logged request has id {request_id!r}.",
                               code="request_not_found", param="request_id")
        token = bearer(request.headers) if request_log.authenticated else ""
        if comment is not None:
            comment = request_log.redact(comment)
        try:
            await asyncio.to_thread(
                log.add_feedback, request_id, score, comment, key_id(token) if token else None)
        except Exception as exc:  # noqa: BLE001 - reported to the client as a 503
            raise _unavailable(exc) from None
        return {"object": "feedback", "request_id": request_id, "score": score}

    @router.get("/v1/stats")
    async def stats(since: str | None = None, by: str | None = None) -> dict[str, Any]:
        log = need_reader()
        try:
            start = parse_since(since) if since else None
        except ValueError as err:
            raise GatewayError(400, str(err).replace("--since", "since"),
                               code="invalid_request", param="since") from None
        if by is not None and by not in GROUPS:
            raise GatewayError(400, f"by must be one of {', '.join(GROUPS)}.",
                               code="invalid_request", param="by")
        try:
            rows, votes = await asyncio.to_thread(lambda: (log.rows(start), log.feedback(start)))
        except Exception as exc:  # noqa: BLE001 - reported to the client as a 503
            raise _unavailable(exc) from None
        return {**report(rows, votes, by), "log": request_log.db.display()
                if request_log.db else None}

    @router.get("/v1/requests")
    async def recent(limit: int = 50) -> dict[str, Any]:
        log = need_reader()
        if not 1 <= limit <= MAX_RECENT:
            raise GatewayError(400, f"limit must be from 1 to {MAX_RECENT}.",
                               code="invalid_request", param="limit")
        try:
            data = await asyncio.to_thread(log.recent, limit)
        except Exception as exc:  # noqa: BLE001 - reported to the client as a 503
            raise _unavailable(exc) from None
        return {"object": "list", "data": data}

    @router.get("/dashboard", include_in_schema=False)
    async def dashboard() -> Response:
        return Response((_STATIC / "dashboard.html").read_bytes(), media_type="text/html",
                        headers=_PAGE_HEADERS)

    @router.get("/dashboard/{asset}", include_in_schema=False)
    async def dashboard_asset(asset: str) -> Response:
        if asset not in _ASSETS:
            raise GatewayError(404, "Unknown path.")
        return Response((_STATIC / asset).read_bytes(), media_type=_ASSETS[asset],
                        headers=_PAGE_HEADERS)

    return router


# The page loads only its own script and style, and talks only to this gateway.
_PAGE_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}
