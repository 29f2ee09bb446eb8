"""Shadow checks: the top tier answers a share of cheap requests in the background, a judge
compares both answers in both orders, and `router stats --quality` estimates the win rate."""

from __future__ import annotations

import json

import anthropic
import pytest

from router.config import ConfigError
from router.ops.db import open_database
from router.ops.shadow import DailyBudget, combine, parse_pick
from tests.conftest import deployment, make_config, run_gateway
from tests.gateway.test_metrics import metric
from tests.ops.conftest import count, rows
from tests.ops.judge import FakeJudge
from tests.ops.test_stats import stats
from tests.waiting import wait_for


@pytest.fixture
def judge():
    with FakeJudge(cheap_marker="Hello from s1") as fake_judge:
        yield fake_judge


def _config(fake, judge, url: str, **shadow):
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    large = deployment(fake, "l1", price={"input": 15.0, "output": 75.0})
    return make_config([[small], [large, judge.deployment()]], log={"url": url},
                       shadow={"rate": 1.0, "judge": "judge", **shadow})


def _ask(gw, text: str) -> None:
    """Ask, then wait for the check this started (at most 4 run at once; more are skipped)."""
    gw.client.chat.completions.create(model="auto", messages=[{"role": "user", "content": text}])
    wait_for(lambda: not gw.app.state.gateway.request_log.shadow._tasks,
             "the shadow checks to finish")


def test_quality_estimate_recovers_the_cheap_tier_win_rate(fake, judge, log_url):
    # 20 cheap answers: the judge prefers the top tier's on 6, calls 2 a tie, the rest cheap.
    for i in range(6):
        judge.prefer[f"q{i}"] = "top"
    judge.prefer.update({"q6": "tie", "q7": "tie"})
    with run_gateway(_config(fake, judge, log_url)) as gw:
        for i in range(20):
            _ask(gw, f"[easy] question q{i}")
        _ask(gw, "[hard] the top tier answers this one itself: no check")
        db = open_database(log_url)
        wait_for(lambda: count(db, "shadow") >= 20, "20 shadow rows")
        text = gw.http.get("/metrics").text
    verdicts = rows(log_url, "shadow")
    assert len(verdicts) == 20 and {v["tier"] for v in verdicts} == {"small"}
    assert sorted(v["verdict"] for v in verdicts) == (
        ["cheap_better"] * 12 + ["tie"] * 2 + ["top_better"] * 6)
    # Both orders were asked: a preference for the top answer is B then A.
    assert {(v["first"], v["second"]) for v in verdicts if v["verdict"] == "top_better"} == {
        ("B", "A")}
    assert judge.calls == 40
    assert metric(text, "tianji_shadow_checks_total", outcome="judged") == 20
    assert len(fake.calls("l1")) == 21  # 20 shadow answers and the hard request
    result = stats("--log", log_url, "--quality", "--json")
    assert result.returncode == 0, result.stderr
    (small,) = json.loads(result.stdout)["quality"]
    assert (small["task"], small["tier"], small["checks"]) == ("test", "small", 20)
    assert small["as_good_rate"] == pytest.approx(0.7)
    low, high = small["as_good_interval"]
    assert 0.4 < low < 0.7 < high < 0.9
    text_report = stats("--log", log_url, "--quality")
    assert "test                 small          20    70.0%" in text_report.stdout


def test_shadow_spend_stays_under_the_daily_cap(fake, judge, tmp_path):
    url = str(tmp_path / "log.db")
    # A check first reserves ~$0.0194 for the top tier's answer (up to 256 tokens at $75 per
    # 1M) and spends ~$0.0007 on it, then the judge's share: a handful of checks fit.
    cap = 0.021
    with run_gateway(_config(fake, judge, url, max_daily_usd=cap)) as gw:
        for i in range(12):
            _ask(gw, f"[easy] q{i}")
        text = gw.http.get("/metrics").text
    verdicts = rows(url, "shadow")
    assert 1 <= len(verdicts) < 12
    spent = metric(text, "tianji_shadow_cost_usd_total")  # stopped checks' top answers too
    assert sum(v["cost_usd"] for v in verdicts) <= spent <= cap
    assert metric(text, "tianji_shadow_checks_total", outcome="over_budget") == 12 - len(verdicts)


def test_the_client_does_not_wait_for_the_shadow_check(fake, judge, tmp_path):
    url = str(tmp_path / "log.db")
    fake.configure("l1", latency=3)  # the top tier is slow; the client never sees it
    with run_gateway(_config(fake, judge, url)) as gw:
        reply = gw.client.chat.completions.with_raw_response.create(  # not _ask: no waiting
            model="auto", messages=[{"role": "user", "content": "[easy] q1"}])
        assert reply.headers["x-tianji-tier"] == "small"
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)  # tables exist
        db = open_database(url)
        assert count(db, "shadow") == 0  # answered before the top tier had said anything
        wait_for(lambda: count(db, "shadow") == 1, "the shadow row")


