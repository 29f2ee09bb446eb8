"""Security: clients cannot steer upstream URLs or credentials; the API key check is
constant-time; no key, signed header or traceback reaches a response or a log; request
size and header limits; the gateway binds 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import hmac
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from starlette.datastructures import Headers

import router.api.gateway
import router.keys
from router.config import ServerConfig, load_config
from router.fakeprovider import Fault, FaultKind
from router.schema import PASSTHROUGH_PARAMS
from tests.conftest import ANTHROPIC_KEY, PROVIDER_KEY, deployment, make_config, run_gateway
from tests.faults.support import NO_HANG_S, assert_openai_error, chat, post_raw, raw_http
from tests.waiting import wait_for

GATEWAY_KEY = "tj-gateway-key-0123456789abcdef"
OTHER_GATEWAY_KEY = "tj-second-key-fedcba9876543210"
AWS_KEY_ID = "AKIAFAKEFAKEFAKE1234"
AWS_SECRET = "fakeAwsSecret/abcdefghijklmnopqrstuvwxyz0123"
AWS_TOKEN = "FQoGZXIvYXdzEFAKESESSIONTOKEN0123456789"

# Keys litellm (or the SDKs under it) would obey if a client could pass them.
DANGEROUS = (
    "api_base", "base_url", "api_key", "custom_llm_provider", "aws_access_key_id",
    "aws_secret_access_key", "aws_session_token", "aws_region_name", "aws_profile_name",
    "aws_role_name", "aws_bedrock_runtime_endpoint", "aws_web_identity_token", "vertex_project",
    "vertex_location", "vertex_credentials", "vertex_ai_project", "azure_ad_token",
    "azure_ad_token_provider", "azure_username", "api_version", "api_type", "organization",
    "extra_headers", "headers", "extra_body", "extra_query", "timeout", "stream_timeout",
    "num_retries", "max_retries", "metadata", "mock_response", "mock_tool_calls",
    "mock_timeout", "litellm_params", "litellm_call_id", "litellm_logging_obj", "model_list",
    "fallbacks", "context_window_fallbacks", "input_cost_per_token", "output_cost_per_token",
    "base_model", "deployment_id", "region_name", "client", "cache", "caching", "callbacks",
    "success_callback", "failure_callback", "logger_fn", "drop_params",
    "additional_drop_params", "_skip_mcp_handler", "proxy_server_request", "user_api_key",
    "hf_model_name", "tpm", "rpm", "max_budget", "ssl_verify", "allowed_openai_params",
    "mcp_servers", "thinking",
)
# OpenAI chat parameters of the same name as a litellm keyword: accepted, never passed on.
ACCEPTED_NEVER_PASSED = ("metadata",)


@pytest.fixture(scope="module")
def gw(fake) -> Iterator:
    config = make_config([[deployment(fake, "a"), deployment(fake, "b", "anthropic")]],
                         server={"api_keys": [GATEWAY_KEY, OTHER_GATEWAY_KEY]})
    with run_gateway(config, api_key=GATEWAY_KEY) as gateway:
        yield gateway


AUTH = {"authorization": f"Bearer {GATEWAY_KEY}"}


# No client-controlled upstream URL or credential


def test_no_dangerous_key_is_a_passthrough_parameter():
    assert not set(DANGEROUS) & PASSTHROUGH_PARAMS


@pytest.mark.parametrize("key", sorted(set(DANGEROUS) - set(ACCEPTED_NEVER_PASSED)))
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_each_dangerous_parameter_is_rejected_before_any_provider_call(fake, gw, key, stream):
    value = {"x": "http://127.0.0.1:1/evil"} if "header" in key else "http://127.0.0.1:1/evil"
    payload = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], key: value,
               "stream": stream}
    result = post_raw(gw, "/v1/chat/completions", json.dumps(payload).encode(), AUTH)
    assert result.status == 400, result.raw[:300]
    error = assert_openai_error(result.body, "invalid_request")
    assert error["param"] == key
    assert "Unrecognized request argument" in error["message"]
    assert fake.calls("a") == [] and fake.calls("b") == []


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_openais_metadata_is_accepted_and_never_reaches_litellm_or_a_provider(fake, gw, stream):
    payload = {"model": "auto", "messages": [{"role": "user", "content": "hi"}],
               "metadata": {"api_base": "http://127.0.0.1:1/evil", "tag": "x"}, "stream": stream}
    result = post_raw(gw, "/v1/chat/completions", json.dumps(payload).encode(), AUTH)
    assert result.status == 200, result.raw[:300]
    (call,) = fake.calls("a")
    assert "metadata" not in call.body and "evil" not in json.dumps(call.body)


@pytest.mark.parametrize("key", ["api_base", "api_key", "extra_headers", "mock_response"])
def test_dangerous_parameters_are_rejected_on_the_route_endpoint_too(fake, gw, key):
    payload = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], key: "x"}
    result = post_raw(gw, "/v1/route", json.dumps(payload).encode(), AUTH)
    assert result.status == 400
    assert assert_openai_error(result.body)["param"] == key


def test_provider_sees_the_configured_key_and_url_never_the_clients_headers(fake, gw):
    headers = {**AUTH, "x-api-key": "client-chosen-x-api-key", "api-key": "client-azure-key",
               "anthropic-version": "1999-01-01", "x-forwarded-host": "evil.example",
               "x-evil": "1"}
    for model, dep in (("auto", "a"), ("auto", "b")):
        if dep == "b":
            gw.health.record_failure("a", "test", cool_now=True)
        result = chat(gw, model=model, headers=headers)
        assert result.status == 200 and result.headers["x-tianji-provider"] == dep
    openai_call, anthropic_call = fake.calls("a")[0], fake.calls("b")[0]
    assert openai_call.headers["authorization"] == f"Bearer {PROVIDER_KEY}"
    assert anthropic_call.headers["x-api-key"] == ANTHROPIC_KEY
    assert anthropic_call.headers["anthropic-version"] != "1999-01-01"
    for call in (openai_call, anthropic_call):
        sent = json.dumps(call.headers)
        assert GATEWAY_KEY not in sent
        assert "client-chosen" not in sent and "client-azure-key" not in sent
        assert "evil" not in sent
    gw.health.record_success("a")


def test_gateway_does_not_fetch_client_supplied_image_urls_on_loopback(fake, gw):
    """litellm downloads image URLs itself for Anthropic: it must not reach internal hosts."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG\r\n\x1a\n" + b"0" * 64)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        gw.health.record_failure("a", "test", cool_now=True)  # route to the Anthropic one
        url = f"http://127.0.0.1:{server.server_port}/latest/meta-data/iam/credentials"
        payload = {"model": "auto", "messages": [{"role": "user", "content": [
            {"type": "text", "text": "what is this"},
            {"type": "image_url", "image_url": {"url": url}}]}]}
        result = post_raw(gw, "/v1/chat/completions", json.dumps(payload).encode(), AUTH)
    finally:
        server.shutdown()
        gw.health.record_success("a")
    assert hits == []
    assert result.status < 500
    if result.status != 200:
        assert_openai_error(result.body)


