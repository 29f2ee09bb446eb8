"""Keep secrets out of responses and logs.

A `Redactor` knows the literal secret values of the running config (provider
keys, AWS secrets, credential paths' contents are never read) and the shapes of
common key formats; `redact(text)` replaces both. `RedactingFilter` applies it
to every log record, litellm's own loggers included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from router.config import Config

_SECRET_KEY_PARTS = ("key", "secret", "token", "password", "credential", "authorization")
_SECRET_SHAPES = re.compile(
    r"(sk-[A-Za-z0-9_\-]{8,}|sk-ant-[A-Za-z0-9_\-]{8,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
    r"|AIza[0-9A-Za-z_\-]{20,}|(?i:bearer)\s+[A-Za-z0-9._\-]{8,}"
    r"|(?i:x-api-key|api[-_]key|authorization|x-amz-security-token|x-goog-api-key)"
    r"[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9._/+=\-]{6,}"
    # AWS SigV4: an Authorization value echoed back, or a presigned URL's parts.
    r"|AWS4-HMAC-SHA256[^;\"'\n]*|(?i:x-amz-)?(?:Signature|Credential)=[^\s&,;\"']+)"
)
REDACTED = "[redacted]"


def secret_values(config: Config) -> list[str]:
    """Literal values of secret-looking deployment params and server API keys."""
    values = list(config.server.api_keys)
    for tier in config.tiers:
        for dep in tier.deployments:
            for key, value in dep.litellm_params.items():
                if isinstance(value, str) and any(p in key.lower() for p in _SECRET_KEY_PARTS):
                    values.append(value)
    # Longest first so a secret that contains another is replaced whole.
    return sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = [s for s in secrets if s]

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return _SECRET_SHAPES.sub(REDACTED, text)


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
