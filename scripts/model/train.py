"""Train the Moodbox emotion CNN on FER-2013 Training; select on a validation split; report PublicTest.

A stratified, seeded validation split (--val-fraction of Usage == Training, fer_split.py) makes
every choice: the best epoch, the weight-averaging candidate, the softmax temperature. PublicTest
is logged per epoch for the curves only and measured once in the final report.

Writes to --out (outside the repository):
  last.pt          full state after every epoch (model, optimiser, scheduler, history, split); --resume
  best.pt          model weights of the epoch with the best validation accuracy (no TTA); with
                   --swa-start, the candidates also include the running weight average (SWA)
  metrics.jsonl    one JSON line per epoch
  report.json      final evaluation of best.pt on the validation split and on PublicTest (with and
                   without flip-TTA, per-class recall, confusion matrix, FER+ majority accuracy),
                   the split's record
  curves.png, confusion.png

See README.md in this folder for the preprocessing contract and the exact commands.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path

# With OpenMP's default active (spinning) wait, a 2-thread run at nice 19 on a 2-core machine
# slows down ~2.5x whenever another process holds one core (its thread starves and the other
# spins at every barrier). A passive wait policy keeps it at about single-thread speed instead.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import (DEFAULT_CACHE_DIR, DEFAULT_CSV, FER_LABELS, FERPLUS_EMOTIONS,  # noqa: E402
                      FERPLUS_TO_FER, FerSplit, load_fer)
from fer_model import MEAN, STD, EmotionNet, count_macs, count_params  # noqa: E402
from calibration import (calibration_bins, expected_calibration_error, fit_temperature,  # noqa: E402
                         nll, tta_probs)
from fer_plots import plot_confusion, plot_curves, plot_reliability  # noqa: E402
from fer_split import describe_split, stratified_split  # noqa: E402
from mixing import mix_batch  # noqa: E402
from swa import cyclic_lr, update_average  # noqa: E402
from small_faces import RESTORE_MODES, degrade, freeze_batchnorm, load_onnx_weights, shrunk_images  # noqa: E402
from small_faces import _gaussian_blur  # noqa: E402
import batches  # noqa: E402
import face_denoise  # noqa: E402
from low_light import augment_batch as low_light_batch, camera as low_light_camera  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="run directory (created)")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--width", type=int, default=24, help="base channels w (stages w,2w,4w,8w)")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="auto",
                    help="auto (a CUDA GPU when torch sees one, else the CPU), cpu or cuda[:N]; the "
                         "augmentation's random draws stay on the CPU either way")
    ap.add_argument("--augment-on", choices=("cpu", "device"), default="cpu",
                    help="where the training batches are augmented and degraded; on an H200 the "
                         "degradation's per-size steps ran 190 ms a batch on the GPU, so cpu")
    ap.add_argument("--aug-workers", type=int, default=0,
                    help="augment the training batches in N worker processes, each batch from a "
                         "generator of its own (batches.py); 0 = in the training loop, one "
                         "generator an epoch (the runs before)")
    ap.add_argument("--time-budget", type=float, default=0.0,
                    help="seconds of training: with the one-cycle schedule, the number of epochs is "
                         "fitted after the first one to what the budget holds (at most --epochs); no "
                         "epoch starts that would end past it. 0 = no budget")
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1, help="peak LR of the schedule (SGD)")
    ap.add_argument("--schedule", choices=("onecycle", "cyclic"), default="onecycle",
                    help="onecycle: one cycle over all epochs; cyclic: a cosine from --lr to --min-lr "
                         "in every epoch (for fine-tuning with weight averaging)")
    ap.add_argument("--min-lr", type=float, default=None,
                    help="cyclic: LR at the end of every epoch (default --lr / 10)")
    ap.add_argument("--init-onnx", type=Path, default=None,
                    help="start from an exported float model (BatchNorm folded; see small_faces.py)")
    ap.add_argument("--distill-onnx", type=Path, default=None,
                    help="a teacher (exported float model): its reading of each clean training face joins the "
                         "targets of the same face degraded (--distill-weight)")
    ap.add_argument("--teacher", type=Path, default=None,
                    help="like --distill-onnx, but a train.py checkpoint (best.pt, swa.pt) of any width")
    ap.add_argument("--distill-weight", type=float, default=0.5)
    ap.add_argument("--freeze-bn", action="store_true",
                    help="keep BatchNorm statistics fixed while training (fine-tuning from --init-onnx)")
    ap.add_argument("--shrink-prob", type=float, default=0.0,
                    help="share of training faces shrunk to --shrink-min..--shrink-max px and scaled back")
    ap.add_argument("--shrink-min", type=int, default=12)
    ap.add_argument("--shrink-max", type=int, default=48)
    ap.add_argument("--blur-prob", type=float, default=0.0, help="of the shrunk faces: Gaussian blur")
    ap.add_argument("--jpeg-prob", type=float, default=0.0, help="of the shrunk faces: JPEG quality 35-90")
    ap.add_argument("--light-prob", type=float, default=0.0,
                    help="share of training faces passed through the low-light camera model (low_light.py)")
    ap.add_argument("--light-min", type=float, default=0.03, help="lowest light (share of daylight), log-uniform")
    ap.add_argument("--light-max", type=float, default=1.0)
    ap.add_argument("--fixed-exposure-prob", type=float, default=0.25,
                    help="of the low-light faces: fixed exposure (gain 1) instead of auto (gain <= 8)")
    ap.add_argument("--light-blur-prob", type=float, default=0.3,
                    help="of the low-light faces: a slight Gaussian blur (sigma 0.3-0.9) before the sensor")
    ap.add_argument("--gamma-jitter", type=float, default=0.2, help="the camera's curve: 2.2 +- this")
    ap.add_argument("--backlight-prob", type=float, default=0.0,
                    help="of the low-light faces: backlit (a background 1.5-8x brighter sets the exposure)")
    ap.add_argument("--cast-prob", type=float, default=0.0,
                    help="of the low-light faces: lit by a warm bulb or candles, white-balanced, turned to grey")
    ap.add_argument("--denoise", type=Path, default=None,
                    help="a denoising rule (face_denoise.py, the manifest's `denoise`): every face, in training "
                         "and in every evaluation, is smoothed by its grain as the daemon will read it")
    ap.add_argument("--eval-lights", default="",
                    help="comma-separated lights at which PublicTest is also logged per epoch (auto-exposure)")
    ap.add_argument("--restore", choices=RESTORE_MODES, default="bicubic",
                    help="how a shrunk face is scaled back to 48 px, in training and --eval-sizes (the daemon: bicubic)")
    ap.add_argument("--eval-sizes", default="",
                    help="comma-separated face sizes (px) at which PublicTest is also measured, e.g. 32,24,16")
    ap.add_argument("--init", type=Path, default=None,
                    help="start from the model weights of this checkpoint (best.pt or last.pt of a run)")
    ap.add_argument("--swa-start", type=int, default=0,
                    help="average the weights at the end of every epoch from this one (1-based) on and "
                         "evaluate the average after each epoch; 0 = no averaging")
    ap.add_argument("--bn-images", type=int, default=8192,
                    help="SWA: training images used to re-estimate BatchNorm statistics of the average")
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--label-smoothing", type=float, default=0.05)
    ap.add_argument("--ferplus-mix", type=float, default=0.3,
                    help="weight of the FER+ vote distribution in the soft target (0 = FER labels only)")
    ap.add_argument("--class-weight-power", type=float, default=0.0,
                    help="loss weight per class = (median count / count)^power; 0 = unweighted")
    ap.add_argument("--erase-prob", type=float, default=0.25, help="random-erasing probability")
    ap.add_argument("--max-rotate", type=float, default=10.0, help="degrees")
    ap.add_argument("--max-shift", type=float, default=0.1, help="fraction of the image size")
    ap.add_argument("--scale", type=float, default=0.1, help="zoom in [1-s, 1+s]")
    ap.add_argument("--channels-last", action=argparse.BooleanOptionalAction, default=True,
                    help="channels-last memory format (about 25%% faster on CPU here)")
    ap.add_argument("--val-fraction", type=float, default=0.1,
                    help="share of Usage == Training held out (stratified) for every choice")
    ap.add_argument("--split-seed", type=int, default=0,
                    help="seed of the validation split (kept apart from --seed so that runs with "
                         "different training seeds share one split)")
    ap.add_argument("--mixup", type=float, default=0.0,
                    help="mixup: mix each batch with a shuffled copy, weight ~ Beta(A, A); 0 = off")
    ap.add_argument("--cutmix-prob", type=float, default=0.0,
                    help="probability that a batch gets cutmix (a pasted box, area ~ Uniform) instead "
                         "of mixup")
    ap.add_argument("--limit-train", type=int, default=0, help="smoke runs: use only N training images")
    ap.add_argument("--limit-val", type=int, default=0, help="smoke runs: use only N validation images")
    ap.add_argument("--limit-test", type=int, default=0, help="smoke runs: use only N PublicTest images")
    ap.add_argument("--report-from", choices=("best", "swa"), default="best",
                    help="checkpoint evaluated in report.json and the plots: best.pt, or swa.pt (the "
                         "weight average after the last epoch)")
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    ap.add_argument("--report-only", action="store_true",
                    help="with the state of OUT/last.pt, train no further: write report.json and the plots "
                         "for best.pt (or swa.pt) as they stand, e.g. for a run stopped before its last epoch")
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    return ap.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# Preprocessing and augmentation (batched, in torch)

def normalise(images_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [N,48,48] -> float32 [N,1,48,48] = (pixel/255 - MEAN) / STD. The daemon does the same."""
    return ((images_u8.float() / 255.0 - MEAN) / STD).unsqueeze(1)


