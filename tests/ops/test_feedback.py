"""POST /v1/feedback: an app's verdict on one answer, stored with the request."""

from __future__ import annotations

import pytest

from tests.conftest import PROVIDER_KEY, deployment, make_config, run_gateway
from tests.ops.conftest import rows

KEY = "tianji-gateway-key-feedback-01"


def _gateway(fake, url: str):
    config = make_config([[deployment(fake, "s1")]], log={"url": url},
                         server={"api_keys": [KEY]})
    with run_gateway(config, api_key=KEY) as gateway:
        gateway.http.headers["authorization"] = f"Bearer {KEY}"
        yield gateway


@pytest.fixture
def gw(fake, log_url):
    yield from _gateway(fake, log_url)


@pytest.fixture
def gw_sqlite(fake, tmp_path):
    yield from _gateway(fake, str(tmp_path / "log.db"))


def _answer(gw) -> str:
    reply = gw.client.chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": "[easy] hi"}])
    return reply.headers["x-request-id"]


def test_feedback_is_stored_with_the_request_and_counted_in_stats(gw, log_url):
    request_id = _answer(gw)  # asked at once: its row may still be queued
    ok = gw.http.post("/v1/feedback", json={"request_id": request_id, "score": 1,
                                            "comment": f"great, key {PROVIDER_KEY}"})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"object": "feedback", "request_id": request_id, "score": 1.0}
    assert gw.http.post("/v1/feedback", json={"request_id": request_id, "score": 0.25}
                        ).status_code == 200
    (first, second) = rows(log_url, "feedback")
    assert first["request_id"] == request_id and first["score"] == 1.0
    assert first["comment"] == "great, key [redacted]"
    assert first["key_id"].startswith("key-") and second["comment"] is None
    assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
    stats = gw.http.get("/v1/stats").json()
    assert stats["feedback"]["count"] == 2
    assert stats["feedback"]["by_tier"]["small"]["mean_score"] == pytest.approx(0.625)


@pytest.mark.parametrize(("body", "param"), [
    ({"request_id": "x", "score": 2}, "score"),
    ({"request_id": "x", "score": -0.1}, "score"),
    ({"request_id": "x", "score": "up"}, "score"),
    ({"request_id": "x", "score": True}, "score"),
    ({"request_id": "x"}, "score"),
    ({"score": 1}, "request_id"),
    ({"request_id": "", "score": 1}, "request_id"),
    ({"request_id": "x", "score": 1, "comment": 5}, "comment"),
    ({"request_id": "x", "score": 1, "comment": "y" * 2001}, "comment"),
    ({"request_id": "x", "score": 1, "rating": 1}, "rating"),
])
def test_bad_feedback_is_a_400_naming_the_field(gw_sqlite, body, param):
    bad = gw_sqlite.http.post("/v1/feedback", json=body)
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == param
    assert bad.json()["error"]["type"] == "invalid_request_error"


def test_feedback_errors_not_json_unknown_id_and_no_key(gw):
    not_json = gw.http.post("/v1/feedback", content=b"{nope")
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "invalid_json"
    unknown = gw.http.post("/v1/feedback", json={"request_id": "never-seen", "score": 1})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "request_not_found"
    no_key = gw.http.post("/v1/feedback", json={"request_id": "x", "score": 1},
                          headers={"authorization": ""})
    assert no_key.status_code == 401 and no_key.json()["error"]["code"] == "invalid_api_key"
