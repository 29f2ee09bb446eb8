"""router/transport.py (the lean path) on requests and answers tests/test_transport.py does not
send: each case is compared with `litellm.acompletion` against the fake provider where the two
must agree (what the provider receives, what the caller gets), and checked on its own where the
lean path knows more than acompletion (a request litellm cannot build never reached a provider).
"""

from __future__ import annotations

import asyncio

import pytest

from router.errors import Kind, classify
from router.transport import LeanTransport
from tests.test_transport import KEY, MODELS, REQUESTS, TOOLS, _base, _both

WIRES = ["openai", "anthropic"]


@pytest.mark.parametrize("wire", WIRES)
def test_turns_of_the_same_role_in_a_row_reach_the_provider_as_acompletion_sends_them(fake, wire):
    """No "Please continue" turn is inserted between two user or two assistant turns (as
    litellm would with ensure_alternating_roles)."""
    request = {"messages": [
        {"role": "user", "content": "first question"},
        {"role": "user", "content": "second question"},
        {"role": "assistant", "content": "one"},
        {"role": "assistant", "content": "two"},
        {"role": "user", "content": "and now?"},
    ]}
    name = f"{wire}-same-role"
    out = _both(fake, wire, name, request)
    (ac, ac_call), (lean, lean_call) = out["ac"], out["lean"]
    assert lean == ac
    assert lean_call.body == ac_call.body
    contents = [m.get("content") for m in lean_call.body["messages"]]
    assert "second question" in str(contents) and "Please continue" not in str(contents)


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("tool_choice", [{"type": "function"}, 7], ids=["no-function", "int"])
def test_a_tool_choice_litellm_cannot_translate_is_untranslatable_and_sent_nowhere(
    fake, wire, tool_choice
):
    """litellm refuses the tool_choice while building the request (a BadRequestError that
    acompletion's caller cannot tell from a provider's 400): the lean path marks it as failed
    before any HTTP call, so the gateway tries another deployment instead of blaming this one."""
    lean = LeanTransport()
    dep = f"{wire}-bad-tool-choice"
    base = _base(fake, wire, dep)

    async def run() -> BaseException:
        assert lean.supports(MODELS[wire], {"api_key": KEY, "api_base": base}, stream=False)
        try:
            await lean.acompletion(model=MODELS[wire], api_base=base, api_key=KEY, timeout=10,
                                   messages=REQUESTS["plain"]["messages"], tools=TOOLS,
                                   tool_choice=tool_choice)
        except Exception as exc:  # noqa: BLE001 - the exception is what we check
            return exc
        finally:
            await lean.aclose()
        raise AssertionError("the call succeeded")

    exc = asyncio.run(run())
    failure = classify(exc)
    assert failure.kind is Kind.UNTRANSLATABLE, failure
    assert failure.message.startswith("Invalid tool choice"), failure.message
    assert fake.calls(dep) == []

