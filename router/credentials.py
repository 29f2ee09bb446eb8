"""Which credentials a deployment needs that this machine does not have.

Two sources: `${VAR}` references in the config that are unset (recorded by
`config.expand_env`), and the key a provider reads implicitly from the
environment when the deployment sets no `api_key` (e.g. `anthropic/...` reads
ANTHROPIC_API_KEY). Clouds with ambient credential chains (Bedrock, Vertex) are
not guessed at: reference their variables in the config to have them checked.
"""

from __future__ import annotations

from collections.abc import Mapping

# provider prefix -> the variable litellm reads when no api_key is configured
IMPLICIT_KEY_ENV: Mapping[str, str] = {
    "anthropic": "ANTHROPIC_API_KEY",
    "openai": "OPENAI_API_KEY",
    "azure": "AZURE_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "cohere": "COHERE_API_KEY",
}


def implicit_missing(
    provider: str, params: Mapping[str, object], env: Mapping[str, str]
) -> tuple[str, ...]:
    """The implicit key variable this deployment needs and lacks, if any."""
    if "api_key" in params or params.get("azure_ad_token"):
        return ()  # configured explicitly (an unset ${VAR} there is reported by name)
    var = IMPLICIT_KEY_ENV.get(provider)
    if var is None or env.get(var):
        return ()
    if provider == "openai" and params.get("api_base"):
        return ()  # a local OpenAI-compatible server usually needs no key
    return (var,)
