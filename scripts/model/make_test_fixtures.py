"""Write the small fixtures the daemon's vision tests compare against (needs torch: it runs the
training code's own preprocessing).

    /usr/bin/python3 scripts/model/make_test_fixtures.py [--csv PATH] [--out src/vision/testing/fixtures]

- `fer-tiny.csv`: 9 rows copied verbatim from the FER-2013 CSV (8 PublicTest, one per class plus
  a row that FER+ dropped and a row whose FER+ majority is contempt; 1 Training), with the FER+
  vote columns. FER-2013 images must not be shipped beyond a few test and demo frames.
- `preprocess-golden.json`: faces in, tensors out, as `train.normalise` (the function training
  and evaluation use) and flip-TTA's `torch.flip(x, dims=[3])` compute them: a synthetic face
  holding every grey level 0..255 and the first two faces of `fer-tiny.csv`. Faces are base64
  bytes (48x48, row-major); tensors are base64 little-endian float32, NCHW.
- `denoise-golden.json`: faces in, grain and smoothed faces out, as `face_denoise.py` (the twin of
  the daemon's `denoise-crop.ts`) computes them: the faces above, and two of them through the
  webcam model in dim light (`low_light.camera`, 12% and 4% of daylight, seed 1).
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import DEFAULT_CSV, EXPECTED_HEADER, IMAGE_SIZE  # noqa: E402
from fer_model import MEAN, STD  # noqa: E402
from train import normalise  # noqa: E402
import face_denoise  # noqa: E402
from low_light import camera  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "src" / "vision" / "testing" / "fixtures"
# (Usage, index within that split): PublicTest angry, disgust (FER+ majority contempt), sad, neutral,
# happy, fear, surprise, angry without FER+ votes; one Training row.
ROWS = (("PublicTest", 0), ("PublicTest", 1), ("PublicTest", 2), ("PublicTest", 3), ("PublicTest", 4),
        ("PublicTest", 6), ("PublicTest", 16), ("PublicTest", 738), ("Training", 0))


def pick_rows(csv_path: Path) -> tuple[list[str], list[list[str]]]:
    wanted = {key: None for key in ROWS}
    seen: dict[str, int] = {}
    with gzip.open(csv_path, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        for row in reader:
            usage = row[2]
            key = (usage, seen.get(usage, 0))
            seen[usage] = key[1] + 1
            if key in wanted:
                wanted[key] = row
    missing = [k for k, v in wanted.items() if v is None]
    if missing:
        raise SystemExit(f"{csv_path}: rows not found: {missing}")
    return header, [wanted[k] for k in ROWS]


def gradient_face() -> np.ndarray:
    """Every grey level 0..255 (each 9 times), left-right asymmetric so a mirror changes it."""
    r, c = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE]
    return ((r * IMAGE_SIZE + c) % 256).astype(np.uint8)


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def to_json(obj: dict, width: int = 140) -> str:
    """JSON laid out as Prettier lays it out (so the repository's format check accepts the file)."""
    lines = ["{"]
    for i, (key, value) in enumerate(obj.items()):
        comma = "," if i < len(obj) - 1 else ""
        inline = f"  {json.dumps(key)}: {json.dumps(value, separators=(', ', ': '))}{comma}"
        if not isinstance(value, (list, dict)) or len(inline) <= width:
            lines.append(inline.replace('{"', '{ "').replace('}', ' }') if isinstance(value, dict) else inline)
            continue
        lines.append(f"  {json.dumps(key)}: " + ("[" if isinstance(value, list) else "{"))
        items = [json.dumps(v) for v in value] if isinstance(value, list) else [
            f"{json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()]
        lines += [f"    {item}{',' if j < len(items) - 1 else ''}" for j, item in enumerate(items)]
        lines.append(("  ]" if isinstance(value, list) else "  }") + comma)
    return "\n".join(lines + ["}"]) + "\n"


def denoise_golden(faces: list[np.ndarray]) -> dict:
    """Each face's grain, the face blurred by each kernel, and the face as a three-step rule reads it."""
    rng = np.random.default_rng(1)
    dim = [camera(faces[1][None], 0.12, "auto", rng)[0], camera(faces[2][None], 0.04, "auto", rng)[0]]
    batch = np.stack(list(faces) + dim)
    kernels = [face_denoise.kernel_for(s) for s in (0.5, 0.7, 0.9, 1.2)]
    rule = {"steps": [{"fromNoise": 4, "kernel": kernels[0]}, {"fromNoise": 9, "kernel": kernels[1]},
                      {"fromNoise": 16, "kernel": kernels[2]}]}
    return {
        "about": "faces -> grain and smoothed faces as scripts/model/face_denoise.py computes them; written by "
                 "scripts/model/make_test_fixtures.py",
        "faces": [b64(f) for f in batch],
        "faceSources": ["synthetic: every grey level", "fer-tiny.csv data row 1", "fer-tiny.csv data row 2",
                        "row 1 through the webcam model at 12% of daylight", "row 2 at 4%"],
        "grain": face_denoise.grain(batch),
        "kernels": kernels,
        "blurred": [[b64(face_denoise.blur(batch[i:i + 1], k)[0]) for k in kernels] for i in range(len(batch))],
        "rule": rule,
        "denoised": [b64(f) for f in face_denoise.denoise(batch, rule["steps"])],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    header, rows = pick_rows(args.csv)
    if tuple(header) != EXPECTED_HEADER:
        raise SystemExit(f"unexpected header {header}")
    with open(args.out / "fer-tiny.csv", "w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    faces = [gradient_face()] + [np.array(r[1].split(), dtype=np.uint8).reshape(IMAGE_SIZE, IMAGE_SIZE)
                                 for r in rows[:2]]
    if len(np.unique(faces[0])) != 256:
        raise SystemExit("the gradient face must hold every grey level")
    batch = torch.from_numpy(np.stack(faces))
    x = normalise(batch)
    mirrored = torch.flip(x, dims=[3])
    golden = {
        "about": "faces -> tensors as scripts/model/train.py normalise() computes them; written by "
                 "scripts/model/make_test_fixtures.py",
        "normalisation": {"scale": 255, "mean": MEAN, "std": STD},
        "shape": list(x.shape),
        "faces": [b64(f) for f in faces],
        "faceSources": ["synthetic: every grey level", "fer-tiny.csv data row 1", "fer-tiny.csv data row 2"],
        "tensor": b64(x.numpy().astype("<f4")),
        "mirroredTensor": b64(mirrored.numpy().astype("<f4")),
    }
    (args.out / "preprocess-golden.json").write_text(to_json(golden))
    denoise_path = args.out / "denoise-golden.json"
    denoise_path.write_text(json.dumps(denoise_golden(faces)) + "\n")
    # Its nested lists are laid out by Prettier itself, so that the repository's format check accepts them.
    subprocess.run(["npx", "prettier", "--log-level", "warn", "--write", str(denoise_path)], cwd=REPO, check=True)
    print(f"wrote {args.out / 'fer-tiny.csv'} ({len(rows)} rows), {args.out / 'preprocess-golden.json'} "
          f"and {args.out / 'denoise-golden.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
