"""What a client reads when providers fail: plain words naming each deployment and its
provider with the provider's own message, never litellm's class names or advice, a Python
bytes literal or a socket error; and the failed request's log line lists its attempts."""

from __future__ import annotations

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, run_gateway
from tests.faults.support import assert_openai_error, chat, fast_config, log_records

EXHAUSTED = "No deployment could answer. Tried: d ({wire}): "
# (fault, expected message on the OpenAI wire, on the Anthropic wire); `None`: same text.
CASES = {
    "http-500": (Fault(FaultKind.HTTP_ERROR, status=500),
                 EXHAUSTED + "The server had an error while processing your request. Sorry "
                 "about that!", EXHAUSTED + "Internal server error"),
    "html-502": (Fault(FaultKind.NON_JSON, status=502),
                 EXHAUSTED + "HTTP 502 with an HTML error page", None),
    "reset": (Fault(FaultKind.RESET), EXHAUSTED + "Connection error.",
              EXHAUSTED + "Connection reset by peer"),
    "http-401": (Fault(FaultKind.HTTP_ERROR, status=401),
                 EXHAUSTED + "Incorrect API key provided: sk-test. You can find your API key at "
                 "https://platform.openai.com/account/api-keys.",
                 EXHAUSTED + "invalid x-api-key"),
    "http-404": (Fault(FaultKind.HTTP_ERROR, status=404),
                 EXHAUSTED + "The model does not exist or you do not have access to it.",
                 EXHAUSTED + "The requested resource could not be found."),
    "malformed": (Fault(FaultKind.MALFORMED_CHUNK, after_chunks=0),
                  EXHAUSTED + "the provider sent a chunk that is not valid JSON", None),
    "cut-before-answer": (Fault(FaultKind.STREAM_CUT, after_chunks=0),
                          EXHAUSTED + "the connection closed before the answer was complete",
                          None),
    "http-400": (Fault(FaultKind.HTTP_ERROR, status=400),
                 "Deployment d ({wire}) rejected the request: Invalid request.", None),
    "content-filter": (Fault(FaultKind.CONTENT_FILTER),
                       "Deployment d ({wire}) refused the content: Your request was rejected as "
                       "a result of our safety system. Your prompt may contain text that is not "
                       "allowed by our safety system.",
                       "Deployment d ({wire}) refused the content: Output blocked by content "
                       "filtering policy"),
}
INTERNALS = ("litellm", "Handle with", "b'", 'b"', "Errno", "TransferEncodingError",
             "Exception", "InternalServerError", "MidStreamFallbackError")


def single(fake, gateways, wire):
    """A gateway whose one deployment `d` speaks `wire` (the module's shared pool)."""
    return gateways.get(wire, lambda: fast_config([[deployment(fake, "d", wire)]], retries=0))


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_failure_reads_in_plain_words(fake, gateways, wire, stream, case):
    fault, openai_text, anthropic_text = CASES[case]
    fake.set_fault("d", fault)
    result = chat(single(fake, gateways, wire), model="small", stream=stream)
    expected = (anthropic_text if wire == "anthropic" and anthropic_text else openai_text)
    error = assert_openai_error(result.body)
    assert error["message"] == expected.format(wire=wire)
    assert not any(word in error["message"] for word in INTERNALS)


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_stream_cut_after_the_answer_started_names_the_deployment(fake, gateways, wire):
    fake.set_fault("d", Fault(FaultKind.STREAM_CUT, after_chunks=6))
    result = chat(single(fake, gateways, wire), model="small", stream=True)
    (event,) = result.error_events
    assert event["error"]["message"] == (
        f"The stream from deployment d ({wire}) failed after the answer had started, so it "
        "could not be retried elsewhere: the connection closed before the answer was complete")


def test_a_failed_requests_log_line_lists_every_attempt(fake, request):
    config = fast_config([[deployment(fake, "a"), deployment(fake, "b", "anthropic")],
                          [deployment(fake, "c")]], retries=0)
    with run_gateway(config) as gw:
        lines = request.getfixturevalue("log_lines")
        for dep in ("a", "b", "c"):
            fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=503))
        result = chat(gw)
    assert result.status == 503
    (line,) = [r for r in log_records(lines, "request")
               if r["request_id"] == result.headers["x-request-id"]]
    assert line["deployment"] is None and line["attempts"] == 3
    assert [(t["deployment"], t["provider"], t["tier"], t["outcome"], t["status"])
            for t in line["attempt_path"]] == [("a", "openai", "small", "transient", 503),
                                        ("b", "anthropic", "small", "transient", 503),
                                        ("c", "openai", "medium", "transient", 503)]
