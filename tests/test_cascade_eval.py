"""`router eval --cascade`: the replay on a hand-made data folder, and on the shared data."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from router import cascade_eval
from router.cli import main
from router.data import default_data_dir

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

# pytest resets warning filters per test; router.cascade installs its own (see
# test_odd_answers_print_no_parser_warnings).
pytestmark = pytest.mark.filterwarnings(
    "ignore::SyntaxWarning:<answer>", "ignore::DeprecationWarning:<answer>"
)

H, S, O, P = "haiku-1", "sonnet-1", "opus-1", "mini-1"  # noqa: E741
PRICE = {H: 0.01, P: 0.01, S: 0.1, O: 1.0}  # USD per call, the same on every prompt

# prompt id -> (benchmark, gold, {model: recorded answer or None when unparsed})
PROMPTS: dict[str, tuple[str, str, dict[str, str | None]]] = {
    # cheap and partner agree and are right: Haiku's answer, 2 cents
    "g1": ("gsm8k", "# 18", {H: "18", P: "$18", S: "18", O: "18"}),
    # disagree; Sonnet matches the partner: Sonnet's answer, 12 cents
    "g2": ("gsm8k", "5", {H: "4", P: "5", S: "5", O: "5"}),
    # disagree; Sonnet matches neither: Opus, $1.12
    "g3": ("gsm8k", "7", {H: "6", P: "8", S: "9", O: "7"}),
    # agree on a wrong answer (2 = 2.0): Haiku's wrong answer, 2 cents
    "g4": ("gsm8k", "3", {H: "2", P: "2.0", S: "3", O: "3"}),
    # code output: equal as Python values
    "c1": ("cruxeval_o", "[1, 2]", {H: "[1,2]", P: "[1, 2]", S: "[1, 2]", O: "[1, 2]"}),
    # the partner gave no answer: Sonnet disagrees with Haiku, so Opus answers
    "c2": ("cruxeval_o", "'ab'", {H: "ab", P: None, S: "'ba'", O: "'ab'"}),
}
CORRECT = {
    H: {"g1": 1, "g2": 0, "g3": 0, "g4": 0, "c1": 1, "c2": 1},
    P: {"g1": 1, "g2": 1, "g3": 0, "g4": 0, "c1": 1, "c2": 0},
    S: {"g1": 1, "g2": 1, "g3": 0, "g4": 1, "c1": 1, "c2": 0},
    O: dict.fromkeys(PROMPTS, 1),
}
RESULT_COLUMNS = [
    "prompt_id",
    "benchmark",
    "model",
    "correct",
    "answer_parsed",
    "output_chars",
    "est_input_tokens",
    "est_output_tokens",
    "est_cost_usd",
]
HAIKU_CHARS = {"g1": 100, "g2": 300, "g3": 200, "g4": 400, "c1": 50, "c2": 10}


def _write_gz(path: Path, text: str) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        f.write(text)


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A zeroeval_tiers folder in the shared format (prompts, results, answers)."""
    root = tmp_path / "zeroeval_tiers"
    root.mkdir()
    prompts = [
        {
            "prompt_id": pid,
            "benchmark": bench,
            "source": "hand-made",
            "question": f"Question {pid}: " + "how many? " * (i + 1),
            "gold_answer": gold,
            "templated_prompt_chars": 100,
            "difficulty": "",
        }
        for i, (pid, (bench, gold, _)) in enumerate(PROMPTS.items())
    ]
    _write_gz(root / "prompts.jsonl.gz", "".join(json.dumps(p) + "\n" for p in prompts))
    results, answers = [], []
    for pid, (bench, _, recorded) in PROMPTS.items():
        for model, answer in recorded.items():
            chars = HAIKU_CHARS[pid] if model == H else 100
            parsed = int(answer is not None)
            results.append(
                [pid, bench, model, CORRECT[model][pid], parsed, chars, 25, 25, PRICE[model]]
            )
            answers.append([pid, bench, model, answer or "", parsed])
    _write_gz(
        root / "results.csv.gz",
        _csv(
            RESULT_COLUMNS,
            results,
        ),
    )
    _write_gz(
        root / "answers.csv.gz",
        _csv(["prompt_id", "benchmark", "model", "extracted_answer", "answer_parsed"], answers),
    )
    return root


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["eval", *argv])
    return code, out.getvalue()


