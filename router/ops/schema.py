"""The request log's tables and their versioned migrations, for SQLite and PostgreSQL.

One schema for both: the same tables, columns and names; only the column types are
spelled per dialect (`{id}`, `{real}`, `{int}` below). A database records the versions
it has in `tianji_schema`; `pending(applied)` is what is left to run, in order. A new
column or table is a new migration at the end of `MIGRATIONS`, never an edit of an
old one.
"""

from __future__ import annotations

from dataclasses import dataclass

TYPES = {
    "sqlite": {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "real": "REAL", "int": "INTEGER"},
    "postgresql": {"id": "BIGSERIAL PRIMARY KEY", "real": "DOUBLE PRECISION", "int": "BIGINT"},
}

VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS tianji_schema (version {int} PRIMARY KEY, applied_at {real})"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]

    def sql(self, dialect: str) -> list[str]:
        return [s.format(**TYPES[dialect]) for s in self.statements]


# Columns of `requests`, in insert order. Nullable ones are filled where the gateway
# knows them (affinity, verification and time to first token come with the
# features that produce them; cache tokens when the provider reports them).
REQUEST_COLUMNS = (
    "request_id", "ts", "key_id", "front_door", "model", "stream", "tier", "deployment",
    "task", "domain", "difficulty", "route", "attempts", "attempt_path", "fallback",
    "escalated", "affinity", "verification", "latency_ms", "ttft_ms", "prompt_tokens",
    "completion_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd",
    "baseline_usd", "status", "error_code", "prompt", "answer", "verification_cost_usd",
    "budget",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "requests", (
        """CREATE TABLE requests (
            seq {id},
            request_id TEXT NOT NULL,
            ts {real} NOT NULL,
            key_id TEXT,
            front_door TEXT NOT NULL,
            model TEXT NOT NULL,
            stream {int} NOT NULL,
            tier TEXT NOT NULL,
            deployment TEXT,
            task TEXT,
            domain TEXT,
            difficulty {real},
            route TEXT,
            attempts {int},
            attempt_path TEXT,
            fallback {int} NOT NULL,
            escalated {int} NOT NULL,
            affinity TEXT,
            verification TEXT,
            latency_ms {real} NOT NULL,
            ttft_ms {real},
            prompt_tokens {int},
            completion_tokens {int},
            cache_read_tokens {int},
            cache_write_tokens {int},
            cost_usd {real},
            baseline_usd {real},
            status {int} NOT NULL,
            error_code TEXT,
            prompt TEXT,
            answer TEXT
        )""",
        "CREATE INDEX requests_ts ON requests (ts)",
        "CREATE INDEX requests_request_id ON requests (request_id)",
    )),
    Migration(2, "feedback", (
        """CREATE TABLE feedback (
            seq {id},
            request_id TEXT NOT NULL,
            ts {real} NOT NULL,
            key_id TEXT,
            score {real} NOT NULL,
            comment TEXT
        )""",
        "CREATE INDEX feedback_request_id ON feedback (request_id)",
    )),
    Migration(3, "shadow", (
        # verdict: cheap_better | tie | top_better, from the judge's two orders together;
        # first / second: the judge's pick with the cheap answer shown first / second.
        """CREATE TABLE shadow (
            seq {id},
            request_id TEXT NOT NULL,
            ts {real} NOT NULL,
            tier TEXT NOT NULL,
            task TEXT,
            difficulty {real},
            top_deployment TEXT,
            judge TEXT NOT NULL,
            verdict TEXT NOT NULL,
            first TEXT NOT NULL,
            second TEXT NOT NULL,
            cost_usd {real} NOT NULL
        )""",
        "CREATE INDEX shadow_ts ON shadow (ts)",
    )),
    # The verified cascade's calls whose answer was not returned (router/verify.py); they
    # are in cost_usd too.
    Migration(4, "verification_cost", (
        "ALTER TABLE requests ADD COLUMN verification_cost_usd {real}",
    )),
    # x-tianji-budget of the request's key: ok | capped:<tier> | exhausted (router/state).
    Migration(5, "requests_budget", ("ALTER TABLE requests ADD COLUMN budget TEXT",)),
)

LATEST = MIGRATIONS[-1].version


def pending(applied: set[int]) -> list[Migration]:
    """Migrations not yet applied, oldest first."""
    return [m for m in MIGRATIONS if m.version not in applied]
