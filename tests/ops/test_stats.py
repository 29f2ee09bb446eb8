"""`router stats` over a log written by real traffic through the gateway, both back ends."""

from __future__ import annotations

import json
import subprocess
import sys

import openai
import pytest

from router.fakeprovider import Fault, FaultKind
from router.ops.stats import parse_since, percentile
from tests.conftest import deployment, make_config, run_gateway


def _traffic(fake, log_url: str) -> None:
    """6 small answers (one after a fallback), 2 from the top tier, 1 error."""
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    small_b = deployment(fake, "s2", "anthropic", price={"input": 1.0, "output": 5.0})
    large = deployment(fake, "l1", price={"input": 15.0, "output": 75.0})
    config = make_config([[small, small_b], [large]], log={"url": log_url})
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=503, times=2))
    with run_gateway(config) as gw:
        for text in ["[easy] a"] * 6 + ["[hard] b"] * 2:
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": text}])
        fake.set_fault("l1", Fault(FaultKind.HTTP_ERROR, status=400))
        with pytest.raises(openai.BadRequestError):
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": "[hard] c"}])
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)


def stats(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "router.cli", "stats", *args],
                          capture_output=True, text=True, timeout=120)


def test_stats_reports_spend_savings_mix_and_rates_from_the_log(fake, log_url, tmp_path):
    _traffic(fake, log_url)
    result = stats("--log", log_url, "--json", "--by", "tier")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    s = report["summary"]
    assert (s["requests"], s["answered"]) == (9, 8)
    assert s["error_rate"] == pytest.approx(1 / 9)
    assert s["errors_by_status"] == {"400": 1}
    assert s["tier_mix"] == {"small": pytest.approx(6 / 8), "medium": pytest.approx(2 / 8)}
    assert list(s["tier_mix"]) == ["small", "medium"]  # cheapest first
    assert s["fallback_rate"] == pytest.approx(1 / 8)
    assert s["escalation_rate"] == 0
    # Small answers cost 1/15 of the top tier's price; top-tier answers save nothing.
    assert 0 < s["spend_usd"] < s["baseline_usd"]
    assert s["savings_usd"] == pytest.approx(s["baseline_usd"] - s["spend_usd"])
    assert s["latency_ms"]["p50"] <= s["latency_ms"]["p99"]
    groups = {g["group"]: g for g in report["groups"]}
    assert groups["small"]["requests"] == 6 and groups["medium"]["requests"] == 3
    assert groups["medium"]["savings_usd"] == pytest.approx(0, abs=1e-12)
    assert sum(p["requests"] for p in report["series"]["points"]) == 9

    text = stats("--log", log_url, "--by", "deployment", "--plot", str(tmp_path / "s.png"))
    assert text.returncode == 0, text.stderr
    assert "requests: 9 (answered 8, errors 11.1%)" in text.stdout
    assert "tier mix: small 75.0%  medium 25.0%" in text.stdout
    table = text.stdout.split("\n\n")[1].splitlines()
    assert [line.split()[0] for line in table[:5]] == ["deployment", "-", "l1", "s1", "s2"]
    # s1 failed the first request over to s2, then answered the other five.
    assert [line.split()[1] for line in table[1:5]] == ["1", "2", "5", "1"]
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    later = stats("--log", log_url, "--since", "2999-01-01")
    assert later.returncode == 0 and "no requests in this window" in later.stdout


def test_refused_requests_are_a_refused_tier_in_stats(fake, tmp_path):
    log_url = f"sqlite:///{tmp_path / 'log.db'}"
    config = make_config([[deployment(fake, "s1")]], log={"url": log_url})
    with run_gateway(config) as gw:
        gw.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "[easy] a"}])
        for model in ("gpt-5", "o3"):
            with pytest.raises(openai.NotFoundError):
                gw.client.chat.completions.create(
                    model=model, messages=[{"role": "user", "content": "[easy] a"}])
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
    report = json.loads(stats("--log", log_url, "--json", "--by", "tier").stdout)
    groups = {g["group"]: g for g in report["groups"]}
    assert set(groups) == {"refused", "small"}
    assert groups["refused"]["requests"] == 2 and groups["refused"]["answered"] == 0
    assert groups["refused"]["errors_by_status"] == {"404": 2}
    table = stats("--log", log_url, "--by", "tier").stdout.split("\n\n")[1].splitlines()
    assert [line.split()[0] for line in table] == ["tier", "refused", "small"]


def test_stats_errors_are_clear(tmp_path):
    missing = stats("--log", str(tmp_path / "none.db"))
    assert missing.returncode == 1 and "no request log at" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    bad = stats("--log", str(tmp_path / "none.db"), "--since", "yesterday")
    assert bad.returncode == 2 and "expected 30m, 24h, 7d or an ISO date" in bad.stderr
    assert "Traceback" not in missing.stderr + bad.stderr


def test_since_and_percentiles():
    assert parse_since("2h", now=10_000.0) == 10_000.0 - 7200
    assert parse_since("2026-12-01") == 1796083200.0
    assert percentile([5, 1, 4, 2, 3], 50) == 3 and percentile([5, 1, 4, 2, 3], 99) == 5
    assert percentile([], 50) is None
