"""The request path every front door shares: body reading, conversation affinity, the
key's budget, the upstream call (through the verified cascade), the stream commit point,
cost, metrics, the request log line and the x-tianji-* headers.

A front door reads its body with `arrive`, parses and validates its own wire format, asks
the `Gateway` for a Decision, and hands the rest to `respond` with a `Door`: how it writes
a JSON answer and a stream in its own wire format. Its errors are raised as GatewayError
and written in its wire's shape by the app (router/api/app.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.requests import ClientDisconnect

from router.affinity import Memory, Steer, Turn, conversation_key, served_label, steer
from router.api.gateway import Gateway
from router.costs import Tokens
from router.errors import GatewayError, classify
from router.guards import body_deadline, require_json
from router.ops.record import Entry, calls_made, tried
from router.policy import Decision, needs_of
from router.schema import PASSTHROUGH_PARAMS
from router.state.limits import Admission
from router.upstream import Attempt, Served, WireCall

log = logging.getLogger("tianji.request")
JSON = "application/json"
# Error codes of a stream that had started: the provider's stream failed (502, also the
# code of the in-band error event), or the client closed the connection (499).
STREAM_INTERRUPTED = "stream_interrupted"
CLIENT_CLOSED = "client_closed_request"
ANSWER_UNWRITABLE = "answer_unwritable"


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def error_response(err: GatewayError, request_id: str | None = None) -> Response:
    headers = dict(err.headers)
    if request_id:
        headers["x-request-id"] = request_id
    return Response(json_bytes(err.to_body()), err.status, headers, media_type=JSON)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, declared as JSON (415 otherwise), at most `limit` bytes (413), arriving
    within `server.body_timeout_s` (408)."""
    require_json(request.headers)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise GatewayError(413, f"Request body is larger than {limit} bytes.", code="too_large")
    chunks = []
    size = 0
    timeout_s = request.app.state.gateway.config.server.body_timeout_s
    async with body_deadline(timeout_s):
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise GatewayError(
                        413, f"Request body is larger than {limit} bytes.", code="too_large"
                    )
                chunks.append(chunk)
        except ClientDisconnect:  # the client left mid-body: its 499, not an internal error
            raise GatewayError(499, "The client closed the connection before the request "
                               "body arrived.", code=CLIENT_CLOSED) from None
    return b"".join(chunks)


def tianji_headers(
    decision: Decision | None, served: Served, cost: float | None, affinity: str | None = None,
    verified: str | None = None,
) -> dict[str, str]:
    """The x-tianji-* headers of an answer; no difficulty without a scored `decision`
    (embeddings)."""
    dep = served.candidate.deployment
    headers = {
        "x-tianji-tier": served.candidate.tier,
        "x-tianji-model": dep.model,
        "x-tianji-provider": dep.name,
    }
    if decision is not None:
        headers["x-tianji-difficulty"] = f"{decision.assessment.difficulty:.4f}"
    headers["x-tianji-attempts"] = str(served.calls)
    if cost is not None:
        headers["x-tianji-cost-usd"] = f"{cost:.8f}"
    if affinity is not None:
        headers["x-tianji-affinity"] = affinity
    if verified is not None:
        headers["x-tianji-verified"] = verified
    return headers


# What a turn's output is expected to be for affinity's cost comparison: max_tokens is a
# cap (Claude Code sends 128000), not an estimate.
EXPECTED_OUTPUT_TOKENS = 1024


@dataclass(frozen=True)
class Affinity:
    """The affinity step of one request: its conversation, the steer and the turn size."""

    key: str
    steer: Steer
    turn: Turn
    memory: Memory | None


async def steer_by_affinity(
    gw: Gateway, headers: Mapping[str, str], body: dict[str, Any], view: dict[str, Any],
    decision: Decision,
) -> tuple[Decision, Affinity | None]:
    """The Decision after conversation affinity (router/affinity.py), when it is on."""
    if not gw.config.affinity.enabled:
        return decision, None
    needs = needs_of(view)
    turn = Turn(needs.prompt_tokens, min(needs.output_tokens or EXPECTED_OUTPUT_TOKENS,
                                         EXPECTED_OUTPUT_TOKENS))
    key = conversation_key(headers, body, view)
    # A request without an earlier assistant turn starts a conversation: nothing to keep.
    continues = any(m.get("role") == "assistant" for m in view.get("messages") or ())
    memory = await gw.affinity.get(key) if continues else None
    steered = steer(decision, memory, time.time(), turn, gw.catalog, gw.config)
    return steered.decision, Affinity(key, steered, turn, memory)


