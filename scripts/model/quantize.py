"""Static int8 quantization of the emotion CNN to an ONNX QDQ graph.

    /usr/bin/python3 scripts/model/quantize.py [--model models/emotion-float.onnx] \
        [--output models/emotion-int8.onnx] [--calibration-images 512] [--method minmax|percentile]

Format (what onnxruntime fuses into QLinearConv / QGemm / int8 MaxPool):
- Conv and Gemm weights: symmetric, one scale per output channel (axis 0 of a Conv weight, axis 0
  of a Gemm weight with transB=1), behind a DequantizeLinear. int8 with zero point 0 in
  -127..127 (8 bits), or -64..64 with `--weight-bits 7` (the default; see below); or uint8 with
  zero point 128 (`--weights uint8`).
- Why 7 bits by default: onnxruntime's x86 AVX2 kernels for uint8 activations x int8 weights
  (on CPUs without AVX-VNNI / AVX512-VNNI) add pairs of products in 16-bit registers that
  saturate: 2 x 255 x 127 > 32767. With weights in -64..64 a pair is at most 2 x 255 x 64 =
  32640, so every CPU (AVX2, VNNI, ARM) computes the same exact integer sums.
- Conv and Gemm biases: int32 with scale = input scale x weight scale (per channel), zero point 0.
- Activations: one scale and zero point per tensor (uint8 by default, or int8), calibrated by
  running the float graph (onnx_numpy.py) on Training images: min/max, or a percentile of the
  values to clip rare outliers. Each quantized tensor gets a QuantizeLinear/DequantizeLinear pair.
- A Relu right after a Conv is folded into the Conv's output quantization: that tensor is
  calibrated after the Relu and its zero point is the bottom of the integer range, so
  QuantizeLinear's saturation does what the Relu did.
- A MaxPool on a quantized tensor is requantized with its input's parameters (exact: a maximum of
  quantized values is one of them), so the runtime keeps it in int8.
- GlobalAveragePool, Flatten and the Gemm output (the logits) stay float.

The graph input's range is taken from the model's own preprocessing metadata (pixel 0 and 255),
not calibrated. Needs numpy and onnx only; the calibration images come from fer_data.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import onnx
from onnx import helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import DEFAULT_CACHE_DIR, DEFAULT_CSV, load_fer  # noqa: E402
from onnx_numpy import FLOAT_OPS, run_graph, run_numpy  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = REPO / "models" / "emotion-float.onnx"
DEFAULT_OUTPUT = REPO / "models" / "emotion-int8.onnx"
MIN_OPSET = 13  # per-axis DequantizeLinear
WEIGHT_QMAX = {8: 127, 7: 64}  # symmetric weights: 8 bits -127..127; 7 bits -64..64 (onnxruntime's reduce-range)
WEIGHT_TYPES = ("int8", "uint8")  # uint8 weights are the int8 ones shifted by a zero point of 128
ACTIVATION_TYPES = {"uint8": (np.uint8, 0, 255), "int8": (np.int8, -128, 127)}


class QuantizeError(ValueError):
    """The model cannot be quantized by this tool (an op or attribute it does not handle)."""


@dataclass(frozen=True)
class QuantParams:
    scale: float
    zero_point: int


@dataclass
class _Plan:
    """What gets quantized: derived from the float graph before any rewriting."""
    # Conv output name -> the Relu output it replaces (the Relu node is dropped).
    fused_relu: dict[str, str] = field(default_factory=dict)
    # Tensors (names in the rewritten graph) that get a QuantizeLinear/DequantizeLinear pair.
    quantized: list[str] = field(default_factory=list)
    # MaxPool output -> its input: requantized with the input's parameters.
    shared: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Parameters

def activation_params(lo: float, hi: float, activations: str = "uint8") -> QuantParams:
    """Asymmetric per-tensor parameters covering [lo, hi] (widened to include 0, as ONNX needs
    0.0 to be exactly representable for padding)."""
    _, qmin, qmax = ACTIVATION_TYPES[activations]
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = float(np.float32((hi - lo) / (qmax - qmin))) if hi > lo else 1.0
    zero_point = int(np.clip(np.rint(qmin - lo / scale), qmin, qmax))
    return QuantParams(scale, zero_point)


def quantize_weight(w: np.ndarray, axis: int, bits: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-channel int8: returns (q int8 with w's shape, scale float32 [w.shape[axis]]).

    With qmax = 127 (8 bits) or 64 (7 bits): scale_c = max|w_c| / qmax (1.0 for an all-zero
    channel); q = round(w / scale_c), so |q * scale_c - w| <= scale_c / 2 for every element.
    """
    if bits not in WEIGHT_QMAX:
        raise ValueError(f"Expected weight bits 7 or 8, got {bits!r}")
    qmax = WEIGHT_QMAX[bits]
    w = np.asarray(w, dtype=np.float64)
    other = tuple(i for i in range(w.ndim) if i != axis % w.ndim)
    amax = np.abs(w).max(axis=other) if other else np.abs(w)
    scale = np.where(amax > 0, amax / qmax, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis % w.ndim] = -1
    q = np.clip(np.rint(w / scale.astype(np.float64).reshape(shape)), -qmax, qmax)
    return q.astype(np.int8), scale


