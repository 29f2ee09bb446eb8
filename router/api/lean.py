"""The hot routes as raw ASGI: `POST /v1/chat/completions`, `/v1/messages` and
`/v1/responses` are dispatched here, inside the guard (router/api/app.py), ahead of
FastAPI's router, its request handler and its exception middleware, which cost more CPU
than these requests' own HTTP work. Every other request goes on to FastAPI.

A hot request runs the same endpoint function as its FastAPI route (which stays declared,
for `/openapi.json`); a GatewayError is written as the app's handler writes it, any other
exception goes on to the app's internal-error handler. A stream is written as raw
`http.response.body` messages, with one task that waits for the client to hang up (in
place of Starlette's task group per stream), so a client that leaves still cancels the
upstream call (router/api/core.py `relay_stream` records it as a 499).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from router.errors import GatewayError

Endpoint = Callable[[Request], Awaitable[Response]]
ErrorWriter = Callable[[Request, GatewayError], Response]


class LeanRoutes:
    """ASGI middleware: the `routes` (path -> endpoint, POST only) served without FastAPI's
    routing; everything else goes to `app`."""

    def __init__(self, app: ASGIApp, routes: Mapping[str, Endpoint],
                 answer_error: ErrorWriter) -> None:
        self.app = app
        self.routes = dict(routes)
        self.answer_error = answer_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = None
        if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
            endpoint = self.routes.get(scope["path"])
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await endpoint(request)
        except GatewayError as err:
            response = self.answer_error(request, err)
        if isinstance(response, StreamingResponse):
            await write_stream(response, receive, send)
        else:
            await response(scope, receive, send)


async def write_stream(response: StreamingResponse, receive: Receive, send: Send) -> None:
    """Send `response`'s status, headers and body events as they come. When the client
    hangs up, the body's iterator is cancelled (as Starlette's StreamingResponse does) and
    the stream ends quietly."""
    task = asyncio.current_task()
    assert task is not None
    ended = hung_up = False

    async def hang_up() -> None:
        nonlocal hung_up
        while (await receive())["type"] != "http.disconnect":
            pass
        if not ended:
            hung_up = True
            task.cancel()

    watcher = asyncio.create_task(hang_up())
    body = response.body_iterator
    try:
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": response.raw_headers})
        async for chunk in body:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        ended = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except asyncio.CancelledError:
        if not hung_up or task.uncancel() > 0:
            raise  # cancelled from elsewhere (shutdown), not by the client leaving
    finally:
        ended = True
        watcher.cancel()
        await body.aclose()  # type: ignore[attr-defined]  # an async generator
