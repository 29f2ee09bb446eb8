"""Shadow checks: for a share of answers served below the top tier, the top tier answers
too, in the background, and a judge deployment says which answer is better.

    shadow: {rate: 0.02, judge: opus-judge, max_daily_usd: 5}

The client never waits: the check starts after its answer is complete, as a task of
its own. The judge sees the two answers twice, in both orders, to cancel its position
bias: the same pick both times is a win for that side; anything else is a tie. The
verdict (`cheap_better`, `tie`, `top_better`) is stored in table `shadow`, read by
`router stats --quality`.

The daily cap (UTC day, per gateway process) is kept by reserving an upper estimate of
each step's cost before it starts and settling the actual cost after: first the top
tier's answer (its price for the cheap call's prompt and up to `top_max_tokens(...)` of
answer), then the judge's two calls (its price for the prompts it will get, at 3
characters per token, and 4 tokens of answer each). A check the cap stops half way
keeps what the top tier's answer cost in the day's spend.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter

from router.config import Config, Deployment
from router.costs import Tokens
from router.errors import GatewayError
from router.ops.query import Reader

if TYPE_CHECKING:
    from router.costs import ModelInfo
    from router.ops.record import CallLike
    from router.upstream import Served, Upstream

log = logging.getLogger("tianji.shadow")

# The front doors whose requests are drawn for a check (Responses and embeddings are not).
SHADOWED_DOORS = frozenset({"/v1/chat/completions", "/v1/messages"})
MAX_IN_FLIGHT = 4
MAX_TEXT_CHARS = 8000
JUDGE_MAX_TOKENS = 4
CHARS_PER_TOKEN_LOW = 3  # below any real tokenizer's average for prose: an upper cost bound
JUDGE_SYSTEM = (
    "You compare two answers to the same request. Reply with one letter only: A if answer A "
    "is better, B if answer B is better, T if they are equally good."
)


class DailyBudget:
    """Spend per UTC day with reservations, so checks in flight cannot overrun the cap."""

    def __init__(self, max_usd: float, clock: Callable[[], float] = time.time) -> None:
        self.max_usd = max_usd
        self.clock = clock
        self._day = ""
        self.spent = 0.0
        self.reserved = 0.0

    def _roll(self) -> None:
        day = datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%d")
        if day != self._day:
            self._day, self.spent = day, 0.0

    def reserve(self, usd: float) -> bool:
        self._roll()
        if self.spent + self.reserved + usd > self.max_usd:
            return False
        self.reserved += usd
        return True

    def settle(self, reserved: float, actual: float) -> None:
        self._roll()
        self.reserved = max(0.0, self.reserved - reserved)
        self.spent += actual


def render(messages: Sequence[Mapping[str, Any]]) -> str:
    """The conversation as plain text for the judge (text parts only), at most 8000 chars."""
    lines = []
    for m in messages:
        content = m.get("content")
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, Mapping))
        lines.append(f"{m.get('role', 'user')}: {content or ''}")
    text = "\n".join(lines)
    return text if len(text) <= MAX_TEXT_CHARS else text[-MAX_TEXT_CHARS:]


def judge_messages(request: str, a: str, b: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": JUDGE_SYSTEM},
        {"role": "user", "content": f"Request:\n{request}\n\nAnswer A:\n{a[:MAX_TEXT_CHARS]}\n\n"
         f"Answer B:\n{b[:MAX_TEXT_CHARS]}\n\nWhich answer is better? Reply A, B or T."},
    ]


def parse_pick(text: str) -> str | None:
    """'A', 'B' or 'T' from the judge's reply; None when it said something else."""
    head = text.strip().strip("*\"'.").upper()[:1]
    return head if head in ("A", "B", "T") else None


def combine(cheap_first: str, cheap_second: str) -> str:
    """The verdict from the judge's picks with the cheap answer as A, then as B."""
    first = {"A": "cheap", "B": "top", "T": "tie"}[cheap_first]
    second = {"A": "top", "B": "cheap", "T": "tie"}[cheap_second]
    if first == second:
        return {"cheap": "cheap_better", "top": "top_better", "tie": "tie"}[first]
    return "tie"


def top_max_tokens(completion_tokens: int) -> int:
    """The top tier's answer budget: room for a fuller answer than the cheap one gave."""
    return max(256, 2 * completion_tokens)


@dataclass
class _Check:
    call: CallLike
    served: Served
    messages: list[Any]
    answer: str
    prompt_tokens: int
    completion_tokens: int


