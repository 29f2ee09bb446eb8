"""The verified cascade through the real gateway: the issue's config shape, fake providers on
both wires answering set final answers in real output styles, both front doors."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

from router.classify.base import Assessment, ChatRequest
from router.config import parse_config
from router.costs import Tokens
from router.fakeprovider import FakeProvider, Fault, FaultKind
from tests.conftest import ANTHROPIC_KEY, PROVIDER_KEY, Gateway, run_gateway
from tests.gateway.test_metrics import metric

# $ per million tokens, in and out.
PRICES = {"haiku": (0.25, 1.25), "mini": (0.15, 0.6), "mini-b": (0.15, 0.6),
          "sonnet": (3.0, 15.0), "opus": (15.0, 75.0)}
WIRES = {"haiku": "anthropic", "mini": "openai", "mini-b": "openai", "sonnet": "anthropic",
         "opus": "anthropic"}
MATH = "[task:math] Tom has 40 apples and buys 2. How many now?"


class TaskClassifier:
    """A real Classifier: every request is easy; its task is the `[task:...]` marker."""

    name = "task"

    def score(self, request: ChatRequest) -> Assessment:
        text = " ".join(str(m.get("content", "")) for m in request.get("messages", []))
        task = text.split("[task:", 1)[1].split("]", 1)[0] if "[task:" in text else "chat"
        return Assessment(0.1, task, {}, confidence=0.2)


def _dep(fake: FakeProvider, name: str, native: tuple[str, ...] = ()) -> dict[str, Any]:
    """`native`: the OpenAI-wire deployments to call on their own Responses API."""
    wire = WIRES[name]
    entry: dict[str, Any] = {"name": name, "price": dict(zip(("input", "output"), PRICES[name],
                                                             strict=True)),
                             "supports": ["tools", "vision", "json"]}
    if wire == "openai":
        entry |= {"model": f"openai/gpt-fake-{name}", "api_base": fake.openai_base(name),
                  "api_key": PROVIDER_KEY, "responses_api": name in native}
    else:
        entry |= {"model": f"anthropic/claude-fake-{name}",
                  "api_base": fake.anthropic_base(name), "api_key": ANTHROPIC_KEY}
    return entry


def issue_config(fake: FakeProvider, small_verify: dict[str, Any] | None = None,
                 small: tuple[str, ...] = ("haiku", "mini"), native: tuple[str, ...] = (),
                 **sections: Any) -> Any:
    """The issue's config: every request starts at small; mini checks small and medium."""
    verify = {"partners": ["mini"],
              "tasks": ["math", "multiple_choice", "code_output", "short_answer"],
              **(small_verify or {})}
    raw = {
        "resilience": {"retries": 1, "backoff_initial_s": 0.01, "backoff_max_s": 0.05,
                       "request_timeout_s": 10},
        "tiers": [
            {"name": "small", "max_difficulty": 1.0,
             "deployments": [_dep(fake, n, native) for n in small], "verify": verify},
            {"name": "medium", "deployments": [_dep(fake, "sonnet")],
             "verify": {"partners": ["mini"]}},
            {"name": "large", "deployments": [_dep(fake, "opus")]},
        ],
        **sections,
    }
    return parse_config(raw, env={})


def answers(fake: FakeProvider, **texts: str) -> None:
    for name, text in texts.items():
        fake.configure(name, text=text.replace("{", "{{").replace("}", "}}"))


def calls(fake: FakeProvider, *names: str) -> dict[str, int]:
    return {name: len(fake.calls(name)) for name in names}


def paid(fake: FakeProvider, *names: str, nth: int | None = None) -> float:
    """What the answered calls to these deployments cost (only the `nth` of each, when
    given), from the usage each reported."""
    total = 0.0
    for name in names:
        price_in, price_out = PRICES[name]
        made = fake.calls(name)
        for call in made if nth is None else made[nth:nth + 1]:
            if call.usage:
                tokens = Tokens.of(call.usage)
                total += (tokens.prompt * price_in + tokens.output * price_out) / 1e6
    return total