# The API key check


@pytest.mark.parametrize("headers", [
    {},
    {"authorization": "Bearer wrong-key-0123456789abcdef"},
    {"authorization": f"Bearer {GATEWAY_KEY[:-1]}"},
    {"authorization": f"Bearer {GATEWAY_KEY}x"},
    {"authorization": f"Basic {GATEWAY_KEY}"},
    {"authorization": GATEWAY_KEY},
    {"authorization": "Bearer"},
    {"x-api-key": "wrong"},
], ids=["none", "wrong", "prefix", "longer", "basic", "no-scheme", "empty", "x-api-key-wrong"])
def test_wrong_or_missing_api_key_is_401_on_every_v1_route(fake, gw, headers):
    for method, path in (("POST", "/v1/chat/completions"), ("GET", "/v1/models"),
                         ("GET", "/v1/deployments"), ("POST", "/v1/route")):
        response = gw.http.request(method, path, headers=headers, json={
            "model": "auto", "messages": [{"role": "user", "content": "hi"}]})
        assert response.status_code == 401, (path, response.text)
        error = assert_openai_error(response.json(), "invalid_api_key")
        assert error["type"] == "authentication_error"
        assert GATEWAY_KEY not in response.text
    assert fake.calls("a") == []


@pytest.mark.parametrize("headers", [
    {"authorization": f"Bearer {GATEWAY_KEY}"},
    {"authorization": f"bearer {OTHER_GATEWAY_KEY}"},
    {"x-api-key": GATEWAY_KEY},
])
def test_any_configured_key_is_accepted(gw, headers):
    assert gw.http.get("/v1/models", headers=headers).status_code == 200


