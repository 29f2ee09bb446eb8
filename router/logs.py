"""Logging set-up: one line per event on stderr, secrets redacted, no tracebacks.

Tianji's own records are JSON objects (`{"event": "request", ...}`); other
libraries' records are wrapped as `{"event": "log", "logger": ..., "message": ...}`.
"""

from __future__ import annotations

import json
import logging
import os
import sys

from router.redact import RedactingFilter, Redactor

# litellm logs request bodies and headers at DEBUG; keep it at WARNING and redacted.
_QUIET = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "httpx", "httpcore", "uvicorn.access")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("tianji") and message.startswith("{"):
            return message
        return json.dumps(
            {
                "event": "log",
                "level": record.levelname.lower(),
                "logger": record.name,
                "message": message,
            }
        )


def configure_logging(redactor: Redactor, level: str | None = None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines())
    handler.addFilter(RedactingFilter(redactor))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    # The lines carry no caller, thread or process: spare each record finding them (the
    # logging HOWTO's "Optimization": a frame walk per record for the caller's file and line).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root.setLevel(level or os.environ.get("TIANJI_LOG_LEVEL", "INFO").upper())
    for name in _QUIET:
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        logger.handlers[:] = []
        logger.propagate = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
