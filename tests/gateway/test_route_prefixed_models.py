"""A deployment whose model id carries a litellm route prefix (Bedrock's InvokeModel route,
`bedrock/invoke/<cross-region profile>`) and no `price:` or `supports:` is priced and
described by litellm's table as litellm itself resolves the id: a tool request reaches it
through the real gateway and real litellm (SigV4 to the fake's Bedrock endpoint), and its
cost in the response header and the request log is litellm's price; `router check` prints
those prices and capabilities, and still warns about an id litellm cannot describe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.anthropic.conftest import bedrock
from tests.conftest import deployment, make_config, run_gateway
from tests.ops.conftest import rows

ROOT = Path(__file__).resolve().parents[2]
INVOKE_HAIKU = "invoke/us.anthropic.claude-haiku-4-5-20251001-v1:0"
TOOLS = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]


def test_a_tool_request_reaches_a_bedrock_invoke_deployment_at_litellms_price(fake, tmp_path):
    import litellm

    text_only = deployment(fake, "text-only", supports=[])
    invoke = {k: v for k, v in bedrock(fake, "invoke-haiku", INVOKE_HAIKU).items()
              if k != "price"}
    log_url = f"sqlite:///{tmp_path / 'log.db'}"
    config = make_config([[text_only, invoke]], log={"url": log_url, "flush_interval_s": 0.05})
    with run_gateway(config) as gw:
        raw = gw.client.chat.completions.with_raw_response.create(
            model="small", messages=[{"role": "user", "content": "call f"}], tools=TOOLS,
            tool_choice="required")
        assert gw.app.state.gateway.request_log.writer.flush(timeout=15)
    answer = raw.parse()
    assert raw.headers["x-tianji-provider"] == "invoke-haiku"
    assert [c.function.name for c in answer.choices[0].message.tool_calls or []] == ["f"]
    assert fake.calls("text-only") == []
    (call,) = fake.calls("invoke-haiku")
    assert "/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/invoke" in call.path
    assert [t["name"] for t in call.body["tools"]] == ["f"]

    listed = litellm.get_model_info(f"bedrock/{INVOKE_HAIKU}")
    prices = (listed["input_cost_per_token"], listed["output_cost_per_token"])
    assert prices == pytest.approx((1.1e-06, 5.5e-06))  # the us. profile's, not the base's
    usage = answer.usage
    assert usage is not None and usage.prompt_tokens > 0 and usage.completion_tokens > 0
    expected = usage.prompt_tokens * prices[0] + usage.completion_tokens * prices[1]
    assert float(raw.headers["x-tianji-cost-usd"]) == pytest.approx(expected, rel=1e-3)
    (row,) = rows(log_url)
    assert row["deployment"] == "invoke-haiku"
    assert row["cost_usd"] == pytest.approx(expected, rel=1e-6)


def test_router_check_prints_litellms_prices_and_capabilities_for_route_prefixed_ids(tmp_path):
    config = tmp_path / "tianji.yaml"
    config.write_text(
        "tiers:\n"
        "  - name: small\n"
        "    deployments:\n"
        f"      - {{name: invoke, model: 'bedrock/{INVOKE_HAIKU}', api_key: k}}\n"
        "      - {name: converse, model: 'bedrock/converse/anthropic.claude-3-5-sonnet-20240620-"
        "v1:0', api_key: k}\n"
        "      - {name: vertex, model: 'vertex_ai/claude-haiku-4-5@20251001', api_key: k}\n"
        "      - {name: unknown, model: 'bedrock/invoke/us.acme.in-house-v1:0', api_key: k}\n")
    result = subprocess.run([sys.executable, "-m", "router.cli", "check", "--config",
                             str(config)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()

    def described(name: str) -> str:
        return lines[lines.index(next(line for line in lines if f"- {name} " in line)) + 1]

    supports = "200,000 tokens; supports json, tools, vision"
    assert described("invoke") == f"    $1.1/$5.5 per 1M; {supports}"
    assert described("converse") == f"    $3/$15 per 1M; {supports}"
    assert described("vertex") == f"    $1/$5 per 1M; {supports}"
    assert described("unknown") == (
        "    price unknown (set `price:`); window unknown; supports text only (assumed: the "
        "model is not in litellm's table; list what it takes under `supports:`)")
    assert lines[-1] == ("assumed text-only (no tools, images or JSON mode sent to them): "
                         "unknown; set `supports: [tools, vision, json]` as they apply")