def test_non_ascii_api_key_is_a_401_not_a_crash(gw):
    response = raw_http(gw, b"GET /v1/models HTTP/1.1\r\nHost: x\r\n"
                            b"Authorization: Bearer \xc3\xa9\xff\xfe\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 401"), response[:100]


def test_api_key_check_uses_compare_digest_against_every_key(monkeypatch, fake):
    config = make_config([[deployment(fake, "a")]],
                         server={"api_keys": [GATEWAY_KEY, OTHER_GATEWAY_KEY, "third-key-xyz"]})
    gateway = router.api.gateway.Gateway(config, classifier=object())  # type: ignore[arg-type]
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(router.keys.hmac, "compare_digest", spy)
    for token, ok in ((GATEWAY_KEY, True), ("nope", False), (OTHER_GATEWAY_KEY, True)):
        compared.clear()
        assert gateway.authorized(Headers({"authorization": f"Bearer {token}"})) is ok
        # Every key is compared, with compare_digest, whether or not an earlier one matched:
        # no early exit whose timing would tell which key (or how much of it) was right.
        assert [b for _, b in compared] == [k.encode() for k in config.server.api_keys]


def test_health_endpoints_carry_no_secrets(gw):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
        response = gw.http.get(path, headers=AUTH)
        assert response.status_code in (200, 503), path
        for secret in (GATEWAY_KEY, PROVIDER_KEY, ANTHROPIC_KEY):
            assert secret not in response.text, path


@pytest.mark.parametrize("path", ["/metrics", "/readyz"])
def test_metrics_and_readiness_need_the_api_key(gw, path):
    """They name every deployment, its state and the spend."""
    for headers in ({}, {"authorization": "Bearer wrong-key-0123456789abcdef"}):
        response = gw.http.get(path, headers=headers)
        assert response.status_code == 401, (path, response.text)
        assert_openai_error(response.json(), "invalid_api_key")
        assert "tianji_" not in response.text and "available" not in response.text
    assert gw.http.get(path, headers=AUTH).status_code in (200, 503)  # as Prometheus scrapes
    assert gw.http.get("/healthz").status_code == 200  # liveness stays open


def test_public_metrics_opens_metrics_and_readiness_but_not_the_api(fake):
    config = make_config([[deployment(fake, "a")]],
                         server={"api_keys": [GATEWAY_KEY], "public_metrics": True})
    with run_gateway(config, api_key=GATEWAY_KEY) as gateway:
        assert gateway.http.get("/metrics").status_code == 200
        assert gateway.http.get("/readyz").status_code == 200
        assert gateway.http.get("/v1/deployments").status_code == 401


# No provider key, signed header or traceback in responses or logs