@pytest.fixture
def gw(fake: FakeProvider) -> Iterator[Gateway]:
    with run_gateway(issue_config(fake), TaskClassifier()) as gateway:
        yield gateway


def ask(gw: Gateway, content: str = MATH, **extra: Any) -> Any:
    return gw.client.chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": content}], **extra)


def test_agreement_returns_the_cheap_answer_and_the_cost_includes_the_partner(gw, fake):
    answers(fake, haiku="40 + 2 = 42.\n#### 42",
            mini='```json\n{"reasoning": "40+2", "answer": "42 apples"}\n```')
    raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "agree"
    assert raw.headers["x-tianji-model"] == "anthropic/claude-fake-haiku"
    assert raw.headers["x-tianji-tier"] == "small"
    assert raw.parse().choices[0].message.content.endswith("#### 42")
    assert raw.headers["x-tianji-attempts"] == "2"
    assert calls(fake, "haiku", "mini", "sonnet", "opus") == {
        "haiku": 1, "mini": 1, "sonnet": 0, "opus": 0}
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(
        paid(fake, "haiku", "mini"), rel=1e-6)
    assert paid(fake, "mini") > 0


def test_disagreement_escalates_and_the_middle_tier_may_agree_with_the_partner(gw, fake):
    answers(fake, haiku="So the total is 41.\nThe answer is 41.",
            mini='{"reasoning": "40+2", "answer": "$42"}',
            sonnet="Adding them: $\\boxed{42}$")
    raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "escalated"
    assert raw.headers["x-tianji-model"] == "anthropic/claude-fake-sonnet"
    assert raw.headers["x-tianji-tier"] == "medium"
    assert raw.headers["x-tianji-attempts"] == "3"
    # mini answered once: medium compares with the answer it already gave.
    assert calls(fake, "haiku", "mini", "sonnet", "opus") == {
        "haiku": 1, "mini": 1, "sonnet": 1, "opus": 0}
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(
        paid(fake, "haiku", "mini", "sonnet"), rel=1e-6)


def test_the_middle_tier_agreeing_with_the_cheap_primary_is_kept(gw, fake):
    answers(fake, haiku="Answer: 42", mini='{"answer": "44"}', sonnet="42")
    raw = ask(gw)
    assert (raw.headers["x-tianji-verified"], raw.headers["x-tianji-tier"]) == (
        "escalated", "medium")


def test_disagreement_on_both_tiers_reaches_the_top_tier_whose_answer_is_final(gw, fake):
    answers(fake, haiku="The answer is 41.", mini='{"answer": "42"}', sonnet="#### 43",
            opus="I could not say.")  # the top tier is final even without an answer in it
    raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "escalated"
    assert raw.headers["x-tianji-model"] == "anthropic/claude-fake-opus"
    assert raw.headers["x-tianji-attempts"] == "4"
    assert raw.parse().choices[0].message.content == "I could not say."
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(
        paid(fake, "haiku", "mini", "sonnet", "opus"), rel=1e-6)


def test_no_extractable_answer_counts_as_disagreement(gw, fake):
    answers(fake, haiku="Let me think about the apples.", mini="Let me think about the apples.",
            sonnet="The answer is 42.")
    raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "escalated"
    assert raw.headers["x-tianji-tier"] in ("medium", "large")


def test_multiple_choice_and_code_output_styles_agree(gw, fake):
    answers(fake, haiku="Option (C) fits best.\nAnswer: (C)", mini="C")
    raw = ask(gw, "[task:multiple_choice] Which? (A) 1 (B) 2 (C) 3")
    assert raw.headers["x-tianji-verified"] == "agree"
    answers(fake, haiku="```python\nassert f([1, 2]) == {'a': [1, 2]}\n```",
            mini='{"reasoning": "...", "answer": "{\\"a\\": [1, 2]}"}')
    raw = ask(gw, "[task:code_output] What does f([1, 2]) return?")
    assert raw.headers["x-tianji-verified"] == "agree"


