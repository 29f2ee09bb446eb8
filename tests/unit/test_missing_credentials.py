"""Which keys a deployment lacks: what `router check` and the start-up log name as MISSING.

A deployment without an `api_key` relies on the variable its provider reads from the
environment (ANTHROPIC_API_KEY for `anthropic/...`); an Azure AD token is a credential too;
an OpenAI-compatible local server (`openai/...` with an `api_base`) usually needs none.
"""

from __future__ import annotations

import pytest

from router.config import parse_config


def missing(deployment: dict, env: dict[str, str] | None = None) -> tuple[str, ...]:
    raw = {"tiers": [{"name": "small", "deployments": [deployment]}]}
    return parse_config(raw, env=env or {}).tiers[0].deployments[0].missing_env


@pytest.mark.parametrize(
    ("model", "variable"),
    [("anthropic/claude-haiku-4-5", "ANTHROPIC_API_KEY"), ("openai/gpt-4o-mini", "OPENAI_API_KEY"),
     ("azure/gpt-4o", "AZURE_API_KEY"), ("mistral/mistral-small", "MISTRAL_API_KEY")],
)
def test_a_deployment_without_a_key_lacks_the_variable_its_provider_reads(model, variable):
    assert missing({"model": model}) == (variable,)
    assert missing({"model": model}, env={variable: "set"}) == ()


def test_an_explicit_api_key_or_an_azure_ad_token_is_enough():
    assert missing({"model": "anthropic/claude-haiku-4-5", "api_key": "k"}) == ()
    assert missing({"model": "azure/gpt-4o", "azure_ad_token": "eyJ0eXAi.token"}) == ()


def test_an_unset_variable_in_the_config_is_named_instead_of_the_implicit_one():
    assert missing({"model": "azure/gpt-4o", "api_key": "${MY_AZURE_KEY}"}) == ("MY_AZURE_KEY",)


def test_a_local_openai_compatible_server_needs_no_key():
    assert missing({"model": "openai/llama-3", "api_base": "http://127.0.0.1:8000/v1"}) == ()


def test_another_provider_behind_a_custom_api_base_still_needs_its_key():
    deployment = {"model": "mistral/mistral-small", "api_base": "https://eu.mistral.example/v1"}
    assert missing(deployment) == ("MISTRAL_API_KEY",)
