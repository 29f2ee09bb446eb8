"""Prices, context windows and capabilities of each deployment, and what a call cost.

The one place that owns prices. A deployment's `price`, `max_context` and
`supports` in the config win; otherwise litellm's model table is read (a model it does
not list is assumed to take text only). The
table is read as the JSON file litellm ships, not through `import litellm`, so
that `router route` and `router check` stay fast.
"""

from __future__ import annotations

import json
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
# Region prefixes of cross-region inference profiles (Bedrock: us.anthropic...).
_REGION_PREFIXES = ("us.", "eu.", "apac.", "global.", "jp.", "au.")


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


def _table_keys(model: str) -> list[str]:
    """Names under which litellm's table may list `model` (most specific first)."""
    keys = [model]
    _, _, bare = model.partition("/")
    if bare:
        keys.append(bare)
        for prefix in _REGION_PREFIXES:
            if bare.startswith(prefix):
                keys.append(bare[len(prefix) :])
    return keys


def lookup(model: str, table: Mapping[str, Mapping[str, Any]] | None = None) -> Mapping[str, Any]:
    """litellm's entry for `model`, or {} when it has none."""
    table = litellm_table() if table is None else table
    for key in _table_keys(model):
        if key in table:
            return table[key]
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
