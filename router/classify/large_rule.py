"""The top-tier rule: how likely a request is to need the top tier, and where that bars the
small tier.

The tier model (traffic.py) gives one score; its own P(large) is a monotone function of it, so
cutting on it is the same as lowering the small tier's threshold. The rule here is a second
fitted output with its own coefficients over the same inputs (the reading's inputs and the
expertise strength, the ask's hashed words, the ask's embedding, the open term as an offset):

    p_large = sigmoid( x . w_large + open_term + bias )

a logistic fit of "labelled large" against the rest of the traffic corpus, started from and
shrunk towards the fitted tier model's weights (bias: minus the tier model's upper cut point),
so with an infinite penalty it is the tier model's own P(large). The classifier folds it into
its confidence,

    confidence = min(confidence, cap(p_large)),   cap = odds(cut) / (odds(cut) + odds(p_large))

which is 0.5 (policy.MIN_CHEAP_CONFIDENCE) at p_large == cut and lower above it, so the
policy's existing rule keeps every request with p_large above the cut off the small tier.

The cut is chosen by `router train` on out-of-fold predictions of the corpus: for each of the
family folds (traffic_cv.FOLDS, whole template families held out) and, when the corpus has two
or more writers, for each writer held out, the tier model and this fit are refitted without the
held-out requests, which are then scored as the gateway scores them. The cut is the highest at
which, in both sets of held-out predictions, at most LARGE_TO_SMALL_TARGET of the
large-labelled requests would still reach the small tier (difficulty at most the small cut
point and confidence at least 0.5; a capability raise is not modelled, which can only make the
cut stricter than it needs to be).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# The share of held-out large-labelled requests the cut may leave on the small tier, in the
# family folds and leave-one-writer-out alike. Held out on the three-writer corpus, a cut
# reaching 0 left the small tier 10% of the requests by family and 3% by writer (25% and 23%
# without the rule); one reaching 0.02 left it 20% and 18% (docs/routing.md, the top-tier rule).
LARGE_TO_SMALL_TARGET = 0.02
# The binary fit's L2 penalties are the tier model's (traffic.penalties) times this: out-of-fold
# on the corpus, 1 and 3 gave less small-tier share than 10 at the same held-out large->small.
PENALTY_SCALE = 10.0
# The confidence the cap gives at p_large == cut: policy.MIN_CHEAP_CONFIDENCE.
CAP_AT_CUT = 0.5


def cap(p_large: float, cut: float) -> float:
    """The confidence the rule allows: 0.5 at p_large == cut, below it above the cut, 1 at
    p_large == 0; always 1 with cut >= 1 (the rule off). Rounded down to 4 places, so a
    p_large above the cut never rounds up to 0.5."""
    import math

    if cut >= 1.0:
        return 1.0
    keep, risk = cut * (1.0 - p_large), p_large * (1.0 - cut)
    value = keep / (keep + risk) if keep + risk > 0 else 0.0
    return math.floor(value * 1e4) / 1e4


def bias() -> float:
    """The rule's fixed bias: minus the tier model's upper cut point (a logit), so that started
    from the tier model's weights p_large is the tier model's own P(large)."""
    import math

    from router.classify.traffic import TIER_CUTS

    return -math.log(TIER_CUTS[1] / (1.0 - TIER_CUTS[1]))


def fit(
    x: Any,
    is_large: np.ndarray,
    offset: np.ndarray,
    weights: np.ndarray,
    start: np.ndarray,
    penalty: np.ndarray,
) -> np.ndarray:
    """Weighted logistic fit of w over the columns of x (dense or sparse) to `is_large`, with a
    fixed offset; starts from and shrinks towards `start`, by `penalty` per column."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    y = np.asarray(is_large, dtype=bool)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w + offset
        ll = np.where(y, log_expit(z), log_expit(-z))
        dz = np.where(y, expit(-z), -expit(z))
        d = w - start
        value = -float(weights @ ll) + 0.5 * float(penalty @ (d * d))
        grad = -np.asarray(x.T @ (weights * dz)).ravel() + penalty * d
        return value, grad

    result = minimize(
        loss, start.copy(), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-9}
    )
    return np.asarray(result.x, dtype=np.float64)


def held_out_splits(
    families: Sequence[str], writers: Sequence[str | None], folds: int
) -> list[tuple[str, np.ndarray]]:
    """(name, held-out mask) of every family fold ("family fold k") and, with two or more named
    writers, of every writer held out (its name; requests without a writer stay in the fit)."""
    import numpy as np

    from router.classify.traffic import family_folds

    fold = family_folds(families, folds)
    splits = [(f"family fold {k}", fold == k) for k in range(folds)]
    named = np.array([w or "" for w in writers])
    writer_names = sorted(set(named.tolist()) - {""})
    if len(writer_names) > 1:
        splits += [(w, named == w) for w in writer_names]
    return splits


def choose_cut(
    p_large: np.ndarray,
    goes_small: np.ndarray,
    is_large: np.ndarray,
    sets: Sequence[np.ndarray],
    target: float = LARGE_TO_SMALL_TARGET,
) -> float:
    """The highest cut at which, in every set of rows (boolean masks over held-out predictions),
    at most `target` of the large-labelled rows that would go small have p_large <= cut; halfway
    between the last kept and the first barred prediction. 1.0 when nothing needs barring."""
    import numpy as np

    cut = 1.0
    for rows in sets:
        large = rows & is_large
        allowed = int(np.floor(target * large.sum() + 1e-9))
        risky = np.sort(p_large[large & goes_small])
        if len(risky) <= allowed:
            continue
        barred = float(risky[allowed])  # the lowest p_large that must not reach the small tier
        below = p_large[rows & goes_small]
        below = below[below < barred]
        kept = float(below.max()) if len(below) else 0.0
        cut = min(cut, (kept + barred) / 2.0)
    return cut