def quantize_bias(b: np.ndarray, input_scale: float, weight_scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int32 bias with scale input_scale x weight_scale (float32, as the runtime computes it)."""
    scale = (np.float32(input_scale) * weight_scale.astype(np.float32)).astype(np.float32)
    q = np.clip(np.rint(np.asarray(b, dtype=np.float64) / scale.astype(np.float64)),
                -(2 ** 31), 2 ** 31 - 1)
    return q.astype(np.int32), scale


# ---------------------------------------------------------------------------------------------
# Calibration

class _RangeCollector:
    """Per-tensor value range over all calibration batches: min/max, or the (100-p, p)
    percentiles of a random sample of the values (at most `samples` values per batch)."""

    def __init__(self, method: str, percentile: float, samples: int, seed: int):
        if method not in ("minmax", "percentile"):
            raise ValueError(f"Expected method minmax or percentile, got {method!r}")
        if not 50 < percentile <= 100:
            raise ValueError(f"Expected percentile in (50, 100], got {percentile}")
        self.method, self.percentile, self.samples = method, percentile, samples
        self.rng = np.random.default_rng(seed)
        self.lo: dict[str, float] = {}
        self.hi: dict[str, float] = {}
        self.values: dict[str, list[np.ndarray]] = {}

    def add(self, name: str, x: np.ndarray) -> None:
        flat = x.reshape(-1)
        self.lo[name] = min(self.lo.get(name, np.inf), float(flat.min()))
        self.hi[name] = max(self.hi.get(name, -np.inf), float(flat.max()))
        if self.method == "percentile":
            if flat.size > self.samples:
                flat = flat[self.rng.choice(flat.size, self.samples, replace=False)]
            self.values.setdefault(name, []).append(flat.astype(np.float32))

    def range(self, name: str) -> tuple[float, float]:
        if self.method == "minmax":
            return self.lo[name], self.hi[name]
        v = np.concatenate(self.values[name])
        lo, hi = np.percentile(v, [100 - self.percentile, self.percentile])
        return float(lo), float(hi)


def calibrate(model: onnx.ModelProto, inputs: np.ndarray, tensors: Iterable[str], method: str = "minmax",
              percentile: float = 99.99, batch_size: int = 32, samples: int = 1 << 16,
              seed: int = 0) -> dict[str, tuple[float, float]]:
    """Range of each named tensor of the float graph over `inputs` (normalised NCHW batches)."""
    tensors = list(dict.fromkeys(tensors))
    collector = _RangeCollector(method, percentile, samples, seed)
    for i in range(0, inputs.shape[0], batch_size):
        values = run_graph(model, inputs[i:i + batch_size], keep=tensors)
        for name in tensors:
            collector.add(name, values[name])
    return {name: collector.range(name) for name in tensors}


# ---------------------------------------------------------------------------------------------
# Graph rewriting

def _consumers(graph: onnx.GraphProto) -> dict[str, list[onnx.NodeProto]]:
    out: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            out.setdefault(name, []).append(node)
    return out


def _plan(model: onnx.ModelProto) -> _Plan:
    graph = model.graph
    ops = {n.op_type for n in graph.node}
    if not ops <= FLOAT_OPS:
        raise QuantizeError(f"unsupported ops {sorted(ops - FLOAT_OPS)}; this quantizer handles {sorted(FLOAT_OPS)}")
    consumers = _consumers(graph)
    graph_outputs = {o.name for o in graph.output}
    initializers = {t.name for t in graph.initializer}
    plan = _Plan()

    def add(name: str) -> None:
        if name not in plan.quantized:
            plan.quantized.append(name)

    for node in graph.node:
        if node.op_type in ("Conv", "Gemm"):
            if node.input[0] in initializers:
                raise QuantizeError(f"{node.op_type} {node.name!r}: a constant first input is not supported")
            add(node.input[0])
            out = node.output[0]
            users = consumers.get(out, [])
            if len(users) == 1 and users[0].op_type == "Relu" and out not in graph_outputs:
                plan.fused_relu[out] = users[0].output[0]
                out = users[0].output[0]
            if out not in graph_outputs:
                add(out)
    # MaxPool keeps its input's parameters; walk in graph order so chains resolve.
    for node in graph.node:
        if node.op_type == "MaxPool" and node.input[0] in plan.quantized and node.output[0] not in graph_outputs:
            plan.shared[node.output[0]] = node.input[0]
            if node.output[0] not in plan.quantized:
                plan.quantized.append(node.output[0])
    return plan


def _weight_axis(node: onnx.NodeProto) -> int:
    """The output-channel axis of the weight (input 1)."""
    if node.op_type == "Conv":
        return 0
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    if attrs.get("transA", 0):
        raise QuantizeError(f"Gemm {node.name!r}: transA is not supported")
    if attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
        raise QuantizeError(f"Gemm {node.name!r}: alpha/beta other than 1 are not supported")
    return 0 if attrs.get("transB", 0) else 1


def _preprocessing_range(model: onnx.ModelProto) -> tuple[float, float] | None:
    """Input range implied by the model's preprocessing metadata: pixel 0 and 255."""
    meta = {p.key: p.value for p in model.metadata_props}
    if "preprocessing" not in meta:
        return None
    pre = json.loads(meta["preprocessing"])
    mean, std = float(pre["mean"]), float(pre["std"])
    return (0.0 - mean) / std, (1.0 - mean) / std


def quantize_model(model: onnx.ModelProto, calibration: np.ndarray, *, method: str = "minmax",
                   percentile: float = 99.99, activations: str = "uint8",
                   weight_bits: int = 7, weight_type: str = "int8",
                   input_range: tuple[float, float] | None = None,
                   batch_size: int = 32, seed: int = 0) -> tuple[onnx.ModelProto, dict]:
    """Return (QDQ model, details). `calibration` is normalised float input, NCHW."""
    if activations not in ACTIVATION_TYPES:
        raise ValueError(f"Expected activations uint8 or int8, got {activations!r}")
    if weight_type not in WEIGHT_TYPES:
        raise ValueError(f"Expected weights int8 or uint8, got {weight_type!r}")
    if weight_bits not in WEIGHT_QMAX:
        raise ValueError(f"Expected weight bits 7 or 8, got {weight_bits!r}")
    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    if opset < MIN_OPSET:
        raise QuantizeError(f"opset {opset}: per-channel DequantizeLinear needs opset >= {MIN_OPSET}")
    graph = model.graph
    plan = _plan(model)
    input_name = graph.input[0].name
    to_calibrate = [t for t in plan.quantized if t not in plan.shared
                    and not (t == input_name and input_range is not None)]
    ranges = calibrate(model, calibration, to_calibrate, method, percentile, batch_size, seed=seed)
    if input_range is not None and input_name in plan.quantized:
        ranges[input_name] = (float(input_range[0]), float(input_range[1]))

    def source(name: str) -> str:
        while name in plan.shared:
            name = plan.shared[name]
        return name

    params = {name: activation_params(*ranges[source(name)], activations) for name in plan.quantized}
    np_type = ACTIVATION_TYPES[activations][0]

    inits = {t.name: t for t in graph.initializer}
    new_inits: list[onnx.TensorProto] = []
    used_inits: set[str] = set()
    new_nodes: list[onnx.NodeProto] = []
    dequantized: dict[str, str] = {}  # tensor -> its DequantizeLinear output

    def qdq(name: str) -> None:
        p = params[name]
        scale, zp = f"{name}_scale", f"{name}_zero_point"
        new_inits.append(numpy_helper.from_array(np.array(p.scale, dtype=np.float32), scale))
        new_inits.append(numpy_helper.from_array(np.array(p.zero_point, dtype=np_type), zp))
        q, dq = f"{name}_QuantizeLinear_Output", f"{name}_DequantizeLinear_Output"
        new_nodes.append(helper.make_node("QuantizeLinear", [name, scale, zp], [q], name=f"{name}_QuantizeLinear"))
        new_nodes.append(helper.make_node("DequantizeLinear", [q, scale, zp], [dq], name=f"{name}_DequantizeLinear"))
        dequantized[name] = dq

    def const_dq(name: str, q: np.ndarray, scale: np.ndarray, zp_type: type, axis: int, zero_point: int = 0) -> str:
        new_inits.append(numpy_helper.from_array(q, f"{name}_quantized"))
        new_inits.append(numpy_helper.from_array(scale.astype(np.float32), f"{name}_scale"))
        new_inits.append(numpy_helper.from_array(np.full(scale.shape, zero_point, dtype=zp_type), f"{name}_zero_point"))
        out = f"{name}_DequantizeLinear_Output"
        new_nodes.append(helper.make_node("DequantizeLinear", [f"{name}_quantized", f"{name}_scale", f"{name}_zero_point"],
                                          [out], name=f"{name}_DequantizeLinear", axis=axis))
        used_inits.add(name)
        return out

    if input_name in plan.quantized:
        qdq(input_name)
    weights: list[dict] = []
    for node in graph.node:
        if node.op_type == "Relu" and node.input[0] in plan.fused_relu:
            continue
        new = onnx.NodeProto()
        new.CopyFrom(node)
        del new.input[:]
        new.input.extend(dequantized.get(n, n) for n in node.input)
        if node.op_type in ("Conv", "Gemm"):
            axis = _weight_axis(node)
            w_name = node.input[1]
            if w_name not in inits:
                raise QuantizeError(f"{node.op_type} {node.name!r}: weight {w_name!r} is not an initializer")
            w = numpy_helper.to_array(inits[w_name])
            wq, ws = quantize_weight(w, axis, weight_bits)
            if weight_type == "uint8":
                new.input[1] = const_dq(w_name, (wq.astype(np.int16) + 128).astype(np.uint8), ws, np.uint8, axis, 128)
            else:
                new.input[1] = const_dq(w_name, wq, ws, np.int8, axis)
            if len(node.input) > 2 and node.input[2]:
                b_name = node.input[2]
                b = numpy_helper.to_array(inits[b_name]) if b_name in inits else None
                if b is None or b.shape != (ws.size,):
                    raise QuantizeError(f"{node.op_type} {node.name!r}: bias must be a 1-D initializer of {ws.size}")
                bq, bs = quantize_bias(b, params[node.input[0]].scale, ws)
                new.input[2] = const_dq(b_name, bq, bs, np.int32, 0)
            if node.output[0] in plan.fused_relu:
                new.output[0] = plan.fused_relu[node.output[0]]
            per_channel = ws.astype(np.float64).reshape([-1 if i == axis else 1 for i in range(w.ndim)])
            weights.append({"node": node.name, "weight": w_name, "axis": axis, "channels": int(ws.size),
                            "max_error_in_scale_steps": float(np.max(np.abs(wq * per_channel - w) / per_channel))})
        new_nodes.append(new)
        if new.output[0] in plan.quantized:
            qdq(new.output[0])

    kept = [t for t in graph.initializer if t.name not in used_inits]
    value_info = [v for v in graph.value_info if v.name not in plan.fused_relu]
    new_graph = helper.make_graph(new_nodes, graph.name, list(graph.input), list(graph.output),
                                  initializer=kept + new_inits, value_info=value_info)
    out = helper.make_model(new_graph, opset_imports=list(model.opset_import),
                            producer_name="moodbox-quantize", producer_version="1")
    out.ir_version = model.ir_version
    out.doc_string = model.doc_string
    details = {
        "format": "QDQ",
        "weights": (f"{weight_type} symmetric per-channel, {weight_bits} bits "
                    f"(-{WEIGHT_QMAX[weight_bits]}..{WEIGHT_QMAX[weight_bits]}"
                    + (", zero point 128)" if weight_type == "uint8" else ")")),
        "biases": "int32, scale = input scale x weight scale",
        "activations": f"{activations} per-tensor asymmetric",
        "calibration": {"method": method, **({"percentile": percentile} if method == "percentile" else {}),
                        "images": int(calibration.shape[0])},
        "fused_relu": len(plan.fused_relu),
        "activation_params": {k: {"scale": v.scale, "zero_point": v.zero_point, "range": list(ranges[source(k)]),
                                  **({"shared_with": source(k)} if k in plan.shared else {})}
                              for k, v in params.items()},
        "weight_layers": weights,
    }
    for p in model.metadata_props:
        out.metadata_props.add(key=p.key, value=p.value)
    out.metadata_props.add(key="quantization", value=json.dumps({k: details[k] for k in (
        "format", "weights", "biases", "activations", "calibration")}))
    onnx.checker.check_model(out, full_check=True)
    return out, details


# ---------------------------------------------------------------------------------------------

def normalise(images: np.ndarray, mean: float, std: float) -> np.ndarray:
    """uint8 [N,H,W] -> float32 [N,1,H,W] = (pixel/255 - mean) / std (float32 arithmetic)."""
    x = images.astype(np.float32) / np.float32(255.0)
    return ((x - np.float32(mean)) / np.float32(std))[:, None, :, :]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="float ONNX model (export_onnx.py)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--calibration-images", type=int, default=512,
                    help="random Training images used for calibration")
    ap.add_argument("--calibration-npy", type=Path,
                    help="uint8 [N,H,W] grey images to calibrate on instead of FER-2013 Training")
    ap.add_argument("--method", choices=("minmax", "percentile"), default="minmax")
    ap.add_argument("--percentile", type=float, default=99.99)
    ap.add_argument("--activations", choices=tuple(ACTIVATION_TYPES), default="uint8")
    ap.add_argument("--weights", choices=WEIGHT_TYPES, default="int8")
    ap.add_argument("--weight-bits", type=int, choices=tuple(WEIGHT_QMAX), default=7,
                    help="7 (default) keeps onnxruntime's AVX2 int8 kernels from saturating; 8 is one bit finer")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check-images", type=int, default=64,
                    help="calibration images on which the int8 graph is compared with the float one")
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    args = ap.parse_args(argv)

    model = onnx.load(str(args.model))
    meta = {p.key: p.value for p in model.metadata_props}
    if "preprocessing" not in meta:
        raise SystemExit(f"{args.model}: no preprocessing metadata (mean/std); export it with export_onnx.py")
    pre = json.loads(meta["preprocessing"])
    if args.calibration_npy is not None:
        images = np.load(args.calibration_npy)
        source = str(args.calibration_npy)
    else:
        train = load_fer(args.csv, args.cache_dir)["Training"]
        pick = np.random.default_rng(args.seed).choice(len(train), size=min(args.calibration_images, len(train)),
                                                       replace=False)
        images = train.images[np.sort(pick)]
        source = f"{args.csv} Usage=Training, {len(pick)} random images (seed {args.seed})"
    if images.dtype != np.uint8 or images.ndim != 3:
        raise SystemExit(f"calibration images: expected uint8 [N,H,W], got {images.dtype} {list(images.shape)}")
    x = normalise(images, pre["mean"], pre["std"])

    quantized, details = quantize_model(model, x, method=args.method, percentile=args.percentile,
                                        activations=args.activations, weight_bits=args.weight_bits,
                                        weight_type=args.weights, input_range=_preprocessing_range(model),
                                        seed=args.seed)
    float_sha = hashlib.sha256(args.model.read_bytes()).hexdigest()
    quantized.metadata_props.add(key="quantized_from", value=json.dumps({"file": args.model.name, "sha256": float_sha}))
    check = x[: args.check_images]
    ref, got = run_numpy(model, check), run_numpy(quantized, check)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".tmp.onnx")
    onnx.save(quantized, str(tmp))
    tmp.replace(args.output)
    data = args.output.read_bytes()
    summary = {
        "output": str(args.output), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
        "float_model": str(args.model), "float_sha256": float_sha,
        "calibration_source": source,
        **{k: details[k] for k in ("format", "weights", "biases", "activations", "calibration", "fused_relu")},
        "check_images": int(check.shape[0]),
        "check_max_abs_logit_diff": float(np.abs(ref - got).max()),
        "check_argmax_agreement": float((ref.argmax(1) == got.argmax(1)).mean()),
        "ops": sorted({n.op_type for n in quantized.graph.node}),
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
