"""`router serve` writes the log with nothing set up, and a killed gateway loses only its
unflushed batch: the SQLite file stays readable."""

from __future__ import annotations

import os
import signal
import sqlite3

import openai

from tests.conftest import PROVIDER_KEY
from tests.test_cli import CLEAN_ENV, Served
from tests.waiting import wait_for


def _config(fake, tmp_path) -> str:
    path = tmp_path / "tianji.yaml"
    path.write_text(
        "classifier: {kind: rules}\n"
        # Two full batches are written at once; a partial one waits a minute.
        "log: {batch_size: 10, flush_interval_s: 60}\n"
        "tiers:\n  - name: small\n    deployments:\n"
        f"      - {{name: a, model: openai/gpt-x, api_base: '{fake.openai_base('a')}',"
        f" api_key: '{PROVIDER_KEY}'}}\n")
    return str(path)


def _count(path) -> int:
    """Rows so far (0 while the gateway is still creating the file's tables)."""
    with sqlite3.connect(path) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM requests").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def test_killed_gateway_keeps_every_flushed_batch_and_a_readable_file(fake, tmp_path):
    env = {k: v for k, v in CLEAN_ENV.items() if k != "TIANJI_LOG_DB"}
    server = Served(_config(fake, tmp_path), env, cwd=tmp_path)
    db = tmp_path / "tianji-log.db"  # the default location: the working directory
    try:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="x", max_retries=0)
        for i in range(25):
            client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": f"hello {i}"}])
        wait_for(lambda: db.exists() and _count(db) >= 20, "20 rows in the request log")
    finally:
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.communicate(timeout=15)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        statuses = [s for (s,) in conn.execute("SELECT status FROM requests ORDER BY seq")]
    assert statuses == [200] * 20  # the two full batches; the 5 unflushed rows are the loss
