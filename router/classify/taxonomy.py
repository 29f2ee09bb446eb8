"""What a request asks for: the kind of work, the domain, the expertise and the depth of the ask.

`read(request_text, ask, chars)` returns a `Reading`: one of `lexicon.KINDS`, one of
`lexicon.DOMAINS`, the counts behind them, the inputs of the tier model (READING_INPUTS) and a
confidence. The tier model (learned.py) weighs the inputs:

    prior = w[kind]                            # where the kind of work sits
          + w[domain]
          + w_e * expertise                    # expert vocabulary of the domain, in the ask
          + w_s * stakes                       # medicine, law, finance at expert level
          + w_c * constraints                  # prove, derive, state every assumption, ...
          + w_r * requirements                 # how many distinct things are asked
          + context terms                      # a long context raises analysis, not lookups

HAND_WEIGHTS are the hand-set values of w; `router train` fits them from the labelled traffic
corpus (training/traffic/), shrunk towards the hand-set values (router/classify/traffic.py).

The ask is what the user wrote last (head and tail of the last user turn) plus the head of
the system prompt; pasted material in the middle of a long turn counts only as context
size, so a long log with "what is the timestamp of the first ERROR line?" stays a lookup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from router.classify import answer_format
from router.classify.base import iter_text
from router.classify.cues import WALK_MIN_CHARS, CueSet, WordStarts
from router.classify.lexicon import (
    CONSTRAINT_CUES,
    CONSTRAINT_MULTI,
    DOMAIN_MULTI,
    DOMAIN_TERMS,
    EASY_KINDS,
    KIND_BASE,
    KIND_CUES,
    LONG_FORM_CUES,
    LOOKUP_CUES,
)

ASK_HEAD_CHARS = 500
ASK_TAIL_CHARS = 300
SMALL_TALK_MAX_CHARS = 60
PLAIN_QUESTION_MAX_CHARS = 200
# Words this long are mostly terms of art (any alphabet): the language-independent part of
# technical density.
JARGON_MIN_LETTERS = 12

# How strongly each kind's cue counts when several kinds match (specific beats generic).
KIND_PRIORITY: dict[str, float] = {
    "proof": 3.0,
    "system_design": 2.6,
    "arithmetic": 2.5,
    "agentic": 2.2,
    "debugging": 2.1,
    "rewrite": 2.1,
    "summarisation": 2.0,
    "data_sql": 1.9,
    "code_writing": 1.9,
    "word_problem": 1.9,
    "extraction": 1.8,
    "expert_analysis": 1.6,
    "creative": 1.5,
    "long_context_analysis": 1.2,
    "factual": 1.0,
    "small_talk": 1.0,
}
# A plain question with this many expert terms is read as expert analysis.
EXPERT_KIND_TERMS = 2
HIGH_STAKES = frozenset({"medicine", "law", "finance"})


# English cues match whole words; multilingual ones may take an inflected ending.
_KIND = {k: (CueSet(en), CueSet(multi, open_end=True)) for k, (en, multi) in KIND_CUES.items()}
_DOMAIN = {d: (CueSet(general), CueSet(expert)) for d, (general, expert) in DOMAIN_TERMS.items()}
_DOMAIN_MULTI = {d: CueSet(p, open_end=True) for d, p in DOMAIN_MULTI.items()}
_CONSTRAINT = CueSet(CONSTRAINT_CUES)
_CONSTRAINT_MULTI = CueSet(CONSTRAINT_MULTI, open_end=True)
_LOOKUP = CueSet(LOOKUP_CUES)
_LONG_FORM = CueSet(LONG_FORM_CUES)
_JARGON = re.compile(rf"[^\W\d_]{{{JARGON_MIN_LETTERS},}}")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)]|[a-h][.)])\s+\S", re.MULTILINE)
_IMPERATIVE = re.compile(
    r"(?:^|[.;:!?]\s+|\n|\band\s+)(?:please\s+)?(?:explain|describe|compare|design|implement|write"
    r"|give|list|include|provide|derive|prove|show|discuss|analy[sz]e|evaluate|propose|outline"
    r"|estimate|calculate|compute|identify|recommend|suggest|justify|define|state|summari[sz]e"
    r"|translate|rewrite|add|make|create|build|find|determine|assess|address|cover|handle)\b"
)
# Clause joints of an ask: each pair of them is roughly one more requirement
# ("..., with logging and a cron line").
_CLAUSE = re.compile(r",|;|\band\b|\bwith\b|\bthen\b|\balso\b|\bplus\b")
_CODE = re.compile(
    r"```|^\s*(?:def |class |#include|import |fn |func |public |SELECT |function )", re.MULTILINE
)
_LATEX = re.compile(r"\\[a-zA-Z]{2,}|\$[^$\n]{1,80}\$|\^\{|_\{")


@dataclass(frozen=True)
class Reading:
    """The taxonomy's reading of one request (all counts are of distinct cues)."""

    kind: str
    domain: str
    expert_terms: int
    domain_terms: int
    constraints: int
    requirements: int
    kind_cues: int
    confidence: float
    signals: dict[str, float]
    inputs: tuple[float, ...]  # in READING_INPUTS order: what the tier model weighs


