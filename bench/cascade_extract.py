"""CPU cost of verifying one answer pair: extract both final answers and compare them.

Run: python bench/cascade_extract.py [--n 2000]
Outputs of 300-2,000 characters in the styles models use (a JSON object after some prose,
a fenced JSON block with LaTeX in the reasoning, `\\boxed{}`, `####`, "The answer is ...",
"Answer: (C)", an `assert` line, a last line). Prints the CPU time per pair (mean, p50,
p99) for each style; exits 1 when the p99 of any style reaches the 1 ms budget.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from router.cascade import Kind, agree, extract

BUDGET_MS = 1.0

_STEP = (
    "Next we account for the {n} items that were set aside earlier, multiply by the unit price "
    "and subtract what was already paid, keeping track of the running total as we go. "
)


def _reasoning(chars: int) -> str:
    out: list[str] = []
    n = 1
    while sum(len(s) for s in out) < chars:
        out.append(_STEP.format(n=n))
        n += 1
    return "".join(out)[:chars]


def outputs(chars: int) -> dict[str, tuple[Kind, str, str]]:
    """Style -> (kind, cheap model's output, partner's output), each about `chars` long."""
    body = _reasoning(chars)
    latex = (
        body[: chars // 2] + r" so \(x = \frac{3}{4}\) and \(y = \sqrt{2}\); " + body[chars // 2 :]
    )
    return {
        "json after prose": (
            Kind.NUMERIC,
            f'Let me think.\n\n{{"reasoning": "{body}", "answer": "$1,234.50"}}',
            f'{{"reasoning": "{body[::-1]}", "answer": 1234.5}}',
        ),
        "fenced json, latex": (
            Kind.NUMERIC,
            f'```json\n{{\n  "reasoning": "{latex}",\n  "answer": "\\\\frac{{3}}{{4}}"\n}}\n```',
            f"{body}\n\nThe answer is 0.75.",
        ),
        "boxed": (
            Kind.NUMERIC,
            f"{body}\n\nThus $\\boxed{{\\dfrac{{7}}{{2}}}}$.",
            f"{body}\n#### 3.5",
        ),
        "answer is / final": (
            Kind.NUMERIC,
            f"{body}\n\nThe answer is 42 apples.\n\nLet me know if this helps.",
            f"**Reasoning**\n{body}\n\n**Final Answer:** 42",
        ),
        "choice": (Kind.CHOICE, f"{body}\n\nAnswer: (C)", f"{body}\n\n**C**"),
        "assert / code": (
            Kind.LITERAL,
            f"{body}\n\n[PYTHON]\nassert f([3, 1, 2]) == [(1, 'a'), (2, 'b')]\n[/PYTHON]",
            f"{body}\n\n```python\n[(1, 'a'), (2, 'b')]\n```",
        ),
        "last line": (Kind.NUMERIC, f"{body}\nSo 16 - 3 - 4 = 9", f"{body}\nTotal: 9 eggs"),
    }


def cpu_per_pair_ms(kind: Kind, a: str, b: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t = time.process_time_ns()
        ok = agree(extract(a, kind), extract(b, kind))
        times.append((time.process_time_ns() - t) / 1e6)
        if not ok:
            raise SystemExit(f"bench outputs must agree; they do not ({kind}): fix the bench")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="pairs per style and length")
    args = parser.parse_args()
    worst = 0.0
    print(f"{'style':<22} {'chars':>6} {'mean ms':>8} {'p50 ms':>7} {'p99 ms':>7}")
    for chars in (300, 2000):
        for style, (kind, a, b) in outputs(chars).items():
            times = sorted(cpu_per_pair_ms(kind, a, b, args.n))
            p50 = times[len(times) // 2]
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            worst = max(worst, p99)
            size = (len(a) + len(b)) // 2
            mean = statistics.fmean(times)
            print(f"{style:<22} {size:>6} {mean:>8.3f} {p50:>7.3f} {p99:>7.3f}")
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"worst p99 {worst:.3f} ms per pair: {verdict} the {BUDGET_MS:g} ms budget")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
