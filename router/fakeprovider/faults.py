"""Faults a fake deployment injects, and the schedule that decides when they fire."""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields


class FaultKind(enum.StrEnum):
    """What goes wrong. The fields of `Fault` that each kind reads are listed."""

    HTTP_ERROR = "http_error"  # status, retry_after: the provider's JSON error body
    NON_JSON = "non_json"  # status: an HTML body, as a proxy in front of the provider sends
    RESET = "reset"  # TCP reset before any response byte
    STALL = "stall"  # delay, close: sleep before the headers, then answer (or close)
    HEADERS_STALL = "headers_stall"  # delay, close: a 200's headers, then sleep before the body
    TRICKLE = "trickle"  # delay: a 200's headers, then the body one byte every `delay` s
    EMPTY_ANSWER = "empty_answer"  # a 200 with no answer in it (OpenAI: `choices: []`)
    ECHO_HEADERS = "echo_headers"  # status: the request's headers, in a 200's answer text or
    # in the message of an error with that status (as a misbehaving proxy does)
    STREAM_STALL = "stream_stall"  # after_chunks, delay: sleep in the middle of the body
    STREAM_CUT = "stream_cut"  # after_chunks: close without the terminator
    MALFORMED_CHUNK = "malformed_chunk"  # after_chunks: an invalid JSON data line
    CONTEXT_LENGTH = "context_length"  # 400 in the provider's context-window shape
    CONTENT_FILTER = "content_filter"  # 400 in the provider's content-policy shape
    RANDOM = "random"  # rate: with that probability, one of TRANSIENT_FAULTS


@dataclass(frozen=True)
class Fault:
    """One fault and its schedule.

    Schedule: `times=None, until=None` fires on every call; `times=K` fires on the
    next K calls, then the deployment recovers; `until=T` (a `time.time()` value)
    fires until T. Stream faults count SSE events (`after_chunks`); on a
    non-streaming call they act on the JSON body instead (cut, stall or garble it
    half way).
    """

    kind: FaultKind
    status: int = 500
    retry_after: float | None = None
    delay: float = 0.0
    close: bool = False
    after_chunks: int = 1
    rate: float = 1.0
    times: int | None = None
    until: float | None = None

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "kind": self.kind.value}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Fault:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        values = dict(data)
        values["kind"] = FaultKind(str(values["kind"]))
        return cls(**values)  # type: ignore[arg-type]


TRANSIENT_FAULTS: tuple[Fault, ...] = (
    Fault(FaultKind.HTTP_ERROR, status=429, retry_after=1),
    Fault(FaultKind.HTTP_ERROR, status=500),
    Fault(FaultKind.HTTP_ERROR, status=502),
    Fault(FaultKind.HTTP_ERROR, status=503),
    Fault(FaultKind.HTTP_ERROR, status=504),
    Fault(FaultKind.RESET),
)


class FaultSchedule:
    """The faults armed on one deployment, consumed in order."""

    def __init__(self, faults: Sequence[Fault]) -> None:
        self._armed: list[tuple[Fault, list[int | None]]] = [(f, [f.times]) for f in faults]

    def next(self, now: float, rng: random.Random) -> Fault | None:
        """The fault for the call arriving at `now`, or None to answer normally."""
        while self._armed:
            fault, left = self._armed[0]
            if (fault.until is not None and now >= fault.until) or left[0] == 0:
                self._armed.pop(0)
                continue
            if left[0] is not None:
                left[0] -= 1
            return resolve(fault, rng)
        return None


def resolve(fault: Fault, rng: random.Random,
            among: Sequence[Fault] = TRANSIENT_FAULTS) -> Fault | None:
    """Turn a RANDOM fault into a concrete one (or none), drawn uniformly from `among`;
    other faults pass through."""
    if fault.kind is not FaultKind.RANDOM:
        return fault
    if rng.random() >= fault.rate:
        return None
    return rng.choice(among)