# The reading's inputs to the tier model (learned.py), in order: the kind of work as priced (a
# coding ask in an expert's vocabulary is priced as expert analysis), the domain, and the depth
# and context terms. HAND_WEIGHTS is the hand-set prior on them; `router train` fits the
# shipped weights from the traffic corpus, shrunk towards these (router/classify/traffic.py).
READING_INPUTS: tuple[str, ...] = (
    *(f"kind={k}" for k in KIND_BASE),
    *(f"domain={d}" for d in (*DOMAIN_TERMS, "general")),
    "expertise",
    "stakes",
    "constraints",
    "requirements",
    "context",
    "context_lookup",
    "typeset_maths",
    "tools",
    "long_form",
)
HAND_WEIGHTS: dict[str, float] = {
    **{f"kind={k}": v for k, v in KIND_BASE.items()},
    "expertise": 0.8,
    "stakes": 0.4,
    "constraints": 0.45,
    "requirements": 0.6,
    "context": 0.25,  # a long context raises analysis and code work
    "context_lookup": -0.1,  # and lowers nothing much: a lookup in a long text stays a lookup
    "typeset_maths": 0.4,
    "tools": 0.2,
    "long_form": 0.9,
}



def ask_of(last_user: str, system: str) -> str:
    """The part of the conversation that says what is wanted (bounded in size)."""
    if len(last_user) > ASK_HEAD_CHARS + ASK_TAIL_CHARS:
        last_user = last_user[:ASK_HEAD_CHARS] + "\n" + last_user[-ASK_TAIL_CHARS:]
    return (system[:300] + "\n" + last_user) if system else last_user


def _distinct(pattern: re.Pattern[str], text: str) -> int:
    return len(set(pattern.findall(text)))


_PLAIN_QUESTION = re.compile(
    r"^\s*(?:what|why|how|when|where|who|which|is|are|was|were|do|does|did|can|could|would|will|should"
    r"|has|have)\b[^\n]*\?\s*$"
)


def _kind(
    low: str, n_chars: int, foreign: bool, starts: WordStarts | None = None
) -> tuple[str, int]:
    """The kind whose cues weigh most (KIND_PRIORITY); a lone short question that names no
    kind is a lookup; with no cue at all, "general". The multilingual cues are read when the
    ask has non-ASCII letters, or when no English cue names a kind (bounds the cost)."""
    if n_chars <= PLAIN_QUESTION_MAX_CHARS and _PLAIN_QUESTION.match(low):
        best, best_score, cues = (
            "factual",
            KIND_PRIORITY["factual"] * 0.5,
            0,
        )  # read from its shape, no cue
    else:
        best, best_score, cues = "general", 0.0, 0
    english: dict[str, int] = {}  # each kind's English cue count, for the second pass
    for multilingual in (False, True):
        if multilingual and cues and not foreign:
            break
        for kind, (en, multi) in _KIND.items():
            if kind == "small_talk" and n_chars > SMALL_TALK_MAX_CHARS:
                continue
            if multilingual:
                hits = english[kind] + multi.count(low, starts)
            else:
                hits = english[kind] = en.count(low, starts)
            if hits:
                score = KIND_PRIORITY[kind] * min(hits, 3) ** 0.5
                if score > best_score:
                    best, best_score, cues = kind, score, hits
    return best, cues


