"""Config: the documented YAML shape loads, ${ENV} expands, errors name the key path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from router.config import (
    ConfigError,
    ResilienceConfig,
    ServerConfig,
    load_config,
    parse_config,
)
from router.providers import LITELLM_PROVIDERS

ROOT = Path(__file__).resolve().parents[2]


def tier(tier_name, max_difficulty=None, **dep):
    entry = {
        "name": tier_name,
        "deployments": [{"model": "openai/gpt-4o-mini", "api_key": "k", **dep}],
    }
    if max_difficulty is not None:
        entry["max_difficulty"] = max_difficulty
    return entry


@pytest.mark.parametrize("path", sorted((ROOT / "config").glob("*.yaml")))
def test_shipped_configs_are_valid_without_any_credentials(path):
    config = load_config(path, env={})
    assert [t.name for t in config.tiers][0] == "small"
    assert config.server.host == "127.0.0.1"


def test_issue_shape_loads_and_expands_env_with_defaults():
    raw = {
        "server": {"api_keys": ["${TIANJI_API_KEY:-}"]},
        "resilience": {"retries": 2, "backoff_initial_s": 0.2, "backoff_max_s": 5,
                       "request_timeout_s": 60, "cooldown_s": 30,
                       "failures_before_cooldown": 3, "escalate": True},
        "tiers": [
            {"name": "small", "aliases": ["haiku"], "max_difficulty": 0.33, "deployments": [
                {"model": "anthropic/claude-haiku-4-5", "api_key": "${ANTHROPIC_API_KEY}"},
                {"model": "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0",
                 "aws_region_name": "${AWS_REGION:-us-east-1}"}]},
            tier("large"),
        ],
    }
    config = parse_config(raw, env={"ANTHROPIC_API_KEY": "sk-ant-123"})
    small = config.tiers[0]
    assert config.server.api_keys == []  # empty default means no auth
    assert small.deployments[0].litellm_params == {"api_key": "sk-ant-123"}
    assert small.deployments[1].litellm_params == {"aws_region_name": "us-east-1"}
    assert small.deployments[0].name == "anthropic/claude-haiku-4-5"
    assert small.deployments[0].missing_env == ()


def test_unset_variables_are_recorded_per_deployment_not_fatal():
    raw = {"tiers": [tier("small", 0.5, api_key="${MY_KEY}"), tier("large", name="x")]}
    config = parse_config(raw, env={})
    assert config.tiers[0].deployments[0].missing_env == ("MY_KEY",)
    assert "api_key" not in config.tiers[0].deployments[0].litellm_params
    assert config.tiers[1].deployments[0].missing_env == ()


def test_provider_key_read_implicitly_from_the_environment_is_reported():
    raw = {"tiers": [{"name": "only", "deployments": [{"model": "anthropic/claude-haiku-4-5"}]}]}
    assert parse_config(raw, env={}).tiers[0].deployments[0].missing_env == ("ANTHROPIC_API_KEY",)
    set_ = parse_config(raw, env={"ANTHROPIC_API_KEY": "x"})
    assert set_.tiers[0].deployments[0].missing_env == ()


@pytest.mark.parametrize("raw, where", [
    ({"tiers": []}, "tiers: List should have at least 1 item"),
    ({"tiers": [tier("a")], "resilience": {"retries": -1}}, "resilience.retries"),
    ({"tiers": [tier("a")], "server": {"prot": 1}},
     "server.prot: unknown key (did you mean 'port'?)"),
    ({"tiers": [{"name": "a", "deployments": [{"api_key": "k"}]}]}, "tiers.0.deployments.0.model"),
    ({"tiers": [tier("a"), tier("b")]}, "tiers.0.max_difficulty: required"),
    ({"tiers": [tier("a", 0.6), tier("b", 0.5), tier("c")]}, "must increase"),
    ({"tiers": [tier("auto")]}, "'auto' is reserved"),
    ({"tiers": [{**tier("a", 0.5), "aliases": ["b"]}, tier("b")]}, "'b' is already used"),
    ({"tiers": [tier("a", 0.5, name="d"), tier("b", name="d")]}, "repeated: d"),
    ({"tiers": [tier("a", 1.5), tier("b")]}, "tiers.0.max_difficulty"),
])
def test_validation_errors_name_the_key_path(raw, where):
    with pytest.raises(ConfigError) as info:
        parse_config(raw, env={})
    assert where in str(info.value)


def test_load_config_reports_unreadable_and_invalid_yaml(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("tiers: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def _readme_reference() -> dict:
    """The YAML block of the README's "Configuration reference"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration reference", 1)[1]
    block = section.split("```yaml", 1)[1].split("```", 1)[0]
    return yaml.safe_load(block)


