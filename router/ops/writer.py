"""Writes log rows off the request path: a bounded queue drained in batches by one thread.

    writer = LogWriter(db, settings, metrics, redact)
    writer.submit(row)       # never blocks, never raises; a full queue drops the row
    writer.flush(timeout=5)  # for shutdown and tests

A batch is written when it has `batch_size` rows (the queue is looked at every 0.1 s
once a batch is open, not at every row) or its first row is `flush_interval_s` old, in one
transaction. When the database cannot be written (a
server restarting, a file locked or unreachable) the batch is kept and retried with
backoff while new rows wait in the queue; rows that do not fit are dropped and
counted. Every outage and every recovery is one log line; /metrics has the counts.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge

from router.ops.db import Database
from router.ops.schema import REQUEST_COLUMNS

log = logging.getLogger("tianji.request_log")

INSERT = (
    f"INSERT INTO requests ({', '.join(REQUEST_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in REQUEST_COLUMNS)})"
)
BACKOFF_INITIAL_S = 0.2
BACKOFF_MAX_S = 5.0
RETENTION_EVERY_S = 600.0
# Feedback on a request whose row is gone is kept this long: its row may still be queued.
ORPHAN_FEEDBACK_GRACE_S = 3600.0
# While a batch is open, how often the writer checks whether flush() wants it now.
HURRY_CHECK_S = 0.1
# How often the "still dropping" line repeats during one outage.
DROP_REPORT_EVERY_S = 60.0


class LogMetrics:
    """The log's own counters, on the gateway's Prometheus registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.rows = Counter(
            "tianji_request_log_rows",
            "Request-log rows by outcome: written, or dropped (queue full, rejected, shutdown).",
            ["outcome"],
            registry=registry,
        )
        self.errors = Counter(
            "tianji_request_log_write_errors",
            "Failed attempts to write a batch of request-log rows.",
            registry=registry,
        )
        self.queued = Gauge(
            "tianji_request_log_queued_rows",
            "Rows waiting to be written to the request log.",
            registry=registry,
        )


