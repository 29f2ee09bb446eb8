"""OpenAI Responses API (POST /v1/responses): `response` objects, the real SSE event
sequence, OpenAI's error bodies.

A request with `reasoning` is answered with a reasoning item first: its summary when
`reasoning.summary` is set, its `encrypted_content` when `include` asks for
`reasoning.encrypted_content`. `top_logprobs` adds log probabilities to the text."""

from __future__ import annotations

import time

from .wire import JSON, Turn, count_tokens, dumps
from .wire_openai import OpenAIWire

SUMMARY = "Thought about the question."
ENCRYPTED = "enc-reasoning-{dep_id}"
_ERRORS = OpenAIWire()  # the same error bodies as OpenAI's chat wire


def _forced_tool(body: JSON) -> str | None:
    tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
    choice = body.get("tool_choice")
    if not tools:
        return None
    if choice == "required":
        return str(tools[0]["name"])
    if isinstance(choice, dict) and choice.get("type") == "function":
        return str(choice["name"])
    return None


def _options(body: JSON) -> frozenset[str]:
    reasoning = body.get("reasoning") or {}
    options = set()
    if reasoning:
        options.add("reasoning")
    if reasoning.get("summary"):
        options.add("summary")
    if "reasoning.encrypted_content" in (body.get("include") or ()):
        options.add("encrypted")
    if body.get("top_logprobs"):
        options.add("logprobs")
    return frozenset(options)


def _sse(event: JSON) -> bytes:
    return b"event: " + str(event["type"]).encode() + b"\ndata: " + dumps(event) + b"\n\n"


