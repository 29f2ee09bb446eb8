"""What the benchmark starts: the fake upstream, Tianji, and the LiteLLM proxy, with configs
that send every request to the same fake deployment over the same wire format.
"""

from __future__ import annotations

import hashlib
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

from bench._procs import Proc, free_port, spawn

REPO = Path(__file__).resolve().parent.parent
PROXY_VENV = REPO / "bench" / ".venv-litellm-proxy"
# 1.82.7 and 1.82.8 were compromised releases: pin exactly, never to those.
PROXY_REQUIREMENT = "litellm[proxy]==1.106.2"
PROVIDER_KEY = "sk-fake-bench-provider-key-0123456789"
# Clients authenticate to both gateways with this key (Tianji: server.api_keys; the proxy:
# LITELLM_MASTER_KEY, which 1.106 requires before it starts). New for every run.
GATEWAY_KEY = "sk-bench-" + secrets.token_hex(16)
TIERS = ("small", "medium", "large")
_ENV = {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONUNBUFFERED": "1"}


def start_fake(workdir: Path) -> Proc:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    return spawn("fake upstream", [sys.executable, "-m", "router.fakeprovider", "--host",
                                   "127.0.0.1", "--port", str(port)],
                 url, "/_admin/health", workdir / "fake.log", env=_ENV, cwd=str(REPO))


def deployment(fake_url: str, wire: str, tier: str) -> dict[str, object]:
    """One fake deployment per tier, as litellm parameters (Tianji and the proxy share it)."""
    dep_id = f"bench-{tier}"
    if wire == "anthropic":
        return {"model": f"anthropic/claude-fake-{tier}", "api_base": f"{fake_url}/d/{dep_id}",
                "api_key": PROVIDER_KEY}
    return {"model": f"openai/gpt-fake-{tier}", "api_base": f"{fake_url}/d/{dep_id}/v1",
            "api_key": PROVIDER_KEY}


def upstream_direct(fake_url: str, wire: str) -> tuple[str, dict[str, object]]:
    """URL and body shape for calling the fake deployment with no gateway in between."""
    if wire == "anthropic":
        return f"{fake_url}/d/bench-small/v1/messages", {"model": "claude-fake-small",
                                                          "max_tokens": 256}
    return f"{fake_url}/d/bench-small/v1/chat/completions", {"model": "gpt-fake-small"}


def classifier_kind() -> str:
    """`learned` when its module and shipped weights exist, else `rules`."""
    learned = REPO / "router" / "classify" / "learned.py"
    weights = REPO / "router" / "classify" / "weights" / "learned.npz"
    return "learned" if learned.exists() and weights.exists() else "rules"


def price(tier: str) -> tuple[float, float]:
    """USD per million input and output tokens of a tier's fake model (both gateways get it)."""
    i = TIERS.index(tier)
    return 1.0 * 5**i, 5.0 * 5**i


def tianji_config(fake_url: str, wire: str, classifier: str, path: Path,
                  redis_url: str | None = None) -> None:
    """The bench config; with `redis_url`, state in Redis and the client's key as a `keys:`
    entry with (unreachable) limits and budgets, so every request pays for them."""
    tiers = []
    for i, tier in enumerate(TIERS):
        inp, out = price(tier)
        dep = {"name": f"fake-{tier}", **deployment(fake_url, wire, tier),
               "price": {"input": inp, "output": out}, "max_context": 200_000}
        entry: dict[str, object] = {"name": tier, "deployments": [dep]}
        if i < len(TIERS) - 1:
            entry["max_difficulty"] = (0.33, 0.66)[i]
        tiers.append(entry)
    config: dict[str, object] = {"server": {"host": "127.0.0.1", "api_keys": [GATEWAY_KEY]},
                                 "classifier": {"kind": classifier}, "tiers": tiers}
    if redis_url:
        config["state"] = {"redis_url": redis_url, "prefix": "bench"}
        config["keys"] = [{"id": "bench", "sha256": hashlib.sha256(GATEWAY_KEY.encode())
                           .hexdigest(), "requests_per_minute": 10**9,
                           "tokens_per_minute": 10**12, "daily_usd": 10**6,
                           "monthly_usd": 10**7}]
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def start_tianji(fake_url: str, wire: str, classifier: str, workers: int, workdir: Path,
                 lean: bool = True, redis_url: str | None = None) -> Proc:
    """`router serve`; `lean=False` sends every call through litellm.acompletion;
    `redis_url`: state and key limits in that Redis."""
    tag = f"{workers}w" + ("" if lean else "-acompletion") + ("-redis" if redis_url else "")
    config = workdir / f"tianji-{tag}.yaml"
    tianji_config(fake_url, wire, classifier, config, redis_url)
    port = free_port()
    argv = [sys.executable, "-m", "router.cli", "serve", "--config", str(config), "--port",
            str(port), "--workers", str(workers)]
    env = {**_ENV, "TIANJI_CONFIG": str(config), "TIANJI_LEAN_TRANSPORT": "1" if lean else "0"}
    return spawn(f"tianji {tag}", argv, f"http://127.0.0.1:{port}", "/healthz",
                 workdir / f"tianji-{tag}.log", env=env, cwd=str(REPO))


def start_floor(fake_url: str, wire: str, workdir: Path) -> Proc:
    """The pass-through floor (bench/_floor.py) in front of the small-tier fake deployment."""
    upstream, _ = upstream_direct(fake_url, wire)
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "bench._floor:app", "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log", "--log-level", "warning"]
    return spawn("pass-through floor", argv, f"http://127.0.0.1:{port}", "/healthz",
                 workdir / "floor.log", env={**_ENV, "FLOOR_UPSTREAM": upstream}, cwd=str(REPO))


