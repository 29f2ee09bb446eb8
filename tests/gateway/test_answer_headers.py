"""The headers of an answer, JSON and streamed (router/api/core.py `respond`), as a client
reads them: exactly 200, the content type of each, a stream never cached, and every
x-tianji-* header with its value (README, "Headers on every answer"). Through a real
gateway and the fake provider, raw HTTP and the OpenAI SDK."""

from __future__ import annotations

from typing import Any

from router.classify.base import Assessment, ChatRequest
from tests.conftest import deployment, make_config, run_gateway
from tests.faults.support import parse_sse

PRICE = {"input": 2.0, "output": 10.0}
# Room for the first litellm call of a process, which imports for seconds on a loaded
# machine.
ROOMY = {"request_timeout_s": 60, "first_token_timeout_s": 30}
HI = [{"role": "user", "content": "hi"}]


class Fixed:
    name = "fixed"

    def score(self, request: ChatRequest) -> Assessment:
        return Assessment(0.123456, "chat", {})


def _config(fake: Any) -> Any:
    return make_config([[deployment(fake, "s1", price=PRICE)], [deployment(fake, "l1")]],
                       resilience=ROOMY)


def _tianji(headers: Any) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.startswith("x-tianji-")}


def test_a_json_answer_is_a_200_with_every_tianji_header(fake):
    with run_gateway(_config(fake), Fixed()) as gw:
        answer = gw.http.post("/v1/chat/completions", json={"model": "auto", "messages": HI})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    usage = answer.json()["usage"]
    cost = (usage["prompt_tokens"] * PRICE["input"]
            + usage["completion_tokens"] * PRICE["output"]) / 1e6
    assert _tianji(answer.headers) == {
        "x-tianji-tier": "small", "x-tianji-model": "openai/gpt-fake-s1",
        "x-tianji-provider": "s1", "x-tianji-difficulty": "0.1235", "x-tianji-attempts": "1",
        "x-tianji-cost-usd": f"{cost:.8f}", "x-tianji-affinity": "new",
    }


def test_a_stream_is_a_200_event_stream_never_cached_with_every_tianji_header(fake):
    body = {"model": "auto", "messages": HI, "stream": True}
    with run_gateway(_config(fake), Fixed()) as gw, gw.http.stream(
            "POST", "/v1/chat/completions", json=body) as answer:
        events = parse_sse(answer.read())
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert answer.headers["cache-control"] == "no-cache"
    headers = _tianji(answer.headers)
    assert float(headers.pop("x-tianji-cost-usd")) > 0  # its prompt: test_core_mutants.py
    assert headers == {
        "x-tianji-tier": "small", "x-tianji-model": "openai/gpt-fake-s1",
        "x-tianji-provider": "s1", "x-tianji-difficulty": "0.1235", "x-tianji-attempts": "1",
        "x-tianji-affinity": "new",
    }
    assert events[-1] == "[DONE]"


def test_a_continued_conversation_s_answers_say_it_was_kept(fake):
    later = [*HI, {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "go"}]
    with run_gateway(_config(fake), Fixed()) as gw:
        kept = [gw.http.post("/v1/chat/completions", json={
            "model": "auto", "messages": m, "stream": stream,
            "prompt_cache_key": "conv-headers"}) for m, stream in (
                (HI, False), (later, False), (later, True))]
    assert [a.headers["x-tianji-affinity"] for a in kept] == ["new", "kept", "kept"]