class LogWriter:
    def __init__(
        self,
        db: Database,
        *,
        batch_size: int,
        flush_interval_s: float,
        queue_size: int,
        retention_days: float | None,
        max_rows: int | None,
        metrics: LogMetrics,
        redact: Callable[[str], str],
    ) -> None:
        self.db = db
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.retention_days = retention_days
        self.max_rows = max_rows
        self.metrics = metrics
        self.redact = redact
        self._queue: queue.Queue[tuple[Any, ...]] = queue.Queue(maxsize=queue_size)
        metrics.queued.set_function(self._queue.qsize)
        self._lock = threading.Lock()
        self._pending: dict[str, int] = {}  # request id -> rows queued or in the batch
        self._unwritten = 0
        self._idle = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._hurry = threading.Event()  # set by flush(): write the open batch now
        self._conn: Any = None
        self._failing = False
        self._dropped_in_outage = 0
        self._last_drop_report = 0.0
        self._next_retention = 0.0
        self._thread = threading.Thread(target=self._run, name="tianji-request-log", daemon=True)
        self._thread.start()

    # -- the request path ---------------------------------------------------------------

    def submit(self, row: dict[str, Any]) -> None:
        values = tuple(row.get(c) for c in REQUEST_COLUMNS)
        with self._lock:
            if self._stop.is_set():
                self._drop(1, "shutdown")
                return
            try:
                self._queue.put_nowait(values)
            except queue.Full:
                self._drop(1, "queue full")
                return
            rid = row["request_id"]
            self._pending[rid] = self._pending.get(rid, 0) + 1
            self._unwritten += 1

    def pending(self, request_id: str) -> bool:
        """Whether a row for this request is queued but not yet written."""
        with self._lock:
            return request_id in self._pending

    # -- shutdown and tests -------------------------------------------------------------

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every submitted row is written or dropped; False on timeout."""
        deadline = time.monotonic() + timeout
        self._hurry.set()
        try:
            with self._idle:
                while self._unwritten:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._idle.wait(min(left, 0.1))
            return True
        finally:
            self._hurry.clear()

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (within `timeout`), then stop; rows left are dropped, counted."""
        self.flush(timeout)
        with self._lock:
            self._stop.set()
        self._thread.join(timeout=1.0)
        with self._lock:
            left = self._unwritten
        if left:
            self._drop(left, "shutdown")
        self._close_conn()

    # -- the writer thread --------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            batch = self._take()
            if batch:
                self._write(batch)
            if time.monotonic() >= self._next_retention and not self._failing:
                self._retain()

    def _take(self) -> list[tuple[Any, ...]]:
        try:
            first = self._queue.get(timeout=0.5)
        except queue.Empty:
            return []
        batch = [first]
        until = time.monotonic() + self.flush_interval_s
        # The rest of the batch is collected every HURRY_CHECK_S, not row by row: a wake-up
        # per row would take the GIL from the event loop at every request it serves.
        while True:
            self._drain(batch)
            if len(batch) >= self.batch_size or self._hurry.is_set() or self._stop.is_set():
                break
            left = until - time.monotonic()
            if left <= 0:
                break
            self._stop.wait(min(left, HURRY_CHECK_S))
        return batch

    def _drain(self, batch: list[tuple[Any, ...]]) -> None:
        """Move queued rows into `batch`, up to `batch_size`."""
        while len(batch) < self.batch_size:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                return

    def _write(self, batch: list[tuple[Any, ...]]) -> None:
        backoff = BACKOFF_INITIAL_S
        while True:
            try:
                conn = self._connection()
                with self.db.transaction(conn):
                    self.db.executemany(conn, INSERT, batch)
            except self.db.transient as exc:
                self._close_conn()
                self._outage(exc)
                if self._stop.wait(backoff):
                    self._settle(batch, "shutdown")
                    return
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            except Exception as exc:  # noqa: BLE001 - a rejected batch must not stop the log
                self._close_conn()
                self.metrics.errors.inc()
                log.error(self._event("request_log_rejected", exc, rows=len(batch)))
                self._settle(batch, "rejected")
                return
            self._recovered()
            self._settle(batch, None)
            return

    def _connection(self) -> Any:
        if self._conn is None:
            conn = self.db.connect()
            try:
                self.db.migrate(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _close_conn(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # it is being discarded
                self._conn.close()
            self._conn = None

    def _settle(self, batch: Sequence[tuple[Any, ...]], dropped_because: str | None) -> None:
        """Rows of `batch` are done: written (None) or dropped for a reason."""
        rid_index = REQUEST_COLUMNS.index("request_id")
        with self._idle:
            for values in batch:
                rid = values[rid_index]
                count = self._pending.get(rid, 0) - 1
                if count > 0:
                    self._pending[rid] = count
                else:
                    self._pending.pop(rid, None)
            self._unwritten -= len(batch)
            self._idle.notify_all()
        if dropped_because is None:
            self.metrics.rows.labels("written").inc(len(batch))
        else:
            self._drop(len(batch), dropped_because)

    def _drop(self, count: int, reason: str) -> None:
        self.metrics.rows.labels("dropped").inc(count)
        self._dropped_in_outage += count
        now = time.monotonic()
        if now - self._last_drop_report >= DROP_REPORT_EVERY_S:
            self._last_drop_report = now
            log.warning(json.dumps({
                "event": "request_log_dropping",
                "reason": reason,
                "dropped": self._dropped_in_outage,
                "log": self.db.display(),
            }))

    def _outage(self, exc: BaseException) -> None:
        self.metrics.errors.inc()
        if not self._failing:
            self._failing = True
            log.warning(self._event("request_log_unavailable", exc))

    def _recovered(self) -> None:
        if self._failing:
            self._failing = False
            log.warning(json.dumps({
                "event": "request_log_recovered",
                "dropped_during_outage": self._dropped_in_outage,
                "log": self.db.display(),
            }))
            self._dropped_in_outage = 0
            self._last_drop_report = 0.0

    def _event(self, event: str, exc: BaseException, **extra: Any) -> str:
        message = self.redact(f"{type(exc).__name__}: {exc}")[:500]
        return json.dumps({"event": event, "error": message, "log": self.db.display(), **extra})

    def _retain(self) -> None:
        """Delete rows older than `retention_days` and beyond the newest `max_rows`, and
        feedback older than `retention_days` or on a request whose row is gone."""
        self._next_retention = time.monotonic() + RETENTION_EVERY_S
        if self.retention_days is None and self.max_rows is None:
            return
        try:
            conn = self._connection()
            with self.db.transaction(conn):
                if self.retention_days is not None:
                    cutoff = time.time() - self.retention_days * 86400
                    self.db.execute(conn, "DELETE FROM requests WHERE ts < ?", (cutoff,))
                    self.db.execute(conn, "DELETE FROM feedback WHERE ts < ?", (cutoff,))
                if self.max_rows is not None:
                    self.db.execute(
                        conn,
                        "DELETE FROM requests WHERE seq <= (SELECT seq FROM requests "
                        "ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                        (self.max_rows,),
                    )
                self.db.execute(
                    conn,
                    "DELETE FROM feedback WHERE ts < ? AND NOT EXISTS (SELECT 1 FROM requests "
                    "WHERE requests.request_id = feedback.request_id)",
                    (time.time() - ORPHAN_FEEDBACK_GRACE_S,),
                )
            self.db.reclaim(conn)
        except Exception as exc:  # noqa: BLE001 - retention runs again later
            self._close_conn()
            log.warning(self._event("request_log_retention_failed", exc))