@dataclass(frozen=True)
class Call:
    """One chat request, for its metrics and its log line."""

    request_id: str
    decision: Decision
    started: float
    stream: bool
    messages: list[Any] | None  # only with server.log_prompts: true
    entry: Entry  # the request log's view of the request (router/ops)
    admission: Admission | None = None  # its key's limits and budget (router/state/limits.py)


def start_call(
    gw: Gateway, request: Request, body: dict[str, Any], decision: Decision, started: float,
    prompt: list[Any] | None = None,
) -> Call:
    """The Call of a routed request, under its key's id and budget state; `prompt` is what
    `server.log_prompts` keeps (the body's messages unless given). From here on `record`
    or `failed` logs the request, so the exception handlers leave it to them (`refused`)."""
    request.state.routed = True
    entry = gw.request_log.entry(request.url.path, body, request.headers)
    entry.key_id = key_name(request, entry.key_id)
    admission: Admission | None = getattr(request.state, "admission", None)
    entry.budget = admission.label if admission else None
    if prompt is None:
        prompt = body["messages"]
    return Call(request.state.request_id, decision, started, bool(body.get("stream")),
                prompt if gw.config.server.log_prompts else None, entry, admission)


def key_name(request: Request, hashed: str | None) -> str | None:
    """A `keys:` entry's id for the log and the row; else the hashed name of the key."""
    caller = getattr(request.state, "caller", None)
    return caller.entry.id if caller is not None and caller.entry is not None else hashed


async def serve(
    gw: Gateway, call: Call, decision: Decision, params: dict[str, Any],
    body: Mapping[str, Any], view: Mapping[str, Any], *, deadline: float,
    wire_call: WireCall | None = None,
) -> Served:
    """The answer of a routed request: the upstream walk, through the verified cascade when
    the start tier verifies (router/verify.py). The cascade's outcome and the cost of its
    other calls go to the call's entry for the headers, the log line, the row and metrics."""
    verdict = await gw.verifier.serve(
        decision, params, body, view, stream=call.stream, deadline=deadline,
        request_id=call.request_id, call=wire_call,
    )
    call.entry.verification = verdict.label
    call.entry.verification_cost = verdict.other_cost
    return verdict.served


def stream_cost(gw: Gateway, call: Call, served: Served, prompt_tokens: int) -> float:
    """x-tianji-cost-usd of a stream as it starts: its prompt, and the calls the verified
    cascade made before it."""
    prompt = gw.catalog[served.candidate.deployment.name].cost(prompt_tokens, 0)
    return prompt + call.entry.verification_cost


def asked(request: Request, body: dict[str, Any]) -> None:
    """Note the model the parsed body asks for, for `refused`."""
    request.state.model = str(body.get("model", "auto"))


async def remember(
    gw: Gateway, call: Call, affinity: Affinity | None, served: Served
) -> str | None:
    """Store where the conversation was served; the x-tianji-affinity value, which also goes
    to the call's log line and request-log row."""
    if affinity is None:
        return None
    name, tier, now = served.candidate.deployment.name, served.candidate.tier, time.time()
    tokens = affinity.turn.prompt_tokens
    memory = affinity.memory
    await gw.affinity.put(affinity.key, memory.then(
        tier, name, now, tokens, gw.config.affinity.cache_ttl_s
    ) if memory else Memory.first(tier, name, now, tokens))
    call.entry.affinity = served_label(affinity.steer, name)
    return call.entry.affinity


