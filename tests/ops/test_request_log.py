"""The request log: one row per request through the real gateway, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import time

import anthropic
import openai
import pytest
from prometheus_client import CollectorRegistry

from router.config import ConfigError
from router.fakeprovider import Fault, FaultKind
from router.ops.db import open_database
from router.ops.schema import MIGRATIONS, REQUEST_COLUMNS, TYPES, VERSION_TABLE
from router.ops.writer import INSERT, LogMetrics, LogWriter
from tests.conftest import PROVIDER_KEY, deployment, make_config, run_gateway
from tests.gateway.test_metrics import metric
from tests.ops.conftest import count, rows
from tests.waiting import wait_for

GATEWAY_KEY = "tianji-gateway-key-0123456789"


def _tiers(fake):
    small = deployment(fake, "s1", price={"input": 1.0, "output": 5.0})
    small_b = deployment(fake, "s2", "anthropic", price={"input": 1.0, "output": 5.0})
    large = deployment(fake, "l1", price={"input": 15.0, "output": 75.0})
    return [[small, small_b], [large]]


def _flush(gw) -> None:
    assert gw.app.state.gateway.request_log.writer.flush(timeout=15)


def test_one_row_per_request_with_routing_cost_and_outcome(fake, log_url):
    config = make_config(_tiers(fake), log={"url": log_url, "flush_interval_s": 0.05},
                         server={"api_keys": [GATEWAY_KEY]})
    fake.set_fault("s1", Fault(FaultKind.HTTP_ERROR, status=503, times=2))
    with run_gateway(config, api_key=GATEWAY_KEY) as gw:
        easy = gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "[easy] hi"}])
        stream = gw.client.chat.completions.create(
            model="medium", stream=True, messages=[{"role": "user", "content": "[easy] go"}],
            stream_options={"include_usage": True})
        streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        wait_for(lambda: count(open_database(log_url)) == 2, "the stream's row")  # after [DONE]
        fake.set_fault("l1", Fault(FaultKind.HTTP_ERROR, status=500))
        with pytest.raises(openai.APIStatusError) as failed:
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": "[hard] prove it"}])
        _flush(gw)
    assert streamed.startswith("Hello from l1")
    logged = rows(log_url)
    assert [r["request_id"] for r in logged] == [
        easy.headers["x-request-id"], logged[1]["request_id"],
        failed.value.response.headers["x-request-id"]]
    first, second, third = logged
    assert (first["tier"], first["deployment"], first["status"]) == ("small", "s2", 200)
    assert first["fallback"] == 1 and first["escalated"] == 0 and first["attempts"] == 3
    assert [a["outcome"] for a in json.loads(first["attempt_path"])][-1] == "ok"
    assert first["cost_usd"] == pytest.approx(float(easy.headers["x-tianji-cost-usd"]))
    assert first["baseline_usd"] == pytest.approx(first["cost_usd"] * 15)
    assert first["front_door"] == "openai-chat" and first["model"] == "auto"
    assert first["task"] == "test" and first["difficulty"] == pytest.approx(0.1)
    assert first["domain"] == "general"  # the test classifier's Assessment names no domain
    assert first["prompt_tokens"] > 0 and first["completion_tokens"] == 8
    assert first["latency_ms"] > 0 and first["stream"] == 0
    assert json.loads(first["route"])["candidates"][0]["deployment"] == "s1"
    assert first["prompt"] is None and first["answer"] is None
    assert second["stream"] == 1 and second["model"] == "medium" and second["deployment"] == "l1"
    assert second["completion_tokens"] == 8 and second["cost_usd"] > 0
    assert (third["status"], third["deployment"]) == (failed.value.status_code, None)
    assert third["error_code"] == failed.value.body["code"] and third["cost_usd"] is None
    # The key is named by a hash, never stored.
    assert {r["key_id"] for r in logged} == {first["key_id"]}
    assert first["key_id"].startswith("key-") and GATEWAY_KEY not in json.dumps(logged)
    # Columns other features fill later exist and are empty; affinity ran on each answer.
    assert first["ttft_ms"] is None and first["affinity"] == "new"


def test_prompts_and_answers_only_with_log_prompts_and_redacted(fake, log_url):
    config = make_config(_tiers(fake), log={"url": log_url},
                         server={"log_prompts": True})
    with run_gateway(config) as gw:
        gw.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": f"[easy] my key {PROVIDER_KEY}"}])
        stream = gw.client.chat.completions.create(
            model="auto", stream=True, messages=[{"role": "user", "content": "[easy] s"}])
        list(stream)
        wait_for(lambda: count(open_database(log_url)) == 2, "the stream's row")  # after [DONE]
    first, second = rows(log_url)
    assert "my key [redacted]" in first["prompt"] and PROVIDER_KEY not in first["prompt"]
    assert first["answer"] == "Hello from s1! This is a fake answer."
    assert second["answer"] == "Hello from s1! This is a fake answer."
    assert first["key_id"] is None  # no api_keys configured: nobody to name


def test_the_answer_of_a_messages_or_responses_request_is_its_text(fake, tmp_path):
    """Each wire's answer, streamed and not: text blocks and output_text as the client reads
    them, a tool call as a marker (never the text "null" or the message's JSON)."""
    url = f"sqlite:///{tmp_path / 'log.db'}"
    claude_dep = deployment(fake, "c1", "anthropic")
    native = deployment(fake, "n1", responses_api=True)
    config = make_config([[claude_dep, native]], log={"url": url}, server={"log_prompts": True})
    weather = {"name": "get_weather", "description": "Weather for a city.",
               "input_schema": {"type": "object", "properties": {}}}
    function = {"type": "function", "name": "get_weather", "description": "Weather for a city.",
                "parameters": {"type": "object", "properties": {}}}
    with run_gateway(config) as gw:
        claude = anthropic.Anthropic(base_url=gw.url, api_key="none", max_retries=0)
        ask = {"model": "auto", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}
        message = claude.messages.create(**ask)
        with claude.messages.stream(**ask) as stream:
            streamed = stream.get_final_text()
        called = claude.messages.create(**ask, tools=[weather],
                                        tool_choice={"type": "tool", "name": "get_weather"})
        force = {"model": "auto", "input": "hi", "tools": [function], "tool_choice": "required"}
        bridged = gw.client.responses.create(**force)  # c1 answers through the chat bridge
        list(gw.client.responses.create(**force, stream=True))
        chat = {"model": "auto", "messages": [{"role": "user", "content": "hi"}],
                "tools": [{"type": "function", "function": {k: v for k, v in function.items()
                                                            if k != "type"}}],
                "tool_choice": "required"}
        chat_call = gw.client.chat.completions.create(**chat)
        list(gw.client.chat.completions.create(**chat, stream=True))
        fake.set_fault("c1", Fault(FaultKind.HTTP_ERROR, status=503))
        response = gw.client.responses.create(model="auto", input="hi")
        events = gw.client.responses.create(model="auto", input="hi", stream=True)
        text_events = [e.delta for e in events if e.type == "response.output_text.delta"]
        function_call = gw.client.responses.create(**force)
        list(gw.client.responses.create(**force, stream=True))
        wait_for(lambda: count(open_database(url)) == 11, "eleven rows")
    answers = [(r["front_door"], r["deployment"], r["stream"], r["answer"]) for r in rows(url)]
    assert [c.type for c in called.content] == ["tool_use"]
    assert function_call.output[0].type == bridged.output[0].type == "function_call"
    assert chat_call.choices[0].message.tool_calls[0].function.name == "get_weather"
    marker = "[function_call: get_weather]"
    assert answers == [
        ("anthropic-messages", "c1", 0, message.content[0].text),
        ("anthropic-messages", "c1", 1, streamed),
        ("anthropic-messages", "c1", 0, "[tool_use: get_weather]"),
        ("openai-responses", "c1", 0, marker),
        ("openai-responses", "c1", 1, marker),
        ("openai-chat", "c1", 0, marker),
        ("openai-chat", "c1", 1, marker),
        ("openai-responses", "n1", 0, response.output_text),
        ("openai-responses", "n1", 1, "".join(text_events)),
        ("openai-responses", "n1", 0, marker),
        ("openai-responses", "n1", 1, marker),
    ]
    assert message.content[0].text == streamed == "Hello from c1! This is a fake answer."
    assert response.output_text == "Hello from n1! This is a fake answer."


def test_rows_are_written_in_batches(fake, tmp_path):
    url = str(tmp_path / "log.db")
    config = make_config(_tiers(fake), log={"url": url, "batch_size": 5, "flush_interval_s": 60})
    db = open_database(url)
    with run_gateway(config) as gw:
        for i in range(7):
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": f"[easy] {i}"}])
        wait_for(lambda: count(db) >= 5, "5 request-log rows")
        assert count(db) == 5  # one full batch; the other two wait for the interval
        gw.app.state.gateway.request_log.close()
        assert count(db) == 7  # closing writes what is queued


def test_a_log_that_cannot_be_written_never_fails_a_request(fake, tmp_path, request):
    missing_dir = tmp_path / "not-yet"
    url = str(missing_dir / "log.db")
    config = make_config(_tiers(fake), log={"url": url, "queue_size": 3, "batch_size": 1})
    with run_gateway(config) as gw:
        log_lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
        for i in range(10):
            reply = gw.client.chat.completions.with_raw_response.create(
                model="auto", messages=[{"role": "user", "content": f"[easy] {i}"}])
            assert reply.http_response.status_code == 200
        text = gw.http.get("/metrics").text
        # The writer holds one batch and the queue three rows; the rest are dropped, counted.
        assert metric(text, "tianji_request_log_rows_total", outcome="dropped") >= 6
        assert metric(text, "tianji_request_log_write_errors_total") >= 1
        missing_dir.mkdir()
        _flush(gw)
        text = gw.http.get("/metrics").text
    assert 1 <= count(open_database(url)) <= 4
    assert metric(text, "tianji_request_log_rows_total", outcome="written") == count(
        open_database(url))
    events = [json.loads(line)["event"] for line in log_lines if line.startswith("{")]
    assert "request_log_unavailable" in events and "request_log_dropping" in events
    assert "request_log_recovered" in events


def test_postgres_restart_mid_run_requests_answered_and_rows_resume(fake, postgres):
    url = postgres.new_database()
    config = make_config(_tiers(fake), log={"url": url, "flush_interval_s": 0.05})
    db = open_database(url)
    with run_gateway(config) as gw:
        def send(n: int) -> None:
            for i in range(n):
                reply = gw.client.chat.completions.with_raw_response.create(
                    model="auto", messages=[{"role": "user", "content": f"[easy] {i}"}])
                assert reply.http_response.status_code == 200

        send(3)
        _flush(gw)
        postgres.stop()
        try:
            send(4)  # answered while the log's server is down
        finally:
            postgres.start()
        send(3)
        _flush(gw)
        assert count(db) == 10  # the rows queued during the outage were written after it
        text = gw.http.get("/metrics").text
    assert metric(text, "tianji_request_log_write_errors_total") >= 1
    assert metric(text, "tianji_request_log_rows_total", outcome="dropped") == 0


def test_log_config_rejects_an_unknown_url_scheme():
    with pytest.raises(ConfigError, match=r"log: .*scheme 'mysql'"):
        make_config([[{"model": "openai/x"}]], log={"url": "mysql://db/x"})


def test_migrations_are_versioned_and_run_once(log_url):
    db = open_database(log_url)
    with db.connect() as conn:
        first = db.migrate(conn)
        again = db.migrate(conn)
        versions = db.fetchall(conn, "SELECT version FROM tianji_schema ORDER BY version")
    assert first == [1, 2, 3, 4, 5] and again == []
    assert [v for (v,) in versions] == [1, 2, 3, 4, 5]


def test_a_log_from_before_the_verified_cascade_gains_its_cost_column(log_url):
    db = open_database(log_url)
    with db.connect() as conn, db.transaction(conn):
        db.execute(conn, VERSION_TABLE.format(**TYPES[db.dialect]))
        for migration in MIGRATIONS[:3]:
            for statement in migration.sql(db.dialect):
                db.execute(conn, statement)
            db.execute(conn, "INSERT INTO tianji_schema (version, applied_at) VALUES (?, ?)",
                       (migration.version, time.time()))
    with db.connect() as conn:
        assert db.migrate(conn) == [4, 5]
        row = {"request_id": "r1", "ts": time.time(), "front_door": "openai-chat",
               "model": "auto", "stream": 0, "tier": "small", "fallback": 0, "escalated": 1,
               "latency_ms": 1.0, "status": 200, "verification": "escalated",
               "verification_cost_usd": 0.25}
        db.executemany(conn, INSERT, [tuple(row.get(c) for c in REQUEST_COLUMNS)])
        got = db.fetchall(conn, "SELECT verification, verification_cost_usd FROM requests")
    assert [tuple(r) for r in got] == [("escalated", 0.25)]


def test_retention_drops_rows_past_their_age_then_the_oldest_beyond_max_rows(log_url):
    db = open_database(log_url)
    now = time.time()
    ages_days = [40, 35, 3, 2, 1, 0.5, 0]  # two past 30 days, then five recent ones
    values = [tuple({"request_id": f"r{i}", "ts": now - age * 86400, "front_door": "openai-chat",
                     "model": "auto", "stream": 0, "tier": "small", "fallback": 0,
                     "escalated": 0, "latency_ms": 1.0, "status": 200}.get(c)
                    for c in REQUEST_COLUMNS) for i, age in enumerate(ages_days)]
    with db.connect() as conn:
        db.migrate(conn)
        db.executemany(conn, INSERT, values)
    writer = LogWriter(db, batch_size=10, flush_interval_s=0.05, queue_size=10,
                       retention_days=30, max_rows=3, metrics=LogMetrics(CollectorRegistry()),
                       redact=str)
    try:
        wait_for(lambda: count(db) == 3, "3 request-log rows")
    finally:
        writer.close()
    assert [r["request_id"] for r in rows(log_url)] == ["r4", "r5", "r6"]


def test_a_stream_cut_mid_answer_has_its_error_code_in_the_row_and_the_line(
    fake, log_url, request
):
    config = make_config(_tiers(fake), log={"url": log_url, "flush_interval_s": 0.05})
    for dep in ("s1", "s2"):  # whichever wire answers, its stream is cut after 4 events
        fake.set_fault(dep, Fault(FaultKind.STREAM_CUT, after_chunks=4))
    with run_gateway(config) as gw:
        log_lines = request.getfixturevalue("log_lines")
        body = {"model": "small", "stream": True,
                "messages": [{"role": "user", "content": "[easy] hi"}]}
        ids = []
        for path, payload, error, end in (
            ("/v1/chat/completions", body, '"code":"stream_interrupted"', "[DONE]"),
            ("/v1/messages", {**body, "max_tokens": 64}, "event: error", "message_stop"),
        ):
            with gw.http.stream("POST", path, json=payload) as response:
                text = "".join(response.iter_text())
                ids.append(response.headers["x-request-id"])
            assert response.status_code == 200
            assert error in text and end not in text, text[-300:]
        _flush(gw)
    by_id = {r["request_id"]: r for r in rows(log_url)}
    lines = _request_lines(log_lines)
    for rid in ids:
        assert (by_id[rid]["status"], by_id[rid]["error_code"]) == (502, "stream_interrupted")
        assert (lines[rid]["status"], lines[rid]["error_code"]) == (502, "stream_interrupted")
        assert by_id[rid]["deployment"] == "s1"


def test_retention_prunes_feedback_by_age_and_on_requests_it_removed(log_url):
    db = open_database(log_url)
    now = time.time()
    ages_days = [40, 3, 2, 1]  # r0 is past 30 days; max_rows 2 then removes r1
    values = [tuple({"request_id": f"r{i}", "ts": now - age * 86400, "front_door": "openai-chat",
                     "model": "auto", "stream": 0, "tier": "small", "fallback": 0,
                     "escalated": 0, "latency_ms": 1.0, "status": 200}.get(c)
                    for c in REQUEST_COLUMNS) for i, age in enumerate(ages_days)]
    feedback = [  # (request_id, age in seconds)
        ("r0", 40 * 86400),  # past retention
        ("r1", 2 * 3600),  # its request goes beyond max_rows, an hour past the grace
        ("r-queued", 60),  # no row yet: its request may still be in a writer's queue
        ("r3", 86400),  # its request is kept
    ]
    with db.connect() as conn:
        db.migrate(conn)
        db.executemany(conn, INSERT, values)
        db.executemany(conn, "INSERT INTO feedback (request_id, ts, score) VALUES (?, ?, ?)",
                       [(rid, now - age, 1.0) for rid, age in feedback])
    writer = LogWriter(db, batch_size=10, flush_interval_s=0.05, queue_size=10,
                       retention_days=30, max_rows=2, metrics=LogMetrics(CollectorRegistry()),
                       redact=str)
    try:
        wait_for(lambda: count(db, "feedback") == 2, "2 feedback rows")
    finally:
        writer.close()
    assert [r["request_id"] for r in rows(log_url)] == ["r2", "r3"]
    assert [f["request_id"] for f in rows(log_url, "feedback")] == ["r-queued", "r3"]


def _request_lines(lines: list[str]) -> dict[str, dict]:
    """The request log lines by request id."""
    out = {}
    for line in lines:
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict) and entry.get("event") == "request":
                out[entry["request_id"]] = entry
    return out


