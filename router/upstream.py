"""Calls providers: litellm per deployment, tenacity retries, health, fallback, escalation.

The only module that talks to providers. `Upstream.complete` walks the
Decision's candidates in order (the chosen tier's deployments, then the tiers
above when escalation is on):

- skip a deployment that is cooling down, or (after a context-length error)
  whose window is not larger than the one that failed;
- retry transient failures (429, 408, 5xx, connect errors, timeouts) with
  jittered exponential backoff that honours Retry-After, inside the request
  deadline; then move to the next deployment;
- on 401/403 or a model unknown to the provider, cool the deployment down at
  once and move on;
- return the client's own errors (bad request, content filter) without trying
  elsewhere.

Time limits (router/config.py `resilience`): the request deadline bounds the
time until an answer starts; an attempt with no first token within
`first_token_timeout_s` is a stall (next deployment, no retry); once an answer
has started, each gap between chunks is bounded by `idle_timeout_s`, never by
the deadline. Non-streamed requests are streamed from the provider
(`stream_upstream`) so that these limits can be observed, and assembled into
the JSON answer the provider would have sent, on every wire whose `Answers`
can put it back together (chat completions; Messages and the Responses API
through their `WireCall`).

For streams the same walk runs until the first chunk has arrived; the caller
sends it and owns the rest of the stream (see `Served.chunks`, which enforces the
idle gap and the optional `stream_timeout_s`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import math
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from router.attachments import inline_remote_images, needs_inlined_images, remote_images
from router.config import Config, Deployment
from router.direct import DirectTransport, plain_call, plain_deployment
from router.errors import Failure, GatewayError, Kind, MalformedAnswer, Stalled, classify
from router.health import Health
from router.json_mode import JsonModeStream
from router.params import for_provider
from router.policy import Candidate, Decision
from router.redact import Redactor, StreamScrubber
from router.startup import Preload

if TYPE_CHECKING:
    from tenacity import RetryCallState

    from router.transport import LeanTransport

log = logging.getLogger("tianji.upstream")


@dataclass
class Attempt:
    """One call to one deployment (or one deployment skipped), for logs and headers."""

    deployment: str
    tier: str
    outcome: str  # "ok", a failure kind, or "skipped"
    action: str  # "served", "retry", "next", "return", "cooldown", "skip"
    error_class: str = ""
    status: int | None = None
    elapsed_ms: float = 0.0
    detail: str = ""


@dataclass
class Served:
    """A successful answer: a response dict, or a stream whose first chunk has arrived."""

    candidate: Candidate
    attempts: list[Attempt]
    response: dict[str, Any] | None = None
    first_chunk: dict[str, Any] | None = None
    chunks: AsyncIterator[Any] | None = None
    close: Callable[[], Any] | None = None
    # For streams: whether the provider itself said the answer was complete. litellm's
    # stream wrapper invents finish_reason "stop" when a stream just ends, so a relayed
    # finish_reason alone does not prove the provider finished.
    provider_finished: Callable[[], bool] | None = None
    usage: dict[str, int] = field(default_factory=dict)

    @property
    def calls(self) -> int:
        return sum(1 for a in self.attempts if a.action != "skip")


class Answers(Protocol):
    """How one wire's answers are read.

    A non-streamed request is streamed from the provider (`stream_upstream`) when
    `streams(params)` says the wire can put the answer back together: Upstream then waits
    for `first(events)` (the first event, within first_token_timeout_s), and
    `assemble(first, rest, events, params)` builds the JSON answer the provider would have
    sent from the other events (`rest`, each within idle_timeout_s of the last)."""

    def streams(self, params: dict[str, Any]) -> bool: ...

    def has_answer(self, body: dict[str, Any]) -> bool:
        """Whether a 200's JSON body carries an answer (else a malformed answer)."""
        ...

    async def first(self, events: Any) -> Any: ...

    async def assemble(self, first: Any, rest: AsyncIterator[Any], events: Any,
                       params: dict[str, Any]) -> dict[str, Any]: ...


