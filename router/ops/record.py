"""One request's row: what the front door knew at the start, and how the request ended.

The front door makes an `Entry` when the request arrives (`RequestLog.entry`); the
request path hands it back with the outcome (`RequestLog.add`), and `row()` turns both
into the columns of `schema.REQUEST_COLUMNS`. Prompts and answers are kept only with
`server.log_prompts: true`, and go through the gateway's Redactor first.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from router.policy import Decision
    from router.upstream import Attempt, Served

# The wire format a request came in on, by path; anything else is logged under its path.
FRONT_DOORS = {
    "/v1/chat/completions": "openai-chat",
    "/v1/messages": "anthropic-messages",
    "/v1/responses": "openai-responses",
    "/v1/embeddings": "openai-embeddings",
}


def key_id(token: str) -> str:
    """A stable, short name for an API key that cannot be turned back into the key."""
    return "key-" + hashlib.sha256(token.encode()).hexdigest()[:12]


def bearer(headers: Mapping[str, str]) -> str:
    supplied = headers.get("authorization", "")
    token = supplied[7:] if supplied[:7].lower() == "bearer " else ""
    return token or headers.get("x-api-key", "")


@dataclass
class Entry:
    """A request as it arrived. `observe` collects a streamed answer when it is needed:
    to log it (`keep_text`) or for a shadow check (`shadow_messages` is set)."""

    ts: float
    front_door: str
    model: str
    key_id: str | None
    keep_text: bool = False
    shadow_messages: list[Any] | None = None
    answer_parts: list[str] | None = field(default=None)
    affinity: str | None = None  # the x-tianji-affinity value, once affinity has run
    verification: str | None = None  # the x-tianji-verified value (router/verify.py)
    verification_cost: float = 0.0  # USD of the calls whose answer was not returned
    budget: str | None = None  # the x-tianji-budget value, for a key with a budget

    def observe(self, chunk: Mapping[str, Any]) -> None:
        """A chat chunk, or an Anthropic Messages event (its text and tool_use blocks)."""
        if self.answer_parts is None:
            return
        kind, block = chunk.get("type"), chunk.get("content_block") or {}
        if kind == "content_block_delta" and (chunk.get("delta") or {}).get("type") == "text_delta":
            self.answer_parts.append(str(chunk["delta"].get("text") or ""))
        elif kind == "content_block_start" and block.get("type") == "tool_use":
            self.answer_parts.append(tool_marker("tool_use", block.get("name")))
        for choice in chunk.get("choices") or ():
            self.answer_parts.append(_chat_text(choice.get("delta") or {}))


def new_entry(path: str, body: Mapping[str, Any], headers: Mapping[str, str],
              authenticated: bool, keep_text: bool,
              shadow_messages: list[Any] | None = None) -> Entry:
    """The entry of a request; `shadow_messages`: its conversation as chat messages, when it
    was drawn for a shadow check (router/ops/shadow.py)."""
    token = bearer(headers) if authenticated else ""
    return Entry(
        ts=time.time(),
        front_door=FRONT_DOORS.get(path, path),
        model=str(body.get("model", "auto")),
        key_id=key_id(token) if token else None,
        keep_text=keep_text,
        shadow_messages=shadow_messages,
        answer_parts=[] if keep_text or shadow_messages is not None else None,
    )


class CallLike(Protocol):
    """What the request path knows about one call (server.Call, a frozen dataclass)."""

    @property
    def request_id(self) -> str: ...
    @property
    def decision(self) -> Decision: ...
    @property
    def started(self) -> float: ...
    @property
    def stream(self) -> bool: ...
    @property
    def messages(self) -> list[Any] | None: ...
    @property
    def entry(self) -> Entry: ...


def tool_marker(kind: str, name: Any) -> str:
    """What the log keeps of a tool call in an answer: `[tool_use: get_weather]`."""
    return f"[{kind}: {name}]"


def _blocks_text(blocks: Sequence[Any], text_type: str, tool_type: str) -> str:
    """The text of Anthropic content blocks or Responses output items (and their content
    parts), with a marker for each tool call."""
    parts = []
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        if block.get("type") == text_type and isinstance(block.get("text"), str):
            parts.append(block["text"])
        elif block.get("type") == tool_type:
            parts.append(tool_marker(tool_type, block.get("name")))
        elif isinstance(block.get("content"), list):
            parts.append(_blocks_text(block["content"], text_type, tool_type))
    return "".join(parts)


def answer_text(entry: Entry, served: Served | None) -> str | None:
    if entry.answer_parts is None or served is None:
        return None
    if served.response is None:
        return "".join(entry.answer_parts)
    if isinstance(served.response.get("output"), list):  # a Responses `response`
        return _blocks_text(served.response["output"], "output_text", "function_call")
    if isinstance(served.response.get("content"), list):  # an Anthropic message
        return _blocks_text(served.response["content"], "text", "tool_use")
    choices = served.response.get("choices") or [{}]
    return _chat_text(choices[0].get("message") or {})


def _chat_text(message: Mapping[str, Any]) -> str:
    """A chat message's or delta's text, with a marker for each tool call that it names
    (a stream names a call in its first delta only)."""
    content = message.get("content")
    markers = [tool_marker("function_call", (call.get("function") or {}).get("name"))
               for call in message.get("tool_calls") or ()
               if isinstance(call, Mapping) and (call.get("function") or {}).get("name")]
    return (content if isinstance(content, str) else "") + "".join(markers)


def _route(decision: Decision, keep_text: bool) -> str:
    """`/v1/route`'s view. Without log_prompts, signals that quote the prompt are left out."""
    view = decision.explain()
    if not keep_text:
        view["signals"] = {k: v for k, v in view["signals"].items()
                           if not isinstance(v, str) or k == "task_class"}
    return json.dumps(view, separators=(",", ":"))


