"""uvicorn as `router serve` runs it (router/serving.py): no WebSocket protocol, so an upgrade
request is an ordinary HTTP request; a response's head and body are sent together."""

from __future__ import annotations

import asyncio
import logging

from router.serving import CoalescingTransport
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


class _Socket:
    """A transport that records what reaches the socket."""

    def __init__(self) -> None:
        self.sent: list[bytes | str] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True
        self.sent.append("closed")

    def get_write_buffer_size(self) -> int:
        return 0


def test_the_writes_of_one_pass_of_the_loop_reach_the_socket_as_one():
    async def main() -> None:
        socket = _Socket()
        transport = CoalescingTransport(socket, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        transport.write(b"{}")
        assert socket.sent == []  # until the loop's pass ends
        await asyncio.sleep(0)
        assert socket.sent == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
        transport.write(b"last")
        transport.close()  # what is pending goes out first
        assert socket.sent[1:] == [b"last", "closed"]
        assert transport.is_closing() and transport.get_write_buffer_size() == 0
        transport.write(b"after the connection closed")
        await asyncio.sleep(0)
        assert socket.sent[1:] == [b"last", "closed"]

    asyncio.run(main())
