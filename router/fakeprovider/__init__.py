"""A fault-injecting fake LLM provider speaking the OpenAI and Anthropic wire formats.

See README.md for the fault catalogue and what litellm raises for each fault.
"""

from .faults import TRANSIENT_FAULTS, Fault, FaultKind
from .provider import FakeProvider, anthropic_base, closed_port_url, openai_base
from .service import Behaviour, RecordedCall, Service

__all__ = [
    "TRANSIENT_FAULTS",
    "Behaviour",
    "FakeProvider",
    "Fault",
    "FaultKind",
    "RecordedCall",
    "Service",
    "anthropic_base",
    "closed_port_url",
    "openai_base",
]
