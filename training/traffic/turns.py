"""Message and request builders shared by the writers' lists (asks_w3.py, asks_w4.py,
asks_w5.py): OpenAI chat turns and request bodies, and the shape of one labelled family."""

from __future__ import annotations

from typing import Any

Request = dict[str, Any]
# (family, tier, kind, domain, lang, reason, requests): every request of a family has its label.
Entry = tuple[str, str, str, str, str, str, list[Request]]


def sys_(text: str) -> dict[str, Any]:
    return {"role": "system", "content": text}


def u(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def a(text: str) -> dict[str, Any]:
    return {"role": "assistant", "content": text}


def req(*messages: dict[str, Any], **fields: Any) -> Request:
    return {"messages": list(messages), **fields}