def _domain(
    low: str, foreign: bool, starts: WordStarts | None = None
) -> tuple[str, int, int]:
    best, best_score, expert_best, general_best = "general", 0.0, 0, 0
    for domain, (general, expert) in _DOMAIN.items():
        n_expert = expert.count(low, starts) + (
            1 if foreign and _DOMAIN_MULTI[domain].search(low, starts) else 0
        )
        n_general = general.count(low, starts)
        score = 2.0 * n_expert + n_general
        if score > best_score:
            best, best_score, expert_best, general_best = domain, score, n_expert, n_general
    if best_score < 1.0:
        return "general", 0, 0
    return best, expert_best, general_best


def read(text: str, ask: str, chars: int, tools: int = 0) -> Reading:
    """Read the kind, domain, expertise and depth of a request; `text` is the clipped
    conversation, `ask` what the user asked (see ask_of), `chars` the full length."""
    low = ask.lower()
    foreign = not low.isascii()
    starts = WordStarts(low) if len(low) >= WALK_MIN_CHARS else None
    kind, kind_cues = _kind(low, len(ask.strip()), foreign, starts)
    code = _CODE.search(text) is not None
    if kind == "general" and code:
        kind = "debugging"
    if tools and kind in ("general", "factual", "small_talk"):
        kind = "agentic"
    domain, n_expert, n_general = _domain(low, foreign, starts)
    if n_expert >= EXPERT_KIND_TERMS and kind in ("general", "factual", "small_talk"):
        kind = "expert_analysis"  # a question in a practitioner's vocabulary is not a lookup
    base = KIND_BASE[kind]
    if n_expert >= EXPERT_KIND_TERMS and kind in (
        "code_writing",
        "data_sql",
        "debugging",
        "creative",
    ):
        base = max(base, KIND_BASE["expert_analysis"])  # a lock-free queue is not a string reversal
    constraints = _CONSTRAINT.count(low, starts) + (
        _CONSTRAINT_MULTI.count(low, starts) if foreign else 0
    )
    requirements = (
        len(_LIST_ITEM.findall(ask))
        + _distinct(_IMPERATIVE, low)
        + min(ask.count("?"), 4)
        + min(len(_CLAUSE.findall(low[:ASK_HEAD_CHARS])), 8) // 2
    )
    lookup = _LOOKUP.search(low, starts)
    long_form = kind == "creative" and _LONG_FORM.search(low, starts)
    latex = _LATEX.search(ask) is not None

    jargon = min(3, _distinct(_JARGON, low))
    expertise = min(
        2.5,
        0.9 * n_expert + (0.3 if n_expert >= 2 else 0.0) + 0.1 * min(n_general, 5) + 0.25 * jargon,
    )
    stakes = 1.0 if domain in HIGH_STAKES and n_expert else 0.0
    depth_constraints = min(3.0, float(constraints))
    depth_requirements = math.log1p(max(0, requirements - 1)) / math.log(4.0)
    context_kchars = max(0.0, math.log2(max(chars, 1) / 2000.0))  # 0 below 2,000 characters
    easy_context = kind in EASY_KINDS or (lookup and kind not in ("proof", "system_design"))
    priced_kind = "expert_analysis" if base > KIND_BASE[kind] else kind
    values = {
        f"kind={priced_kind}": 1.0,
        f"domain={domain}": 1.0,
        "expertise": expertise,
        "stakes": stakes,
        "constraints": depth_constraints,
        "requirements": depth_requirements,
        "context": 0.0 if easy_context else context_kchars,
        "context_lookup": context_kchars if easy_context else 0.0,
        "typeset_maths": 1.0 if latex else 0.0,
        "tools": 1.0 if tools else 0.0,
        "long_form": 1.0 if long_form else 0.0,
    }
    inputs = tuple(values.get(name, 0.0) for name in READING_INPUTS)
    confidence = _confidence(
        kind, kind_cues, n_expert, constraints, requirements, chars, lookup, text
    )
    confidence -= (
        0.1 * jargon + 0.05 * max(0, n_general - 1) + (0.15 if domain in HIGH_STAKES else 0.0)
    )
    confidence = round(max(0.0, confidence), 4)
    if long_form:
        confidence = min(confidence, 0.4)
    signals = {
        "kind_cues": float(kind_cues),
        "expert_terms": float(n_expert),
        "jargon_words": float(jargon),
        "domain_terms": float(n_general),
        "constraints": float(constraints),
        "requirements": float(requirements),
        "context_chars": float(chars),
        "lookup_ask": 1.0 if lookup else 0.0,
    }
    return Reading(
        kind,
        domain,
        n_expert,
        n_general,
        constraints,
        requirements,
        kind_cues,
        confidence,
        signals,
        inputs,
    )


