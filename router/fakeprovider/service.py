"""The fake provider's state (faults, behaviour, recorded calls) and request handling."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .faults import TRANSIENT_FAULTS, Fault, FaultKind, FaultSchedule, resolve
from .httpserver import (
    LAST_CHUNK,
    Close,
    Exchange,
    Request,
    Reset,
    Sleep,
    Step,
    Write,
    chunk,
    full_response,
    head,
)
from .prompt_cache import PromptCache
from .wire import JSON, Turn, Wire, count_tokens, dumps
from .wire_anthropic import AnthropicWire
from .wire_clouds import (
    BEDROCK_CONVERSE,
    BEDROCK_INVOKE,
    GEMINI_PREDICT,
    TOKEN_CALLS,
    VERTEX_PREDICT,
    BedrockWire,
    ConverseWire,
    GeminiWire,
    VertexWire,
    token_answer,
)
from .wire_embeddings import OpenAIEmbeddingsWire, TitanEmbeddingsWire
from .wire_openai import OpenAIWire
from .wire_responses import ResponsesWire

DEFAULT_TEXT = "Hello from {dep_id}! This is a fake answer."
MAX_CALLS_PER_DEPLOYMENT = 10_000
_ROUTES: dict[str, Wire] = {"/v1/chat/completions": OpenAIWire(), "/v1/messages": AnthropicWire(),
                            "/v1/embeddings": OpenAIEmbeddingsWire(),
                            "/v1/responses": ResponsesWire(),
                            "/openai/responses": ResponsesWire()}  # Azure OpenAI's
# Claude on Bedrock and on Vertex (wire_clouds.py): the model is in the URL. A Titan
# embeddings model id on Bedrock's InvokeModel speaks Titan's embedding body.
_BEDROCK = BedrockWire()
_VERTEX = VertexWire()
_CONVERSE = ConverseWire()
_GEMINI = GeminiWire()
_TITAN_EMBEDDINGS = TitanEmbeddingsWire()
_NON_JSON_BODY = b"<html><head><title>Bad Gateway</title></head><body>upstream error</body></html>"
# Transport and SDK headers ECHO_HEADERS leaves out, so the echo stays short.
_UNECHOED = ("host", "accept", "connection", "content-", "user-agent", "x-stainless-",
             "anthropic-version")


def _stream_head(wire: Wire) -> bytes:
    return head(200, {"content-type": getattr(wire, "stream_content_type", "text/event-stream"),
                      "transfer-encoding": "chunked", "cache-control": "no-cache"})


@dataclass(frozen=True)
class _Route:
    """Which wire a request path speaks, for which deployment; `model` and `stream` when
    the URL carries them (Bedrock, Vertex)."""

    wire: Wire
    dep_id: str
    model: str | None = None
    stream: bool | None = None
    count: bool = False  # Anthropic's POST /v1/messages/count_tokens


def _route(path: str) -> _Route | None:
    if match := VERTEX_PREDICT.fullmatch(path):
        return _Route(_VERTEX, match["dep"], match["model"], match["op"] == "streamRawPredict")
    if match := GEMINI_PREDICT.fullmatch(path):
        return _Route(_GEMINI, match["dep"], match["model"], match["op"] == "streamGenerateContent")
    parts = path.split("/", 3)  # "", "d", dep_id, rest
    if len(parts) != 4 or parts[1] != "d":
        return None
    if (wire := _ROUTES.get("/" + parts[3])) is not None:
        return _Route(wire, parts[2])
    if parts[3] == "v1/messages/count_tokens":
        return _Route(_ROUTES["/v1/messages"], parts[2], count=True)
    if match := BEDROCK_INVOKE.fullmatch(parts[3]):
        if "titan-embed" in match["model"]:
            return _Route(_TITAN_EMBEDDINGS, parts[2], match["model"], False)
        return _Route(_BEDROCK, parts[2], match["model"],
                      match["op"] == "invoke-with-response-stream")
    if match := BEDROCK_CONVERSE.fullmatch(parts[3]):
        return _Route(_CONVERSE, parts[2], match["model"], match["op"] == "converse-stream")
    return None


@dataclass(frozen=True)
class Behaviour:
    """How a healthy deployment answers. `text` may use `{dep_id}` and `{model}`."""

    latency: float = 0.0  # seconds before the first response byte
    chunk_delay: float = 0.0  # seconds between stream events
    text: str = DEFAULT_TEXT


@dataclass
class RecordedCall:
    """One provider call. `status`, `completed` and `disconnected` update while it runs."""

    dep_id: str
    api: str  # "openai" | "anthropic" | "responses" | "bedrock" | "vertex" | ... (a wire name)
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    stream: bool
    fault: str | None  # the FaultKind value injected, if any
    status: int | None = None  # None when no status line was sent (reset)
    started: float = field(default_factory=time.time)
    completed: bool = False  # the server finished its answer (or its fault)
    disconnected: bool = False  # the client closed the connection before that
    usage: JSON | None = None  # the usage a successful answer reported

    def to_json(self) -> JSON:
        return asdict(self)


class Service:
    """Everything the fake knows; thread safe, so tests can steer a running server."""

    def __init__(self, *, failure_rate: float = 0.0, seed: int = 0,
                 behaviour: Behaviour = Behaviour(),
                 random_faults: Sequence[Fault] = TRANSIENT_FAULTS) -> None:
        if not random_faults or any(f.kind is FaultKind.RANDOM for f in random_faults):
            raise ValueError("random_faults must be a non-empty list of concrete faults")
        self._lock = threading.Lock()
        self._random = Fault(FaultKind.RANDOM, rate=failure_rate) if failure_rate > 0 else None
        self._random_faults = tuple(random_faults)
        self._seed = seed
        self._rng = random.Random(seed)
        self._faults: dict[str, FaultSchedule] = {}
        self._behaviours: dict[str, Behaviour] = {}
        self._initial = behaviour
        self._default = behaviour
        self._calls: dict[str, deque[RecordedCall]] = {}
        self._prompt_cache = PromptCache()

    # control

    def set_fault(self, dep_id: str, *faults: Fault) -> None:
        """Arm faults on a deployment, replacing earlier ones; they fire in order."""
        with self._lock:
            self._faults[dep_id] = FaultSchedule(faults)

    def clear(self, dep_id: str | None = None) -> None:
        """Disarm the faults of one deployment, or of all."""
        with self._lock:
            if dep_id is None:
                self._faults.clear()
            else:
                self._faults.pop(dep_id, None)

    def configure(self, dep_id: str | None = None, **changes: Any) -> None:
        """Change `Behaviour` fields of one deployment, or the default of all."""
        with self._lock:
            if dep_id is None:
                self._default = replace(self._default, **changes)
            else:
                self._behaviours[dep_id] = replace(self._behaviour(dep_id), **changes)

    def calls(self, dep_id: str) -> list[RecordedCall]:
        with self._lock:
            return list(self._calls.get(dep_id, ()))

    def reset(self) -> None:
        """Forget faults, calls and `configure` changes, and reseed the random failures."""
        with self._lock:
            self._faults.clear()
            self._behaviours.clear()
            self._default = self._initial
            self._calls.clear()
            self._prompt_cache.clear()
            self._rng = random.Random(self._seed)

    # serving

    def handle(self, request: Request) -> Exchange:
        if request.path.startswith("/_admin/"):
            return self._admin(request)
        if request.path == "/token" and request.method == "POST":
            with self._lock:  # recorded as calls of TOKEN_CALLS
                self._calls.setdefault(TOKEN_CALLS, deque(maxlen=MAX_CALLS_PER_DEPLOYMENT)).append(
                    RecordedCall(TOKEN_CALLS, "oauth", "POST", request.path, request.headers,
                                 request.body.decode("latin-1"), False, None, 200, completed=True))
            return Exchange([Write(full_response(200, token_answer(), "application/json"))])
        route = _route(request.path)
        if route is None or request.method != "POST":
            return _json_exchange(404, {"error": {"message": f"no route {request.path}"}})
        wire, dep_id = route.wire, route.dep_id
        try:
            body = json.loads(request.body)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _json_exchange(400, wire.error(400))
        stream = route.stream if route.stream is not None else bool(body.get("stream"))
        with self._lock:
            fault = self._next_fault(dep_id)
            behaviour = self._behaviour(dep_id)
            call = RecordedCall(dep_id, wire.name, request.method, request.path,
                                request.headers, body, stream,
                                fault.kind.value if fault else None)
            self._calls.setdefault(dep_id, deque(maxlen=MAX_CALLS_PER_DEPLOYMENT)).append(call)
        if route.count:
            return self._count(call, wire, body, fault)
        behaviour = self.shape(dep_id, body, stream, fault, behaviour)
        text = behaviour.text.format(dep_id=dep_id, model=body.get("model", ""))
        if fault is not None and fault.kind is FaultKind.ECHO_HEADERS:
            text = "You sent " + " ".join(f"{k}={v}" for k, v in request.headers.items()
                                          if not k.startswith(_UNECHOED))
        turn = wire.turn(dep_id, body, text)
        if route.model is not None:
            turn = replace(turn, model=route.model)
        if isinstance(wire, AnthropicWire) and (fault is None or fault.kind is FaultKind.STALL):
            with self._lock:
                read, write = self._prompt_cache.use(dep_id, body, time.time())
            turn = replace(turn, cache_read=read, cache_write=write)
        status, steps = _plan(wire, turn, stream, fault, behaviour)
        call.status = status
        if status == 200:
            call.usage = wire.usage(turn)

        def on_end(client_left: bool) -> None:
            call.completed = True
            call.disconnected = client_left

        return Exchange(steps, on_end)

    @staticmethod
    def _count(call: RecordedCall, wire: Wire, body: JSON, fault: Fault | None) -> Exchange:
        """count_tokens: the prompt's tokens as an answer would report them (tools too),
        or the fault's error (a fault of another kind resets the connection)."""
        if fault is not None:
            turn = wire.turn(call.dep_id, body, "")
            error = _error_response(wire, turn, fault)
            call.status = error[0] if error else None
            call.completed = True
            return Exchange([Write(error[1])] if error else [Reset()])
        call.status = 200
        call.completed = True
        tokens = count_tokens([body.get("system"), body.get("tools"), body.get("messages", [])])
        return _json_exchange(200, {"input_tokens": tokens})

    def shape(self, dep_id: str, body: JSON, stream: bool, fault: Fault | None,
              behaviour: Behaviour) -> Behaviour:
        """How this one call is answered: the deployment's `Behaviour` as configured.
        `simulate.SimulatedProvider` overrides it to vary latency and text per request."""
        return behaviour

    def _next_fault(self, dep_id: str) -> Fault | None:
        schedule = self._faults.get(dep_id)
        if schedule is not None:
            return schedule.next(time.time(), self._rng)
        if self._random is None:
            return None
        return resolve(self._random, self._rng, self._random_faults)

    def _behaviour(self, dep_id: str) -> Behaviour:
        return self._behaviours.get(dep_id, self._default)

    def _admin(self, request: Request) -> Exchange:
        _, _, what, *rest = request.path.split("/", 3)
        dep_id = rest[0] if rest else None
        key = (request.method, what, dep_id is not None)
        try:
            payload = json.loads(request.body) if request.body else {}
            if key == ("POST", "faults", True):
                items = payload if isinstance(payload, list) else [payload]
                self.set_fault(str(dep_id), *(Fault.from_json(f) for f in items))
            elif key[:2] == ("DELETE", "faults"):
                self.clear(dep_id)
            elif key[:2] == ("POST", "config"):
                self.configure(dep_id, **payload)
            elif key == ("GET", "calls", True):
                calls = [c.to_json() for c in self.calls(str(dep_id))]
                return _json_exchange(200, {"calls": calls})
            elif key == ("POST", "reset", False):
                self.reset()
            elif key != ("GET", "health", False):
                return _json_exchange(404, {"error": f"no admin route {request.method} "
                                                     f"{request.path}"})
        except (ValueError, TypeError, KeyError) as exc:
            return _json_exchange(400, {"error": str(exc)})
        return _json_exchange(200, {"ok": True})