def test_a_partner_that_cannot_answer_leaves_the_answer_unverified(gw, fake):
    answers(fake, haiku="#### 41")
    fake.set_fault("mini", Fault(FaultKind.HTTP_ERROR, status=503))
    raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "skipped:partner_unavailable"
    assert raw.headers["x-tianji-model"] == "anthropic/claude-fake-haiku"
    tried = calls(fake, "haiku", "mini", "sonnet")
    assert tried["mini"] == 2 and tried["sonnet"] == 0  # one retry, then given up
    assert raw.headers["x-tianji-attempts"] == str(1 + tried["mini"])


def test_a_partner_falls_back_to_its_next_deployment(fake):
    config = issue_config(fake, {"partners": ["mini", "mini-b"]},
                          small=("haiku", "mini", "mini-b"))
    answers(fake, haiku="#### 42", **{"mini-b": '{"answer": "42"}'})
    fake.set_fault("mini", Fault(FaultKind.RESET))
    with run_gateway(config, TaskClassifier()) as gw:
        raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "agree"
    assert calls(fake, "mini-b") == {"mini-b": 1}


def test_unverified_escalate_treats_a_missing_partner_as_disagreement(fake):
    config = issue_config(fake, {"unverified": "escalate"})
    answers(fake, haiku="#### 42", sonnet="#### 42")
    fake.set_fault("mini", Fault(FaultKind.HTTP_ERROR, status=401))
    with run_gateway(config, TaskClassifier()) as gw:
        raw = ask(gw)
    # medium's answer matches the cheap one it is compared with.
    assert (raw.headers["x-tianji-verified"], raw.headers["x-tianji-tier"]) == (
        "escalated", "medium")


def test_a_primary_outage_falls_back_across_clouds_and_is_still_verified(fake):
    config = issue_config(fake, small=("haiku", "mini-b", "mini"))
    answers(fake, **{"mini-b": "#### 42"}, mini='{"answer": "42"}')
    fake.set_fault("haiku", Fault(FaultKind.HTTP_ERROR, status=500))
    with run_gateway(config, TaskClassifier()) as gw:
        raw = ask(gw)
    assert raw.headers["x-tianji-verified"] == "agree"
    assert raw.headers["x-tianji-provider"] == "mini-b"
    assert raw.headers["x-tianji-attempts"] == str(len(fake.calls("haiku")) + 2)


@pytest.mark.parametrize(("content", "extra", "reason", "mini_calls"), [
    ("[task:chat] Tell me about apples.", {}, "task", 0),
    # only the OpenAI-wire mini honours n, so it serves, unverified (router/params.py)
    (MATH, {"n": 2}, "n", 1),
    (MATH, {"response_format": {"type": "json_object"}}, "json_mode", 0),
    (MATH, {"tools": [{"type": "function", "function": {"name": "add", "parameters": {
        "type": "object", "properties": {}}}}]}, "tools", 0),
])
def test_requests_that_cannot_be_verified_skip_with_a_reason(gw, fake, content, extra, reason,
                                                             mini_calls):
    raw = ask(gw, content, **extra)
    assert raw.headers["x-tianji-verified"] == f"skipped:{reason}"
    assert calls(fake, "mini", "sonnet") == {"mini": mini_calls, "sonnet": 0}


def test_a_stream_skips_verification_unless_buffered(gw, fake):
    answers(fake, haiku="#### 42", mini="#### 7")
    with gw.client.chat.completions.with_streaming_response.create(
            model="auto", stream=True, messages=[{"role": "user", "content": MATH}]) as response:
        assert response.headers["x-tianji-verified"] == "skipped:stream"
        text = "".join(c.choices[0].delta.content or "" for c in response.parse() if c.choices)
    assert text == "#### 42" and calls(fake, "mini") == {"mini": 0}


