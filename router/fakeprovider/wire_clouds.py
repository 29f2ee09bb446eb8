"""Claude on the clouds: Bedrock's and Vertex's endpoints around Anthropic's Messages body.

- Bedrock InvokeModel, `POST {api_base}/model/<model id>/invoke` (a `message` as JSON) and
  `.../invoke-with-response-stream`: the same events as Anthropic's stream, each one a
  frame of AWS's binary event stream (`application/vnd.amazon.eventstream`) whose payload
  is `{"bytes": base64(event JSON)}`; `message_stop` carries
  `amazon-bedrock-invocationMetrics`. A mid-stream error is an `exception` frame.
- Bedrock Converse, `POST {api_base}/model/<model id>/converse` (Converse's `output.message`)
  and `.../converse-stream`: event-stream frames whose `:event-type` is `messageStart`,
  `contentBlockStart`/`Delta`/`Stop`, `messageStop` or `metadata`, each payload the event's
  JSON. litellm sends Claude's chat completions here unless the model id says `invoke/`.
- Vertex AI, `POST /v1/projects/<project>/locations/<region>/publishers/anthropic/models/
  <model>:rawPredict` (a `message`) and `:streamRawPredict` (Anthropic's SSE). The fake takes
  the project as the deployment id, so `api_base` is the fake's bare URL. `POST /token`
  is an OAuth token endpoint (the `token_uri` of a fake service account): it answers
  every grant with `FAKE_VERTEX_TOKEN`; grants are recorded as `calls(TOKEN_CALLS)`.
- Gemini on Vertex AI, `POST /v1/projects/<project>/locations/<region>/publishers/google/
  models/<model>:generateContent` (`candidates`, `usageMetadata`) and
  `:streamGenerateContent?alt=sse` (one SSE `data:` per chunk of the same shape). As many
  candidates as `generationConfig.candidateCount` asks; a `toolConfig` whose
  `functionCallingConfig.mode` is `ANY` gets a `functionCall`. Field names are read in
  either of the forms Vertex accepts (`candidateCount` or litellm's `candidate_count`). With
  `responseLogprobs` each candidate carries a `logprobsResult` for its tokens.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
from dataclasses import dataclass

from .wire import JSON, Turn, count_tokens, dumps
from .wire_anthropic import THINKING, AnthropicWire, signature

BEDROCK_INVOKE = re.compile(r"model/(?P<model>[^/]+)/(?P<op>invoke|invoke-with-response-stream)")
BEDROCK_CONVERSE = re.compile(r"model/(?P<model>[^/]+)/(?P<op>converse|converse-stream)")
VERTEX_PREDICT = re.compile(
    r"/v1/projects/(?P<dep>[^/]+)/locations/(?P<region>[^/]+)/publishers/anthropic/models/"
    r"(?P<model>[^/:]+):(?P<op>rawPredict|streamRawPredict)")
GEMINI_PREDICT = re.compile(
    r"/v1/projects/(?P<dep>[^/]+)/locations/(?P<region>[^/]+)/publishers/google/models/"
    r"(?P<model>[^/:]+):(?P<op>generateContent|streamGenerateContent)")
FAKE_VERTEX_TOKEN = "ya29.fake-vertex-access-token"
TOKEN_CALLS = "_oauth_token"
EVENTSTREAM = "application/vnd.amazon.eventstream"


def _header(name: str, value: str) -> bytes:
    """One event-stream header of type string (7)."""
    raw_name, raw_value = name.encode(), value.encode()
    return (struct.pack("B", len(raw_name)) + raw_name + b"\x07"
            + struct.pack(">H", len(raw_value)) + raw_value)


def frame(headers: dict[str, str], payload: bytes) -> bytes:
    """One message of AWS's event stream: prelude, its CRC, headers, payload, message CRC."""
    head = b"".join(_header(k, v) for k, v in headers.items())
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack(">II", total, len(head))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    message = prelude + head + payload
    return message + struct.pack(">I", binascii.crc32(message))