def test_three_tier_replay_matches_the_hand_computed_outcome(folder: Path) -> None:
    code, out = run_cli(
        "--cascade", "--data", str(folder), "--tiers", f"{H},{S},{O}", "--partner", P, "--json"
    )
    assert code == 0
    report = json.loads(out)
    pooled = report["tiers_table"]["pooled"]
    c = pooled["policies"]["cascade"]
    assert pooled["n"] == 6
    # returned: H (right), S (right), O (right), H (wrong), H (right), O (right)
    assert c["accuracy"] == pytest.approx(5 / 6)
    assert c["cost"] == pytest.approx(0.02 + 0.12 + 1.12 + 0.02 + 0.02 + 1.12)
    assert c["cost_share"] == pytest.approx(2.42 / 6)
    assert c["escalated"] == pytest.approx(3 / 6)
    assert c["reached_top"] == pytest.approx(2 / 6)
    assert c["pgr"] == pytest.approx((5 / 6 - 0.5) / (1 - 0.5))
    # below Opus's 100%: Opus accuracy only when Opus also answers the other four prompts
    assert c["cost_share_at_top_accuracy"] == pytest.approx((2.42 + 4 * 1.0) / 6)
    # oracle, the cheapest tier right on each: H, S, O, S, H, H
    assert pooled["oracle"]["cost"] == pytest.approx(0.01 + 0.1 + 1 + 0.1 + 0.01 + 0.01)
    assert pooled["oracle"]["accuracy"] == pytest.approx(1.0)
    assert report["answer_rule_vs_correct"] == {
        "cruxeval_o": {"rows": 8, "agreement": 1.0},
        "gsm8k": {"rows": 16, "agreement": 1.0},
    }


def test_two_tier_replay_and_its_curves(folder: Path) -> None:
    report = cascade_eval.report(folder, [H, S, O], P)
    pooled = report["pair"]["pooled"]["policies"]["cascade"]
    point = pooled["point"]
    # disagreement on g2, g3, c2 goes straight to Opus
    assert point["accuracy"] == pytest.approx(5 / 6)
    assert point["cost"] == pytest.approx(6 * 0.02 + 3 * 1.0)
    assert point["escalated"] == pytest.approx(0.5)
    # PGR: 0 at no escalation, 2/3 after the three disagreements, 1 when all go up
    assert pooled["apgr_calls"] == pytest.approx(0.5 * (2 / 3) / 2 + 0.5 * (2 / 3 + 1) / 2)
    # against cost: 0 up to 2%, 2/3 at 52%, then towards 1 at 102%, area on [0, 1]
    pgr_at_1 = 2 / 3 + (1 / 3) * (0.48 / 0.5)
    assert pooled["apgr_cost"] == pytest.approx(0.5 * (2 / 3) / 2 + 0.48 * (2 / 3 + pgr_at_1) / 2)
    assert pooled["cost_share_at_top_accuracy"] == pytest.approx(6.12 / 6)
    gsm8k = report["pair"]["gsm8k"]["policies"]["cascade"]["point"]
    assert (gsm8k["accuracy"], gsm8k["escalated"]) == (0.75, 0.5)
    assert set(report["pair"]) == {"cruxeval_o", "gsm8k", "pooled"}


def test_rankings_are_read_at_the_cascades_share(folder: Path) -> None:
    report = cascade_eval.report(folder, [H, O], P)
    assert report["tiers_table"] == {}
    policies = report["pair"]["pooled"]["policies"]
    assert set(policies) == {"cascade", "self", "length", "random"}
    # self escalates the longest Haiku outputs first: g4, g2, g3 (two of three were wrong)
    point = policies["self"]["point"]
    assert point["escalated"] == pytest.approx(0.5)
    assert point["accuracy"] == pytest.approx((3 + 3) / 6)
    # it pays the Haiku call everywhere and Opus on the three escalated
    assert point["cost_share"] == pytest.approx((6 * 0.01 + 3 * 1.0) / 6)


def test_self_signal_puts_unparsed_answers_first() -> None:
    rec = cascade_eval.Recorded(
        ids=["a", "b", "c"],
        benchmark=np.array(["gsm8k"] * 3, dtype=object),
        requests=[{}, {}, {}],
        correct={},
        cost={},
        answers={},
        output_chars={H: np.array([900.0, 10.0, 500.0])},
        parsed={H: np.array([1.0, 0.0, 1.0])},
    )
    assert list(np.argsort(-cascade_eval.self_signal(rec, H))) == [1, 0, 2]