def ensure_proxy_venv(log: Path) -> Path:
    """Create bench/.venv-litellm-proxy with the pinned LiteLLM proxy unless it is there."""
    exe = PROXY_VENV / "bin" / "litellm"
    if exe.exists():
        return exe
    print(f"installing {PROXY_REQUIREMENT} into {PROXY_VENV} (once) ...", file=sys.stderr)
    with open(log, "wb") as out:
        subprocess.run([sys.executable, "-m", "venv", str(PROXY_VENV)], check=True, stdout=out,
                       stderr=subprocess.STDOUT, timeout=120)
        subprocess.run([str(PROXY_VENV / "bin" / "pip"), "install", "-q", PROXY_REQUIREMENT],
                       check=True, stdout=out, stderr=subprocess.STDOUT, timeout=900)
    return exe


def start_proxy(fake_url: str, wire: str, workers: int, workdir: Path) -> Proc:
    """The LiteLLM proxy with one model `auto` on the small-tier fake deployment (plus the
    other tiers under their names), a master key (no database), no retries."""
    exe = ensure_proxy_venv(workdir / "proxy-install.log")

    def params(tier: str) -> dict[str, object]:
        # Prices as Tianji has them: a model with no price sends the proxy down its zero-cost
        # diagnostic on every call (~12% of its CPU in 1.106.2), which a real model would not.
        inp, out = price(tier)
        return {**deployment(fake_url, wire, tier), "input_cost_per_token": inp / 1e6,
                "output_cost_per_token": out / 1e6}

    model_list = [{"model_name": "auto", "litellm_params": params("small")}]
    model_list += [{"model_name": t, "litellm_params": params(t)} for t in TIERS]
    config = workdir / "litellm-proxy.yaml"
    config.write_text(yaml.safe_dump({
        "model_list": model_list,
        "litellm_settings": {"num_retries": 0, "request_timeout": 60, "telemetry": False},
    }, sort_keys=False))
    port = free_port()
    argv = [str(exe), "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
            "--num_workers", str(workers)]
    return spawn(f"litellm proxy {workers}w", argv, f"http://127.0.0.1:{port}",
                 "/health/liveliness", workdir / f"proxy-{workers}w.log",
                 env={**_ENV, "LITELLM_LOG": "ERROR", "LITELLM_MASTER_KEY": GATEWAY_KEY},
                 cwd=str(workdir), timeout_s=180)
