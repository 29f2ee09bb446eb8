"""A stream's last event reaches the client after the request is logged: an app that stops
reading there (as the SDKs do) and sends feedback on it at once finds the request known."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from tests.conftest import Gateway, deployment, make_config, run_gateway

# How long the request's log line waits for the client to say it has the last event: long
# enough for a client to read bytes already sent, short enough to keep the test quick.
CLIENT_READS_WITHIN_S = 1.0


class EndSeenBeforeLogged(logging.Handler):
    """On the request's log line, whether the client already had the stream's last event
    (waiting a moment for it to say so: the gateway's thread holds still meanwhile)."""

    def __init__(self) -> None:
        super().__init__()
        self.end_seen = threading.Event()
        self.logged_after_end: list[bool] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith('{"event": "request"'):
            self.logged_after_end.append(self.end_seen.wait(CLIENT_READS_WITHIN_S))


@pytest.fixture
def gw(fake, tmp_path) -> Iterator[Gateway]:
    config = make_config([[deployment(fake, "s1")]], log={"url": str(tmp_path / "log.db")})
    with run_gateway(config) as gateway:
        # litellm loaded now, not inside the first request's deadline (a cold, loaded machine)
        gateway.app.state.gateway.upstream.preload.now()
        yield gateway


@pytest.mark.parametrize(("path", "body", "last"), [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}, "[DONE]"),
    ("/v1/messages", {"max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]},
     "message_stop"),
    ("/v1/responses", {"input": "hi"}, "response.completed"),
], ids=["chat", "messages", "responses"])
def test_the_last_event_comes_after_the_log_line_and_feedback_on_it_is_accepted(
    gw, path, body, last
):
    handler = EndSeenBeforeLogged()
    logging.getLogger("tianji.request").addHandler(handler)
    try:
        with gw.http.stream("POST", path, json={"model": "auto", "stream": True, **body},
                            headers={"anthropic-version": "2023-06-01"}) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                if last in line:
                    handler.end_seen.set()
                    break  # where an SDK stops reading
        feedback = gw.http.post("/v1/feedback", json={
            "request_id": response.headers["x-request-id"], "score": 1})
    finally:
        logging.getLogger("tianji.request").removeHandler(handler)
    assert handler.logged_after_end == [False]
    assert feedback.status_code == 200, feedback.text
