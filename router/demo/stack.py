"""Start the simulated clouds and the gateway on 127.0.0.1; stop all of it on exit.

Everything runs in this one process (the clouds and the gateway each on a thread of
their own), so stopping the demo leaves nothing behind: no child process, no port,
no file (the config written for `router route` lives in a temporary directory).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from router.config import Config, parse_config
from router.demo.events import Outcome, Recorder
from router.demo.world import CLOUDS, FLAKY_FAULTS, demo_config, profiles
from router.fakeprovider.simulate import SimulatedProvider

HOST = "127.0.0.1"
DEFAULT_PORT = 8080
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 10
SEED = 7  # the simulated clouds' random draws, so that a run can be repeated


class DemoError(RuntimeError):
    """The demo could not start (its message says why, for the user)."""


@dataclass
class Demo:
    url: str  # the gateway, without /v1
    config_path: Path
    config: Config
    clouds: dict[str, SimulatedProvider]
    recorder: Recorder
    gateway: threading.Thread

    def gateway_alive(self) -> bool:
        return self.gateway.is_alive()

    def injected_faults(self) -> dict[str, list[str]]:
        """The faults each simulated deployment injected so far, by deployment."""
        found: dict[str, list[str]] = {}
        for cloud in self.clouds.values():
            for tier in self.config.tiers:
                for dep in tier.deployments:
                    for call in cloud.calls(dep.name):
                        if call.fault is not None:
                            label = f"{call.status}" if call.status else call.fault
                            found.setdefault(dep.name, []).append(label)
        return found


def bind(port: int | None) -> socket.socket:
    """A listening-ready socket on 127.0.0.1: `port`, or 8080 when None (a free port if 8080
    is taken), or a free port for 0."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    wanted = DEFAULT_PORT if port is None else port
    try:
        sock.bind((HOST, wanted))
    except OSError as err:
        if port is None and err.errno == errno.EADDRINUSE:
            sock.bind((HOST, 0))
            return sock
        sock.close()
        raise DemoError(f"cannot listen on {HOST}:{wanted}: {err.strerror}; "
                        "pick another --port (0: a free one)") from None
    return sock


def _quiet_logging(config: Config, recorder: Recorder) -> None:
    """The gateway's JSON lines go to the recorder; stderr shows warnings and errors only."""
    from router.logs import configure_logging
    from router.redact import Redactor, secret_values

    configure_logging(Redactor(secret_values(config)), level="INFO")
    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(logging.WARNING)
        for log_filter in handler.filters:
            recorder.addFilter(log_filter)
    recorder.attach()


@contextlib.contextmanager
def running(port: int | None = None,
            on_outcome: Callable[[Outcome], None] | None = None) -> Iterator[Demo]:
    """The simulated clouds and the gateway, up and answering, until the block ends."""
    # Prices come from the demo config; litellm must not fetch its price map over the network.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import uvicorn

    from router.api import create_app

    with contextlib.ExitStack() as stack:
        sock = stack.enter_context(bind(port))
        gateway_port = sock.getsockname()[1]
        clouds: dict[str, SimulatedProvider] = {}
        for cloud in CLOUDS:
            sim = SimulatedProvider(profiles(cloud), seed=SEED)
            stack.enter_context(sim)
            if cloud.flaky:
                for dep_id in profiles(cloud):
                    sim.set_fault(dep_id, *FLAKY_FAULTS)
            clouds[cloud.name] = sim
        raw = demo_config({name: sim.url for name, sim in clouds.items()}, gateway_port)
        config = parse_config(raw, env={})
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tianji-demo-")))
        config_path = folder / "demo.yaml"
        config_path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")

        recorder = Recorder(on_outcome)
        _quiet_logging(config, recorder)
        stack.callback(recorder.detach)
        app = create_app(config)
        server = uvicorn.Server(uvicorn.Config(
            app, log_config=None, access_log=False, lifespan="off",
            timeout_graceful_shutdown=2))
        # lifespan is off, so the request log is closed here: after the gateway stops,
        # every queued row is written (callbacks run last-in, first-out)
        stack.callback(app.state.gateway.request_log.close)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                  name="tianji-demo-gateway", daemon=True)
        thread.start()
        stack.callback(thread.join, STOP_TIMEOUT_S)
        stack.callback(setattr, server, "should_exit", True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise DemoError("the demo gateway did not start (see the log above)")
            time.sleep(0.02)
        yield Demo(f"http://{HOST}:{gateway_port}", config_path, config, clouds, recorder,
                   thread)
