"""Claude on Vertex AI through the Anthropic front door: the fake's rawPredict and
streamRawPredict, a Google OAuth token from a (fake) service account, Vertex's
`anthropic_version`, the model in the URL, only the betas Vertex accepts; a fallback
from the Anthropic API to Vertex, streamed and not."""

from __future__ import annotations

from router.fakeprovider import Fault, FaultKind
from router.fakeprovider.wire_clouds import FAKE_VERTEX_TOKEN, TOKEN_CALLS
from tests.anthropic.conftest import VERTEX_HAIKU, bedrock, vertex
from tests.conftest import deployment, make_config, run_gateway

PATH = ("/v1/projects/{dep}/locations/us-east5/publishers/anthropic/models/"
        f"{VERTEX_HAIKU}:{{op}}")
SYSTEM = [{"type": "text", "text": "Rules.", "cache_control": {"type": "ephemeral"}}]
BETAS = "claude-code-20250219,context-management-2025-06-27,interleaved-thinking-2025-05-14"


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_vertex_gets_the_messages_body_with_its_version_and_a_google_token(
        fake, claude, vertex_credentials):
    config = make_config([[vertex(fake, vertex_credentials, "vertex-haiku")]])
    with run_gateway(config) as gw:
        client = claude(gw, api_key="client-key")
        for _ in range(2):
            raw = client.messages.with_raw_response.create(
                model="claude-haiku-4-5", max_tokens=64, system=SYSTEM, messages=user("hi"),
                metadata={"user_id": "u-1"}, stop_sequences=["STOP"],
                extra_headers={"anthropic-beta": BETAS})
            assert raw.parse().content[0].text == "Hello from vertex-haiku! This is a fake answer."
            assert raw.headers["x-tianji-provider"] == "vertex-haiku"
            assert raw.parse().model == VERTEX_HAIKU
    calls = fake.calls("vertex-haiku")
    # A non-streamed request is streamed from the provider (stream_upstream: stalls show).
    assert [c.path for c in calls] == [PATH.format(dep="vertex-haiku", op="streamRawPredict")] * 2
    body = calls[0].body
    assert body["anthropic_version"] == "vertex-2023-10-16" and "model" not in body
    assert body["system"] == SYSTEM and body["metadata"] == {"user_id": "u-1"}
    assert body["stop_sequences"] == ["STOP"] and body["messages"] == user("hi")
    headers = calls[0].headers
    assert headers["authorization"] == f"Bearer {FAKE_VERTEX_TOKEN}"
    # claude-code-20250219 is not a Vertex beta: dropped rather than failing the call.
    assert set(headers["anthropic-beta"].split(",")) == {
        "context-management-2025-06-27", "interleaved-thinking-2025-05-14"}
    assert "client-key" not in str(headers) and "x-api-key" not in headers
    # The token is fetched once and reused (at most once here: an earlier test may have).
    assert len(fake.calls(TOKEN_CALLS)) <= 1


def test_a_vertex_stream_is_streamed_event_by_event(fake, claude, vertex_credentials):
    config = make_config([[vertex(fake, vertex_credentials, "vertex-haiku")]])
    fake.configure("vertex-haiku", chunk_delay=0.2)
    with run_gateway(config) as gw, claude(gw).messages.stream(
            model="haiku", max_tokens=64, messages=user("hi"),
            thinking={"type": "enabled", "budget_tokens": 1024}) as stream:
        kinds = []
        for event in stream:
            kinds.append(event.type)
            if event.type == "text":
                # The first words reach the client while Vertex is still sending the rest.
                (call,) = fake.calls("vertex-haiku")
                assert not call.completed
                break
        final = stream.get_final_message()
    assert kinds[0] == "message_start" and "thinking" in kinds
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[1].text == "Hello from vertex-haiku! This is a fake answer."
    (call,) = fake.calls("vertex-haiku")
    assert call.path == PATH.format(dep="vertex-haiku", op="streamRawPredict")
    assert call.body["stream"] is True
    assert call.body["thinking"] == {"type": "enabled", "budget_tokens": 1024}


def test_the_anthropic_api_failing_falls_over_to_vertex(fake, claude, vertex_credentials):
    config = make_config([[deployment(fake, "ant-haiku", "anthropic"),
                           vertex(fake, vertex_credentials, "vertex-haiku")]])
    fake.set_fault("ant-haiku", Fault(FaultKind.HTTP_ERROR, status=529))
    with run_gateway(config) as gw:
        client = claude(gw)
        raw = client.messages.with_raw_response.create(
            model="haiku", max_tokens=64, messages=user("hi"),
            extra_headers={"anthropic-beta": BETAS})
        assert raw.headers["x-tianji-provider"] == "vertex-haiku"
        assert int(raw.headers["x-tianji-attempts"]) >= 2
        with client.messages.stream(model="haiku", max_tokens=64, messages=user("hi"),
                                    extra_headers={"anthropic-beta": BETAS}) as stream:
            assert stream.get_final_text() == "Hello from vertex-haiku! This is a fake answer."
    failed = fake.calls("ant-haiku")
    assert failed and all(c.status == 529 for c in failed)
    # The Anthropic API got every beta the client sent; Vertex only those it accepts.
    assert "claude-code-20250219" in failed[0].headers["anthropic-beta"]
    served = fake.calls("vertex-haiku")
    assert [c.path.rsplit(":", 1)[1] for c in served] == ["streamRawPredict"] * 2
    assert all("claude-code-20250219" not in c.headers["anthropic-beta"] for c in served)


def test_unusable_credentials_cool_the_deployment_down_and_move_on(fake, claude, tmp_path):
    broken = tmp_path / "not-a-service-account.json"
    broken.write_text("{ this is not JSON")
    config = make_config([[vertex(fake, str(broken), "vertex-broken"),
                           bedrock(fake, "bedrock-haiku")]])
    with run_gateway(config) as gw:
        raw = claude(gw).messages.with_raw_response.create(
            model="haiku", max_tokens=64, messages=user("hi"))
        assert raw.headers["x-tianji-provider"] == "bedrock-haiku"
        assert gw.health.cooling_for("vertex-broken") > 0
        assert "this is not JSON" not in raw.http_response.text
    assert fake.calls("vertex-broken") == []
