"""A retry on the Messages wire sends the provider the same native request as the first try
(not litellm's chat translation of it)."""

from __future__ import annotations

import pytest

from router.fakeprovider import Fault, FaultKind
from tests.conftest import deployment, make_config, run_gateway


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_a_retried_messages_request_is_sent_again_as_the_client_wrote_it(fake, claude, stream):
    config = make_config([[deployment(fake, "ant", "anthropic"), deployment(fake, "oai")]],
                         resilience={"retries": 1, "backoff_initial_s": 0.01,
                                     "backoff_max_s": 0.05})
    fake.set_fault("ant", Fault(FaultKind.HTTP_ERROR, status=503, times=1))
    with run_gateway(config) as gw:
        client = claude(gw)
        kwargs = {"model": "haiku", "max_tokens": 64, "system": "Be brief.",
                  "messages": [{"role": "user", "content": "hi"}]}
        if stream:
            with client.messages.stream(**kwargs) as s:
                text = s.get_final_text()
        else:
            text = client.messages.create(**kwargs).content[0].text
    assert text == "Hello from ant! This is a fake answer."
    first, retry = fake.calls("ant")
    assert (first.status, retry.status) == (503, 200)
    assert retry.path == first.path
    assert retry.body == first.body
    assert first.body["system"] == "Be brief."  # the client's own field, not a translation
    assert fake.calls("oai") == []
