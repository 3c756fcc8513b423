"""Export the best checkpoint to ONNX (opset 13) with BatchNorm folded into the convolutions.

    /usr/bin/python3 scripts/model/export_onnx.py --checkpoint RUN/best.pt [--output models/emotion-float.onnx]

Graph: input `input` float32 [N,1,48,48] (N dynamic) -> output `logits` float32 [N,7] in FER-2013
order; ops Conv, Relu, MaxPool, GlobalAveragePool, Flatten, Gemm only. Checks: the onnx checker,
the op set, and that the ONNX graph's outputs match the unfolded torch model in eval mode. The graph
is run by onnx's ReferenceEvaluator when this onnx has it (>= 1.13), otherwise by the small numpy
interpreter in onnx_numpy.py, which implements exactly those six ops (and QuantizeLinear/DequantizeLinear).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import FER_LABELS  # noqa: E402
from fer_model import INPUT_SIZE, MEAN, STD, EmotionNet, count_macs, count_params  # noqa: E402
from onnx_numpy import run_numpy  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO / "models" / "emotion-float.onnx"
OPSET = 13
ALLOWED_OPS = {"Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm"}


def fold_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> nn.Conv2d:
    """A Conv2d (with bias) equal to bn(conv(x)) in eval mode."""
    folded = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride,
                       conv.padding, conv.dilation, conv.groups, bias=True)
    scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    bias = conv.bias.detach() if conv.bias is not None else torch.zeros(conv.out_channels)
    folded.weight.data = conv.weight.detach() * scale.view(-1, 1, 1, 1)
    folded.bias.data = (bias - bn.running_mean) * scale + bn.bias.detach()
    return folded


class FoldedNet(nn.Module):
    """EmotionNet in inference form: Conv(+folded BN), ReLU, MaxPool, GAP, Flatten, Linear."""

    def __init__(self, net: EmotionNet):
        super().__init__()
        layers: list[nn.Module] = []
        mods = list(net.features)
        i = 0
        while i < len(mods):
            m = mods[i]
            if isinstance(m, nn.Conv2d):
                if not isinstance(mods[i + 1], nn.BatchNorm2d):
                    raise TypeError(f"expected BatchNorm2d after conv {i}, got {type(mods[i + 1]).__name__}")
                layers.append(fold_bn(m, mods[i + 1]))
                i += 2
                continue
            if isinstance(m, nn.ReLU):
                layers.append(nn.ReLU())
            elif isinstance(m, nn.MaxPool2d):
                layers.append(nn.MaxPool2d(m.kernel_size, m.stride))
            else:
                raise TypeError(f"unexpected layer {type(m).__name__} at {i}")
            i += 1
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = net.fc

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


def run_onnx(model: onnx.ModelProto, x: np.ndarray) -> tuple[np.ndarray, str]:
    try:
        from onnx.reference import ReferenceEvaluator  # onnx >= 1.13
    except ImportError:
        return run_numpy(model, x), "numpy interpreter (onnx.reference not available)"
    return ReferenceEvaluator(model).run(None, {"input": x.astype(np.float32)})[0], "onnx.reference"


# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", type=Path, required=True, help="best.pt written by train.py")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--tolerance", type=float, default=1e-4, help="max |logit difference| allowed")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)

    ckpt = torch.load(args.checkpoint, map_location="cpu")
    if ckpt.get("labels", list(FER_LABELS)) != list(FER_LABELS) or ckpt.get("mean", MEAN) != MEAN \
            or ckpt.get("std", STD) != STD:
        raise SystemExit(f"{args.checkpoint}: labels/mean/std differ from fer_model.py; refusing to export")
    net = EmotionNet(ckpt["width"], ckpt.get("dropout", 0.0))
    net.load_state_dict(ckpt["model"])
    net.eval()
    folded = FoldedNet(net).eval()

    # Inputs for the checks: random normalised "images", plus extreme values (all black/white).
    gen = torch.Generator().manual_seed(0)
    x = (torch.randint(0, 256, (16, 1, INPUT_SIZE, INPUT_SIZE), generator=gen).float() / 255 - MEAN) / STD
    x[0] = (0 - MEAN) / STD
    x[1] = (1 - MEAN) / STD
    with torch.no_grad():
        ref = net(x).numpy()
        fold_out = folded(x).numpy()
    fold_err = float(np.abs(ref - fold_out).max())
    if fold_err > args.tolerance:
        raise SystemExit(f"BN folding changed the logits by {fold_err:.3g} (> {args.tolerance})")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".tmp.onnx")
    torch.onnx.export(folded, x[:1], str(tmp), opset_version=OPSET, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=True)
    model = onnx.load(str(tmp))
    meta = {
        "labels": json.dumps(list(FER_LABELS)),
        "preprocessing": json.dumps({"layout": "NCHW", "shape": [None, 1, INPUT_SIZE, INPUT_SIZE],
                                     "value": "(grey/255 - mean) / std", "mean": MEAN, "std": STD}),
        "source_checkpoint": str(args.checkpoint.resolve()),
        "source_epoch": str(ckpt.get("epoch")),
        "publictest_accuracy_no_tta": str(ckpt.get("test_acc")),
    }
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=v)
    model.doc_string = "Moodbox emotion CNN (FER-2013 classes); see scripts/model/README.md"
    onnx.checker.check_model(model, full_check=True)

    ops = {n.op_type for n in model.graph.node}
    if not ops <= ALLOWED_OPS:
        raise SystemExit(f"unexpected ops in the graph: {sorted(ops - ALLOWED_OPS)}")
    inp, outp = model.graph.input[0], model.graph.output[0]
    in_dims = [d.dim_param or d.dim_value for d in inp.type.tensor_type.shape.dim]
    out_dims = [d.dim_param or d.dim_value for d in outp.type.tensor_type.shape.dim]
    if inp.name != "input" or in_dims != ["N", 1, INPUT_SIZE, INPUT_SIZE]:
        raise SystemExit(f"unexpected input {inp.name} {in_dims}")
    if outp.name != "logits" or out_dims != ["N", len(FER_LABELS)]:
        raise SystemExit(f"unexpected output {outp.name} {out_dims}")

    worst, runner = 0.0, ""
    for batch in (x[:1], x):  # batch 1 and 16: the batch axis really is dynamic
        got, runner = run_onnx(model, batch.numpy())
        with torch.no_grad():
            want = net(batch).numpy()
        if got.shape != want.shape:
            raise SystemExit(f"ONNX output shape {got.shape}, torch {want.shape}")
        worst = max(worst, float(np.abs(got - want).max()))
        if (got.argmax(1) != want.argmax(1)).any():
            raise SystemExit("ONNX and torch disagree on a predicted class")
    if worst > args.tolerance:
        raise SystemExit(f"ONNX logits differ from torch by {worst:.3g} (> {args.tolerance})")

    onnx.save(model, str(args.output))
    tmp.unlink()
    sha = hashlib.sha256(args.output.read_bytes()).hexdigest()
    summary = {"output": str(args.output), "sha256": sha, "bytes": args.output.stat().st_size,
               "opset": OPSET, "ops": sorted(ops), "params": count_params(net), "macs": count_macs(net),
               "checkpoint_epoch": ckpt.get("epoch"), "publictest_accuracy_no_tta": ckpt.get("test_acc"),
               "bn_fold_max_abs_diff": fold_err, "onnx_vs_torch_max_abs_diff": worst,
               "onnx_runner": runner}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
