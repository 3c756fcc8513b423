"""Load FER-2013 (+ FER+ votes) from the shared CSV.gz and cache the decoded arrays.

The CSV has the columns ``emotion,pixels,Usage`` followed by the FER+ vote columns
``neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF`` (empty where
FER+ dropped the image). Decoding 32k rows of text takes a few seconds, so the result is cached
as an .npz under ``/work/.cache/fer`` (outside the repository), keyed by the CSV's size and mtime.

Usage as a script (parses, validates, caches and prints a summary)::

    /usr/bin/python3 scripts/model/fer_data.py [--csv PATH] [--cache-dir DIR] [--rebuild]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_CSV = Path("/work/shared/datasets/fer2013/fer2013.csv.gz")
DEFAULT_CACHE_DIR = Path("/work/.cache/fer")

# FER-2013 class order; the model's logits use exactly this order.
FER_LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
# FER+ vote columns, in CSV order.
FERPLUS_COLUMNS = ("neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear",
                   "contempt", "unknown", "NF")
# The 8 FER+ emotion columns (contempt included) that define the FER+ majority label.
FERPLUS_EMOTIONS = FERPLUS_COLUMNS[:8]
# FER+ emotion column -> FER-2013 class index; contempt has no FER-2013 class (-1).
FERPLUS_TO_FER = np.array([6, 3, 5, 4, 0, 1, 2, -1], dtype=np.int64)
SPLITS = ("Training", "PublicTest")
EXPECTED_HEADER = ("emotion", "pixels", "Usage") + FERPLUS_COLUMNS
IMAGE_SIZE = 48


class FerDataError(ValueError):
    """A malformed row or file; the message names the CSV line."""


@dataclass(frozen=True)
class FerSplit:
    images: np.ndarray   # uint8 [N, 48, 48]
    labels: np.ndarray   # int64 [N], FER-2013 class 0..6
    votes: np.ndarray    # float32 [N, 10] FER+ votes in FERPLUS_COLUMNS order (0 where missing)
    has_votes: np.ndarray  # bool [N], False where FER+ dropped the image

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, idx: np.ndarray) -> "FerSplit":
        return FerSplit(self.images[idx], self.labels[idx], self.votes[idx], self.has_votes[idx])

    def ferplus_soft_targets(self) -> tuple[np.ndarray, np.ndarray]:
        """FER+ votes mapped to the 7 FER-2013 classes and normalised to sum 1.

        contempt, unknown and NF votes are dropped. Returns (targets [N,7] float32, valid [N] bool);
        rows without FER+ votes, or with no votes on the 7 classes, are invalid (all-zero targets).
        """
        soft = np.zeros((len(self), len(FER_LABELS)), dtype=np.float32)
        for col, fer_idx in enumerate(FERPLUS_TO_FER):
            if fer_idx >= 0:
                soft[:, fer_idx] += self.votes[:, col]
        total = soft.sum(axis=1)
        valid = self.has_votes & (total > 0)
        soft[valid] /= total[valid, None]
        soft[~valid] = 0.0
        return soft, valid

    def ferplus_majority(self) -> tuple[np.ndarray, np.ndarray]:
        """FER+ majority label = argmax over the 8 FER+ emotion votes (ties -> first column).

        Returns (majority [N] int64 index into FERPLUS_EMOTIONS, valid [N] bool); invalid where
        FER+ dropped the image or all 8 emotion votes are zero (the image went to unknown/NF).
        """
        emo = self.votes[:, :8]
        valid = self.has_votes & (emo.sum(axis=1) > 0)
        return emo.argmax(axis=1).astype(np.int64), valid


def _parse_rows(csv_path: Path) -> dict[str, FerSplit]:
    images: dict[str, list[np.ndarray]] = {s: [] for s in SPLITS}
    labels: dict[str, list[int]] = {s: [] for s in SPLITS}
    votes: dict[str, list[list[float]]] = {s: [] for s in SPLITS}
    has_votes: dict[str, list[bool]] = {s: [] for s in SPLITS}

    with gzip.open(csv_path, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != EXPECTED_HEADER:
            raise FerDataError(f"{csv_path}: line 1: expected header {','.join(EXPECTED_HEADER)}, "
                               f"got {header!r}")
        for row in reader:
            line = reader.line_num
            where = f"{csv_path}: line {line} (data row {line - 1})"
            if len(row) != len(EXPECTED_HEADER):
                raise FerDataError(f"{where}: expected {len(EXPECTED_HEADER)} columns, got {len(row)}")
            emotion, pixels, usage = row[0].strip(), row[1], row[2].strip()
            if usage not in SPLITS:
                raise FerDataError(f"{where}: expected Usage in {SPLITS}, got {usage!r}")
            if not emotion.isdigit() or not 0 <= int(emotion) < len(FER_LABELS):
                raise FerDataError(f"{where}: expected emotion 0..6, got {emotion!r}")
            try:
                px = np.array(pixels.split(), dtype=np.int64)
            except ValueError as exc:
                raise FerDataError(f"{where}: pixels are not integers: {exc}") from None
            if px.size != IMAGE_SIZE * IMAGE_SIZE:
                raise FerDataError(f"{where}: expected {IMAGE_SIZE * IMAGE_SIZE} pixels, got {px.size}")
            if px.min() < 0 or px.max() > 255:
                raise FerDataError(f"{where}: pixel values outside 0..255 "
                                   f"(min {px.min()}, max {px.max()})")
            vote_cells = [c.strip() for c in row[3:]]
            if all(c == "" for c in vote_cells):
                v, hv = [0.0] * len(FERPLUS_COLUMNS), False
            elif any(c == "" for c in vote_cells):
                raise FerDataError(f"{where}: FER+ vote columns are partly empty: {vote_cells}")
            else:
                try:
                    v = [float(c) for c in vote_cells]
                except ValueError:
                    raise FerDataError(f"{where}: FER+ votes are not numbers: {vote_cells}") from None
                if any(x < 0 for x in v):
                    raise FerDataError(f"{where}: negative FER+ vote: {vote_cells}")
                hv = True
            images[usage].append(px.astype(np.uint8).reshape(IMAGE_SIZE, IMAGE_SIZE))
            labels[usage].append(int(emotion))
            votes[usage].append(v)
            has_votes[usage].append(hv)

    out = {}
    for s in SPLITS:
        if not labels[s]:
            raise FerDataError(f"{csv_path}: no rows with Usage={s}")
        out[s] = FerSplit(images=np.stack(images[s]),
                          labels=np.array(labels[s], dtype=np.int64),
                          votes=np.array(votes[s], dtype=np.float32),
                          has_votes=np.array(has_votes[s], dtype=bool))
    return out


def _cache_path(csv_path: Path, cache_dir: Path) -> Path:
    st = csv_path.stat()
    key = hashlib.sha256(f"{csv_path.resolve()}|{st.st_size}|{int(st.st_mtime)}|v1".encode()).hexdigest()
    return cache_dir / f"fer2013-{key[:16]}.npz"


def load_fer(csv_path: Path = DEFAULT_CSV, cache_dir: Path = DEFAULT_CACHE_DIR,
             rebuild: bool = False) -> dict[str, FerSplit]:
    """Return {'Training': FerSplit, 'PublicTest': FerSplit}, decoding the CSV once and caching
    (or unpacking a `fer_pack.py` archive, `*.pack`; or reading a cache file, `*.npz`, as given)."""
    csv_path = Path(csv_path)
    if csv_path.suffix == ".pack":  # fer_pack.py's archive, for a machine without the CSV
        from fer_pack import unpack
        return unpack(csv_path)
    if not csv_path.is_file():
        raise FileNotFoundError(f"FER-2013 CSV not found: {csv_path}")
    cache = csv_path if csv_path.suffix == ".npz" else _cache_path(csv_path, Path(cache_dir))
    if cache.is_file() and (not rebuild or cache == csv_path):
        with np.load(cache) as z:
            return {s: FerSplit(images=z[f"{s}_images"], labels=z[f"{s}_labels"],
                                votes=z[f"{s}_votes"], has_votes=z[f"{s}_has_votes"])
                    for s in SPLITS}
    data = _parse_rows(csv_path)
    cache.parent.mkdir(parents=True, exist_ok=True)
    save_arrays(data, cache, compressed=True)
    return data


def save_arrays(data: dict[str, FerSplit], path: Path, compressed: bool) -> None:
    """Writes `data` in the cache's format (what `load_fer` reads from a `.npz`), atomically."""
    tmp = path.with_suffix(".tmp.npz")
    arrays = {}
    for s, d in data.items():
        arrays.update({f"{s}_images": d.images, f"{s}_labels": d.labels,
                       f"{s}_votes": d.votes, f"{s}_has_votes": d.has_votes})
    (np.savez_compressed if compressed else np.savez)(tmp, **arrays)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    ap.add_argument("--rebuild", action="store_true", help="ignore an existing cache")
    args = ap.parse_args(argv)
    try:
        data = load_fer(args.csv, args.cache_dir, args.rebuild)
    except FerDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for s, d in data.items():
        counts = np.bincount(d.labels, minlength=len(FER_LABELS))
        print(f"{s}: {len(d)} images, FER+ votes on {int(d.has_votes.sum())}; per class "
              + ", ".join(f"{n}={c}" for n, c in zip(FER_LABELS, counts)))
        print(f"  pixel mean {d.images.mean() / 255:.4f}, std {d.images.std() / 255:.4f} (as x/255)")
    print(f"cache: {_cache_path(args.csv, args.cache_dir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
