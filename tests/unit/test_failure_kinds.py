"""What each upstream failure means for fallback (router/errors.py's table), on litellm's own
exception classes, and how long a provider asked us to wait."""

from __future__ import annotations

import email.utils
import time

import httpx
import litellm
import pytest

from router.errors import (
    GatewayError,
    Kind,
    Stalled,
    _short,
    classify,
    mark_failed_before_http,
    retry_after_s,
)

REQUEST = httpx.Request("POST", "https://provider.example/v1/chat/completions")
M, P = "m", "openai"


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=REQUEST)


def with_status(exc: Exception, status: int) -> Exception:
    exc.status_code = status  # type: ignore[attr-defined]
    return exc


class StatusError(Exception):
    """Any exception carrying an HTTP status, as some provider SDKs raise."""

    def __init__(self, status: int) -> None:
        super().__init__(f"status {status}")
        self.status_code = status


CASES = [
    (Stalled("no first token"), Kind.STALL, None),
    (litellm.ContextWindowExceededError("too long", M, P), Kind.CONTEXT_LENGTH, 400),
    (litellm.ContentPolicyViolationError("refused", M, P), Kind.CONTENT_FILTER, 400),
    (litellm.AuthenticationError("bad key", P, M), Kind.AUTH, 401),
    (litellm.PermissionDeniedError("no", P, M, response(403)), Kind.AUTH, 403),
    (with_status(litellm.BadRequestError("forbidden", M, P), 403), Kind.AUTH, 403),
    (StatusError(401), Kind.AUTH, 401),
    (litellm.NotFoundError("no such model", M, P), Kind.DEPLOYMENT, 404),
    (litellm.Timeout("slow", M, P), Kind.TRANSIENT, 408),
    (TimeoutError(), Kind.TRANSIENT, 408),
    (litellm.RateLimitError("slow down", P, M), Kind.TRANSIENT, 429),
    (litellm.BadRequestError("bad schema", M, P), Kind.CLIENT, 400),
    (litellm.UnprocessableEntityError("bad", M, P, response(422)), Kind.CLIENT, 400),
    (litellm.BadRequestError("invalid_request_error", M, P, response(503)), Kind.TRANSIENT, 503),
    (litellm.BadRequestError("invalid_request_error", M, P, response(500)), Kind.TRANSIENT, 500),
    (litellm.BadRequestError("invalid_request_error", M, P, response(499)), Kind.CLIENT, 400),
    (litellm.InternalServerError("boom", P, M), Kind.TRANSIENT, 500),
    (litellm.ServiceUnavailableError("down", P, M), Kind.TRANSIENT, 503),
    (StatusError(429), Kind.TRANSIENT, 429),
    (StatusError(408), Kind.TRANSIENT, 408),
    (StatusError(500), Kind.TRANSIENT, 500),
    (litellm.APIConnectionError("refused", P, M), Kind.TRANSIENT, 500),  # litellm sets 500
    (httpx.ConnectError("refused", request=REQUEST), Kind.TRANSIENT, None),
    (ConnectionResetError("reset"), Kind.TRANSIENT, None),
    (StatusError(409), Kind.CLIENT, 409),
    (StatusError(400), Kind.CLIENT, 400),
    (StatusError(499), Kind.CLIENT, 499),
    (RuntimeError("unexpected"), Kind.TRANSIENT, None),
]


