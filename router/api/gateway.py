"""`Gateway`: everything a request needs (config, classifier, health, upstream, metrics),
built once at start-up and shared by every front door."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from fastapi import Request
from starlette.datastructures import Headers

from router.affinity_store import AffinityStore
from router.ceiling import bound_route
from router.classify import Classifier, load_classifier
from router.config import Config
from router.costs import ModelInfo, build_catalog, reference_deployment
from router.errors import GatewayError
from router.keys import Caller, KeyRing
from router.ops.log import RequestLog
from router.params import with_params
from router.policy import Decision, PolicyError, Route, decide, needs_of
from router.redact import Redactor, secret_values
from router.state import open_state
from router.state.limits import Admission
from router.telemetry import Metrics
from router.upstream import Upstream
from router.verify import Verifier

if TYPE_CHECKING:
    from router.upstream_messages import HTTPPool


# Output a reservation counts on: a cap (max_tokens) is not an estimate (router/state/limits.py).
ESTIMATED_OUTPUT_TOKENS = 1024


class Gateway:
    """Everything a request needs, built once at start-up."""

    def __init__(self, config: Config, classifier: Classifier | None = None) -> None:
        self.config = config
        self.catalog: dict[str, ModelInfo] = with_params(config, build_catalog(config))
        self.classifier = classifier or load_classifier(
            config.classifier.kind, config.classifier.weights
        )
        # Health, affinity, rate windows and spend: in process, or shared through Redis.
        self.state = open_state(config)
        self.health = self.state.health
        self.limits = self.state.limits
        self.redact = Redactor(secret_values(config))
        self.upstream = Upstream(config, self.health, self.redact)
        self.verifier = Verifier(config, self.catalog, self.upstream)
        self.reference = self.catalog[reference_deployment(config)]
        self.metrics = Metrics()
        self.request_log = RequestLog.open(
            config, self.redact, self.metrics.registry, self.upstream, self.catalog
        )
        self.affinity: AffinityStore = self.state.affinity
        self.keys = KeyRing(config.server.api_keys, config.keys)

    @cached_property
    def messages_http(self) -> HTTPPool:
        """Native Anthropic Messages calls' pool (router/upstream_messages.py, loaded with
        litellm: see router/startup.py)."""
        from router.upstream_messages import HTTPPool

        return HTTPPool()

    def authorized(self, headers: Headers) -> bool:
        return self.keys.identify(headers) is not None

    def identify(self, headers: Headers) -> Caller | None:
        """Who sent the request (None: a key is required and this one is wrong)."""
        return self.keys.identify(headers)

    async def reserve(self, request: Request, view: dict[str, Any], decision: Decision) -> None:
        """Reserve the request's estimated cost against its key's budget (429 when the
        budget is at its end): the prompt and up to `ESTIMATED_OUTPUT_TOKENS` of output on
        the dearest deployment the request may reach."""
        admission: Admission | None = getattr(request.state, "admission", None)
        if admission is None:
            return
        needs = needs_of(view)
        output = min(needs.output_tokens or ESTIMATED_OUTPUT_TOKENS, ESTIMATED_OUTPUT_TOKENS)
        estimate = max((self.catalog[c.deployment.name].cost(needs.prompt_tokens, output)
                        for c in decision.candidates), default=0.0)
        await self.limits.reserve(admission, estimate)

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
        return self.decide_route(body, route, request)

    def decide_route(
        self, view: dict[str, Any], route: Route, request: Request | None = None
    ) -> Decision:
        """The Decision for a chat-shaped request (`view`) and what the client asked for,
        within its key's ceiling and budget cap."""
        if request is not None:
            caller: Caller | None = getattr(request.state, "caller", None)
            admission: Admission | None = getattr(request.state, "admission", None)
            route = bound_route(self.config, route, caller.entry if caller else None,
                                admission.cap if admission else None)
        assessment = self.classifier.score(view)
        try:
            return decide(self.config, self.catalog, needs_of(view), assessment, route)
        except PolicyError as err:
            raise GatewayError(400, str(err), code=err.code, param=err.param) from None