def test_refused_requests_get_a_line_a_metric_and_a_row(fake, log_url, request):
    config = make_config(_tiers(fake), log={"url": log_url, "flush_interval_s": 0.05},
                         server={"api_keys": [GATEWAY_KEY], "max_body_bytes": 2048})
    auth = {"authorization": f"Bearer {GATEWAY_KEY}"}
    as_json = {**auth, "content-type": "application/json"}
    wrong_key = "sk-wrong-key-9876543210"
    asks = [  # (method, path, headers, body) -> (status, code)
        (("POST", "/v1/chat/completions", as_json, b"{"), (400, "invalid_json")),
        (("POST", "/v1/chat/completions", as_json, b'{"model":"auto"}'),
         (400, "invalid_request")),
        (("POST", "/v1/chat/completions",
          {"authorization": f"Bearer {wrong_key}", "content-type": "application/json"},
          b'{"model":"auto","messages":[{"role":"user","content":"hi"}]}'),
         (401, "invalid_api_key")),
        (("POST", "/v1/chat/completions", as_json,
          b'{"model":"nope","messages":[{"role":"user","content":"hi"}]}'),
         (404, "model_not_found")),
        (("GET", "/v1/nothing-here", auth, None), (404, "unknown_path")),
        (("POST", "/v1/messages", {**auth, "content-type": "text/plain"}, b"hi"),
         (415, "unsupported_media_type")),
        (("POST", "/v1/chat/completions", as_json, b"x" * 4096), (413, "too_large")),
    ]
    with run_gateway(config, api_key=GATEWAY_KEY) as gw:
        log_lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
        answers = [gw.http.request(m, p, headers=h, content=b) for (m, p, h, b), _ in asks]
        metrics = gw.http.get("/metrics", headers=auth).text
        _flush(gw)
    by_id = {r["request_id"]: r for r in rows(log_url)}
    lines = _request_lines(log_lines)
    for answer, ((_, path, _, _), (status, code)) in zip(answers, asks, strict=True):
        # The client's answer is the front door's error, as before.
        assert answer.status_code == status
        error = answer.json()["error"]
        if path == "/v1/messages":  # Anthropic's error shape names a type, not a code
            assert answer.json()["type"] == "error" and error["type"] == "invalid_request_error"
        else:
            assert error["code"] == code
        rid = answer.headers["x-request-id"]
        row, line = by_id[rid], lines[rid]
        assert (row["status"], row["error_code"]) == (line["status"], line["error_code"]) == (
            status, code)
        assert row["front_door"] == line["front_door"] == {
            "/v1/chat/completions": "openai-chat", "/v1/messages": "anthropic-messages"}.get(
                path, path)
        assert row["tier"] == "" and row["deployment"] is None and row["route"] is None
    rid = answers[3].headers["x-request-id"]
    assert by_id[rid]["model"] == lines[rid]["model"] == "nope"  # the body parsed that far
    assert by_id[answers[0].headers["x-request-id"]]["model"] == ""
    # A wrong key is named by its hash like any key, never stored or logged.
    assert by_id[answers[2].headers["x-request-id"]]["key_id"].startswith("key-")
    assert wrong_key not in json.dumps(list(by_id.values())) + "\n".join(log_lines)
    for status, n in ((400, 2), (401, 1), (404, 2), (413, 1), (415, 1)):
        assert metric(metrics, "tianji_requests_total", status=str(status)) == n


