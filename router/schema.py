"""The request schema of `POST /v1/chat/completions`: an allowlist, not a blocklist.

Only OpenAI chat parameters listed here are accepted; anything else (litellm's
`api_base`, `api_key`, `custom_llm_provider`, `aws_*`, `vertex_*`, ...) is a 400,
so a client can never choose where traffic or credentials go. The same models
produce the published OpenAPI schema.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

MAX_N = 8
MAX_OUTPUT_TOKENS = 10_000_000


class _Open(BaseModel):
    """Nested objects: validated where it matters, other fields kept for the provider."""

    model_config = ConfigDict(extra="allow")


class TextPart(_Open):
    type: Literal["text"]
    text: str


_DATA_URL = re.compile(r"^data:[\w.+-]+/[\w.+-]+(?:;[\w.+-]+=[^;,]*)*;base64,", re.ASCII)


class ImageURL(_Open):
    url: str = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _fetchable_or_inline(cls, url: str) -> str:
        """An http(s) URL, or a base64 `data:` URL that decodes (a client's broken image is
        its own 400, never a provider failure)."""
        if url.startswith(("http://", "https://")):
            return url
        match = _DATA_URL.match(url)
        if match is None:
            raise ValueError("must be an http(s) URL or a data: URL such as "
                             "'data:image/png;base64,...'")
        try:
            base64.b64decode(url[match.end():], validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the data: URL's payload is not valid base64") from None
        return url


class ImagePart(_Open):
    type: Literal["image_url"]
    image_url: ImageURL


class InputAudioPart(_Open):
    type: Literal["input_audio"]
    input_audio: dict[str, Any]


class FilePart(_Open):
    type: Literal["file"]
    file: dict[str, Any]


ContentPart = Annotated[
    TextPart | ImagePart | InputAudioPart | FilePart, Field(discriminator="type")
]
Content = str | list[ContentPart]


class FunctionCall(_Open):
    name: str
    arguments: str


class ToolCall(_Open):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class _Message(_Open):
    name: str | None = None


class SystemMessage(_Message):
    role: Literal["system", "developer"]
    content: str | list[TextPart]


class UserMessage(_Message):
    role: Literal["user"]
    content: Content


class AssistantMessage(_Message):
    role: Literal["assistant"]
    content: Content | None = None
    tool_calls: list[ToolCall] | None = None

    @model_validator(mode="after")
    def _has_content(self) -> AssistantMessage:
        # As OpenAI: an assistant turn may omit its content only when it calls tools.
        if self.content is None and not (self.tool_calls or (self.model_extra or {}).get(
            "function_call"
        )):
            raise ValueError("an assistant message needs 'content' or 'tool_calls'")
        return self


class ToolMessage(_Message):
    role: Literal["tool"]
    content: str | list[TextPart]
    tool_call_id: str


class FunctionMessage(_Message):
    role: Literal["function"]
    content: str | None
    name: str


Message = Annotated[
    SystemMessage | UserMessage | AssistantMessage | ToolMessage | FunctionMessage,
    Field(discriminator="role"),
]
ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
# Discriminator values pydantic puts in an error's location after a list index.
_TAGS = ROLES | {"text", "image_url", "input_audio", "file"}


class FunctionDef(_Open):
    name: str = Field(min_length=1, max_length=64)
    description: str | None = None
    parameters: dict[str, Any] | None = None


class Tool(_Open):
    type: Literal["function"]
    function: FunctionDef


class NamedFunction(_Open):
    name: str = Field(min_length=1, max_length=64)


class ToolChoiceObject(_Open):
    """`{"type": "function", "function": {"name": ...}}`, or a newer kind passed on as it is."""

    type: str = Field(min_length=1)
    function: NamedFunction | None = None

    @model_validator(mode="after")
    def _function_named(self) -> ToolChoiceObject:
        if self.type == "function" and self.function is None:
            raise ValueError(
                'a tool_choice of type "function" names it: {"function": {"name": ...}}'
            )
        return self


class TextFormat(_Open):
    type: Literal["text"]


class JsonObjectFormat(_Open):
    type: Literal["json_object"]


class JsonSchemaSpec(_Open):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    strict: StrictBool | None = None


class JsonSchemaFormat(_Open):
    type: Literal["json_schema"]
    json_schema: JsonSchemaSpec


ResponseFormat = Annotated[
    TextFormat | JsonObjectFormat | JsonSchemaFormat, Field(discriminator="type")
]
RESPONSE_FORMATS = frozenset({"text", "json_object", "json_schema"})


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    include_usage: StrictBool = False


class Prediction(_Open):
    """Predicted output (OpenAI): content the answer is expected to repeat."""

    type: Literal["content"]
    content: str | list[TextPart]


class AudioOutput(_Open):
    voice: str | dict[str, Any]
    format: str = Field(min_length=1)


class WebSearchOptions(_Open):
    search_context_size: Literal["low", "medium", "high"] | None = None
    user_location: dict[str, Any] | None = None


MAX_METADATA_KEYS = 16


class ChatCompletionRequest(BaseModel):
    """OpenAI chat-completions parameters Tianji accepts and passes on."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(min_length=1, description="`auto`, a tier name or a tier alias")
    messages: list[Message] = Field(min_length=1)
    stream: StrictBool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: StrictInt | None = Field(None, ge=1, le=MAX_OUTPUT_TOKENS)
    max_completion_tokens: StrictInt | None = Field(None, ge=1, le=MAX_OUTPUT_TOKENS)
    stop: str | list[str] | None = None
    tools: list[Tool] | None = None
    tool_choice: Literal["none", "auto", "required"] | ToolChoiceObject | None = None
    parallel_tool_calls: StrictBool | None = None
    functions: list[FunctionDef] | None = None
    function_call: Literal["none", "auto"] | NamedFunction | None = None
    response_format: ResponseFormat | None = None
    seed: StrictInt | None = None
    user: str | None = Field(None, max_length=256)
    # OpenAI's prompt-cache routing hint; Tianji's conversation affinity reads it too.
    prompt_cache_key: str | None = Field(None, max_length=1024)
    n: StrictInt | None = Field(None, ge=1, le=MAX_N)
    presence_penalty: float | None = Field(None, ge=-2, le=2)
    frequency_penalty: float | None = Field(None, ge=-2, le=2)
    logit_bias: dict[str, float] | None = None
    logprobs: StrictBool | None = None
    top_logprobs: StrictInt | None = Field(None, ge=0, le=20)
    reasoning_effort: Literal["none", "minimal", "low", "medium", "high", "xhigh"] | None = None
    verbosity: Literal["low", "medium", "high"] | None = None
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None
    safety_identifier: str | None = Field(None, max_length=256)
    # Tianji stores no completions: `store: true` is refused (router/api/chat.py).
    store: StrictBool | None = None
    metadata: dict[str, Annotated[str, Field(max_length=512)]] | None = None
    modalities: list[Literal["text", "audio"]] | None = Field(None, min_length=1)
    audio: AudioOutput | None = None
    prediction: Prediction | None = None
    web_search_options: WebSearchOptions | None = None

    @field_validator("metadata")
    @classmethod
    def _metadata_size(cls, metadata: dict[str, str] | None) -> dict[str, str] | None:
        if metadata is not None and (len(metadata) > MAX_METADATA_KEYS or any(
            len(k) > 64 for k in metadata
        )):
            raise ValueError(f"at most {MAX_METADATA_KEYS} keys of at most 64 characters")
        return metadata


