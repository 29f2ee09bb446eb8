"""Errors: what the client sees (OpenAI's shape) and what an upstream failure means.

`GatewayError` is every error Tianji answers with; `to_body()` is OpenAI's
`{"error": {"message", "type", "param", "code"}}`. `classify(exc)` is the one
place that decides what an upstream exception means for fallback:

| kind            | examples                               | what upstream.py does            |
|-----------------|----------------------------------------|----------------------------------|
| transient       | 429, 408, 5xx, connect error, timeout  | retry with backoff, then next    |
| stall           | no first token / a long gap (`Stalled`)| next deployment, no retry        |
| auth            | 401, 403                               | cool down at once, next          |
| deployment      | 404 model not found at the provider    | cool down at once, next          |
| context_length  | prompt too long for this window        | next deployment with larger one  |
| content_filter  | provider refused the content           | return 400 to the client         |
| client          | 400/422 caused by the request itself   | return 400 to the client         |
| untranslatable  | litellm failed before any HTTP call    | next deployment, health untouched|

An untranslatable request (litellm raised a KeyError/TypeError/... while building
the provider's request, e.g. a message shape one provider's adapter cannot map)
says nothing about the deployment's health: counting it would let a few such
requests cool every deployment down. Another provider's adapter may still manage
it, so the next deployment is tried; if none can, the client gets a 400.
"""

from __future__ import annotations

