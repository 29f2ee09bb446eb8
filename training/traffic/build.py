"""Assemble the traffic training corpus into requests.jsonl.

    python training/traffic/build.py           # write requests.jsonl
    python training/traffic/build.py --check   # exit 1 if requests.jsonl is not what it writes

Every line: id, messages (OpenAI chat format; some with `tools`), tier, reason, kind, domain,
family (the template: all variants of one ask share it, and cross-validation folds by it),
lang, writer (who wrote the ask: `w1` for the first lists, `w2` for asks_w2.py, `w3` for
asks_w3.py, `w4` for asks_w4.py, `w5` for asks_w5.py), and, where they apply, group
(short_hard / long_easy) and pair. Writer w3's requests also carry `response_format` or
`max_tokens`, and assistant tool calls and tool results in `messages`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import asks_everyday  # noqa: E402
import asks_expert  # noqa: E402
import asks_languages  # noqa: E402
import asks_midlength  # noqa: E402
import asks_more  # noqa: E402
import asks_pasted  # noqa: E402
import asks_w2  # noqa: E402
import asks_w3  # noqa: E402
import asks_w4  # noqa: E402
import asks_w5  # noqa: E402
import materials  # noqa: E402
from labels import DOMAINS, KINDS, LANGS, TIERS  # noqa: E402

OUT = HERE / "requests.jsonl"
SHORT_HARD_MAX_CHARS = 300
LONG_EASY_MIN_CHARS = 2000
# How many variants of each generated material every ask is sent with.
GENERATED = {
    "app_log": (materials.app_log, 4),
    "access_log": (materials.access_log, 4),
    "orders_csv": (materials.orders_csv, 4),
    "transcript": (materials.transcript, 4),
    "contract": (materials.contract, 4),
    "code_review_diff": (materials.code_review_diff, 3),
    "article": (lambda v: materials.ARTICLE, 2),
    "py_module": (lambda v: materials.PY_MODULE, 2),
    "discharge": (lambda v: materials.DISCHARGE, 2),
}
LEADS = ("", "Here it is:\n\n", "Pasting below.\n\n", "From this morning:\n\n")


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def item(
    family: str,
    n: int,
    row: tuple[str, str, str, str, str],
    messages: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    tier, kind, domain, _, reason = row
    if tier not in TIERS:
        raise ValueError(f"{family}: tier {tier!r}")
    out = {
        "id": f"{family}#{n}",
        "messages": messages,
        "tier": tier,
        "reason": reason,
        "kind": KINDS[kind],
        "domain": DOMAINS[domain],
        "family": family,
        "lang": "en",
        "writer": "w1",
    }
    out.update(extra)
    if out["lang"] not in LANGS:
        raise ValueError(f"{family}: lang {out['lang']!r}")
    return out


def pasted(material: str, text: str, ask: str, variant: int) -> str:
    fenced = f"```\n{text}\n```" if material in ("py_module", "code_review_diff") else text
    if ask.endswith(":") or variant % 2:
        return f"{ask}\n\n{fenced}"
    return f"{LEADS[variant % len(LEADS)]}{fenced}\n\n{ask}"


def build() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name, rows in (
        ("everyday", asks_everyday.ROWS),
        ("expert", asks_expert.ROWS),
        ("more", asks_more.ROWS),
        ("mid", asks_midlength.ROWS),
    ):
        for i, row in enumerate(rows):
            items.append(item(f"{name}-{i:03d}", 0, row, [user(row[3])]))
    for i, (tier, kind, domain, lang, ask, reason) in enumerate(asks_languages.ROWS):
        items.append(
            item(f"lang-{i:03d}", 0, (tier, kind, domain, ask, reason), [user(ask)], lang=lang)
        )
    for i, (tier, kind, domain, open_ask, mc_ask, reason) in enumerate(asks_languages.PAIRS):
        for n, (suffix, ask) in enumerate((("o", open_ask), ("m", mc_ask))):
            items.append(
                item(
                    f"pair-{i:03d}",
                    n,
                    (tier, kind, domain, ask, reason),
                    [user(ask)],
                    pair=f"pair-{i:03d}{suffix}",
                )
            )
    for material, rows in asks_pasted.ASKS.items():
        make, variants = GENERATED[material]
        for i, row in enumerate(rows):
            for v in range(variants):
                items.append(
                    item(
                        f"{material}-{i:02d}", v, row, [user(pasted(material, make(v), row[3], v))]
                    )
                )
    for i, row in enumerate(asks_pasted.SUPPORT_ASKS):
        system = {"role": "system", "content": materials.SUPPORT_POLICY}
        before = [
            user("Hi, I have a question about my order."),
            {
                "role": "assistant",
                "content": "Hi! I'm Sunny. Happy to help - what would you like to know?",
            },
        ]
        for v, earlier in enumerate(([], before)):
            items.append(item(f"support-{i:02d}", v, row, [system, *earlier, user(row[3])]))
    for i, row in enumerate(asks_pasted.CHAT_ASKS):
        for v in range(4):
            items.append(item(f"chat-{i:02d}", v, row, [*materials.chat_history(v), user(row[3])]))
    for i, (tier, kind, domain, tools, ask, reason) in enumerate(asks_pasted.AGENT_ASKS):
        row = (tier, kind, domain, ask, reason)
        system = {
            "role": "system",
            "content": "You are an assistant that acts through the tools provided. "
            "Call tools rather than guessing.",
        }
        for v, head in enumerate(([], [system])):
            items.append(
                item(
                    f"agent-{i:02d}", v, row, [*head, user(ask)], tools=materials.tool_specs(tools)
                )
            )
    for i, row in enumerate(asks_pasted.SYSTEM_APP_ASKS):
        for v in range(2):
            items.append(
                item(
                    f"style-{i:02d}",
                    v,
                    row,
                    [{"role": "system", "content": materials.style_guide(v)}, user(row[3])],
                )
            )
    for family, n, row, messages, extra in asks_w2.requests():
        items.append(item(family, n, row, messages, writer="w2", **extra))
    for writer, asks in (("w3", asks_w3), ("w4", asks_w4), ("w5", asks_w5)):
        for family, tier, kind, domain, lang, reason, requests in asks.entries():
            for v, request in enumerate(requests):
                fields = {k: value for k, value in request.items() if k != "messages"}
                row = (tier, kind, domain, "", reason)
                messages = request["messages"]
                items.append(
                    item(f"{writer}-{family}", v, row, messages, lang=lang, writer=writer, **fields)
                )
    for it in items:
        chars = sum(len(m.get("content") or "") for m in it["messages"])
        if it["tier"] == "large" and chars <= SHORT_HARD_MAX_CHARS:
            it["group"] = "short_hard"
        elif it["tier"] == "small" and chars >= LONG_EASY_MIN_CHARS:
            it["group"] = "long_easy"
    ids = [it["id"] for it in items]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate ids")
    return items


def render(items: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(it, ensure_ascii=False, sort_keys=True) + "\n" for it in items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python training/traffic/build.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} requests)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
