"""`router calibrate --from-log`: thresholds from logged shadow verdicts reach their target
on held-out logged traffic."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from router.classify.base import Assessment, ChatRequest
from tests.conftest import deployment, make_config, run_gateway
from tests.ops.conftest import rows
from tests.ops.judge import FakeJudge
from tests.ops.test_shadow import _ask

CHEAP_GOOD_UP_TO = 0.6  # the judge prefers the top tier's answer above this difficulty


class MarkedDifficulty:
    """A real Classifier for this test: the difficulty is written in the prompt ([d=0.42])."""

    name = "marked"

    def score(self, request: ChatRequest) -> Assessment:
        text = str(request["messages"][-1]["content"])
        return Assessment(float(re.search(r"\[d=([0-9.]+)\]", text).group(1)), "test", {})


def _log_traffic(fake, url: str, difficulties: list[float]) -> None:
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    large = deployment(fake, "l1", price={"input": 15.0, "output": 75.0})
    with FakeJudge(cheap_marker="Hello from s1") as judge:
        for i, d in enumerate(difficulties):
            if d > CHEAP_GOOD_UP_TO:
                judge.prefer[f"q{i}"] = "top"
        config = make_config([[small], [large, judge.deployment()]], log={"url": url},
                             shadow={"rate": 1.0, "judge": "judge", "max_daily_usd": 100})
        # Everything goes to the small tier first, so that every request is judged.
        tiers = [config.tiers[0].model_copy(update={"max_difficulty": 0.999}), config.tiers[1]]
        config = config.model_copy(update={"tiers": tiers})
        with run_gateway(config, MarkedDifficulty()) as gw:
            for i, d in enumerate(difficulties):
                _ask(gw, f"[d={d:.4f}] q{i}")


def _true_quality(difficulties: list[float], threshold: float) -> float:
    """On the held-out requests: the top tier is the reference; the small tier's answer is
    as good exactly up to CHEAP_GOOD_UP_TO."""
    good = [d > threshold or d <= CHEAP_GOOD_UP_TO for d in difficulties]
    return sum(good) / len(good)


def test_thresholds_from_the_log_reach_the_target_on_held_out_requests(fake, tmp_path):
    fit = [(i + 0.5) / 40 for i in range(40)]
    held_out = [(i + 0.25) / 40 for i in range(40)]
    fit_log, held_log = str(tmp_path / "fit.db"), str(tmp_path / "held.db")
    _log_traffic(fake, fit_log, fit)
    _log_traffic(fake, held_log, held_out)
    assert len(rows(fit_log, "shadow")) == 40
    config = tmp_path / "tianji.yaml"
    config.write_text("tiers:\n  - name: small\n    max_difficulty: 0.95  # cheap tier\n"
                      "    deployments: [{model: openai/x}]\n"
                      "  - name: large\n    deployments: [{model: openai/y}]\n")
    result = subprocess.run(
        [sys.executable, "-m", "router.cli", "calibrate", "--config", str(config),
         "--from-log", fit_log, "--target-quality", "0.9"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    threshold = yaml.safe_load(config.read_text())["tiers"][0]["max_difficulty"]
    assert "# cheap tier" in config.read_text()  # only the number changed
    assert "expected quality 0." in result.stderr and "(95% " in result.stderr
    assert "judged: small 40" in result.stderr
    assert _true_quality(held_out, threshold) >= 0.9 - 0.025  # one held-out request of slack
    assert threshold > CHEAP_GOOD_UP_TO  # and it did not simply send everything up
    # A cost target picks the best quality under the cap.
    capped = subprocess.run(
        [sys.executable, "-m", "router.cli", "calibrate", "--config", str(config),
         "--from-log", held_log, "--max-cost-share", "0.5", "--print"],
        capture_output=True, text=True, timeout=120)
    assert capped.returncode == 0, capped.stderr
    share = float(re.search(r"cost ([0-9.]+)% of the top tier's", capped.stderr).group(1))
    assert share <= 50.0


@pytest.mark.parametrize(("args", "message"), [
    (["--target-quality", "0.9"], "no request log at"),
    (["--current"], "--from-log goes with --target-quality or --max-cost-share"),
])
def test_calibrate_from_log_errors_are_clear(tmp_path, args, message):
    config = tmp_path / "tianji.yaml"
    config.write_text("tiers:\n  - name: small\n    max_difficulty: 0.5\n"
                      "    deployments: [{model: openai/x}]\n"
                      "  - name: large\n    deployments: [{model: openai/y}]\n")
    result = subprocess.run(
        [sys.executable, "-m", "router.cli", "calibrate", "--config", str(config),
         "--from-log", str(tmp_path / "none.db"), *args],
        capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr
