"""The per-face denoising step, the twin of `src/vision/denoise-crop.ts` (numpy only).

A grainy 48x48 face is blurred before the model reads it, by as much as the grain measured on the
face itself calls for (Immerkær's estimate, as `measureLight` computes it). The rule is a model's
(`denoise` in models/manifest.json): steps by rising grain, each an integer kernel whose weights sum
to 256; rows then columns, the edge pixel repeated beyond the border, one rounding at the end. Every
step is integer arithmetic, so the daemon and this file give the same bytes (make_test_fixtures.py
writes the fixture the daemon's test compares against).

    /usr/bin/python3 scripts/model/face_denoise.py --sigmas 0.5,0.7,0.9   # prints the kernels
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np

KERNEL_SUM = 256
# √(π/2) / 6, as light-measure.ts computes it (the same double).
IMMERKAER = math.sqrt(math.pi / 2) / 6


def kernel_for(sigma: float) -> list[int]:
    """A Gaussian of `sigma` px as whole weights summing to 256 (radius ceil(3σ), at most 4)."""
    if not 0.3 <= sigma <= 1.4:
        raise ValueError(f"sigma: expected 0.3-1.4 px (a light blur), got {sigma}")
    r = min(4, max(1, math.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    w = np.floor(k / k.sum() * KERNEL_SUM + 0.5).astype(np.int64)
    w[r] += KERNEL_SUM - int(w.sum())
    while len(w) > 3 and w[0] == 0 and w[-1] == 0:  # taps that weigh nothing
        w = w[1:-1]
    return [int(v) for v in w]


def grain(faces: np.ndarray) -> list[float]:
    """Each face's noise in grey levels (uint8 [N,H,W]), bit for bit as `measureLight` gives it."""
    x = faces.astype(np.int64)
    r = (x[:, :-2, :-2] - 2 * x[:, :-2, 1:-1] + x[:, :-2, 2:]
         - 2 * (x[:, 1:-1, :-2] - 2 * x[:, 1:-1, 1:-1] + x[:, 1:-1, 2:])
         + x[:, 2:, :-2] - 2 * x[:, 2:, 1:-1] + x[:, 2:, 2:])
    sums = np.abs(r).sum(axis=(1, 2))
    inner = (faces.shape[1] - 2) * (faces.shape[2] - 2)
    return [(IMMERKAER * float(s)) / inner for s in sums]


def blur(faces: np.ndarray, kernel: list[int]) -> np.ndarray:
    """uint8 [N,H,W] blurred with `kernel`: rows, then columns, edges repeated, rounded once."""
    k = np.asarray(kernel, dtype=np.int64)
    r = len(k) // 2
    h, w = faces.shape[1:]
    p = np.pad(faces.astype(np.int64), ((0, 0), (r, r), (r, r)), mode="edge")
    rows = sum(k[i] * p[:, :, i:i + w] for i in range(len(k)))
    cols = sum(k[i] * rows[:, i:i + h, :] for i in range(len(k)))
    return ((cols + 32768) // 65536).astype(np.uint8)


def denoise(faces: np.ndarray, steps: list[dict]) -> np.ndarray:
    """uint8 [N,48,48] as the rule reads them: each face blurred by the last step its grain reaches."""
    out = faces.copy()
    noise = np.asarray(grain(faces))
    chosen = np.full(len(faces), -1)
    for i, step in enumerate(steps):
        chosen[noise >= step["fromNoise"]] = i
    for i, step in enumerate(steps):
        idx = np.nonzero(chosen == i)[0]
        if idx.size:
            out[idx] = blur(faces[idx], step["kernel"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sigmas", required=True, help="comma-separated σ in px")
    args = ap.parse_args(argv)
    print(json.dumps({s: kernel_for(float(s)) for s in args.sigmas.split(",")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