def event_frame(event: JSON) -> bytes:
    payload = dumps({"bytes": base64.b64encode(dumps(event)).decode(), "p": "abcd"})
    return frame({":event-type": "chunk", ":content-type": "application/json",
                  ":message-type": "event"}, payload)


def exception_frame(kind: str, message: str) -> bytes:
    return frame({":exception-type": kind, ":content-type": "application/json",
                  ":message-type": "exception"}, dumps({"message": message}))


class BedrockWire(AnthropicWire):
    """Anthropic's answers and events, streamed as event-stream frames."""

    name = "bedrock"
    stream_content_type = EVENTSTREAM
    # A frame whose checksum does not match: a decoder must refuse it.
    malformed_event = event_frame({"type": "ping"})[:-4] + b"\x00\x00\x00\x00"

    def stream(self, turn: Turn) -> list[bytes]:
        events = self.events(turn)
        usage = self.usage(turn)
        events[-1] = {**events[-1], "amazon-bedrock-invocationMetrics": {
            "inputTokenCount": usage["input_tokens"], "outputTokenCount": usage["output_tokens"],
            "invocationLatency": 100, "firstByteLatency": 20}}
        return [event_frame(e) for e in events]

    def empty_stream(self, turn: Turn) -> list[bytes]:
        start = {"id": "msg_empty", "type": "message", "role": "assistant",
                 "model": turn.model, "content": [], "stop_reason": None,
                 "usage": {"input_tokens": turn.prompt_tokens, "output_tokens": 0}}
        return [event_frame({"type": "message_start", "message": start}),
                event_frame({"type": "message_stop"})]

    # Bedrock's error bodies are a bare message (the type is in `x-amzn-ErrorType`).

    def error(self, status: int) -> JSON:
        return {"message": super().error(status)["error"]["message"]}

    def context_length_error(self, turn: Turn) -> JSON:
        return {"message": super().context_length_error(turn)["error"]["message"]}

    def content_filter_error(self) -> JSON:
        return {"message": super().content_filter_error()["error"]["message"]}


def converse_frame(event_type: str, payload: JSON) -> bytes:
    return frame({":event-type": event_type, ":content-type": "application/json",
                  ":message-type": "event"}, dumps(payload))


def _converse_tool(body: JSON) -> str | None:
    """The tool a Converse request forces (`toolChoice` `tool` or `any`)."""
    config = body.get("toolConfig") or {}
    tools = [t["toolSpec"]["name"] for t in config.get("tools") or [] if "toolSpec" in t]
    choice = config.get("toolChoice") or {}
    if not tools:
        return None
    if "any" in choice:
        return str(tools[0])
    if "tool" in choice:
        return str(choice["tool"]["name"])
    return None


