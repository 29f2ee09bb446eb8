"""Where the request log lives: a SQLite file or a PostgreSQL server, behind one interface.

    db = open_database("postgresql://tianji@db/tianji")   # or "sqlite:///tianji-log.db", or a path
    with db.connect() as conn:
        db.migrate(conn)
        rows = db.fetchall(conn, "SELECT count(*) FROM requests WHERE ts >= ?", (since,))

SQL is written once with `?` placeholders; each implementation adapts it. Connections
are in autocommit mode; `transaction(conn)` groups statements.
"""

from __future__ import annotations

import os
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from router.ops.schema import TYPES, VERSION_TABLE, pending

DEFAULT_FILE = "tianji-log.db"
ENV_VAR = "TIANJI_LOG_DB"


class Database(ABC):
    """One log database. Implementations: `router.ops.sqlite`, `router.ops.postgres`."""

    dialect: str
    transient: tuple[type[BaseException], ...]
    """Errors after which the same write may succeed later (server down, file locked)."""

    @abstractmethod
    def connect(self) -> Any:
        """A new DB-API connection in autocommit mode (also a context manager that closes)."""

    @abstractmethod
    def display(self) -> str:
        """The location, without any password, for logs and messages."""

    @abstractmethod
    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        """Run the block's statements as one transaction that takes the write lock first."""

    def exists(self) -> bool:
        """Whether there is a log to read (a SQLite file is not created by reading it)."""
        return True

    def sql(self, text: str) -> str:
        return text

    def execute(self, conn: Any, text: str, params: Sequence[Any] = ()) -> None:
        conn.execute(self.sql(text), params)

    def executemany(self, conn: Any, text: str, rows: Sequence[Sequence[Any]]) -> None:
        conn.cursor().executemany(self.sql(text), rows)

    def fetchall(self, conn: Any, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(conn.execute(self.sql(text), params).fetchall())

    def _lock_schema(self, conn: Any) -> None:
        """Serialise migrations between processes (inside the migration's transaction)."""
        return None

    def reclaim(self, conn: Any) -> None:
        """Give space freed by retention back, where the database needs to be told."""
        return None

    def migrate(self, conn: Any) -> list[int]:
        """Apply the migrations this database lacks; return the versions applied."""
        done = []
        with self.transaction(conn):
            self._lock_schema(conn)
            self.execute(conn, VERSION_TABLE.format(**TYPES[self.dialect]))
            applied = {int(v) for (v,) in self.fetchall(conn, "SELECT version FROM tianji_schema")}
            for migration in pending(applied):
                for statement in migration.sql(self.dialect):
                    self.execute(conn, statement)
                self.execute(
                    conn,
                    "INSERT INTO tianji_schema (version, applied_at) VALUES (?, ?)",
                    (migration.version, time.time()),
                )
                done.append(migration.version)
        return done


def resolve_url(url: str | None) -> str:
    """The log's location: `url` if set, else $TIANJI_LOG_DB, else ./tianji-log.db."""
    return url or os.environ.get(ENV_VAR) or DEFAULT_FILE


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> str:
    """`sqlite:///relative.db`, `sqlite:////absolute.db` or a plain path -> the file path."""
    return url.removeprefix("sqlite://")[1:] if url.startswith("sqlite://") else url


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def open_database(url: str | None = None) -> Database:
    """The Database for a log URL (see `resolve_url`); nothing is connected yet."""
    location = resolve_url(url)
    if is_postgres(location):
        from router.ops.postgres import PostgresDatabase

        return PostgresDatabase(location)
    from router.ops.sqlite import SqliteDatabase

    return SqliteDatabase(sqlite_path(location))