def augment(images_u8: torch.Tensor, args: argparse.Namespace, gen: torch.Generator,
            with_clean: bool = False, device: torch.device | None = None):
    """Random flip, rotation, scale, shift, brightness/contrast and erasing; returns normalised NCHW.

    With `with_clean`, returns (degraded, clean): the same augmented faces before and after the
    camera-distance degradation (--shrink-prob), for distillation from a teacher on the clean view.
    The random draws come from `gen` (CPU); the pixels are computed on `device`.
    """
    n = images_u8.shape[0]
    device = device or images_u8.device
    x = images_u8.to(device).float().unsqueeze(1) / 255.0

    def u(lo: float, hi: float, *shape: int) -> torch.Tensor:
        return (lo + (hi - lo) * torch.rand(*(shape or (n,)), generator=gen)).to(device)

    # Photometric: contrast around the image mean, then brightness.
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = ((x - mean) * u(0.8, 1.2).view(n, 1, 1, 1) + mean + u(-0.1, 0.1).view(n, 1, 1, 1)).clamp(0, 1)

    # Geometric: one affine warp per image (output coords -> input coords, normalised [-1, 1]).
    angle = u(-args.max_rotate, args.max_rotate) * math.pi / 180
    scale = u(1 - args.scale, 1 + args.scale)
    flip = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0).to(device)
    tx, ty = u(-2 * args.max_shift, 2 * args.max_shift), u(-2 * args.max_shift, 2 * args.max_shift)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1),
                         torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    clean = x
    if getattr(args, "light_prob", 0) > 0:
        x = low_light(x, args, gen)
    if getattr(args, "shrink_prob", 0) > 0:
        x = degrade(x, args.shrink_prob, args.shrink_min, args.shrink_max, args.blur_prob,
                    args.jpeg_prob, gen, getattr(args, "restore", "bicubic"))
    if getattr(args, "denoise", None) is not None:
        x = as_read(x, args)
    x = (x - MEAN) / STD
    clean = (clean - MEAN) / STD

    # Random erasing: one rectangle (2-25% of the area, aspect 0.3-3.3) filled with 0 (= MEAN grey).
    if args.erase_prob > 0:
        size = x.shape[-1]
        area = u(0.02, 0.25) * size * size
        aspect = torch.exp(u(math.log(0.3), math.log(3.3)))
        h = (area * aspect).sqrt().clamp(1, size).floor()
        w = (area / aspect).sqrt().clamp(1, size).floor()
        top = (u(0, 1) * (size - h + 1)).floor()
        left = (u(0, 1) * (size - w + 1)).floor()
        rows = torch.arange(size, device=device).view(1, size, 1)
        cols = torch.arange(size, device=device).view(1, 1, size)
        mask = ((rows >= top.view(n, 1, 1)) & (rows < (top + h).view(n, 1, 1))
                & (cols >= left.view(n, 1, 1)) & (cols < (left + w).view(n, 1, 1)))
        mask &= (torch.rand(n, generator=gen) < args.erase_prob).to(device).view(n, 1, 1)
        x = x.masked_fill(mask.unsqueeze(1), 0.0)
        clean = clean.masked_fill(mask.unsqueeze(1), 0.0)
    return (x, clean) if with_clean else x


