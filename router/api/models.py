"""GET /v1/models and /v1/models/{id}, in OpenAI's shape or, when the request carries
`anthropic-version`, Anthropic's; and the 404 of an unknown path, which lists the
endpoints the gateway serves.

OpenAI's list holds the chat names (auto, the tiers and aliases) and, when `embeddings:`
is configured, the names POST /v1/embeddings takes. Anthropic's holds the chat names only.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.datastructures import Headers

from router.api import messages
from router.config import Config
from router.errors import GatewayError

JSON = dict[str, Any]
_OWNER = "tianji"


def _openai_model(name: str) -> JSON:
    return {"id": name, "object": "model", "created": 0, "owned_by": _OWNER}


def _openai_names(config: Config) -> list[str]:
    return [*config.model_names(), *config.embedding_names()]


def models_list(config: Config, headers: Headers) -> JSON:
    if "anthropic-version" in headers:
        return messages.models_list(config)
    return {"object": "list", "data": [_openai_model(n) for n in _openai_names(config)]}


def model_retrieve(config: Config, headers: Headers, model_id: str) -> JSON:
    """One model as the list shows it; a 404 naming the models there are."""
    if "anthropic-version" in headers:
        listed: JSON = messages.models_list(config)
        for model in listed["data"]:
            if model["id"] == model_id:
                return dict(model)
        names = config.model_names()
    else:
        names = _openai_names(config)
        if model_id in names:
            return _openai_model(model_id)
    raise GatewayError(404, f"The model {model_id!r} does not exist. Available models: "
                       f"{', '.join(names)}.", code="model_not_found", param="model")


def endpoints(app: FastAPI) -> list[str]:
    """`METHOD /path` of every route the app serves (the published schema left out)."""
    out = []
    for route in app.routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            path = route.path.replace(":path}", "}")
            out += [f"{method} {path}" for method in sorted(route.methods)]
    return out


def unknown_path(app: FastAPI, method: str, path: str) -> GatewayError:
    return GatewayError(
        404,
        f"Unknown path: {method} {path}. This gateway serves: {', '.join(endpoints(app))}.",
        code="unknown_path",
    )
