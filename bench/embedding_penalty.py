"""The tier model's embedding penalty, chosen on the traffic corpus only.

Run: python bench/embedding_penalty.py [--traffic FILE] [--penalties 0.03,0.1,0.3,1,3,10]
For each L2 penalty on the embedding's weights (traffic.EMBED_PENALTY), `router eval
--traffic`'s report with that penalty (the reading's and the
vocabulary's penalties as shipped): the family-fold cross-validated figures and, per writer,
the leave-one-writer-out ones. The shipped choice and its table are in docs/routing.md
(Training). Never run on tests/open_traffic: that set is for reporting only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEYS = (
    ("auc_large_vs_small", "AUC L/S", "{:.3f}"),
    ("auc_short_hard_vs_long_easy", "AUC SH/LE", "{:.3f}"),
    ("large_to_small", "L->small", "{:.1%}"),
    ("below_label", "below", "{:.1%}"),
)


def main() -> int:
    from router.classify import traffic
    from router.classify.traffic_cv import traffic_report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traffic", default=str(traffic.DEFAULT_CORPUS))
    parser.add_argument("--config", default=str(ROOT / "config" / "default.yaml"))
    parser.add_argument("--weights", default=None, help="weights file (default: the shipped one)")
    parser.add_argument("--penalties", default="0.03,0.1,0.3,1,3,10")
    args = parser.parse_args()
    lams = [float(v) for v in args.penalties.split(",")]
    head = f"{'embedding penalty':<18}{'':<8}" + "".join(f"{name:>11}" for _, name, _ in KEYS)
    print(f"traffic corpus {args.traffic}; reading / vocabulary penalties "
          f"{traffic.PENALTY:g} / {traffic.VOCAB_PENALTY:g}\n")
    print(head)
    for lam in lams:
        report = traffic_report(
            args.traffic, args.config, args.weights, (traffic.PENALTY, traffic.VOCAB_PENALTY, lam)
        )
        rows = [("by family", report["models"]["cross-validated"])]
        rows += [(f"{w} out", figs) for w, figs in report["writers"].items()]
        for i, (name, figs) in enumerate(rows):
            label = f"{lam:g}" if i == 0 else ""
            print(f"{label:<18}{name:<8}"
                  + "".join(f"{fmt.format(figs[key]):>11}" for key, _, fmt in KEYS))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
