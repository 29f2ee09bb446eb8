"""How a benchmark answer-format template moves the classifier (router/classify/answer_format.py).

Scores every ZeroEval question (../shared/data/zeroeval_tiers) bare and with ZeroEval's zero-shot
JSON instruction appended, and prints per benchmark how many change task class or reported task,
and the mean and largest change of the difficulty. With the template removed before reading, none
should change.

    .venv/bin/python bench/answer_format_effect.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from router.classify import load_classifier
from router.classify.base import prompt_request
from router.data import default_data_dir

ZEROEVAL = (  # ZeroEval's lines end in a space where shown
    "## Question: \n\n{question}\n\n## Instruction \n\n"
    "Please answer this question by first reasoning and then providing your answer.\n"
    "Present your reasoning and solution in the following json format. \n"
    'Please show your final answer in the `answer` field, e.g.,`"answer": "42"`.\n\n'
    '```json\n{{\n    "reasoning": "___",\n    "answer": "___"\n}}\n```\n'
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=None)
    data = parser.parse_args().data or default_data_dir()
    with gzip.open(data / "zeroeval_tiers" / "prompts.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    clf = load_classifier("learned")
    for bench in sorted({r["benchmark"] for r in rows}):
        moved_class = moved_task = 0
        shifts = []
        questions = [r["question"] for r in rows if r["benchmark"] == bench]
        for q in questions:
            bare = clf.score(prompt_request(q))
            templated = clf.score(prompt_request(ZEROEVAL.format(question=q)))
            moved_class += bare.signals["task_class"] != templated.signals["task_class"]
            moved_task += bare.task != templated.task
            shifts.append(abs(bare.difficulty - templated.difficulty))
        print(
            f"{bench:<11} n={len(questions):>5}: task class changed {moved_class}, task changed"
            f" {moved_task}, difficulty shift mean {sum(shifts) / len(shifts):.4f},"
            f" max {max(shifts):.4f}"
        )


if __name__ == "__main__":
    main()