_DENOISE_RULES: dict[str, list[dict]] = {}


def denoise_rule(args: argparse.Namespace) -> list[dict] | None:
    """The steps of --denoise, or None (read once, kept on args)."""
    if getattr(args, "denoise", None) is None:
        return None
    path = str(args.denoise)
    if path not in _DENOISE_RULES:
        _DENOISE_RULES[path] = json.loads(Path(path).read_text())["steps"]
    return _DENOISE_RULES[path]


def as_read(x: torch.Tensor, args: argparse.Namespace) -> torch.Tensor:
    """Faces [N,1,48,48] in 0..1 as the daemon reads them under --denoise: to grey levels, each
    smoothed by its grain (face_denoise.denoise), back to 0..1."""
    u8 = (x[:, 0].detach().cpu().numpy() * 255.0 + 0.5).clip(0, 255).astype(np.uint8)
    out = face_denoise.denoise(u8, denoise_rule(args))
    return torch.from_numpy(out.astype(np.float32) / 255.0).unsqueeze(1).to(x.device)


def read_u8(images_u8: torch.Tensor, args: argparse.Namespace) -> torch.Tensor:
    """uint8 [N,48,48] for an evaluation: as they are, or smoothed by --denoise's rule."""
    steps = denoise_rule(args)
    return images_u8 if steps is None else torch.from_numpy(face_denoise.denoise(images_u8.numpy(), steps))


def low_light(x: torch.Tensor, args: argparse.Namespace, gen: torch.Generator) -> torch.Tensor:
    """A share (--light-prob) of the batch [N,1,48,48] in 0..1 through the camera in dim light
    (low_light.augment_batch), some blurred slightly first; the draws come from `gen`."""
    n = x.shape[0]
    chosen = torch.rand(n, generator=gen) < args.light_prob
    blur = torch.rand(n, generator=gen) < args.light_blur_prob
    sigma = 0.3 + 0.6 * torch.rand(n, generator=gen)
    rng = np.random.default_rng(int(torch.randint(0, 2**31 - 1, (1,), generator=gen)))
    idx = torch.nonzero(chosen).flatten()
    if idx.numel() == 0:
        return x
    sub = x[idx.to(x.device)]
    b = blur[idx]
    if b.any():
        sub[b.to(x.device)] = _gaussian_blur(sub[b.to(x.device)], sigma[idx][b].to(x.device))
    dark, _ = low_light_batch(sub[:, 0].cpu().numpy(), rng, args.light_min, args.light_max,
                              args.fixed_exposure_prob, args.gamma_jitter,
                              backlight_prob=getattr(args, "backlight_prob", 0.0),
                              cast_prob=getattr(args, "cast_prob", 0.0))
    out = x.clone()
    out[idx.to(x.device)] = torch.from_numpy(dark).unsqueeze(1).to(x.device)
    return out


def lit_images(images_u8: torch.Tensor, light: float, seed: int) -> torch.Tensor:
    """uint8 [N,48,48] through the camera model at `light`, auto-exposure, JPEG 75 (for evaluation)."""
    rng = np.random.default_rng(seed)
    return torch.from_numpy(low_light_camera(images_u8.numpy(), light, "auto", rng))