class WireCall(Answers, Protocol):
    """A call in another wire format than chat completions (router/upstream_messages.py,
    router/upstream_embeddings.py, router/upstream_responses.py): `await call(**kwargs)`
    with the keyword arguments Upstream builds (the client's params, the deployment's,
    `model`, `stream`, timeouts) returns the answer in that wire's shape: a JSON dict, or
    with `stream=True` an async iterator of events. A deployment it does not `take` is
    called on the chat path with the chat `params` (the Responses API's bridge)."""

    def takes(self, dep: Deployment) -> bool: ...

    async def __call__(self, **kwargs: Any) -> Any: ...


class _AttemptFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def openai_dict(obj: Any) -> dict[str, Any]:
    """A litellm response or chunk as OpenAI's JSON, without litellm's extra fields."""
    data: dict[str, Any] = obj if isinstance(obj, dict) else obj.model_dump(exclude_none=True)
    for choice in data.get("choices") or ():
        choice.pop("provider_specific_fields", None)
        for key in ("message", "delta"):
            if isinstance(choice.get(key), dict):
                choice[key].pop("provider_specific_fields", None)
    return data


def quiet_litellm() -> None:
    """No debug banners, no message logging: we log what we need ourselves."""
    import litellm

    litellm.suppress_debug_info = True
    litellm.turn_off_message_logging = True


