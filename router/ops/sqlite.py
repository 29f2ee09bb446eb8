"""The request log in a SQLite file (the default): WAL, so readers never block the writer.

Several gateway workers may share one file: each write takes the lock with
`BEGIN IMMEDIATE` and waits up to `BUSY_TIMEOUT_S` for another process's write.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from router.ops.db import Database

BUSY_TIMEOUT_S = 5.0


class SqliteDatabase(Database):
    dialect = "sqlite"
    transient = (sqlite3.OperationalError,)

    def __init__(self, path: str) -> None:
        self.path = path

    def display(self) -> str:
        return self.path

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def connect(self) -> Any:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            # Before the first table only; lets retention give pages back to the disk.
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL survives a crash of the process (not of the machine's power).
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return _Connection(conn)

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def reclaim(self, conn: Any) -> None:
        """Give deleted pages back to the file system after retention deleted rows."""
        conn.execute("PRAGMA incremental_vacuum")


class _Connection:
    """sqlite3's connection, closed (not committed) when used as a context manager."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __enter__(self) -> _Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