class EchoProvider:
    """A provider that answers every call with an error whose message echoes the request's
    credentials (as some proxies and misconfigured providers do). The status is the first
    path segment: POST /401/v1/chat/completions -> 401."""

    def __init__(self) -> None:
        self.seen: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.seen.append(headers)
                status = int(self.path.strip("/").split("/")[0])
                echoed = "; ".join(f"{k}: {headers[k]}" for k in (
                    "authorization", "x-api-key", "api-key", "x-amz-security-token")
                    if k in headers)
                message = f"Invalid credentials ({echoed}). Traceback (most recent call " \
                          f'last):\n  File "/srv/app.py", line 1, in handler'
                body = json.dumps({"error": {"message": message, "type": "api_error",
                                             "code": None}, "message": message}).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def deployment(self, provider: str, status: int) -> dict:
        name = f"echo-{provider}-{status}"
        if provider == "openai":
            return {"name": name, "model": "openai/gpt-echo", "api_base": f"{self.url}/{status}/v1",
                    "api_key": PROVIDER_KEY}
        if provider == "anthropic":
            return {"name": name, "model": "anthropic/claude-echo",
                    "api_base": f"{self.url}/{status}", "api_key": ANTHROPIC_KEY}
        return {"name": name, "model": "bedrock/anthropic.claude-3-haiku-v1:0",
                "aws_access_key_id": AWS_KEY_ID, "aws_secret_access_key": AWS_SECRET,
                "aws_session_token": AWS_TOKEN, "aws_region_name": "us-east-1",
                "aws_bedrock_runtime_endpoint": f"{self.url}/{status}"}


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoProvider]:
    provider = EchoProvider()
    yield provider
    provider.server.shutdown()


def _secrets(echo: EchoProvider) -> list[str]:
    values = [PROVIDER_KEY, ANTHROPIC_KEY, AWS_KEY_ID, AWS_SECRET, AWS_TOKEN, GATEWAY_KEY]
    for headers in echo.seen:  # what was actually sent, signatures included
        auth = headers.get("authorization", "")
        values += re.findall(r"Signature=([0-9a-f]{16,})", auth)
        if auth.startswith("Bearer "):
            values.append(auth[7:])
    return values


LEAK_CASES = [(provider, status, False) for provider in ("openai", "anthropic", "bedrock")
              for status in (400, 401, 403, 404, 422, 500, 503)]
LEAK_CASES += [(provider, status, True) for provider in ("openai", "anthropic", "bedrock")
               for status in (401, 500)]


@pytest.mark.parametrize("provider, status, stream", LEAK_CASES,
                         ids=[f"{p}-{s}-{'stream' if st else 'json'}" for p, s, st in LEAK_CASES])
def test_provider_errors_echoing_credentials_leak_nothing(echo, provider, status, stream, request):
    config = make_config([[echo.deployment(provider, status)]],
                         server={"api_keys": [GATEWAY_KEY]},
                         resilience={"retries": 0, "request_timeout_s": 5})
    echo.seen.clear()
    with run_gateway(config, api_key=GATEWAY_KEY) as gateway:
        lines = request.getfixturevalue("log_lines")  # after the gateway configured logging
        result = chat(gateway, stream=stream, headers=AUTH)
        deployments = gateway.http.get("/v1/deployments", headers=AUTH).text
    assert echo.seen, "the echo provider was never called"
    if provider == "bedrock":
        assert "Signature=" in echo.seen[0].get("authorization", ""), echo.seen[0]
    assert 400 <= result.status < 600
    error = assert_openai_error(result.body)  # no Traceback / File "..." in the message
    exposed = "\n".join([result.raw.decode(), json.dumps(result.headers), deployments, *lines])
    assert "Invalid credentials" in exposed  # the provider's message did get through...
    for secret in _secrets(echo):  # ...but none of what it echoed
        assert secret not in exposed, f"secret {secret[:8]}... leaked: {exposed[:3000]}"
    assert "Traceback" not in exposed and 'File "/srv' not in exposed
    assert error["message"]


# Secrets the key shapes do not know: header values, hex keys, echoed in errors and answers