def soft_targets(split: FerSplit, args: argparse.Namespace) -> torch.Tensor:
    """(1 - m) * label-smoothed FER one-hot + m * FER+ 7-class vote distribution (m = ferplus_mix).

    Rows without usable FER+ votes get the label-smoothed one-hot alone.
    """
    k = len(FER_LABELS)
    onehot = np.eye(k, dtype=np.float32)[split.labels]
    smooth = onehot * (1 - args.label_smoothing) + args.label_smoothing / k
    ferplus, valid = split.ferplus_soft_targets()
    m = args.ferplus_mix * valid.astype(np.float32)[:, None]
    return torch.from_numpy((1 - m) * smooth + m * ferplus)


# ---------------------------------------------------------------------------------------------
# Evaluation

@torch.no_grad()
def predict_probs(model: torch.nn.Module, images_u8: torch.Tensor, flip_tta: bool,
                  channels_last: bool = False, batch: int = 512) -> torch.Tensor:
    model.eval()
    device = next(model.parameters()).device
    out = []
    for i in range(0, images_u8.shape[0], batch):
        x = normalise(images_u8[i:i + batch].to(device))
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        p = F.softmax(model(x), dim=1)
        if flip_tta:
            p = (p + F.softmax(model(torch.flip(x, dims=[3])), dim=1)) / 2
        out.append(p.cpu())
    return torch.cat(out)


@torch.no_grad()
def predict_views(model: torch.nn.Module, images_u8: torch.Tensor, channels_last: bool = False,
                  batch: int = 512) -> list[np.ndarray]:
    """Logits of the images and of their mirrors (float64 numpy), for temperature fitting."""
    model.eval()
    device = next(model.parameters()).device
    plain, mirrored = [], []
    for i in range(0, images_u8.shape[0], batch):
        x = normalise(images_u8[i:i + batch].to(device))
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        plain.append(model(x).double().cpu())
        mirrored.append(model(torch.flip(x, dims=[3])).double().cpu())
    return [torch.cat(plain).numpy(), torch.cat(mirrored).numpy()]


def calibrate(model: torch.nn.Module, val: FerSplit, val_images: torch.Tensor, test: FerSplit,
              test_images: torch.Tensor, channels_last: bool, n_bins: int = 15) -> dict:
    """One temperature fitted on the validation split with flip-TTA (as the daemon runs it); ECE and
    NLL before (T = 1) and after, on the validation split and on PublicTest."""
    val_views = predict_views(model, val_images, channels_last)
    temperature = fit_temperature(val_views, val.labels)
    result: dict = {
        "temperature": round(temperature, 4),
        "fitted_on": "validation split, flip-TTA: NLL of the mean of softmax(logits / T) over the "
                     "face and its mirror (scripts/model/calibration.py)",
        "ece_bins": n_bins,
        "ece": "top-label expected calibration error, equal-width bins over (0, 1]",
    }
    for name, split, images, views in (("validation", val, val_images, val_views),
                                       ("publictest", test, test_images, None)):
        views = views if views is not None else predict_views(model, images, channels_last)
        for tta, vs in (("flip_tta", views), ("no_tta", views[:1])):
            before, after = tta_probs(vs, 1.0), tta_probs(vs, temperature)
            result.setdefault(name, {})[tta] = {
                "ece_before": expected_calibration_error(before, split.labels, n_bins),
                "ece_after": expected_calibration_error(after, split.labels, n_bins),
                "nll_before": nll(before, split.labels),
                "nll_after": nll(after, split.labels),
                "bins_before": calibration_bins(before, split.labels, n_bins),
                "bins_after": calibration_bins(after, split.labels, n_bins),
            }
    return result


