"""Write requests.jsonl, the open-traffic check set, from the hand-written items.

    python tests/open_traffic/build.py          # rewrites tests/open_traffic/requests.jsonl
    python tests/open_traffic/build.py --check  # exit 1 if the committed file differs

The requests, labels and reasons are written by hand in the `items_*.py` modules;
long pasted material (logs, tables, a contract, articles, code) comes from
`texts.py` and `docs/`. The output is deterministic; a test checks that the
committed file is what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "requests.jsonl"
BATCHES = (
    "items_short_hard",
    "items_long_easy",
    "items_everyday",
    "items_work",
    "items_expert",
    "items_deep",
    "items_review",
)


def doc(name: str) -> str:
    """A document from docs/, as pasted into a request."""
    return (HERE / "docs" / name).read_text(encoding="utf-8").strip()


def item(
    id: str,
    tier: str,
    kind: str,
    domain: str,
    reason: str,
    user: str,
    *,
    system: str | None = None,
    turns: list[tuple[str, str] | dict[str, Any]] | None = None,
    group: str | None = None,
    pair: str | None = None,
    **request: Any,
) -> dict[str, Any]:
    """One labelled request: optional system prompt, earlier turns, then the user's message.

    A turn is (role, text) or a full message dict (assistant tool calls, tool results);
    extra keyword arguments (tools, response_format, max_tokens) go into the request body.
    """
    messages: list[dict[str, Any]] = []
    if system:
        messages.append({"role": "system", "content": system})
    for turn in turns or ():
        messages.append(turn if isinstance(turn, dict) else {"role": turn[0], "content": turn[1]})
    messages.append({"role": "user", "content": user})
    row: dict[str, Any] = {"id": id, "messages": messages, **request}
    row.update(tier=tier, reason=reason, kind=kind, domain=domain)
    if group:
        row["group"] = group
    if pair:
        row["pair"] = pair
    return row


def build() -> list[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    rows: list[dict[str, Any]] = []
    for name in BATCHES:
        module = __import__(name)
        rows.extend(module.ITEMS)
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    """The JSONL text of the check set: one request per line, UTF-8 kept as written."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str]) -> int:
    rows = build()
    text = render(rows)
    if argv == ["--check"]:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is not what build.py writes; run build.py", file=sys.stderr)
            return 1
        print(f"{OUT}: {len(rows)} requests, as build.py writes them")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} requests to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