AZURE_STYLE_KEY = "3f9a1c0e7b5d42a8961e0c4b7d2f8a65"  # 32 hex digits, as Azure's keys
GATEWAY_PASS = "hunter2-gateway-pass"  # a header value with a secret-sounding name
TRACE_TOKEN = "9e107d9d372bb6826bd81d3542a419d6"  # a token-like value under any name
HEADER_SECRETS = (AZURE_STYLE_KEY, GATEWAY_PASS, TRACE_TOKEN)


def _echo_config(fake):
    headers = {"X-Gateway-Pass": GATEWAY_PASS, "X-Request-Source": TRACE_TOKEN}
    return make_config([[deployment(fake, "a", api_key=AZURE_STYLE_KEY, extra_headers=headers),
                         deployment(fake, "b", "anthropic", extra_headers=headers)]],
                       resilience={"retries": 0})


def _exposed(gateway, result, lines) -> str:
    seen = [result.raw.decode(), json.dumps(result.headers), *lines]
    for path in ("/v1/deployments", "/metrics", "/readyz"):
        seen.append(gateway.http.get(path).text)
    return "\n".join(seen)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_secrets_a_provider_echoes_in_its_errors_reach_no_response_or_log(fake, stream, request):
    with run_gateway(_echo_config(fake)) as gateway:
        lines = request.getfixturevalue("log_lines")
        for dep in ("a", "b"):
            fake.set_fault(dep, Fault(FaultKind.ECHO_HEADERS, status=503))
        result = chat(gateway, stream=stream)
        exposed = _exposed(gateway, result, lines)
    assert result.status == 503
    assert "x-gateway-pass" in [k for c in fake.calls("a") for k in c.headers]
    assert "You sent" in exposed  # the provider's message got through, without the secrets
    for secret in HEADER_SECRETS:
        assert secret not in exposed, f"{secret} leaked: {exposed[:2000]}"


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("wire_dep", ["a", "b"], ids=["openai", "anthropic"])
def test_a_secret_echoed_in_a_successful_answer_is_redacted_and_the_redaction_logged(
    fake, stream, wire_dep, request
):
    with run_gateway(_echo_config(fake)) as gateway:
        lines = request.getfixturevalue("log_lines")
        if wire_dep == "b":
            gateway.health.record_failure("a", "test", cool_now=True)
        fake.set_fault(wire_dep, Fault(FaultKind.ECHO_HEADERS, status=200))
        result = chat(gateway, stream=stream)
        exposed = _exposed(gateway, result, lines)
    assert result.status == 200 and result.headers["x-tianji-provider"] == wire_dep
    if stream:
        assert result.done and not result.error_events
    assert result.text.startswith("You sent") and "[redacted]" in result.text
    for secret in HEADER_SECRETS + ((PROVIDER_KEY,) if wire_dep == "a" else (ANTHROPIC_KEY,)):
        assert secret not in exposed, f"{secret} leaked: {exposed[:2000]}"
    redactions = [json.loads(line) for line in lines if '"secret_redacted"' in line]
    assert [(r["deployment"], r["where"]) for r in redactions] == [
        (wire_dep, "stream" if stream else "answer")]


# Cross-site requests: JSON only, no CORS unless configured

CHAT = json.dumps({"model": "auto", "messages": [{"role": "user", "content": "hi"}]}).encode()


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/jsonx", "text/json",
])
@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/route"])
def test_a_post_not_declared_json_is_415_and_calls_no_provider(fake, content_type, path):
    """A browser sends these cross-site without a preflight: they must not be served."""
    config = make_config([[deployment(fake, "a")]])
    with run_gateway(config) as gateway:
        headers = {} if content_type is None else {"content-type": content_type}
        response = gateway.http.post(path, content=CHAT, headers=headers)
    assert response.status_code == 415, response.text
    assert_openai_error(response.json(), "unsupported_media_type")
    assert response.headers["x-request-id"]
    assert fake.calls("a") == []


