"""The request log on PostgreSQL (for fleets: every replica writes to one server).

    log:
      url: postgresql://tianji:${TIANJI_LOG_PASSWORD}@db.internal:5432/tianji

Connections are short-lived per writer and re-opened after a failure, so a server
restart costs the rows of one outage's queue at most, never a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from router.ops.db import Database, without_password

CONNECT_TIMEOUT_S = 3
# Any constant shared by every Tianji process: serialises their migrations.
_MIGRATION_LOCK = 7_301_515


class PostgresDatabase(Database):
    dialect = "postgresql"
    transient = (psycopg.OperationalError, psycopg.InterfaceError)

    def __init__(self, url: str) -> None:
        self.url = url

    def display(self) -> str:
        return without_password(self.url)

    def connect(self) -> Any:
        return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    @contextmanager
    def transaction(self, conn: Any) -> Iterator[None]:
        with conn.transaction():
            yield

    def _lock_schema(self, conn: Any) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
