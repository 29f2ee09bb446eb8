"""`router eval --open`: the open-traffic check set and the figures printed for it.

The fixture routes through a real classifier and the real policy. Its config puts every
difficulty in the small tier, so the tiers it chooses come from the policy's hard rules
alone (the small tier's context window and its lack of tool support) and can be worked
out by hand; the classifier's AUCs are checked against a pairwise count of its scores.
Its deployments lack credentials (an unset ${VAR}, an implicit ANTHROPIC_API_KEY), as on a
laptop: the evaluation must still apply those rules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from router.cli import main
from router.open_eval import GROUPS, LABELS, PLACEHOLDER, figures, load_check_set, offline_env

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "tests" / "open_traffic" / "requests.jsonl"
KINDS = (
    "small_talk", "rewrite_translate_format", "extraction_classification", "summarisation",
    "factual_lookup", "creative_writing", "code_writing", "debugging_review", "system_design",
    "data_sql", "arithmetic", "word_problems", "competition_maths_proofs", "expert_analysis",
    "agentic_tool_use", "long_document_analysis",
)

# The rules classifier is sure of every score (confidence 1.0), so the policy's confidence
# rule (tests/classify/test_confidence_rule.py) moves nothing here and each chosen tier
# follows from the thresholds, the windows and the capabilities alone.
CONFIG = """
classifier: {kind: rules}
tiers:
  - name: small
    max_difficulty: 0.9999
    deployments:
      - {name: s, model: openai/s-model, api_key: "${OPEN_EVAL_UNSET_KEY}",
         max_context: "${OPEN_EVAL_UNSET_WINDOW:-300}", supports: [json],
         price: {input: 1, output: 1}}
  - name: medium
    max_difficulty: 1.0
    deployments:
      - {name: m, model: openai/m-model, api_key: "${OPEN_EVAL_UNSET_KEY}", max_context: 100000,
         supports: [tools, json], price: {input: 3, output: 3}}
  - name: large
    deployments:
      - {name: l, model: anthropic/l-model, max_context: 200000,
         supports: [tools, json], price: {input: 15, output: 15}}
