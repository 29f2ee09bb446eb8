"""A served answer the front door cannot write in its format (here: the Responses bridge's
translation fails on it) is a 502 `answer_unwritable` in OpenAI's shape, with its log line,
metric and billed cost, never a bare 500 without a record."""

from __future__ import annotations

from typing import Any

import openai
import pytest

import router.api.responses as responses_door
from tests.faults.support import log_records
from tests.gateway.test_metrics import metric
from tests.waiting import wait_for


class _Broken:
    """Stands in for the bridge's translation: raises on the answer it is given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ValueError("an answer shape the translation does not read")


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_an_answer_the_door_cannot_write_is_a_logged_502(fake, gateways, request, monkeypatch,
                                                        stream):
    gw = gateways("openai")
    lines = request.getfixturevalue("log_lines")
    before = metric(gw.http.get("/metrics").text, "tianji_requests_total", status="502")
    monkeypatch.setattr(responses_door, "ResponseEvents" if stream else "to_response", _Broken)
    with pytest.raises(openai.APIStatusError) as caught:
        answer = gw.client.responses.create(model="auto", input="Hello", stream=stream)
        if stream:
            list(answer)
    assert caught.value.status_code == 502
    body = caught.value.body
    assert isinstance(body, dict) and body["code"] == "answer_unwritable"
    assert "deployment a (openai)" in body["message"] and "ValueError" in body["message"]
    [line] = wait_for(lambda: [r for r in log_records(lines, "request") if r["status"] == 502],
                      "the request's log line")
    assert line["error_code"] == "answer_unwritable" and line["deployment"] == "a"
    if not stream:  # the whole answer came, so its usage was billed (a stream's comes last)
        assert line["cost_usd"] > 0
    assert len(fake.calls("a")) == 1  # not retried: the provider's answer was fine
    after = metric(gw.http.get("/metrics").text, "tianji_requests_total", status="502")
    assert after == before + 1
