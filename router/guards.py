"""Guards: which paths need the API key; the body's time limit; for browsers, JSON
bodies only and CORS only when configured.

`/metrics` and `/readyz` name every deployment, its state and the spend, so they
need the API key like `/v1/` unless `server.public_metrics` says otherwise;
`/healthz` (liveness, says nothing) is always open.

A browser sends a cross-site POST without asking first (no CORS preflight) only when
its content type is `text/plain`, a form or multipart. Refusing every POST that is
not `application/json` (415) therefore means a web page the operator visits cannot
make the gateway spend provider money: a JSON POST needs a preflight, and the gateway
answers no preflight unless `server.cors_origins` lists the page's origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

from starlette.datastructures import Headers

from router.errors import GatewayError
from router.schema import non_finite_path

OPS_PATHS = frozenset({"/metrics", "/readyz"})
# Requests that call providers: what a key's rate limits and budget count.
METERED_PATHS = frozenset({"/v1/chat/completions", "/v1/messages", "/v1/responses",
                           "/v1/embeddings"})


def needs_key(path: str, public_metrics: bool) -> bool:
    """Whether a request to `path` must carry a valid API key (when keys are configured)."""
    return path.startswith("/v1/") or (path in OPS_PATHS and not public_metrics)


def metered(scope: Mapping[str, Any]) -> bool:
    """Whether this request counts against its key's rate limits and budget."""
    return scope.get("method") == "POST" and scope.get("path") in METERED_PATHS


CORS_HEADERS = ("authorization", "content-type", "x-api-key", "x-request-id",
                "x-tianji-min-tier", "x-tianji-max-tier")
EXPOSED_HEADERS = ("x-request-id", "x-tianji-tier", "x-tianji-model", "x-tianji-provider",
                   "x-tianji-difficulty", "x-tianji-attempts", "x-tianji-cost-usd",
                   "x-tianji-affinity", "x-tianji-budget", "x-tianji-budget-reset",
                   "retry-after")



def is_json(content_type: str) -> bool:
    """`application/json`, with or without parameters such as `; charset=utf-8`."""
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def require_json(headers: Headers) -> None:
    """Raise the 415 unless the request declares a JSON body (called by the body reader,
    so an unknown path or method still gets its 404 or 405)."""
    if not is_json(headers.get("content-type", "")):
        raise GatewayError(
            415, "The request body must be JSON, sent with 'Content-Type: application/json'.",
            code="unsupported_media_type",
        )


@contextlib.asynccontextmanager
async def body_deadline(timeout_s: float) -> AsyncIterator[None]:
    """The body must arrive within `timeout_s`: a 408 otherwise (a slow client holds a
    connection, never the request deadline, which starts after the body is read)."""
    try:
        async with asyncio.timeout(timeout_s):
            yield
    except TimeoutError:
        raise GatewayError(
            408, f"The request body did not arrive within {timeout_s:g}s.",
            code="request_timeout",
        ) from None



def json_body(raw: bytes, *, require_object: bool = True) -> Any:
    """A request body read as JSON, the OpenAI-shaped front doors' first check: 400
    `invalid_json` when it is not JSON (or, with `require_object`, not an object), 400
    naming the field for NaN or Infinity, which JSON has no numbers for."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise GatewayError(
            400, "The request body is not valid JSON (UTF-8).", code="invalid_json"
        ) from None
    if require_object and not isinstance(data, dict):
        raise GatewayError(400, "The request body must be a JSON object.", code="invalid_json")
    if isinstance(data, dict) and (where := non_finite_path(data)) is not None:
        raise GatewayError(400, f"Invalid value for '{where}': NaN and Infinity are not JSON "
                           "numbers.", code="invalid_request", param=where)
    return data


def cors_options(origins: list[str]) -> dict[str, Any]:
    """Options of Starlette's `CORSMiddleware` for exactly these origins."""
    return {"allow_origins": origins, "allow_methods": ["GET", "POST"],
            "allow_headers": list(CORS_HEADERS), "expose_headers": list(EXPOSED_HEADERS),
            "max_age": 600}