ACCEPTED_PARAMS = frozenset(ChatCompletionRequest.model_fields)
# Request keys that are not provider parameters. `metadata` labels stored completions and
# Tianji stores none (`store` is false or absent); litellm would take a `metadata` keyword as
# its own (logging callbacks), so it never reaches litellm.
_NOT_PASSED = frozenset({"model", "messages", "stream", "stream_options", "store", "metadata"})
PASSTHROUGH_PARAMS = ACCEPTED_PARAMS - _NOT_PASSED


# Error types that only say the input is not of one union branch's type.
_BRANCH_MISMATCH = frozenset(
    {"literal_error", "model_type", "string_type", "dict_type", "list_type"}
)


def _branch_tag(loc: list[str], i: int) -> bool:
    """Whether `loc[i]` is the tag pydantic puts after a list index: a message's role after
    `messages.N`, a content part's type inside a list of tagged parts (`tools.0.function`
    and `tool_calls.0.function` are fields)."""
    return i > 1 and loc[i - 1].isdigit() and (
        (loc[i - 2] == "messages" and loc[i] in ROLES)
        or (loc[i - 2].startswith("list[tagged-union[") and loc[i] in _TAGS - ROLES)
    )


def validation_message(err: ValidationError) -> tuple[str, str | None]:
    """A one-line client-facing message and the offending parameter path."""
    # The deepest error is the most specific: for `content`, the branch the client meant.
    # On a tie, an error inside the branch the input's type selected beats "not this branch".
    first = max(err.errors(include_url=False),
                key=lambda e: (len(e["loc"]), e["type"] not in _BRANCH_MISMATCH))
    loc = [str(p) for p in first["loc"]]
    # Drop the union-branch names pydantic adds (messages.0.user.content.str: the role
    # tag after a message index, the type names of `content`'s alternatives).
    param = ".".join(
        p
        for i, p in enumerate(loc)
        if not p[:1].isupper()
        and p not in ("str", "list")
        and not p.startswith(("list[", "tagged-union[", "literal[", "function-after["))
        and not _branch_tag(loc, i)
        and not (p in RESPONSE_FORMATS and i == 1 and loc[0] == "response_format"
                 and i + 1 < len(loc))
    )
    if first["type"] == "extra_forbidden":
        top = loc[0] if loc else "?"
        return (
            f"Unrecognized request argument supplied: {top}. Tianji accepts the Chat "
            "Completions parameters in its README's parameter table; provider arguments "
            "(upstream URLs, credentials, litellm options) are set in its config, not by "
            "clients.",
            top,
        )
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        tag = first.get("ctx", {}).get("discriminator", "'role'").strip("'")
        param = f"{param}.{tag}" if param else tag
        if tag == "role":
            allowed = ROLES
        elif loc[:1] == ["response_format"]:
            allowed = RESPONSE_FORMATS
        else:
            allowed = _TAGS - ROLES
        first = {**first, "msg": f"must be one of {', '.join(sorted(allowed))}"}
    more = len(err.errors()) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    message = first["msg"].removeprefix("Value error, ")
    return f"Invalid value for '{param or 'body'}': {message}{suffix}", param or None


def non_finite_path(data: Any, path: str = "") -> str | None:
    """The path of the first NaN or Infinity in a parsed body (Python's JSON reader takes
    them; JSON has no such numbers, so sent on they make an invalid request upstream)."""
    if isinstance(data, float) and not math.isfinite(data):
        return path or "body"
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else ()
    for key, value in items:
        found = non_finite_path(value, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None
