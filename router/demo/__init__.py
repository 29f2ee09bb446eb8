"""`router demo`: the whole request path on simulated clouds, without any provider key.

    router demo                 # gateway on 127.0.0.1:8080 (or a free port); Ctrl-C stops it
    router demo --traffic 50    # the same, then 50 mixed requests and what happened to them

The simulated clouds (`router.fakeprovider.simulate`) answer like the three Claude
tiers of config/default.yaml, one of them flaky (see `router.demo.world`).
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="run the gateway on simulated providers (no key needed) and show what it does",
        description="Start simulated clouds (OpenAI and Anthropic wire formats, realistic "
                    "latencies, one of them flaky) and the gateway on 127.0.0.1, with the "
                    "tiers, models and prices of config/default.yaml.",
        epilog="examples: router demo | router demo --traffic 50",
    )
    parser.add_argument("--port", type=int, default=None,
                        help="gateway port (default 8080, or a free port if 8080 is taken; "
                             "0: a free port)")
    parser.add_argument("--traffic", type=int, metavar="N", default=None,
                        help="send N mixed requests, print what happened, and exit "
                             "(1 if any request got neither an answer nor a correct error)")
    parser.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from router.demo.command import run  # the simulated clouds and the server load only here

    return run(args)
