"""The OpenAI embeddings front door: POST /v1/embeddings.

Served by the config's `embeddings:` deployments in order (router/embeddings.py): the
upstream's retries, cooldowns and fallback, the x-tianji-* headers (no difficulty: none
is scored), cost at the deployment's price, the log line, metrics and request-log row.
"""

from __future__ import annotations

import json
import time

from fastapi import Request
from fastapi.responses import Response

from router.api.core import (
    JSON,
    asked,
    failed,
    json_bytes,
    read_body,
    record,
    start_call,
    tianji_headers,
)
from router.api.gateway import Gateway
from router.embeddings import (
    EmbeddingRequest,
    embedding_answer,
    embeddings_decision,
    not_configured,
    parse_embedding_request,
)
from router.errors import GatewayError
from router.guards import json_body
from router.upstream_embeddings import EmbeddingCall


async def embeddings(gw: Gateway, request: Request) -> Response:
    if not gw.config.embeddings:
        raise not_configured()
    started = time.monotonic()
    raw = await read_body(request, gw.config.server.max_body_bytes)
    read = time.monotonic()  # the deadline starts once the body is in
    body = json_body(raw, require_object=False)  # the parser names what is wrong
    if isinstance(body, dict) and isinstance(body.get("model"), str):
        asked(request, body)  # the refused row names the model
    parsed: EmbeddingRequest = parse_embedding_request(body, gw.config)
    decision = embeddings_decision(gw.config, gw.catalog, parsed)
    admission = getattr(request.state, "admission", None)
    if admission is not None:  # a key with a budget: what the input may cost, at most
        text = parsed.input if isinstance(parsed.input, str) else json.dumps(parsed.input)
        await gw.limits.reserve(admission, max(
            gw.catalog[c.deployment.name].cost(len(text) // 2 + 1, 0)
            for c in decision.candidates))
    inputs = [parsed.input] if isinstance(parsed.input, str) else list(parsed.input)
    call = start_call(gw, request, {"model": parsed.model}, decision, started, inputs)
    call.entry.answer_parts = None  # vectors are not kept, even with log_prompts
    try:
        served = await gw.upstream.complete(
            decision, parsed.upstream_params(), stream=False,
            deadline=read + gw.config.resilience.request_timeout_s,
            request_id=call.request_id, call=EmbeddingCall(parsed),
        )
    except GatewayError as err:
        failed(gw, call, err)
        raise
    assert served.response is not None
    dep = served.candidate.deployment
    answer = embedding_answer(served.response, parsed, dep.model.split("/", 1)[-1])
    cost = record(gw, call, served, answer["usage"], 200, scored=False)
    return Response(json_bytes(answer), 200, tianji_headers(None, served, cost), media_type=JSON)
