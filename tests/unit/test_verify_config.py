"""`verify:` on a tier (the verified cascade): the issue's shape loads as written, mistakes get
plain errors from `router check`, a cheapest tier with max_difficulty 1.0 takes every
request, and the classifier's Assessment names the checkable task."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from router.classify import load_classifier
from router.classify.base import Assessment
from router.config import ConfigError, parse_config
from router.costs import build_catalog
from router.policy import Route, decide, needs_of
from router.verify import checkable_task

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "verified.yaml"


def example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text())


def test_the_issue_config_loads_with_its_defaults():
    config = parse_config(example(), env={})
    small, medium, large = config.tiers
    assert small.max_difficulty == 1.0 and medium.max_difficulty is None
    assert small.verify is not None and small.verify.partners == ["mini"]
    assert medium.verify is not None and medium.verify.tasks == [
        "math", "multiple_choice", "code_output", "short_answer"]
    assert (medium.verify.streaming, medium.verify.unverified) == ("skip", "return")
    assert large.verify is None


@pytest.mark.parametrize(("edit", "message"), [
    (lambda c: c["tiers"][0]["verify"].update(partners=["mnii"]),
     "tiers.0.verify.partners: no deployment is named 'mnii' (did you mean 'mini'?)"),
    (lambda c: c["tiers"][0]["verify"].update(tasks=["maths"]),
     "tiers.0.verify.tasks.0: Input should be 'math', 'multiple_choice', 'code_output' or "
     "'short_answer'"),
    (lambda c: c["tiers"][0]["verify"].update(streaming="yes"),
     "tiers.0.verify.streaming: Input should be 'skip' or 'buffer'"),
    (lambda c: c["tiers"][2].update(verify={"partners": ["mini"]}),
     "tiers.2.verify: 'large' is the top tier, whose answer is final"),
    (lambda c: c["tiers"][1].update(max_difficulty=0.5),
     "tiers.1.max_difficulty: tier 'small' already takes every difficulty (1.0), so 'medium' "
     "is reached only by escalation; remove its max_difficulty"),
    (lambda c: c["tiers"][0].update(deployments=c["tiers"][0]["deployments"][1:]),
     "tiers.0.verify.partners: every deployment of tier 'small' is a partner"),
])
def test_mistakes_are_named_in_plain_words(edit, message):
    raw = copy.deepcopy(example())
    edit(raw)
    with pytest.raises(ConfigError) as err:
        parse_config(raw, env={})
    assert message in str(err.value)


def test_router_check_shows_verify_and_refuses_a_bad_partner(tmp_path):
    run = [sys.executable, "-m", "router.cli", "check", "--config"]
    ok = subprocess.run([*run, str(EXAMPLE)], capture_output=True, text=True, cwd=ROOT,
                        timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "verify: partners mini; tasks math, multiple_choice, code_output, short_answer; " \
           "streams skip; no partner answer: return" in ok.stdout
    assert "tier medium (aliases: sonnet): difficulty none (reached by escalation)" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("partners: [mini]  ", "partners: [gpt4]  "))
    refused = subprocess.run([*run, str(bad)], capture_output=True, text=True, cwd=ROOT,
                             timeout=120)
    assert refused.returncode == 2
    assert "tiers.0.verify.partners: no deployment is named 'gpt4'" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_max_difficulty_one_starts_every_request_at_the_cheapest_tier():
    config = parse_config(example(), env={"ANTHROPIC_API_KEY": "k", "OPENAI_API_KEY": "k"})
    body = {"messages": [{"role": "user", "content": "prove it"}]}
    unsure = Assessment(0.97, "proof", confidence=0.1)
    decision = decide(config, build_catalog(config), needs_of(body), unsure, Route())
    assert decision.tier == "small"
    assert [c.tier for c in decision.candidates] == ["small", "small", "medium", "large"]


@pytest.mark.parametrize(("prompt", "task"), [
    ("Natalia sold 48 clips in April and half as many in May. How many in total?", "math"),
    ("Find all real x such that $x^2 - 5x + 6 = 0$. Give the sum of the roots.", "math"),
    ("Which planet is largest?\nA. Mars\nB. Jupiter\nC. Venus\nD. Earth", "multiple_choice"),
    ("[PYTHON]\ndef f(x):\n    return x * 2\nassert f(3) == ??\n[/PYTHON]", "code_output"),
    ("What is the capital of France?", "short_answer"),
    ("Write a poem about the sea.", None),
    ("Write a Python function that merges two sorted lists.", None),
])
def test_the_learned_classifiers_output_names_the_checkable_task(prompt, task):
    assessment = load_classifier("learned").score(
        {"messages": [{"role": "user", "content": prompt}]})
    assert checkable_task(assessment) == task


def test_a_classifier_that_names_a_checkable_task_is_taken_at_its_word():
    assert checkable_task(Assessment(0.1, "multiple_choice")) == "multiple_choice"
    assert checkable_task(Assessment(0.1, "chat")) is None
