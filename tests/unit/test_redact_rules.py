"""The redaction rules one by one: which config values are secrets, which key shapes an error
message or log line loses, how a stream holds back a secret's start, what a log record keeps."""

from __future__ import annotations

import json
import logging

import pytest

from router.config import parse_config
from router.redact import REDACTED, RedactingFilter, Redactor, StreamScrubber, secret_values


def secrets_of(api_keys=(), litellm_params=None, **dep):
    deployment = {"model": "openai/gpt-4o-mini", **dep}
    if litellm_params:
        deployment["litellm_params"] = litellm_params
    raw = {"server": {"api_keys": list(api_keys)}, "tiers": [{"name": "small", "deployments": [
        deployment]}]}
    return secret_values(parse_config(raw, env={}))


def test_gateway_keys_and_secret_parameters_longest_first_with_json_escapes():
    found = secrets_of(["gw-key-1"], api_key='sk-quote"d-0123456789',
                       aws_secret_access_key="abcd", aws_session_token="abc",
                       api_base="https://api.example/v1", litellm_params={"timeout": 30})
    assert found == sorted(found, key=len, reverse=True)
    assert {"gw-key-1", 'sk-quote"d-0123456789', 'sk-quote\\"d-0123456789', "abcd"} <= set(found)
    # Under four characters a "secret" would redact ordinary words; URLs without user info
    # and numbers are no secrets.
    assert "abc" not in found
    assert not {"https://api.example/v1", "30"} & set(found)


@pytest.mark.parametrize("name", ["X-Api-Key", "X-Auth", "X-Session", "Cookie", "X-Signature",
                                  "X-Secret", "X-Token", "X-Passphrase"])
def test_header_values_whose_name_says_secret(name):
    assert "plainvalue" in secrets_of(api_key="k" * 8, extra_headers={name: "plainvalue"})


def test_header_values_that_look_like_tokens_whatever_their_name():
    found = secrets_of(api_key="k" * 8, headers={
        "X-Trace": "a1b2c3d4e5f6a7b8", "X-Short": "a1b2c3d4e5f6a7b", "X-Words": "not a token 12345",
        "X-Digits": "1234567890123456", "X-Letters": "abcdefghijklmnopq"})
    assert "a1b2c3d4e5f6a7b8" in found
    assert not {"a1b2c3d4e5f6a7b", "not a token 12345", "1234567890123456",
                "abcdefghijklmnopq"} & set(found)


def test_secrets_nested_in_lists_and_mappings():
    found = secrets_of(api_key="k" * 8, litellm_params={
        "fallbacks": [{"api_key": "nested-list-key"}],
        "metadata": {"inner": {"client_secret": "nested-map-secret"}}})
    assert {"nested-list-key", "nested-map-secret"} <= set(found)


def test_url_user_info_without_a_user_name():
    found = secrets_of(api_key="k" * 8, api_base="https://:only-pass@proxy.example/v1")
    assert {"only-pass", ":only-pass"} <= set(found)


def test_credential_files_that_are_missing_or_not_an_object_add_only_themselves(tmp_path):
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(["private_key", "x" * 20]))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    for value in (str(tmp_path / "absent.json"), str(listed), str(broken)):
        assert set(secrets_of(api_key="k" * 8, vertex_credentials=value)) == {
            "k" * 8, value, json.dumps(value)[1:-1]}


def test_only_the_secret_fields_of_a_credentials_file_and_their_long_lines(tmp_path):
    inline = json.dumps({"client_secret": "cs-0123456789", "client_id": "public-client-id",
                         "refresh_token": "short\nline-of-sixteen-ch", "expiry": 12345})
    found = set(secrets_of(api_key="k" * 8, vertex_credentials=inline))
    assert {"cs-0123456789", "short\nline-of-sixteen-ch", "line-of-sixteen-ch"} <= found
    assert not {"public-client-id", "short"} & found


