"""Keep secrets out of responses, streams and logs.

A `Redactor` knows the literal secret values of the running config and the shapes
of common key formats. `secret_values(config)` collects the literals:

- the server's API keys;
- every deployment parameter whose name says it is secret (`api_key`,
  `aws_secret_access_key`, `aws_session_token`, `vertex_credentials`, ...);
- header values in `extra_headers` / `headers` whose name says they are secret
  (key, token, auth, pass, secret, cookie, session, signature) or that look like a
  token (16+ characters, no spaces, letters and digits);
- the password (and `user:password`) of any URL with user info (`api_base`);
- the secret fields of a credentials file a parameter points to (or holds inline),
  such as a Google service account's `private_key` (and each line of it) and
  `private_key_id`;

each also in its JSON-escaped form, as a provider echoing it inside JSON would write it.

`redact(text)` replaces literals and shapes: for error messages and log lines.
Successful answers only lose the literals (`scrub`, `StreamScrubber`): a shape
such as `Bearer ...` or `api_key = ...` is ordinary text in an answer about code,
while a configured secret in an answer is always a provider echoing what it was
sent. `RedactingFilter` applies `redact` to every log record, litellm's own too.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from router.config import Config

_SECRET_KEY_PARTS = ("key", "secret", "token", "password", "credential", "authorization")
_SECRET_HEADER_PARTS = ("key", "secret", "token", "auth", "pass", "cookie", "session",
                        "signature")
_HEADER_PARAMS = frozenset({"extra_headers", "headers"})
# Fields of a credentials file (Google service account or OAuth client) that are secret.
_CREDENTIAL_FIELDS = frozenset({"private_key", "private_key_id", "client_secret",
                                "refresh_token", "access_token"})
_TOKEN_LIKE = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9])\S{16,}$")
_SECRET_SHAPES = re.compile(
    r"(sk-[A-Za-z0-9_\-]{8,}|sk-ant-[A-Za-z0-9_\-]{8,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
    r"|AIza[0-9A-Za-z_\-]{20,}|(?i:bearer)\s+[A-Za-z0-9._\-]{8,}"
    r"|(?i:x-api-key|api[-_]key|authorization|x-amz-security-token|x-goog-api-key)"
    r"[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9._/+=\-]{6,}"
    # AWS SigV4: an Authorization value echoed back, or a presigned URL's parts.
    r"|AWS4-HMAC-SHA256[^;\"'\n]*|(?i:x-amz-)?(?:Signature|Credential)=[^\s&,;\"']+)"
)
# Every match of _SECRET_SHAPES in ASCII text contains one of these once lower-cased, so ASCII
# text with none of them needs no regex pass (most log lines). (Non-ASCII text always gets
# it: case-insensitive matching maps a few other letters to ASCII ones, such as K to k.)
_SHAPE_MARKS = ("sk-", "akia", "asia", "aiza", "bearer", "api-key", "api_key", "authorization",
                "x-amz-security-token", "aws4-hmac-sha256", "signature=", "credential=")
REDACTED = "[redacted]"
MIN_SECRET_LEN = 4


def secret_values(config: Config) -> list[str]:
    """Every literal secret of the config (see the module docstring), longest first."""
    values = list(config.server.api_keys)
    redis_password = urlsplit(config.state.redis_url or "").password
    if redis_password:
        values.append(redis_password)
    for tier in config.tiers:
        for dep in tier.deployments:
            for key, value in dep.litellm_params.items():
                values.extend(_secrets_in(key, value))
    escaped = [json.dumps(v)[1:-1] for v in values]
    # Longest first so a secret that contains another is replaced whole.
    return sorted({v for v in values + escaped if len(v) >= MIN_SECRET_LEN}, key=len,
                  reverse=True)


def _secrets_in(key: str, value: Any) -> Iterator[str]:
    name = key.lower()
    if isinstance(value, dict):
        for sub, item in value.items():
            if name in _HEADER_PARAMS and isinstance(item, str):
                secret_name = any(p in str(sub).lower() for p in _SECRET_HEADER_PARTS)
                if secret_name or _TOKEN_LIKE.match(item):
                    yield item
            else:
                yield from _secrets_in(str(sub), item)
        return
    if isinstance(value, list):
        for item in value:
            yield from _secrets_in(key, item)
        return
    if not isinstance(value, str):
        return
    if any(p in name for p in _SECRET_KEY_PARTS):
        yield value
        if "credential" in name:
            yield from _credential_file_secrets(value)
    url = urlsplit(value) if "://" in value else None
    if url is not None and url.password:
        userinfo = f"{url.username or ''}:{url.password}"
        yield url.password
        yield userinfo
        # what an HTTP client sends for it: `Authorization: Basic base64(user:password)`
        yield base64.b64encode(userinfo.encode()).decode()


def _credential_file_secrets(value: str) -> Iterator[str]:
    """The secret fields of a credentials JSON, given inline or as a path to the file."""
    text = value
    if not value.lstrip().startswith("{"):
        try:
            text = Path(value).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return
    try:
        data = json.loads(text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for field, item in data.items():
        if field in _CREDENTIAL_FIELDS and isinstance(item, str):
            yield item
            # A PEM key echoed in part still gives itself away line by line.
            yield from (line for line in item.splitlines() if len(line) >= 16)


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = [s for s in secrets if s]
        self._starts = frozenset(s[0] for s in self._secrets)

    @property
    def has_secrets(self) -> bool:
        return bool(self._secrets)

    def __call__(self, text: str) -> str:
        """Literal secrets and key shapes out of an error message or a log line."""
        text = self.literal(text)
        if text.isascii() and not any(mark in text.lower() for mark in _SHAPE_MARKS):
            return text
        return _SECRET_SHAPES.sub(REDACTED, text)

    def literal(self, text: str) -> str:
        """The config's literal secrets out of `text`."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def scrub(self, data: Any) -> tuple[Any, bool]:
        """Literal secrets out of every string in a JSON value; whether any was found."""
        if isinstance(data, str):
            clean = self.literal(data)
            return clean, clean != data
        found = False
        if isinstance(data, dict):
            out: dict[str, Any] = {}
            for key, item in data.items():
                out[key], hit = self.scrub(item)
                found |= hit
            return out, found
        if isinstance(data, list):
            items = []
            for item in data:
                clean_item, hit = self.scrub(item)
                items.append(clean_item)
                found |= hit
            return items, found
        return data, False

    def partial_at_end(self, text: str) -> int:
        """Length of the longest end of `text` that begins some secret without completing
        it (what a stream must hold back until the next chunk)."""
        start = max(0, len(text) - max((len(s) for s in self._secrets), default=0) + 1)
        for i in range(start, len(text)):
            if text[i] in self._starts:
                tail = text[i:]
                if any(len(s) > len(tail) and s.startswith(tail) for s in self._secrets):
                    return len(text) - i
        return 0


