"""`router keys add`: make an API key, print it once, and write its `keys:` entry.

    router keys add team-search --max-tier medium --daily-usd 20 --config tianji.yaml

The key itself is printed once and stored nowhere; the config gets only its SHA-256.
With `--config` the entry is appended to that file's `keys:` list (the file is
re-validated first and after); without it the entry is printed as YAML to paste.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from router.keys import KeyEntry, hash_key, new_key


def register(sub: Any) -> None:
    keys = sub.add_parser("keys", help="API keys with policy: add one",
                          epilog="example: router keys add team-a --daily-usd 20 "
                          "--config tianji.yaml")
    actions = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="make a key, print it once, write its hash entry")
    add.add_argument("id", help="the key's name in logs, metrics and errors")
    add.add_argument("--config", metavar="PATH", help="append the entry to this config's keys:")
    add.add_argument("--max-tier", help="highest tier the key may use")
    add.add_argument("--rpm", type=int, help="requests per minute")
    add.add_argument("--tpm", type=int, help="tokens per minute")
    add.add_argument("--daily-usd", type=float, help="spend budget per UTC day")
    add.add_argument("--monthly-usd", type=float, help="spend budget per UTC month")
    add.set_defaults(func=cmd_add)


def cmd_add(args: argparse.Namespace) -> int:
    from router.config import ConfigError, load_config, parse_config

    key = new_key()
    fields = {"id": args.id, "sha256": hash_key(key), "max_tier": args.max_tier,
              "requests_per_minute": args.rpm, "tokens_per_minute": args.tpm,
              "daily_usd": args.daily_usd, "monthly_usd": args.monthly_usd}
    try:
        entry = KeyEntry.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    data = entry.model_dump(exclude_none=True)
    if args.config:
        path = Path(args.config)
        try:
            load_config(path)
            text = path.read_text(encoding="utf-8")
            raw = yaml.safe_load(text)
            raw.setdefault("keys", []).append(data)
            parse_config(raw)
        except ConfigError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        top = re.findall(r"^([A-Za-z_][A-Za-z0-9_]*):(.*)$", text, re.MULTILINE)
        item = _indent(yaml.safe_dump([data], sort_keys=False))
        if not any(name == "keys" for name, _ in top):
            addition = "\nkeys:\n" + item
        elif top[-1] == ("keys", "") :
            addition = item  # the block list ends the file: one more item
        else:
            print(f"error: {path}'s keys: is not a block list at the end of the file; add "
                  "this entry to it by hand:\n" + item, file=sys.stderr)
            return 2
        with path.open("a", encoding="utf-8") as out:  # appended: comments above stay
            out.write(addition if text.endswith("\n") else "\n" + addition)
        print(f"added key {entry.id!r} to {path} (its SHA-256 only)")
    else:
        print(yaml.safe_dump({"keys": [data]}, sort_keys=False), end="")
    print(f"key (shown once, store it now): {key}")
    return 0


def _indent(text: str) -> str:
    return "".join("  " + line for line in text.splitlines(keepends=True))