def test_a_buffered_stream_starts_once_the_answer_is_accepted(fake):
    config = issue_config(fake, {"streaming": "buffer"})
    answers(fake, haiku="The answer is 41.", mini="#### 42", sonnet="It is 42 in total.")
    with run_gateway(config, TaskClassifier()) as gw, \
            gw.client.chat.completions.with_streaming_response.create(
                model="auto", stream=True, stream_options={"include_usage": True},
                messages=[{"role": "user", "content": MATH}]) as response:
        assert response.headers["x-tianji-verified"] == "escalated"
        assert response.headers["x-tianji-model"] == "anthropic/claude-fake-sonnet"
        chunks = list(response.parse())
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "It is 42 in total."
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 5


def test_the_messages_front_door_verifies_and_escalates(gw, fake):
    client = anthropic.Anthropic(base_url=gw.url, api_key="none", max_retries=0, timeout=30)
    answers(fake, haiku="#### 42", mini='{"answer": "42"}')
    raw = client.messages.with_raw_response.create(
        model="auto", max_tokens=256, messages=[{"role": "user", "content": MATH}])
    assert raw.headers["x-tianji-verified"] == "agree"
    assert raw.parse().content[0].text == "#### 42"
    answers(fake, haiku="#### 41", sonnet="#### 43", opus="#### 42")
    raw = client.messages.with_raw_response.create(
        model="auto", max_tokens=256, messages=[{"role": "user", "content": MATH}])
    assert raw.headers["x-tianji-verified"] == "escalated"
    assert raw.headers["x-tianji-model"] == "anthropic/claude-fake-opus"
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(
        paid(fake, "haiku", "mini", nth=1) + paid(fake, "sonnet", "opus"), rel=1e-6)
    client.close()


def test_a_partner_outage_on_the_messages_front_door_leaves_the_answer_unverified(gw, fake):
    client = anthropic.Anthropic(base_url=gw.url, api_key="none", max_retries=0, timeout=30)
    answers(fake, haiku="#### 41")
    fake.set_fault("mini", Fault(FaultKind.RESET))
    raw = client.messages.with_raw_response.create(
        model="auto", max_tokens=256, messages=[{"role": "user", "content": MATH}])
    client.close()
    assert raw.headers["x-tianji-verified"] == "skipped:partner_unavailable"
    assert raw.parse().content[0].text == "#### 41"
    assert raw.headers["x-tianji-attempts"] == str(1 + len(fake.calls("mini")))


def test_the_responses_front_door_verifies_and_escalates(gw, fake):
    answers(fake, haiku="#### 42", mini='{"answer": "42"}')
    raw = gw.client.responses.with_raw_response.create(model="auto", input=MATH)
    assert raw.headers["x-tianji-verified"] == "agree"
    assert raw.parse().output_text == "#### 42"
    answers(fake, haiku="#### 41", sonnet="#### 43", opus="#### 42")
    raw = gw.client.responses.with_raw_response.create(model="auto", input=MATH)
    assert raw.headers["x-tianji-verified"] == "escalated"
    assert raw.headers["x-tianji-model"] == "anthropic/claude-fake-opus"
    assert raw.headers["x-tianji-attempts"] == "4"
    assert raw.parse().output_text == "#### 42"


def test_the_responses_front_door_verifies_across_native_and_bridged_answers(fake):
    """The partner mini answers on its own Responses API, the primary haiku through the
    bridge: their answers are compared all the same."""
    with run_gateway(issue_config(fake, native=("mini",)), TaskClassifier()) as gw:
        answers(fake, haiku="#### 42", mini="The answer is 42.")
        raw = gw.client.responses.with_raw_response.create(model="auto", input=MATH)
        assert raw.headers["x-tianji-verified"] == "agree"
        assert raw.parse().output_text == "#### 42"
        answers(fake, haiku="#### 41", sonnet="#### 42")
        raw = gw.client.responses.with_raw_response.create(model="auto", input=MATH)
        assert raw.headers["x-tianji-verified"] == "escalated"
    assert [c.path for c in fake.calls("mini")] == ["/d/mini/v1/responses"] * 2


