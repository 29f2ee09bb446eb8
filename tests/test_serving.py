"""uvicorn as `router serve` runs it (router/serving.py): no WebSocket protocol, so an upgrade
request is an ordinary HTTP request."""

from __future__ import annotations

import logging

from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import assert_openai_error

UPGRADE = {"connection": "Upgrade", "upgrade": "websocket", "sec-websocket-version": "13",
           "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ=="}


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


def test_a_websocket_upgrade_is_answered_as_plain_http_without_install_advice(fake):
    config = make_config([[deployment(fake, "ws1")]], server={"api_keys": ["sk-gw-ws"]})
    messages = _Messages()
    with run_gateway(config, api_key="sk-gw-ws") as gw:
        logging.getLogger("uvicorn.error").addHandler(messages)
        try:
            refused = gw.http.get("/v1/models", headers=UPGRADE)
            answered = gw.http.get("/v1/models", headers={**UPGRADE,
                                                          "authorization": "Bearer sk-gw-ws"})
        finally:
            logging.getLogger("uvicorn.error").removeHandler(messages)
    assert refused.status_code == 401
    assert_openai_error(refused.json(), "invalid_api_key")
    assert answered.status_code == 200 and answered.json()["object"] == "list"
    assert messages.seen.count("Unsupported upgrade request: answered as plain HTTP.") == 2
    assert not any("WebSocket library" in m for m in messages.seen)
