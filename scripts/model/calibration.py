"""Temperature scaling and expected calibration error (numpy only).

The mood tracker gates faces on the top probability (0.35), so the probabilities should mean what
they say. One temperature T divides the logits before the softmax; with flip-TTA the daemon
averages softmax(logits / T) of the face and of its mirror, and the fit below minimises the
negative log-likelihood of exactly that average on the validation split.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

# Temperatures searched (log-spaced): far wider than any trained classifier needs.
T_MIN, T_MAX = 0.05, 20.0


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def tta_probs(views: Sequence[np.ndarray], temperature: float = 1.0) -> np.ndarray:
    """Mean of softmax(logits / T) over the views (one view: no TTA; two: image and mirror)."""
    return sum(softmax(v, temperature) for v in views) / len(views)


def nll(probs: np.ndarray, labels: np.ndarray) -> float:
    p = probs[np.arange(labels.size), labels]
    return float(-np.log(np.maximum(p, 1e-12)).mean())


def fit_temperature(views: Sequence[np.ndarray], labels: np.ndarray) -> float:
    """The T in [T_MIN, T_MAX] minimising the NLL of tta_probs(views, T): a log-spaced grid, then a
    golden-section search around the best grid point."""
    labels = np.asarray(labels)
    if not views or any(v.shape != (labels.size, views[0].shape[1]) for v in views):
        raise ValueError("views: expected one [N, K] logits array per view, N = len(labels)")
    if labels.size == 0:
        raise ValueError("labels: no rows to fit a temperature on")

    def loss(log_t: float) -> float:
        return nll(tta_probs(views, math.exp(log_t)), labels)

    grid = np.linspace(math.log(T_MIN), math.log(T_MAX), 61)
    losses = [loss(g) for g in grid]
    i = int(np.argmin(losses))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = loss(a), loss(b)
    for _ in range(40):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = loss(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = loss(b)
    return float(math.exp((lo + hi) / 2))


def calibration_bins(probs: np.ndarray, labels: np.ndarray, n_bins: int = 15) -> list[dict]:
    """Equal-width bins of the top probability over (0, 1]: rows, mean confidence, accuracy."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    # Bin b holds confidences in (b/n, (b+1)/n]; a confidence of exactly 0 cannot happen (>= 1/K).
    which = np.clip(np.ceil(conf * n_bins).astype(int) - 1, 0, n_bins - 1)
    bins = []
    for b in range(n_bins):
        m = which == b
        bins.append({"lower": b / n_bins, "upper": (b + 1) / n_bins, "rows": int(m.sum()),
                     "confidence": float(conf[m].mean()) if m.any() else None,
                     "accuracy": float(correct[m].mean()) if m.any() else None})
    return bins


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, n_bins: int = 15) -> float:
    """ECE: sum over bins of (rows in bin / N) x |accuracy - mean confidence| (top-label, equal width)."""
    n = labels.size
    return float(sum(b["rows"] / n * abs(b["accuracy"] - b["confidence"])
                     for b in calibration_bins(probs, labels, n_bins) if b["rows"]))