def test_a_config_without_verify_sends_no_verification_header(fake):
    config = parse_config({"tiers": [
        {"name": "small", "max_difficulty": 0.5, "deployments": [_dep(fake, "haiku")]},
        {"name": "large", "deployments": [_dep(fake, "opus")]}]}, env={})
    with run_gateway(config, TaskClassifier()) as gw:
        raw = ask(gw)
    assert "x-tianji-verified" not in raw.headers
    # and below max_difficulty 1.0 the confidence rule still raises an unsure request
    assert calls(fake, "haiku", "opus") == {"haiku": 0, "opus": 1}


def test_a_buffered_stream_on_the_messages_front_door(fake):
    config = issue_config(fake, {"streaming": "buffer"})
    answers(fake, haiku="#### 42", mini='{"answer": "42"}')
    with run_gateway(config, TaskClassifier()) as gw:
        client = anthropic.Anthropic(base_url=gw.url, api_key="none", max_retries=0)
        with client.messages.with_streaming_response.create(
                model="auto", max_tokens=256, stream=True,
                messages=[{"role": "user", "content": MATH}]) as response:
            assert response.headers["x-tianji-verified"] == "agree"
            events = [json.loads(line[5:]) for line in response.iter_lines()
                      if line.startswith("data:")]
        client.close()
    kinds = [e["type"] for e in events]
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert "".join(e["delta"].get("text", "") for e in events
                   if e["type"] == "content_block_delta") == "#### 42"


@pytest.fixture
def logged_gw(fake: FakeProvider, tmp_path: Any) -> Iterator[tuple[Gateway, Any]]:
    """A gateway with its request log in `tmp_path` (started before `log_lines` collects)."""
    db = tmp_path / "log.db"
    config = issue_config(fake, log={"url": f"sqlite:///{db}", "flush_interval_s": 0.05})
    with run_gateway(config, TaskClassifier()) as gateway:
        yield gateway, db


def test_outcomes_escalation_and_cost_reach_metrics_log_line_and_row(logged_gw, fake, log_lines):
    gw, db = logged_gw
    answers(fake, haiku="#### 42", mini="#### 42")
    agreed = ask(gw)
    answers(fake, mini="#### 40", sonnet="#### 42")
    escalated = ask(gw)
    ask(gw, "[task:chat] hi")
    text = gw.http.get("/metrics").text
    assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
    assert metric(text, "tianji_verified_requests_total", outcome="agree", tier="small") == 1
    assert metric(text, "tianji_verified_requests_total", outcome="escalated",
                  tier="medium") == 1
    assert metric(text, "tianji_verified_requests_total", outcome="skipped:task") == 1
    other = paid(fake, "mini") + paid(fake, "haiku", nth=1)
    assert float(agreed.headers["x-tianji-cost-usd"]) + float(
        escalated.headers["x-tianji-cost-usd"]) == pytest.approx(
        paid(fake, "haiku", nth=0) + paid(fake, "sonnet") + other, rel=1e-6)
    assert metric(text, "tianji_verification_cost_usd_total") == pytest.approx(other, rel=1e-6)
    assert metric(text, "tianji_fallback_requests_total") == 0
    lines = [json.loads(x) for x in log_lines if '"event": "request"' in x]
    assert [line["verified"] for line in lines] == ["agree", "escalated", "skipped:task"]
    assert lines[1]["verification_cost_usd"] > 0 and lines[1]["tier"] == "medium"
    with sqlite3.connect(db) as conn:
        logged = conn.execute("SELECT verification, escalated, fallback, attempt_path, "
                              "verification_cost_usd FROM requests ORDER BY seq").fetchall()
    assert [(r[0], r[1], r[2]) for r in logged] == [
        ("agree", 0, 0), ("escalated", 1, 0), ("skipped:task", 0, 0)]
    assert sum(r[4] for r in logged) == pytest.approx(other, rel=1e-6)
    assert [a["action"] for a in json.loads(logged[1][3])] == ["compared", "compared", "served"]
