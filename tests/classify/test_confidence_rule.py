"""The confidence rule: the cheapest tier only for requests the classifier is confident are easy."""

from __future__ import annotations

from router.classify.base import Assessment
from router.config import parse_config
from router.costs import build_catalog
from router.policy import MIN_CHEAP_CONFIDENCE, Route, decide, needs_of

BODY = {"messages": [{"role": "user", "content": "hello"}]}


def config(tiers=3):
    names = ["small", "medium", "large"][:tiers]
    return parse_config(
        {
            "tiers": [
                {
                    "name": name,
                    **({"max_difficulty": 0.3 * (i + 1)} if i < tiers - 1 else {}),
                    "deployments": [{"name": name, "model": f"openai/m-{name}", "api_key": "k"}],
                }
                for i, name in enumerate(names)
            ]
        },
        env={},
    )


def route(cfg, difficulty, confidence, **kw):
    assessment = Assessment(difficulty, "factual", confidence=confidence)
    return decide(cfg, build_catalog(cfg), needs_of(BODY), assessment, Route(**kw))


def test_an_easy_score_without_confidence_goes_one_tier_up():
    decision = route(config(), 0.1, MIN_CHEAP_CONFIDENCE - 0.01)
    assert decision.tier == "medium"
    assert (
        "confidence" in decision.reason and decision.explain()["confidence"] < MIN_CHEAP_CONFIDENCE
    )


def test_a_confident_easy_score_keeps_the_cheapest_tier():
    assert route(config(), 0.1, MIN_CHEAP_CONFIDENCE).tier == "small"


def test_the_rule_only_touches_the_cheapest_tier():
    assert route(config(), 0.5, 0.0).tier == "medium"
    assert route(config(), 0.9, 0.0).tier == "large"


def test_a_ceiling_still_bounds_it():
    assert route(config(), 0.1, 0.0, max_tier="small").tier == "small"


def test_a_single_tier_config_is_unaffected():
    assert route(config(tiers=1), 0.1, 0.0).tier == "small"


def test_the_shipped_classifier_is_not_confident_on_expert_or_unclear_requests(learned):
    cfg = config()
    for text in (
        "Quarterly figures, northern region, please",
        "Patient on tacrolimus started on a macrolide: adjust the dose?",
    ):
        body = {"messages": [{"role": "user", "content": text}]}
        assessment = learned.score(body)
        assert assessment.confidence < MIN_CHEAP_CONFIDENCE
        assert decide(cfg, build_catalog(cfg), needs_of(body), assessment, Route()).tier != "small"
