from __future__ import annotations

import os
from pathlib import Path

import pytest

from router.data import default_data_dir

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

SHARED_DATA = default_data_dir()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "zeroeval_tiers").is_dir():
        pytest.skip(
            f"shared routing data not found at {SHARED_DATA} (set TIANJI_DATA, or put it at "
            "../shared/data)"
        )
    return SHARED_DATA


@pytest.fixture(scope="session")
def learned():
    from router.classify import load_classifier

    return load_classifier("learned")
