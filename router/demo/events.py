"""What the gateway did with each request, read from its own JSON log records.

The gateway logs one `{"event": "request", ...}` record per request (tier, deployment,
attempts and each upstream call in `attempt_path`, cost, saving; see README "Commands").
`Recorder` is a logging handler that turns them into one `Outcome` per request, so the demo
reports the gateway's own figures.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGGERS = ("tianji.request",)


@dataclass(frozen=True)
class FailedAttempt:
    deployment: str
    why: str  # the provider's status, or the error class when there was none

    def __str__(self) -> str:
        return f"{self.deployment} {self.why}"


@dataclass(frozen=True)
class Outcome:
    """One request as the gateway logged it."""

    request_id: str
    status: int
    tier: str
    deployment: str | None
    attempts: int
    cost_usd: float
    saved_usd: float
    failed: tuple[FailedAttempt, ...] = field(default=())

    @property
    def baseline_usd(self) -> float:
        """What the same tokens would have cost on the top tier's first deployment."""
        return self.cost_usd + self.saved_usd


class Recorder(logging.Handler):
    """Collects `Outcome`s by request id; `on_outcome` is called for each (any thread)."""

    def __init__(self, on_outcome: Callable[[Outcome], None] | None = None) -> None:
        super().__init__(logging.INFO)
        self._on_outcome = on_outcome
        self._lock = threading.Lock()
        self._outcomes: dict[str, Outcome] = {}

    def attach(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).addHandler(self)

    def detach(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            data = json.loads(record.getMessage())
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("event") == "request":
            self._request(data)

    def _request(self, data: dict[str, Any]) -> None:
        request_id = str(data.get("request_id"))
        failed = tuple(
            FailedAttempt(str(a.get("deployment")),
                          str(a.get("status") or a.get("error_class") or a.get("outcome")))
            for a in data.get("attempt_path") or () if a.get("action") not in ("served", "skip")
        )
        with self._lock:
            outcome = Outcome(
                request_id=request_id,
                status=int(str(data.get("status") or 0)),
                tier=str(data.get("tier")),
                deployment=None if data.get("deployment") is None else str(data["deployment"]),
                attempts=int(str(data.get("attempts") or len(failed))),
                cost_usd=float(str(data.get("cost_usd") or 0.0)),
                saved_usd=float(str(data.get("saved_usd") or 0.0)),
                failed=failed,
            )
            self._outcomes[request_id] = outcome
        if self._on_outcome is not None:
            self._on_outcome(outcome)

    def outcomes(self) -> list[Outcome]:
        with self._lock:
            return list(self._outcomes.values())

    def wait_for(self, request_ids: set[str], timeout_s: float) -> dict[str, Outcome]:
        """The outcomes of these requests; waits (bounded) for records still being written,
        e.g. a stream's, which is logged just after its last byte."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self._lock:
                found = {i: self._outcomes[i] for i in request_ids if i in self._outcomes}
            if len(found) == len(request_ids) or time.monotonic() >= deadline:
                return found
            time.sleep(0.02)