def test_a_checks_cost_prices_the_top_tiers_cache_writes_at_their_price(fake, judge, tmp_path):
    """The top tier (Anthropic, whose usage counts cache tokens apart) writes the marked
    prompt to its cache: the check's cost is what that usage costs at the deployment's
    prices, cache writes at the cache-write price (router/costs.py `Tokens.of`)."""
    url = str(tmp_path / "log.db")
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    prices = {"input": 15.0, "output": 75.0, "cache_write": 30.0, "cache_read": 1.5}
    large = deployment(fake, "l1", "anthropic", price=prices)
    free_judge = {**judge.deployment(), "price": {"input": 0.0, "output": 0.0}}
    config = make_config([[small], [large, free_judge]], log={"url": url},
                         shadow={"rate": 1.0, "judge": "judge"})
    marked = [{"type": "text", "text": "[easy] q1 " + "context " * 300,
               "cache_control": {"type": "ephemeral"}}]
    with run_gateway(config) as gw:
        gw.client.chat.completions.create(model="auto",
                                          messages=[{"role": "user", "content": marked}])
        wait_for(lambda: count(open_database(url), "shadow") == 1, "the shadow row")
    (top,) = fake.calls("l1")
    usage = top.usage
    assert usage["cache_creation_input_tokens"] > 0
    expected = (usage["input_tokens"] * 15.0 + usage["cache_creation_input_tokens"] * 30.0
                + usage["output_tokens"] * 75.0) / 1e6
    (verdict,) = rows(url, "shadow")
    assert verdict["cost_usd"] == pytest.approx(expected)


_BLOCKS = [{"type": "text", "text": "Answer in French."},
           {"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]
_PARTS = [{"type": "text", "text": "Answer in French."}, {"type": "text", "text": "Be brief."}]


@pytest.mark.parametrize(("system", "sent", "stream"), [
    ("Answer in French.", "Answer in French.", False),
    (_BLOCKS, _PARTS, False),
    (_BLOCKS, _PARTS, True),
], ids=["string", "text-blocks", "text-blocks-streamed"])
def test_a_messages_requests_system_prompt_reaches_the_top_tiers_shadow_answer(
        fake, judge, tmp_path, system, sent, stream):
    """A /v1/messages request drawn for a check: the top tier answers the same conversation,
    its system prompt included, sent as the OpenAI-format system message (text blocks as
    text parts); the judge reads it, and the cheap answer (streamed or not) as it was."""
    url = str(tmp_path / "log.db")
    request = {"model": "auto", "max_tokens": 64, "system": system, "messages": [
        {"role": "user", "content": "[easy] q1"},
        {"role": "assistant", "content": "Bonjour."},
        {"role": "user", "content": [{"type": "text", "text": "q2 again"}]}]}
    with run_gateway(_config(fake, judge, url)) as gw:
        client = anthropic.Anthropic(base_url=gw.url, api_key="none", max_retries=0, timeout=30)
        try:
            if stream:
                with client.messages.stream(**request) as events:
                    assert "Hello from s1" in events.get_final_text()
                    tier = events.response.headers["x-tianji-tier"]
            else:
                tier = client.messages.with_raw_response.create(**request).headers[
                    "x-tianji-tier"]
        finally:
            client.close()
        assert tier == "small"
        wait_for(lambda: count(open_database(url), "shadow") == 1, "the shadow row")
    (top,) = fake.calls("l1")
    assert top.body["messages"] == [
        {"role": "system", "content": sent},
        {"role": "user", "content": "[easy] q1"},
        {"role": "assistant", "content": "Bonjour."},
        {"role": "user", "content": [{"type": "text", "text": "q2 again"}]}]
    assert "system: Answer in French." in judge.requests[0]
    (verdict,) = rows(url, "shadow")
    assert verdict["verdict"] == "cheap_better"  # the judge told the cheap answer apart


def test_shadow_config_is_validated(fake):
    small = deployment(fake, "s1")
    with pytest.raises(ConfigError, match="shadow.judge: no deployment is named 'nobody'"):
        make_config([[small]], shadow={"rate": 0.1, "judge": "nobody"})
    with pytest.raises(ConfigError, match="shadow: judge: required when rate > 0"):
        make_config([[small]], shadow={"rate": 0.1})


def test_verdicts_cancel_position_bias_and_the_budget_rolls_over_by_day():
    assert combine("A", "B") == "cheap_better"  # cheap picked in both positions
    assert combine("B", "A") == "top_better"
    assert combine("A", "A") == "tie"  # always the first answer: position bias, no signal
    assert combine("T", "T") == "tie"
    assert [parse_pick(t) for t in ("A", " b.", "**T**", "Neither")] == ["A", "B", "T", None]
    now = [86400.0 * 10 + 3600]
    budget = DailyBudget(1.0, clock=lambda: now[0])
    assert budget.reserve(0.6) and not budget.reserve(0.6)
    budget.settle(0.6, 0.5)
    assert budget.reserve(0.5) and not budget.reserve(0.01)
    now[0] += 86400
    budget.settle(0.5, 0.4)  # settled after midnight: the new day's spend
    assert budget.reserve(0.6) and not budget.reserve(0.01)
