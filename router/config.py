"""The YAML configuration: schema, ${ENV} expansion, and errors that name the key path.

    >>> cfg = load_config("config/default.yaml")
    >>> [t.name for t in cfg.tiers]
    ['small', 'medium', 'large']

Unset variables without a default do not fail the load: a gateway must start
on a machine that has no provider keys. They are recorded per deployment in
`Deployment.missing_env`, reported by `router check` and at start-up, and a
deployment that lacks them is skipped with a clear 503 when nothing else can
answer.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from router.cascade import CHECKABLE_TASKS
from router.credentials import implicit_missing
from router.keys import BudgetConfig, KeyEntry
from router.providers import LITELLM_PROVIDERS

Capability = Literal["tools", "vision", "json"]
ALL_CAPABILITIES: frozenset[str] = frozenset({"tools", "vision", "json"})

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# Keys Tianji reads itself on a deployment.
TIANJI_DEPLOYMENT_KEYS = frozenset(
    {"model", "name", "max_context", "supports", "price", "responses_api", "litellm_params"}
)
# Provider arguments a deployment may set directly; they go to litellm as they are. Any
# other litellm argument goes under `litellm_params:`, which is passed on unchecked.
PROVIDER_PARAMS = frozenset({
    "api_key", "api_base", "api_version", "organization", "extra_headers", "headers",
    "extra_body",
    # AWS Bedrock
    "aws_region_name", "aws_access_key_id", "aws_secret_access_key", "aws_session_token",
    "aws_profile_name", "aws_role_name", "aws_session_name", "aws_web_identity_token",
    "aws_sts_endpoint", "aws_bedrock_runtime_endpoint",
    # Google Vertex AI
    "vertex_project", "vertex_location", "vertex_credentials",
    # Azure
    "azure_ad_token", "tenant_id", "client_id", "client_secret", "azure_username",
    "azure_password",
})


class ConfigError(ValueError):
    """The configuration is invalid; the message names each bad key path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerConfig(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    api_keys: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024)
    max_messages: int = Field(1000, ge=1)
    log_prompts: bool = False
    public_metrics: bool = Field(
        False, description="Serve /metrics and /readyz without the API key."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins browsers may call from; none: no CORS."
    )
    header_timeout_s: float = Field(
        10.0, gt=0, description="Time for a request's headers to arrive (408 after)."
    )
    body_timeout_s: float = Field(
        30.0, gt=0, description="Time for a request's body to arrive (408 after)."
    )
    attachment_timeout_s: float = Field(
        10.0, gt=0, description="Time to fetch the images a request points to (400 after)."
    )

    @model_validator(mode="after")
    def _drop_empty_keys(self) -> ServerConfig:
        # `["${TIANJI_API_KEY:-}"]` with the variable unset means "no auth".
        object.__setattr__(self, "api_keys", [k for k in self.api_keys if k])
        return self


class ResilienceConfig(_Strict):
    retries: int = Field(2, ge=0, le=10)
    backoff_initial_s: float = Field(0.2, ge=0)
    backoff_max_s: float = Field(5.0, ge=0)
    request_timeout_s: float = Field(
        60.0, gt=0, description="Deadline for the answer to start (all attempts included)."
    )
    first_token_timeout_s: float = Field(
        10.0, gt=0, description="An attempt with no first token by then is left for the next "
        "deployment (not retried)."
    )
    idle_timeout_s: float = Field(
        10.0, gt=0, description="Longest gap between two chunks once an answer has started."
    )
    stream_timeout_s: float | None = Field(
        None, gt=0, description="Optional cap on a whole streamed answer; default: none."
    )
    stream_upstream: bool = Field(
        True, description="Stream non-streamed requests from the provider, so that time to "
        "first token and idle gaps can be observed; the client still gets one JSON answer."
    )
    attempt_timeout_s: float | None = Field(
        None, gt=0, description="Optional cap on one attempt, and on every gap between chunks."
    )
    cooldown_s: float = Field(30.0, ge=0)
    failures_before_cooldown: int = Field(3, ge=1)
    escalate: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> ResilienceConfig:
        if self.attempt_timeout_s is not None and self.attempt_timeout_s > self.request_timeout_s:
            raise ValueError(
                f"attempt_timeout_s ({self.attempt_timeout_s:g}) is longer than "
                f"request_timeout_s ({self.request_timeout_s:g}): one attempt could never use it"
            )
        if self.backoff_initial_s > self.backoff_max_s:
            raise ValueError(
                f"backoff_initial_s ({self.backoff_initial_s:g}) is larger than "
                f"backoff_max_s ({self.backoff_max_s:g})"
            )
        return self


