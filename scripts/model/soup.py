"""Interpolate two emotion models' weights (a "weight-space ensemble", as in WiSE-FT).

    /usr/bin/python3 scripts/model/soup.py --base models/emotion-float.onnx --tuned RUN/swa.pt \
        --base-weight 0.2 --out RUN/soup.pt

A model fine-tuned from `base` with its BatchNorm statistics frozen (train.py --init-onnx
--freeze-bn) lies in the same basin as its base: every parameter may be blended linearly,
`base_weight * base + (1 - base_weight) * tuned`. A little of the base brings back what the
fine-tuning gave up at full size while keeping most of what it gained on small faces. The output
is a checkpoint in train.py's format, for export_onnx.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import FER_LABELS  # noqa: E402
from fer_model import MEAN, STD, EmotionNet  # noqa: E402
from small_faces import load_onnx_weights  # noqa: E402


def load(path: Path, width: int) -> EmotionNet:
    net = EmotionNet(width, 0.3)
    if path.suffix == ".onnx":
        load_onnx_weights(net, str(path))
    else:
        net.load_state_dict(torch.load(path, map_location="cpu")["model"])
    return net


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, required=True, help="the model fine-tuned from (.onnx or a checkpoint)")
    ap.add_argument("--tuned", type=Path, required=True, help="the fine-tuned checkpoint (.pt)")
    ap.add_argument("--base-weight", type=float, required=True, help="0..1: the base's share of every weight")
    ap.add_argument("--width", type=int, default=24)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if not 0 <= args.base_weight <= 1:
        raise SystemExit(f"--base-weight: expected 0..1, got {args.base_weight}")
    base, tuned = load(args.base, args.width).state_dict(), load(args.tuned, args.width).state_dict()
    a = args.base_weight
    mixed = {k: (a * base[k] + (1 - a) * tuned[k]) if base[k].is_floating_point() else tuned[k] for k in tuned}
    net = EmotionNet(args.width, 0.3)
    net.load_state_dict(mixed)
    tuned_ckpt = torch.load(args.tuned, map_location="cpu")
    torch.save({"model": net.state_dict(), "width": args.width, "dropout": 0.3, "mean": MEAN, "std": STD,
                "labels": list(FER_LABELS), "epoch": tuned_ckpt.get("epoch"),
                "soup": {"base": str(args.base), "tuned": str(args.tuned), "base_weight": a}}, args.out)
    print(f"{args.out}: {a} x {args.base} + {1 - a:.2f} x {args.tuned}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
