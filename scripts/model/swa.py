"""Weight averaging and the cyclic learning-rate schedule used by train.py for fine-tuning.

No torch import: the functions work on anything with + - and / (numpy arrays, torch tensors,
floats), so they are unit-tested with numpy alone (test_swa.py).

Fine-tuning recipe (see README.md): start from a trained checkpoint (`train.py --init`), run SGD
with a per-epoch cosine cycle from the peak LR down to a low LR (`--schedule cyclic`), and keep the
running mean of the weights at the end of every epoch from `--swa-start` on (stochastic weight
averaging, Izmailov et al. 2018). BatchNorm statistics of the averaged weights are re-estimated
on training images before the averaged model is evaluated or saved.
"""

from __future__ import annotations

import math
from typing import Mapping, MutableMapping


def cyclic_lr(step: int, steps_per_epoch: int, peak: float, low: float) -> float:
    """LR at optimiser step `step` (0-based): a cosine from `peak` (first step of every epoch)
    down towards `low` (last step of the epoch), restarting at every epoch."""
    if steps_per_epoch < 1:
        raise ValueError("steps_per_epoch must be >= 1")
    if not 0 <= low <= peak:
        raise ValueError(f"need 0 <= low <= peak, got low={low}, peak={peak}")
    t = (step % steps_per_epoch) / steps_per_epoch
    return low + (peak - low) * (1 + math.cos(math.pi * t)) / 2


def update_average(average: MutableMapping | None, weights: Mapping, count: int) -> dict:
    """Running mean: returns the mean of `count` + 1 snapshots, given the mean of the first `count`
    (`average`, None when count == 0) and the new snapshot `weights` (name -> array).

    Entries are copied, never aliased: later changes to `weights` do not alter the average.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if count == 0 or average is None:
        if count != 0:
            raise ValueError("no average given for count > 0")
        return {k: _copy(v) for k, v in weights.items()}
    if set(average) != set(weights):
        raise ValueError(f"snapshot keys differ: {sorted(set(average) ^ set(weights))}")
    return {k: average[k] + (weights[k] - average[k]) / (count + 1) for k in weights}


def _copy(value):
    for name in ("clone", "copy"):  # torch.Tensor.clone, numpy.ndarray.copy
        method = getattr(value, name, None)
        if callable(method):
            return method()
    return value