def test_the_text_report_names_every_policy(folder: Path) -> None:
    code, out = run_cli(
        "--cascade", "--data", str(folder), "--tiers", f"{H},{S},{O}", "--partner", P
    )
    assert code == 0
    assert "== two tiers: haiku-1 -> opus-1" in out
    assert "== 3 tiers: haiku-1 -> sonnet-1 -> opus-1" in out
    for label in ("cascade", "self signals", "length (prompt)", "random (prompt)", "oracle"):
        assert label in out


def test_bad_options_are_refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--partner", P]) == 2
    assert "go with --cascade" in capsys.readouterr().err
    assert main(["eval", "--cascade", "--loo"]) == 2
    assert "--cascade does not take --loo" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="no recorded answers"):
        cascade_eval.report(folder, ["nobody", O], P)
    with pytest.raises(SystemExit, match="unknown benchmark"):
        cascade_eval.report(folder, [H, O], P, ["mmlu"])
    with pytest.raises(SystemExit, match="two or three different models"):
        cascade_eval.report(folder, [H, S, P, O], "nobody")
    with pytest.raises(SystemExit, match="two or three different models"):
        cascade_eval.report(folder, [H, H], P)
    with pytest.raises(SystemExit, match="partner must not be one of the tiers"):
        cascade_eval.report(folder, [H, O], H)


# ---------------------------------------------------------------- on the shared data

SHARED = default_data_dir() / "zeroeval_tiers"
needs_shared = pytest.mark.skipif(
    not (SHARED / "answers.csv.gz").is_file(),
    reason=f"no shared routing data at {SHARED} (set TIANJI_DATA, or put it at ../shared/data)",
)


@needs_shared
def test_the_answer_rule_reproduces_the_correct_column() -> None:
    agreement = cascade_eval.label_agreement(SHARED)
    for bench, row in agreement.items():
        print(
            f"{bench}: the answer rule matches `correct` on {row['agreement']:.2%} of {row['rows']}"
        )
    assert set(agreement) == {"gsm8k", "math_l5", "cruxeval_o"}
    assert all(row["agreement"] >= 0.99 for row in agreement.values())


@needs_shared
def test_the_issue_targets_on_the_shared_data() -> None:
    report = cascade_eval.report(SHARED, cascade_eval.DEFAULT_TIERS, cascade_eval.DEFAULT_PARTNER)
    assert report["pair"]["pooled"]["policies"]["cascade"]["apgr_calls"] >= 0.85
    three = report["tiers_table"]["pooled"]["policies"]["cascade"]
    assert three["reaches_top_accuracy"] and three["cost_share"] <= 0.30


def test_replay_from_each_start_tier_as_the_gateway_runs_it(folder: Path) -> None:
    rec = cascade_eval.load_recorded(folder, [H, S, O, P])
    order = [rec.ids.index(pid) for pid in ("g1", "g2", "g3", "g4", "c1", "c2")]
    correct, cost = cascade_eval.replay_from(rec, [H, S, O], P, [True, True, False])
    # from the cheapest tier: the rule of `replay` (the table above)
    assert cost[0, order] == pytest.approx([0.02, 0.12, 1.12, 0.02, 0.02, 1.12])
    assert correct[0, order].tolist() == [1, 1, 1, 0, 1, 1]
    # from the middle tier: Sonnet and the partner; disagreement goes to Opus
    assert cost[1, order] == pytest.approx([0.11, 0.11, 1.11, 1.11, 0.11, 1.11])
    assert correct[1, order].tolist() == [1, 1, 1, 1, 1, 1]
    # the top tier alone
    assert cost[2].tolist() == [1.0] * 6 and correct[2].tolist() == [1.0] * 6
    # a middle tier without verify: keeps whatever it answers
    correct, cost = cascade_eval.replay_from(rec, [H, S, O], P, [True, False, False])
    assert cost[0, order] == pytest.approx([0.02, 0.12, 0.12, 0.02, 0.02, 0.12])
    assert correct[0, order].tolist() == [1, 1, 0, 0, 1, 0]
