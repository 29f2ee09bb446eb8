from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "zeroeval_tiers").is_dir():
        pytest.skip(f"shared routing data not found at {SHARED_DATA} (../shared/data from the repo root)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def learned():
    pytest.importorskip("wordllama", reason="the learned classifier reads WordLlama's embedding table")
    from router.classify import load_classifier

    return load_classifier("learned")
