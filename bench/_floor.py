"""The pass-through floor: the least a Python gateway can do per request, for comparison.

uvicorn + a raw ASGI app + one pooled aiohttp session: each POST body goes unchanged to
$FLOOR_UPSTREAM and the answer (JSON or SSE) comes back as it arrives. No parsing, no
routing, no logs, no metrics. `GET /healthz` answers 200. Run as

    FLOOR_UPSTREAM=http://127.0.0.1:PORT/d/bench-small/v1/chat/completions \\
        python -m uvicorn bench._floor:app --port 8090
"""

from __future__ import annotations

import os

import aiohttp
from starlette.types import Receive, Scope, Send

UPSTREAM = os.environ.get("FLOOR_UPSTREAM", "")
_session: aiohttp.ClientSession | None = None


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    global _session
    if scope["type"] != "http":  # lifespan: nothing to set up
        message = await receive()
        await send({"type": message["type"] + ".complete"})
        return
    if scope["method"] == "GET":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"status":"ok"}'})
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    if _session is None:
        _session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    async with _session.post(UPSTREAM, data=body,
                             headers={"content-type": "application/json"}) as resp:
        await send({"type": "http.response.start", "status": resp.status,
                    "headers": [(b"content-type", resp.content_type.encode())]})
        async for chunk in resp.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
