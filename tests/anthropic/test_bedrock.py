"""Claude on Bedrock through litellm's native Messages handler: SigV4-signed InvokeModel with
Bedrock's model id, `anthropic_version` in the body and only the betas Bedrock accepts.
A stream is served from one InvokeModel call, relayed as Anthropic's events."""

from __future__ import annotations

from tests.conftest import make_config, run_gateway

BEDROCK_ID = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
AWS_KEY_ID = "AKIAFAKEBEDROCKKEY01"
AWS_SECRET = "fake-bedrock-secret-access-key-0123456789"


def test_bedrock_gets_the_messages_body_signed_with_its_model_id(fake, claude):
    bedrock = {"name": "bedrock-haiku", "model": f"bedrock/{BEDROCK_ID}",
               "api_base": f"{fake.url}/d/bedrock-haiku", "aws_region_name": "us-east-1",
               "aws_access_key_id": AWS_KEY_ID, "aws_secret_access_key": AWS_SECRET,
               "price": {"input": 1.0, "output": 5.0}}
    system = [{"type": "text", "text": "Rules.", "cache_control": {"type": "ephemeral"}}]
    with run_gateway(make_config([[bedrock]])) as gw:
        raw = claude(gw, api_key="client-key").messages.with_raw_response.create(
            model="claude-haiku-4-5", max_tokens=64, system=system,
            messages=[{"role": "user", "content": "hi"}], metadata={"user_id": "u-1"},
            extra_headers={"anthropic-beta": "claude-code-20250219,"
                                             "context-management-2025-06-27"})
        assert raw.parse().content[0].text == "Hello from bedrock-haiku! This is a fake answer."
        assert raw.headers["x-tianji-provider"] == "bedrock-haiku"
        assert AWS_SECRET not in raw.http_response.text
    (call,) = fake.calls("bedrock-haiku")
    assert call.path == f"/d/bedrock-haiku/model/{BEDROCK_ID}/invoke"
    assert call.body["anthropic_version"] == "bedrock-2023-05-31"
    assert "model" not in call.body
    assert call.body["system"] == system and call.body["metadata"] == {"user_id": "u-1"}
    # claude-code-20250219 is not a Bedrock beta: dropped rather than failing the call.
    assert call.body["anthropic_beta"] == ["context-management-2025-06-27"]
    headers = {k.lower(): v for k, v in call.headers.items()}
    assert headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={AWS_KEY_ID}/")
    assert "client-key" not in str(call.headers)


def test_a_bedrock_stream_is_the_whole_message_as_events(fake, claude):
    bedrock = {"name": "bedrock-haiku", "model": f"bedrock/{BEDROCK_ID}",
               "api_base": f"{fake.url}/d/bedrock-haiku", "aws_region_name": "us-east-1",
               "aws_access_key_id": AWS_KEY_ID, "aws_secret_access_key": AWS_SECRET,
               "price": {"input": 1.0, "output": 5.0}}
    with run_gateway(make_config([[bedrock]])) as gw, claude(gw).messages.stream(
            model="haiku", max_tokens=64, messages=[{"role": "user", "content": "hi"}],
            thinking={"type": "enabled", "budget_tokens": 1024}) as stream:
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[1].text == "Hello from bedrock-haiku! This is a fake answer."
    (call,) = fake.calls("bedrock-haiku")
    assert call.path == f"/d/bedrock-haiku/model/{BEDROCK_ID}/invoke"
    assert call.body["thinking"] == {"type": "enabled", "budget_tokens": 1024}
