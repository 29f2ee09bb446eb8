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


def function_tool(
    name: str, description: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    """An OpenAI function tool with an object of `properties` as its parameters."""
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


def schema(name: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """A strict `json_schema` response format for an object of `properties`."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": name,
            "strict": True,
            "schema": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            },
        },
    }
