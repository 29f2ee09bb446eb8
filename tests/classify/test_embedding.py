"""The ask embedding (router/classify/embedding.py) and its term in the shipped tier model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from router.classify import embedding
from router.classify.base import prompt_request

SHORT_HARD = (
    "Derive the Black-Scholes formula for a European call from a self-financing replicating "
    "portfolio, stating every assumption."
)
LOG_LINE = (
    "2026-03-14T09:12:{s:02d}Z INFO worker-3 request handled path=/api/v1/orders status=200 "
    "latency_ms=41 user=anon\n"
)
LONG_EASY = (
    "".join(LOG_LINE.format(s=i % 60) for i in range(120))
    + "What is the timestamp of the first line of this log?"
)


def test_loads_from_the_wheel_offline_without_importing_wordllama():
    # A fresh interpreter with sockets disabled: the table and tokenizer come from the
    # installed wheel's files, and neither the wordllama package nor safetensors is imported.
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket = refuse\n"
        "socket.create_connection = refuse\n"
        "from router.classify import embedding\n"
        "e = embedding.load()\n"
        "v = e.vector('Prove that sqrt(2) is irrational.')\n"
        "print(e.table.shape, e.table.dtype, v.shape, 'wordllama' in sys.modules,\n"
        "      'safetensors' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "(32000, 64) float16 (64,) False False"


def test_identical_text_gives_identical_vectors():
    e = embedding.load()
    a, b = e.vector(SHORT_HARD), e.vector(str(SHORT_HARD))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, e.vector(LONG_EASY))
    assert np.array_equal(e.vector(""), np.zeros(embedding.DIMS))


def test_long_text_pools_only_its_head_and_tail():
    e = embedding.load()
    head, tail = "alpha beta gamma " * 400, " delta epsilon zeta" * 400
    one = e.vector(head + "the middle of one document" * 50 + tail)
    other = e.vector(head + "an unrelated middle section" * 50 + tail)
    assert np.array_equal(one, other)
    assert not np.array_equal(one, e.vector("something else entirely " * 30 + head + tail))


def test_the_table_is_the_one_safetensors_reads():
    from safetensors import safe_open

    path = embedding.package_dir() / embedding.TABLE_FILE
    with safe_open(str(path), framework="np") as f:
        stored = f.get_slice(embedding.TABLE_KEY)[:, : embedding.DIMS]
    assert np.array_equal(embedding.load().table, stored)


def test_a_table_file_of_another_layout_fails_with_what_to_reinstall(tmp_path):
    header = json.dumps({embedding.TABLE_KEY: {"dtype": "F32", "shape": [2, 64],
                                               "data_offsets": [0, 512]}}).encode()
    path = tmp_path / "table.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header + bytes(512))
    with pytest.raises(embedding.EmbeddingUnavailable, match="reinstall wordllama"):
        embedding.read_table(path)


def test_missing_package_fails_with_what_to_install(monkeypatch):
    monkeypatch.setattr(embedding, "PACKAGE", "no_such_embedding_package")
    with pytest.raises(embedding.EmbeddingUnavailable, match="pip install wordllama"):
        embedding.load.__wrapped__()


def test_term_raises_a_short_hard_ask_over_a_long_easy_one(learned):
    hard, easy = prompt_request(SHORT_HARD), prompt_request(LONG_EASY)
    assert learned.embedding_term(hard) > learned.embedding_term(easy)
    with_term = learned.score(hard).difficulty - learned.score(easy).difficulty
    learned_without = type(learned).__new__(type(learned))
    learned_without.__dict__.update(learned.__dict__)
    learned_without._embed_coef = np.zeros(embedding.DIMS)
    without = learned_without.score(hard).difficulty - learned_without.score(easy).difficulty
    assert with_term > without
    signals = learned.score(hard).signals
    assert signals["prior.embedding"] == pytest.approx(learned.embedding_term(hard), abs=1e-4)


def test_router_route_without_the_package_stops_with_a_clear_error():
    code = (
        "import sys\n"
        "from router.classify import embedding\n"
        "embedding.PACKAGE = 'no_such_embedding_package'\n"
        "from router.cli import main\n"
        "sys.exit(main(['route', '--config', 'config/default.yaml', 'hi']))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root
    )
    assert done.returncode == 2
    assert "error: the classifier needs the 'no_such_embedding_package' package" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_route_endpoint_shows_the_embedding_term(fake, learned):
    from tests.conftest import deployment, make_config, run_gateway

    ask = [{"role": "user", "content": SHORT_HARD}]
    config = make_config([[deployment(fake, t)] for t in ("s", "m", "l")])
    with run_gateway(config, learned) as gw:
        decision = gw.http.post("/v1/route", json={"model": "auto", "messages": ask}).json()
    expected = learned.embedding_term(prompt_request(SHORT_HARD))
    assert decision["signals"]["prior.embedding"] == pytest.approx(expected, abs=1e-4)
    assert expected != 0.0


def test_pools_as_wordllama_itself_does():
    # WordLlama's own embed (imported in a child process: its import configures logging), on
    # texts under the length cap, against this module's vector.
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import numpy as np\n"
        "import wordllama\n"
        "from wordllama import WordLlama\n"
        "texts = json.loads(sys.stdin.read())\n"
        "wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)\n"
        "print(json.dumps(wl.embed(texts)[:, :64].tolist()))\n"
    )
    texts = [SHORT_HARD, "hi", "Übersetze bitte: Guten Morgen, bis morgen!", LOG_LINE * 5]
    out = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
        timeout=120, check=True,
    )
    theirs = np.array(json.loads(out.stdout))
    ours = np.array([embedding.load().vector(t) for t in texts])
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_reading_many_distinct_asks_does_not_grow_the_process():
    # tokenizers' BPE cache would keep every distinct short text (~7 KB each); a fresh
    # interpreter reads 3,000 distinct asks and reports its RSS growth.
    code = (
        "import random\n"
        "from router.classify import embedding\n"
        "def rss_kb():\n"
        "    status = open('/proc/self/status').read().split('\\n')\n"
        "    return int(next(s for s in status if s.startswith('VmRSS')).split()[1])\n"
        "e = embedding.load()\n"
        "e.vector('warm up')\n"
        "words = 'the of and to in is you that it was for on are as with his they at be this'\n"
        "words = words.split()\n"
        "rng = random.Random(7)\n"
        "before = rss_kb()\n"
        "for _ in range(3000):\n"
        "    e.vector(' '.join(rng.choice(words) for _ in range(30)))\n"
        "print(rss_kb() - before)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert int(out.stdout.strip()) < 4_000  # KB; with the cache ~10 MB