class Upstream:
    def __init__(self, config: Config, health: Health, redactor: Redactor) -> None:
        self.config = config
        self.health = health
        self.redact = redactor
        # litellm and what uses it, loaded in the background or on the first call.
        self.preload = Preload(self._load)
        self._litellm: ModuleType | None = None
        self._transport: LeanTransport | None = None
        # Plain OpenAI-wire calls without litellm (router/direct.py); off with the lean path.
        lean = os.environ.get("TIANJI_LEAN_TRANSPORT") != "0"
        self._direct = DirectTransport(self.preload.wait) if lean else None
        self._chat = _ChatAnswers(self.preload.wait)
        self._plain = {d.name for t in config.tiers for d in t.deployments
                       if plain_deployment(d.model, d.litellm_params)}

    @functools.cached_property
    def _backoff(self) -> Callable[[RetryCallState], float]:
        """tenacity's jittered exponential wait (imported at the first retry, or with
        litellm: most processes never retry)."""
        from tenacity import wait_exponential_jitter

        r = self.config.resilience
        return wait_exponential_jitter(
            multiplier=r.backoff_initial_s, max=r.backoff_max_s, jitter=r.backoff_initial_s
        )

    def _load(self) -> None:
        """Import litellm, the lean transport and the Messages path, and resolve each
        deployment's lean route: what a first call would otherwise do."""
        import litellm
        import tenacity  # noqa: F401 - the retry loop's, imported here off the event loop

        import router.upstream_messages  # noqa: F401 - the /v1/messages path's litellm parts
        from router.transport import LeanTransport

        quiet_litellm()
        # Calls (streams too) to API-key HTTP providers skip acompletion's overhead (see
        # router/transport.py); TIANJI_LEAN_TRANSPORT=0 sends everything through acompletion.
        if os.environ.get("TIANJI_LEAN_TRANSPORT") != "0":
            transport = LeanTransport()
            for tier in self.config.tiers:
                for dep in tier.deployments:
                    transport.supports(dep.model, dep.litellm_params, stream=True)
            self._transport = transport
        self._litellm = litellm

    @property
    def needs_litellm(self) -> bool:
        """Whether some deployment needs litellm for every call (not router/direct.py's), so
        that serving loads it at start-up rather than on first need."""
        deployments = [d.name for t in self.config.tiers for d in t.deployments]
        return (self._direct is None or bool(self.config.embeddings)
                or not self._plain.issuperset(deployments))

    def _takes_direct(self, cand: Candidate, params: dict[str, Any]) -> bool:
        return (self._direct is not None and cand.deployment.name in self._plain
                and plain_call(params))

    @property
    def transport(self) -> LeanTransport | None:
        """The lean transport (None when TIANJI_LEAN_TRANSPORT=0); loads litellm if need be."""
        self.preload.now()
        return self._transport

    async def complete(
        self,
        decision: Decision,
        params: dict[str, Any],
        *,
        stream: bool,
        deadline: float,
        request_id: str,
        call: WireCall | None = None,
        attempts: list[Attempt] | None = None,
    ) -> Served:
        """Serve the request from the first deployment that answers; raise GatewayError if none.

        `call` replaces the chat-completions call (litellm or the lean transport) for another
        wire on the deployments it `takes`; it gets the same keyword arguments (see
        `WireCall`). Every
        attempt is appended to `attempts` when given (the verified cascade keeps the
        attempts of a walk that found no answer)."""
        attempts = [] if attempts is None else attempts
        failures: list[Failure] = []
        failed_window: int | None = None
        inlined: list[Any] | None = None  # the messages with remote images as data: URLs
        for cand in decision.candidates:
            name = cand.deployment.name
            cooling = self.health.cooling_for(name)
            if cooling > 0:
                attempts.append(
                    Attempt(name, cand.tier, "skipped", "skip", detail=f"cooldown {cooling:.1f}s")
                )
                continue
            if failed_window is not None and (cand.window is None or cand.window <= failed_window):
                attempts.append(
                    Attempt(name, cand.tier, "skipped", "skip", detail="window not larger")
                )
                continue
            if deadline - time.monotonic() <= 0:
                break
            call_params = params
            wire = call if call is not None and call.takes(cand.deployment) else None
            # Another wire's call sends the client's body natively, attachments as sent.
            if wire is None and needs_inlined_images(cand.deployment.provider) and any(
                remote_images(params["messages"])
            ):
                if inlined is None:  # the client's attachments: fetched once, never a failure
                    await self.preload.wait()  # litellm's image fetcher
                    timeout = min(self.config.server.attachment_timeout_s,
                                  deadline - time.monotonic())
                    inlined = await inline_remote_images(params["messages"], timeout)
                call_params = {**params, "messages": inlined}
            try:
                served = await self._serve_from(
                    cand, call_params, stream, deadline, attempts, request_id, wire
                )
            except _AttemptFailed as err:
                failure = err.failure
                failures.append(failure)
                if failure.kind in (Kind.CLIENT, Kind.CONTENT_FILTER):
                    raise self._client_error(failure, cand).with_attempts(attempts) from None
                if failure.kind is Kind.CONTEXT_LENGTH:
                    failed_window = cand.window or 0
                continue
            return served
        raise self._exhausted(decision, attempts, failures, deadline).with_attempts(attempts)

    async def _serve_from(
        self,
        cand: Candidate,
        params: dict[str, Any],
        stream: bool,
        deadline: float,
        attempts: list[Attempt],
        request_id: str,
        call: WireCall | None = None,
    ) -> Served:
        """Call one deployment, retrying transient failures; raise _AttemptFailed when done.

        The retry loop is set up only after a first failure (most calls have none): tenacity
        then starts from that failure as its first attempt's outcome."""
        try:
            return await self._call_once(cand, params, stream, deadline, attempts, request_id, call)
        except _AttemptFailed as err:
            first: _AttemptFailed | None = err
        from tenacity import AsyncRetrying, retry_if_exception

        r = self.config.resilience
        name = cand.deployment.name

        def may_retry(exc: BaseException) -> bool:
            return (
                isinstance(exc, _AttemptFailed)
                and exc.failure.retryable
                and self.health.cooling_for(name) == 0
            )

        def stop(state: RetryCallState) -> bool:
            if state.attempt_number > r.retries:
                return True
            exc = state.outcome.exception() if state.outcome else None
            wait_at_least = getattr(getattr(exc, "failure", None), "retry_after", None) or 0.0
            return time.monotonic() + wait_at_least >= deadline

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            retry_after = getattr(getattr(exc, "failure", None), "retry_after", None) or 0.0
            return max(
                0.0, min(max(self._backoff(state), retry_after), deadline - time.monotonic())
            )

        retrying = AsyncRetrying(
            stop=stop, wait=wait, retry=retry_if_exception(may_retry), reraise=True
        )
        async for attempt in retrying:
            with attempt:
                if first is not None:
                    failed, first = first, None
                    raise failed
                return await self._call_once(
                    cand, params, stream, deadline, attempts, request_id, call
                )
        raise AssertionError("unreachable: tenacity reraises the last failure")

    async def _call_once(
        self,
        cand: Candidate,
        params: dict[str, Any],
        stream: bool,
        deadline: float,
        attempts: list[Attempt],
        request_id: str,
        wire_call: WireCall | None = None,
    ) -> Served:
        dep = cand.deployment
        r = self.config.resilience
        # Non-streamed requests are streamed from the provider too (`stream_upstream`), so a
        # stall shows before the first token instead of after a whole answer's time.
        wire: Answers = wire_call or self._chat
        upstream_stream = stream or (r.stream_upstream and wire.streams(params))
        # A plain OpenAI-wire call needs no litellm (router/direct.py); anything else does.
        direct = wire_call is None and upstream_stream and self._takes_direct(cand, params)
        if not direct:
            await self.preload.wait()
        kwargs: dict[str, Any] = {
            # Tianji's translations for this deployment (router/params.py: none for a plain
            # call); another wire's call gets the client's body as it is.
            **(params if wire_call or direct else for_provider(dep, params)),
            **dep.litellm_params,
            "model": dep.model,
            "stream": upstream_stream,
            # litellm caches its HTTP clients by parameters, timeout included: pass a constant
            # so connections are reused; the timers below enforce the real limits.
            "timeout": r.attempt_timeout_s or r.request_timeout_s,
            "num_retries": 0,
            "max_retries": 0,
            "drop_params": True,
            # litellm routes any call with `tools` through its proxy's MCP gateway, which needs
            # the `mcp` package and is not ours to use: skip it (litellm 1.106, main.py).
            "_skip_mcp_handler": True,
        }
        if upstream_stream:
            kwargs["stream_options"] = {"include_usage": True}
        if wire_call is not None:
            call = wire_call
        elif direct and self._direct is not None:
            call = self._direct.acompletion
        else:
            call = self._call_for(dep, upstream_stream, kwargs)
        started = time.monotonic()
        attempt_end = started + r.attempt_timeout_s if r.attempt_timeout_s else math.inf
        start_by = min(deadline, attempt_end)
        response: Any = None
        body: dict[str, Any] | None = None
        try:
            if upstream_stream:
                first_token_by = started + r.first_token_timeout_s
                stall = (
                    f"no first token within first_token_timeout_s ({r.first_token_timeout_s:g}s)"
                    if first_token_by < start_by else None
                )
                async with _timer(
                    min(start_by, first_token_by) - started, Stalled(stall) if stall else None
                ):
                    response = await call(**kwargs)
                    if kwargs.get("json_mode"):
                        response = JsonModeStream(response)  # see router/json_mode.py
                    first = await wire.first(response)
                if not stream:
                    chunks = _Paced(response, *self._idle(), until=attempt_end,
                                    over=f"attempt_timeout_s ({r.attempt_timeout_s}s)")
                    body = await wire.assemble(first, chunks, response, params)
            else:
                async with asyncio.timeout(start_by - started):
                    response = await call(**kwargs)
                body = openai_dict(response)
                if not wire.has_answer(body):
                    raise MalformedAnswer("the provider answered 200 with no answer in it")
        except (Exception, TimeoutError) as exc:
            if upstream_stream and response is not None:
                await _close_quietly(response)
            failure = classify(exc)
            failure = Failure(
                failure.kind,
                failure.status,
                failure.error_class,
                self.redact(failure.message),
                failure.retry_after,
            )
            self._record_failure(cand, failure, started, attempts)
            raise _AttemptFailed(failure) from None
        if stream and _is_final(first) and not _provider_finished(response):
            await _close_quietly(response)
            failure = Failure(Kind.TRANSIENT, None, "IncompleteStream",
                              "the stream ended before the provider sent any answer")
            self._record_failure(cand, failure, started, attempts)
            raise _AttemptFailed(failure)
        self.health.record_success(dep.name)
        elapsed = (time.monotonic() - started) * 1000
        attempts.append(Attempt(dep.name, cand.tier, "ok", "served", elapsed_ms=elapsed))
        if body is not None:
            if self.redact.has_secrets:
                body, found = self.redact.scrub(body)
                if found:
                    _log_redaction(request_id, dep.name, "answer")
            return Served(cand, attempts, response=body, usage=body.get("usage") or {})
        until = started + r.stream_timeout_s if r.stream_timeout_s else math.inf
        each: Callable[[Any], Any] = openai_dict
        if self.redact.has_secrets:
            scrubber = StreamScrubber(
                self.redact, lambda: _log_redaction(request_id, dep.name, "stream")
            )
            each = lambda chunk: scrubber(openai_dict(chunk))  # noqa: E731
        chunks = _Paced(response, *self._idle(), until=until,
                        over=f"stream_timeout_s ({r.stream_timeout_s}s)", each=each)
        return Served(
            cand,
            attempts,
            first_chunk=each(first),
            chunks=chunks,
            close=chunks.aclose,
            provider_finished=lambda: _provider_finished(response),
        )

    def _call_for(
        self, dep: Any, upstream_stream: bool, kwargs: dict[str, Any]
    ) -> Callable[..., Awaitable[Any]]:
        """The lean transport's call where it takes the deployment, else `acompletion`
        (litellm loaded); sets `as_dicts` on `kwargs` for the lean path."""
        transport, litellm = self._transport, self._litellm
        lean = transport is not None and transport.supports(
            dep.model, dep.litellm_params, stream=upstream_stream
        )
        if lean and transport is not None:
            kwargs["as_dicts"] = True  # OpenAI-wire chunks relayed as dicts
            return transport.acompletion
        assert litellm is not None, "_call_once loads it first"
        return litellm.acompletion  # type: ignore[no-any-return]

    def _idle(self) -> tuple[float, str | None]:
        """The longest gap between two chunks, and the stall message when the gap is
        `idle_timeout_s` (not the cap on the attempt)."""
        r = self.config.resilience
        if r.attempt_timeout_s is not None and r.attempt_timeout_s < r.idle_timeout_s:
            return r.attempt_timeout_s, None
        return r.idle_timeout_s, f"no chunk for idle_timeout_s ({r.idle_timeout_s:g}s)"

    def _record_failure(
        self,
        cand: Candidate,
        failure: Failure,
        started: float,
        attempts: list[Attempt],
    ) -> None:
        name = cand.deployment.name
        if failure.kind in (Kind.CLIENT, Kind.CONTENT_FILTER):
            action = "return"
        elif failure.kind is Kind.UNTRANSLATABLE:
            action = "next"  # litellm could not build the request: not the provider's fault
        else:
            cool_now = failure.kind in (Kind.AUTH, Kind.DEPLOYMENT)
            cooled = self.health.record_failure(name, failure.error_class, cool_now=cool_now)
            if cooled:
                action = "cooldown"
            elif failure.retryable and len(
                [a for a in attempts if a.deployment == name and a.action != "skip"]
            ) < self.config.resilience.retries:
                action = "retry"
            else:
                action = "next"
        attempt = Attempt(
            name,
            cand.tier,
            failure.kind.value,
            action,
            error_class=failure.error_class,
            status=failure.status,
            elapsed_ms=(time.monotonic() - started) * 1000,
            detail=failure.message[:200],
        )
        attempts.append(attempt)

    def _client_error(self, failure: Failure, cand: Candidate) -> GatewayError:
        dep = cand.deployment
        if failure.kind is Kind.CONTENT_FILTER:
            return GatewayError(400, f"Deployment {dep.name} ({dep.provider}) refused the "
                                f"content: {failure.message}", code="content_filter")
        return GatewayError(400, f"Deployment {dep.name} ({dep.provider}) rejected the "
                            f"request: {failure.message}", code="upstream_rejected")

    def _exhausted(
        self,
        decision: Decision,
        attempts: list[Attempt],
        failures: list[Failure],
        deadline: float,
    ) -> GatewayError:
        providers = {c.deployment.name: c.deployment.provider for c in decision.candidates}
        tried = "; ".join(
            f"{a.deployment} ({providers.get(a.deployment, '?')}): {_in_words(a)}"
            for a in attempts
            if a.action != "served"
        )
        if not decision.candidates:
            missing = decision.missing_env
            if missing:
                return GatewayError(
                    503,
                    f"No deployment of tier {decision.tier!r} or above has credentials: set "
                    f"{', '.join(missing)}.",
                    type="service_unavailable",
                    code="missing_credentials",
                )
            return GatewayError(
                503, "No deployment can take this request.", "service_unavailable", "no_deployment"
            )
        if failures and all(f.kind is Kind.UNTRANSLATABLE for f in failures):
            return GatewayError(
                400,
                "The request could not be translated for any deployment's provider: "
                f"{failures[-1].message}",
                code="untranslatable_request",
                param="messages",
            )
        if failures and all(f.kind is Kind.CONTEXT_LENGTH for f in failures):
            return GatewayError(
                400,
                "The conversation and requested output do not fit the context window of any "
                f"deployment that could take it. Tried: {tried}",
                code="context_length_exceeded",
                param="messages",
            )
        if failures and all(f.status == 429 for f in failures):
            waits = [f.retry_after for f in failures if f.retry_after is not None]
            headers = {"retry-after": str(max(1, round(min(waits))))} if waits else {}
            return GatewayError(
                429,
                f"Every deployment is rate-limited. Tried: {tried}",
                type="rate_limit_error",
                code="rate_limit_exceeded",
                headers=headers,
            )
        # "Cooling down" only when it is true of every deployment that could take it.
        cooling = [a for a in attempts if a.detail.startswith("cooldown")]
        if not failures and cooling and len(cooling) == len(decision.candidates):
            return GatewayError(
                503,
                f"Every deployment that could take this request is cooling down. Skipped: {tried}",
                type="service_unavailable",
                code="all_deployments_cooling_down",
            )
        if time.monotonic() >= deadline:
            return GatewayError(
                504,
                f"The request deadline of {self.config.resilience.request_timeout_s:g}s passed "
                f"before any deployment answered. Tried: {tried or 'none'}",
                type="timeout",
                code="deadline_exceeded",
            )
        return GatewayError(
            503,
            f"No deployment could answer. Tried: {tried}",
            type="service_unavailable",
            code="all_deployments_failed",
        )


