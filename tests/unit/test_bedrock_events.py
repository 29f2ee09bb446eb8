"""Bedrock's binary event stream decoded into Anthropic events (router/upstream_clouds.py),
fed with frames from the fake provider's encoder, split at awkward places as TCP does."""

from __future__ import annotations

import asyncio

import pytest

from router.fakeprovider.wire_clouds import event_frame, exception_frame
from router.upstream_clouds import StreamException, bedrock_events

START = {"type": "message_start", "message": {"id": "m", "content": []}}
STOP = {"type": "message_stop", "amazon-bedrock-invocationMetrics": {"inputTokenCount": 3}}


async def _pieces(data: bytes, size: int):
    for i in range(0, len(data), size):
        yield data[i:i + size]


def decode(data: bytes, size: int = 7) -> tuple[list[dict], BaseException | None]:
    events: list[dict] = []

    async def run() -> None:
        async for event in bedrock_events(_pieces(data, size)):
            events.append(event)

    try:
        asyncio.run(run())
    except (StreamException, ConnectionError) as exc:
        return events, exc
    return events, None


@pytest.mark.parametrize("size", [1, 7, 10_000])
def test_frames_become_events_whatever_the_reads(size):
    events, error = decode(event_frame(START) + event_frame(STOP), size)
    assert error is None
    # Bedrock's invocation metrics are Bedrock's, not part of Anthropic's event.
    assert events == [START, {"type": "message_stop"}]


def test_an_exception_frame_raises_with_the_status_of_its_kind():
    events, error = decode(event_frame(START) + exception_frame(
        "throttlingException", "Too many tokens, please wait."))
    assert events == [START]
    assert isinstance(error, StreamException) and error.status == 429
    assert "Too many tokens" in str(error)


def test_a_frame_that_does_not_decode_breaks_the_stream_after_the_good_ones():
    broken = event_frame({"type": "ping"})[:-4] + b"\0\0\0\0"  # wrong checksum
    events, error = decode(event_frame(START) + broken + event_frame(STOP), 10_000)
    assert events == [START]
    assert isinstance(error, ConnectionError)
