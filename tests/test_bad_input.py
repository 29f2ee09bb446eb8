"""Bad input by hand: every case is a 4xx in OpenAI's error shape, fast, and no provider
is called. (tests/test_openapi_fuzz.py generates many more from the published schema.)"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import litellm
import pytest

from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import NO_HANG_S, assert_openai_error, post_raw, raw_http

MAX_BODY = 64 * 1024
MAX_MESSAGES = 50


@pytest.fixture(scope="module")
def gw(fake) -> Iterator:
    config = make_config([[deployment(fake, "a", max_context=128_000)]],
                         server={"max_body_bytes": MAX_BODY, "max_messages": MAX_MESSAGES})
    with run_gateway(config) as gateway:
        yield gateway


def body(**changes) -> dict:
    data = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    data.update(changes)
    return data


def user(content) -> list[dict]:
    return [{"role": "user", "content": content}]


def send(gw, payload, path="/v1/chat/completions"):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return post_raw(gw, path, raw)


def assert_rejected(fake, result, status=400, code=None, param=None):
    assert result.status == status, (result.status, result.raw[:300])
    assert result.headers["content-type"].startswith("application/json")
    error = assert_openai_error(result.body, code)
    if param is not None:
        assert error["param"] == param, error
    assert fake.calls("a") == [], "a bad request reached the provider"
    assert result.elapsed < NO_HANG_S
    return error


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


CASES = {
    # malformed JSON and non-objects
    "truncated json": (b'{"model": "auto", "messages": [', "invalid_json", None),
    "empty body": (b"", "invalid_json", None),
    "json array": (b"[1, 2]", "invalid_json", None),
    "json string": (b'"hello"', "invalid_json", None),
    "trailing garbage": (b'{"model": "auto"} xyz', "invalid_json", None),
    "invalid utf-8": (b'{"model":"auto","messages":[{"role":"user","content":"\xff\xfe\xfd"}]}',
                      "invalid_json", None),
    "deep nesting (arrays)": (b"[" * 60_000, "invalid_json", None),
    "deep nesting inside a parameter": (
        ('{"model":"auto","messages":[{"role":"user","content":"hi"}],"response_format":'
         + nested(10_000) + "}").encode(), "invalid_json", None),
    # wrong types and missing fields
    "model not a string": (body(model=1), "invalid_request", "model"),
    "empty model": (body(model=""), "invalid_request", "model"),
    "no model": ({"messages": user("hi")}, "invalid_request", "model"),
    "no messages": ({"model": "auto"}, "invalid_request", "messages"),
    "messages a string": (body(messages="hi"), "invalid_request", "messages"),
    "empty messages": (body(messages=[]), "invalid_request", "messages"),
    "message not an object": (body(messages=["hi"]), "invalid_request", "messages.0"),
    "content a number": (body(messages=user(5)), "invalid_request", "messages.0.content"),
    "unknown content part": (body(messages=user([{"type": "video", "video": "x"}])),
                             "invalid_request", None),
    "temperature a string": (body(temperature="hot"), "invalid_request", "temperature"),
    "temperature NaN": (b'{"model":"auto","messages":[{"role":"user","content":"hi"}],'
                        b'"temperature":NaN}', None, "temperature"),
    "NaN in logit_bias": (b'{"model":"auto","messages":[{"role":"user","content":"hi"}],'
                          b'"logit_bias":{"50256":NaN}}', "invalid_request", "logit_bias.50256"),
    "Infinity in a tool schema": (
        b'{"model":"auto","messages":[{"role":"user","content":"hi"}],"tools":[{"type":'
        b'"function","function":{"name":"f","parameters":{"maximum":Infinity}}}]}',
        "invalid_request", "tools.0.function.parameters.maximum"),
    "-Infinity in a message's extra field": (
        b'{"model":"auto","messages":[{"role":"user","content":"hi","weight":-Infinity}]}',
        "invalid_request", "messages.0.weight"),
    "stream not a bool": (body(stream="yes please"), "invalid_request", "stream"),
    "stop a number": (body(stop=5), "invalid_request", "stop"),
    "tools a string": (body(tools="all"), "invalid_request", "tools"),
    "tool without a name": (body(tools=[{"type": "function", "function": {}}]),
                            "invalid_request", None),
    "response_format without a type": (body(response_format={"schema": {}}), "invalid_request",
                                        "response_format.type"),
    "response_format of an unknown type": (body(response_format={"type": "xml"}),
                                           "invalid_request", "response_format.type"),
    "json_schema without a name": (body(response_format={"type": "json_schema",
                                                         "json_schema": {"schema": {}}}),
                                   "invalid_request", "response_format.json_schema.name"),
    "tool_choice an unknown word": (body(tool_choice="any"), "invalid_request", "tool_choice"),
    "tool_choice function without a name": (body(tool_choice={"type": "function"}),
                                            "invalid_request", "tool_choice"),
    "function_call without a name": (body(function_call={"arguments": "{}"}), "invalid_request",
                                      "function_call.name"),
    "stream_options unknown key": (body(stream=True, stream_options={"include_usage": True,
                                                                     "api_base": "x"}),
                                   "invalid_request", None),
    # attachments the client points to
    "image data: URL not base64": (
        body(messages=user([{"type": "text", "text": "what is it"},
                            {"type": "image_url",
                             "image_url": {"url": "data:image/png;base64,@@"}}])),
        "invalid_request", "messages.0.content.1.image_url.url"),
    "image URL of another scheme": (
        body(messages=user([{"type": "image_url", "image_url": {"url": "file:///etc/passwd"}}])),
        "invalid_request", "messages.0.content.0.image_url.url"),
    # roles
    "unknown role": (body(messages=[{"role": "robot", "content": "beep"}]), "invalid_request",
                     "messages.0.role"),
    "missing role": (body(messages=[{"content": "hi"}]), "invalid_request", "messages.0.role"),
    # absurd numbers
    "max_tokens huge": (body(max_tokens=10**12), "invalid_request", "max_tokens"),
    "max_tokens 2**70": (body(max_tokens=2**70), "invalid_request", "max_tokens"),
    "max_tokens negative": (body(max_tokens=-1), "invalid_request", "max_tokens"),
    "max_tokens zero": (body(max_tokens=0), "invalid_request", "max_tokens"),
    "max_tokens a float": (body(max_tokens=1.5), "invalid_request", "max_tokens"),
    "max_tokens beyond every window": (body(max_tokens=5_000_000), "context_length_exceeded",
                                       None),
    "max_completion_tokens huge": (body(max_completion_tokens=10**12), "invalid_request",
                                   "max_completion_tokens"),
    "n above the limit": (body(n=9), "invalid_request", "n"),
    "n huge": (body(n=10**9), "invalid_request", "n"),
    "n zero": (body(n=0), "invalid_request", "n"),
    "top_logprobs huge": (body(top_logprobs=1000), "invalid_request", "top_logprobs"),
    # limits
    "too many messages": (body(messages=user("x") * (MAX_MESSAGES + 1)), "too_many", "messages"),
    "unknown model": (body(model="gpt-4o"), "model_not_found", "model"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_request_is_a_400_in_openai_shape(fake, gw, case):
    payload, code, param = CASES[case]
    status = 404 if code == "model_not_found" else 400
    assert_rejected(fake, send(gw, payload), status, code, param)


@pytest.mark.parametrize("case", ["truncated json", "empty messages", "unknown role",
                                  "n above the limit"])
def test_bad_input_is_rejected_identically_on_the_route_endpoint(fake, gw, case):
    payload, code, param = CASES[case]
    assert_rejected(fake, send(gw, payload, "/v1/route"), 400, code, param)


def test_bad_streaming_request_gets_a_json_error_not_a_stream(fake, gw):
    result = send(gw, body(stream=True, messages=[]))
    assert_rejected(fake, result, 400, "invalid_request")
    assert not result.streamed


def test_huge_body_with_content_length_is_413(fake, gw):
    result = send(gw, body(messages=user("x" * (MAX_BODY + 1))))
    assert_rejected(fake, result, 413, "too_large")


def test_huge_chunked_body_without_content_length_is_413(fake, gw):
    def chunks():
        yield b'{"model":"auto","messages":[{"role":"user","content":"'
        for _ in range(MAX_BODY // 1024 + 4):
            yield b"x" * 1024
        yield b'"}]}'

    response = gw.http.post("/v1/chat/completions", content=chunks(),
                            headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert_openai_error(response.json(), "too_large")
    assert fake.calls("a") == []


def test_lying_content_length_is_rejected_before_reading(fake, gw):
    # Declares 10 MB and sends 2 bytes: refused on the header alone, without waiting for
    # the rest of a body that will never come.
    response = raw_http(gw, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Type: application/json\r\n"
                            b"Content-Length: 10485760\r\n\r\n{}")
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert fake.calls("a") == []


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/v1/chat/completions", 405),
    ("PUT", "/v1/chat/completions", 405),
    ("POST", "/v1/nothing-here", 404),
    ("GET", "/v1/models/../../etc/passwd", 404),
])
def test_wrong_method_or_path_is_an_openai_error(fake, gw, method, path, status):
    response = gw.http.request(method, path)
    assert response.status_code == status
    assert_openai_error(response.json())


@pytest.mark.parametrize("payload", [
    pytest.param(body(messages=user("\ud800 lone surrogate")), id="lone surrogate"),
    pytest.param(body(messages=user("a\u0000b")), id="nul byte"),
    pytest.param(body(messages=user("😀" * 1000)), id="astral characters"),
    pytest.param(body(response_format={"type": "json_object", "x": json.loads(nested(500))}),
                 id="nesting the parser accepts"),
    pytest.param(body(stop=["a"] * 500), id="many stop strings"),
], )
def test_odd_but_parseable_input_never_causes_a_5xx(fake, gw, payload):
    raw = json.dumps(payload).encode()  # ensure_ascii: a lone surrogate stays "\ud800"
    result = post_raw(gw, "/v1/chat/completions", raw)
    assert result.status < 500, result.raw[:300]
    if result.status != 200:
        assert_openai_error(result.body)
    assert result.elapsed < NO_HANG_S


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("messages", [
    pytest.param([{"role": "developer"}], id="developer without content"),
    pytest.param([{"role": "system", "content": "x"}, {"role": "developer"}], id="late"),
])
def test_a_request_litellm_cannot_translate_is_a_400_and_harms_no_deployment(
    fake, wire, messages
):
    """A schema-valid request that fails inside litellm before any HTTP call is the client's
    problem: it must not be retried, fall over, or count against any deployment's health
    (else a few such requests cool every deployment down: a denial of service)."""
    config = make_config([[deployment(fake, "p1", wire), deployment(fake, "p2", wire)]])
    with run_gateway(config) as gateway:
        results = [send(gateway, body(messages=messages)) for _ in range(4)]
        ready = gateway.http.get("/readyz")
        health = gateway.http.get("/v1/deployments").json()["data"]
    for result in results:
        assert result.status == 400, (result.status, result.raw[:300])
        assert_openai_error(result.body)
    assert ready.status_code == 200, ready.text
    assert all(d["state"] == "ok" and d["failures"] == 0 for d in health), health


class ImageHost:
    """A local image host: answers after `delay` seconds with `status` (a PNG when 200)."""

    def __init__(self, delay: float = 0.0, status: int = 200) -> None:
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits.append(self.path)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("content-type", "image/png")
                    self.end_headers()
                    self.wfile.write(PNG)
                except OSError:
                    pass  # the gateway gave up on a slow answer and hung up

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.host}/cat.png"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                       "60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture
def image_host(monkeypatch) -> Iterator:
    """Image hosts on loopback that litellm's SSRF check lets through (only these)."""
    hosts: list[ImageHost] = []

    def make(**kwargs) -> ImageHost:
        host = ImageHost(**kwargs)
        hosts.append(host)
        monkeypatch.setattr(litellm, "user_url_allowed_hosts", [h.host for h in hosts])
        return host

    yield make
    for host in hosts:
        host.close()


