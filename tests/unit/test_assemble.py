"""The JSON answer assembled from a provider's stream (router/upstream.py): the fast path
for plain text answers builds exactly what litellm's chunk builder builds."""

from __future__ import annotations

import asyncio

import litellm
import pytest

from router.transport import LeanTransport
from router.upstream import _text_answer, openai_dict


@pytest.mark.parametrize("wire", ["openai", "anthropic"])
@pytest.mark.parametrize("path", ["lean", "acompletion"])
def test_the_text_fast_path_equals_litellms_chunk_builder(fake, wire, path):
    model = "openai/gpt-x" if wire == "openai" else "anthropic/claude-x"
    base = fake.openai_base("a") if wire == "openai" else fake.anthropic_base("a")
    messages = [{"role": "user", "content": "hi"}]

    async def chunks() -> list:
        transport = LeanTransport()
        call = transport.acompletion if path == "lean" else litellm.acompletion
        extra = {} if path == "lean" else {"_skip_mcp_handler": True}
        stream = await call(model=model, api_base=base, api_key="sk-test-0123456789",
                            messages=messages, stream=True,
                            stream_options={"include_usage": True}, **extra)
        received = [chunk async for chunk in stream]
        await transport.aclose()
        return received

    received = asyncio.run(chunks())
    built = openai_dict(litellm.stream_chunk_builder(received, messages=messages))
    built.pop("usage")  # the assembler takes the provider's own usage instead
    assert _text_answer(received) == built
    assert built["choices"][0]["message"]["content"] == "Hello from a! This is a fake answer."


def test_anything_but_plain_text_goes_to_litellms_builder():
    tool_call = litellm.ModelResponseStream(choices=[litellm.utils.StreamingChoices(
        index=0, delta=litellm.utils.Delta(tool_calls=[{"index": 0, "id": "c", "type":
                                                        "function", "function": {"name": "f",
                                                        "arguments": "{}"}}]))])
    second_choice = litellm.ModelResponseStream(choices=[litellm.utils.StreamingChoices(
        index=1, delta=litellm.utils.Delta(content="x"))])
    assert _text_answer([tool_call]) is None
    assert _text_answer([second_choice]) is None
