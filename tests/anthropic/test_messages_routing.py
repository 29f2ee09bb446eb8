"""How the Messages door routes: a Claude model id through the `anthropic.models` rules (a
pinned tier, a ceiling, the lower of the rule's and the header's ceiling, a floor), the 404
of a model no rule matches, and a conversation with thinking blocks kept on Claude wires
(the request log's route naming the deployments left out and why)."""

from __future__ import annotations

import json

import anthropic
import pytest

from router.fakeprovider.wire_anthropic import signature
from tests.conftest import deployment, make_config, run_gateway
from tests.ops.conftest import rows

HI = [{"role": "user", "content": "[hard] hi"}]
RULES = [{"match": "claude-*opus*", "max_tier": "sonnet"}, {"match": "pinned-*", "tier": "haiku"},
         {"match": "claude-*"}]


@pytest.fixture(scope="module")
def gw(fake):
    config = make_config([[deployment(fake, f"t{i}", "anthropic")] for i in range(3)],
                         anthropic={"models": RULES})
    with run_gateway(config) as gateway:
        yield gateway


def tier_of(gw, model: str, text: str = "[hard] hi", **headers: str) -> str:
    response = gw.http.post("/v1/messages", headers={"anthropic-version": "2023-06-01",
                                                     **headers},
                            json={"model": model, "max_tokens": 8,
                                  "messages": [{"role": "user", "content": text}]})
    assert response.status_code == 200, response.text
    return response.headers["x-tianji-tier"]


@pytest.mark.parametrize(("model", "text", "headers", "tier"), [
    ("claude-opus-4", "[hard] x", {}, "medium"),  # the rule's ceiling
    ("claude-opus-4", "[hard] x", {"x-tianji-max-tier": "small"}, "small"),  # the header's
    ("claude-opus-4", "[hard] x", {"x-tianji-max-tier": "large"}, "medium"),  # the rule's
    ("claude-opus-4", "[hard] x", {"x-tianji-max-tier": "sonnet"}, "medium"),  # the same
    ("claude-opus-4", "[easy] x", {"x-tianji-min-tier": "medium"}, "medium"),  # a floor
    ("pinned-model", "[hard] x", {}, "small"),  # a pinned tier
    ("claude-haiku-4", "[hard] x", {}, "large"),  # no ceiling
    ("claude-haiku-4", "[hard] x", {"x-tianji-max-tier": "medium"}, "medium"),
    ("claude-haiku-4", "[easy] x", {"x-tianji-min-tier": "large"}, "large"),
    ("medium", "[hard] x", {}, "medium"),  # a tier's name
    ("auto", "[hard] x", {"x-tianji-max-tier": "haiku"}, "small"),
])
def test_the_model_rules_and_the_tier_headers(gw, model, text, headers, tier):
    assert tier_of(gw, model, text, **headers) == tier


def test_an_unknown_ceiling_header_under_a_rule_is_the_policys_400(gw):
    response = gw.http.post("/v1/messages", headers={
        "anthropic-version": "2023-06-01", "x-tianji-max-tier": "xl"},
        json={"model": "claude-opus-4", "max_tokens": 8, "messages": HI})
    assert response.status_code == 400
    assert "xl" in response.json()["error"]["message"]


def test_a_model_no_rule_matches_is_a_404_naming_the_models_and_rules(gw, claude):
    with pytest.raises(anthropic.NotFoundError) as err:
        claude(gw).messages.create(model="gpt-4o", max_tokens=8, messages=HI)
    assert err.value.body["error"] == {"type": "not_found_error", "message": (
        "The model 'gpt-4o' does not exist. Available models: auto, small, haiku, medium, "
        "sonnet, large, opus, claude-*opus*, pinned-*, claude-*.")}


def test_the_default_rules_drop_a_ceiling_this_config_has_no_tier_for(fake):
    config = make_config([[deployment(fake, "only", "anthropic")]])
    with run_gateway(config) as gateway:
        assert tier_of(gateway, "claude-opus-4") == "small"


THINKING = [{"role": "user", "content": "q"}, {"role": "assistant", "content": [
    {"type": "thinking", "thinking": "hmm", "signature": signature("ant")},
    {"type": "text", "text": "a"}]}, {"role": "user", "content": "more"}]
REDACTED = [{"role": "user", "content": "q"}, {"role": "assistant", "content": [
    {"type": "redacted_thinking", "data": "opaque"}, {"type": "text", "text": "a"}]},
    {"role": "user", "content": "more"}]


@pytest.mark.parametrize("history", [THINKING, REDACTED], ids=["thinking", "redacted"])
def test_thinking_history_leaves_other_wires_out_and_the_log_says_why(fake, tmp_path, history):
    url = f"sqlite:///{tmp_path / 'log.db'}"
    config = make_config([[deployment(fake, "oai"), deployment(fake, "ant", "anthropic"),
                           deployment(fake, "big", "anthropic", max_context=100_000)],
                          [deployment(fake, "tiny", max_context=10)]], log={"url": url})
    with run_gateway(config) as gateway:
        raw = anthropic.Anthropic(base_url=gateway.url, api_key="none", max_retries=0)
        response = raw.messages.with_raw_response.create(
            model="auto", max_tokens=64, messages=history,
            extra_headers={"x-tianji-min-tier": "small"})
        assert gateway.app.state.gateway.request_log.writer.flush(timeout=15)
    assert response.headers["x-tianji-provider"] == "ant"
    assert fake.calls("oai") == []
    (row,) = rows(url)
    route = json.loads(row["route"])
    assert [c["deployment"] for c in route["candidates"]] == ["ant", "big"]
    assert route["excluded"] == {  # the policy's own exclusion kept
        "tiny": "context window 10 < 77 tokens (prompt ~13 + max output 64)",
        "oai": "cannot carry thinking blocks (not a Claude wire)"}


def test_thinking_history_with_no_claude_wire_is_a_400_saying_so(fake, claude):
    with run_gateway(make_config([[deployment(fake, "oai")]])) as gateway, pytest.raises(
            anthropic.BadRequestError) as err:
        claude(gateway).messages.create(model="auto", max_tokens=64, messages=REDACTED)
    assert err.value.body["error"]["message"] == (
        "The conversation carries thinking blocks, which only Claude deployments (anthropic/, "
        "bedrock/, vertex_ai/) keep, and none can take it.")
