"""The operator's view: the request log (SQLite or PostgreSQL), `router stats`, feedback,
shadow checks and the dashboard.

    request_log = RequestLog.open(config, redactor, registry, upstream, catalog)  # ops.log
    app.include_router(ops_router(gateway))                                       # ops.routes

Nothing is imported here, so that `router stats` and `router route` stay light.
"""
