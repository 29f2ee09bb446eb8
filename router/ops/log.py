"""The request log as the gateway sees it: make an entry, add the outcome, close.

    request_log = RequestLog.open(config, redactor, metrics.registry)
    entry = request_log.entry(request.url.path, body, request.headers)
    ...
    request_log.add(call, served, usage, 200, cost, baseline)

`add` never raises and never waits: building the row and queueing it are all that
happens on the request path (see `writer.LogWriter`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry

from router.config import Config
from router.ops.db import Database, open_database
from router.ops.query import Reader
from router.ops.record import CallLike, Entry, answer_text, new_entry, refused_row, row
from router.ops.shadow import SHADOWED_DOORS, Shadow
from router.ops.writer import LogMetrics, LogWriter

if TYPE_CHECKING:
    from router.costs import ModelInfo
    from router.upstream import Attempt, Served, Upstream

log = logging.getLogger("tianji.request_log")


class RequestLog:
    def __init__(
        self,
        db: Database | None,
        writer: LogWriter | None,
        redact: Callable[[str], str],
        keep_text: bool,
        authenticated: bool,
        shadow: Shadow | None = None,
    ) -> None:
        self.db = db
        self.writer = writer
        self.redact = redact
        self.keep_text = keep_text
        self.authenticated = authenticated
        self.shadow = shadow

    @classmethod
    def open(
        cls,
        config: Config,
        redact: Callable[[str], str],
        registry: CollectorRegistry,
        upstream: Upstream,
        catalog: Mapping[str, ModelInfo],
    ) -> RequestLog:
        settings = config.log
        keep_text = config.server.log_prompts
        authenticated = bool(config.server.api_keys or config.keys)
        if not settings.enabled:
            return cls(None, None, redact, keep_text, authenticated)
        db = open_database(settings.url)
        writer = LogWriter(
            db,
            batch_size=settings.batch_size,
            flush_interval_s=settings.flush_interval_s,
            queue_size=settings.queue_size,
            retention_days=settings.retention_days,
            max_rows=settings.max_rows,
            metrics=LogMetrics(registry),
            redact=redact,
        )
        shadow = None
        if config.shadow.rate > 0:
            shadow = Shadow(config, upstream, catalog, Reader(db), registry)
        return cls(db, writer, redact, keep_text, authenticated, shadow)

    def entry(self, path: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> Entry:
        shadow_messages = None
        if self.shadow is not None and path in SHADOWED_DOORS and self.shadow.sample():
            shadow_messages = self.shadow.conversation(path, body)
        return new_entry(path, body, headers, self.authenticated, self.keep_text,
                         shadow_messages)

    def add(
        self,
        call: CallLike,
        served: Served | None,
        usage: Mapping[str, Any],
        status: int,
        cost: float | None,
        baseline: float | None,
        error_code: str | None = None,
        failed_attempts: list[Attempt] | None = None,
    ) -> None:
        """`failed_attempts`: what was tried for a request no deployment answered."""
        if self.writer is None:
            return
        try:
            values = row(call, served, usage, status, cost, baseline, error_code, self.redact,
                         failed_attempts)
        except Exception as exc:  # noqa: BLE001 - the log must never fail a request
            self.writer.metrics.rows.labels("dropped").inc()
            log.error(json.dumps({"event": "request_log_row_failed", "error": type(exc).__name__,
                                  "request_id": call.request_id}))
            return
        self.writer.submit(values)
        if self.shadow is not None and served is not None and status == 200:
            self.shadow.consider(call, served, usage, answer_text(call.entry, served))

    def refused_entry(self, path: str, headers: Mapping[str, str], model: str | None) -> Entry:
        """The entry of a request refused before routing (`model` once the body parsed)."""
        return new_entry(path, {"model": model or ""}, headers, self.authenticated,
                         keep_text=False)

    def refused(self, request_id: str, entry: Entry, started: float, status: int,
                error_code: str | None) -> None:
        """The row of a request refused before routing."""
        if self.writer is None:
            return
        self.writer.submit(refused_row(request_id, entry, started, status, error_code))

    def known(self, request_id: str) -> bool:
        """Whether a row for this request is still waiting in this process's queue."""
        return self.writer is not None and self.writer.pending(request_id)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
