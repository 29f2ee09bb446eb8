"""`router demo`: the whole path on simulated clouds, run as a user runs it (a subprocess).

- `--traffic 50` end to end: exit code, tier mix, each kind on the tier it belongs to,
  fallbacks, cost and saving;
- the interactive demo answers the openai SDK snippet it prints (run as printed, with the
  official SDK), the answer names its tier and deployment, and the first request shows a
  fallback;
- SIGINT stops it: exit code 0, its ports closed, its temporary config removed, no process
  left behind;
- the simulated models: answer length within the profile and `max_tokens`, usage that
  counts the answer, and no change for deployments without a profile.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from router.fakeprovider.simulate import Profile, SimulatedProvider

TRAFFIC_TIMEOUT_S = 120
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20
ENV = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def router(*args: str) -> list[str]:
    return [sys.executable, "-m", "router.cli", *args]


def test_traffic_50_reports_tier_mix_fallbacks_and_saving(tmp_path):
    env = {**ENV, "TIANJI_LOG_DB": str(tmp_path / "log.db")}
    done = subprocess.run(router("demo", "--traffic", "50"), capture_output=True, text=True,
                          timeout=TRAFFIC_TIMEOUT_S, env=env)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "answers:   50 answered, 0 correct errors, 0 lost" in out, out
    mix = re.search(r"tier mix:  small (\d+) \(\d+%\), medium (\d+) \(\d+%\), large (\d+)", out)
    assert mix, out
    small, medium, large = map(int, mix.groups())
    assert small > 0 and medium > 0 and large > 0 and small + medium + large == 50

    def served(kind: str) -> str:
        """The last column of the kind's row: which tier/deployment answered, how often."""
        line = next(line for line in out.splitlines() if line.strip().startswith(kind))
        return re.split(r"\s{2,}", line.strip())[-1]

    # easy requests go to small, except where the classifier is not sure they are easy
    # (a unit conversion, a SQL query: its confidence rule raises them one tier), never large
    easy = re.findall(r"(\w+)/sim-\S+ x(\d+)", served("easy"))
    by_tier = {tier: sum(int(n) for t, n in easy if t == tier) for tier in {t for t, _ in easy}}
    assert set(by_tier) <= {"small", "medium"} and by_tier["small"] > sum(by_tier.values()) / 2
    assert set(re.findall(r"(\w+)/sim-", served("hard"))) == {"large"}
    assert set(re.findall(r"(\w+)/sim-", served("pinned"))) == {"medium"}
    # only sim-anthropic-sonnet has a window large enough for the long log
    assert served("long log") == "medium/sim-anthropic-sonnet x1"

    fallbacks = re.search(r"fallbacks: (\d+) requests took more than one attempt", out)
    assert fallbacks and int(fallbacks.group(1)) > 0, out
    assert re.search(r"sim-compat-\w+ failed -> sim-anthropic-\w+ answered: \d+", out), out

    cost = float(re.search(r"cost:      \$([\d.]+)", out).group(1))
    top = float(re.search(r"top tier:  \$([\d.]+) if every answer had come from large", out)
                .group(1))
    saving = re.search(r"saving:    \$([\d.]+) \((\d+)%\)", out)
    assert saving, out
    saved, percent = float(saving.group(1)), int(saving.group(2))
    assert 0 < cost < top and saved == pytest.approx(top - cost, abs=2e-4)
    assert abs(percent - 100 * saved / top) <= 1

    # the request log holds the same run: `router stats` reads it back
    assert f"request log: {tmp_path / 'log.db'}" in out, out
    stats = subprocess.run(router("stats", "--json"), capture_output=True, text=True,
                           timeout=60, env=env)
    assert stats.returncode == 0, stats.stderr
    summary = json.loads(stats.stdout)["summary"]
    assert summary["requests"] == 50
    assert summary["spend_usd"] == pytest.approx(cost, abs=1e-4)
    assert summary["baseline_usd"] == pytest.approx(top, abs=1e-4)