def _json_exchange(status: int, body: JSON, extra: dict[str, str] | None = None) -> Exchange:
    return Exchange([Write(full_response(status, dumps(body), "application/json", extra))])


def _plan(wire: Wire, turn: Turn, stream: bool, fault: Fault | None,
          behaviour: Behaviour) -> tuple[int | None, list[Step]]:
    """The status and the steps of one answer, with the fault (if any) applied."""
    steps: list[Step] = [Sleep(behaviour.latency)] if behaviour.latency > 0 else []
    kind = fault.kind if fault is not None else None
    if fault is not None and kind is FaultKind.STALL:
        steps.append(Sleep(fault.delay))
        if fault.close:
            return None, [*steps, Close()]
    if kind is FaultKind.RESET:
        return None, [*steps, Reset()]
    error = _error_response(wire, turn, fault)
    if error is not None:
        status, data = error
        return status, [*steps, Write(data)]
    if kind in _SLOW_BODY and fault is not None:
        return 200, [*steps, *_slow_body(wire, turn, stream, fault)]
    if stream:
        sse = wire.empty_stream(turn) if kind is FaultKind.EMPTY_ANSWER else wire.stream(turn)
        events = [chunk(e) for e in sse] + [LAST_CHUNK]
        return 200, steps + _stream_steps(_stream_head(wire), events, fault, wire,
                                          behaviour.chunk_delay)
    if kind is FaultKind.EMPTY_ANSWER:
        return 200, [*steps, Write(full_response(200, dumps(wire.empty_answer(turn)),
                                                 "application/json"))]
    body = dumps(wire.answer(turn))
    if fault is None or kind is FaultKind.STALL:
        return 200, [*steps, Write(full_response(200, body, "application/json"))]
    # A stream fault on a JSON answer acts half way through the body.
    half = len(body) // 2
    if kind is FaultKind.MALFORMED_CHUNK:
        garbled = body[:half] + b" " * (len(body) - half)
        return 200, [*steps, Write(full_response(200, garbled, "application/json"))]
    head_bytes = head(200, {"content-type": "application/json",
                            "content-length": str(len(body))})
    pieces = [head_bytes + body[:half], body[half:]]
    return 200, steps + _stream_steps(b"", pieces, replace(fault, after_chunks=1), wire, 0.0)