def _usage_int(usage: Mapping[str, Any], *path: str) -> int | None:
    node: Any = usage
    for key in path:
        if not isinstance(node, Mapping) or node.get(key) is None:
            return None
        node = node[key]
    return int(node) if isinstance(node, int | float) else None


def refused_row(request_id: str, entry: Entry, started: float, status: int,
                error_code: str | None) -> dict[str, Any]:
    """The row of a request refused before routing: no tier, deployment or route. The
    tier is "" (the column is NOT NULL), as in the metrics' labels."""
    return {
        "request_id": request_id, "ts": entry.ts, "key_id": entry.key_id,
        "front_door": entry.front_door, "model": entry.model, "stream": 0, "tier": "",
        "fallback": 0, "escalated": 0,
        "latency_ms": round((time.monotonic() - started) * 1000, 1),
        "status": status, "error_code": error_code, "budget": entry.budget,
    }


def tried(decision: Decision, attempts: Sequence[Attempt]) -> list[dict[str, Any]]:
    """The attempts of a request, as its log line and its row (`attempt_path`) list them."""
    providers = {c.deployment.name: c.deployment.provider for c in decision.candidates}
    return [{"deployment": a.deployment, "provider": providers.get(a.deployment),
             "tier": a.tier, "outcome": a.outcome, "action": a.action,
             "error_class": a.error_class or None, "status": a.status,
             "elapsed_ms": round(a.elapsed_ms, 1)} for a in attempts]


def calls_made(attempts: Sequence[Attempt]) -> int:
    """Upstream calls among the attempts (a skipped deployment is no call)."""
    return sum(1 for a in attempts if a.action != "skip")


def row(
    call: CallLike,
    served: Served | None,
    usage: Mapping[str, Any],
    status: int,
    cost: float | None,
    baseline: float | None,
    error_code: str | None,
    redact: Callable[[str], str],
    failed_attempts: list[Attempt] | None = None,
) -> dict[str, Any]:
    """`failed_attempts`: what was tried for a request no deployment answered."""
    entry, decision = call.entry, call.decision
    keep_text = entry.keep_text
    attempts = served.attempts if served else failed_attempts or []
    tier = served.candidate.tier if served else decision.tier
    answer = answer_text(entry, served) if keep_text else None
    cache_read = _usage_int(usage, "prompt_tokens_details", "cached_tokens")
    if cache_read is None:
        cache_read = _usage_int(usage, "cache_read_input_tokens")
    return {
        "request_id": call.request_id,
        "ts": entry.ts,
        "key_id": entry.key_id,
        "front_door": entry.front_door,
        "model": entry.model,
        "stream": int(call.stream),
        "tier": tier,
        "deployment": served.candidate.deployment.name if served else None,
        "task": decision.assessment.task,
        "domain": decision.assessment.domain,
        "difficulty": decision.assessment.difficulty,
        "route": _route(decision, keep_text),
        "attempts": calls_made(attempts),
        "attempt_path": json.dumps(tried(decision, attempts), separators=(",", ":")),
        # A partner's answer or a tier escalated from (`compared`) is not a fallback.
        "fallback": int(any(a.action not in ("served", "compared") for a in attempts)),
        "escalated": int(tier != decision.tier),
        "affinity": entry.affinity,
        "verification": entry.verification,
        "verification_cost_usd": entry.verification_cost if entry.verification else None,
        "budget": entry.budget,
        "latency_ms": round((time.monotonic() - call.started) * 1000, 1),
        "prompt_tokens": _usage_int(usage, "prompt_tokens"),
        "completion_tokens": _usage_int(usage, "completion_tokens"),
        "cache_read_tokens": cache_read,
        "cache_write_tokens": _usage_int(usage, "cache_creation_input_tokens"),
        "cost_usd": cost,
        "baseline_usd": baseline,
        "status": status,
        "error_code": error_code,
        "prompt": redact(json.dumps(call.messages, ensure_ascii=False))
        if call.messages is not None else None,
        "answer": redact(answer) if answer is not None else None,
    }