class DemoProcess:
    """`router demo` in the background; its stdout lines are read on a thread."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(router("demo", "--port", "0"), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=ENV)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout_s: float) -> re.Match[str]:
        """The first line from now on that matches, within the time bound."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise AssertionError(f"no line matching {pattern!r}; output:\n"
                                     + "\n".join(self.lines))
            self.lines.append(line)
            found = re.search(pattern, line)
            if found:
                return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT_S)


@pytest.fixture
def demo() -> Iterator[DemoProcess]:
    process = DemoProcess()
    try:
        process.wait_for(r"Ctrl-C stops the demo", START_TIMEOUT_S)
        yield process
    finally:
        process.stop()


def printed_snippet(lines: list[str]) -> str:
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("openai SDK"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    return textwrap.dedent("\n".join(lines[start + 1:end]))


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def refuses(url: str) -> bool:
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        return True
    return False


def test_printed_openai_snippet_answers_with_a_fallback_and_sigint_stops_everything(demo):
    snippet = printed_snippet(demo.lines)
    assert "from openai import OpenAI" in snippet and 'model="auto"' in snippet
    ran = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True,
                         timeout=60, env=ENV)
    assert ran.returncode == 0, ran.stderr
    first, answer = ran.stdout.splitlines()[:2]
    # The first call to the flaky cloud fails, so the answer comes from the other cloud.
    assert first == "small sim-anthropic-haiku attempts 2"
    assert answer.startswith("[tier small | deployment sim-anthropic-haiku | model "
                             "claude-haiku-4-5] Simulated answer")
    assert "Translate 'good morning' into French." in answer
    demo.wait_for(r"200 small +sim-anthropic-haiku after sim-compat-haiku 503 \(fallback\); "
                  r"attempts 2; cost \$[\d.]+, on the top tier \$[\d.]+ \(saved \d+%\)", 10)

    gateway = re.search(r"the gateway is at (http://\S+)", "\n".join(demo.lines)).group(1)
    clouds = re.findall(r"sim-\w+ +(http://127\.0\.0\.1:\d+)", "\n".join(demo.lines))
    config = Path(re.search(r"config: (\S+demo\.yaml)", "\n".join(demo.lines)).group(1))
    assert len(clouds) == 2 and config.is_file()
    below = descendants(demo.proc.pid)

    demo.proc.send_signal(signal.SIGINT)
    demo.wait_for(r"stopping: 1 request answered, 1 of them after a fallback", STOP_TIMEOUT_S)
    demo.wait_for(r"saving:    \$[\d.]+ \(\d+%\)", STOP_TIMEOUT_S)
    assert demo.proc.wait(timeout=STOP_TIMEOUT_S) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in below)
    assert refuses(gateway) and all(refuses(url) for url in clouds)
    assert not config.exists()


def test_simulated_answers_name_their_source_and_respect_max_tokens():
    profile = Profile("small", "claude-haiku-4-5", ttft_s=0.01, tokens_per_s=1000,
                      answer_tokens=(40, 60))
    with SimulatedProvider({"sim": profile}, seed=1) as sim, httpx.Client(timeout=10) as http:
        def ask(dep_id: str, **extra: object) -> tuple[str, int]:
            body = {"model": "m", "messages": [{"role": "user", "content": "Say {hi}"}], **extra}
            data = http.post(sim.openai_base(dep_id) + "/chat/completions", json=body).json()
            return data["choices"][0]["message"]["content"], data["usage"]["completion_tokens"]

        text, tokens = ask("sim")
        assert text.startswith("[tier small | deployment sim | model claude-haiku-4-5] ")
        assert 'You asked: "Say {hi}"' in text
        assert 40 <= tokens <= 60 and len(text.split(" ")) == tokens
        text, tokens = ask("sim", max_tokens=5)
        assert tokens == 5 and text == "[tier small | deployment sim"
        assert ask("plain") == ("Hello from plain! This is a fake answer.", 8)