def _confidence(
    kind: str,
    kind_cues: int,
    n_expert: int,
    constraints: int,
    requirements: int,
    chars: int,
    lookup: bool,
    text: str,
) -> float:
    """How sure the reading is that the request is as easy (or as hard) as it reads.

    High for an easy kind (lexicon.EASY_KINDS, or a short one-line coding ask) named by its own
    cue with no expert vocabulary and no demanding constraint; each expert term, constraint or
    extra requirement takes some away; any other kind, a request that names no kind, or one in
    a script none of the cues read, starts below the cheapest tier's bar."""
    if kind in EASY_KINDS:
        c = (
            0.55 + 0.15 * min(kind_cues, 2) if kind_cues else 0.5
        )  # a plain short question: just enough
    elif kind == "code_writing" and chars <= 200 and requirements <= 1:
        c = 0.55  # short simple code
    else:
        c = 0.3
    c -= 0.25 * n_expert + 0.2 * constraints + 0.05 * max(0, requirements - 3)
    if chars > 4000 and not lookup and kind not in EASY_KINDS:
        c -= 0.2
    non_ascii = sum(1 for ch in text[:400] if ord(ch) > 127) / max(1, min(len(text), 400))
    if non_ascii > 0.3 and kind_cues == 0:
        c -= 0.2
    return round(max(0.0, min(1.0, c)), 4)


def ask_parts(request: Mapping[str, Any]) -> tuple[str, str]:
    """(last user turn's text without answer-format instructions, system prompt's text)."""
    last_user, system = "", ""
    for role, text in iter_text(request):
        if role == "user":
            last_user = text
        elif role in ("system", "developer") and not system:
            system = text
    return answer_format.strip(last_user), system


_STEM_CHOICE = re.compile(r"^\s*\(?[A-Ea-e][.):]\s+\S", re.MULTILINE)

# The vector the learned open term weighs (order fixed; see open_vector). Not the length of
# the context: on the open prompts the gain grows with length, which would undo the reading of
# short hard asks and long easy ones.
OPEN_NAMES: tuple[str, ...] = (
    *(f"kind={k}" for k in KIND_BASE),
    *(f"domain={d}" for d in (*DOMAIN_TERMS, "general")),
    "expert_terms",
    "domain_terms",
    "constraints",
    "requirements",
)


def stem_of(text: str) -> str:
    """A multiple-choice question without its options (the text before the first option line)."""
    m = _STEM_CHOICE.search(text)
    return text[: m.start()].rstrip() if m else text


def read_request(
    request: Mapping[str, Any], text: str, multiple_choice: bool = False, ask: str | None = None
) -> Reading:
    """The Reading of a request whose joined text is `text` (and whose `request_ask` is `ask`,
    when the caller has it); a multiple-choice question is read from its stem, so that it
    reads like the same question asked openly."""
    if multiple_choice:
        text = stem_of(text)
    tools = len(request.get("tools") or ())
    return read(text, request_ask(request, multiple_choice) if ask is None else ask, len(text),
                tools)


def request_ask(request: Mapping[str, Any], multiple_choice: bool = False) -> str:
    """What a request asks (see ask_of); a multiple-choice question's stem only."""
    last_user, system = ask_parts(request)
    return ask_of(stem_of(last_user) if multiple_choice else last_user, system)


def open_vector(r: Reading) -> list[float]:
    """The Reading as numbers in OPEN_NAMES order."""
    kinds = [1.0 if r.kind == k else 0.0 for k in KIND_BASE]
    domains = [1.0 if r.domain == d else 0.0 for d in (*DOMAIN_TERMS, "general")]
    return [
        *kinds,
        *domains,
        min(r.expert_terms, 4) / 4.0,
        min(r.domain_terms, 8) / 8.0,
        min(r.constraints, 4) / 4.0,
        min(r.requirements, 8) / 8.0,
    ]
