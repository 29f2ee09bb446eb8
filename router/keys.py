"""API keys with policy: who may call, up to which tier, how often and for how much.

    keys:
      - id: team-search
        sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
        max_tier: medium            # ceiling; requests above it get a 403
        requests_per_minute: 600
        tokens_per_minute: 200000
        daily_usd: 20
        monthly_usd: 400

The config holds only the SHA-256 of each key (`router keys add` makes a key, prints it
once and writes its entry). A presented key is hashed and compared with every entry's
hash in constant time. `server.api_keys` (plain keys, e.g. `${TIANJI_API_KEY}`) keep
working: they authenticate without a policy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

KEY_PREFIX = "tj-"


class KeyEntry(BaseModel):
    """One `keys:` entry. Limits left out do not apply."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="hex SHA-256 of the key")
    max_tier: str | None = None
    requests_per_minute: int | None = Field(None, ge=1)
    tokens_per_minute: int | None = Field(None, ge=1)
    daily_usd: float | None = Field(None, gt=0)
    monthly_usd: float | None = Field(None, gt=0)

    @property
    def limited(self) -> bool:
        """Whether any counter (rate or spend) applies to this key."""
        return any(v is not None for v in (self.requests_per_minute, self.tokens_per_minute,
                                           self.daily_usd, self.monthly_usd))


class CapStep(BaseModel):
    """Above `above` (a fraction of the key's budget) the key's ceiling drops `tiers_down`
    tiers, or to the cheapest tier."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    above: float = Field(gt=0, lt=1)
    tiers_down: int | Literal["cheapest"] = 1


class BudgetConfig(BaseModel):
    """Budget-driven tier capping: the steps, from the lowest threshold up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    caps: list[CapStep] = Field(default_factory=lambda: [
        CapStep(above=0.8, tiers_down=1), CapStep(above=0.95, tiers_down="cheapest")])


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A fresh random API key (about 190 bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def presented_key(headers: Mapping[str, str]) -> str:
    """The key a request carries: `Authorization: Bearer <key>` or `x-api-key: <key>`."""
    supplied = headers.get("authorization", "")
    token = supplied[7:] if supplied[:7].lower() == "bearer " else ""
    return token or headers.get("x-api-key", "")


@dataclass(frozen=True)
class Caller:
    """Who a request comes from: a `keys:` entry, or a plain key / no auth (`entry` None)."""

    entry: KeyEntry | None = None


OPEN = Caller()


class KeyRing:
    """The keys a gateway accepts: plain `server.api_keys` and hashed `keys:` entries."""

    def __init__(self, plain: Sequence[str], entries: Sequence[KeyEntry]) -> None:
        self._plain = [k.encode() for k in plain]
        self._entries = list(entries)
        self._hashes = [bytes.fromhex(e.sha256) for e in self._entries]

    @property
    def required(self) -> bool:
        return bool(self._plain or self._entries)

    def plain_match(self, token: bytes) -> bool:
        """Compare with every plain key, always, so timing says nothing about which matched."""
        ok = False
        for key in self._plain:
            ok |= hmac.compare_digest(token, key)
        return ok

    def identify(self, headers: Mapping[str, str]) -> Caller | None:
        """The caller, or None when a key is required and this one is wrong or missing."""
        if not self.required:
            return OPEN
        token = presented_key(headers).encode()
        plain = self.plain_match(token)
        digest = hashlib.sha256(token).digest()
        found: KeyEntry | None = None
        for entry, expected in zip(self._entries, self._hashes, strict=True):
            if hmac.compare_digest(digest, expected):
                found = entry
        if found is not None:
            return Caller(found)
        return OPEN if plain else None
