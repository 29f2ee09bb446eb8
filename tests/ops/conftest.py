"""Request-log fixtures: a fresh log per test, on SQLite and on a real PostgreSQL.

`postgres` starts a throwaway cluster (initdb + pg_ctl from Debian's postgresql
package, found under /usr/lib/postgresql/*/bin) on a free port in a temp dir, once per
session; as root it runs them as the `postgres` user. `log_url` is parametrized over
both back ends, so a test that takes it runs twice.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from router.ops.db import Database, open_database
from tests.conftest import free_port


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(
            f"PostgreSQL's {name} not found under /usr/lib/postgresql/*/bin: "
            "install Debian's `postgresql` package (.ci/run does)"
        )
    return found[-1]


@dataclass
class Postgres:
    datadir: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        subprocess.run([*self.as_user, _pg_bin("pg_ctl"), "-D", str(self.datadir), "-w",
                        "-t", "30", *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl("-o", opts, "-l", str(self.datadir / "server.log"), "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    root = Path(tempfile.mkdtemp(prefix="tianji-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    datadir = root / "data"
    subprocess.run([*as_user, _pg_bin("initdb"), "-D", str(datadir), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"],
                   check=True, capture_output=True, timeout=120)
    server = Postgres(datadir, free_port(), as_user)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def log_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'log.db'}"
    return request.getfixturevalue("postgres").new_database()


def count(db: Database, table: str = "requests") -> int:
    """Rows in `table`; 0 while the gateway has not created its tables yet."""
    import psycopg

    with db.connect() as conn:
        try:
            return int(db.fetchall(conn, f"SELECT count(*) FROM {table}")[0][0])
        except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
            return 0


def rows(url: str, table: str = "requests") -> list[dict[str, Any]]:
    db = open_database(url)
    with db.connect() as conn:
        cur = conn.execute(f"SELECT * FROM {table} ORDER BY seq")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
