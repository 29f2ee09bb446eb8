"""OpenAI chat completions: JSON answers, `chat.completion.chunk` SSE, error bodies."""

from __future__ import annotations

import itertools
import time

from .wire import JSON, Turn, count_tokens, dumps

_IDS = itertools.count(1)

_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: (
        "Incorrect API key provided: sk-test. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        "invalid_api_key",
    ),
    403: ("You are not allowed to sample from this model.", "invalid_request_error", None),
    404: ("The model does not exist or you do not have access to it.", "invalid_request_error",
          "model_not_found"),
    429: ("Rate limit reached for requests. Please try again later.", "requests",
          "rate_limit_exceeded"),
}
_SERVER_ERROR = (
    "The server had an error while processing your request. Sorry about that!",
    "server_error",
    None,
)


def _forced_tool(body: JSON) -> str | None:
    tools = body.get("tools") or []
    choice = body.get("tool_choice")
    if not tools:
        return None
    if choice == "required":
        return str(tools[0]["function"]["name"])
    if isinstance(choice, dict) and choice.get("type") == "function":
        return str(choice["function"]["name"])
    return None


class OpenAIWire:
    name = "openai"
    malformed_event = b'data: {"id": "chatcmpl-broken", "choices": [{"delta": \n\n'

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        options = body.get("stream_options") or {}
        return Turn(
            dep_id=dep_id,
            model=str(body.get("model", "")),
            text=text,
            prompt_tokens=count_tokens(body.get("messages", [])),
            tool=_forced_tool(body),
            include_usage=bool(options.get("include_usage")),
        )

    def answer(self, turn: Turn) -> JSON:
        message: JSON = {"role": "assistant", "content": turn.text, "refusal": None}
        if turn.tool is not None:
            message = {"role": "assistant", "content": None, "refusal": None,
                       "tool_calls": [self._tool_call(turn)]}
        return {
            **self._envelope(turn, "chat.completion"),
            "choices": [{
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "stop" if turn.tool is None else "tool_calls",
            }],
            "usage": self.usage(turn),
        }

    def stream(self, turn: Turn) -> list[bytes]:
        envelope = self._envelope(turn, "chat.completion.chunk")
        usage: JSON = {"usage": None} if turn.include_usage else {}

        def chunk(delta: JSON, finish: str | None = None) -> bytes:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
            return b"data: " + dumps({**envelope, "choices": [choice], **usage}) + b"\n\n"

        if turn.tool is None:
            events = [chunk({"role": "assistant", "content": "", "refusal": None})]
            events += [chunk({"content": piece}) for piece in turn.pieces]
            events.append(chunk({}, "stop"))
        else:
            call = self._tool_call(turn)
            head = {**call, "function": {"name": turn.tool, "arguments": ""}}
            events = [
                chunk({"role": "assistant", "content": None,
                       "tool_calls": [{"index": 0, **head}]}),
                chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}),
                chunk({}, "tool_calls"),
            ]
        if turn.include_usage:
            final = {**envelope, "choices": [], "usage": self.usage(turn)}
            events.append(b"data: " + dumps(final) + b"\n\n")
        events.append(b"data: [DONE]\n\n")
        return events

    def empty_answer(self, turn: Turn) -> JSON:
        return {**self._envelope(turn, "chat.completion"), "choices": [],
                "usage": self.usage(turn)}

    def empty_stream(self, turn: Turn) -> list[bytes]:
        event = {**self._envelope(turn, "chat.completion.chunk"), "choices": [],
                 "usage": self.usage(turn)}
        return [b"data: " + dumps(event) + b"\n\n", b"data: [DONE]\n\n"]

    def error(self, status: int) -> JSON:
        message, kind, code = _ERRORS.get(status, _SERVER_ERROR)
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}

    def context_length_error(self, turn: Turn) -> JSON:
        limit = 8192
        return {"error": {
            "message": f"This model's maximum context length is {limit} tokens. However, your "
                       f"messages resulted in {limit + turn.prompt_tokens} tokens. Please reduce "
                       "the length of the messages.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        }}

    def content_filter_error(self) -> JSON:
        return {"error": {
            "message": "Your request was rejected as a result of our safety system. Your prompt "
                       "may contain text that is not allowed by our safety system.",
            "type": "invalid_request_error",
            "param": None,
            "code": "content_policy_violation",
        }}

    @staticmethod
    def _envelope(turn: Turn, obj: str) -> JSON:
        return {"id": f"chatcmpl-fake{next(_IDS)}", "object": obj, "created": int(time.time()),
                "model": turn.model, "system_fingerprint": "fp_fake"}

    @staticmethod
    def usage(turn: Turn) -> JSON:
        completion = 2 if turn.tool is not None else turn.completion_tokens
        return {"prompt_tokens": turn.prompt_tokens, "completion_tokens": completion,
                "total_tokens": turn.prompt_tokens + completion}

    @staticmethod
    def _tool_call(turn: Turn) -> JSON:
        return {"id": f"call_fake_{turn.dep_id}", "type": "function",
                "function": {"name": turn.tool, "arguments": "{}"}}
