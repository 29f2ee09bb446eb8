"""A fake judge: an OpenAI-compatible chat endpoint whose verdict is set per prompt.

    judge = FakeJudge(cheap_marker="Hello from s1")   # how it tells the cheap answer apart
    judge.prefer["q7"] = "top"                         # the request containing "q7" ...
    # ... gets the top tier's answer picked in both orders; the default is "cheap".

It reads the judge prompt of router/ops/shadow.py (Request / Answer A / Answer B) and
answers one letter, as a real judge would.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from typing import Any

import uvicorn

from tests.conftest import listening_socket

_SECTIONS = re.compile(r"Request:\n(.*)\n\nAnswer A:\n(.*)\n\nAnswer B:\n(.*)\n\nWhich", re.S)


class FakeJudge:
    def __init__(self, cheap_marker: str) -> None:
        self.cheap_marker = cheap_marker
        self.prefer: dict[str, str] = {}
        self.calls = 0
        self.requests: list[str] = []  # the Request section of each judge prompt
        self._sock = listening_socket()
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(self._app, host="127.0.0.1", port=self.port,
                                                     log_config=None, lifespan="off",
                                                     interface="asgi3"))

    def verdict(self, request: str, a: str, b: str) -> str:
        side = next((v for k, v in self.prefer.items() if re.search(rf"\b{k}\b", request)),
                    "cheap")
        if side == "tie":
            return "T"
        cheap_is_a = self.cheap_marker in a
        return "A" if (side == "cheap") == cheap_is_a else "B"

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = json.loads(body)
        prompt = request["messages"][-1]["content"]
        match = _SECTIONS.search(prompt)
        if match:
            self.requests.append(match.group(1))
        text = self.verdict(*match.groups()) if match else "Hello from the judge."
        self.calls += 1
        reply = {"id": "judge-1", "object": "chat.completion", "created": int(time.time()),
                 "model": "judge", "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": text}}],
                 "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": 1,
                           "total_tokens": len(prompt) // 4 + 1}}
        if request.get("stream"):  # the gateway streams non-streamed calls (stream_upstream)
            await self._stream(send, reply, text)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps(reply).encode()})

    @staticmethod
    async def _stream(send: Any, reply: dict[str, Any], text: str) -> None:
        """The same answer as OpenAI chat.completion.chunk events, usage last, then [DONE]."""
        base = {k: reply[k] for k in ("id", "created", "model")}
        base["object"] = "chat.completion.chunk"
        events = [
            {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": text},
                                  "finish_reason": None}]},
            {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
            {**base, "choices": [], "usage": reply["usage"]},
        ]
        body = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})
        await send({"type": "http.response.body", "body": body + b"data: [DONE]\n\n"})

    def __enter__(self) -> FakeJudge:
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve(sockets=[self._sock])), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake judge did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def deployment(self) -> dict[str, Any]:
        return {"name": "judge", "model": "openai/judge", "api_base": self.url + "/v1",
                "api_key": "sk-fake-judge-key-0123456789", "price": {"input": 1.0, "output": 5.0}}