def test_the_shipped_time_limits_are_the_ones_the_readme_and_default_config_state():
    """The defaults that leave a stalled provider within seconds and never cut a healthy
    long answer (bench/load_faults.py times them); the README documents these values."""
    defaults = ResilienceConfig()
    assert (defaults.request_timeout_s, defaults.first_token_timeout_s,
            defaults.idle_timeout_s) == (60, 10, 10)
    assert defaults.stream_upstream is True
    assert defaults.attempt_timeout_s is None and defaults.stream_timeout_s is None
    documented = _readme_reference()["resilience"]
    assert set(documented) == set(ResilienceConfig.model_fields)
    assert ResilienceConfig(**documented) == defaults
    shipped = load_config(ROOT / "config" / "default.yaml", env={}).resilience
    assert shipped == defaults


def test_the_readme_documents_every_server_key_with_its_default():
    documented = _readme_reference()["server"]
    assert set(documented) == set(ServerConfig.model_fields)
    assert ServerConfig(**{**documented, "api_keys": []}) == ServerConfig()


def test_the_provider_list_is_litellms():
    import litellm

    assert {p.value for p in litellm.LlmProviders} == LITELLM_PROVIDERS


def dep(**keys):
    return {"tiers": [{"name": "a", "deployments": [
        {"model": "openai/gpt-4o-mini", "api_key": "k", **keys}]}]}


@pytest.mark.parametrize("raw, message", [
    (dep(api_bse="http://x"), "unknown key 'api_bse' (did you mean 'api_base'?)"),
    (dep(max_contex=8000), "unknown key 'max_contex' (did you mean 'max_context'?)"),
    (dep(suports=["tools"]), "unknown key 'suports' (did you mean 'supports'?)"),
    (dep(model="anthropc/claude-haiku-4-5"),
     "unknown provider prefix 'anthropc' (did you mean 'anthropic'?)"),
    ({**dep(), "server": {"api_keys": ["${TIANJI_KEY_UNSET}"]}},
     "server.api_keys.0: ${TIANJI_KEY_UNSET} is not set"),
    ({**dep(), "resilience": {"attempt_timeout_s": 90}},
     "attempt_timeout_s (90) is longer than request_timeout_s (60)"),
    ({**dep(), "resilience": {"backoff_initial_s": 6, "backoff_max_s": 5}},
     "backoff_initial_s (6) is larger than backoff_max_s (5)"),
    ({**dep(), "resilience": {"idle_timeout": 5}},
     "resilience.idle_timeout: unknown key (did you mean 'idle_timeout_s'?)"),
    (dep(model="anthropic/claude-haiku-4-5", responses_api=True),
     "responses_api: true needs an openai/ or azure/ deployment"),
])
def test_mistakes_are_config_errors_that_say_what_was_meant(raw, message):
    with pytest.raises(ConfigError) as info:
        parse_config(raw, env={})
    assert message in str(info.value)


def test_other_litellm_arguments_go_under_litellm_params_unchecked():
    raw = dep(api_base="http://127.0.0.1:9/v1",
              litellm_params={"input_cost_per_token": 1e-6, "api_version": "${API_VERSION}"})
    deployment = parse_config(raw, env={}).tiers[0].deployments[0]
    assert deployment.litellm_params == {"api_key": "k", "api_base": "http://127.0.0.1:9/v1",
                                         "input_cost_per_token": 1e-6}
    assert deployment.missing_env == ("API_VERSION",)  # checked for unset variables still