class StreamScrubber:
    """Literal secrets out of a stream of OpenAI chunk dicts, a secret split across chunks
    included: the end of a choice's content that could begin a secret is held back until
    the next chunk shows whether it does (released at the choice's finish), so a secret
    never goes out in pieces. `on_redact` is called once, at the first redaction."""

    def __init__(self, redactor: Redactor, on_redact: Callable[[], None]) -> None:
        self._redactor = redactor
        self._on_redact: Callable[[], None] | None = on_redact
        self._held: dict[int, str] = {}

    def __call__(self, chunk: dict[str, Any]) -> dict[str, Any]:
        clean, found = self._redactor.scrub(chunk)
        for choice in clean.get("choices") or ():
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                continue
            index = choice.get("index", 0)
            content = delta.get("content")
            held = self._held.pop(index, "")
            if not held and not isinstance(content, str):
                continue
            combined = held + (content or "")
            text = self._redactor.literal(combined)
            found |= text != combined
            keep = 0 if choice.get("finish_reason") else self._redactor.partial_at_end(text)
            if keep:
                self._held[index] = text[-keep:]
                text = text[:-keep]
            if text or content is not None:
                delta["content"] = text
        if found and self._on_redact is not None:
            self._on_redact()
            self._on_redact = None
        return clean


class RedactingFilter(logging.Filter):
    """Redacts the formatted message of every record that passes through a handler."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redactor(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Never print a traceback (it can hold request bodies and keys); keep its summary.
            exc = record.exc_info[1]
            clean += f" [{type(exc).__name__}: {self.redactor(str(exc))[:500]}]"
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = clean, None
        return True