class ConverseWire(BedrockWire):
    """Bedrock's Converse API: its own message shape and stream events, Bedrock's errors."""

    name = "bedrock-converse"

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        thinking = (body.get("additionalModelRequestFields") or {}).get("thinking") or {}
        return Turn(dep_id=dep_id, model="", text=text,
                    prompt_tokens=count_tokens([body.get("system"), body.get("messages", [])]),
                    tool=_converse_tool(body), include_usage=True,
                    thinking=thinking.get("type") in ("enabled", "adaptive"))

    def answer(self, turn: Turn) -> JSON:
        content = [*self._reasoning(turn), self._content(turn)]
        return {"output": {"message": {"role": "assistant", "content": content}},
                "stopReason": self._stop_reason(turn), "usage": self.usage(turn),
                "metrics": {"latencyMs": 100}}

    def stream(self, turn: Turn) -> list[bytes]:
        index = 1 if turn.thinking else 0
        events: list[tuple[str, JSON]] = [("messageStart", {"role": "assistant"})]
        if turn.thinking:
            events += [
                ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {
                    "reasoningContent": {"text": THINKING}}}),
                ("contentBlockDelta", {"contentBlockIndex": 0, "delta": {
                    "reasoningContent": {"signature": signature(turn.dep_id)}}}),
                ("contentBlockStop", {"contentBlockIndex": 0}),
            ]
        if turn.tool is None:
            events += [("contentBlockDelta", {"contentBlockIndex": index,
                                              "delta": {"text": piece}})
                       for piece in turn.pieces]
        else:
            events += [
                ("contentBlockStart", {"contentBlockIndex": index, "start": {"toolUse": {
                    "toolUseId": f"tooluse_fake_{turn.dep_id}", "name": turn.tool}}}),
                *(("contentBlockDelta", {"contentBlockIndex": index,
                                         "delta": {"toolUse": {"input": piece}}})
                  for piece in turn.tool_input_pieces),
            ]
        events += [("contentBlockStop", {"contentBlockIndex": index}),
                   ("messageStop", {"stopReason": self._stop_reason(turn)}),
                   ("metadata", {"usage": self.usage(turn), "metrics": {"latencyMs": 100}})]
        return [converse_frame(kind, payload) for kind, payload in events]

    def empty_answer(self, turn: Turn) -> JSON:
        return {"output": {"message": {"role": "assistant", "content": []}},
                "stopReason": "end_turn", "usage": self._usage(turn, 0),
                "metrics": {"latencyMs": 100}}

    def empty_stream(self, turn: Turn) -> list[bytes]:
        return [converse_frame("messageStart", {"role": "assistant"}),
                converse_frame("messageStop", {"stopReason": "end_turn"})]

    def usage(self, turn: Turn) -> JSON:
        return self._usage(turn, 2 if turn.tool is not None else turn.completion_tokens)

    @staticmethod
    def _usage(turn: Turn, output: int) -> JSON:
        return {"inputTokens": turn.prompt_tokens, "outputTokens": output,
                "totalTokens": turn.prompt_tokens + output}

    @staticmethod
    def _stop_reason(turn: Turn) -> str:
        return "end_turn" if turn.tool is None else "tool_use"

    @staticmethod
    def _reasoning(turn: Turn) -> list[JSON]:
        if not turn.thinking:
            return []
        return [{"reasoningContent": {"reasoningText": {
            "text": THINKING, "signature": signature(turn.dep_id)}}}]

    @staticmethod
    def _content(turn: Turn) -> JSON:
        if turn.tool is None:
            return {"text": turn.text}
        return {"toolUse": {"toolUseId": f"tooluse_fake_{turn.dep_id}", "name": turn.tool,
                            "input": turn.tool_input}}


class VertexWire(AnthropicWire):
    """Anthropic's wire as Vertex serves it (`model` is in the URL, not the body)."""

    name = "vertex"


@dataclass(frozen=True)
class GeminiTurn(Turn):
    candidates: int = 1  # generationConfig.candidateCount
    logprobs: int | None = None  # top alternatives per token when responseLogprobs is on


def _gemini_tool(body: JSON) -> str | None:
    """The function a Gemini request forces (`functionCallingConfig.mode: ANY`)."""
    calling = (body.get("toolConfig") or {}).get("functionCallingConfig") or {}
    names = [f["name"] for t in body.get("tools") or []
             for f in t.get("functionDeclarations") or t.get("function_declarations") or []]
    allowed = calling.get("allowedFunctionNames") or calling.get("allowed_function_names")
    if calling.get("mode") != "ANY" or not names:
        return None
    return str((allowed or names)[0])


