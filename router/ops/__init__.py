"""The operator's view: the request log (SQLite or PostgreSQL), `router stats`, the
dashboard and feedback.

    request_log = RequestLog.open(config, redactor, metrics.registry)
    app.include_router(ops_router(gateway))
"""

from router.ops.log import RequestLog

__all__ = ["RequestLog"]