@pytest.mark.parametrize("exc, kind, status", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_each_failure_has_its_kind_and_status(exc, kind, status):
    failure = classify(exc)
    assert (failure.kind, failure.status) == (kind, status)
    assert failure.error_class == type(exc).__name__
    assert failure.retryable is (kind is Kind.TRANSIENT)


def test_the_failure_carries_the_short_message_and_the_wait():
    exc = litellm.RateLimitError("slow down", P, M, response(429, **{"retry-after": "7"}))
    failure = classify(exc)
    assert failure.message == "slow down"
    assert failure.retry_after == 7.0


def rate_limited(**headers: str) -> Exception:
    return litellm.RateLimitError("slow down", P, M, response(429, **headers))


@pytest.mark.parametrize("headers, wait", [
    ({"retry-after-ms": "1500"}, 1.5),
    ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
    ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
    ({"retry-after": "7"}, 7.0),
    ({"retry-after": "2.5"}, 2.5),
    ({"retry-after": "-3"}, 0.0),
    ({"retry-after-ms": "-3"}, 0.0),
    ({"retry-after": "whenever"}, None),
    ({}, None),
])
def test_retry_after_in_seconds_or_milliseconds(headers, wait):
    assert retry_after_s(rate_limited(**headers)) == wait


def test_retry_after_as_an_http_date():
    now = 1_700_000_000.0
    later = email.utils.formatdate(now + 30, usegmt=True)
    earlier = email.utils.formatdate(now - 30, usegmt=True)
    assert retry_after_s(rate_limited(**{"retry-after": later}), now=now) == pytest.approx(30.0)
    assert retry_after_s(rate_limited(**{"retry-after": earlier}), now=now) == 0.0


def test_headers_litellm_read_from_the_response_come_first():
    exc = rate_limited(**{"retry-after": "9"})
    exc.litellm_response_headers = httpx.Headers({"retry-after": "4"})  # type: ignore[attr-defined]
    assert retry_after_s(exc) == 4.0
    exc.litellm_response_headers = httpx.Headers({})  # type: ignore[attr-defined]
    assert retry_after_s(exc) == 9.0


def test_messages_are_one_line_and_bounded():
    assert _short(RuntimeError("x" * 5000)) == "x" * 600
    assert _short(RuntimeError("")) == "RuntimeError"
    assert _short(RuntimeError("litellm.APIError: ")) == "RuntimeError"


def test_gateway_errors_have_openais_shape():
    error = GatewayError(404, "no such model")
    assert error.to_body() == {"error": {"message": "no such model",
                                         "type": "invalid_request_error",
                                         "param": None, "code": None}}
    assert (error.status, error.headers) == (404, {})
    full = GatewayError(429, "slow", "rate_limit_error", "rate_limited", "model",
                        {"retry-after": "3"})
    assert full.to_body()["error"] == {"message": "slow", "type": "rate_limit_error",
                                       "param": "model", "code": "rate_limited"}
    assert full.headers == {"retry-after": "3"}


def build_request() -> None:
    raise KeyError("messages")


def chained(*links: BaseException) -> BaseException:
    """links[0] raised from links[1] raised from ... the last: a KeyError from build_request."""
    try:
        build_request()
    except KeyError as root:
        cause: BaseException = root
    for link in reversed(links):
        link.__cause__ = cause
        cause = link
    return cause


def test_a_request_that_failed_before_any_http_call_is_untranslatable():
    marked = litellm.BadRequestError("cannot map", M, P)
    assert mark_failed_before_http(marked) is marked
    assert (classify(marked).kind, classify(marked).status) == (Kind.UNTRANSLATABLE, None)
    assert classify(chained(RuntimeError("wrapped"))).kind is Kind.UNTRANSLATABLE


def test_a_local_error_after_an_http_exchange_is_the_providers_fault():
    answered = litellm.InternalServerError("boom", P, M)
    assert classify(chained(RuntimeError("wrapped"), answered)).kind is Kind.TRANSIENT
    read = httpx.ReadError("cut", request=REQUEST)
    assert classify(chained(RuntimeError("wrapped"), read)).kind is Kind.TRANSIENT


@pytest.mark.parametrize("exc, kind, status", [
    (StatusError(302), Kind.TRANSIENT, 302),
    (with_status(RuntimeError("odd"), "500"), Kind.TRANSIENT, None),  # type: ignore[arg-type]
])
def test_statuses_outside_the_table(exc, kind, status):
    assert (classify(exc).kind, classify(exc).status) == (kind, status)


def test_litellms_message_without_its_retry_notes():
    exc = litellm.AuthenticationError("bad key", P, M, num_retries=2, max_retries=3)
    assert "Retried" in str(exc)
    assert classify(exc).message == "bad key"
    text = "oops Traceback (most recent call last) a Traceback (most recent call last) b"
    assert _short(RuntimeError(text)) == "oops"


def test_wait_headers_in_a_plain_mapping_or_an_unreadable_one():
    exc = rate_limited(**{"retry-after": "9"})
    exc.litellm_response_headers = {"retry-after-ms": "2000"}  # type: ignore[attr-defined]
    assert retry_after_s(exc) == 2.0
    exc.litellm_response_headers = {"retry-after": "4"}  # type: ignore[attr-defined]
    assert retry_after_s(exc) == 4.0
    exc.litellm_response_headers = ["not", "a", "mapping"]  # type: ignore[attr-defined]
    assert retry_after_s(exc) == 9.0


def test_an_http_date_is_read_against_the_clock():
    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    assert 3000 < retry_after_s(rate_limited(**{"retry-after": later})) <= 3600


def test_a_gateway_error_reads_as_its_message():
    assert str(GatewayError(400, "bad field")) == "bad field"
