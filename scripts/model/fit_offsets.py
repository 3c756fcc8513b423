"""Per-label offsets by grain (the manifest's `labelOffsets`): what a model's logits lack, face by face.

A model that learnt on soft FER+ votes and a teacher's answers leans to "neutral" more than the
faces do, and a grainy or dark face leans it further. One offset per label, added to the logits of
a face and of its mirror before the softmax, for each step of grain (the same grain estimate as the
denoising rule, measured on the crop before it is smoothed), undoes that lean. The daemon applies
them as the manifest says (`src/vision/label-offsets.ts`).

They are fitted on the validation split of Training (`--val-fraction 0.1 --split-seed 0`, the
rows `train.py` holds out from a fine-tuning; the shipped model's first stage trained on them, the
dim-light fine-tunings did not) passed through the webcam model at each light of the
denoising sweep, read with the model's denoising rule and flip-TTA: the offsets that minimise the
cross-entropy of the averaged probabilities, with a small L2 penalty. PublicTest is not used for
the fit; `--report` prints its figures before and after (float, torch), as a check.

    /usr/bin/python3 scripts/model/fit_offsets.py --model models/emotion-float.onnx \
        --out /tmp/offsets.json --report     # about 6 minutes on 2 cores

Then `write_manifest.py --label-offsets emotion-int8.onnx=/tmp/offsets.json ...` and measure the
models again (`measure_models.sh`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import face_denoise  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# (light, exposure) through the webcam model; light 0: the faces as stored. Each weighs the same.
CASES = ((0.0, "stored"), (1.0, "auto"), (0.25, "auto"), (0.12, "auto"), (0.06, "auto"), (0.04, "auto"),
         (0.04, "fixed"))
DEFAULT_STEPS = (0.0, 6.0, 10.0, 19.0)


def step_index(grains: np.ndarray, from_noise: list[float]) -> np.ndarray:
    """The step each face's grain reaches (the last `fromNoise` at or below it; -1 below the first)."""
    return np.searchsorted(np.asarray(from_noise, dtype=np.float64), grains, side="right") - 1


def apply_offsets(views: np.ndarray, grains: np.ndarray, rule: dict) -> np.ndarray:
    """Logits [V, N, K] (the face and its mirror) with each face's step's offsets added."""
    steps = rule["steps"]
    table = np.vstack([np.zeros(views.shape[-1])] + [np.asarray(s["offsets"], dtype=np.float64) for s in steps])
    return views + table[step_index(grains, [s["fromNoise"] for s in steps]) + 1][None]


def probabilities(views: np.ndarray) -> np.ndarray:
    """The softmax of each view, averaged over the views (flip-TTA as the daemon reads it)."""
    e = np.exp(views - views.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).mean(0)


def loss_and_gradient(views: np.ndarray, at: np.ndarray, labels: np.ndarray, b: np.ndarray,
                      l2: float) -> tuple[float, np.ndarray]:
    """The mean cross-entropy of the flip-averaged probabilities with offsets `b` [steps, K] (plus
    l2 * |b|²), and its gradient by `b`."""
    x = views + b[at][None]
    e = np.exp(x - x.max(-1, keepdims=True))
    p = e / e.sum(-1, keepdims=True)  # [V, N, K]
    rows = np.arange(len(labels))
    py = p[:, rows, labels]  # [V, N]
    mean = py.mean(0) + 1e-12
    # d(-log mean_v p_vy) / d(x_vk) = -(p_vy (δ_yk - p_vk)) / (V mean)
    onehot = np.zeros(p.shape[1:])
    onehot[rows, labels] = 1.0
    dx = -(py[..., None] * (onehot[None] - p)).sum(0) / (len(views) * mean[:, None])
    grad = np.zeros_like(b)
    np.add.at(grad, at, dx)
    n = len(labels)
    return float(-np.log(mean).mean() + l2 * (b ** 2).sum()), grad / n + 2 * l2 * b


