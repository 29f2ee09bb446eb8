"""How much Redis memory shared state takes: N warm conversations' affinity memories.

    .venv/bin/python -m bench.redis_memory --conversations 100000

Starts its own redis-server (a free 127.0.0.1 port), writes N memories exactly as
router/state/affinity.py does (a 64-hex-digit conversation key, two warm deployments),
and prints `used_memory` before and after.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

import redis

from bench._procs import start_redis
from router.affinity import Memory
from router.state.affinity import dump


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.redis_memory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    args = parser.parse_args(argv)
    server = start_redis(Path(tempfile.mkdtemp(prefix="tianji-redis-memory-")))
    try:
        client = redis.Redis.from_url(server.url)
        before = int(client.info("memory")["used_memory"])
        memory = Memory("large", "anthropic-opus", {"anthropic-opus": (1.7e9, 48_000),
                                                    "bedrock-opus": (1.7e9, 46_000)})
        value = dump(memory)
        pipe = client.pipeline(transaction=False)
        for i in range(args.conversations):
            digest = hashlib.sha256(str(i).encode()).hexdigest()
            pipe.set(f"tianji:aff:prefix:{digest}", value, px=300_000)
            if i % 1000 == 999:
                pipe.execute()
        pipe.execute()
        after = int(client.info("memory")["used_memory"])
    finally:
        server.stop()
    used = after - before
    print(f"{args.conversations} conversations: {used / 1e6:.1f} MB "
          f"({used / args.conversations:.0f} bytes each; value {len(value)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
