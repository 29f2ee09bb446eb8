"""The request schema of `POST /v1/responses` (OpenAI's Responses API): an allowlist.

Tianji serves the Responses API statelessly: the whole conversation comes in `input`,
nothing is stored. Fields that need a store (`previous_response_id`, `store: true`,
`conversation`, `background`, `item_reference` items, `file_id`) and fields that no
deployment behind the chat wire could honour (built-in tools such as `web_search`) are a
400 that names them; any other field not listed here is a 400 too, so a client can never
choose where traffic or credentials go (as on chat: router/schema.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    ValidationError,
    field_validator,
)

from router.schema import MAX_OUTPUT_TOKENS, ImageURL


class _Closed(BaseModel):
    """Every object is closed: a field Tianji would not carry over is named in a 400."""

    model_config = ConfigDict(extra="forbid")


class InputText(_Closed):
    type: Literal["input_text"]
    text: str


class InputImage(_Closed):
    type: Literal["input_image"]
    image_url: str
    detail: Literal["low", "high", "auto"] | None = None

    @field_validator("image_url")
    @classmethod
    def _fetchable_or_inline(cls, url: str) -> str:
        try:  # the chat door's rule: http(s) or a valid data: URL
            return ImageURL(url=url).url
        except ValidationError as err:
            raise ValueError(err.errors()[0]["msg"].removeprefix("Value error, ")) from None


class InputFile(_Closed):
    type: Literal["input_file"]
    file_data: str | None = None
    file_url: str | None = None
    filename: str | None = None


class OutputText(_Closed):
    type: Literal["output_text"]
    text: str
    annotations: list[Any] | None = None
    logprobs: list[Any] | None = None


class Refusal(_Closed):
    type: Literal["refusal"]
    refusal: str


ContentPart = Annotated[
    InputText | InputImage | InputFile | OutputText | Refusal, Field(discriminator="type")
]
PART_TYPES = ("input_text", "input_image", "input_file", "output_text", "refusal")


class MessageItem(_Closed):
    type: Literal["message"] = "message"
    role: Literal["user", "system", "developer", "assistant"]
    content: str | list[ContentPart]
    id: str | None = None
    status: str | None = None
    phase: str | None = None


class FunctionCallItem(_Closed):
    type: Literal["function_call"]
    call_id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=64)
    arguments: str
    id: str | None = None
    status: str | None = None


class FunctionCallOutputItem(_Closed):
    type: Literal["function_call_output"]
    call_id: str = Field(min_length=1)
    output: str | list[InputText]
    id: str | None = None
    status: str | None = None


class ReasoningItem(_Closed):
    """An earlier turn's reasoning, as Tianji returned it: Claude's signed thinking travels
    in `encrypted_content` and goes back to the provider."""

    type: Literal["reasoning"]
    summary: list[dict[str, Any]] = []
    id: str | None = None
    encrypted_content: str | None = None
    content: list[dict[str, Any]] | None = None
    status: str | None = None


def _item_type(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("type", "message")  # an "easy" message item has no type
        return kind if isinstance(kind, str) else None
    return None


InputItem = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[ReasoningItem, Tag("reasoning")],
    Discriminator(_item_type),
]
ITEM_TYPES = ("message", "function_call", "function_call_output", "reasoning")


class FunctionTool(_Closed):
    type: Literal["function"]
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: StrictBool | None = None


class NamedToolChoice(_Closed):
    type: Literal["function"]
    name: str = Field(min_length=1, max_length=64)


class TextFormatText(_Closed):
    type: Literal["text"]


class TextFormatJsonObject(_Closed):
    type: Literal["json_object"]


class TextFormatJsonSchema(_Closed):
    type: Literal["json_schema"]
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    schema_: dict[str, Any] = Field(alias="schema")
    description: str | None = None
    strict: StrictBool | None = None


TextFormat = Annotated[
    TextFormatText | TextFormatJsonObject | TextFormatJsonSchema, Field(discriminator="type")
]
FORMAT_TYPES = ("text", "json_object", "json_schema")


class TextConfig(_Closed):
    format: TextFormat | None = None
    verbosity: Literal["low", "medium", "high"] | None = None


class StreamOptions(_Closed):
    # Random padding on delta events, against size side channels (router/responses_wire.py).
    include_obfuscation: StrictBool | None = None


class ReasoningConfig(_Closed):
    effort: Literal["minimal", "low", "medium", "high"] | None = None
    summary: Literal["auto", "concise", "detailed"] | None = None


class ResponsesRequest(_Closed):
    """The Responses API fields Tianji serves (stateless)."""

    model: str = Field(min_length=1, description="`auto`, a tier name or a tier alias")
    input: str | list[InputItem] = Field(min_length=1)
    instructions: str | None = None
    tools: list[FunctionTool] | None = None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: StrictBool | None = None
    text: TextConfig | None = None
    reasoning: ReasoningConfig | None = None
    max_output_tokens: StrictInt | None = Field(None, ge=1, le=MAX_OUTPUT_TOKENS)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    stream: StrictBool = False
    stream_options: StreamOptions | None = None
    store: Literal[False] | None = None
    previous_response_id: None = None
    metadata: dict[str, str] | None = Field(None, max_length=16)
    user: str | None = Field(None, max_length=256)
    prompt_cache_key: str | None = Field(None, max_length=1024)
    safety_identifier: str | None = Field(None, max_length=256)
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None
    # Limits calls to built-in tools, which Tianji does not serve (only function tools, which
    # the client runs): there is never one to limit.
    max_tool_calls: StrictInt | None = Field(None, ge=1)
    # Above 0, only deployments with their own Responses API serve it (router/api/responses.py).
    top_logprobs: StrictInt | None = Field(None, ge=0, le=20)
    # Log probabilities only a deployment with its own Responses API carries back.
    include: list[Literal["reasoning.encrypted_content", "message.output_text.logprobs"]] | None = (
        None)
    truncation: Literal["disabled"] | None = None


# Fields that only make sense with a store of responses, which Tianji does not keep, and
# the value that asks for one.
STATEFUL = {
    "previous_response_id": "previous_response_id",
    "store": "store: true",
    "conversation": "conversation",
    "background": "background: true",
}


def built_in_tool(data: dict[str, Any]) -> tuple[str, str] | None:
    """The path and type of the first tool that is not a function tool (web_search,
    file_search, mcp, ...): none of those is carried by the chat wire."""
    tools = data.get("tools")
    for i, tool in enumerate(tools if isinstance(tools, list) else ()):
        kind = tool.get("type") if isinstance(tool, dict) else None
        if isinstance(kind, str) and kind != "function":
            return f"tools.{i}.type", kind
    return None


def stateful_field(data: dict[str, Any]) -> str | None:
    """The first field of the body that asks Tianji to keep or look up a response."""
    for name in STATEFUL:
        value = data.get(name)
        if value is not None and value is not False:
            return name
    items = data.get("input")
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("type") == "item_reference":
                return f"input.{i}"
    return None


_BRANCHES = set(ITEM_TYPES) | set(PART_TYPES) | set(FORMAT_TYPES)


def responses_validation_message(err: ValidationError) -> tuple[str, str]:
    """A one-line message and the offending parameter path, in the request's own terms."""
    first = max(err.errors(include_url=False), key=lambda e: len(e["loc"]))
    loc = [str(p) for p in first["loc"]]
    # Drop pydantic's union branch names (the item type after an index, str/list, models).
    param = ".".join(p for i, p in enumerate(loc) if not (
        p[:1].isupper() or p in ("str", "list") or p.startswith(("literal[", "list[", "function-"))
        or (p in _BRANCHES and i and (loc[i - 1].isdigit() or loc[i - 1] in (
            "input", "content", "output", "format"))
            and i + 1 < len(loc))
    )) or "body"
    kind = first["type"]
    if kind == "extra_forbidden":
        if "." not in param:
            return (f"Unrecognized request argument supplied: {param}. Tianji serves the "
                    "Responses API statelessly; see its README for the fields it takes.", param)
        return f"Unrecognized field '{param}'.", param
    message = first["msg"].removeprefix("Value error, ")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        allowed = ITEM_TYPES if loc[:1] == ["input"] else PART_TYPES if "content" in loc else (
            FORMAT_TYPES)
        param = f"{param}.type"
        message = f"must be one of {', '.join(allowed)}"
    more = len(err.errors()) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return f"Invalid value for '{param}': {message}{suffix}", param
