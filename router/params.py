"""What each deployment does with each Chat Completions parameter: nothing is dropped in silence.

Three outcomes per parameter and deployment (the README's parameter table lists them):

- passed as is, or translated by litellm's mapping for the provider (`max_tokens`, `stop`,
  `tools`, `response_format: json_schema` to an Anthropic tool, `user` to Anthropic's
  `metadata.user_id`, ...), plus Tianji's own translations in `for_provider`
  (`response_format: json_object` to Claude as a forced tool open to any object, see
  `_json_mode`; `safety_identifier` as `user` where only that exists);
- not honoured: the policy skips the deployment (`ModelInfo.params` lacks the parameter), so
  the request goes to one that honours it, or gets a 400 naming it when none in reach does;
- handled by Tianji itself (`stream`, `stream_options`, `store: false`, `metadata`,
  `prompt_cache_key` as the affinity key): never a reason to skip a deployment.

Where a deployment takes a parameter but only some of its values (Bedrock's Converse API
has no `scale` service tier: litellm drops it), `required` names the value
(`service_tier: scale`, see `value_key`) and `honoured` lists the values each deployment
takes; a 400's `param` is still the parameter (`param_name`). Off the OpenAI wire, what
litellm lists but does not carry through is not honoured either: legacy `functions` (they
would come back as `tool_calls`), Gemini's `parallel_tool_calls`; and `service_tier`
`auto`/`default` is not sent (litellm would send Gemini `auto` as `priority`).

What litellm honours per deployment is litellm's own answer
(`litellm.get_supported_openai_params`): with `drop_params` it drops the rest, so Tianji
checks before the call. On the OpenAI wire (`openai/`, `azure/`) Tianji sends a parameter
litellm would drop for that model (`user` for a model not in litellm's catalog,
`verbosity`, ...) in `extra_body`, as the client sent it.

`required(body)` needs no litellm; `honoured(dep)` and `for_provider` import it lazily: the
server fills `ModelInfo.params` at start-up (`with_params`), while `router route` and
`router check` stay light and leave it unset (the policy then does not check parameters).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from router.config import Config, Deployment
from router.costs import ModelInfo
from router.schema import ACCEPTED_PARAMS

# Providers that speak OpenAI's chat-completions wire: what litellm does not map is sent as is.
OPENAI_WIRE = frozenset({"openai", "azure"})
# Claude through litellm's Anthropic mapping (Anthropic's API, Bedrock, Vertex AI).
CLAUDE_PROVIDERS = frozenset({"anthropic", "bedrock", "vertex_ai"})

# Legacy functions: litellm turns them into tools elsewhere (Gemini), and the answer comes back
# as `tool_calls`, which a client of the legacy API does not read for its `function_call`.
OPENAI_WIRE_ONLY = frozenset({"functions", "function_call"})
# What litellm 1.106.2 lists for Gemini but does not send: Gemini has no switch for parallel
# tool calls (`parallel_tool_calls: false` would be lost).
_GEMINI_UNSENT = frozenset({"parallel_tool_calls"})

# Parameters Tianji handles itself, whatever the deployment: never a reason to skip one.
TIANJI_PARAMS = frozenset({
    "model", "messages", "stream", "stream_options",
    "store",  # only false is accepted (router/api/chat.py): nothing is stored, anywhere
    "metadata",  # labels for stored completions; Tianji stores none, so nothing to send
    "prompt_cache_key",  # the affinity key; sent where the provider takes it
})

# Values that ask for nothing beyond the default: a deployment without the parameter
# gives the same answer.
_NO_OP: dict[str, tuple[Any, ...]] = {
    "n": (1,),
    "logprobs": (False,),
    "top_logprobs": (0,),
    "presence_penalty": (0,),
    "frequency_penalty": (0,),
    "logit_bias": ({},),
    "parallel_tool_calls": (True,),
    "modalities": (["text"],),
    "service_tier": ("auto", "default"),
}
_JSON_OBJECT_SCHEMA = {"name": "json_object", "schema": {"type": "object"}}
# JSON mode's tool where litellm would send native structured output: any object, whatever
# its keys (native output's `additionalProperties: false` would admit only `{}`).
_ANY_OBJECT = {"type": "object", "properties": {}, "additionalProperties": True}
# What litellm's Anthropic mapping refuses to send as metadata.user_id (an email address or
# a phone number; litellm 1.106.2 `_valid_user_id`): sent as a stable hash instead.
_EMAIL_OR_PHONE = re.compile(
    r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$|^\+?[\d\s\(\)-]{7,}$"
)
# The service tiers Bedrock Converse and Gemini have beside standard processing (litellm
# 1.106.2 drops any other value for Converse and sends it as it is to Gemini).
_CLOUD_SERVICE_TIERS = ("flex", "priority")
# The characters Bedrock accepts in a requestMetadata value.
_METADATA_VALUE = re.compile(r"^[a-zA-Z0-9\s:_@$#=/+,.-]{0,256}$")


def required(body: Mapping[str, Any]) -> frozenset[str]:
    """The parameters of a chat request that a deployment must honour to answer it in full."""
    needed = set()
    for name, value in body.items():
        if name not in ACCEPTED_PARAMS or name in TIANJI_PARAMS or value is None:
            continue
        if value in _NO_OP.get(name, ()):
            continue
        if name == "response_format" and isinstance(value, Mapping) and value.get(
            "type"
        ) == "text":
            continue
        needed.add(value_key(name, value) or name)
    return frozenset(needed)


def value_key(name: str, value: Any) -> str | None:
    """The name of a value only some deployments that take the parameter honour."""
    if name == "service_tier" and isinstance(value, str):
        return f"service_tier: {value}"
    return None


def param_name(key: str) -> str:
    """The request parameter a name from `required` stands for."""
    return key.split(":", 1)[0]


def quoted(key: str) -> str:
    """A name from `required` as an error message shows it: `'service_tier' set to 'scale'`."""
    name, _, value = key.partition(": ")
    return f"'{name}' set to '{value}'" if value else f"'{name}'"


def is_claude(dep: Deployment) -> bool:
    return dep.provider in CLAUDE_PROVIDERS and "claude" in dep.model


def is_gemini(dep: Deployment) -> bool:
    return dep.provider in ("vertex_ai", "gemini") and "gemini" in dep.model


def bare_model(model: str) -> str:
    return model.split("/", 1)[1] if "/" in model else model


@lru_cache(maxsize=1024)
def litellm_supported(model: str) -> frozenset[str]:
    """The OpenAI parameters litellm maps for `model` (provider-prefixed)."""
    import litellm

    provider = model.split("/", 1)[0] if "/" in model else "openai"
    try:
        found = litellm.get_supported_openai_params(
            model=bare_model(model), custom_llm_provider=provider
        )
    except Exception:  # noqa: BLE001 - litellm has no mapping for this model: assume none
        found = None
    return frozenset(found or ())


def honoured(dep: Deployment) -> frozenset[str]:
    """The request parameters (of those the schema accepts) this deployment honours."""
    if dep.provider in OPENAI_WIRE:
        return ACCEPTED_PARAMS | _values(dep, ACCEPTED_PARAMS)
    litellm_params = litellm_supported(dep.model)
    supported = (litellm_params & ACCEPTED_PARAMS) - OPENAI_WIRE_ONLY
    if is_gemini(dep):
        supported -= _GEMINI_UNSENT
    supported |= _values(dep, supported)
    if "user" in supported:
        supported |= {"safety_identifier"}  # sent as `user` (for_provider)
    elif "requestMetadata" in litellm_params:
        supported |= {"user", "safety_identifier"}  # Bedrock Converse: requestMetadata.user_id
    return supported | TIANJI_PARAMS


def _values(dep: Deployment, supported: frozenset[str]) -> frozenset[str]:
    """The `value_key`s of the parameters in `supported` this deployment honours."""
    values = set()
    if "service_tier" in supported:
        # Converse and Gemini have no `scale` tier (litellm drops it for Converse).
        tiers = _CLOUD_SERVICE_TIERS if dep.provider == "bedrock" or is_gemini(dep) else (
            "flex", "scale", "priority")
        values |= {f"service_tier: {tier}" for tier in tiers}
    return frozenset(values)


@lru_cache(maxsize=1024)
def native_output(model: str) -> bool:
    """Whether litellm sends Claude's `response_format` as native structured output
    (Anthropic's `output_format`, Converse's `outputConfig`) rather than a forced tool."""
    from litellm.utils import supports_native_structured_output

    provider, _, bare = model.partition("/")
    try:
        return bool(supports_native_structured_output(
            model=bare, custom_llm_provider=provider))
    except Exception:  # noqa: BLE001 - litellm does not know the model: the tool path
        return False


def with_params(config: Config, catalog: Mapping[str, ModelInfo]) -> dict[str, ModelInfo]:
    """The catalog with each chat deployment's honoured parameters filled in (the server's);
    embedding deployments take no chat parameters and are left as they are."""
    deployments = {d.name: d for t in config.tiers for d in t.deployments}
    return {name: replace(info, params=honoured(deployments[name])) if name in deployments
            else info for name, info in catalog.items()}


def for_provider(dep: Deployment, params: dict[str, Any]) -> dict[str, Any]:
    """The chat parameters to hand litellm for this deployment (Tianji's translations)."""
    out = dict(params)
    if dep.provider in OPENAI_WIRE:
        supported = litellm_supported(dep.model)
        extra = {k: out.pop(k) for k in list(out)
                 if k not in supported and k != "messages" and k != "extra_body"}
        if extra:
            out["extra_body"] = {**extra, **(out.get("extra_body") or {})}
        return out
    if out.get("service_tier") in _NO_OP["service_tier"]:
        # Standard processing: nothing to ask for (litellm sends Gemini `auto` as `priority`).
        del out["service_tier"]
    supported = litellm_supported(dep.model)
    identifier = out.pop("safety_identifier", None)
    if "safety_identifier" not in supported and identifier is not None:
        out.setdefault("user", identifier)
    elif identifier is not None:
        out["safety_identifier"] = identifier
    if "user" not in supported and "requestMetadata" in supported and "user" in out:
        # Bedrock's Converse API tags a call for its invocation logs, in a restricted alphabet.
        user = str(out.pop("user"))
        out["requestMetadata"] = {"user_id": user if _METADATA_VALUE.match(user) else _hashed(user)}
    if is_claude(dep):
        response_format = out.get("response_format")
        if isinstance(response_format, Mapping) and response_format.get("type") == "json_object":
            out = _json_mode(dep, out)
        user = out.get("user")
        if isinstance(user, str) and _EMAIL_OR_PHONE.match(user):
            out["user"] = _hashed(user)
    return out


def _json_mode(dep: Deployment, params: dict[str, Any]) -> dict[str, Any]:
    """`response_format: json_object` for Claude. litellm maps only `json_schema` to Claude;
    without native structured output it sends that as a forced tool whose input is the
    answer, so JSON mode goes as the schema of any JSON object. With native structured
    output (Claude 4.5 on Anthropic's API and Bedrock) litellm would send the schema as
    `output_format` / `outputConfig`, whose `additionalProperties: false` admits only `{}`:
    there Tianji adds litellm's own JSON tool (open to any object) and forces it, as litellm
    does on its tool path, and sets litellm's `json_mode`, which turns the tool's input
    back into the message's content. With `reasoning_effort` (extended thinking) Claude
    takes no forced tool: the tool is offered, as on litellm's tool path."""
    if not native_output(dep.model):
        return {**params, "response_format": {"type": "json_schema",
                                              "json_schema": _JSON_OBJECT_SCHEMA}}
    from litellm.constants import RESPONSE_FORMAT_TOOL_NAME

    out = {k: v for k, v in params.items() if k != "response_format"}
    tool = {"type": "function", "function": {"name": RESPONSE_FORMAT_TOOL_NAME,
                                             "parameters": _ANY_OBJECT}}
    out["tools"] = [*(out.get("tools") or []), tool]
    if out.get("reasoning_effort") is None:
        out["tool_choice"] = {"type": "function", "function": {"name": RESPONSE_FORMAT_TOOL_NAME}}
    out["json_mode"] = True
    return out


def _hashed(user: str) -> str:
    """A stable stand-in for an end-user id a provider will not take as it is."""
    return "user-" + hashlib.sha256(user.encode()).hexdigest()[:32]
