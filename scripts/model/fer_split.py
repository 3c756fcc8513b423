"""The validation split carved out of FER-2013 `Usage == Training` (numpy only).

Every choice of a training run (best epoch, weight-averaging candidate, temperature) is made on
this split, so PublicTest stays an untouched final measure. The split is stratified (each class
keeps its share) and depends only on (seed, fraction) and the labels, so a resumed run, another
training seed or a later evaluation script recovers exactly the same rows.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stratified_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Returns (train_indices, val_indices), both sorted, into `labels` (the Training rows in CSV order).

    Each class contributes round(fraction x its count) rows to validation (at least one when the
    class has two or more rows), drawn with numpy's legacy RandomState(seed), whose stream is fixed
    across numpy versions.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels: expected a 1-D array, got shape {labels.shape}")
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction: expected a number between 0 and 1 (exclusive), got {fraction}")
    rng = np.random.RandomState(seed)
    val: list[np.ndarray] = []
    for cls in np.unique(labels):
        rows = np.flatnonzero(labels == cls)
        take = int(round(fraction * rows.size))
        if rows.size >= 2:
            take = min(max(take, 1), rows.size - 1)
        else:
            take = 0
        val.append(rng.permutation(rows)[:take])
    val_idx = np.sort(np.concatenate(val)) if val else np.zeros(0, dtype=np.int64)
    mask = np.ones(labels.size, dtype=bool)
    mask[val_idx] = False
    return np.flatnonzero(mask).astype(np.int64), val_idx.astype(np.int64)


def indices_sha256(indices: np.ndarray) -> str:
    """sha256 of the sorted indices as little-endian int64: names a split independently of how it was made."""
    return hashlib.sha256(np.sort(np.asarray(indices, dtype="<i8")).tobytes()).hexdigest()


def describe_split(labels: np.ndarray, fraction: float, seed: int, train_idx: np.ndarray,
                   val_idx: np.ndarray, label_names: list[str]) -> dict:
    """The record stored in last.pt, report.json and the manifest."""
    k = len(label_names)
    return {
        "source": "FER-2013 Usage == Training, row order of the CSV",
        "method": "stratified per class, numpy RandomState(seed).permutation, round(fraction x count) "
                  "rows per class (scripts/model/fer_split.py)",
        "seed": int(seed),
        "fraction": float(fraction),
        "train_rows": int(train_idx.size),
        "val_rows": int(val_idx.size),
        "val_per_class": {name: int(c) for name, c in
                          zip(label_names, np.bincount(labels[val_idx], minlength=k))},
        "val_indices_sha256": indices_sha256(val_idx),
    }
