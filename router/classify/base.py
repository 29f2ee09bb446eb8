"""The one interface every difficulty classifier implements.

A classifier reads a whole chat request (the OpenAI request body as a dict:
system prompt, earlier turns, tools, attachments) and returns an Assessment.
It never does I/O per request and never imports a provider client, so that
`router route` and the policy stay fast and offline.

    >>> from router.classify import load_classifier
    >>> clf = load_classifier("rules")
    >>> a = clf.score({"messages": [{"role": "user", "content": "hi"}]})
    >>> 0.0 <= a.difficulty <= 1.0
    True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

ChatRequest = Mapping[str, Any]
"""An OpenAI chat-completions request body (at least `messages`)."""


@dataclass(frozen=True)
class Assessment:
    """How hard a request is, what kind of task it is, and why.

    difficulty: in [0, 1]; higher means a cheaper tier is more likely to fail.
    task: the kind of work, a short label such as "rewrite", "code_writing", "proof"
        (the learned classifier's kinds are `router.classify.lexicon.KINDS`).
    signals: the named features that drove the score, for `router route`.
    domain: the field the request needs expertise in ("medicine", "law", ..., "general").
    confidence: in [0, 1], how sure the classifier is that the request is as easy as it
        scores; the policy does not use the cheapest tier below `policy.MIN_CHEAP_CONFIDENCE`.
    """

    difficulty: float
    task: str
    signals: Mapping[str, float | str] = field(default_factory=dict)
    domain: str = "general"
    confidence: float = 1.0


class Classifier(Protocol):
    """Scores a request. Implementations: `rules.RuleClassifier`, `learned.LearnedClassifier`."""

    name: str

    def score(self, request: ChatRequest) -> Assessment: ...


def iter_text(request: ChatRequest) -> Iterator[tuple[str, str]]:
    """Yield (role, text) for every piece of text in the conversation.

    Covers string contents, text parts of multi-part contents, tool-call
    arguments, and tool definitions (role "tools"). Image parts yield nothing
    here; use `count_images` for them.
    """
    for message in request.get("messages") or ():
        if not isinstance(message, Mapping):
            continue
        role = str(message.get("role", "user"))
        content = message.get("content")
        if isinstance(content, str):
            yield role, content
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, Mapping) and part.get("type") == "text":
                    yield role, str(part.get("text", ""))
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping):
                function = call.get("function") or {}
                if isinstance(function, Mapping):
                    yield role, f"{function.get('name', '')} {function.get('arguments', '')}"
    for tool in request.get("tools") or ():
        if isinstance(tool, Mapping):
            function = tool.get("function") or {}
            if isinstance(function, Mapping):
                yield "tools", f"{function.get('name', '')} {function.get('description', '')}"


def count_images(request: ChatRequest) -> int:
    """Number of image parts in the conversation."""
    n = 0
    for message in request.get("messages") or ():
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list):
            n += sum(
                1
                for part in content
                if isinstance(part, Mapping) and part.get("type") in ("image_url", "input_image")
            )
    return n


def prompt_request(prompt: str) -> dict[str, Any]:
    """A one-turn request for a bare prompt (used by `router score` and evaluation)."""
    return {"messages": [{"role": "user", "content": prompt}]}