class ClassifierConfig(_Strict):
    kind: Literal["learned", "rules"] = "learned"
    weights: str | None = None


class LogConfig(_Strict):
    """The request log (router/ops): one row per request, SQLite by default."""

    enabled: bool = True
    url: str | None = Field(
        None, description="sqlite:///path.db, a file path, or postgresql://...; "
        "default: $TIANJI_LOG_DB, else ./tianji-log.db"
    )
    batch_size: int = Field(100, ge=1, le=10_000)
    flush_interval_s: float = Field(1.0, gt=0, le=60)
    queue_size: int = Field(10_000, ge=1)
    retention_days: float | None = Field(30, gt=0)
    max_rows: int | None = Field(1_000_000, ge=1)

    @model_validator(mode="after")
    def _known_scheme(self) -> LogConfig:
        scheme = self.url.split("://", 1)[0] if self.url and "://" in self.url else None
        if scheme not in (None, "sqlite", "postgresql", "postgres"):
            raise ValueError(
                f"url: scheme {scheme!r} is not supported; use sqlite:///path.db, a file path, "
                "or postgresql://user:password@host:5432/db"
            )
        return self


class ShadowConfig(_Strict):
    """Shadow checks (router/ops/shadow.py): some cheap answers are compared with the top tier's."""

    rate: float = Field(0.0, ge=0, le=1)
    judge: str | None = Field(None, description="name of the deployment that compares answers")
    max_daily_usd: float = Field(5.0, ge=0)

    @model_validator(mode="after")
    def _judge_when_on(self) -> ShadowConfig:
        if self.rate > 0 and not self.judge:
            raise ValueError("judge: required when rate > 0 (a deployment name)")
        return self


class Price(_Strict):
    """USD per one million tokens. Cache prices default to 0.1x (read) and 1.25x (a
    5-minute write) of `input`, Anthropic's multipliers."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_read: float | None = Field(None, ge=0)
    cache_write: float | None = Field(None, ge=0)


class AffinityConfig(_Strict):
    """Conversation affinity: stay on the deployment that holds a conversation's prompt
    cache while it is likely warm (see router/affinity.py)."""

    enabled: bool = True
    cache_ttl_s: float = Field(300.0, gt=0)
    horizon_turns: int = Field(1, ge=1, description="turns a move down is expected to last")
    max_conversations: int = Field(100_000, ge=1)


class StateConfig(_Strict):
    """Where health, cooldowns, affinity, rate windows and spend live (router/state):
    in this process, or shared by every process pointed at one Redis."""

    redis_url: str | None = Field(None, description="redis://host:6379/0; none: in process")
    prefix: str = Field("tianji", pattern=r"^[A-Za-z0-9._:-]{1,64}$",
                        description="key prefix: one per deployment of Tianji on a Redis")
    timeout_s: float = Field(0.25, gt=0, le=5, description="per Redis command")
    sync_interval_s: float = Field(0.2, gt=0, le=10,
                                   description="how often shared health is read")
    retry_s: float = Field(1.0, gt=0, le=60, description="how often a lost Redis is retried")


class Deployment(BaseModel):
    """One model at one provider: Tianji's keys, provider arguments from `PROVIDER_PARAMS`,
    and anything else litellm takes under `litellm_params:` (passed on unchecked)."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    model: str = Field(min_length=1)
    name: str = ""
    max_context: int | None = Field(None, gt=0)
    supports: frozenset[Capability] | None = None
    price: Price | None = None
    # /v1/responses on the provider's own Responses API (router/upstream_responses.py): None
    # for `azure/` and for `openai/` at OpenAI itself (no api_base, or api.openai.com), true
    # for another `openai/` endpoint that has it, false for litellm's bridge to chat.
    responses_api: bool | None = None
    extra_params: dict[str, Any] = Field(default_factory=dict, alias="litellm_params")

    _missing_env: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _default_name(self) -> Deployment:
        if not self.name:
            object.__setattr__(self, "name", self.model)
        return self

    @model_validator(mode="after")
    def _known_keys(self) -> Deployment:
        unknown = sorted(set(self.model_extra or {}) - PROVIDER_PARAMS)
        if unknown:
            raise ValueError("; ".join(
                f"unknown key {key!r}{did_you_mean(key, TIANJI_DEPLOYMENT_KEYS | PROVIDER_PARAMS)}"
                for key in unknown
            ) + " (other litellm arguments go under `litellm_params:`, passed on unchecked)")
        if "/" in self.model:
            prefix = self.model.split("/", 1)[0]
            known = LITELLM_PROVIDERS
            if prefix not in known:
                raise ValueError(
                    f"model {self.model!r}: unknown provider prefix {prefix!r}"
                    f"{did_you_mean(prefix, known)} (litellm's providers: "
                    "https://docs.litellm.ai/docs/providers)"
                )
        return self

    @model_validator(mode="after")
    def _responses_api_provider(self) -> Deployment:
        if self.responses_api and self.provider not in ("openai", "azure"):
            raise ValueError(f"model {self.model!r}: responses_api: true needs an openai/ or "
                             "azure/ deployment (the Responses API Tianji calls natively)")
        return self

    @property
    def provider(self) -> str:
        """The litellm provider prefix (`anthropic`, `bedrock`, `openai`, ...)."""
        return self.model.split("/", 1)[0] if "/" in self.model else "openai"

    @property
    def litellm_params(self) -> dict[str, Any]:
        """The provider arguments and the `litellm_params:` block, passed to litellm as-is."""
        params = {**(self.model_extra or {}), **self.extra_params}
        return {k: v for k, v in params.items() if v is not None}

    @property
    def missing_env(self) -> tuple[str, ...]:
        """Environment variables this deployment references that are unset."""
        return self._missing_env

    def can(self, capability: str) -> bool:
        return self.supports is None or capability in self.supports


