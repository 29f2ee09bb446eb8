"""Reads from the request log, and the one write that is not a request row (feedback).

Each call opens its own connection, so a database that was down a moment ago is used
again as soon as it is back. The first use in a process applies any missing migration,
so a reader never finds the tables absent.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from router.ops.db import Database

# What stats and the dashboard read; prompts and answers are never among them.
STATS_COLUMNS = (
    "request_id", "ts", "key_id", "front_door", "model", "tier", "deployment", "task",
    "difficulty", "attempts", "fallback", "escalated", "latency_ms", "prompt_tokens",
    "completion_tokens", "cost_usd", "baseline_usd", "status", "error_code",
)
RECENT_COLUMNS = (*STATS_COLUMNS, "stream", "route", "attempt_path")
# What readers see as the tier of a request refused before routing; its column holds ""
# (NOT NULL, as in the metrics' labels).
REFUSED_TIER = "refused"


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("tier") == "":
        row["tier"] = REFUSED_TIER
    return row


class Reader:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._migrated = False
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        conn = self.db.connect()
        with self._lock:
            if not self._migrated:
                try:
                    self.db.migrate(conn)
                except BaseException:
                    conn.close()
                    raise
                self._migrated = True
        return conn

    def rows(self, since: float | None = None, until: float | None = None) -> list[dict[str, Any]]:
        """Request rows in [since, until), oldest first, as dicts of STATS_COLUMNS (a
        refused request's tier as `REFUSED_TIER`, here and below)."""
        where, params = _window(since, until)
        sql = f"SELECT {', '.join(STATS_COLUMNS)} FROM requests{where} ORDER BY ts"
        with self._connect() as conn:
            found = self.db.fetchall(conn, sql, params)
        return [_shown(dict(zip(STATS_COLUMNS, r, strict=True))) for r in found]

    def recent(self, limit: int) -> list[dict[str, Any]]:
        """The newest requests first, with the routing explanation and the attempts."""
        sql = (f"SELECT {', '.join(RECENT_COLUMNS)} FROM requests ORDER BY seq DESC LIMIT ?")
        with self._connect() as conn:
            found = self.db.fetchall(conn, sql, (limit,))
        out = []
        for r in found:
            item = _shown(dict(zip(RECENT_COLUMNS, r, strict=True)))
            item["route"] = json.loads(item["route"]) if item["route"] else None
            item["attempt_path"] = json.loads(item["attempt_path"] or "[]")
            out.append(item)
        return out

    def feedback(self, since: float | None = None) -> list[dict[str, Any]]:
        """Feedback rows with the tier and task of the request they are about."""
        where, params = _window(since, None, column="f.ts")
        sql = ("SELECT f.request_id, f.score, r.tier, r.task FROM feedback f "
               "LEFT JOIN requests r ON r.request_id = f.request_id" + where)
        with self._connect() as conn:
            found = self.db.fetchall(conn, sql, params)
        keys = ("request_id", "score", "tier", "task")
        return [_shown(dict(zip(keys, r, strict=True))) for r in found]

    def add_shadow(self, row: dict[str, Any]) -> None:
        with self._connect() as conn:
            self.db.execute(
                conn,
                f"INSERT INTO shadow ({', '.join(SHADOW_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in SHADOW_COLUMNS)})",
                tuple(row[c] for c in SHADOW_COLUMNS),
            )

    def verdicts(self, since: float | None = None) -> list[dict[str, Any]]:
        """Shadow verdicts in the window, oldest first."""
        where, params = _window(since, None)
        sql = f"SELECT {', '.join(SHADOW_COLUMNS)} FROM shadow{where} ORDER BY ts"
        with self._connect() as conn:
            found = self.db.fetchall(conn, sql, params)
        return [dict(zip(SHADOW_COLUMNS, r, strict=True)) for r in found]

    def has_request(self, request_id: str) -> bool:
        with self._connect() as conn:
            found = self.db.fetchall(
                conn, "SELECT 1 FROM requests WHERE request_id = ? LIMIT 1", (request_id,)
            )
        return bool(found)

    def add_feedback(
        self, request_id: str, score: float, comment: str | None, key_id: str | None
    ) -> None:
        with self._connect() as conn:
            self.db.execute(
                conn,
                "INSERT INTO feedback (request_id, ts, key_id, score, comment) "
                "VALUES (?, ?, ?, ?, ?)",
                (request_id, time.time(), key_id, score, comment),
            )


SHADOW_COLUMNS = ("request_id", "ts", "tier", "task", "difficulty", "top_deployment", "judge",
                  "verdict", "first", "second", "cost_usd")


def _window(since: float | None, until: float | None, column: str = "ts"
            ) -> tuple[str, tuple[float, ...]]:
    clauses, params = [], []
    if since is not None:
        clauses.append(f"{column} >= ?")
        params.append(since)
    if until is not None:
        clauses.append(f"{column} < ?")
        params.append(until)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)