def record(
    gw: Gateway, call: Call, served: Served, usage: dict[str, Any], status: int,
    error_code: str | None = None, *, scored: bool = True,
) -> float:
    """Cost (cache reads and writes at their prices), metrics, the log line and the row of
    a call, and its key's spend. `usage` is the provider's, in either wire's shape. The
    baseline is the same tokens on the reference deployment; for a request not `scored`
    for difficulty (embeddings: without Tianji the app would call the same model) it is
    the cost itself. The cost includes the verified cascade's other calls.
    `error_code` names how a stream that had started ended badly (its status is then 502
    or 499)."""
    tokens = Tokens.of(usage)
    verification = call.entry.verification_cost
    cost = gw.catalog[served.candidate.deployment.name].cost_of(tokens) + verification
    baseline = gw.reference.cost_of(tokens) if scored else cost
    gw.metrics.observe(served, cost, baseline, time.monotonic() - call.started, status)
    if call.entry.verification is not None:
        gw.metrics.observe_verification(call.entry.verification, served.candidate.tier,
                                        verification)
    log_request(call, served, status, cost, baseline, error_code)
    gw.request_log.add(call, served, usage, status, cost, baseline, error_code)
    if call.admission is not None:
        gw.limits.settle(call.admission, cost, tokens.prompt + tokens.output)
    return cost


def failed(gw: Gateway, call: Call, err: GatewayError) -> None:
    """The log line, request-log row and metrics of a request no deployment answered."""
    log_request(call, None, err.status, None, error_code=err.code, attempts=err.attempts)
    gw.request_log.add(call, None, {}, err.status, None, None, err.code, err.attempts)
    gw.metrics.observe_error(call.decision.tier, err.status)
    if call.admission is not None:
        gw.limits.settle(call.admission, 0.0, 0)


def log_request(
    call: Call,
    served: Served | None,
    status: int,
    cost: float | None,
    baseline: float | None = None,
    error_code: str | None = None,
    attempts: Sequence[Attempt] = (),
) -> None:
    """The request's one log line, its upstream attempts folded in (`attempt_path`; a
    failed request's come with its error)."""
    if not log.isEnabledFor(logging.INFO):
        return
    decision = call.decision
    attempted = (served.attempts if served else attempts) or []
    entry = {
        "event": "request",
        "request_id": call.request_id,
        "status": status,
        "error_code": error_code,
        "front_door": call.entry.front_door,
        "model": call.entry.model,
        "key_id": call.entry.key_id,
        "tier": served.candidate.tier if served else decision.tier,
        "deployment": served.candidate.deployment.name if served else None,
        "attempts": calls_made(attempted),
        "attempt_path": tried(decision, attempted),
        "difficulty": decision.assessment.difficulty,
        "task": decision.assessment.task,
        "domain": decision.assessment.domain,
        "confidence": round(decision.assessment.confidence, 3),
        "stream": call.stream,
        "latency_ms": round((time.monotonic() - call.started) * 1000, 1),
        "cost_usd": None if cost is None else round(cost, 8),
        "saved_usd": None if cost is None or baseline is None else round(baseline - cost, 8),
        "affinity": call.entry.affinity,
        "verified": call.entry.verification,
        "verification_cost_usd": round(call.entry.verification_cost, 8)
        if call.entry.verification is not None else None,
        "budget": call.entry.budget,
    }
    if call.messages is not None:
        entry["messages"] = call.messages  # the log handler's redaction still applies
    log.info(json.dumps(entry, ensure_ascii=False))


def refused(gw: Gateway, request: Request, err: GatewayError) -> None:
    """The log line, metric and request-log row of a request refused before routing (401,
    431 from the guard; 400, 404, 405, 408, 413, 415 from the exception handlers). A request
    that reached `start_call` is logged by `record` or `failed` instead. Never raises."""
    state = request.state
    if getattr(state, "routed", False):
        return
    request_id: str = getattr(state, "request_id", "")
    started: float = getattr(state, "started", time.monotonic())
    model: str | None = getattr(state, "model", None)
    try:
        gw.metrics.observe_error("", err.status)
        entry = gw.request_log.refused_entry(request.url.path, request.headers, model)
        entry.key_id = key_name(request, entry.key_id)
        entry.budget = err.headers.get("x-tianji-budget")
        gw.request_log.refused(request_id, entry, started, err.status, err.code)
        if log.isEnabledFor(logging.INFO):
            log.info(json.dumps({
                "event": "request", "request_id": request_id, "status": err.status,
                "error_code": err.code, "front_door": entry.front_door, "model": model,
                "key_id": entry.key_id, "budget": entry.budget, "tier": None,
                "deployment": None,
                "latency_ms": round((time.monotonic() - started) * 1000, 1),
            }, ensure_ascii=False))
    except Exception as exc:  # noqa: BLE001 - a failure to log must never change the answer
        log.error(json.dumps({"event": "request_log_line_failed", "error": type(exc).__name__,
                              "request_id": request_id}))


