"""`Gateway`: everything a request needs (config, classifier, health, upstream, metrics),
built once at start-up and shared by every front door."""

from __future__ import annotations

import hmac
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fastapi import Request
from starlette.datastructures import Headers

from router.affinity_store import AffinityStore, InProcessAffinity
from router.classify import Classifier, load_classifier
from router.config import Config
from router.costs import ModelInfo, build_catalog, reference_deployment
from router.errors import GatewayError
from router.health import Health
from router.params import with_params
from router.policy import Decision, PolicyError, Route, decide, needs_of
from router.redact import Redactor, secret_values
from router.ops.log import RequestLog
from router.telemetry import Metrics
from router.upstream import Upstream
from router.verify import Verifier

if TYPE_CHECKING:
    from router.upstream_messages import HTTPPool


class Gateway:
    """Everything a request needs, built once at start-up."""

    def __init__(self, config: Config, classifier: Classifier | None = None) -> None:
        self.config = config
        self.catalog: dict[str, ModelInfo] = with_params(config, build_catalog(config))
        self.classifier = classifier or load_classifier(
            config.classifier.kind, config.classifier.weights
        )
        self.health = Health(
            config.resilience.cooldown_s, config.resilience.failures_before_cooldown
        )
        self.redact = Redactor(secret_values(config))
        self.upstream = Upstream(config, self.health, self.redact)
        self.verifier = Verifier(config, self.catalog, self.upstream)
        self.reference = self.catalog[reference_deployment(config)]
        self.metrics = Metrics()
        self.request_log = RequestLog.open(
            config, self.redact, self.metrics.registry, self.upstream, self.catalog
        )
        self.affinity: AffinityStore = InProcessAffinity(config.affinity.max_conversations)
        self._api_keys = [k.encode() for k in config.server.api_keys]

    @cached_property
    def messages_http(self) -> HTTPPool:
        """Native Anthropic Messages calls' pool (router/upstream_messages.py, loaded with
        litellm: see router/startup.py)."""
        from router.upstream_messages import HTTPPool

        return HTTPPool()

    def authorized(self, headers: Headers) -> bool:
        if not self._api_keys:
            return True
        supplied = headers.get("authorization", "")
        token = supplied[7:] if supplied[:7].lower() == "bearer " else ""
        token = token or headers.get("x-api-key", "")
        given = token.encode()
        # Compare with every key, always, so timing says nothing about which matched.
        ok = False
        for key in self._api_keys:
            ok |= hmac.compare_digest(given, key)
        return ok

    def decide(self, body: dict[str, Any], request: Request) -> Decision:
        route = Route(
            model=body.get("model", "auto"),
            min_tier=request.headers.get("x-tianji-min-tier"),
            max_tier=request.headers.get("x-tianji-max-tier"),
        )
        if route.model != "auto" and self.config.tier_index(route.model) is None:
            raise GatewayError(
                404,
                f"The model {route.model!r} does not exist. Available models: "
                f"{', '.join(self.config.model_names())}.",
                code="model_not_found",
                param="model",
            )
        return self.decide_route(body, route)

    def decide_route(self, view: dict[str, Any], route: Route) -> Decision:
        """The Decision for a chat-shaped request (`view`) and what the client asked for."""
        assessment = self.classifier.score(view)
        try:
            return decide(self.config, self.catalog, needs_of(view), assessment, route)
        except PolicyError as err:
            raise GatewayError(400, str(err), code=err.code, param=err.param) from None
