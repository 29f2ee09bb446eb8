"""An Anthropic SDK client for a running gateway; Claude deployments on the fake's Bedrock
and Vertex endpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import Gateway

BEDROCK_HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
VERTEX_HAIKU = "claude-haiku-4-5@20251001"
AWS_KEY_ID = "AKIAFAKEBEDROCKKEY01"
AWS_SECRET = "fake-bedrock-secret-access-key-0123456789"


@pytest.fixture
def claude() -> Iterator[object]:
    """Call `claude(gw)` for an `anthropic.Anthropic` client pointed at the gateway."""
    clients: list[anthropic.Anthropic] = []

    def make(gw: Gateway, api_key: str = "none") -> anthropic.Anthropic:
        client = anthropic.Anthropic(base_url=gw.url, api_key=api_key, max_retries=0, timeout=30)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def vertex_credentials(fake, tmp_path_factory) -> str:
    return service_account(fake, tmp_path_factory.mktemp("vertex"))


def service_account(fake, folder: Path) -> str:
    """A Google service-account file whose token_uri is the fake's OAuth endpoint: real
    google-auth signs its JWT grant with this key and trades it for the fake's token."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    account = {"type": "service_account", "project_id": "tianji-tests", "private_key_id": "k1",
               "private_key": pem, "client_email": "tianji@tianji-tests.iam.gserviceaccount.com",
               "client_id": "1", "token_uri": f"{fake.url}/token"}
    path = folder / "service-account.json"
    path.write_text(json.dumps(account))
    return str(path)


def bedrock(fake, name: str, model: str = BEDROCK_HAIKU, **extra: Any) -> dict:
    """A Claude-on-Bedrock deployment served by the fake (SigV4 with fake AWS keys)."""
    return {"name": name, "model": f"bedrock/{model}", "api_base": f"{fake.url}/d/{name}",
            "aws_region_name": "us-east-1", "aws_access_key_id": AWS_KEY_ID,
            "aws_secret_access_key": AWS_SECRET, "price": {"input": 1.0, "output": 5.0},
            **extra}


def vertex(fake, credentials: str, name: str, model: str = VERTEX_HAIKU,
           **extra: Any) -> dict:
    """A Claude-on-Vertex deployment served by the fake: the project is the deployment's
    name (the fake's Vertex routes take the project as the deployment id)."""
    return {"name": name, "model": f"vertex_ai/{model}", "api_base": fake.url,
            "vertex_project": name, "vertex_location": "us-east5",
            "vertex_credentials": credentials, "price": {"input": 1.0, "output": 5.0}, **extra}