def test_affinity_outcome_in_the_row_and_the_line(fake, log_url, request):
    config = make_config(_tiers(fake), log={"url": log_url, "flush_interval_s": 0.05})
    first = [{"role": "user", "content": "[easy] plan the refactor"}]
    later = [*first, {"role": "assistant", "content": "Plan."}, {"role": "user", "content": "go"}]
    with run_gateway(config) as gw:
        log_lines = request.getfixturevalue("log_lines")  # after the gateway set up logging
        answers = [gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=m, extra_body={"prompt_cache_key": "conv-1"})
            for m in (first, later)]
        _flush(gw)
    by_id = {r["request_id"]: r for r in rows(log_url)}
    lines = _request_lines(log_lines)
    for answer, outcome in zip(answers, ("new", "kept"), strict=True):
        rid = answer.headers["x-request-id"]
        assert answer.headers["x-tianji-affinity"] == outcome
        assert by_id[rid]["affinity"] == lines[rid]["affinity"] == outcome


def test_a_failed_request_stores_its_attempts_as_its_line_lists_them(fake, log_url, request):
    config = make_config(_tiers(fake), log={"url": log_url, "flush_interval_s": 0.05})
    for dep in ("s1", "s2", "l1"):  # a bad key: no retry, the next deployment, then the tier up
        fake.set_fault(dep, Fault(FaultKind.HTTP_ERROR, status=401))
    with run_gateway(config) as gw:
        log_lines = request.getfixturevalue("log_lines")
        with pytest.raises(openai.APIStatusError) as failed:
            gw.client.chat.completions.create(
                model="auto", messages=[{"role": "user", "content": "[easy] hi"}])
        _flush(gw)
    rid = failed.value.response.headers["x-request-id"]
    (logged,) = [r for r in rows(log_url) if r["request_id"] == rid]
    line = _request_lines(log_lines)[rid]
    assert logged["status"] == failed.value.status_code and logged["deployment"] is None
    assert logged["attempts"] == line["attempts"] == 3
    path = json.loads(logged["attempt_path"])
    assert path == line["attempt_path"]
    assert [(a["deployment"], a["tier"], a["provider"], a["status"]) for a in path] == [
        ("s1", "small", "openai", 401), ("s2", "small", "anthropic", 401),
        ("l1", "medium", "openai", 401)]
    assert logged["fallback"] == 1
