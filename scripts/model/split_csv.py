"""Write the validation split (fer_split.py) as a FER-2013 CSV, so the daemon's own evaluation
(`moodbox eval CSV --usage Validation`) can measure any model on it. numpy only.

    /usr/bin/python3 scripts/model/split_csv.py --out /tmp/fer-validation.csv.gz \
        [--fraction 0.1] [--seed 0] [--expect-sha256 HASH]

The rows are the held-out `Usage == Training` rows, unchanged (pixels, FER-2013 label, FER+ votes),
with Usage set to `Validation`. `--expect-sha256` (a run's `validation_split.val_indices_sha256`)
refuses to write a different split than the one a training run held out.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import DEFAULT_CSV  # noqa: E402
from fer_split import indices_sha256, stratified_split  # noqa: E402

USAGE = "Validation"


def write_validation_csv(source: Path, out: Path, fraction: float, seed: int,
                         expect_sha256: str | None = None) -> dict:
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    if header[:3] != ["emotion", "pixels", "Usage"]:
        raise SystemExit(f"{source}: line 1: expected a FER-2013 header emotion,pixels,Usage,..., got {header[:3]}")
    training = [r for r in body if r[2] == "Training"]
    if not training:
        raise SystemExit(f"{source}: no rows with Usage=Training")
    labels = np.array([int(r[0]) for r in training])
    _, val_idx = stratified_split(labels, fraction, seed)
    digest = indices_sha256(val_idx)
    if expect_sha256 is not None and digest != expect_sha256:
        raise SystemExit(f"--expect-sha256: the split of fraction {fraction}, seed {seed} has sha256 {digest}, "
                         f"not {expect_sha256}")
    out_opener = gzip.open if out.suffix == ".gz" else open
    with out_opener(out, "wt", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for i in val_idx:
            writer.writerow([*training[i][:2], USAGE, *training[i][3:]])
    return {"rows": int(val_idx.size), "val_indices_sha256": digest, "usage": USAGE, "out": str(out)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--fraction", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--expect-sha256", default=None)
    args = ap.parse_args(argv)
    print(write_validation_csv(args.csv, args.out, args.fraction, args.seed, args.expect_sha256))
    return 0


if __name__ == "__main__":
    sys.exit(main())
