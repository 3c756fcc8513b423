"""Pack the decoded FER-2013 arrays into one small file, for a machine without the shared CSV.

The CSV.gz is 85 MB; the GPU machine's working tree may carry 64 MiB in all. Each face is
stored as the residual of the LOCO-I (JPEG-LS) median edge predictor, then the whole archive is
LZMA-compressed: 50 MB, lossless (`unpack` returns the very arrays `load_fer` gives).

    /usr/bin/python3 scripts/model/fer_pack.py --out .fer/fer2013.pack     # pack (about 2 minutes)
    train.py --csv .fer/fer2013.pack ...                                   # load_fer reads it
    fer_pack.py --unpack .fer/fer2013.pack --out /tmp/fer.npz   # once, for several runs at a time
    train.py --csv /tmp/fer.npz ...

numpy only.
"""

from __future__ import annotations

import argparse
import io
import lzma
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import DEFAULT_CACHE_DIR, DEFAULT_CSV, SPLITS, FerSplit, load_fer, save_arrays  # noqa: E402

MAGIC = b"moodbox-fer-pack-v1\n"


def _predict(left: np.ndarray, up: np.ndarray, up_left: np.ndarray) -> np.ndarray:
    """The median edge predictor on int16 arrays."""
    hi, lo = np.maximum(left, up), np.minimum(left, up)
    return np.where(up_left >= hi, lo, np.where(up_left <= lo, hi, left + up - up_left))


def residuals(images: np.ndarray) -> np.ndarray:
    """uint8 [N,H,W] -> uint8 residuals (image - prediction, mod 256); outside pixels count as 0."""
    x = images.astype(np.int16)
    left = np.zeros_like(x)
    left[:, :, 1:] = x[:, :, :-1]
    up = np.zeros_like(x)
    up[:, 1:, :] = x[:, :-1, :]
    up_left = np.zeros_like(x)
    up_left[:, 1:, 1:] = x[:, :-1, :-1]
    return ((x - _predict(left, up, up_left)) % 256).astype(np.uint8)


def restore(res: np.ndarray) -> np.ndarray:
    """The inverse of `residuals`: pixel by pixel in raster order, all images at once."""
    n, h, w = res.shape
    out = np.zeros((n, h + 1, w + 1), dtype=np.int16)  # a row and a column of zeros before the image
    r = res.astype(np.int16)
    for i in range(h):
        for j in range(w):
            pred = _predict(out[:, i + 1, j], out[:, i, j + 1], out[:, i, j])
            out[:, i + 1, j + 1] = (pred + r[:, i, j]) % 256
    return out[:, 1:, 1:].astype(np.uint8)


def pack(data: dict[str, FerSplit], path: Path) -> None:
    arrays = {}
    for s, d in data.items():
        arrays.update({f"{s}_residuals": residuals(d.images), f"{s}_labels": d.labels,
                       f"{s}_votes": d.votes, f"{s}_has_votes": d.has_votes})
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(MAGIC + lzma.compress(buf.getvalue(), preset=6))
    tmp.replace(path)


def unpack(path: Path) -> dict[str, FerSplit]:
    blob = Path(path).read_bytes()
    if not blob.startswith(MAGIC):
        raise ValueError(f"{path}: not a FER pack (expected it to start with {MAGIC!r})")
    try:
        archive = lzma.decompress(blob[len(MAGIC):])
    except lzma.LZMAError as exc:
        raise ValueError(f"{path}: a damaged FER pack ({exc}): make it again with fer_pack.py --out") from None
    with np.load(io.BytesIO(archive)) as z:
        return {s: FerSplit(images=restore(z[f"{s}_residuals"]), labels=z[f"{s}_labels"],
                            votes=z[f"{s}_votes"], has_votes=z[f"{s}_has_votes"]) for s in SPLITS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--unpack", type=Path, default=None,
                    help="instead: unpack this archive to --out, a .npz that load_fer reads as it is")
    args = ap.parse_args(argv)
    if args.unpack is not None:
        data = unpack(args.unpack)
        save_arrays(data, args.out, compressed=False)
        print(f"{args.out}: " + ", ".join(f"{s} {len(data[s])} rows" for s in SPLITS))
        return 0
    data = load_fer(args.csv, args.cache_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pack(data, args.out)
    back = unpack(args.out)
    for s in SPLITS:
        for field in ("images", "labels", "votes", "has_votes"):
            if not np.array_equal(getattr(data[s], field), getattr(back[s], field)):
                raise SystemExit(f"{args.out}: {s} {field} differ after unpacking")
    print(f"{args.out}: {args.out.stat().st_size} bytes, "
          + ", ".join(f"{s} {len(data[s])} rows" for s in SPLITS) + "; unpacks to the same arrays")
    return 0


if __name__ == "__main__":
    sys.exit(main())