async def shielded_close(served: Served) -> None:
    assert served.close is not None
    with contextlib.suppress(BaseException):  # the stream is gone either way
        await asyncio.shield(served.close())


class StreamWriter(Protocol):
    """A front door's stream format: how to write each upstream chunk, the end and a failure.

    `usage` collects prompt_tokens/completion_tokens for `record`; `finished` is True once
    the provider's own end of answer has been relayed."""

    usage: dict[str, Any]
    finished: bool

    def event(self, chunk: Any) -> bytes | None: ...

    def done(self) -> bytes: ...

    def error(self, err: GatewayError) -> bytes: ...


async def relay_stream(
    gw: Gateway, call: Call, served: Served, writer: StreamWriter
) -> AsyncIterator[bytes]:
    """Relay the upstream stream. After the first byte there is no fallback: a failure
    ends the stream with the writer's error event and no end marker. A stream that ends
    without the provider's own finish reason is such a failure, and so is a gap between
    chunks longer than `idle_timeout_s` (`served.chunks` enforces it).

    The last events (from the provider's end of answer on, then the end marker or the error
    event) go out once the request is recorded: a client that stops reading at the end, as
    the SDKs do, and asks about the request at once (feedback) finds it logged.

    Events whose chunks the provider sent together go out together: while the next chunk
    is parsed already (`buffered`, router/transport_stream.py), an event waits for it, so
    each network read from the provider costs one write to the client, not one per chunk;
    nothing waits for a read."""
    assert served.first_chunk is not None and served.chunks is not None
    chunks = served.chunks
    status, error_code = 200, None
    held: list[bytes] = []
    pending: list[bytes] = []  # relayed events not yet written: the next chunk is ready

    def relay(chunk: Any) -> bytes | None:
        data = writer.event(chunk)
        if data and writer.finished:
            held.append(data)
            return None
        return data

    def due() -> bool:  # write what is pending: the next chunk needs a read
        return bool(pending) and not getattr(chunks, "buffered", False)

    try:
        first = relay(served.first_chunk)
        if first:
            pending.append(first)
        if due():
            yield b"".join(pending)
            pending.clear()
        async for chunk in chunks:
            data = relay(chunk)
            if data:
                pending.append(data)
            if due():
                yield b"".join(pending)
                pending.clear()
        if not writer.finished or (served.provider_finished and not served.provider_finished()):
            raise ConnectionError("the provider's stream ended before the answer was complete")
        held.append(writer.done())
    except asyncio.CancelledError:
        # The client went away; closing the upstream below cancels its request.
        status, error_code = 499, CLIENT_CLOSED
        raise
    except (Exception, TimeoutError) as exc:
        failure = classify(exc)
        status, error_code = 502, STREAM_INTERRUPTED
        dep = served.candidate.deployment
        message = (
            f"The stream from deployment {dep.name} ({dep.provider}) failed after the answer "
            f"had started, so it could not be retried elsewhere: {gw.redact(failure.message)}"
        )
        held.append(writer.error(GatewayError(502, message, "upstream_error",
                                              STREAM_INTERRUPTED)))
    finally:
        if served.close is not None:
            await shielded_close(served)
        record(gw, call, served, writer.usage, status, error_code)
    last = b"".join(pending + held)
    if last:
        yield last


@dataclass(frozen=True)
class Arrival:
    """A front door's parsed body, and when the request came: `started` for its latency,
    `read` once the body was in (the request deadline starts then)."""

    body: dict[str, Any]
    started: float
    read: float


async def arrive(
    gw: Gateway, request: Request, parse: Callable[[bytes], dict[str, Any]]
) -> Arrival:
    """The body (`read_body`), parsed by the front door's `parse`; its model is noted for
    `refused`."""
    started = time.monotonic()
    body = parse(await read_body(request, gw.config.server.max_body_bytes))
    asked(request, body)
    return Arrival(body, started, time.monotonic())


