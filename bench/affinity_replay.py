"""Replay a Claude Code-shaped session three ways and print what each cost.

    .venv/bin/python -m bench.affinity_replay

The session: a coding agent's loop on `claude-opus-5-5` (12 tools, a long system
prompt and the latest turn marked with `cache_control`, tool calls and tool results
growing the conversation), interleaved with Claude Code's small background calls on
`claude-haiku-4-5`. Each main-loop turn's difficulty is set by a marker in its last
user message, read by a stand-in classifier, so the per-turn tiers are fixed. Every
answer is about 400 tokens (thinking and a tool call); the Anthropic API (each tier's
first deployment) is down for one turn mid-session, so every mode fails over to the
second deployment of its tier. Every call goes through the real gateway to the fake
provider, which simulates Claude's prompt cache per deployment
(router/fakeprovider/prompt_cache.py); costs are the gateway's x-tianji-cost-usd
(input, output, cache reads at 0.1x and 5-minute writes at 1.25x the input price).

Modes: `per-turn` routes every turn afresh (affinity off), `top` sends everything to
the top tier (model `opus`), `affinity` is Tianji's default.

Two sessions. `shaped` is the hand-written one above (14 turns; it was written while
affinity was being built, after seeing its results). `generated` is drawn from a seed
(`--seed`, default 1) by a recipe fixed before it was first run:
- 20 main-loop turns; each turn's difficulty easy / medium / hard with probability
  0.3 / 0.55 / 0.15;
- each turn's tool result is 50 to 1200 (uniform) repetitions of a 5-token phrase, so the
  conversation's prefix grows by about 250 to 6000 tokens a turn;
- after each main turn, a background small-model call with probability 0.3;
- the Anthropic API is down for one turn drawn uniformly from turns 7 to 13.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import httpx  # noqa: E402

from router.api import create_app  # noqa: E402
from router.classify.base import Assessment, ChatRequest  # noqa: E402
from router.config import Config, parse_config  # noqa: E402
from router.fakeprovider import FakeProvider, Fault, FaultKind  # noqa: E402

PRICES = {"small": (1.0, 5.0), "medium": (3.0, 15.0), "large": (5.0, 25.0)}  # Claude 4.5
CLOUDS = ("anthropic", "bedrock")
SESSION = "5f0c8d0e-replay-session"
MODES = ("per-turn", "top", "affinity")


@dataclass(frozen=True)
class Session:
    """A Claude Code-shaped session: each main-loop turn's difficulty and tool-result size
    (repetitions of a 5-token phrase), where background calls fall, and the turn on which
    the Anthropic API (every tier's first deployment) is down."""

    name: str
    main_turns: tuple[str, ...]
    tool_output: tuple[int, ...]
    background_after: frozenset[int]
    fail_at: int


SHAPED = Session(
    "shaped",
    ("medium", "medium", "easy", "medium", "medium", "medium", "easy", "medium",
     "hard", "medium", "medium", "easy", "medium", "medium"),
    (400,) * 14, frozenset({0, 5, 10}), 10)


def generated(seed: int) -> Session:
    """The session the recipe in the module docstring draws from `seed`."""
    rng = random.Random(seed)
    turns = 20
    difficulty = tuple(rng.choices(("easy", "medium", "hard"), (0.3, 0.55, 0.15), k=turns))
    output = tuple(rng.randint(50, 1200) for _ in range(turns))
    background = frozenset(t for t in range(turns) if rng.random() < 0.3)
    return Session(f"generated (seed {seed})", difficulty, output, background,
                   rng.randint(7, 13))

# An agent turn's answer (thinking and a tool call): about 400 output tokens.
ANSWER = " ".join(["word"] * 400)
_DIFFICULTY = {"easy": 0.1, "medium": 0.5, "hard": 0.9}
TOOLS = [{"name": name, "description": f"{name}: " + "does one agent action well. " * 12,
          "input_schema": {"type": "object", "properties": {"arg": {"type": "string"}}}}
         for name in ("Agent", "Bash", "Edit", "Glob", "Grep", "Read", "Write", "WebFetch",
                      "WebSearch", "TodoWrite", "NotebookEdit", "ToolSearch")]
SYSTEM_TEXT = "You are Claude Code, an agent for software engineering tasks. " * 1000


class LastTurnClassifier:
    """Difficulty from the [easy]/[medium]/[hard] marker in the last user message."""

    name = "last-turn"

    def score(self, request: ChatRequest) -> Assessment:
        users = [m for m in request.get("messages", []) if m.get("role") == "user"]
        text = str(users[-1].get("content", "")) if users else ""
        for marker, value in _DIFFICULTY.items():
            if f"[{marker}]" in text:
                return Assessment(value, "replay", {"marker": marker})
        return Assessment(0.1, "replay", {})


def replay_config(fake: FakeProvider, affinity: bool) -> Config:
    tiers = []
    for i, (tier, alias) in enumerate((("small", "haiku"), ("medium", "sonnet"),
                                       ("large", "opus"))):
        price_in, price_out = PRICES[tier]
        deployments = [{"name": f"{cloud}-{alias}", "model": f"anthropic/claude-fake-{alias}",
                        "api_base": fake.anthropic_base(f"{cloud}-{alias}"),
                        "api_key": "sk-ant-replay-provider-key",
                        # Claude Code sends tools and images; the fake models take them.
                        "supports": ["tools", "vision", "json"],
                        "price": {"input": price_in, "output": price_out}} for cloud in CLOUDS]
        entry: dict[str, Any] = {"name": tier, "aliases": [alias], "deployments": deployments}
        if i < 2:
            entry["max_difficulty"] = (0.33, 0.66)[i]
        tiers.append(entry)
    return parse_config({
        "resilience": {"retries": 1, "backoff_initial_s": 0.0, "backoff_max_s": 0.0,
                       "cooldown_s": 0.01, "failures_before_cooldown": 3},
        "affinity": {"enabled": affinity}, "tiers": tiers}, env={})


@dataclass(frozen=True)
class Call:
    """One request of the session as the gateway answered it."""

    kind: str  # "main" or "background"
    turn: int
    affinity: str
    tier: str
    deployment: str
    cost_usd: float


def _cached(content: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The content with the last block marked for caching, as Claude Code marks each turn."""
    return [*content[:-1], {**content[-1], "cache_control": {"type": "ephemeral"}}]


def _strip_cache_marks(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**m, "content": [{k: v for k, v in b.items() if k != "cache_control"}
                              for b in m["content"]]} for m in messages]


async def _post(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    response = await client.post("/v1/messages", json=body, headers={
        "anthropic-version": "2023-06-01", "x-claude-code-session-id": SESSION,
        "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14"})
    response.raise_for_status()
    return response


def _call(kind: str, turn: int, response: httpx.Response) -> Call:
    h = response.headers
    return Call(kind, turn, h.get("x-tianji-affinity", "-"), h["x-tianji-tier"],
                h["x-tianji-provider"], float(h["x-tianji-cost-usd"]))


async def replay(fake: FakeProvider, mode: str, session: Session = SHAPED) -> list[Call]:
    """Run `session` once through a fresh gateway in `mode`; the fake is reset first."""
    fake.reset()
    app = create_app(replay_config(fake, affinity=mode == "affinity"), LastTurnClassifier())
    model = "opus" if mode == "top" else "claude-opus-5-5"
    system = [{"type": "text", "text": SYSTEM_TEXT, "cache_control": {"type": "ephemeral"}}]
    history: list[dict[str, Any]] = []
    calls: list[Call] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tianji",
                                 timeout=30) as client:
        for turn, difficulty in enumerate(session.main_turns):
            text = (f"[{difficulty}] step {turn}: "
                    + f"output of step {turn}. " * session.tool_output[turn])
            if turn == 0:
                user_content = [{"type": "text", "text": text}]
            else:
                user_content = [{"type": "tool_result", "tool_use_id": f"toolu_{turn - 1}",
                                 "content": [{"type": "text", "text": text}]}]
            history = [*_strip_cache_marks(history),
                       {"role": "user", "content": _cached(user_content)}]
            if turn == session.fail_at + 1:
                fake.clear()
            if turn == session.fail_at:
                for alias in ("haiku", "sonnet", "opus"):
                    fake.set_fault(f"anthropic-{alias}",
                                   Fault(FaultKind.HTTP_ERROR, status=529, times=2))
            fake.configure(text=ANSWER)
            response = await _post(client, {
                "model": model, "max_tokens": 32000, "system": system, "tools": TOOLS,
                "messages": history, "thinking": {"type": "adaptive"}})
            calls.append(_call("main", turn, response))
            history.append({"role": "assistant", "content": [
                {"type": "text", "text": f"Running step {turn + 1}."},
                {"type": "tool_use", "id": f"toolu_{turn}", "name": "Bash",
                 "input": {"arg": f"make step-{turn + 1}"}}]})
            if turn in session.background_after:
                background = await _post(client, {
                    "model": "claude-haiku-4-5" if mode != "top" else "opus",
                    "max_tokens": 512, "system": "Summarise this coding session in 5 words.",
                    "messages": [{"role": "user", "content": f"[easy] step {turn}"}]})
                calls.append(_call("background", turn, background))
    await app.state.gateway.messages_http.aclose()
    return calls


def total(calls: list[Call]) -> float:
    return sum(c.cost_usd for c in calls)


async def _all(fake: FakeProvider, sessions: list[Session]) -> dict[str, dict[str, list[Call]]]:
    return {session.name: {mode: await replay(fake, mode, session) for mode in MODES}
            for session in sessions}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.affinity_replay", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", action="store_true", help="print every call of each mode")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated session")
    args = parser.parse_args(argv)
    sessions = [SHAPED, generated(args.seed)]
    with FakeProvider() as fake:
        results = asyncio.run(_all(fake, sessions))
    labels = {"per-turn": "per-turn routing, no affinity", "top": "always the top tier",
              "affinity": "Tianji with affinity"}
    for session in sessions:
        runs = results[session.name]
        if args.calls:
            for mode, calls in runs.items():
                print(f"\n{session.name}, {mode}:")
                for c in calls:
                    print(f"  {c.kind:<10} turn {c.turn:>2}  {c.affinity:<11} {c.tier:<6} "
                          f"{c.deployment:<16} ${c.cost_usd:.6f}")
        print(f"\n{session.name}: {len(session.main_turns)} main-loop turns, "
              f"{len(session.background_after)} background calls, the Anthropic API down on "
              f"turn {session.fail_at}")
        for mode, calls in runs.items():
            print(f"  {labels[mode]:<32} ${total(calls):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
