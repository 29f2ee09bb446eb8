"""Images a request points to, fetched once by the gateway before any provider call.

litellm fetches an `image_url` itself for providers that want the bytes (Anthropic,
Bedrock, Vertex, Gemini, ...), synchronously and inside the attempt: a slow or broken
host then looks like a failing deployment, and a few such requests would cool a healthy
deployment down. So the walk fetches remote images here first, with litellm's own
SSRF-checked, size-limited fetcher (`async_convert_url_to_base64`) and a time limit,
and gives those providers `data:` URLs. A URL that cannot be fetched in time, or at
all, is the client's error: a 400 naming the part, before any deployment is tried.
Providers that fetch URLs themselves (OpenAI, Azure) get the request as the client
sent it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from router.errors import GatewayError

# Providers whose litellm adapter sends an image URL on as it is (the provider fetches it).
PASSES_IMAGE_URLS = frozenset({"openai", "azure", "azure_ai"})


def needs_inlined_images(provider: str) -> bool:
    return provider not in PASSES_IMAGE_URLS


def remote_images(messages: list[Any]) -> Iterator[tuple[str, str]]:
    """(parameter path, URL) of every http(s) image in the messages."""
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            continue
        for j, part in enumerate(content):
            image = part.get("image_url") if isinstance(part, dict) else None
            url = image.get("url") if isinstance(image, dict) else None
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                yield f"messages.{i}.content.{j}.image_url.url", url


async def inline_remote_images(messages: list[Any], timeout_s: float) -> list[Any]:
    """The messages with every remote image replaced by its `data:` URL; a GatewayError 400
    naming the first part that could not be fetched within `timeout_s`."""
    wanted = list(remote_images(messages))
    if not wanted:
        return messages
    # litellm is loaded by the time a provider call runs (router/startup.py)
    from litellm.litellm_core_utils.prompt_templates.image_handling import (
        async_convert_url_to_base64,
    )

    urls = list(dict.fromkeys(url for _, url in wanted))
    fetches = [asyncio.ensure_future(async_convert_url_to_base64(u, timeout=timeout_s))
               for u in urls]
    done, pending = await asyncio.wait(fetches, timeout=timeout_s)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    data: dict[str, str] = {}
    for url, task in zip(urls, fetches, strict=True):
        if task in done and task.exception() is None:
            data[url] = task.result()
            continue
        param = next(p for p, u in wanted if u == url)
        reason = (
            f"it did not arrive within {timeout_s:g}s" if task not in done
            else _reason(task.exception())
        )
        raise GatewayError(
            400, f"The image at {param} could not be fetched: {reason}.",
            code="invalid_image_url", param=param,
        )
    return [_inlined(m, data) for m in messages]


def _reason(exc: BaseException | None) -> str:
    import litellm

    if isinstance(exc, litellm.ImageFetchError):
        text = str(exc.message if hasattr(exc, "message") else exc)
        return text.removeprefix("litellm.ImageFetchError: ").removeprefix("Error: ")
    return type(exc).__name__


def _inlined(message: Any, data: dict[str, str]) -> Any:
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, list):
        return message
    parts = []
    for part in content:
        image = part.get("image_url") if isinstance(part, dict) else None
        if isinstance(image, dict) and image.get("url") in data:
            part = {**part, "image_url": {**image, "url": data[image["url"]]}}
        parts.append(part)
    return {**message, "content": parts}
