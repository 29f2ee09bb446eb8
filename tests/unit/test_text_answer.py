"""The fast path that assembles a plain text answer from a provider's stream
(router/upstream.py `_text_answer`): it builds what litellm's chunk builder builds, from the
lean transport's dict chunks and from litellm's objects, and hands anything but one choice of
plain text to the builder (None)."""

from __future__ import annotations

from typing import Any

import litellm
import pytest
from litellm.types.utils import ModelResponseStream

from router.upstream import _NOT_TEXT, _text_answer, openai_dict

MESSAGES = [{"role": "user", "content": "hi"}]


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, *,
          index: int | None = 0, **top: Any) -> dict[str, Any]:
    choice: dict[str, Any] = {"delta": delta or {}, "finish_reason": finish}
    if index is not None:
        choice["index"] = index
    return {"id": "chatcmpl-1", "created": 1700000000, "model": "gpt-x",
            "object": "chat.completion.chunk", "choices": [choice], **top}


def built_by_litellm(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    body = openai_dict(litellm.stream_chunk_builder(
        [ModelResponseStream(**c) for c in chunks], messages=MESSAGES))
    body.pop("usage", None)  # the assembler takes the provider's own usage instead
    return body


def as_objects(chunks: list[dict[str, Any]]) -> list[ModelResponseStream]:
    return [ModelResponseStream(**c) for c in chunks]


TEXT = [
    chunk({"role": "assistant", "content": "Hel"}, system_fingerprint="fp_1"),
    chunk({"content": ""}),
    chunk({"content": "lo"}),
    chunk({}, "length"),
    {"id": "chatcmpl-1", "created": 1700000000, "model": "gpt-x",
     "object": "chat.completion.chunk", "choices": [],
     "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}},
]


@pytest.mark.parametrize("shape", ["dicts", "objects"])
def test_a_text_stream_is_assembled_as_litellms_builder_does(shape):
    received = TEXT if shape == "dicts" else as_objects(TEXT)
    body = _text_answer(received)
    assert body == built_by_litellm(TEXT)
    assert body == {
        "id": "chatcmpl-1", "created": 1700000000, "model": "gpt-x",
        "object": "chat.completion", "system_fingerprint": "fp_1",
        "choices": [{"finish_reason": "length", "index": 0,
                     "message": {"content": "Hello", "role": "assistant"}}]}


def test_the_last_finish_reason_is_kept_and_a_later_chunk_without_one_does_not_erase_it():
    chunks = [chunk({"content": "a"}), chunk({"content": "b"}, "stop"), chunk({})]
    body = _text_answer(chunks)
    assert body is not None
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body == built_by_litellm(chunks)


def test_no_system_fingerprint_means_no_key():
    body = _text_answer([chunk({"content": "a"}, "stop")])
    assert body is not None and "system_fingerprint" not in body


def test_a_choice_without_an_index_is_the_first_choice():
    body = _text_answer([chunk({"content": "a"}, index=None), chunk({}, "stop", index=None)])
    assert body is not None
    assert body["choices"] == [{"finish_reason": "stop", "index": 0,
                                "message": {"content": "a", "role": "assistant"}}]


# One value of each delta field a plain text answer leaves empty.
NOT_TEXT = {
    "tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                    "function": {"name": "f", "arguments": "{}"}}],
    "function_call": {"name": "f", "arguments": "{}"},
    "audio": {"id": "audio_1"},
    "reasoning_content": "thinking",
    "thinking_blocks": [{"type": "thinking", "thinking": "x"}],
    "annotations": [{"type": "url_citation"}],
    "images": [{"type": "image_url"}],
    "provider_specific_fields": {"x": 1},
}


def test_every_field_that_is_not_text_is_listed():
    assert set(NOT_TEXT) == set(_NOT_TEXT)


@pytest.mark.parametrize("field", sorted(NOT_TEXT))
def test_a_delta_with_anything_but_text_goes_to_litellms_builder(field):
    chunks = [chunk({"content": "a"}), chunk({field: NOT_TEXT[field]}, "stop")]
    assert _text_answer(chunks) is None


def test_a_second_choice_goes_to_litellms_builder_wherever_it_appears():
    assert _text_answer([chunk({"content": "a"}), chunk({"content": "b"}, index=1)]) is None


@pytest.mark.parametrize("chunks", [
    [chunk({"role": "assistant"}), chunk({}, "stop")],
    [chunk({"content": ""}, "stop")],
    [{"id": "x", "choices": []}],
], ids=["role-only", "empty-content", "no-choices"])
def test_a_stream_without_text_is_not_a_text_answer(chunks):
    assert _text_answer(chunks) is None
