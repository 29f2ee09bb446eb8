"""Shared fixtures: a fake provider, and a real Tianji gateway (uvicorn on 127.0.0.1).

A test describes its tiers as (deployment id, wire format) pairs; `gateway()`
turns them into a config that points litellm at the fake provider, starts the
gateway in a background thread, and yields a handle with the official OpenAI
SDK client ready to use.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import socketserver
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import openai
import pytest
import uvicorn

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# Gateways started by tests write their request log here, not into the working directory.
os.environ.setdefault(
    "TIANJI_LOG_DB", os.path.join(tempfile.mkdtemp(prefix="tianji-log-"), "log.db")
)

from router.api import create_app  # noqa: E402
from router.classify.base import Assessment, ChatRequest  # noqa: E402
from router.config import Config, parse_config  # noqa: E402
from router.fakeprovider import FakeProvider  # noqa: E402
from router.logs import configure_logging  # noqa: E402
from router.redact import Redactor, secret_values  # noqa: E402
from router.serving import uvicorn_options  # noqa: E402

PROVIDER_KEY = "sk-fake-provider-key-0123456789abcdef"
ANTHROPIC_KEY = "sk-ant-fake-anthropic-key-0123456789"


class KeywordClassifier:
    """A real Classifier for tests: difficulty from markers in the last user turn.

    "[easy]" -> 0.1, "[medium]" -> 0.5, "[hard]" -> 0.9, otherwise 0.1, so a test
    states which tier it means instead of depending on trained weights.
    """

    name = "keyword"

    def score(self, request: ChatRequest) -> Assessment:
        text = " ".join(str(m.get("content", "")) for m in request.get("messages", []))
        for marker, value in (("[hard]", 0.9), ("[medium]", 0.5)):
            if marker in text:
                return Assessment(value, "test", {"marker": marker})
        return Assessment(0.1, "test", {"marker": "[easy]"})


def deployment(fake: FakeProvider, dep_id: str, wire: str = "openai", **extra: Any) -> dict:
    """A config entry for a deployment served by the fake provider."""
    if wire == "openai":
        entry = {"model": f"openai/gpt-fake-{dep_id}", "api_base": fake.openai_base(dep_id)}
        entry["api_key"] = PROVIDER_KEY
    elif wire == "anthropic":
        entry = {
            "model": f"anthropic/claude-fake-{dep_id}",
            "api_base": fake.anthropic_base(dep_id),
        }
        entry["api_key"] = ANTHROPIC_KEY
    else:
        raise ValueError(wire)
    entry["name"] = dep_id
    entry["price"] = {"input": 1.0, "output": 5.0}
    # The fake models are not in litellm's table (which would make them text-only); the fake
    # provider takes tools, images and JSON mode. `supports=None` tests the unknown model.
    entry["supports"] = ["tools", "vision", "json"]
    return {k: v for k, v in {**entry, **extra}.items() if v is not None}


def make_config(tiers: list[list[dict]], **sections: dict[str, Any]) -> Config:
    names = ["small", "medium", "large"]
    aliases = [["haiku"], ["sonnet"], ["opus"]]
    bounds = [0.33, 0.66, None]
    raw_tiers = []
    for i, deps in enumerate(tiers):
        tier: dict[str, Any] = {"name": names[i], "aliases": aliases[i], "deployments": deps}
        if i < len(tiers) - 1:
            tier["max_difficulty"] = bounds[i]
        raw_tiers.append(tier)
    raw: dict[str, Any] = {
        "resilience": {
            "retries": 1,
            "backoff_initial_s": 0.01,
            "backoff_max_s": 0.05,
            "request_timeout_s": 10,
            "cooldown_s": 30,
            "failures_before_cooldown": 3,
        },
        "tiers": raw_tiers,
    }
    for key, value in sections.items():
        raw[key] = {**raw.get(key, {}), **value}
    return parse_config(raw, env={})


@dataclass
class Gateway:
    url: str
    config: Config
    client: openai.OpenAI
    http: httpx.Client
    app: Any

    @property
    def health(self) -> Any:
        return self.app.state.gateway.health


def free_port() -> int:
    """A port that was free a moment ago, for a server in another process (which may lose
    it to someone else meanwhile); a server in this process takes `listening_socket()`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening_socket() -> socket.socket:
    """A socket bound to a free port on 127.0.0.1, for `uvicorn.Server.serve(sockets=...)`:
    the port is held from here on, so no other process can take it before the server starts."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    """Run a `socketserver` (an `http.server` provider stand-in) on a thread; shut it down
    and close its socket afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def sse_handler(pieces: Callable[[str], Iterable[bytes]]) -> type[BaseHTTPRequestHandler]:
    """An OpenAI-compatible stand-in's handler that answers every POST with the SSE events
    `pieces(path)` gives, then `data: [DONE]`, and closes the connection (run it with
    `serving(ThreadingHTTPServer(("127.0.0.1", 0), handler))`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("connection", "close")
            self.end_headers()
            for piece in pieces(self.path):
                self.wfile.write(piece)
            self.wfile.write(b"data: [DONE]\n\n")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def run_gateway(config: Config, classifier: Any = None, api_key: str = "none") -> Iterator[Gateway]:
    """Start the real app under uvicorn on 127.0.0.1 in a thread; stop it afterwards."""
    configure_logging(Redactor(secret_values(config)))
    app = create_app(config, classifier or KeywordClassifier())
    sock = listening_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False,
                       lifespan="off", **uvicorn_options(config))
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])),
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            raise RuntimeError("gateway did not start")
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=api_key, max_retries=0, timeout=30)
    http = httpx.Client(base_url=url, timeout=30)
    try:
        yield Gateway(url, config, client, http, app)
    finally:
        client.close()
        http.close()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.gateway.request_log.close()  # lifespan is off: write what is queued, stop


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture(autouse=True)
def _reset_fake(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "fake" in request.fixturenames:
        request.getfixturevalue("fake").reset()


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """Every log line emitted during the test, as formatted text (redaction applied)."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    root = logging.getLogger()
    # Run the same redacting filter the real handler has, then collect.
    for existing in root.handlers:
        for f in existing.filters:
            handler.addFilter(f)
    root.addHandler(handler)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
