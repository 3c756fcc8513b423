"""Mixup and cutmix of a training batch (no torch: numpy arrays and torch tensors alike).

A batch is mixed with a shuffled copy of itself; the soft targets mix in the same proportion as the
pixels. The draws come from a numpy Generator, which train.py seeds from the epoch's torch stream,
so a resumed run sees the same batches.
"""

from __future__ import annotations

import argparse
import math
from typing import Any, TypeVar

import numpy as np

Batch = TypeVar("Batch", bound=Any)


def mix_batch(x: Batch, t: Batch, args: argparse.Namespace,
              rng: np.random.Generator) -> tuple[Batch, Batch]:
    """Cutmix (probability --cutmix-prob) or mixup (--mixup alpha) of the batch `x` `[N, C, H, W]`
    (square images) with targets `t` `[N, K]`. Returns the inputs themselves when nothing is mixed;
    never modifies them."""
    n = x.shape[0]
    use_cutmix = args.cutmix_prob > 0 and float(rng.random()) < args.cutmix_prob
    if not use_cutmix and args.mixup <= 0:
        return x, t
    # A plain list indexes numpy arrays and torch tensors (on any device) alike.
    perm = rng.permutation(n).tolist()
    if use_cutmix:
        size = x.shape[-1]
        area = float(rng.random())  # pasted share of the image, Beta(1, 1)
        side = int(round(size * math.sqrt(area)))
        if side == 0:
            return x, t
        top = int(rng.integers(0, size - side + 1))
        left = int(rng.integers(0, size - side + 1))
        x = x.clone() if hasattr(x, "clone") else x.copy()
        x[:, :, top:top + side, left:left + side] = x[perm][:, :, top:top + side, left:left + side]
        lam = 1.0 - side * side / (size * size)
    else:
        lam = float(rng.beta(args.mixup, args.mixup))
        x = lam * x + (1 - lam) * x[perm]
    return x, lam * t + (1 - lam) * t[perm]