@pytest.mark.parametrize("text", [
    "key sk-abcdefgh1234 was refused",
    "key sk-ant-api03-abcdefgh was refused",
    "AKIAABCDEFGHIJKLMNOP was refused",
    "ASIAABCDEFGHIJKLMNOP was refused",
    "AIzaSyA1234567890abcdefghij was refused",
    "header Bearer abc.def-ghi_jkl was refused",
    "header bearer   abcdefgh was refused",
    "sent x-api-key: abcdef123 and",
    "sent api_key=abcdef123 and",
    'sent "api-key": "abcdef123" and',
    "sent authorization=abcdef123 and",
    "sent X-Amz-Security-Token=FwoGZXIvYXdz and",
    "sent x-goog-api-key: abcdef123 and",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/bedrock/aws4_request",
    "https://s3.example/o?X-Amz-Signature=0abc123&X-Amz-Credential=AKID%2F2024",
])
def test_key_shapes_are_redacted_from_messages(text):
    clean = Redactor()(text)
    assert REDACTED in clean
    for part in ("abcdefgh", "ABCDEFGHIJ", "abcdef123", "1234567890", "FwoGZXIvYXdz",
                 "AKIDEXAMPLE", "0abc123"):
        assert part not in clean


@pytest.mark.parametrize("text", ["sk-short", "AKIA123", "Bearer abc", "api_key=abc",
                                  "a plain sentence about keys and tokens"])
def test_text_that_only_resembles_a_key_is_kept(text):
    assert Redactor()(text) == text


def test_literals_go_before_shapes_and_a_longer_secret_goes_whole():
    redactor = Redactor(["hunter2-longer", "hunter2", ""])
    assert redactor.has_secrets
    assert redactor("pw hunter2-longer and hunter2") == f"pw {REDACTED} and {REDACTED}"
    assert not Redactor(["", ""]).has_secrets
    assert Redactor().literal("hunter2") == "hunter2"


def test_the_held_back_end_is_the_longest_start_of_a_secret():
    redactor = Redactor(["secret-token-1", "sec"])
    assert redactor.partial_at_end("text ends with secret-to") == len("secret-to")
    assert redactor.partial_at_end("text ends with s") == 1
    assert redactor.partial_at_end("text ends with secret-token-1") == 0
    assert redactor.partial_at_end("nothing") == 0
    assert Redactor().partial_at_end("anything") == 0


def chunk(*choices):
    return {"choices": [{"index": i, "delta": {"content": c}, "finish_reason": f}
                        for i, c, f in choices]}


def test_each_choice_of_a_stream_is_held_back_on_its_own():
    scrub = StreamScrubber(Redactor(["tok-0123456789"]), lambda: None)
    first = scrub(chunk((0, "a tok-01", None), (1, "b tok-0", None)))
    assert [c["delta"]["content"] for c in first["choices"]] == ["a ", "b "]
    second = scrub(chunk((0, "23456789!", None), (1, "k", "stop")))
    assert [c["delta"]["content"] for c in second["choices"]] == [f"{REDACTED}!", "tok-0k"]


def test_chunks_without_content_pass_as_they_are():
    calls: list[int] = []
    scrub = StreamScrubber(Redactor(["tok-0123456789"]), lambda: calls.append(1))
    role = {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}
    assert scrub(role) == role
    odd = {"choices": [{"index": 0, "delta": "tok-0123456789", "finish_reason": None}]}
    assert scrub(odd)["choices"][0]["delta"] == REDACTED
    assert scrub({"usage": {"total_tokens": 3}}) == {"usage": {"total_tokens": 3}}
    assert calls == [1]


def test_a_held_end_is_released_into_a_chunk_without_content():
    scrub = StreamScrubber(Redactor(["tok-0123456789"]), lambda: None)
    scrub(chunk((0, "see tok", None)))
    finish = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    assert scrub(finish)["choices"][0]["delta"] == {"content": "tok"}


def record(message, *args, exc=None):
    rec = logging.LogRecord("tianji", logging.ERROR, __file__, 1, message, args,
                            (type(exc), exc, None) if exc else None)
    return rec