def test_json_with_a_charset_is_served(fake):
    config = make_config([[deployment(fake, "a")]])
    with run_gateway(config) as gateway:
        response = gateway.http.post("/v1/chat/completions", content=CHAT,
                                     headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200, response.text


PREFLIGHT = {"origin": "https://evil.example", "access-control-request-method": "POST",
             "access-control-request-headers": "content-type, authorization"}


def test_no_cors_by_default(fake):
    config = make_config([[deployment(fake, "a")]])
    with run_gateway(config) as gateway:
        preflight = gateway.http.options("/v1/chat/completions", headers=PREFLIGHT)
        post = gateway.http.post("/v1/chat/completions", content=CHAT, headers={
            "origin": "https://evil.example", "content-type": "application/json"})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in post.headers


def test_cors_answers_only_the_configured_origins(fake):
    config = make_config([[deployment(fake, "a")]],
                         server={"cors_origins": ["https://app.example"]})
    with run_gateway(config) as gateway:
        allowed = gateway.http.options("/v1/chat/completions",
                                       headers={**PREFLIGHT, "origin": "https://app.example"})
        other = gateway.http.options("/v1/chat/completions", headers=PREFLIGHT)
        post = gateway.http.post("/v1/chat/completions", content=CHAT, headers={
            "origin": "https://app.example", "content-type": "application/json"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in other.headers
    assert post.status_code == 200
    assert post.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-tianji-tier" in post.headers["access-control-expose-headers"]


# Slow clients: the head and the body have time limits; the deadline starts after the body

SLOW = {"header_timeout_s": 0.5, "body_timeout_s": 0.5}
CONNECTIONS = 20


def _gateway_address(gateway) -> tuple[str, int]:
    host, port = gateway.url.removeprefix("http://").split(":")
    return host, int(port)


def _answer_to(sock: socket.socket) -> bytes:
    """Everything the gateway writes until it closes the connection."""
    data = b""
    while True:
        try:
            piece = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not piece:
            break
        data += piece
    return data


@pytest.mark.parametrize("sent, status", [
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: appl", 408),
    (b"POST /v1/chat/completions HTTP/1.1\r\n", 408),
    (b"", 408),
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: y\r\n" * 7000, 431),
], ids=["partial-header", "request-line-only", "nothing", "endless-headers"])
def test_connections_with_a_slow_or_endless_head_are_answered_and_closed(fake, sent, status):
    config = make_config([[deployment(fake, "a")]], server=SLOW)
    with run_gateway(config) as gateway:
        socks = [socket.create_connection(_gateway_address(gateway), timeout=NO_HANG_S)
                 for _ in range(CONNECTIONS)]
        try:
            for sock in socks:
                sock.sendall(sent)
            answers = [_answer_to(sock) for sock in socks]  # each ends with the close
        finally:
            for sock in socks:
                sock.close()
    for answer in answers:
        assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
        assert_openai_error(json.loads(answer.split(b"\r\n\r\n", 1)[1]))
    assert fake.calls("a") == []


def test_a_body_that_does_not_arrive_is_a_408(fake):
    config = make_config([[deployment(fake, "a")]], server=SLOW)
    with run_gateway(config) as gateway:
        socks = [socket.create_connection(_gateway_address(gateway), timeout=NO_HANG_S)
                 for _ in range(CONNECTIONS)]
        try:
            for sock in socks:
                sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                             b"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                             b'{"model": "auto", ')
            answers = [raw_http_answer(sock) for sock in socks]
        finally:
            for sock in socks:
                sock.close()
    for head, body in answers:
        assert head.startswith(b"HTTP/1.1 408 "), head
        assert_openai_error(json.loads(body), "request_timeout")
    assert fake.calls("a") == []


def raw_http_answer(sock: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE).group(1))
    while len(body) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return head, body


def test_the_request_deadline_starts_after_the_body_is_read(fake):
    """A body that takes longer than request_timeout_s to upload is still served."""
    config = make_config([[deployment(fake, "a")]], server={"body_timeout_s": 5},
                         resilience={"request_timeout_s": 1.5})
    payload = CHAT
    with run_gateway(config) as gateway, socket.create_connection(
        _gateway_address(gateway), timeout=NO_HANG_S
    ) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(payload))
        for i in range(0, len(payload), len(payload) // 3 + 1):
            time.sleep(1.0)  # 3 s in all: twice the request deadline
            sock.sendall(payload[i:i + len(payload) // 3 + 1])
        head, body = raw_http_answer(sock)
    assert head.startswith(b"HTTP/1.1 200 "), (head, body)
    assert json.loads(body)["choices"][0]["message"]["content"]


def test_a_deadline_that_passes_before_any_call_is_a_504_not_cooling_down(fake):
    config = make_config([[deployment(fake, "a")]], resilience={"request_timeout_s": 1e-6})
    with run_gateway(config) as gateway:
        result = chat(gateway)
    assert result.status == 504, result.body
    error = assert_openai_error(result.body, "deadline_exceeded")
    assert "cooling" not in error["message"]
    assert fake.calls("a") == []


# Size and header limits


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def test_body_over_the_limit_is_413(fake):
    config = make_config([[deployment(fake, "a")]], server={"max_body_bytes": 2048})
    with run_gateway(config) as gateway:
        result = chat(gateway, "x" * 4096)
    assert result.status == 413
    assert_openai_error(result.body, "too_large")
    assert fake.calls("a") == []


@pytest.mark.parametrize("request_head", [
    pytest.param(b"X-Big: " + b"a" * 100_000 + b"\r\n", id="one 100 KB header"),
    pytest.param(b"".join(b"X-H%d: v\r\n" % i for i in range(5_000)), id="5000 headers"),
])
def test_oversized_request_headers_are_refused(gw, request_head):
    response = raw_http(gw, b"GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + GATEWAY_KEY.encode() + b"\r\n" + request_head + b"\r\n")
    assert _status(response) in (400, 413, 431), response[:200]
    # And the gateway is still up.
    assert gw.http.get("/healthz").status_code == 200


# Bind address


def test_default_bind_address_is_loopback():
    assert ServerConfig().host == "127.0.0.1"
    default = Path(__file__).resolve().parents[1] / "config" / "default.yaml"
    assert load_config(default, env={}).server.host == "127.0.0.1"


@pytest.mark.parametrize("argv, host", [([], "127.0.0.1"), (["--host", "0.0.0.0"], "0.0.0.0")])
def test_serve_binds_loopback_unless_told_otherwise(monkeypatch, tmp_path, argv, host):
    import uvicorn

    from router import cli

    config = tmp_path / "tianji.yaml"
    config.write_text("tiers:\n  - name: small\n    deployments:\n"
                      "      - model: openai/gpt-x\n        api_base: http://127.0.0.1:9/v1\n"
                      "        api_key: k\n")
    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setenv("TIANJI_CONFIG", "unused")
    assert cli.main(["serve", "--config", str(config), *argv]) == 0
    assert seen["host"] == host


def test_a_client_that_leaves_mid_body_is_logged_as_499_not_an_internal_error(fake, request):
    config = make_config([[deployment(fake, "a")]], server={"body_timeout_s": 5})
    with run_gateway(config) as gateway:
        log_lines = request.getfixturevalue("log_lines")  # once the gateway set up logging
        with socket.create_connection(_gateway_address(gateway), timeout=NO_HANG_S) as sock:
            sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                         b'{"model": "auto", ')
            time.sleep(0.2)
        wait_for(lambda: any('"client_closed_request"' in line for line in log_lines),
                 "the 499's log line")
        records = [json.loads(line) for line in log_lines if line.startswith("{")]
    assert [r["status"] for r in records if r.get("event") == "request"] == [499]
    assert not [r for r in records if r.get("event") == "internal_error"]
    assert fake.calls("a") == []