class GeminiWire:
    """Gemini's generateContent on Vertex AI: candidates of parts, Google's error bodies."""

    name = "vertex-gemini"
    malformed_event = b'data: {"candidates": [{"content": \n\n'

    def turn(self, dep_id: str, body: JSON, text: str) -> Turn:
        config = body.get("generationConfig") or {}
        return GeminiTurn(
            dep_id=dep_id, model="", text=text,
            prompt_tokens=count_tokens([body.get("system_instruction"), body.get("contents")]),
            tool=_gemini_tool(body), include_usage=True,
            candidates=int(config.get("candidateCount") or config.get("candidate_count") or 1),
            logprobs=int(config.get("logprobs") or 0) if config.get("responseLogprobs") else None)

    def answer(self, turn: Turn) -> JSON:
        return self._chunk(turn, [self._part(turn, turn.text)], last=True, tokens=turn.pieces)

    def stream(self, turn: Turn) -> list[bytes]:
        if turn.tool is not None:
            chunks = [self._chunk(turn, [self._part(turn, "")], last=True)]
        else:
            pieces = turn.pieces
            chunks = [self._chunk(turn, [{"text": p}], last=i == len(pieces) - 1, tokens=[p])
                      for i, p in enumerate(pieces)]
        return [b"data: " + dumps(c) + b"\r\n\r\n" for c in chunks]

    def usage(self, turn: Turn) -> JSON:
        output = (2 if turn.tool is not None else turn.completion_tokens) * _count(turn)
        return {"promptTokenCount": turn.prompt_tokens, "candidatesTokenCount": output,
                "totalTokenCount": turn.prompt_tokens + output}

    def empty_answer(self, turn: Turn) -> JSON:
        return {"candidates": [], "usageMetadata": {"promptTokenCount": turn.prompt_tokens,
                                                    "totalTokenCount": turn.prompt_tokens}}

    def empty_stream(self, turn: Turn) -> list[bytes]:
        return [b"data: " + dumps(self.empty_answer(turn)) + b"\r\n\r\n"]

    def error(self, status: int) -> JSON:
        return {"error": {"code": status, "message": _GOOGLE_ERRORS.get(status, "Internal error "
                                                                        "encountered."),
                          "status": _GOOGLE_STATUS.get(status, "INTERNAL")}}

    def context_length_error(self, turn: Turn) -> JSON:
        return {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": (
            f"The input token count ({1_048_576 + turn.prompt_tokens}) exceeds the maximum "
            "number of tokens allowed (1048576).")}}

    def content_filter_error(self) -> JSON:
        return {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                          "message": "The prompt was blocked due to SAFETY."}}

    def _chunk(self, turn: Turn, parts: list[JSON], *, last: bool,
               tokens: list[str] | None = None) -> JSON:
        extra: JSON = {"finishReason": "STOP"} if last else {}
        if isinstance(turn, GeminiTurn) and turn.logprobs is not None and tokens:
            extra["logprobsResult"] = _logprobs(tokens, turn.logprobs)
        chunk: JSON = {"candidates": [
            {"content": {"role": "model", "parts": parts}, "index": i, **extra}
            for i in range(_count(turn))], "modelVersion": turn.model}
        if last:
            chunk["usageMetadata"] = self.usage(turn)
        return chunk

    @staticmethod
    def _part(turn: Turn, text: str) -> JSON:
        if turn.tool is None:
            return {"text": text}
        return {"functionCall": {"name": turn.tool, "args": {}}}


def _logprobs(tokens: list[str], top: int) -> JSON:
    """Gemini's `logprobsResult`: each token at log probability -0.25, with `top`
    alternatives (the token itself first)."""
    chosen = [{"token": t, "logProbability": -0.25} for t in tokens]
    return {"chosenCandidates": chosen, "topCandidates": [
        {"candidates": [c, *({"token": f"alt{k}", "logProbability": -2.0 - k}
                             for k in range(top - 1))][:top]} for c in chosen]}


def _count(turn: Turn) -> int:
    return turn.candidates if isinstance(turn, GeminiTurn) else 1


_GOOGLE_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                  404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"}
_GOOGLE_ERRORS = {400: "Request contains an invalid argument.",
                  401: "Request had invalid authentication credentials.",
                  403: "Permission denied.", 404: "Publisher model was not found.",
                  429: "Resource exhausted. Please try again later.",
                  503: "The service is currently unavailable."}


def token_answer() -> bytes:
    return json.dumps({"access_token": FAKE_VERTEX_TOKEN, "expires_in": 3600,
                       "token_type": "Bearer"}).encode()