def test_log_records_lose_secrets_and_keep_only_an_exceptions_summary():
    log_filter = RedactingFilter(Redactor(["hunter2-pass"]))
    rec = record("login %s with %s", "hunter2-pass", "Bearer abcdefgh12345",
                 exc=ValueError("bad hunter2-pass " + "x" * 1000))
    assert log_filter.filter(rec) is True
    assert rec.getMessage() == (
        f"login {REDACTED} with {REDACTED} [ValueError: bad {REDACTED} " + "x" * (500 - 15) + "]")
    assert (rec.args, rec.exc_info, rec.exc_text) == (None, None, None)
    plain = record("nothing to hide")
    log_filter.filter(plain)
    assert plain.getMessage() == "nothing to hide"


def test_a_secret_that_contains_another_is_replaced_whole():
    cfg = parse_config({"tiers": [{"name": "small", "deployments": [
        {"model": "openai/gpt-4o-mini", "api_key": "key-zz99-long-secret",
         "litellm_params": {"aws_secret_access_key": "zz99"}}]}]}, env={})
    assert Redactor(secret_values(cfg))("sent key-zz99-long-secret") == f"sent {REDACTED}"


def test_inline_credentials_may_start_with_whitespace_and_16_character_lines_count():
    inline = "\n  " + json.dumps({"private_key": "short\n0123456789abcdef\n0123456789abcde"})
    found = set(secrets_of(api_key="k" * 8, vertex_credentials=inline))
    assert "0123456789abcdef" in found
    assert "0123456789abcde" not in found


def test_token_like_values_count_only_in_headers():
    found = secrets_of(api_key="k" * 8, litellm_params={
        "metadata": {"trace": "a1b2c3d4e5f6a7b8c9"}})
    assert "a1b2c3d4e5f6a7b8c9" not in found


def test_a_secret_as_long_as_the_longest_is_held_back_from_its_first_character():
    redactor = Redactor(["secret-token-1"])
    assert redactor.partial_at_end("xx secret-token-") == len("secret-token-")


def test_scrub_reports_a_secret_anywhere_and_nothing_for_clean_values():
    redactor = Redactor(["hunter2-pass"])
    assert redactor.scrub({"a": "hunter2-pass", "b": "clean"}) == (
        {"a": REDACTED, "b": "clean"}, True)
    assert redactor.scrub(["hunter2-pass", "clean"]) == ([REDACTED, "clean"], True)
    assert redactor.scrub({"n": 1, "x": None, "ok": True}) == (
        {"n": 1, "x": None, "ok": True}, False)


def test_a_choice_after_one_without_content_is_still_held_back():
    scrub = StreamScrubber(Redactor(["tok-0123456789"]), lambda: None)
    for first in ({"index": 0, "delta": "odd"}, {"index": 0, "delta": {"role": "assistant"}}):
        out = scrub({"choices": [first, {"index": 1, "delta": {"content": "a tok-01"}}]})
        assert out["choices"][1]["delta"]["content"] == "a "
        scrub({"choices": [{"index": 1, "delta": {"content": "x"}, "finish_reason": "stop"}]})


def test_a_choice_without_an_index_is_choice_zero():
    scrub = StreamScrubber(Redactor(["tok-0123456789"]), lambda: None)
    scrub({"choices": [{"index": 0, "delta": {"content": "a tok-01"}}]})
    out = scrub({"choices": [{"delta": {"content": ""}, "finish_reason": "stop"}]})
    assert out["choices"][0]["delta"]["content"] == "tok-01"


def test_the_redaction_is_reported_once_whether_in_content_or_elsewhere():
    calls: list[int] = []
    scrub = StreamScrubber(Redactor(["tok-0123456789"]), lambda: calls.append(1))
    scrub({"choices": [{"index": 0, "delta": {"content": "clean"}}]})
    assert calls == []
    scrub({"choices": [{"index": 0, "delta": {
        "content": "args", "tool_calls": [{"function": {"arguments": "tok-0123456789"}}]}}]})
    assert calls == [1]
    scrub({"choices": [{"index": 0, "delta": {"content": "again tok-0123456789"}}]})
    assert calls == [1]
