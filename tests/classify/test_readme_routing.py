"""Every routing example in the README routes as the README says (default config, shipped weights).

The examples are read from the README's table whose header is `| request | task | domain | tier |`,
so the README and this test cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from router.classify.base import prompt_request
from router.config import load_config
from router.costs import build_catalog
from router.policy import Route, decide, needs_of

REPO = Path(__file__).resolve().parents[2]
HEADER = "| request | task | domain | tier |"
_ROW = re.compile(
    r"^\|\s*`(?P<request>[^`]+)`\s*\|\s*(?P<task>\w+)\s*\|\s*(?P<domain>\w+)\s*\|\s*(?P<tier>\w+)\s*\|"
)


def readme_examples() -> list[tuple[str, str, str, str]]:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER)
    rows = []
    for line in lines[start + 2 :]:
        m = _ROW.match(line)
        if not m:
            break
        rows.append((m["request"], m["task"], m["domain"], m["tier"]))
    return rows


def test_the_readme_has_examples_of_every_tier():
    assert {tier for *_, tier in readme_examples()} == {"small", "medium", "large"}


@pytest.mark.parametrize("request_text, task, domain, tier", readme_examples())
def test_readme_example_routes_as_documented(learned, request_text, task, domain, tier):
    config = load_config(REPO / "config" / "default.yaml", env={})
    body = prompt_request(request_text)
    assessment = learned.score(body)
    decision = decide(config, build_catalog(config), needs_of(body), assessment, Route())
    assert (assessment.task, assessment.domain, decision.tier) == (task, domain, tier)