class ResponsesWire:
    name = "responses"
    malformed_event = b'event: response.output_text.delta\ndata: {"type": "response.out\n\n'

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        return Turn(
            dep_id=dep_id,
            model=str(body.get("model", "")),
            text=text,
            prompt_tokens=count_tokens([body.get("instructions"), body.get("input")]),
            tool=_forced_tool(body),
            include_usage=True,
            options=_options(body),
        )

    def answer(self, turn: Turn) -> JSON:
        return self._response(turn, "completed", self._items(turn, full=True))

    def events(self, turn: Turn) -> list[JSON]:
        """The events of a streamed answer, in order (without sequence numbers)."""
        events: list[JSON] = [
            {"type": "response.created", "response": self._response(turn, "in_progress", [])},
            {"type": "response.in_progress",
             "response": self._response(turn, "in_progress", [])},
        ]
        started, done = self._items(turn, full=False), self._items(turn, full=True)
        for index, (item, whole) in enumerate(zip(started, done, strict=True)):
            where = {"output_index": index, "item_id": item["id"]}
            events.append({"type": "response.output_item.added", "output_index": index,
                           "item": item})
            if item["type"] == "reasoning" and whole["summary"]:
                part = {"type": "summary_text", "text": ""}
                events += [
                    {"type": "response.reasoning_summary_part.added", **where,
                     "summary_index": 0, "part": part},
                    {"type": "response.reasoning_summary_text.delta", **where,
                     "summary_index": 0, "delta": SUMMARY},
                    {"type": "response.reasoning_summary_text.done", **where,
                     "summary_index": 0, "text": SUMMARY},
                    {"type": "response.reasoning_summary_part.done", **where,
                     "summary_index": 0, "part": whole["summary"][0]},
                ]
            elif item["type"] == "message":
                text_part = whole["content"][0]
                events.append({"type": "response.content_part.added", **where,
                               "content_index": 0, "part": {**text_part, "text": "",
                                                            "logprobs": []}})
                events += [{"type": "response.output_text.delta", **where, "content_index": 0,
                            "delta": piece, "logprobs": self._logprobs(turn, piece)}
                           for piece in turn.pieces]
                events += [
                    {"type": "response.output_text.done", **where, "content_index": 0,
                     "text": turn.text, "logprobs": text_part["logprobs"]},
                    {"type": "response.content_part.done", **where, "content_index": 0,
                     "part": text_part},
                ]
            elif item["type"] == "function_call":
                events += [
                    {"type": "response.function_call_arguments.delta", **where, "delta": "{}"},
                    {"type": "response.function_call_arguments.done", **where,
                     "arguments": "{}"},
                ]
            events.append({"type": "response.output_item.done", "output_index": index,
                           "item": whole})
        events.append({"type": "response.completed", "response": self.answer(turn)})
        return [{**event, "sequence_number": n} for n, event in enumerate(events)]

    def stream(self, turn: Turn) -> list[bytes]:
        return [_sse(event) for event in self.events(turn)]

    def empty_answer(self, turn: Turn) -> JSON:
        return self._response(turn, "completed", [])

    def empty_stream(self, turn: Turn) -> list[bytes]:
        return [_sse({"type": "response.created", "sequence_number": 0,
                      "response": self._response(turn, "in_progress", [])}),
                _sse({"type": "response.completed", "sequence_number": 1,
                      "response": self._response(turn, "completed", [])})]

    def error(self, status: int) -> JSON:
        return _ERRORS.error(status)

    def context_length_error(self, turn: Turn) -> JSON:
        error = _ERRORS.context_length_error(turn)
        error["error"]["param"] = "input"
        return error

    def content_filter_error(self) -> JSON:
        return _ERRORS.content_filter_error()

    def usage(self, turn: Turn) -> JSON:
        output = 2 if turn.tool is not None else turn.completion_tokens
        reasoning = 3 if "reasoning" in turn.options else 0
        return {"input_tokens": turn.prompt_tokens, "input_tokens_details": {"cached_tokens": 0},
                "output_tokens": output + reasoning,
                "output_tokens_details": {"reasoning_tokens": reasoning},
                "total_tokens": turn.prompt_tokens + output + reasoning}

    def _response(self, turn: Turn, status: str, output: list[JSON]) -> JSON:
        return {"id": f"resp_fake_{turn.dep_id}", "object": "response",
                "created_at": int(time.time()), "status": status, "model": turn.model,
                "output": output, "error": None, "incomplete_details": None,
                "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
                "store": False, "metadata": {},
                "usage": self.usage(turn) if status == "completed" else None}

    def _items(self, turn: Turn, *, full: bool) -> list[JSON]:
        items: list[JSON] = []
        status = "completed" if full else "in_progress"
        if "reasoning" in turn.options:
            reasoning: JSON = {"id": f"rs_fake_{turn.dep_id}", "type": "reasoning",
                               "summary": [{"type": "summary_text", "text": SUMMARY}]
                               if full and "summary" in turn.options else []}
            if full and "encrypted" in turn.options:
                reasoning["encrypted_content"] = ENCRYPTED.format(dep_id=turn.dep_id)
            items.append(reasoning)
        if turn.tool is not None:
            items.append({"id": f"fc_fake_{turn.dep_id}", "type": "function_call",
                          "call_id": f"call_fake_{turn.dep_id}", "name": turn.tool,
                          "arguments": "{}" if full else "", "status": status})
        else:  # an item just started has no content yet: content_part.added brings it
            part = {"type": "output_text", "text": turn.text, "annotations": [],
                    "logprobs": [lp for piece in turn.pieces
                                 for lp in self._logprobs(turn, piece)]}
            items.append({"id": f"msg_fake_{turn.dep_id}", "type": "message", "status": status,
                          "role": "assistant", "content": [part] if full else []})
        return items

    @staticmethod
    def _logprobs(turn: Turn, piece: str) -> list[JSON]:
        if "logprobs" not in turn.options:
            return []
        return [{"token": piece, "logprob": -0.25, "bytes": list(piece.encode()),
                 "top_logprobs": [{"token": piece, "logprob": -0.25,
                                   "bytes": list(piece.encode())}]}]