CheckableTask = Literal[CHECKABLE_TASKS]  # type: ignore[valid-type]


class VerifyConfig(_Strict):
    """The verified cascade on a tier (router/verify.py): its answer is accepted only when a
    partner, another vendor's model, reaches the same final answer; otherwise the request
    escalates to the next tier."""

    partners: list[str] = Field(
        min_length=1, description="deployment names (any tier) that give the second answer, "
        "in fallback order: the first that can answer does"
    )
    tasks: list[CheckableTask] = Field(
        default_factory=lambda: list(CHECKABLE_TASKS),
        description="the classifier's tasks that are verified; default: every checkable one"
    )
    streaming: Literal["skip", "buffer"] = Field(
        "skip", description="streams are not verified (skip), or verified and sent once the "
        "answer is accepted (buffer)"
    )
    unverified: Literal["return", "escalate"] = Field(
        "return", description="when no partner can answer: return the tier's answer "
        "unverified, or escalate as if they disagreed"
    )


class EmbeddingPrice(Price):
    """USD per one million input tokens; an embedding has no output tokens."""

    output: float = Field(0.0, ge=0)


class EmbeddingDeployment(Deployment):
    """A deployment under `embeddings:`: an embedding model at one provider."""

    price: EmbeddingPrice | None = None


class Tier(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    max_difficulty: float | None = Field(None, ge=0, le=1)
    deployments: list[Deployment] = Field(min_length=1)
    verify: VerifyConfig | None = None


class ModelRule(_Strict):
    """How a client's model name routes on the Anthropic front door. `match` is a glob
    (`claude-*sonnet*`); `tier` pins a tier, `max_tier` routes by difficulty up to a
    tier, neither routes by difficulty over every tier."""

    match: str = Field(min_length=1)
    tier: str | None = None
    max_tier: str | None = None


# The default: a real Claude id routes by difficulty with its own family as the ceiling
# (when the config has no tier by that family's name, with no ceiling).
DEFAULT_MODEL_RULES = (
    ModelRule(match="claude-*opus*", max_tier="opus"),
    ModelRule(match="claude-*sonnet*", max_tier="sonnet"),
    ModelRule(match="claude-*haiku*", max_tier="haiku"),
)


class AnthropicConfig(_Strict):
    models: list[ModelRule] | None = None


class Config(_Strict):
    server: ServerConfig = Field(default_factory=ServerConfig)
    anthropic: AnthropicConfig = Field(default_factory=AnthropicConfig)
    affinity: AffinityConfig = Field(default_factory=AffinityConfig)
    resilience: ResilienceConfig = Field(default_factory=ResilienceConfig)
    classifier: ClassifierConfig = Field(default_factory=ClassifierConfig)
    log: LogConfig = Field(default_factory=LogConfig)
    shadow: ShadowConfig = Field(default_factory=ShadowConfig)
    state: StateConfig = Field(default_factory=StateConfig)
    keys: list[KeyEntry] = Field(default_factory=list)
    budget: BudgetConfig = Field(default_factory=BudgetConfig)
    tiers: list[Tier] = Field(min_length=1)
    embeddings: list[EmbeddingDeployment] = Field(
        default_factory=list, description="POST /v1/embeddings: tried in order, one model's "
        "vectors (the same model at several providers)"
    )

    @model_validator(mode="after")
    def _check_tiers(self) -> Config:
        seen: dict[str, str] = {}
        for i, tier in enumerate(self.tiers):
            for label in (tier.name, *tier.aliases):
                if label == "auto":
                    raise ValueError(f"tiers.{i}: 'auto' is reserved for routing")
                if label in seen:
                    raise ValueError(
                        f"tiers.{i}: name or alias {label!r} is already used by tier "
                        f"{seen[label]!r}"
                    )
                seen[label] = tier.name
        # A tier with max_difficulty 1.0 takes every request; the tiers above it are reached
        # only by escalation (the verified cascade's disagreement, or failures).
        covering = next((i for i, t in enumerate(self.tiers) if t.max_difficulty == 1.0),
                        len(self.tiers))
        for i in range(covering + 1, len(self.tiers)):
            if self.tiers[i].max_difficulty is not None:
                raise ValueError(
                    f"tiers.{i}.max_difficulty: tier {self.tiers[covering].name!r} already "
                    f"takes every difficulty (1.0), so {self.tiers[i].name!r} is reached only "
                    "by escalation; remove its max_difficulty"
                )
        bounds = [t.max_difficulty for t in self.tiers[:-1]][:covering]
        for i, bound in enumerate(bounds):
            if bound is None:
                raise ValueError(
                    f"tiers.{i}.max_difficulty: required on every tier but the last "
                    f"({self.tiers[i].name!r})"
                )
        if any(b is not None and a is not None and b <= a for a, b in itertools.pairwise(bounds)):
            raise ValueError("tiers: max_difficulty must increase from the cheapest tier up")
        names = [d.name for t in self.tiers for d in t.deployments]
        every = [*names, *(d.name for d in self.embeddings)]
        dupes = sorted({n for n in every if every.count(n) > 1})
        if dupes:
            raise ValueError(
                f"deployment names must be unique (set `name:`); repeated: {', '.join(dupes)}"
            )
        for i, rule in enumerate(self.anthropic.models or ()):
            if rule.tier is not None and rule.max_tier is not None:
                raise ValueError(f"anthropic.models.{i}: set tier (pin) or max_tier, not both")
            for label in (rule.tier, rule.max_tier):
                if label is not None and label not in seen:
                    raise ValueError(f"anthropic.models.{i}: {label!r} is not a tier or alias")
        for used in self.embedding_names():
            if used in seen or used == "auto":
                raise ValueError(
                    f"embeddings: the model name {used!r} is also a tier name or alias; "
                    "rename the deployment (`name:`)"
                )
        key_ids = [k.id for k in self.keys]
        for i, key in enumerate(self.keys):
            if key_ids.count(key.id) > 1:
                raise ValueError(f"keys.{i}.id: {key.id!r} is used twice")
            if key.max_tier is not None and key.max_tier not in seen:
                raise ValueError(f"keys.{i}.max_tier: {key.max_tier!r} is not a tier or alias")
        if self.shadow.judge and self.shadow.judge not in names:
            raise ValueError(f"shadow.judge: no deployment is named {self.shadow.judge!r}")
        for i, tier in enumerate(self.tiers):
            if tier.verify is not None:
                _check_verify(i, tier, names, last=i == len(self.tiers) - 1)
        return self

    def embedding_names(self) -> list[str]:
        """The model names POST /v1/embeddings takes: `embeddings`, then each deployment's
        model id (without its provider prefix), full model string and name."""
        if not self.embeddings:
            return []
        names = ["embeddings"]
        for dep in self.embeddings:
            for label in (dep.model.split("/", 1)[-1], dep.model, dep.name):
                if label not in names:
                    names.append(label)
        return names

    def model_rules(self) -> tuple[ModelRule, ...]:
        """The Anthropic front door's model rules: the configured ones, else the defaults
        (a default ceiling this config has no tier for is dropped)."""
        if self.anthropic.models is not None:
            return tuple(self.anthropic.models)
        return tuple(
            r if r.max_tier and self.tier_index(r.max_tier) is not None
            else ModelRule(match=r.match)
            for r in DEFAULT_MODEL_RULES
        )

    def tier_index(self, label: str) -> int | None:
        """Index of the tier whose name or alias is `label`."""
        for i, tier in enumerate(self.tiers):
            if label == tier.name or label in tier.aliases:
                return i
        return None

    def model_names(self) -> list[str]:
        """What `/v1/models` offers: auto, then each tier and its aliases."""
        return ["auto", *(label for t in self.tiers for label in (t.name, *t.aliases))]


def _check_verify(index: int, tier: Tier, names: list[str], *, last: bool) -> None:
    """A tier's `verify:` names existing partners and leaves the tier a primary."""
    where = f"tiers.{index}.verify"
    if last:
        raise ValueError(
            f"{where}: {tier.name!r} is the top tier, whose answer is final (there is no tier "
            "to escalate to); remove its verify"
        )
    for partner in tier.verify.partners if tier.verify else ():
        if partner not in names:
            raise ValueError(
                f"{where}.partners: no deployment is named {partner!r}"
                f"{did_you_mean(partner, names)}"
            )
    partners = set(tier.verify.partners if tier.verify else ())
    if all(d.name in partners for d in tier.deployments):
        raise ValueError(
            f"{where}.partners: every deployment of tier {tier.name!r} is a partner; the tier "
            "needs a deployment that is not, to give the answer the partners check"
        )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `choices`, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _config_keys() -> frozenset[str]:
    models: list[type[BaseModel]] = [Config, ServerConfig, ResilienceConfig, ClassifierConfig,
                                     Tier, Price, VerifyConfig]
    return frozenset(name for m in models for name in m.model_fields)


def expand_env(
    node: Any, env: Mapping[str, str], path: tuple[Any, ...], missing: dict[tuple[Any, ...], str]
) -> Any:
    """Replace ${VAR} and ${VAR:-default} in every string; record unset VARs by key path."""
    if isinstance(node, dict):
        return {k: expand_env(v, env, (*path, k), missing) for k, v in node.items()}
    if isinstance(node, list):
        return [expand_env(v, env, (*path, i), missing) for i, v in enumerate(node)]
    if not isinstance(node, str) or "${" not in node:
        return node

    def substitute(match: re.Match[str]) -> str:
        var, default = match.group(1), match.group(2)
        value = env.get(var)
        if value:
            return value
        if default is not None:
            return default
        missing[path] = var
        return ""

    expanded = _ENV_REF.sub(substitute, node)
    # A value that was only an unset reference becomes "absent", not "".
    return None if path in missing and not expanded else expanded


def _format_errors(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        message = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden" and e["loc"]:
            message = f"unknown key{did_you_mean(str(e['loc'][-1]), _config_keys())}"
        lines.append(f"  {where}: {message}")
    return "invalid configuration:\n" + "\n".join(lines)


def parse_config(raw: Any, env: Mapping[str, str] | None = None) -> Config:
    """Validate a parsed YAML document; raise ConfigError naming each bad key path."""
    if not isinstance(raw, dict):
        raise ConfigError("invalid configuration: the top level must be a mapping with `tiers:`")
    env = os.environ if env is None else env
    missing: dict[tuple[Any, ...], str] = {}
    expanded = expand_env(raw, env, (), missing)
    unset_keys = [(p, v) for p, v in missing.items() if p[:2] == ("server", "api_keys")]
    if unset_keys:
        raise ConfigError("invalid configuration:\n" + "\n".join(
            f"  {'.'.join(map(str, p))}: ${{{v}}} is not set (write ${{{v}:-}} to run "
            "without a key when it is unset)" for p, v in unset_keys))
    try:
        config = Config.model_validate(expanded)
    except ValidationError as err:
        raise ConfigError(_format_errors(err)) from None
    for ti, tier in enumerate(config.tiers):
        for di, dep in enumerate(tier.deployments):
            prefix = ("tiers", ti, "deployments", di)
            names = {v for p, v in missing.items() if p[:4] == prefix}
            raw_params = {**(dep.model_extra or {}), **dep.extra_params}
            names.update(implicit_missing(dep.provider, raw_params, env))
            dep._missing_env = tuple(sorted(names))
    for di, dep in enumerate(config.embeddings):
        names = {v for p, v in missing.items() if p[:2] == ("embeddings", di)}
        raw_params = {**(dep.model_extra or {}), **dep.extra_params}
        names.update(implicit_missing(dep.provider, raw_params, env))
        dep._missing_env = tuple(sorted(names))
    return config


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    """Read, expand and validate a YAML config file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read config {path}: {err.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"config {path} is not valid YAML: {err}") from None
    return parse_config(raw, env)
