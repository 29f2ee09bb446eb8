"""The verified cascade on the request path: a tier's answer is accepted when a partner (another
vendor's model) reaches the same final answer; otherwise the next tier answers.

    verifier = Verifier(config, catalog, upstream)
    verdict = await verifier.serve(decision, params, body, view, stream=False, deadline=d,
                                   request_id="r1")
    verdict.served      # the answer returned; its attempts are every call made
    verdict.label       # x-tianji-verified: agree | escalated | skipped:<reason> (None: off)
    verdict.other_cost  # USD of the calls whose answer was not returned

A request is verified when the tier it starts at has `verify:` and the checkable task the
classifier's Assessment names (`checkable_task`: maths word problems and competition maths ->
math, multiple-choice options -> multiple_choice, "what does this code return" (the
classifier's debugging kind) -> code_output, factual and extraction asks -> short_answer) is
one of its `tasks`. Then the tier's primary (its first deployment that is not a partner, with
the tier's other deployments as fallback) and the partners (the first of `partners` that can
answer, the rest as its fallback) are called at once. Final answers are compared with
router/cascade.py:
- they agree: the primary's answer is returned (`agree`);
- they do not (no answer found counts as not agreeing): the next tier answers. A tier with
  `verify:` keeps its answer when it agrees with any earlier answer (a partner it names that
  has not answered yet is called beside it); a tier without, and the top tier, are final
  (`escalated`).
Every call is an `Upstream.complete` walk: retries, cooldowns and cross-cloud fallback as for
any request. When no partner can answer at the start tier, `verify.unverified` decides:
`return` (the default) returns the primary's answer as `skipped:partner_unavailable`, since
escalating every request during a partner's outage would multiply the bill; `escalate` treats
it as a disagreement. When every tier above fails, the best answer in hand is returned as
`skipped:escalation_failed` rather than an error; when the start tier's primary cannot
answer, the partner's answer is returned as `skipped:primary_unavailable` (with `return`), as
the tier's fallback deployment would answer without verification.

Skipped, with the reason in the label: the start tier has no verify (`tier`), the task is not
listed (`task`), tools (`tools`), `n > 1` (`n`), JSON mode (`json_mode`), a stream without
`verify.streaming: buffer` (`stream`), no tier to escalate to (`no_higher_tier`). A buffered
stream is answered by the same calls, not streamed; the stream starts once the answer is
accepted (router/buffered.py replays it in the client's wire format).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from router.buffered import as_stream
from router.cascade import Answer, Kind, agree, extract, kind_for_task
from router.classify.base import Assessment
from router.config import Config, Deployment, VerifyConfig
from router.costs import ModelInfo, Tokens
from router.errors import GatewayError
from router.policy import Candidate, Decision, Needs, needs_of, unfit
from router.upstream import Attempt, Served, Upstream, WireCall

# The checkable task of a request, from what the classifier says (router/classify, used as
# it is): its `task_class` signal, then its kind. A classifier that names a checkable task
# itself (math, multiple_choice, code_output, short_answer) is taken at its word.
_CHECKABLE_CLASSES = {"math_word": "math", "math_competition": "math",
                      "knowledge": "multiple_choice"}
_CHECKABLE_KINDS = {"arithmetic": "math", "word_problem": "math", "debugging": "code_output",
                    "factual": "short_answer", "extraction": "short_answer"}
AGREE = "agree"
ESCALATED = "escalated"
# Errors that are the request's own: the next tier would refuse it too.
_CLIENT_CODES = frozenset({"upstream_rejected", "content_filter"})
_JSON_MODES = ("json_object", "json_schema")


@dataclass(frozen=True)
class Verdict:
    """How a request was answered: the Served returned, the label and the other calls' cost."""

    served: Served
    label: str | None
    other_cost: float = 0.0


@dataclass
class _Asked:
    """One call of the cascade: its attempts, and its answer once it has one."""

    attempts: list[Attempt]
    served: Served | None = None
    error: GatewayError | None = None


def answer_text(response: Mapping[str, Any]) -> str:
    """The text of an answer in OpenAI's chat shape, Anthropic's message shape or a
    Responses API `response` (its message items' `output_text` parts)."""
    if "choices" in response:
        choices = response.get("choices") or [{}]
        content = (choices[0].get("message") or {}).get("content")
    elif "output" in response:
        content = [{**part, "type": "text"} for item in response.get("output") or ()
                   if isinstance(item, Mapping) and item.get("type") == "message"
                   for part in item.get("content") or ()
                   if isinstance(part, Mapping) and part.get("type") == "output_text"]
    else:
        content = response.get("content")
    if isinstance(content, str):
        return content
    return "".join(str(part.get("text", "")) for part in content or ()
                   if isinstance(part, Mapping) and part.get("type") == "text")


