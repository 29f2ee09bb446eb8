"""The `router` command: serve | check | route | train | score | eval | calibrate | stats |
keys.

    router serve --config config/default.yaml
    router check --config config/default.yaml
    router route --config config/default.yaml "Prove that there are infinitely many primes"

Each subcommand's module keeps heavy imports inside its functions, so that
`router route` answers without importing litellm.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from typing import Any

# Modules that add their own subcommand through `register(subparsers)`.
_COMMAND_MODULES = (
    "router.classify.train",
    "router.score_cmd",
    "router.evaluate",
    "router.calibrate",
    "router.demo",
    "router.ops.stats_cmd",
    "router.keys_cmd",
)
_BUILT_IN = frozenset({"serve", "check", "route"})
_DEFAULT_CONFIG = os.environ.get("TIANJI_CONFIG", "config/default.yaml")


def _load(path: str) -> Any:
    from router.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        default=_DEFAULT_CONFIG,
        metavar="PATH",
        help="YAML config (default: $TIANJI_CONFIG or config/default.yaml)",
    )


def cmd_check(args: argparse.Namespace) -> int:
    from router.costs import build_catalog

    config = _load(args.config)
    catalog = build_catalog(config)
    missing_any = False
    assumed: list[str] = []
    print(f"config {args.config}: valid")
    print(
        f"auth: {len(config.server.api_keys)} API key(s), {len(config.keys)} with policy"
        if config.server.api_keys or config.keys
        else "auth: none (anyone who can reach the port can use it)"
    )
    if config.state.redis_url:
        print(f"state: shared through Redis (prefix {config.state.prefix!r})")
    print(f"classifier: {config.classifier.kind}")
    covered = False  # a lower tier takes every difficulty (max_difficulty 1.0)
    for tier in config.tiers:
        bound = "rest" if tier.max_difficulty is None else f"<= {tier.max_difficulty}"
        bound = "none (reached by escalation)" if covered else bound
        covered = covered or tier.max_difficulty == 1.0
        aliases = f" (aliases: {', '.join(tier.aliases)})" if tier.aliases else ""
        print(f"\ntier {tier.name}{aliases}: difficulty {bound}")
        if tier.verify is not None:
            v = tier.verify
            print(f"  verify: partners {', '.join(v.partners)}; tasks {', '.join(v.tasks)}; "
                  f"streams {v.streaming}; no partner answer: {v.unverified}")
        for dep in tier.deployments:
            info = catalog[dep.name]
            price = (
                f"${info.input_cost * 1e6:g}/${info.output_cost * 1e6:g} per 1M"
                if info.priced and info.input_cost is not None and info.output_cost is not None
                else "price unknown (set `price:`)"
            )
            window = f"{info.max_context:,} tokens" if info.max_context else "window unknown"
            status = "ready"
            if dep.missing_env:
                status = f"MISSING {', '.join(dep.missing_env)}"
                missing_any = True
            print(f"  - {dep.name:<22} {dep.model}")
            supports = ", ".join(sorted(info.supports)) or "-"
            if info.assumed_text_only:
                supports = ("text only (assumed: the model is not in litellm's table; list what "
                            "it takes under `supports:`)")
                assumed.append(dep.name)
            print(f"    {price}; {window}; supports {supports}")
            print(f"    credentials: {status}")
    missing_any |= _check_embeddings(config, catalog)
    if missing_any:
        print("\nsome deployments lack credentials; they are skipped until the variables are set")
    if assumed:
        print(f"\nassumed text-only (no tools, images or JSON mode sent to them): "
              f"{', '.join(assumed)}; set `supports: [tools, vision, json]` as they apply")
    return 0


def _check_embeddings(config: Any, catalog: Any) -> bool:
    """Print the `embeddings:` deployments; True when one of them lacks credentials."""
    if not config.embeddings:
        print("\nembeddings: none configured (POST /v1/embeddings answers 404)")
        return False
    print(f"\nembeddings (model names: {', '.join(config.embedding_names())}):")
    missing = False
    for dep in config.embeddings:
        info = catalog[dep.name]
        price = (f"${info.input_cost * 1e6:g} per 1M input tokens"
                 if info.input_cost is not None else "price unknown (set `price:`)")
        window = f"{info.max_context:,} tokens" if info.max_context else "window unknown"
        status = f"MISSING {', '.join(dep.missing_env)}" if dep.missing_env else "ready"
        missing |= bool(dep.missing_env)
        print(f"  - {dep.name:<22} {dep.model}")
        print(f"    {price}; {window}")
        print(f"    credentials: {status}")
    return missing


def cmd_route(args: argparse.Namespace) -> int:
    from router.classify import load_classifier
    from router.classify.base import prompt_request
    from router.costs import build_catalog
    from router.policy import PolicyError, Route, decide, needs_of

    config = _load(args.config)
    request = json.loads(args.prompt) if args.json else prompt_request(args.prompt)
    classifier = load_classifier(config.classifier.kind, config.classifier.weights)
    try:
        decision = decide(
            config,
            build_catalog(config),
            needs_of(request),
            classifier.score(request),
            Route(args.model, args.min_tier, args.max_tier),
        )
    except PolicyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(decision.explain(), indent=2))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import gc
    import logging

    # Start-up makes some 170k long-lived objects and next to no garbage (~2k objects in
    # cycles): the collector's passes over them while they are made are wasted. The app
    # factory freezes them and turns the collector on (router/startup.py `settle_heap`);
    # with several workers this process only supervises them, with the collector on.
    gc.disable()
    import uvicorn

    from router.logs import configure_logging
    from router.redact import Redactor, secret_values
    from router.serving import uvicorn_options

    config = _load(args.config)
    configure_logging(Redactor(secret_values(config)))
    log = logging.getLogger("tianji.serve")
    host = args.host or config.server.host
    port = args.port or config.server.port
    if not config.server.api_keys and not config.keys:
        log.warning("no server.api_keys configured: the gateway accepts requests without a key")
    listed = [(t.name, d) for t in config.tiers for d in t.deployments]
    listed += [("embeddings", d) for d in config.embeddings]
    for tier, dep in listed:
        if dep.missing_env:
            log.warning(
                f"deployment {dep.name} (tier {tier}) lacks credentials: "
                f"{', '.join(dep.missing_env)}; it is skipped until they are set"
            )
    log.info(f"Tianji listening on http://{host}:{port}/v1 (tiers: "
             f"{', '.join(t.name for t in config.tiers)})")
    os.environ["TIANJI_CONFIG"] = os.path.abspath(args.config)
    if args.workers > 1:
        gc.enable()
    uvicorn.run(
        "router.api:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=10,
        **uvicorn_options(config),
    )
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; for one of the built-in commands (serve, check, route) only
    those, so that serving does not import the other commands' modules."""
    parser = argparse.ArgumentParser(
        prog="router",
        description="Tianji: route each LLM request to the cheapest tier that can do it.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="run the OpenAI-compatible gateway",
        epilog="example: router serve --config config/default.yaml --port 8080",
    )
    _config_arg(serve)
    serve.add_argument("--host", help="bind address (default: server.host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: server.port, 8080)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.set_defaults(func=cmd_serve)

    check = sub.add_parser(
        "check",
        help="validate a config; list tiers, deployments and missing credentials",
        epilog="exit code 0 when the config is valid, 2 when it is not",
    )
    _config_arg(check)
    check.set_defaults(func=cmd_check)

    route = sub.add_parser(
        "route",
        help="show the routing decision for a prompt (offline, no provider call)",
        epilog='example: router route "Translate \'good morning\' to French"',
    )
    _config_arg(route)
    route.add_argument("prompt", help="the prompt, or a JSON request body with --json")
    route.add_argument("--json", action="store_true", help="PROMPT is an OpenAI request body")
    route.add_argument("--model", default="auto", help="auto, a tier or an alias (default auto)")
    route.add_argument("--min-tier", help="floor tier, as the x-tianji-min-tier header")
    route.add_argument("--max-tier", help="ceiling tier, as the x-tianji-max-tier header")
    route.set_defaults(func=cmd_route)

    if command not in _BUILT_IN:
        for name in _COMMAND_MODULES:
            importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from router.classify.embedding import EmbeddingUnavailable

    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        code: int = args.func(args)
    except EmbeddingUnavailable as err:  # the classifier cannot start: say what to install
        print(f"error: {err}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
