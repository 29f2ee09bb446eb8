"""Embeddings: the request OpenAI's `POST /v1/embeddings` takes, the deployments that can
serve it, and the answer in OpenAI's shape. Pure: no I/O.

    request = parse_embedding_request(body, config)     # GatewayError 400/404 on bad input
    decision = embeddings_decision(config, catalog, request)
    ...  # Upstream.complete(decision, ..., call=EmbeddingCall(request)) (upstream_embeddings)
    answer = embedding_answer(served.response, request)

There is no difficulty routing: the `embeddings:` deployments are tried in order, with the
same retries, cooldowns and fallback as chat. Every deployment must serve the same model
(one model sold by several clouds), since the vectors of different models do not compare.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from router.classify.base import Assessment
from router.config import Config, Deployment
from router.costs import ModelInfo
from router.errors import GatewayError
from router.policy import Candidate, Decision

# The tier label of embeddings in headers, metrics and the request log.
EMBEDDINGS_TIER = "embeddings"
# OpenAI's limits on one request.
MAX_INPUTS = 2048
# Above any embedding model's size (OpenAI's largest is 3072): a bound on the answer's size.
MAX_DIMENSIONS = 16384
FIELDS = frozenset({"model", "input", "encoding_format", "dimensions", "user"})
# Providers whose litellm handler hands `input` to an OpenAI-style API as it is, so token
# arrays (ids of that model's tokenizer) keep their meaning.
TOKEN_INPUT_PROVIDERS = frozenset({"openai", "azure"})

Input = str | list[str] | list[int] | list[list[int]]

_TOKENS: dict[str, Any] = {"type": "array", "minItems": 1,
                           "items": {"type": "integer", "minimum": 0}}
# The request body as published in /openapi.json (the route validates it by hand).
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["model", "input"],
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "description": "`embeddings`, or a model id, model "
                  "string or name of an `embeddings:` deployment"},
        "input": {"anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "array", "minItems": 1, "maxItems": MAX_INPUTS,
             "items": {"type": "string", "minLength": 1}},
            _TOKENS,
            {"type": "array", "minItems": 1, "maxItems": MAX_INPUTS, "items": _TOKENS},
        ]},
        "encoding_format": {"enum": ["float", "base64"]},
        "dimensions": {"type": "integer", "minimum": 1, "maximum": MAX_DIMENSIONS},
        "user": {"type": "string"},
    },
}


@dataclass(frozen=True)
class EmbeddingRequest:
    model: str
    input: Input
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = None
    user: str | None = None

    @property
    def count(self) -> int:
        """How many vectors the answer must hold."""
        if isinstance(self.input, str) or (self.input and isinstance(self.input[0], int)):
            return 1
        return len(self.input)

    @property
    def tokens(self) -> bool:
        """Whether the input is token ids rather than text."""
        return not isinstance(self.input, str) and not isinstance(self.input[0], str)

    def upstream_params(self) -> dict[str, Any]:
        """What litellm's `aembedding` gets. `encoding_format` is never sent: providers
        answer floats and Tianji encodes base64 itself (litellm maps "base64" to Bedrock
        Titan's int8 "binary" vectors, a different thing)."""
        params: dict[str, Any] = {"input": self.input}
        if self.dimensions is not None:
            params["dimensions"] = self.dimensions
        if self.user is not None:
            params["user"] = self.user
        return params


def _invalid(message: str, param: str) -> GatewayError:
    return GatewayError(400, message, code="invalid_request", param=param)


def not_configured() -> GatewayError:
    return GatewayError(
        404,
        "Embeddings are not configured on this gateway: its config has no `embeddings:` "
        "list of deployments (see the README, Configuration reference).",
        code="embeddings_not_configured",
    )


def _whole(value: Any) -> int | None:
    """A non-negative integer as JSON Schema counts them (`3` or `3.0`), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def _tokens(item: Any) -> list[int] | None:
    if not isinstance(item, list) or not item:
        return None
    ids = [_whole(t) for t in item]
    return None if any(t is None for t in ids) else [t for t in ids if t is not None]


def _check_input(value: Any) -> Input:
    """The input as sent, token ids as ints; a 400 naming the first bad item."""
    where = "input"
    if isinstance(value, str):
        if not value:
            raise _invalid("'input' is an empty string; send text to embed.", where)
        return value
    if not isinstance(value, list) or not value:
        raise _invalid("'input' must be a string, a list of strings, a list of token ids or "
                       "a list of lists of token ids, and not empty.", where)
    if len(value) > MAX_INPUTS:
        raise _invalid(f"'input' has {len(value)} items; at most {MAX_INPUTS}.", where)
    first = value[0]
    check: Callable[[Any], Any]
    if isinstance(first, str):
        kind, check = "strings", lambda item: item if isinstance(item, str) and item else None
    elif _whole(first) is not None:
        kind, check = "token ids", _whole
    elif isinstance(first, list):
        kind, check = "lists of token ids", _tokens
    else:
        kind, check = "", lambda item: None
    out: list[Any] = []  # all of one kind, as input[0]
    for index, item in enumerate(value):
        checked = check(item)
        if checked is None:
            expected = f"like input[0], one of {kind}" if kind else "a string or a token id"
            raise _invalid(f"'input[{index}]' is not valid: expected {expected} "
                           "(non-empty strings, token ids >= 0).", f"input[{index}]")
        out.append(checked)
    return out


def parse_embedding_request(body: Any, config: Config) -> EmbeddingRequest:
    """The validated request; a 400 naming the field, or a 404 for an unknown model."""
    if not isinstance(body, dict):
        raise GatewayError(400, "The request body must be a JSON object.", code="invalid_json")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise _invalid(f"Unrecognized request argument supplied: {', '.join(unknown)}. "
                       f"Embeddings take {', '.join(sorted(FIELDS))}.", unknown[0])
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _invalid("'model' is required: a string.", "model")
    names = config.embedding_names()
    if model not in names:
        raise GatewayError(404, f"The model {model!r} does not exist for embeddings. "
                           f"Available: {', '.join(names)}.", code="model_not_found",
                           param="model")
    if "input" not in body:
        raise _invalid("'input' is required.", "input")
    encoding: Literal["float", "base64"]
    match body.get("encoding_format"):
        case None | "float":
            encoding = "float"
        case "base64":
            encoding = "base64"
        case other:
            raise _invalid(f"'encoding_format' must be 'float' or 'base64', not {other!r}.",
                           "encoding_format")
    dimensions = None
    if body.get("dimensions") is not None:
        dimensions = _whole(body["dimensions"])
        if dimensions is None or not 1 <= dimensions <= MAX_DIMENSIONS:
            raise _invalid(f"'dimensions' must be an integer from 1 to {MAX_DIMENSIONS}.",
                           "dimensions")
    user = body.get("user")
    if user is not None and not isinstance(user, str):
        raise _invalid("'user' must be a string.", "user")
    return EmbeddingRequest(model, _check_input(body["input"]), encoding, dimensions, user)


def honours_dimensions(dep: Deployment, dimensions: int) -> bool:
    """Whether litellm maps `dimensions` for this deployment's model (it drops it for a
    model it does not know to take one, e.g. text-embedding-ada-002 or Titan v1)."""
    from litellm.utils import get_optional_params_embeddings

    try:
        mapped = get_optional_params_embeddings(
            model=dep.model.split("/", 1)[-1], custom_llm_provider=dep.provider,
            dimensions=dimensions, drop_params=True,
        )
    except Exception:  # noqa: BLE001 - litellm refused the parameter for this provider
        return False
    return bool(mapped)


def _unfit(dep: Deployment, request: EmbeddingRequest) -> tuple[str, str] | None:
    """(parameter, why) this deployment cannot take the request, or None."""
    if request.tokens and dep.provider not in TOKEN_INPUT_PROVIDERS:
        return "input", f"token-id input needs an OpenAI-wire deployment, not {dep.provider}/"
    if request.dimensions is not None and not honours_dimensions(dep, request.dimensions):
        return "dimensions", f"litellm cannot set dimensions for {dep.model}"
    if dep.missing_env:
        return "", f"missing credentials: {', '.join(dep.missing_env)}"
    return None


def embeddings_decision(
    config: Config, catalog: Mapping[str, ModelInfo], request: EmbeddingRequest
) -> Decision:
    """The `embeddings:` deployments in order, less those that cannot honour the request
    (a 400 naming the parameter when that leaves none) or lack credentials (a 503 naming
    the variables when none has them)."""
    candidates: list[Candidate] = []
    excluded: dict[str, str] = {}
    params: set[str] = set()
    for dep in config.embeddings:
        unfit = _unfit(dep, request)
        if unfit is None:
            candidates.append(Candidate(EMBEDDINGS_TIER, dep, catalog[dep.name].max_context))
            continue
        param, why = unfit
        excluded[dep.name] = why
        if param:
            params.add(param)
    if not candidates and params:
        raise GatewayError(
            400,
            "No embeddings deployment can honour this request: "
            + "; ".join(f"{name}: {why}" for name, why in excluded.items()),
            code="unsupported_parameter",
            param=sorted(params)[0],
        )
    if not candidates:
        needed = sorted({v for d in config.embeddings for v in d.missing_env})
        raise GatewayError(
            503, f"No embeddings deployment has credentials: set {', '.join(needed)}.",
            type="service_unavailable", code="missing_credentials",
        )
    assessment = Assessment(0.0, EMBEDDINGS_TIER)
    return Decision(EMBEDDINGS_TIER, assessment, "embeddings: deployments in configured order",
                    tuple(candidates), excluded)


def vector(values: Any) -> np.ndarray:
    """A provider's vector as a float64 array (exactly the numbers it sent)."""
    if isinstance(values, str):  # base64 float32, should a provider send that
        return np.frombuffer(base64.b64decode(values), dtype="<f4").astype(np.float64)
    return np.asarray(values, dtype=np.float64)


def embedding_answer(body: Mapping[str, Any], request: EmbeddingRequest,
                     model: str) -> dict[str, Any]:
    """OpenAI's `list` of `embedding` objects in the encoding the client asked for:
    floats, or base64 of little-endian float32 (what OpenAI sends)."""
    data = []
    for index, item in enumerate(body["data"]):
        values: np.ndarray = item["embedding"]
        encoded: Any = (
            base64.b64encode(values.astype("<f4").tobytes()).decode()
            if request.encoding_format == "base64" else values.tolist()
        )
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    usage = body.get("usage") or {}
    prompt = usage.get("prompt_tokens") or 0
    return {"object": "list", "data": data, "model": body.get("model") or model,
            "usage": {"prompt_tokens": prompt, "total_tokens": usage.get("total_tokens") or prompt}}