def json_mode(body: Mapping[str, Any]) -> bool:
    """Whether the client asked for JSON output (OpenAI response_format, Anthropic
    output_format or output_config.format)."""
    response_format = body.get("response_format")
    if isinstance(response_format, Mapping) and response_format.get("type") in _JSON_MODES:
        return True
    config = body.get("output_config")
    return bool(body.get("output_format")) or (
        isinstance(config, Mapping) and bool(config.get("format"))
    )


def checkable_task(assessment: Assessment) -> str | None:
    """The checkable task (router/cascade.py's kinds) the classifier's Assessment names."""
    if kind_for_task(assessment.task) is not None:
        return assessment.task
    task_class = assessment.signals.get("task_class")
    if isinstance(task_class, str) and task_class in _CHECKABLE_CLASSES:
        return _CHECKABLE_CLASSES[task_class]
    if task_class == "code_reasoning" and assessment.task != "debugging":
        return None  # code to write or explain has no final answer to compare
    return _CHECKABLE_KINDS.get(assessment.task)


class Verifier:
    """The verified cascade for one configuration (built once, shared by every front door)."""

    def __init__(
        self, config: Config, catalog: Mapping[str, ModelInfo], upstream: Upstream
    ) -> None:
        self.upstream = upstream
        self.catalog = catalog
        self.enabled = any(t.verify is not None for t in config.tiers)
        self._verify = {t.name: t.verify for t in config.tiers}
        self._deployments: dict[str, tuple[str, Deployment]] = {
            d.name: (t.name, d) for t in config.tiers for d in t.deployments
        }

    def skip_reason(
        self, decision: Decision, body: Mapping[str, Any], view: Mapping[str, Any], stream: bool
    ) -> str | None:
        """Why this request is not verified (a label suffix), or None when it is."""
        verify = self._verify.get(decision.tier)
        if verify is None:
            return "tier"
        if checkable_task(decision.assessment) not in verify.tasks:
            return "task"
        if view.get("tools") or body.get("tools") or body.get("functions"):
            return "tools"
        if (body.get("n") or 1) > 1:
            return "n"
        if json_mode(body):
            return "json_mode"
        if stream and verify.streaming != "buffer":
            return "stream"
        if len(_tiers_of(decision)) < 2:
            return "no_higher_tier"
        return None

    async def serve(
        self,
        decision: Decision,
        params: dict[str, Any],
        body: Mapping[str, Any],
        view: Mapping[str, Any],
        *,
        stream: bool,
        deadline: float,
        request_id: str,
        call: WireCall | None = None,
    ) -> Verdict:
        """The answer to one request, verified when it applies (see the module's docstring)."""
        reason = self.skip_reason(decision, body, view, stream) if self.enabled else None
        if not self.enabled or reason is not None:
            served = await self.upstream.complete(
                decision, params, stream=stream, deadline=deadline, request_id=request_id,
                call=call,
            )
            return Verdict(served, f"skipped:{reason}" if reason else None)
        kind = kind_for_task(checkable_task(decision.assessment) or "")
        assert kind is not None  # `tasks` holds checkable tasks only (router/config.py)
        verdict = await _Cascade(self, decision, params, needs_of(view), deadline, request_id,
                                 call).run(kind)
        if stream:
            return dataclasses.replace(verdict, served=as_stream(verdict.served))
        return verdict

    def partner_candidates(
        self, partners: Sequence[str], decision: Decision, needs: Needs
    ) -> tuple[Candidate, ...]:
        """The partners that can take this request, in order: not left out by the Decision
        (capability, window, thinking history), credentials set."""
        found = []
        for name in partners:
            tier, dep = self._deployments[name]
            info = self.catalog[name]
            if name not in decision.excluded and unfit(needs, dep, info) is None:
                found.append(Candidate(tier, dep, info.max_context))
        return tuple(found)

    def verify_of(self, tier: str) -> VerifyConfig | None:
        return self._verify.get(tier)

    def cost_of(self, served: Served) -> float:
        usage = served.usage or (served.response or {}).get("usage") or {}
        return self.catalog[served.candidate.deployment.name].cost_of(Tokens.of(usage))