def _in_words(a: Attempt) -> str:
    """What happened at one deployment, for a client-facing message."""
    if a.detail.startswith("cooldown"):
        return f"skipped, cooling down ({a.detail.removeprefix('cooldown ')} left)"
    if a.action == "skip":
        return "skipped, its context window is not larger than one that was too small"
    return a.detail or a.outcome


def assemblable(params: dict[str, Any]) -> bool:
    """Whether litellm's chunk builder rebuilds this request's JSON answer whole: it keeps
    one choice and no logprobs, so `n > 1` and `logprobs` are fetched as JSON."""
    return (params.get("n") or 1) == 1 and not params.get("logprobs")


@contextlib.asynccontextmanager
async def _timer(seconds: float, expired: BaseException | None) -> AsyncIterator[None]:
    """asyncio.timeout(seconds); when it fires, raise `expired` (if given) instead."""
    timeout = asyncio.timeout(max(0.0, seconds))
    try:
        async with timeout:
            yield
    except TimeoutError:
        if expired is None or not timeout.expired():
            raise
        raise expired from None


class _Paced:
    """A provider's stream with its timers: at most `idle_s` between two chunks (Stalled when
    `stall` names the limit, else a timeout), and nothing after `until` (a monotonic time,
    `over` says which limit that is). Each chunk goes through `each` on its way out.

    One watchdog per stream times every wait for a chunk (not an `asyncio.timeout` per
    chunk): a wait moves the deadline, and the watchdog, set for the first wait, is set
    again only when it goes off before the deadline of the wait in progress. A chunk that
    is parsed already is no wait."""

    def __init__(
        self, stream: Any, idle_s: float, stall: str | None, *, until: float, over: str,
        each: Callable[[Any], Any] = lambda chunk: chunk,
    ) -> None:
        self._each = each
        self._stream = stream
        self._idle_s = idle_s
        self._stall = stall
        self._until = until
        self._over = over
        self._waiting: asyncio.Task[Any] | None = None  # the task waiting for a chunk
        self._deadline = 0.0  # when that wait ends (the event loop's clock)
        self._last_wait = False  # that wait ends at `until`, not after idle_s
        self._watchdog: asyncio.TimerHandle | None = None
        self._expired = False

    def __aiter__(self) -> _Paced:
        return self

    @property
    def buffered(self) -> bool:
        """Whether the next chunk is parsed already (the stream's own `buffered`)."""
        return bool(getattr(self._stream, "buffered", False))

    async def __anext__(self) -> Any:
        left = self._until - time.monotonic()
        if left > 0 and self.buffered:
            return self._each(await anext(self._stream))  # parsed already: nothing to time
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        cancelling = task.cancelling()
        self._last_wait = left < self._idle_s
        self._deadline = loop.time() + max(0.0, min(left, self._idle_s))
        self._waiting = task
        if self._watchdog is None:
            self._watchdog = loop.call_at(self._deadline, self._watch)
        try:
            chunk = await anext(self._stream)
        except BaseException as exc:
            self._stop_watching()
            if self._expired:  # the watchdog's cancellation, as asyncio.timeout's
                self._expired = False
                if task.uncancel() <= cancelling and isinstance(exc, asyncio.CancelledError):
                    raise self._timed_out() from None
            raise
        finally:
            self._waiting = None
        if self._expired:  # the stream swallowed the watchdog's cancellation: undo it
            self._expired = False
            task.uncancel()
        return self._each(chunk)

    def _timed_out(self) -> Exception:
        """The error of a wait the watchdog ended: which limit it reached."""
        if self._last_wait:
            return TimeoutError(f"the answer took longer than {self._over}")
        if self._stall:
            return Stalled(self._stall)
        return TimeoutError(f"no chunk for {self._idle_s:g}s")

    def _watch(self) -> None:
        """The watchdog went off: cancel the wait in progress if its deadline has passed,
        else watch until it does; with no wait in progress, the next wait sets it again."""
        self._watchdog = None
        task = self._waiting
        if task is None or self._expired:
            return
        loop = asyncio.get_running_loop()
        if loop.time() < self._deadline:
            self._watchdog = loop.call_at(self._deadline, self._watch)
            return
        self._expired = True
        task.cancel()

    def _stop_watching(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    async def aclose(self) -> None:
        """Stop the watchdog and close the stream."""
        self._stop_watching()
        await self._stream.aclose()


_DELTA_FIELDS = ("role", "content", "tool_calls", "function_call", "reasoning_content",
                 "thinking_blocks")


def _field(obj: Any, name: str) -> Any:
    """A field of a chunk or part of one: a litellm object, or a dict (the lean transport's
    OpenAI-wire chunks)."""
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _carries_answer(chunk: Any) -> bool:
    """A choice with a finish reason or a delta that says something (a role included)."""
    for choice in _field(chunk, "choices") or ():
        delta = _field(choice, "delta")
        if _field(choice, "finish_reason") or any(
            _field(delta, name) is not None for name in _DELTA_FIELDS
        ):
            return True
    return False


async def first_answer_chunk(stream: Any) -> Any:
    """The first chunk that carries an answer. Chunks before it with no choices, only usage
    or empty deltas say nothing yet; a stream that ends without one is a malformed answer."""
    async for chunk in stream:
        if _carries_answer(chunk):
            return chunk
    raise MalformedAnswer("the stream ended before the provider sent any answer")


class _ChatAnswers:
    """How chat-completions answers are read (the chat call itself is litellm's, the lean
    transport's or a direct one, see `Upstream._call_once`). `need_litellm` loads litellm
    for an answer only its chunk builder can put back together."""

    def __init__(self, need_litellm: Callable[[], Awaitable[None]]) -> None:
        self.need_litellm = need_litellm

    def streams(self, params: dict[str, Any]) -> bool:
        return assemblable(params)

    def has_answer(self, body: dict[str, Any]) -> bool:
        return bool(body.get("choices"))

    async def first(self, events: Any) -> Any:
        return await first_answer_chunk(events)

    async def assemble(self, first: Any, rest: AsyncIterator[Any], events: Any,
                       params: dict[str, Any]) -> dict[str, Any]:
        return await assemble_chat(first, rest, events, params.get("messages"),
                                   self.need_litellm)


async def assemble_chat(
    first: Any, chunks: AsyncIterator[Any], stream: Any, messages: list[Any] | None = None,
    need_litellm: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """A non-streamed answer from a streamed one, as the provider's JSON answer would be:
    litellm's chunk builder, and the provider's own usage when it sent one (`messages`
    counts the prompt's tokens when it did not)."""
    received = [first]
    async for chunk in chunks:
        received.append(chunk)
    if not _provider_finished(stream):
        raise MalformedAnswer("the stream ended before the provider finished its answer")
    usage = [_field(c, "usage") for c in received if _field(c, "usage")]
    body = _text_answer(received) if usage else None
    if body is None:
        if need_litellm is not None:  # else the caller has litellm loaded
            await need_litellm()
        import litellm
        from litellm.types.utils import ModelResponseStream

        objects = [ModelResponseStream(**c) if isinstance(c, dict) else c for c in received]
        body = openai_dict(litellm.stream_chunk_builder(objects, messages=messages))
        for choice in body.get("choices") or ():
            message = choice.get("message") or {}
            if message.get("tool_calls") and not message.get("content"):
                message.pop("content", None)  # as a JSON answer that only calls tools
    if usage:
        last = usage[-1]
        body["usage"] = last.model_dump(exclude_none=True) if hasattr(last, "model_dump") else last
    return body


# Delta fields a plain text answer leaves empty; any of them set needs litellm's builder.
_NOT_TEXT = ("tool_calls", "function_call", "audio", "reasoning_content", "thinking_blocks",
             "annotations", "images", "provider_specific_fields")


def _text_answer(received: list[Any]) -> dict[str, Any] | None:
    """The JSON answer of a one-choice, text-only stream, as litellm's chunk builder builds
    it (without its cost: a third of a millisecond); None for anything else."""
    parts: list[str] = []
    finish = None
    for chunk in received:
        for choice in _field(chunk, "choices") or ():
            delta = _field(choice, "delta") or {}
            if (_field(choice, "index") or 0) != 0 or any(_field(delta, f) for f in _NOT_TEXT):
                return None
            content = _field(delta, "content")
            if content:
                parts.append(content)
            finish = _field(choice, "finish_reason") or finish
    if not parts:
        return None
    first = received[0]
    body: dict[str, Any] = {
        "id": _field(first, "id"), "created": _field(first, "created"),
        "model": _field(first, "model"), "object": "chat.completion",
        "choices": [{"finish_reason": finish, "index": 0,
                     "message": {"content": "".join(parts), "role": "assistant"}}],
    }
    if _field(first, "system_fingerprint"):
        body["system_fingerprint"] = _field(first, "system_fingerprint")
    return body




def _is_final(chunk: Any) -> bool:
    return any(_field(c, "finish_reason") for c in _field(chunk, "choices") or ())


def _provider_finished(stream: Any) -> bool:
    """Did the provider send its own finish reason (litellm's CustomStreamWrapper, LeanStream)?
    litellm's Gemini chunks never count as finished (`is_finished: False`), so their finish
    reason is only in `intermittent_finish_reason`."""
    received = getattr(stream, "received_finish_reason", "unknown")
    return received is not None or getattr(stream, "intermittent_finish_reason", None) is not None


async def _close_quietly(stream: Any) -> None:
    # Closing a broken stream may fail again; there is nothing left to do then.
    with contextlib.suppress(Exception):
        await stream.aclose()


def _log_redaction(request_id: str, deployment: str, where: str) -> None:
    """A provider's answer carried a configured secret (it echoed what it was sent)."""
    log.warning(json.dumps({"event": "secret_redacted", "request_id": request_id,
                            "deployment": deployment, "where": where}))
