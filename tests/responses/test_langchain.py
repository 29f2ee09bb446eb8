"""LangChain's ChatOpenAI through Tianji, on the chat completions API and on the Responses
API (`use_responses_api=True`): invoke, stream, a tool call and its result, structured
output."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from tests.responses.conftest import answer_text
from tests.waiting import wait_for

apis = pytest.mark.parametrize("responses_api", [False, True], ids=["chat", "responses"])


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return "Sunny"


class City(BaseModel):
    city: str


def model(gw, responses_api: bool) -> ChatOpenAI:
    return ChatOpenAI(model="auto", base_url=f"{gw.url}/v1", api_key="none", max_retries=0,
                      use_responses_api=responses_api)


@apis
@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_invoke_and_stream(fake, gateways, wire, responses_api, request):
    gw = gateways(wire)
    lines = request.getfixturevalue("log_lines")
    llm = model(gw, responses_api)
    answer = llm.invoke("Say hello")
    assert answer.text == answer_text("a")
    assert answer.usage_metadata["output_tokens"] == 8
    assert "".join(chunk.text for chunk in llm.stream("Say hello")) == answer_text("a")
    door = "openai-responses" if responses_api else "openai-chat"
    # The stream's line is written before [DONE] goes out (tests/ops/test_stream_end.py).
    wait_for(lambda: sum(f'"front_door": "{door}"' in line for line in lines) >= 2,
             "the stream's log line")
    assert sum(f'"front_door": "{door}"' in line for line in lines) == 2


@apis
@pytest.mark.parametrize("wire", ["openai", "anthropic"])
def test_a_tool_call_and_its_result(fake, gateways, wire, responses_api):
    gw = gateways(wire)
    llm = model(gw, responses_api)
    question = HumanMessage(f"Weather in Paris? ({wire}, {responses_api})")
    called = llm.bind_tools([get_weather], tool_choice="get_weather").invoke([question])
    [call] = called.tool_calls
    assert call["name"] == "get_weather" and call["args"] == {}
    result = ToolMessage("Sunny", tool_call_id=call["id"])
    final = llm.bind_tools([get_weather]).invoke([question, called, result])
    assert final.text == answer_text("a")
    body = fake.calls("a")[-1].body
    sent = body["messages"][-1]
    if wire == "openai":
        assert sent == {"role": "tool", "content": "Sunny", "tool_call_id": call["id"]}
    else:
        assert sent["content"][0]["type"] == "tool_result"
        assert sent["content"][0]["tool_use_id"] == call["id"]


@apis
def test_structured_output_with_a_json_schema(fake, gateways, responses_api):
    gw = gateways("openai")
    fake.configure("a", text='{{"city": "Paris"}}')  # a format string: braces doubled
    structured = model(gw, responses_api).with_structured_output(City, method="json_schema")
    assert structured.invoke("Where is the Louvre?") == City(city="Paris")
    assert fake.calls("a")[-1].body["response_format"]["json_schema"]["name"] == "City"
