"""Which deployments /v1/responses calls on their own Responses API (the rest take litellm's
bridge to chat completions): router/upstream_responses.py `native`."""

from __future__ import annotations

import pytest

from router.config import Deployment
from router.upstream_responses import native


@pytest.mark.parametrize(("entry", "expected"), [
    ({"model": "openai/gpt-5-mini"}, True),
    ({"model": "openai/gpt-5-mini", "api_base": "https://api.openai.com/v1"}, True),
    ({"model": "openai/llama-3", "api_base": "http://vllm.internal:8000/v1"}, False),
    ({"model": "openai/llama-3", "api_base": "http://proxy.internal/v1", "responses_api": True},
     True),
    ({"model": "openai/gpt-5-mini", "responses_api": False}, False),
    ({"model": "azure/my-gpt-5", "api_base": "https://x.openai.azure.com"}, True),
    ({"model": "azure/my-gpt-5", "responses_api": False}, False),
    ({"model": "anthropic/claude-haiku-4-5"}, False),
    ({"model": "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0"}, False),
], ids=["openai", "openai-api-base", "openai-compatible", "opted-in", "opted-out", "azure",
        "azure-opted-out", "anthropic", "bedrock"])
def test_which_deployments_have_their_own_responses_api(entry, expected):
    assert native(Deployment(**entry)) is expected