_SLOW_BODY = (FaultKind.HEADERS_STALL, FaultKind.TRICKLE)


def _slow_body(wire: Wire, turn: Turn, stream: bool, fault: Fault) -> list[Step]:
    """A 200's headers at once, then the body after `delay` (HEADERS_STALL; or a close with
    `close=True`), or one byte every `delay` seconds (TRICKLE)."""
    if stream:
        first = _stream_head(wire)
        body = b"".join(chunk(e) for e in wire.stream(turn)) + LAST_CHUNK
    else:
        body = dumps(wire.answer(turn))
        first = head(200, {"content-type": "application/json", "content-length": str(len(body))})
    if fault.kind is FaultKind.HEADERS_STALL:
        return [Write(first), Sleep(fault.delay), Close() if fault.close else Write(body)]
    steps: list[Step] = [Write(first)]
    for index in range(len(body)):
        steps += [Sleep(fault.delay), Write(body[index:index + 1])]
    return steps


def _error_response(wire: Wire, turn: Turn, fault: Fault | None) -> tuple[int, bytes] | None:
    if fault is None:
        return None
    if fault.kind is FaultKind.HTTP_ERROR:
        extra = {} if fault.retry_after is None else {"retry-after": f"{fault.retry_after:g}"}
        body = dumps(wire.error(fault.status))
        return fault.status, full_response(fault.status, body, "application/json", extra)
    if fault.kind is FaultKind.ECHO_HEADERS and fault.status != 200:
        body = wire.error(fault.status)
        body.get("error", body)["message"] = turn.text
        return fault.status, full_response(fault.status, dumps(body), "application/json")
    if fault.kind is FaultKind.NON_JSON:
        return fault.status, full_response(fault.status, _NON_JSON_BODY, "text/html")
    if fault.kind is FaultKind.CONTEXT_LENGTH:
        return 400, full_response(400, dumps(wire.context_length_error(turn)), "application/json")
    if fault.kind is FaultKind.CONTENT_FILTER:
        return 400, full_response(400, dumps(wire.content_filter_error()), "application/json")
    return None


def _stream_steps(first: bytes, pieces: list[bytes], fault: Fault | None, wire: Wire,
                  chunk_delay: float) -> list[Step]:
    """Write `first` and then the pieces, applying a mid-body fault after `after_chunks`."""
    steps: list[Step] = [Write(first)] if first else []
    kind = fault.kind if fault is not None else None
    for index, piece in enumerate(pieces):
        if fault is not None and index == fault.after_chunks:
            if kind is FaultKind.STREAM_CUT:
                return [*steps, Close()]
            if kind is FaultKind.STREAM_STALL:
                steps.append(Sleep(fault.delay))
            if kind is FaultKind.MALFORMED_CHUNK:
                steps.append(Write(chunk(wire.malformed_event)))
        if index and chunk_delay > 0:
            steps.append(Sleep(chunk_delay))
        steps.append(Write(piece))
    return steps
