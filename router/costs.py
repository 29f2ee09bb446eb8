"""Prices, context windows and capabilities of each deployment, and what a call cost.

The one place that owns prices. A deployment's `price`, `max_context` and
`supports` in the config win; otherwise litellm's model table is read, under the names
litellm's `get_model_info` tries (a model it does not list is assumed to take text only).
The table is read as the JSON file litellm ships, not through `import litellm`, so
that `router route` and `router check` stay fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from router.config import Config, Deployment

_TABLE_FILE = "model_prices_and_context_window_backup.json"
# Anthropic's prompt-cache multipliers of the input price, used when neither `price:` nor
# litellm's table gives a cache price: a read costs 0.1x, a 5-minute write 1.25x.
CACHE_READ_MULTIPLIER = 0.1
CACHE_WRITE_MULTIPLIER = 1.25


@dataclass(frozen=True)
class Tokens:
    """A call's token counts. `input` excludes the cached part: `cache_read` tokens were
    read from the prompt cache, `cache_write` tokens written to it."""

    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0

    @property
    def prompt(self) -> int:
        return self.input + self.cache_read + self.cache_write

    @classmethod
    def of(cls, usage: Mapping[str, Any]) -> Tokens:
        """From an Anthropic usage (input_tokens, cache_*_input_tokens, output_tokens) or an
        OpenAI one (prompt_tokens with prompt_tokens_details.cached_tokens, and litellm's
        cache_creation_input_tokens)."""
        def n(key: str, source: Mapping[str, Any] = usage) -> int:
            value = source.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else 0

        read, write = n("cache_read_input_tokens"), n("cache_creation_input_tokens")
        if "input_tokens" in usage or "output_tokens" in usage:
            return cls(n("input_tokens"), n("output_tokens"), read, write)
        details = usage.get("prompt_tokens_details")
        cached = n("cached_tokens", details) if isinstance(details, Mapping) else 0
        read = max(read, cached)
        return cls(max(0, n("prompt_tokens") - read - write), n("completion_tokens"), read, write)


@dataclass(frozen=True)
class ModelInfo:
    """What Tianji knows about one deployment's model. Prices are USD per token."""

    input_cost: float | None
    output_cost: float | None
    max_context: int | None
    supports: frozenset[str]
    cache_read_cost: float | None = None
    cache_write_cost: float | None = None
    # Neither `supports:` nor litellm's table says what the model can do: text only.
    assumed_text_only: bool = False
    # The request parameters it honours (router/params.py); None when not looked up (the
    # light commands), and then not checked.
    params: frozenset[str] | None = None

    @property
    def priced(self) -> bool:
        return self.input_cost is not None and self.output_cost is not None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for one call; 0.0 when the price is unknown (reported as such by `check`)."""
        if not self.priced:
            return 0.0
        assert self.input_cost is not None and self.output_cost is not None
        return prompt_tokens * self.input_cost + completion_tokens * self.output_cost

    def cost_of(self, tokens: Tokens) -> float:
        """USD for one call with its cache reads and writes at their prices."""
        if not self.priced:
            return 0.0
        assert self.input_cost is not None
        read = self.cache_read_cost
        write = self.cache_write_cost
        return (
            self.cost(tokens.input, tokens.output)
            + tokens.cache_read * (read if read is not None else self.input_cost)
            + tokens.cache_write * (write if write is not None else self.input_cost)
        )


@lru_cache(maxsize=1)
def litellm_table() -> Mapping[str, Mapping[str, Any]]:
    """litellm's bundled model table, or {} if litellm is not installed."""
    spec = find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / _TABLE_FILE
    try:
        data: dict[str, Mapping[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    data.pop("sample_spec", None)
    return data


# litellm's Bedrock route prefixes (`strip_bedrock_routing_prefix`), stripped in this order.
_BEDROCK_ROUTES = ("bedrock/", "chat_completions/", "converse/", "invoke/", "openai/", "mantle/",
                   "nova-2/", "nova/")
# The geo segment of a cross-region inference profile id (us.anthropic.claude-...).
_CROSS_REGION = ("global", "us", "eu", "apac", "jp", "au", "us-gov")
# An AWS region as the first path segment (bedrock/us-east-1/anthropic.claude-...).
_AWS_REGION = re.compile(r"[a-z]{2}(?:-gov)?-[a-z]+-\d+")
# Providers that may take another provider's table entry (litellm's `_check_provider_match`).
_SHARED_PROVIDERS = {"azure_ai": ("azure", "openai")}
_ANY_PROVIDER = ("litellm_proxy", "github", "nadir")


def _strip_bedrock_routes(model: str) -> str:
    for prefix in _BEDROCK_ROUTES:
        if model.startswith(prefix):
            model = model[len(prefix) :]
    return model


def _bedrock_base_model(model: str) -> str:
    """The id litellm prices a Bedrock model under (`get_bedrock_base_model`): without route
    prefixes, ARN path, throughput or context suffix, cross-region or AWS region prefix."""
    for route in ("bedrock/converse/", "bedrock/", "converse/"):
        if model.startswith(route):
            rest = model[len(route) :]
            if rest.startswith("nova-2/"):
                return "amazon.nova-2-custom"
            if rest.startswith("nova/"):
                return "amazon.nova-custom"
            break
    model = _strip_bedrock_routes(model)
    if "arn" in model.lower():
        model = model.split("/")[-1]
    model = re.sub(r"\[\w+\]$", "", re.sub(r"(:\d+):\d+k$", r"\1", model))
    geo, dot, rest = model.partition(".")
    if dot and geo in _CROSS_REGION:
        return rest
    region, slash, rest = model.partition("/")
    if slash and _AWS_REGION.fullmatch(region):
        return rest
    return model


def _table_keys(model: str) -> tuple[str | None, list[str]]:
    """The provider prefix of `model` and the names under which litellm's table may list it,
    in the order litellm's `get_model_info` tries them: the id itself; the id without its
    provider prefix (and, on Bedrock, without route prefixes such as `invoke/` and
    `converse/`); the id without what litellm strips before pricing (Bedrock's cross-region
    and region prefixes, Vertex's and Gemini's `-001` version, a dated snapshot suffix)."""
    provider, slash, split = model.partition("/")
    if not slash:
        provider, split = "", model
    bedrock = provider in ("bedrock", "bedrock_converse")
    if bedrock:
        split = _strip_bedrock_routes(split)
        stripped = _bedrock_base_model(model)
    elif provider in ("vertex_ai", "gemini", "databricks"):
        stripped = re.sub(r"-\d+$", "", model)
    elif "ft:" in model:
        stripped = re.sub(r"(:[^:]*){3}$", "", model)
    else:
        stripped = re.sub(r"-\d{4}-\d{2}-\d{2}$", "", model)
    return provider or None, list(dict.fromkeys((model, split, stripped)))


def _provider_matches(entry: Mapping[str, Any], provider: str | None) -> bool:
    """Whether a table entry may price a deployment of `provider` (litellm's
    `_check_provider_match`): an entry of another provider is skipped."""
    listed = entry.get("litellm_provider")
    if provider is None or not isinstance(listed, str) or listed == provider:
        return True
    if provider in ("vertex_ai", "fireworks_ai") and listed.startswith(provider):
        return True
    if provider.startswith("bedrock") and listed.startswith("bedrock"):
        return True
    return provider in _ANY_PROVIDER or listed in _SHARED_PROVIDERS.get(provider, ())


@lru_cache(maxsize=1)
def _bundled_names() -> Mapping[str, str]:
    return {key.lower(): key for key in litellm_table()}


def lookup(model: str, table: Mapping[str, Mapping[str, Any]] | None = None) -> Mapping[str, Any]:
    """litellm's entry for `model`, or {} when it has none. Names match case-insensitively,
    as in litellm."""
    table = litellm_table() if table is None else table
    names = _bundled_names() if table is litellm_table() else {k.lower(): k for k in table}
    provider, keys = _table_keys(model)
    for key in keys:
        name = key if key in table else names.get(key.lower())
        # The id itself names its entry; a name derived from it must be the same provider's.
        if name is not None and (key == model or _provider_matches(table[name], provider)):
            return table[name]
    return {}


def model_info(dep: Deployment, table: Mapping[str, Mapping[str, Any]] | None = None) -> ModelInfo:
    entry = lookup(dep.model, table)
    cache_read: float | None
    cache_write: float | None
    if dep.price is not None:
        input_cost: float | None = dep.price.input / 1e6
        output_cost: float | None = dep.price.output / 1e6
        cache_read = None if dep.price.cache_read is None else dep.price.cache_read / 1e6
        cache_write = None if dep.price.cache_write is None else dep.price.cache_write / 1e6
    else:
        input_cost = entry.get("input_cost_per_token")
        output_cost = entry.get("output_cost_per_token")
        cache_read = entry.get("cache_read_input_token_cost")
        cache_write = entry.get("cache_creation_input_token_cost")
    if input_cost is not None:
        cache_read = input_cost * CACHE_READ_MULTIPLIER if cache_read is None else cache_read
        cache_write = input_cost * CACHE_WRITE_MULTIPLIER if cache_write is None else cache_write
    max_context = dep.max_context or entry.get("max_input_tokens") or entry.get("max_tokens")
    supports: frozenset[str]
    if dep.supports is not None:
        supports = frozenset(dep.supports)
    elif entry:
        supports = frozenset(
            cap
            for cap, key in (
                ("tools", "supports_function_calling"),
                ("vision", "supports_vision"),
                ("json", "supports_response_schema"),
            )
            if entry.get(key)
        )
        # JSON mode (`json_object`) works wherever tools do; litellm emulates it.
        if "tools" in supports:
            supports |= {"json"}
    else:
        # A model litellm does not know (a local or fine-tuned one) is sent no tools, images
        # or JSON mode unless `supports:` says it takes them.
        supports = frozenset()
    return ModelInfo(input_cost, output_cost, max_context, supports, cache_read, cache_write,
                     assumed_text_only=dep.supports is None and not entry)


def build_catalog(config: Config) -> dict[str, ModelInfo]:
    """ModelInfo for every deployment, by deployment name."""
    table = litellm_table()
    deployments = [*(d for t in config.tiers for d in t.deployments), *config.embeddings]
    return {d.name: model_info(d, table) for d in deployments}


@dataclass(frozen=True)
class Savings:
    """What a call cost, against sending it to the reference (top-tier) deployment."""

    cost_usd: float
    baseline_usd: float

    @property
    def saved_usd(self) -> float:
        return self.baseline_usd - self.cost_usd


def reference_deployment(config: Config) -> str:
    """The deployment an app without Tianji would call: the top tier's first one."""
    return config.tiers[-1].deployments[0].name
