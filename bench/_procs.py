"""Processes for the benchmark: spawn, wait until ready, measure CPU and RSS from /proc, stop.

Linux only (reads /proc), so no psutil is needed. CPU and RSS are summed over a
process and all its descendants, which covers `router serve --workers N` and
the LiteLLM proxy's worker processes alike.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            out += [int(p) for p in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
    return out


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process tree (live processes only)."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / _TICKS


def rss_mb(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except OSError:
            continue
    return total * _PAGE / 1e6


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    url: str
    startup_s: float
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        """SIGTERM the process group we created; SIGKILL it if it lingers."""
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


def _get_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def spawn(
    name: str,
    argv: list[str],
    url: str,
    ready_path: str,
    log: Path,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    timeout_s: float = 120.0,
) -> Proc:
    """Start `argv` in its own process group; return once GET url+ready_path answers 200.

    `startup_s` is the time from spawn to that first 200.
    """
    with open(log, "wb") as out:
        started = time.perf_counter()
        popen = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )
    proc = Proc(name, popen, url, 0.0, log)
    deadline = started + timeout_s
    while time.perf_counter() < deadline:
        if popen.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(
                f"{name} exited with {popen.returncode} before it was ready:\n{tail}"
            )
        if _get_ok(url + ready_path):
            proc.startup_s = time.perf_counter() - started
            return proc
        time.sleep(0.02)
    proc.stop()
    raise RuntimeError(f"{name} was not ready after {timeout_s:.0f}s; see {log}")


def start_redis(workdir: Path) -> Proc:
    """redis-server without persistence on a free 127.0.0.1 port (Debian's package)."""
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        raise SystemExit("--redis needs redis-server (apt-get install -y redis-server)")
    port = free_port()
    argv = [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no"]
    proc = Proc("redis", subprocess.Popen(argv, stdout=(workdir / "redis.log").open("wb"),
                                          stderr=subprocess.STDOUT, start_new_session=True),
                f"redis://127.0.0.1:{port}/0", 0.0, workdir / "redis.log")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return proc
        time.sleep(0.05)
    proc.stop()
    raise RuntimeError("redis-server did not start")