class _Cascade:
    """One request's walk up the tiers."""

    def __init__(
        self,
        verifier: Verifier,
        decision: Decision,
        params: dict[str, Any],
        needs: Needs,
        deadline: float,
        request_id: str,
        call: WireCall | None,
    ) -> None:
        self.v = verifier
        self.decision = decision
        self.params = params
        self.needs = needs
        self.deadline = deadline
        self.request_id = request_id
        self.call = call
        self.asked: list[_Asked] = []

    async def _ask(self, candidates: tuple[Candidate, ...], asked: _Asked) -> _Asked:
        if not candidates:
            asked.error = GatewayError(503, "No deployment can take this request.",
                                       "service_unavailable", "no_deployment")
            return asked
        try:
            asked.served = await self.v.upstream.complete(
                dataclasses.replace(self.decision, candidates=candidates), self.params,
                stream=False, deadline=self.deadline, request_id=self.request_id,
                call=self.call, attempts=asked.attempts,
            )
        except GatewayError as err:
            asked.error = err
        return asked

    def _start(self, candidates: tuple[Candidate, ...]) -> asyncio.Task[_Asked]:
        asked = _Asked([])
        self.asked.append(asked)
        return asyncio.ensure_future(self._ask(candidates, asked))

    async def run(self, kind: Kind) -> Verdict:
        tiers = _tiers_of(self.decision)
        earlier: list[Answer | None] = []
        called: set[tuple[str, ...]] = set()
        primaries: list[Served] = []  # the tiers' answers, lowest tier first
        error: GatewayError | None = None
        for index, tier in enumerate(tiers):
            verify = self.v.verify_of(tier) if index < len(tiers) - 1 else None
            partners = tuple(verify.partners) if verify else ()
            own = tuple(c for c in self.decision.candidates
                        if c.tier == tier and c.deployment.name not in partners)
            primary = self._start(own)
            partner = None
            if partners and partners not in called:
                called.add(partners)
                partner = self._start(
                    self.v.partner_candidates(partners, self.decision, self.needs))
            try:
                first = await primary
                if first.error is not None and first.error.code in _CLIENT_CODES:
                    raise first.error
                second = await partner if partner is not None else None
            except BaseException:
                await _cancel(primary, partner)
                raise
            checked = second.served if second is not None else None
            if checked is not None:
                earlier.append(_answer(checked, kind))
            if first.served is None:
                error = first.error
                if index == 0 and checked is not None and verify and verify.unverified == "return":
                    # As without verification: the tier's other deployment answers.
                    return self._verdict(checked, "skipped:primary_unavailable")
                continue
            primaries.append(first.served)
            answer = _answer(first.served, kind)
            if verify is None:
                return self._verdict(first.served, ESCALATED)
            if index == 0 and second is not None and checked is None and (
                verify.unverified == "return"
            ):
                return self._verdict(first.served, "skipped:partner_unavailable")
            if any(agree(answer, e) for e in earlier):
                return self._verdict(first.served, AGREE if index == 0 else ESCALATED)
            earlier.append(answer)
        if primaries:  # every tier above failed: the best answer in hand, not an error
            return self._verdict(primaries[-1], "skipped:escalation_failed")
        assert error is not None
        raise error

    def _verdict(self, served: Served, label: str) -> Verdict:
        """The answer returned, with every call's attempts (the other answers' as
        `compared`) and what the other calls cost."""
        attempts: list[Attempt] = []
        other_cost = 0.0
        for asked in self.asked:
            mine = asked.served is served
            if asked.served is not None and not mine:
                other_cost += self.v.cost_of(asked.served)
            attempts += [a if mine or a.action != "served"
                         else dataclasses.replace(a, action="compared") for a in asked.attempts]
        return Verdict(dataclasses.replace(served, attempts=attempts), label, other_cost)


def _answer(served: Served, kind: Kind) -> Answer | None:
    return extract(answer_text(served.response or {}), kind)


def _tiers_of(decision: Decision) -> list[str]:
    """The Decision's tiers, in the order its candidates walk them."""
    return list(dict.fromkeys(c.tier for c in decision.candidates))


async def _cancel(*tasks: asyncio.Task[_Asked] | None) -> None:
    for task in tasks:
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
