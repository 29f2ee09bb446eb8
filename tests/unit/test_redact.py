"""Which config values count as secrets, and how answers lose them (streams included)."""

from __future__ import annotations

import json

from router.config import parse_config
from router.redact import REDACTED, Redactor, StreamScrubber, secret_values

PEM_BODY = ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7fakefakefake",
            "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4"]
PRIVATE_KEY = ("-----BEGIN PRIVATE KEY-----\n" + "\n".join(PEM_BODY)
               + "\n-----END PRIVATE KEY-----\n")


def config_with(tmp_path, **dep):
    return parse_config({"tiers": [{"name": "small", "deployments": [
        {"model": "openai/gpt-4o-mini", "api_key": "sk-plain-0123456789", **dep}]}]}, env={})


def test_header_values_urls_and_credential_files_are_secrets(tmp_path):
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"type": "service_account", "project_id": "proj",
                                 "private_key_id": "4b1c0ffee0ddba11deadbeef0123456789abcdef",
                                 "private_key": PRIVATE_KEY,
                                 "client_email": "svc@proj.iam.gserviceaccount.com"}))
    config = config_with(
        tmp_path,
        extra_headers={"X-Gateway-Pass": "hunter2", "X-Trace": "9e107d9d372bb6826bd81d35",
                       "Content-Type": "application/json", "anthropic-beta": "tools-2024"},
        api_base="https://gwuser:urlpass-42@proxy.example/v1",
        vertex_credentials=str(creds),
    )
    secrets = set(secret_values(config))
    assert {"sk-plain-0123456789", "hunter2", "9e107d9d372bb6826bd81d35", "urlpass-42",
            "gwuser:urlpass-42", str(creds), "4b1c0ffee0ddba11deadbeef0123456789abcdef",
            PRIVATE_KEY, json.dumps(PRIVATE_KEY)[1:-1], *PEM_BODY} <= secrets
    # Ordinary header values and the account's public identity are not secrets.
    assert not {"application/json", "tools-2024", "proj", "svc@proj.iam.gserviceaccount.com",
                "proxy.example"} & secrets


def test_inline_credentials_json_is_read_too(tmp_path):
    inline = json.dumps({"private_key_id": "feedfacecafebeef0123456789", "private_key": "x"})
    assert "feedfacecafebeef0123456789" in secret_values(config_with(
        tmp_path, vertex_credentials=inline))


def test_answers_lose_configured_secrets_but_keep_key_shaped_text():
    redactor = Redactor(["3f9a1c0e7b5d42a8961e0c4b7d2f8a65"])
    answer = {"choices": [{"message": {"content": "key 3f9a1c0e7b5d42a8961e0c4b7d2f8a65; use "
                                                  "'Authorization: Bearer sk-your-key-here'"}}]}
    clean, found = redactor.scrub(answer)
    assert found
    assert clean["choices"][0]["message"]["content"] == (
        f"key {REDACTED}; use 'Authorization: Bearer sk-your-key-here'")
    assert redactor.scrub({"a": ["nothing here"]}) == ({"a": ["nothing here"]}, False)


def _chunk(content, finish=None):
    return {"choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]}


def test_a_secret_split_across_stream_chunks_never_goes_out_in_pieces():
    secret = "9e107d9d372bb6826bd81d3542a419d6"
    calls = []
    scrub = StreamScrubber(Redactor([secret]), lambda: calls.append(1))
    pieces = ["Your token is 9e10", "7d9d372bb68", "26bd81d3542a419d6", " and 9e1", "0 more.",
              None]
    out = [scrub(_chunk(p, "stop" if p is None else None)) for p in pieces]
    sent = [c["choices"][0]["delta"].get("content") or "" for c in out]
    assert "".join(sent) == f"Your token is {REDACTED} and 9e10 more."
    assert not any(secret[:4] in piece for piece in sent[:3])  # no piece of it went out
    assert calls == [1]  # reported once


def test_held_text_is_released_at_the_finish_and_other_fields_are_scrubbed():
    secret = "tok-0123456789abcdef"
    scrub = StreamScrubber(Redactor([secret]), lambda: None)
    first = scrub(_chunk("ends with tok-01"))
    assert first["choices"][0]["delta"]["content"] == "ends with "
    tool = scrub({"choices": [{"index": 0, "delta": {"tool_calls": [
        {"index": 0, "function": {"arguments": f'{{"k": "{secret}"}}'}}]}}]})
    assert secret not in json.dumps(tool)
    last = scrub(_chunk("", "stop"))
    assert last["choices"][0]["delta"]["content"] == "tok-01"


# One example of each key shape the log redaction knows, as a provider or library might
# print it (the regex pass is skipped for ASCII text that has none of the shapes' marks).
SHAPES = ["sk-proj-AbC123dEf456", "sk-ant-api03-AbC123dEf456", "AKIAIOSFODNN7EXAMPLE",
          "ASIAIOSFODNN7EXAMPLE", "AIzaSyA-1234567890abcdefghijkl",
          "AWS4-HMAC-SHA256 Credential=AKID/2024/us-east-1/bedrock/aws4_request",
          "X-Amz-Signature=0123abcdef", "Credential=AKID%2F2024"]
# Shapes whose name is matched in any case.
CASELESS = ["Bearer abc.def-123456", "x-api-key: abcdef123456", "api_key='abcdef123456'",
            "Authorization=abcdef123456", "x-amz-security-token: abcdef123456",
            "x-goog-api-key: abcdef123456"]


def test_every_key_shape_is_redacted_from_log_text():
    redact = Redactor()
    examples = SHAPES + CASELESS + [c.upper() for c in CASELESS] + [c.title() for c in CASELESS]
    for shape in examples:
        for text in (shape, f'{{"event": "x", "detail": "upstream said {shape} twice"}}'):
            out = redact(text)
            assert REDACTED in out and shape not in out, text


def test_non_ascii_text_always_gets_the_shape_pass():
    # The Kelvin sign matches `k` case-insensitively, and lower-cases to it as well; other
    # such letters do not lower-case to ASCII, so non-ASCII text is never pre-screened.
    assert REDACTED in Redactor()("x-api-\u212aey: abcdef123456 \u00e9")
    assert REDACTED in Redactor()("x-amz-\u017fecurity-token: abcdef123456")
    assert Redactor()("plain log line, caf\u00e9") == "plain log line, caf\u00e9"
