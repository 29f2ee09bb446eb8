"""Log lines as an operator reads them on stderr (router/logs.py).

README: one JSON line per event; Tianji's own records are JSON objects, other libraries'
records are wrapped as {"event": "log", ...}; secrets are redacted; litellm and httpx stay at
WARNING; the level comes from TIANJI_LOG_LEVEL (default INFO).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest

from router.logs import configure_logging
from router.redact import Redactor

SECRET = "tenant-secret-0f9e8d7c"


@pytest.fixture
def stderr_lines(capsys, monkeypatch) -> Iterator[Callable[[], list[str]]]:
    """Configure logging as `router serve` does, then read what reached stderr."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    monkeypatch.delenv("TIANJI_LOG_LEVEL", raising=False)
    for flag in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):
        monkeypatch.setattr(logging, flag, getattr(logging, flag))  # restored after the test

    def lines() -> list[str]:
        return [line for line in capsys.readouterr().err.splitlines() if line]

    yield lines
    root.handlers[:] = handlers
    root.setLevel(level)


def test_tianjis_own_records_are_written_as_they_are(stderr_lines):
    configure_logging(Redactor([SECRET]))
    record = {"event": "request", "status": 200, "deployment": "east"}
    logging.getLogger("tianji").info(json.dumps(record))
    assert [json.loads(line) for line in stderr_lines()] == [record]


def test_other_records_are_wrapped_as_one_json_line(stderr_lines):
    configure_logging(Redactor([SECRET]))
    logging.getLogger("uvicorn.error").warning("Started server process [%d]", 42)
    logging.getLogger("tianji.upstream").info("plain text from tianji")
    first, second = (json.loads(line) for line in stderr_lines())
    assert first == {"event": "log", "level": "warning", "logger": "uvicorn.error",
                     "message": "Started server process [42]"}
    assert second == {"event": "log", "level": "info", "logger": "tianji.upstream",
                      "message": "plain text from tianji"}


def test_secrets_and_tracebacks_never_reach_a_line(stderr_lines):
    configure_logging(Redactor([SECRET]))
    try:
        raise RuntimeError(f"provider said: bad token {SECRET}")
    except RuntimeError:
        logging.getLogger("LiteLLM").exception("call failed with %s", SECRET)
    [line] = stderr_lines()
    assert SECRET not in line and "Traceback" not in line
    assert json.loads(line)["logger"] == "LiteLLM"


def test_the_level_is_info_by_default_and_tianji_log_level_changes_it(stderr_lines, monkeypatch):
    configure_logging(Redactor())
    logging.getLogger("tianji").debug('{"event": "hidden"}')
    assert stderr_lines() == []
    monkeypatch.setenv("TIANJI_LOG_LEVEL", "debug")
    configure_logging(Redactor())
    logging.getLogger("tianji").debug('{"event": "shown"}')
    assert stderr_lines() == ['{"event": "shown"}']
    configure_logging(Redactor(), level="ERROR")  # an explicit level wins over the variable
    assert logging.getLogger().level == logging.ERROR


@pytest.mark.parametrize("name", ["LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "httpx",
                                  "httpcore", "uvicorn.access"])
def test_chatty_libraries_stay_at_warning_even_when_debugging(stderr_lines, monkeypatch, name):
    monkeypatch.setenv("TIANJI_LOG_LEVEL", "DEBUG")
    noisy = logging.getLogger(name)
    noisy.addHandler(logging.StreamHandler())  # a library's own handler would bypass redaction
    configure_logging(Redactor([SECRET]))
    noisy.info(f"request headers: authorization {SECRET}")
    noisy.warning(f"retrying with {SECRET}")
    [line] = stderr_lines()  # once, through Tianji's handler, redacted
    assert json.loads(line)["level"] == "warning" and SECRET not in line


@pytest.mark.parametrize("name", ["uvicorn", "uvicorn.error"])
def test_uvicorns_records_go_through_the_same_handler(stderr_lines, name):
    server_log = logging.getLogger(name)
    server_log.addHandler(logging.StreamHandler())
    server_log.propagate = False
    configure_logging(Redactor([SECRET]))
    server_log.warning(f"client sent {SECRET}")
    [line] = stderr_lines()
    assert json.loads(line)["logger"] == name and SECRET not in line
