"""`router eval --traffic`: the leave-one-writer-out report fits without the scored writer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from router.classify.traffic_cv import traffic_report

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config" / "default.yaml"


def corpus(path: Path) -> Path:
    """Two writers who label the same two asks the opposite way round: writer `wa` calls
    "zorblax" work large and "quibbet" work small, writer `wb` the reverse. Only a fit that
    never saw the scored writer learns the other writer's labels and so ranks the scored
    writer's requests backwards; a fit that saw both sees each ask under both labels."""
    lines = []
    for writer, large in (("wa", "zorblax"), ("wb", "quibbet")):
        for word in ("zorblax", "quibbet"):
            for n in range(12):
                lines.append(
                    {
                        "id": f"{writer}-{word}-{n}",
                        "family": f"{writer}-{word}-{n}",
                        "messages": [{"role": "user", "content": f"{word} {word} please"}],
                        "tier": "large" if word == large else "small",
                        "reason": "synthetic",
                        "kind": "factual_lookup",
                        "domain": "general",
                        "writer": writer,
                    }
                )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_each_writer_is_scored_by_a_fit_on_the_other_writers_only(tmp_path):
    report = traffic_report(corpus(tmp_path / "two.jsonl"), CONFIG)
    assert sorted(report["writers"]) == ["wa", "wb"]
    for figures in report["writers"].values():
        assert figures["n"] == 24 and figures["n_fit"] == 24
        # The other writer's labels, learned from the fit, are this writer's labels reversed.
        assert figures["auc_large_vs_small"] < 0.2
        assert sum(map(sum, figures["confusion"])) == 24
        assert figures["cross-validated"]["auc_large_vs_small"] is not None
    # The in-sample model is the shipped one, fitted without this corpus: it cannot tell the
    # two made-up words apart, so the reversal above comes from the held-out fits.
    assert 0.3 < report["models"]["in-sample"]["auc_large_vs_small"] < 0.7


def test_the_cli_prints_the_same_report_as_a_second_run_in_process(tmp_path):
    path = corpus(tmp_path / "two.jsonl")

    def cli(*flags: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "router.cli", "eval", "--traffic", str(path), *flags],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert json.loads(cli("--json")) == json.loads(json.dumps(traffic_report(path, CONFIG)))
    text = cli()
    assert "leave one writer out" in text and "wb held out confusion" in text
    assert "wa by family" in text and "wb in-sample" in text
    assert "the top-tier rule" in text and "lowered small" in text


def test_the_top_tier_rule_is_reported_on_and_off_with_the_lowered_threshold_baseline(tmp_path):
    report = traffic_report(corpus(tmp_path / "two.jsonl"), CONFIG)
    assert list(report["rule"]) == ["family folds", "wa held out", "wb held out", "in-sample"]
    for figures in report["rule"].values():
        assert set(figures) == {"off", "on", "lowered"}
        for column in figures.values():
            assert {"large_to_small", "small_share", "small_to_large", "below_label",
                    "cost_share"} <= set(column)
            assert 0.0 < column["cost_share"] <= 1.0
        # The baseline is lowered until its large work sent to small is no more than the rule's.
        assert figures["lowered"]["large_to_small"] <= figures["on"]["large_to_small"]
        assert figures["on"]["large_to_small"] <= figures["off"]["large_to_small"]


def test_a_corpus_of_one_writer_has_no_writer_report(tmp_path):
    path = corpus(tmp_path / "two.jsonl")
    one = [line for line in path.read_text().splitlines() if '"writer": "wa"' in line]
    path.write_text("\n".join(one) + "\n", encoding="utf-8")
    assert traffic_report(path, CONFIG)["writers"] == {}