def confusion(true: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(true * k + pred, minlength=k * k).reshape(k, k)


def ferplus_majority_accuracy(split: FerSplit, probs: np.ndarray) -> dict:
    """Accuracy against the FER+ majority label (argmax of the 8 FER+ emotion votes, ties -> first
    FER+ column) on the rows that have FER+ votes with at least one emotion vote.

    The model has no contempt class. Its 7-way prediction is mapped to the FER+ label set by name
    (angry->anger, happy->happiness, ...). Rows whose FER+ majority is contempt can never be right:
    `accuracy` counts them as errors; `accuracy_excluding_contempt` leaves them out.
    """
    majority, valid = split.ferplus_majority()
    fer_to_ferplus = {int(f): i for i, f in enumerate(FERPLUS_TO_FER) if f >= 0}
    pred_ferplus = np.array([fer_to_ferplus[int(p)] for p in probs.argmax(1)])
    contempt = FERPLUS_EMOTIONS.index("contempt")
    correct = (pred_ferplus == majority) & valid
    not_contempt = valid & (majority != contempt)
    emo = split.votes[:, :8]
    ties = valid & ((emo == emo.max(axis=1, keepdims=True)).sum(axis=1) > 1)
    return {
        "rows_with_votes": int(valid.sum()),
        "accuracy": float(correct.sum() / max(valid.sum(), 1)),
        "rows_excluding_contempt_majority": int(not_contempt.sum()),
        "accuracy_excluding_contempt": float((correct & not_contempt).sum() / max(not_contempt.sum(), 1)),
        "contempt_majority_rows": int((valid & (majority == contempt)).sum()),
        "rows_with_tied_majority": int(ties.sum()),
        "labels": list(FERPLUS_EMOTIONS),
        "confusion_matrix": confusion(majority[valid], pred_ferplus[valid], 8).tolist(),
        "method": "majority = argmax of the 8 FER+ emotion votes (neutral..contempt; unknown/NF "
                  "ignored; ties go to the first column in FER+ order); rows without FER+ votes or "
                  "with zero emotion votes are skipped; the model's 7-way prediction is mapped by "
                  "name; contempt-majority rows count as errors in 'accuracy' and are excluded from "
                  "'accuracy_excluding_contempt'",
    }


def evaluate(model: torch.nn.Module, split: FerSplit, images: torch.Tensor, channels_last: bool) -> dict:
    k = len(FER_LABELS)
    result = {}
    for name, tta in (("no_tta", False), ("flip_tta", True)):
        probs = predict_probs(model, images, tta, channels_last).numpy()
        pred = probs.argmax(1)
        cm = confusion(split.labels, pred, k)
        recall = cm.diagonal() / np.maximum(cm.sum(axis=1), 1)
        result[name] = {
            "accuracy": float((pred == split.labels).mean()),
            "per_class_recall": {lbl: float(r) for lbl, r in zip(FER_LABELS, recall)},
            "macro_recall": float(recall.mean()),
            "confusion_matrix": cm.tolist(),
            "ferplus_majority": ferplus_majority_accuracy(split, probs),
        }
    return result


# ---------------------------------------------------------------------------------------------
# Training

def seed_everything(seed: int) -> None:
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def atomic_save(obj: object, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def param_groups(model: torch.nn.Module, weight_decay: float) -> list[dict]:
    decay, no_decay = [], []
    for p in model.parameters():
        (decay if p.ndim > 1 else no_decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


@torch.no_grad()
def recompute_bn(model: torch.nn.Module, images_u8: torch.Tensor, args: argparse.Namespace,
                 gen: torch.Generator, batch: int = 512) -> None:
    """Re-estimate every BatchNorm's running mean/var as the plain average over augmented batches
    of `images_u8` (as torch.optim.swa_utils.update_bn does): averaged weights need new statistics."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    momenta = [bn.momentum for bn in bns]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average
    model.train()
    device = next(model.parameters()).device
    for i in range(0, images_u8.shape[0], batch):
        x = augment(images_u8[i:i + batch], args, gen).to(device)
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        model(x)
    for bn, m in zip(bns, momenta):
        bn.momentum = m
    model.eval()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.min_lr is None:
        args.min_lr = args.lr / 10
    if args.report_only:
        args.resume = True
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    seed_everything(args.seed)
    device = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto"
                          else args.device)
    if args.time_budget and args.resume:
        raise SystemExit("--time-budget fits the number of epochs to one run: it cannot --resume")
    aug_device = torch.device("cpu") if args.augment_on == "cpu" else device
    started = time.time()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    last_path, best_path = out / "last.pt", out / "best.pt"
    metrics_path = out / "metrics.jsonl"

    data = load_fer(args.csv, args.cache_dir)
    full, test = data["Training"], data["PublicTest"]
    train_idx, val_idx = stratified_split(full.labels, args.val_fraction, args.split_seed)
    split_record = describe_split(full.labels, args.val_fraction, args.split_seed, train_idx, val_idx,
                                  list(FER_LABELS))
    train, val = full.subset(train_idx), full.subset(val_idx)
    if args.limit_train:
        idx = np.random.RandomState(args.seed).permutation(len(train))[:args.limit_train]
        train = train.subset(idx)
    if args.limit_val:
        val = val.subset(np.arange(min(args.limit_val, len(val))))
    if args.limit_test:
        test = FerSplit(test.images[:args.limit_test], test.labels[:args.limit_test],
                        test.votes[:args.limit_test], test.has_votes[:args.limit_test])
    train_images = torch.from_numpy(train.images)
    train_targets = soft_targets(train, args)
    test_images = read_u8(torch.from_numpy(test.images), args)
    val_images = read_u8(torch.from_numpy(val.images), args)

    counts = np.bincount(train.labels, minlength=len(FER_LABELS)).astype(np.float64)
    class_w = (np.median(counts) / np.maximum(counts, 1)) ** args.class_weight_power
    class_w = torch.tensor(class_w / (class_w * counts).sum() * counts.sum(), dtype=torch.float32).to(device)

    model = EmotionNet(args.width, args.dropout)
    params, macs = count_params(model), count_macs(model)
    if args.init is not None:
        init = torch.load(args.init, map_location="cpu")
        if init.get("width", args.width) != args.width:
            raise SystemExit(f"--init: {args.init} has width {init.get('width')}, not {args.width}")
        model.load_state_dict(init["model"])
        print(f"initialised from {args.init} (epoch {init.get('epoch')}, "
              f"PublicTest acc {init.get('test_acc', init.get('best_acc'))})", flush=True)
    if args.init_onnx is not None:
        load_onnx_weights(model, str(args.init_onnx))
        print(f"initialised from {args.init_onnx}", flush=True)
    teachers = []  # with --distill-onnx and --teacher both, the mean of their readings teaches
    if args.distill_onnx is not None:
        teacher = EmotionNet(args.width, 0.0)
        load_onnx_weights(teacher, str(args.distill_onnx))
        teachers.append(teacher.eval())
        print(f"distilling from {args.distill_onnx} (weight {args.distill_weight})", flush=True)
    if args.teacher is not None:
        taught_by = torch.load(args.teacher, map_location="cpu")
        teacher = EmotionNet(taught_by["width"], 0.0)
        teacher.load_state_dict(taught_by["model"])
        teachers.append(teacher.eval())
        print(f"distilling from {args.teacher} (width {taught_by['width']}, validation acc "
              f"{taught_by.get('val_acc')}; weight {args.distill_weight})", flush=True)
    model = model.to(device)
    teachers = [t.to(device) for t in teachers]
    teacher = (lambda x: torch.stack([F.softmax(t(x), dim=1) for t in teachers]).mean(0)) if teachers else None
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(param_groups(model, args.weight_decay), lr=args.lr, momentum=0.9, nesterov=True)
    steps_per_epoch = math.ceil(len(train) / args.batch_size)
    if args.schedule == "onecycle":
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                    steps_per_epoch=steps_per_epoch, pct_start=0.2,
                                                    div_factor=20, final_div_factor=200)
    else:
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda step: cyclic_lr(step, steps_per_epoch, args.lr, args.min_lr) / args.lr)
    param_names = [name for name, _ in model.named_parameters()]
    swa_avg: dict | None = None  # running mean of the end-of-epoch parameters (--swa-start)
    swa_n = 0
    swa_model = EmotionNet(args.width, args.dropout).to(device) if args.swa_start else None
    if swa_model is not None and args.channels_last:
        swa_model = swa_model.to(memory_format=torch.channels_last)
    eval_sizes = [int(v) for v in args.eval_sizes.split(",") if v.strip()]
    plain_test = torch.from_numpy(test.images)  # shrunk or lit before the rule reads them
    test_by_size = {s: read_u8(shrunk_images(plain_test, s, args.restore), args) for s in eval_sizes}  # shrunk once, measured every epoch
    eval_lights = [float(v) for v in args.eval_lights.split(",") if v.strip()]
    test_by_light = {v: read_u8(lit_images(plain_test, v, 20_261_127), args) for v in eval_lights}
    start_epoch, best_acc, history = 0, -1.0, []
    if args.resume:
        if not last_path.is_file():
            raise SystemExit(f"--resume: {last_path} does not exist")
        state = torch.load(last_path, map_location="cpu")
        for key in ("epochs", "width", "batch_size", "lr", "schedule", "swa_start", "val_fraction",
                    "split_seed", "mixup", "cutmix_prob"):
            if state["args"].get(key, getattr(args, key)) != getattr(args, key):
                raise SystemExit(f"--resume: expected --{key.replace('_', '-')} {state['args'][key]} "
                                 f"(from the checkpoint), got {getattr(args, key)}")
        saved_split = state.get("split", {}).get("val_indices_sha256")
        if saved_split != split_record["val_indices_sha256"]:
            raise SystemExit(f"--resume: the validation split differs from the checkpoint's "
                             f"(sha256 {saved_split} there, {split_record['val_indices_sha256']} now)")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        start_epoch, best_acc, history = state["epoch"], state["best_acc"], state["history"]
        swa_avg, swa_n = state.get("swa_avg"), state.get("swa_n", 0)
        # metrics.jsonl must match the checkpoint (an epoch may have been logged after last.pt).
        metrics_path.write_text("".join(json.dumps(h) + "\n" for h in history))
        print(f"resumed after epoch {start_epoch} (best validation acc {best_acc:.4f})", flush=True)
    else:
        metrics_path.write_text("")
    (out / "args.json").write_text(json.dumps({k: str(v) if isinstance(v, Path) else v
                                               for k, v in vars(args).items()}, indent=2) + "\n")
    print(f"model: width {args.width}, {params} params, {macs / 1e6:.1f} M MACs "
          f"({2 * macs / 1e6:.1f} MFLOPs) per 48x48 face; train {len(train)}, validation {len(val)} "
          f"(split sha256 {split_record['val_indices_sha256'][:12]}), PublicTest {len(test)}, "
          f"{steps_per_epoch} steps/epoch, on {device}", flush=True)

    epoch_batches = None
    if args.aug_workers > 0:
        if aug_device.type != "cpu":
            raise SystemExit("--aug-workers: the workers augment on the CPU (--augment-on cpu)")
        epoch_batches = batches.EpochBatches(
            train_images, args.batch_size, args.seed, teacher is not None,
            lambda images, gen, with_clean: augment(images, args, gen, with_clean=with_clean))
    epoch_seconds = 0.0
    for epoch in range(start_epoch, start_epoch if args.report_only else args.epochs):
        if epoch >= args.epochs:  # the time budget cut the plan
            break
        if args.time_budget and time.time() - started + epoch_seconds > args.time_budget:
            print(f"time budget: {args.time_budget:.0f} s would be passed by epoch {epoch + 1}; stopping",
                  flush=True)
            break
        t0 = time.time()
        # Per-epoch generator seeded from (seed, epoch): a resumed run sees the same batches.
        gen = torch.Generator().manual_seed(args.seed * 100_003 + epoch)
        torch.manual_seed(args.seed * 100_003 + epoch)  # dropout
        model.train()
        if args.freeze_bn:
            freeze_batchnorm(model)
        perm = torch.randperm(len(train), generator=gen)
        loss_sum, correct, seen = 0.0, 0, 0
        if epoch_batches is not None:
            epoch_batches.set_epoch(epoch, perm)
            prepared = iter(batches.loader(epoch_batches, args.aug_workers, device.type == "cuda"))
        for step in range(steps_per_epoch):
            if epoch_batches is not None:
                idx, x, clean, mix_seed = next(prepared)
            else:
                idx = perm[step * args.batch_size:(step + 1) * args.batch_size]
            if idx.numel() < 2:
                continue  # BatchNorm needs > 1 sample
            if epoch_batches is None:  # augmented here, from the epoch's one stream (the runs before)
                x, clean = augment(train_images[idx], args, gen, with_clean=True, device=aug_device)
                mix_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=gen))
            x = x.to(device, non_blocking=True)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            t = train_targets[idx].to(device)
            if teacher is not None:
                # What the teacher reads on the full-size face is what the student should read on
                # the same face at a distance (and, on the faces left at full size, what it read before).
                with torch.no_grad():
                    t = (1 - args.distill_weight) * t + args.distill_weight * teacher(clean.to(device, non_blocking=True))
            # The mixing draws come from a numpy generator seeded from the epoch's stream.
            mix_rng = np.random.default_rng(mix_seed)
            x, t = mix_batch(x, t, args, mix_rng)
            logits = model(x)
            per_sample = -(t * F.log_softmax(logits, dim=1)).sum(1)
            loss = (per_sample * (t @ class_w)).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            if not math.isfinite(loss.item()):
                raise SystemExit(f"epoch {epoch + 1} step {step}: loss is {loss.item()}")
            loss_sum += loss.item() * idx.numel()
            correct += int((logits.argmax(1).cpu() == torch.from_numpy(train.labels)[idx]).sum())
            seen += idx.numel()
        train_s = time.time() - t0
        probs = predict_probs(model, val_images, flip_tta=False, channels_last=args.channels_last)
        val_acc = float((probs.argmax(1).numpy() == val.labels).mean())
        # PublicTest per epoch is for the curves only: nothing below looks at it.
        probs = predict_probs(model, test_images, flip_tta=False, channels_last=args.channels_last)
        test_acc = float((probs.argmax(1).numpy() == test.labels).mean())
        by_size = {}
        for s in eval_sizes:
            p = predict_probs(model, test_by_size[s], flip_tta=False,
                              channels_last=args.channels_last)
            by_size[f"test_acc_{s}px"] = round(float((p.argmax(1).numpy() == test.labels).mean()), 5)
        for v in eval_lights:
            p = predict_probs(model, test_by_light[v], flip_tta=False, channels_last=args.channels_last)
            by_size[f"test_acc_light{v:g}"] = round(float((p.argmax(1).numpy() == test.labels).mean()), 5)
        record = {"epoch": epoch + 1, "train_loss": round(loss_sum / seen, 5),
                  "train_acc": round(correct / seen, 5), "val_acc": round(val_acc, 5),
                  "test_acc": round(test_acc, 5), **by_size,
                  "lr": round(sched.get_last_lr()[0], 6), "train_seconds": round(train_s, 1),
                  "seconds": round(time.time() - t0, 1)}
        meta = {"width": args.width, "dropout": args.dropout, "mean": MEAN, "std": STD,
                "labels": list(FER_LABELS)}
        if val_acc > best_acc:
            best_acc = val_acc
            atomic_save({"model": model.state_dict(), "epoch": epoch + 1, "val_acc": val_acc,
                         "test_acc": test_acc, **meta}, best_path)
        if swa_model is not None and epoch + 1 >= args.swa_start:
            params_now = dict(model.named_parameters())
            swa_avg = update_average(swa_avg, {k: params_now[k].detach() for k in param_names}, swa_n)
            swa_n += 1
            swa_model.load_state_dict(model.state_dict())
            with torch.no_grad():
                for k, p in swa_model.named_parameters():
                    p.copy_(swa_avg[k])
            # The same images and augmentations every epoch (and after a resume).
            bn_gen = torch.Generator().manual_seed(args.seed * 100_003 + 99_991)
            bn_idx = torch.randperm(len(train), generator=bn_gen)[:args.bn_images or len(train)]
            if not args.freeze_bn:  # fixed statistics stay valid for the averaged weights
                recompute_bn(swa_model, train_images[bn_idx], args, bn_gen)
            swa_probs = predict_probs(swa_model, val_images, flip_tta=False, channels_last=args.channels_last)
            swa_acc = float((swa_probs.argmax(1).numpy() == val.labels).mean())
            swa_probs = predict_probs(swa_model, test_images, flip_tta=False, channels_last=args.channels_last)
            swa_test_acc = float((swa_probs.argmax(1).numpy() == test.labels).mean())
            for s in eval_sizes:
                p = predict_probs(swa_model, test_by_size[s], flip_tta=False,
                                  channels_last=args.channels_last)
                record[f"swa_test_acc_{s}px"] = round(float((p.argmax(1).numpy() == test.labels).mean()), 5)
            for v in eval_lights:
                p = predict_probs(swa_model, test_by_light[v], flip_tta=False,
                                  channels_last=args.channels_last)
                record[f"swa_test_acc_light{v:g}"] = round(float((p.argmax(1).numpy() == test.labels).mean()), 5)
            first = epoch + 2 - swa_n
            record.update({"swa_val_acc": round(swa_acc, 5), "swa_test_acc": round(swa_test_acc, 5),
                           "swa_epochs": [first, epoch + 1], "seconds": round(time.time() - t0, 1)})
            atomic_save({"model": swa_model.state_dict(), "epoch": epoch + 1, "val_acc": swa_acc,
                         "test_acc": swa_test_acc, "swa_epochs": [first, epoch + 1], **meta}, out / "swa.pt")
            if swa_acc > best_acc:
                best_acc = swa_acc
                atomic_save({"model": swa_model.state_dict(), "epoch": epoch + 1, "val_acc": swa_acc,
                             "test_acc": swa_test_acc, "swa_epochs": [first, epoch + 1], **meta}, best_path)
        history.append(record)
        atomic_save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                     "scheduler": sched.state_dict(), "epoch": epoch + 1, "best_acc": best_acc,
                     "swa_avg": swa_avg, "swa_n": swa_n, "split": split_record,
                     "history": history, "args": {k: str(v) if isinstance(v, Path) else v
                                                  for k, v in vars(args).items()}}, last_path)
        with metrics_path.open("a") as fh:
            fh.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)
        epoch_seconds = time.time() - t0
        if args.time_budget and args.schedule == "onecycle" and epoch == 0:
            left = args.time_budget - (time.time() - started)
            fit = max(2, min(args.epochs, 1 + int(0.95 * left / epoch_seconds)))
            if fit < args.epochs:
                # One cycle over the epochs that fit: a new schedule, moved on by the epoch done.
                args.epochs = fit
                sched = torch.optim.lr_scheduler.OneCycleLR(
                    opt, max_lr=args.lr, epochs=fit, steps_per_epoch=steps_per_epoch, pct_start=0.2,
                    div_factor=20, final_div_factor=200)
                with warnings.catch_warnings():  # stepping without training, on purpose
                    warnings.simplefilter("ignore", UserWarning)
                    for _ in range(steps_per_epoch):
                        sched.step()
                print(f"time budget: {epoch_seconds:.1f} s an epoch; {fit} epochs fit in "
                      f"{args.time_budget:.0f} s", flush=True)

    report_ckpt = best_path if args.report_from == "best" else out / "swa.pt"
    best = torch.load(report_ckpt, map_location=device)
    model.load_state_dict(best["model"])
    val_result = evaluate(model, val, val_images, args.channels_last)
    # PublicTest: measured once, here, on the checkpoint the validation split chose.
    result = evaluate(model, test, test_images, args.channels_last)
    calib = calibrate(model, val, val_images, test, test_images, args.channels_last)
    what = (f"average of epochs {best['swa_epochs'][0]}-{best['swa_epochs'][1]}" if best.get("swa_epochs")
            else f"best epoch {best['epoch']}")
    report = {
        "split": "PublicTest" + (f" (first {args.limit_test} rows only)" if args.limit_test else ""),
        "test_rows": len(test),
        "train_rows": len(train),
        "val_rows": len(val),
        "validation_split": split_record,
        "selection": {
            "best_epoch": f"highest validation accuracy (no TTA) over the per-epoch weights"
                          + (" and the running weight averages" if args.swa_start else ""),
            "report_checkpoint": f"{report_ckpt.name} ({what})",
            "publictest": "logged per epoch for the curves; never used for a choice",
        },
        "checkpoint": report_ckpt.name,
        "best_epoch": best["epoch"],
        "best_swa_epochs": best.get("swa_epochs"),
        "accuracy": result["no_tta"]["accuracy"],
        "accuracy_flip_tta": result["flip_tta"]["accuracy"],
        "val_accuracy": val_result["no_tta"]["accuracy"],
        "val_accuracy_flip_tta": val_result["flip_tta"]["accuracy"],
        "labels": list(FER_LABELS),
        "no_tta": result["no_tta"],
        "flip_tta": result["flip_tta"],
        "validation": val_result,
        "temperature": calib["temperature"],
        "calibration": calib,
        "model": {"arch": "EmotionNet (scripts/model/fer_model.py)", "width": args.width,
                  "params": params, "macs": macs, "flops": 2 * macs},
        "preprocessing": {"layout": "NCHW float32 [N,1,48,48]", "value": "(pixel/255 - mean) / std",
                          "mean": MEAN, "std": STD, "grey": "0..255 face crop resized to 48x48"},
        "note": "every choice was made on the validation split (a stratified share of Usage == "
                "Training, not trained on); PublicTest is an untouched measure",
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "epochs_run": len(history),
        "epochs_planned": args.epochs,
        "total_seconds": round(sum(h["seconds"] for h in history), 1),
    }
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    plot_curves(history, out / "curves.png")
    t = calib["temperature"]
    plot_reliability(
        [(f"validation, T = 1: ECE {calib['validation']['flip_tta']['ece_before']:.4f}",
          calib["validation"]["flip_tta"]["bins_before"]),
         (f"validation, T = {t:.3f}: ECE {calib['validation']['flip_tta']['ece_after']:.4f}",
          calib["validation"]["flip_tta"]["bins_after"]),
         (f"PublicTest, T = {t:.3f}: ECE {calib['publictest']['flip_tta']['ece_after']:.4f}",
          calib["publictest"]["flip_tta"]["bins_after"])],
        out / "calibration.png",
        f"Reliability with flip-TTA ({calib['ece_bins']} bins), {report['checkpoint']}; the temperature "
        f"was fitted on the validation split (PublicTest before: ECE "
        f"{calib['publictest']['flip_tta']['ece_before']:.4f})")
    plot_confusion(np.array(result["no_tta"]["confusion_matrix"]), FER_LABELS, out / "confusion.png",
                   f"PublicTest, {what}: accuracy {report['accuracy']:.4f} "
                   f"(flip-TTA {report['accuracy_flip_tta']:.4f})")
    print(f"{what}: validation accuracy {report['val_accuracy']:.4f} (flip-TTA "
          f"{report['val_accuracy_flip_tta']:.4f}); PublicTest accuracy {report['accuracy']:.4f}, "
          f"with flip-TTA {report['accuracy_flip_tta']:.4f}; temperature {t:.3f} (validation ECE "
          f"{calib['validation']['flip_tta']['ece_before']:.4f} -> "
          f"{calib['validation']['flip_tta']['ece_after']:.4f}); report in {out / 'report.json'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
