"""`router score`: batch-score JSONL requests from stdin.

Each input line is {"prompt": "..."} or an OpenAI request body {"messages": [...]};
each output line is {"difficulty": float, "task": str, "domain": str, "confidence": float},
in the same order.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _row(a: Any) -> dict[str, Any]:
    return {
        "difficulty": a.difficulty,
        "task": a.task,
        "domain": a.domain,
        "confidence": a.confidence,
    }


def run(args: argparse.Namespace) -> int:
    from router.classify import load_classifier
    from router.data import read_requests
    from router.evaluate import classifier_from_config

    kind, weights = classifier_from_config(args.config)
    clf = load_classifier(args.classifier or kind, args.weights or weights)
    out = sys.stdout
    try:
        for request in read_requests(sys.stdin):
            a = clf.score(request)
            row = _row(a)
            if args.signals:
                row["signals"] = dict(a.signals)
            out.write(json.dumps(row) + "\n")
    except (ValueError, json.JSONDecodeError) as exc:
        print(f"router score: {exc}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score JSONL requests from stdin: one {difficulty, task, domain, confidence} line per "
             "input line",
        description=(
            'Read JSONL from stdin, one object per line: {"prompt": "..."} or an OpenAI '
            'request body {"messages": [...]}. Write one JSONL line '
            '{"difficulty": float, "task": str, "domain": str, "confidence": float} '
            "per input line, in order."
        ),
        epilog=(
            "examples:\n"
            '  echo \'{"prompt": "Prove that sqrt(2) is irrational."}\' | router score\n'
            "  router score --config config/default.yaml < logged_requests.jsonl > scores.jsonl\n"
            "  router score --classifier rules --signals < requests.jsonl\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", help="take classifier.kind/weights from this YAML config")
    parser.add_argument(
        "--classifier", choices=("learned", "rules"), help="override the classifier kind"
    )
    parser.add_argument("--weights", help="weights file for the learned classifier")
    parser.add_argument(
        "--signals", action="store_true", help="also write the signals behind each score"
    )
    parser.set_defaults(func=run)