import ast
import asyncio
import email.utils
import json
import re
import sys
import time
import traceback
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class GatewayError(Exception):
    """An error answered to the client in OpenAI's shape."""

    def __init__(
        self,
        status: int,
        message: str,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.headers = headers or {}
        self.attempts: list[Any] = []  # upstream Attempts behind it, for the log line

    def with_attempts(self, attempts: list[Any]) -> GatewayError:
        self.attempts = list(attempts)
        return self

    def to_body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


class Kind(StrEnum):
    TRANSIENT = "transient"
    STALL = "stall"
    AUTH = "auth"
    DEPLOYMENT = "deployment"
    CONTEXT_LENGTH = "context_length"
    CONTENT_FILTER = "content_filter"
    CLIENT = "client"
    UNTRANSLATABLE = "untranslatable"


@dataclass(frozen=True)
class Failure:
    """One failed upstream attempt, classified."""

    kind: Kind
    status: int | None
    error_class: str
    message: str
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        return self.kind is Kind.TRANSIENT


class Stalled(TimeoutError):
    """The provider sent nothing useful in time: no first token within
    `first_token_timeout_s`, or no chunk for `idle_timeout_s` once the answer had started.
    Counted against the deployment, and not retried there: a stalled provider tends to stall
    again, and a retry would spend the time the next deployment needs."""


class MalformedAnswer(Exception):
    """A success status with no answer in it (no choices, or a stream that ends before
    any): the provider's fault, so the next attempt or deployment is tried."""


def _header(exc: BaseException, name: str) -> str | None:
    for headers in (
        getattr(exc, "litellm_response_headers", None),
        getattr(getattr(exc, "response", None), "headers", None),
    ):
        if headers is not None:
            try:
                value = headers.get(name)
            except AttributeError:
                continue
            if value:
                return str(value)
    return None


def retry_after_s(exc: BaseException, now: float | None = None) -> float | None:
    """Seconds the provider asked us to wait (Retry-After / retry-after-ms), if it said."""
    ms = _header(exc, "retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = _header(exc, "retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


# litellm prefixes messages with class names, sometimes several times over:
# "litellm.BadRequestError: ContextWindowExceededError: OpenAIException - ...",
# "AnthropicException BadGatewayError - b'...'".
_LITELLM_PREFIX = re.compile(r"^(?:(?:litellm\.)?\w+(?:Error|Exception)(?::| -| ) *-? *)+")
_HANDLE_WITH = re.compile(r"\.? *Handle with `?litellm\.\w+`?\.?")
_HTML = re.compile(r"<(?:!doctype|html|head|body)\b.*", re.IGNORECASE | re.DOTALL)
# A provider's error body as litellm quotes it: a Python bytes literal, closed or cut short.
_BYTES = re.compile(r"""\bb(?:'((?:[^'\\]|\\.)*)'?|"((?:[^"\\]|\\.)*)"?)""", re.DOTALL)
_ERRNO = re.compile(r"\[Errno -?\d+\] *")
_CUT = re.compile(r"Response payload is not completed.*|.*TransferEncodingError.*", re.DOTALL)
_BAD_JSON = re.compile(
    r"(?:Malformed chunk from the provider: *)?(?:Expecting|Unterminated|Extra data|Invalid "
    r"control)[^:]*: line \d+ column \d+ \(char \d+\).*", re.DOTALL
)


def _body_message(quoted: str) -> str:
    """The message of a provider's error body quoted as bytes: its `error.message` when it
    is JSON (OpenAI's and Anthropic's shape), else the text."""
    try:
        text = ast.literal_eval(f"b'{quoted}'").decode("utf-8", "replace")
    except (ValueError, SyntaxError):
        text = quoted
    try:
        data = json.loads(text)
    except ValueError:
        return text
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error["message"]
    return error if isinstance(error, str) else text


def _short(exc: BaseException) -> str:
    """The provider's message, one line in plain words: no traceback, no litellm class names
    or advice, no Python bytes literal, no HTML page, no socket or parser internals."""
    text = str(getattr(exc, "message", None) or str(exc) or type(exc).__name__)
    text = text.split("Traceback (most recent call last)", 1)[0]
    text = _HANDLE_WITH.sub("", text)
    text = _HTML.sub("an HTML error page", text)
    text = _BYTES.sub(lambda m: _body_message(m.group(1) or m.group(2) or ""), text)
    text = _LITELLM_PREFIX.sub("", text.strip())
    text = _ERRNO.sub("", text)
    text = _CUT.sub("the connection closed before the answer was complete", text)
    text = _BAD_JSON.sub("the provider sent a chunk that is not valid JSON", text)
    return " ".join(text.split())[:600] or type(exc).__name__


# Errors in Python data handling; as the root cause of a failure with no HTTP exchange in
# its chain, they come from litellm building the provider request, not from the provider.
_LOCAL_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


# A root cause raised in one of these functions was reading the provider's answer
# ("response" but not "response_format": litellm maps that parameter in functions so named).
_READING_FRAME = re.compile(r"response(?!_format)|chunk|stream|pars|iter|decode", re.IGNORECASE)
# Set by the lean transport, which knows whether the request had gone out.
_BEFORE_HTTP_ATTR = "tianji_failed_before_http"


def mark_failed_before_http(exc: BaseException) -> BaseException:
    """Tag an exception raised while the request was being built (no provider saw it)."""
    setattr(exc, _BEFORE_HTTP_ATTR, True)
    return exc


def _failed_before_http(exc: BaseException) -> bool:
    """Did litellm fail while translating the request, before any HTTP call? Known for the
    lean transport; for litellm.acompletion, read from the root cause's traceback."""
    if getattr(exc, _BEFORE_HTTP_ATTR, False):
        return True
    chain = _chain(exc)
    root = chain[-1]
    if not isinstance(root, _LOCAL_ERRORS) or isinstance(root, json.JSONDecodeError):
        return False
    if any(_READING_FRAME.search(f.name) for f in traceback.extract_tb(root.__traceback__)):
        return False
    httpx = sys.modules.get("httpx") or _NOT_LOADED  # not imported: no exception is one of its
    for link in chain:
        if isinstance(link, httpx.HTTPError | OSError | asyncio.TimeoutError):
            return False
        response = getattr(link, "response", None)
        if isinstance(getattr(response, "status_code", None), int) and link is not exc:
            return False
    return True


def _http_status(exc: BaseException) -> int | None:
    """The status of the provider's HTTP response behind a litellm exception, if known."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


class _NeverRaised(BaseException):
    """No exception is one: what each class of litellm or httpx is while it is not loaded."""


class _NotLoaded:
    """Stands in for litellm's or httpx's module while it is not loaded (router/direct.py
    serves plain calls without either)."""

    def __getattr__(self, name: str) -> type[BaseException]:
        return _NeverRaised


_NOT_LOADED = _NotLoaded()


def classify(exc: BaseException) -> Failure:
    """Map an exception from an upstream call to a Failure."""
    # Not loaded: `exc` is none of its classes (a call through router/direct.py loads it
    # before it raises one of them; a stall or timeout of ours needs none).
    litellm = sys.modules.get("litellm") or _NOT_LOADED
    httpx = sys.modules.get("httpx") or _NOT_LOADED

    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else None
    message = _short(exc)
    if message == "an HTML error page" and status is not None:
        message = f"HTTP {status} with an HTML error page"

    def failure(kind: Kind, code: int | None = status) -> Failure:
        return Failure(kind, code, name, message, retry_after_s(exc))

    if isinstance(exc, Stalled):
        return failure(Kind.STALL, None)
    if isinstance(exc, litellm.ContextWindowExceededError):
        return failure(Kind.CONTEXT_LENGTH, 400)
    if isinstance(exc, litellm.ContentPolicyViolationError):
        return failure(Kind.CONTENT_FILTER, 400)
    # Before BadRequestError: litellm raises a 403 from OpenAI-format providers as one.
    if isinstance(exc, litellm.AuthenticationError | litellm.PermissionDeniedError) or status in (
        401,
        403,
    ):
        return failure(Kind.AUTH)
    if isinstance(exc, litellm.NotFoundError):
        return failure(Kind.DEPLOYMENT, 404)
    if isinstance(exc, litellm.Timeout | asyncio.TimeoutError | TimeoutError):
        return failure(Kind.TRANSIENT, 408)
    if isinstance(exc, litellm.RateLimitError):
        return failure(Kind.TRANSIENT, 429)
    if _failed_before_http(exc):
        return failure(Kind.UNTRANSLATABLE, None)
    if isinstance(exc, litellm.BadRequestError | litellm.UnprocessableEntityError):
        # litellm maps some provider 5xx answers to BadRequestError because the body says
        # "invalid_request_error": trust the provider's status when it is a 5xx.
        http_status = _http_status(exc)
        if http_status is not None and http_status >= 500:
            return failure(Kind.TRANSIENT, http_status)
        return failure(Kind.CLIENT, 400)
    if status == 429 or status == 408 or (status is not None and status >= 500):
        return failure(Kind.TRANSIENT)
    if isinstance(exc, litellm.APIConnectionError | httpx.TransportError | ConnectionError):
        return failure(Kind.TRANSIENT, None)
    if status is not None and 400 <= status < 500:
        return failure(Kind.CLIENT)
    # A malformed answer or anything unexpected from the provider: try the next one.
    return failure(Kind.TRANSIENT, status)
