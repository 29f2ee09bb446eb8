"""x-tianji-affinity on both front doors, through real HTTP."""

from __future__ import annotations

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway


def test_chat_completions_keeps_a_conversation_by_prompt_cache_key(fake):
    config = make_config([[deployment(fake, "s1")], [deployment(fake, "m1")]])
    with run_gateway(config) as gw:
        first = [{"role": "user", "content": "[medium] plan the refactor " * 200}]
        raw = gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=first, extra_body={"prompt_cache_key": "conv-1"})
        assert raw.headers["x-tianji-affinity"] == "new"
        assert raw.headers["x-tianji-tier"] == "medium"
        later = [{"role": "user", "content": "[medium] plan the refactor " * 200},
                 {"role": "assistant", "content": "Plan."}, {"role": "user", "content": "go"}]
        raw = gw.client.chat.completions.with_raw_response.create(
            model="auto", messages=later, extra_body={"prompt_cache_key": "conv-1"})
    # The classifier reads the whole conversation ([medium] is still in it): same tier, and
    # the deployment that served it first.
    assert raw.headers["x-tianji-affinity"] == "kept"
    assert raw.headers["x-tianji-provider"] == "m1"


def test_messages_fails_over_from_the_kept_deployment(fake, claude):
    config = make_config([[deployment(fake, "a", "anthropic"), deployment(fake, "b",
                                                                         "anthropic")]])
    session = {"x-claude-code-session-id": "sess-1"}
    turn1 = [{"role": "user", "content": "hi"}]
    turn2 = [*turn1, {"role": "assistant", "content": "hello"},
             {"role": "user", "content": "again"}]
    with run_gateway(config) as gw:
        client = claude(gw)
        raw = client.messages.with_raw_response.create(model="haiku", max_tokens=16,
                                                       messages=turn1, extra_headers=session)
        assert (raw.headers["x-tianji-affinity"], raw.headers["x-tianji-provider"]) == (
            "new", "a")
        raw = client.messages.with_raw_response.create(model="haiku", max_tokens=16,
                                                       messages=turn2, extra_headers=session)
        assert (raw.headers["x-tianji-affinity"], raw.headers["x-tianji-provider"]) == (
            "kept", "a")
        fake.set_fault("a", Fault(FaultKind.HTTP_ERROR, status=401))
        with client.messages.with_streaming_response.create(
                model="haiku", max_tokens=16, messages=turn2, extra_headers=session,
                stream=True) as stream:
            headers = stream.headers
            stream.read()
    assert (headers["x-tianji-affinity"], headers["x-tianji-provider"]) == ("failed-over", "b")