def image_request(url: str) -> dict:
    return body(messages=user([{"type": "text", "text": "what is this"},
                               {"type": "image_url", "image_url": {"url": url}}]))


@pytest.mark.parametrize("host", [{"delay": 3.0}, {"status": 404}], ids=["slow", "404"])
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_an_image_that_cannot_be_fetched_is_the_clients_400_and_cools_nothing(
    fake, image_host, host, stream
):
    """A client pointing at a slow or broken image host must not be able to put a healthy
    deployment into cooldown (here after a single failure)."""
    bad = image_host(**host)
    config = make_config([[deployment(fake, "a", "anthropic")]],
                         server={"attachment_timeout_s": 0.5},
                         resilience={"retries": 0, "failures_before_cooldown": 1})
    with run_gateway(config) as gateway:
        for _ in range(3):
            result = send(gateway, {**image_request(bad.url), "stream": stream})
            error = assert_rejected(fake, result, 400, "invalid_image_url",
                                    "messages.0.content.1.image_url.url")
            assert "could not be fetched" in error["message"]
        state = gateway.http.get("/v1/deployments").json()["data"][0]
        after = send(gateway, body(stream=stream))
    assert bad.hits  # the gateway did try the client's host
    assert state["state"] == "ok" and state["failures"] == 0, state
    assert after.status == 200


def test_an_image_is_fetched_once_by_the_gateway_for_a_provider_that_needs_the_bytes(
    fake, image_host
):
    good = image_host()
    config = make_config([[deployment(fake, "a", "anthropic")]])
    with run_gateway(config) as gateway:
        result = send(gateway, image_request(good.url))
    assert result.status == 200, result.raw[:300]
    assert len(good.hits) == 1
    sent = json.dumps(fake.calls("a")[0].body)
    assert base64.b64encode(PNG).decode() in sent and good.url not in sent


def test_an_openai_deployment_gets_the_image_url_as_the_client_sent_it(fake, image_host):
    host = image_host()
    config = make_config([[deployment(fake, "a", "openai")]])
    with run_gateway(config) as gateway:
        result = send(gateway, image_request(host.url))
    assert result.status == 200, result.raw[:300]
    assert host.hits == []  # OpenAI fetches it itself
    assert host.url in json.dumps(fake.calls("a")[0].body)