"""

WEATHER = [{"type": "function", "function": {"name": "weather", "description": "by city"}}]


def _text(n: int) -> str:
    """Log-like text of exactly n characters."""
    line = "2026-11-18T09:16:39Z INFO checkout-api GET /api/v2/cart 200 in 12ms\n"
    return (line * (n // len(line) + 1))[:n]


def _row(id: str, tier: str, content: str, group: str | None = None, **extra: object) -> dict:
    row = {"id": id, "messages": [{"role": "user", "content": content}], **extra, "tier": tier,
           "reason": "fixture", "kind": "factual_lookup", "domain": "general"}
    if group:
        row["group"] = group
    return row


# Lengths (characters the policy counts): f 20, a 60, g 53 + tool text, b 80, e 1000, c 1500,
# d 3000. The small tier's 300-token window takes up to ~1180 characters, so c and d are
# raised to medium; g has tools, which only medium and large support.
FIXTURE = [
    _row("a", "large", "Derive the Black-Scholes formula for a European call option", "short_hard"),
    _row("b", "large",
         "Prove that every group of order p^2 is abelian, for p prime, with all the steps.",
         "short_hard"),
    _row("c", "small", _text(1488) + "\nfirst ERROR?", "long_easy"),
    _row("d", "small", _text(2988) + "\nlast line?", "long_easy"),
    _row("e", "medium", _text(1000)),
    _row("f", "small", "hi there, thank you"),
    _row("g", "small", "what's the weather in Oslo tomorrow, and in Bergen?", tools=WEATHER),
]


@pytest.fixture
def fixture_files(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "check.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in FIXTURE), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return data, config


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["eval", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _pairwise_auc(pos: list[float], neg: list[float]) -> float:
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_figures_match_hand_computed_values() -> None:
    # labels: small 0, medium 1, large 2; two large, two small, one medium.
    labels = [2, 2, 0, 0, 1]
    chosen = [0, 2, 2, 0, 1]
    scores = [0.2, 0.9, 0.9, 0.1, 0.5]
    groups = ["short_hard", "short_hard", "long_easy", "long_easy", None]
    f = figures(labels, chosen, scores, groups)
    assert f["confusion"] == [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert f["large_to_small"] == 0.5
    assert f["small_to_large"] == 0.5
    assert f["below_label"] == 0.2
    assert f["above_label"] == 0.2
    assert f["exact"] == 0.6
    # large {0.2, 0.9} vs small {0.9, 0.1}: 0.2>0.1, 0.9=0.9 (half), 0.9>0.1 -> 2.5 / 4
    assert f["auc_large_vs_small"] == 0.625
    assert f["auc_short_hard_vs_long_easy"] == 0.625


def test_figures_without_one_group_give_no_auc() -> None:
    f = figures([2, 1], [0, 1], [0.3, 0.4], [None, None])
    assert f["auc_large_vs_small"] is None
    assert f["auc_short_hard_vs_long_easy"] is None
    assert f["small_to_large"] is None
    assert f["large_to_small"] == 1.0


def test_eval_open_prints_the_tables_and_figures(capsys, fixture_files) -> None:
    data, config = fixture_files
    code, out, err = _run(capsys, "--open", str(data), "--config", str(config))
    assert code == 0, err
    assert "n=7 (short_hard 2, long_easy 2)" in out
    assert "small <= 0.9999, medium <= 1.0" in out
    lines = out.splitlines()
    clf = lines.index("classifier: labelled tier vs chosen tier")
    # classifier: a, b, e, f stay small; c, d (window) and g (tools) are raised to medium
    assert lines[clf + 2].split() == ["small", "1", "3", "0", "4"]
    assert lines[clf + 3].split() == ["medium", "1", "0", "0", "1"]
    assert lines[clf + 4].split() == ["large", "2", "0", "0", "2"]
    assert lines[clf + 5].split() == ["total", "4", "3", "0", "7"]
    length = lines.index("length only (same tier mix): labelled tier vs chosen tier")
    # length: the 4 shortest (f, g, a, b) small, the next 3 (e, c, d) medium
    assert lines[length + 2].split() == ["small", "2", "2", "0", "4"]
    assert lines[length + 3].split() == ["medium", "0", "1", "0", "1"]
    assert lines[length + 4].split() == ["large", "2", "0", "0", "2"]

    def figure(text: str) -> list[str]:
        (line,) = [x for x in lines if x.startswith(f"  {text}  ")]
        return line.split()[-2:]

    assert figure("large-labelled sent to small") == ["100.0%", "100.0%"]
    assert figure("small-labelled sent to large") == ["0.0%", "0.0%"]
    assert figure("all requests sent below label") == ["42.9%", "28.6%"]  # 3/7 and 2/7
    assert figure("all requests sent above label") == ["42.9%", "28.6%"]
    assert figure("all requests at their label") == ["14.3%", "42.9%"]
    # length AUCs: large {60, 80} vs small {20, g, 1500, 3000}: 60>20, 80>20, 80>g -> 3/8
    assert figure("AUC large vs small")[1] == "0.375"
    assert figure("AUC short_hard vs long_easy")[1] == "0.000"
    assert "large-labelled requests sent to small: a, b" in out


def test_eval_open_json_agrees_with_the_scores(capsys, fixture_files) -> None:
    data, config = fixture_files
    code, out, err = _run(capsys, "--open", str(data), "--config", str(config), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["tiers"] == ["small", "medium", "large"]
    assert {r["id"]: r["group"] for r in report["requests"]}["c"] == "long_easy"
    chosen = {r["id"]: r["chosen"] for r in report["requests"]}
    assert chosen == {"a": "small", "b": "small", "c": "medium", "d": "medium", "e": "small",
                      "f": "small", "g": "medium"}
    score = {r["id"]: r["difficulty"] for r in report["requests"]}
    clf = report["routers"]["classifier"]
    expected = _pairwise_auc([score["a"], score["b"]], [score[i] for i in "cdfg"])
    assert clf["auc_large_vs_small"] == pytest.approx(expected, abs=1e-4)
    expected = _pairwise_auc([score["a"], score["b"]], [score["c"], score["d"]])
    assert clf["auc_short_hard_vs_long_easy"] == pytest.approx(expected, abs=1e-4)
    length = report["routers"]["length"]
    assert length["auc_large_vs_small"] == 0.375
    assert length["confusion"] == [[2, 2, 0], [0, 1, 0], [2, 0, 0]]


def test_eval_open_runs_as_a_command_on_the_default_config() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TIANJI_CONFIG"}
    result = subprocess.run(
        [sys.executable, "-m", "router.cli", "eval", "--open", str(SHIPPED), "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["config"] == "config/default.yaml"
    assert report["n"] == len(SHIPPED.read_text(encoding="utf-8").splitlines())
    table = report["routers"]["classifier"]["confusion"]
    assert sum(map(sum, table)) == report["n"]


def test_offline_env_fills_missing_credentials_and_keeps_defaults() -> None:
    text = 'api_key: ${A_KEY}\nregion: ${REGION:-us-east-1}\nother: ${SET_KEY}\n'
    env = offline_env(text, {"SET_KEY": "real", "EMPTY": ""})
    assert env["A_KEY"] == PLACEHOLDER and env["ANTHROPIC_API_KEY"] == PLACEHOLDER
    assert env["SET_KEY"] == "real"
    assert "REGION" not in env and "EMPTY" not in env


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--config", "/no/such/config.yaml"], "cannot read config /no/such/config.yaml"),
        (["--weights", "/no/such/weights.npz"], "cannot load the learned classifier"),
    ],
)
def test_a_missing_config_or_weights_file_is_a_clear_error(capsys, fixture_files, flags,
                                                          message) -> None:
    data, _ = fixture_files
    code, out, err = _run(capsys, "--open", str(data), *flags)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_missing_file_is_a_clear_error(capsys, tmp_path) -> None:
    code, out, err = _run(capsys, "--open", str(tmp_path / "nope.jsonl"))
    assert code == 2
    assert "cannot read check set" in err and "nope.jsonl" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("second_line", "message"),
    [
        ("{not json", ":2: not valid JSON"),
        (json.dumps({**FIXTURE[0], "id": "z", "tier": "huge"}), ":2: unknown tier 'huge'"),
        (json.dumps({k: v for k, v in FIXTURE[0].items() if k != "reason"} | {"id": "z"}),
         ":2: missing field(s) reason"),
        (json.dumps({**FIXTURE[0], "id": "z", "messages": []}), ":2: `messages` must be"),
        (json.dumps({**FIXTURE[0], "id": "z", "group": "tricky"}), ":2: unknown group 'tricky'"),
        (json.dumps(FIXTURE[0]), ":2: duplicate id 'a'"),
    ],
)
def test_a_bad_line_is_named(capsys, tmp_path, second_line, message) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text(json.dumps(FIXTURE[0]) + "\n" + second_line + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "--open", str(data))
    assert code == 2
    assert f"bad.jsonl{message}" in err
    assert out == ""


def test_open_refuses_flags_of_the_benchmark_modes(capsys, fixture_files) -> None:
    data, _ = fixture_files
    code, _, err = _run(capsys, "--open", str(data), "--loo")
    assert code == 2
    assert "--open takes only" in err and "--loo" in err


# ---------------------------------------------------------------- the shipped check set


@pytest.fixture(scope="module")
def shipped() -> list[dict]:
    return [json.loads(line) for line in SHIPPED.read_text(encoding="utf-8").splitlines()]


def test_shipped_set_is_well_formed(shipped) -> None:
    items = load_check_set(SHIPPED)  # fields, tiers, groups, messages, unique ids
    assert len(items) == len(shipped) >= 320
    for row in shipped:
        assert row["tier"] in LABELS
        assert row["reason"].strip() and row["domain"].strip()
        assert row["kind"] in KINDS, row["id"]
    assert set(KINDS) <= {r["kind"] for r in shipped}
    groups = Counter(r.get("group") for r in shipped)
    assert all(groups[g] >= 50 for g in GROUPS), groups
    assert all(r["tier"] == "large" for r in shipped if r.get("group") == "short_hard")
    assert all(r["tier"] == "small" for r in shipped if r.get("group") == "long_easy")


def test_shipped_set_has_a_balanced_tier_mix_and_matched_pairs(shipped) -> None:
    tiers = Counter(r["tier"] for r in shipped)
    assert all(0.25 <= tiers[t] / len(shipped) <= 0.42 for t in LABELS), tiers
    pairs: dict[str, list[dict]] = {}
    for row in shipped:
        if "pair" in row:
            pairs.setdefault(row["pair"], []).append(row)
    assert len(pairs) >= 5
    for members in pairs.values():
        assert len(members) == 2 and members[0]["tier"] == members[1]["tier"]


def test_shipped_set_is_what_build_py_writes() -> None:
    result = subprocess.run([sys.executable, str(SHIPPED.parent / "build.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_only_the_eval_command_names_the_check_set() -> None:
    # Training and calibration must not read it: only `router eval --open`'s help names it.
    readers = [p.relative_to(ROOT).as_posix() for p in (ROOT / "router").rglob("*.py")
               if "open_traffic" in p.read_text(encoding="utf-8")]
    assert readers and set(readers) <= {"router/evaluate.py", "router/open_eval.py"}, readers
