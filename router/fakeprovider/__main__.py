"""Run the fake provider standalone: `python -m router.fakeprovider --port 9000`."""

from __future__ import annotations

import argparse
import json

import uvloop

from .faults import TRANSIENT_FAULTS, Fault
from .httpserver import serve
from .service import Behaviour, Service


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m router.fakeprovider",
        description="Fault-injecting fake OpenAI/Anthropic provider. Deployment <id> lives at "
                    "http://HOST:PORT/d/<id>/v1 (openai api_base) and http://HOST:PORT/d/<id> "
                    "(anthropic api_base); steer it with /_admin/... (see README.md).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--failure-rate", type=float, default=0.0,
                        help="fraction of calls failing with a random transient fault")
    parser.add_argument("--random-faults", metavar="JSON",
                        help="JSON list of fault objects that --failure-rate draws from "
                             "uniformly (repeat one to weight it); default: 429, 500, 502, "
                             "503, 504, reset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds before each answer's first byte")
    parser.add_argument("--chunk-delay", type=float, default=0.0,
                        help="seconds between stream events")
    args = parser.parse_args()

    random_faults = (TRANSIENT_FAULTS if args.random_faults is None else
                     [Fault.from_json(f) for f in json.loads(args.random_faults)])
    service = Service(failure_rate=args.failure_rate, seed=args.seed,
                      behaviour=Behaviour(latency=args.latency, chunk_delay=args.chunk_delay),
                      random_faults=random_faults)

    async def run() -> None:
        server = await serve(service.handle, args.host, args.port)
        print(f"fakeprovider listening on http://{args.host}:{args.port}", flush=True)
        await server.serve_forever()

    loop = uvloop.new_event_loop()
    try:
        loop.run_until_complete(run())
    except KeyboardInterrupt:
        pass
    finally:
        loop.close()


if __name__ == "__main__":
    main()