class Shadow:
    def __init__(self, config: Config, upstream: Upstream, catalog: Mapping[str, ModelInfo],
                 reader: Reader, registry: CollectorRegistry,
                 chance: Callable[[], float] = random.random) -> None:
        from router.policy import Candidate

        settings = config.shadow
        self.rate = settings.rate
        self.upstream = upstream
        self.catalog = catalog
        self.reader = reader
        self.timeout_s = config.resilience.request_timeout_s
        self.budget = DailyBudget(settings.max_daily_usd)
        self.chance = chance
        self.top = config.tiers[-1]
        self.top_candidates = tuple(Candidate(self.top.name, d, None)
                                    for d in self.top.deployments)
        judge: Deployment = next(d for t in config.tiers for d in t.deployments
                                 if d.name == settings.judge)
        self.judge_candidates = (Candidate("judge", judge, None),)
        self.judge = judge.name
        self._tasks: set[asyncio.Task[None]] = set()  # in flight (and kept from the GC)
        self.checks = Counter("tianji_shadow_checks", "Shadow checks by outcome: judged, "
                              "over_budget, busy, failed.", ["outcome"], registry=registry)
        self.cost = Counter("tianji_shadow_cost_usd", "Spend on shadow answers and the judge.",
                            registry=registry)

    def sample(self) -> bool:
        return self.rate > 0 and self.chance() < self.rate

    def conversation(self, path: str, body: Mapping[str, Any]) -> list[Any] | None:
        """A drawn request's conversation as the chat messages the top tier answers: a chat
        request's own; a Messages request's system prompt (a string or text blocks) and
        turns as a chat-wire deployment on /v1/messages is sent them, translated for the
        top tier's first deployment (router/upstream_messages.py `chat_messages`). None
        (no check) when litellm cannot translate it; the request goes on regardless."""
        if path != "/v1/messages":
            return list(body.get("messages") or [])
        from router.upstream_messages import chat_messages

        try:
            return chat_messages(body, self.top.deployments[0].model)
        except Exception as exc:  # noqa: BLE001 - a check is never worth a failed request
            self.checks.labels("failed").inc()
            log.warning(json.dumps({"event": "shadow_untranslated",
                                    "error": type(exc).__name__}))
            return None

    def consider(self, call: CallLike, served: Served, usage: Mapping[str, Any],
                 answer: str | None) -> None:
        """Start a check for this answer if it came from below the top tier (never waits)."""
        messages = call.entry.shadow_messages
        if messages is None or answer is None or served.candidate.tier == self.top.name:
            return
        if len(self._tasks) >= MAX_IN_FLIGHT:
            self.checks.labels("busy").inc()
            return
        tokens = Tokens.of(usage)
        check = _Check(call, served, messages, answer, tokens.prompt, tokens.output)
        task = asyncio.get_running_loop().create_task(self._run(check))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _top_estimate(self, check: _Check) -> float:
        prompt = max(check.prompt_tokens, len(render(check.messages)) // CHARS_PER_TOKEN_LOW)
        answer = top_max_tokens(check.completion_tokens)
        return max(self.catalog[c.deployment.name].cost(prompt, answer)
                   for c in self.top_candidates)

    def _judge_estimate(self, prompts: Sequence[list[dict[str, str]]]) -> float:
        info = self.catalog[self.judge]
        return sum(info.cost(sum(len(m["content"]) for m in p) // CHARS_PER_TOKEN_LOW + 16,
                             JUDGE_MAX_TOKENS) for p in prompts)

    async def _costed(self, estimate: float, calls: Sequence[Callable[[], Awaitable[Served]]]
                      ) -> list[Served] | None:
        """Run `calls` in order inside the budget; None when the cap does not allow them."""
        if not self.budget.reserve(estimate):
            self.checks.labels("over_budget").inc()
            return None
        done: list[Served] = []
        try:
            for call in calls:
                done.append(await call())
            return done
        finally:
            actual = sum(self._cost(s) for s in done)
            self.budget.settle(estimate, actual)
            self.cost.inc(actual)

    async def _run(self, check: _Check) -> None:
        from router.policy import Decision

        request = render(check.messages)
        rid = check.call.request_id
        assessment = check.call.decision.assessment
        deadline = time.monotonic() + self.timeout_s

        def ask(tier: str, candidates: Any, params: dict[str, Any], suffix: str
                ) -> Callable[[], Awaitable[Served]]:
            return lambda: self.upstream.complete(
                Decision(tier, assessment, "shadow check", candidates), params,
                stream=False, deadline=deadline, request_id=f"{rid}:{suffix}")

        try:
            top = await self._costed(self._top_estimate(check), [ask(
                self.top.name, self.top_candidates,
                {"messages": check.messages,
                 "max_tokens": top_max_tokens(check.completion_tokens)}, "shadow")])
            if top is None:
                return
            top_answer = _text(top[0])
            prompts = [judge_messages(request, check.answer, top_answer),
                       judge_messages(request, top_answer, check.answer)]
            judged = await self._costed(self._judge_estimate(prompts), [
                ask("judge", self.judge_candidates,
                    {"messages": p, "max_tokens": JUDGE_MAX_TOKENS}, "judge") for p in prompts])
            if judged is None:
                return
        except (GatewayError, TimeoutError) as err:
            self.checks.labels("failed").inc()
            log.warning(json.dumps({"event": "shadow_failed", "request_id": rid,
                                    "error": type(err).__name__}))
            return
        picks = [parse_pick(_text(j)) for j in judged]
        spent = sum(self._cost(s) for s in (*top, *judged))
        if picks[0] is None or picks[1] is None:
            self.checks.labels("failed").inc()
            log.warning(json.dumps({"event": "shadow_unparsed_verdict", "request_id": rid}))
            return
        row = {"request_id": rid, "ts": time.time(), "tier": check.served.candidate.tier,
               "task": assessment.task, "difficulty": assessment.difficulty,
               "top_deployment": top[0].candidate.deployment.name, "judge": self.judge,
               "verdict": combine(picks[0], picks[1]), "first": picks[0], "second": picks[1],
               "cost_usd": spent}
        try:
            await asyncio.to_thread(self.reader.add_shadow, row)
        except Exception as exc:  # noqa: BLE001 - a lost verdict is counted, never raised
            self.checks.labels("failed").inc()
            log.warning(json.dumps({"event": "shadow_not_stored", "request_id": rid,
                                    "error": type(exc).__name__}))
            return
        self.checks.labels("judged").inc()

    def _cost(self, served: Served) -> float:
        return self.catalog[served.candidate.deployment.name].cost_of(Tokens.of(served.usage))


def _text(served: Served) -> str:
    choices = (served.response or {}).get("choices") or [{}]
    content = (choices[0].get("message") or {}).get("content")
    return content if isinstance(content, str) else ""