@dataclass(frozen=True)
class Routed:
    """A request its front door has parsed and decided: what `respond` serves."""

    arrival: Arrival
    decision: Decision  # before conversation affinity, which `respond` applies
    body: dict[str, Any]  # what the affinity key and the request log read
    view: dict[str, Any]  # chat-shaped: the policy's needs, the budget, the prompt's cost
    params: dict[str, Any] = field(default_factory=dict)  # a chat call's parameters
    wire_call: WireCall | None = None  # another wire's call (serve)

    @classmethod
    def chat(cls, arrival: Arrival, decision: Decision, chat: dict[str, Any]) -> Routed:
        """A chat completions request (the chat door's body, the Responses door's
        translation): its own view, sent as its allowlisted parameters and messages."""
        params = {k: v for k, v in chat.items() if k in PASSTHROUGH_PARAMS}
        params["messages"] = chat["messages"]
        return cls(arrival, decision, chat, chat, params)


class Door(Protocol):
    """A front door's answers, in its wire format."""

    def answer(self, served: Served) -> tuple[Any, dict[str, Any]]:
        """The JSON answer of a non-streamed request, and the usage to record (the
        provider's, in a shape `record` reads)."""
        ...

    async def stream(self, call: Call, served: Served) -> tuple[Served, StreamWriter]:
        """The stream to relay (`served` itself, or its chunks as the door's events) and
        the writer of its events."""
        ...


async def unwritable(gw: Gateway, call: Call, served: Served, exc: Exception) -> GatewayError:
    """A served answer the front door could not write in its format (a provider's answer of
    a shape the door's translation does not read): the call is recorded as a 502 with what
    it was billed, the upstream stream is closed, and the error goes to the client. A
    GatewayError the door raised itself keeps its status."""
    if served.close is not None:
        await shielded_close(served)
    dep = served.candidate.deployment
    if isinstance(exc, GatewayError):
        err = exc
    else:
        err = GatewayError(
            502, f"The answer from deployment {dep.name} ({dep.provider}) could not be written "
            f"in this API's format ({type(exc).__name__}).", "upstream_error", ANSWER_UNWRITABLE)
        log.error(json.dumps({"event": "answer_unwritable", "request_id": call.request_id,
                              "deployment": dep.name, "error": type(exc).__name__}))
    record(gw, call, served, served.usage, err.status, err.code)
    return err


async def respond(gw: Gateway, request: Request, routed: Routed, door: Door) -> Response:
    """The answer to a decided request, the same on every front door: conversation affinity
    steers the Decision, the key's budget is reserved (429 at its end), the upstream walk
    serves it (`serve`); a failure is logged (`failed`, which releases the reservation) and
    raised for the app to write in the door's shape. Then affinity remembers the
    deployment, and the door writes the answer with its x-tianji-* headers (`record`), or
    the stream (`relay_stream` records it when it ends)."""
    decision, affinity = await steer_by_affinity(
        gw, request.headers, routed.body, routed.view, routed.decision
    )
    await gw.reserve(request, routed.view, decision)
    call = start_call(gw, request, routed.body, decision, routed.arrival.started)
    deadline = routed.arrival.read + gw.config.resilience.request_timeout_s
    try:
        served = await serve(gw, call, decision, routed.params, routed.body, routed.view,
                             deadline=deadline, wire_call=routed.wire_call)
    except GatewayError as err:
        failed(gw, call, err)
        raise
    label = await remember(gw, call, affinity, served)
    try:
        if not call.stream:
            assert served.response is not None
            answer, usage = door.answer(served)
            content = json_bytes(answer)
        else:
            relayed, writer = await door.stream(call, served)
    except Exception as exc:  # noqa: BLE001 - logged, billed and answered in the door's shape
        raise await unwritable(gw, call, served, exc) from None
    if not call.stream:
        cost = record(gw, call, served, usage, 200)
        headers = tianji_headers(decision, served, cost, label, call.entry.verification)
        return Response(content, 200, headers, media_type=JSON)
    prompt_cost = stream_cost(gw, call, served, needs_of(routed.view).prompt_tokens)
    return StreamingResponse(
        relay_stream(gw, call, relayed, writer),
        headers={**tianji_headers(decision, served, prompt_cost, label,
                                  call.entry.verification),
                 "cache-control": "no-cache"},
        media_type="text/event-stream",
    )