def fit(views: np.ndarray, grains: np.ndarray, labels: np.ndarray, from_noise: list[float],
        l2: float = 1e-3, steps: int = 500) -> dict:
    """The offsets for each step that minimise the cross-entropy of the flip-averaged probabilities
    (gradient descent with momentum from zero: the loss is smooth and the offsets few)."""
    idx = step_index(grains, from_noise)
    if (idx < 0).any():
        raise ValueError(f"every face needs a step: the first fromNoise is {from_noise[0]}, the least grain {grains.min():.2f}")
    b = np.zeros((len(from_noise), views.shape[-1]))
    velocity = np.zeros_like(b)
    # Each step's gradient scaled by its share of the faces, so a rare step learns as fast as a common one.
    share = np.maximum(np.bincount(idx, minlength=len(from_noise)) / len(idx), 1e-3)[:, None]
    for _ in range(steps):
        _, grad = loss_and_gradient(views, idx, labels, b, l2)
        velocity = 0.9 * velocity - 0.5 * grad / share
        b = b + velocity
    # Offsets matter only relative to each other: centred, so each step's sum to 0.
    b = b - b.mean(1, keepdims=True)
    return {"steps": [{"fromNoise": int(t) if float(t).is_integer() else float(t), "offsets": [round(float(v), 4) for v in row]}
                      for t, row in zip(from_noise, b)]}


def read(net: torch.nn.Module, faces: np.ndarray, rule: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """Each face's logits and its mirror's [2, N, K], read as the daemon reads it, and its grain."""
    import torch
    from train import predict_views
    grains = np.asarray(face_denoise.grain(faces))
    seen = faces if rule is None else face_denoise.denoise(faces, rule["steps"])
    return np.stack(predict_views(net, torch.from_numpy(seen))), grains


def describe_cases() -> str:
    """The lights of CASES in words: "100%, 25% ... of daylight with auto exposure; 4% fixed"."""
    by = {e: [f"{100 * light:g}%" for light, x in CASES if x == e] for e in ("auto", "fixed")}
    return f"{', '.join(by['auto'])} of daylight with auto exposure; {', '.join(by['fixed'])} with a fixed one"


def through_camera(images: np.ndarray, seed: int) -> list[tuple[str, np.ndarray]]:
    from low_light import camera
    return [(f"{light:g} {exposure}", images if exposure == "stored"
             else camera(images, light, exposure, np.random.default_rng(seed))) for light, exposure in CASES]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True, help="an .onnx model or a checkpoint")
    ap.add_argument("--width", type=int, default=24)
    ap.add_argument("--manifest", type=Path, default=REPO / "models" / "manifest.json",
                    help="where the model's denoising rule is read (its entry's `denoise`)")
    ap.add_argument("--from-noise", default=",".join(f"{t:g}" for t in DEFAULT_STEPS),
                    help="the grain at which each step begins (the first must be 0)")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=11, help="the webcam model's noise on the validation faces")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--report", action="store_true", help="print PublicTest before and after (not used for the fit)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(args.threads)
    from fer_data import load_fer
    from fer_split import stratified_split
    from soup import load

    from_noise = [float(t) for t in args.from_noise.split(",")]
    if from_noise[0] != 0 or any(b <= a for a, b in zip(from_noise, from_noise[1:])):
        raise SystemExit(f"--from-noise: expected rising grains from 0, got {args.from_noise}")
    entry = json.loads(args.manifest.read_text())["models"].get(args.model.name, {})
    rule = entry.get("denoise")
    data = load_fer()
    full = data["Training"]
    _, val_idx = stratified_split(full.labels, 0.1, 0)
    val = full.subset(val_idx)
    net = load(args.model, args.width)
    views, grains = zip(*(read(net, faces, rule) for _, faces in through_camera(val.images, args.seed)))
    offsets = fit(np.concatenate(views, 1), np.concatenate(grains), np.tile(val.labels, len(CASES)), from_noise, args.l2)
    offsets["fittedOn"] = (f"FER-2013 Training's validation split (10%, seed 0), {len(val)} faces, as stored and "
                           f"through the webcam model ({describe_cases()}; noise seed {args.seed}), read with the "
                           "denoising rule and flip-TTA")
    args.out.write_text(json.dumps(offsets) + "\n")
    for step in offsets["steps"]:
        print(f"from grain {step['fromNoise']:g}: {step['offsets']}")
    if args.report:
        test = data["PublicTest"]
        for name, faces in through_camera(test.images, 1):
            v, g = read(net, faces, rule)
            before = (probabilities(v).argmax(1) == test.labels).mean() * 100
            after = (probabilities(apply_offsets(v, g, offsets)).argmax(1) == test.labels).mean() * 100
            print(f"PublicTest {name}: {before:.2f}% -> {after:.2f}%", flush=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
