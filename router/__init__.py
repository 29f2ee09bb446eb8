"""Tianji: an OpenAI-compatible gateway that routes each request to the cheapest capable tier."""

import os

# litellm must never fetch its price table at import time; use the one it ships.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

__version__ = "0.1.0"
