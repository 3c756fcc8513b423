"""A small numpy interpreter for the ONNX op set of the Moodbox emotion CNN.

onnx 1.12 (Debian's) has no ``onnx.reference``, and onnxruntime is not installed for Python here,
so the exported and the quantized graphs are checked by this interpreter. It needs only numpy and
onnx (no torch), and implements exactly:

- the float graph's ops: Conv, Relu, MaxPool, GlobalAveragePool, Flatten, Gemm;
- the quantized graph's extra ops: QuantizeLinear and DequantizeLinear (opset 13 semantics:
  per-tensor or per-axis scale and zero point, round half to even, saturation to the output type).

Float tensors are computed in float64, so the interpreter is a reference, not a simulation of a
particular runtime's float32 rounding.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import onnx
from onnx import numpy_helper

FLOAT_OPS = frozenset({"Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm"})
QDQ_OPS = frozenset({"QuantizeLinear", "DequantizeLinear"})
SUPPORTED_OPS = FLOAT_OPS | QDQ_OPS

_INT_RANGES = {np.dtype(np.uint8): (0, 255), np.dtype(np.int8): (-128, 127),
               np.dtype(np.int32): (-(2 ** 31), 2 ** 31 - 1)}


def _np_conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, attrs: dict) -> np.ndarray:
    if attrs.get("group", 1) != 1 or any(d != 1 for d in attrs.get("dilations", [1, 1])):
        raise NotImplementedError("Conv with groups or dilation")
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("Conv auto_pad")
    pt, pl, pb, pr = attrs.get("pads", [0, 0, 0, 0])
    sh, sw = attrs.get("strides", [1, 1])
    kh, kw = w.shape[2:]
    x = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    y = np.einsum("nchwij,ocij->nohw", win, w, optimize=True)
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def _np_maxpool(x: np.ndarray, attrs: dict) -> np.ndarray:
    kh, kw = attrs["kernel_shape"]
    sh, sw = attrs.get("strides", [1, 1])
    if any(attrs.get("pads", [0, 0, 0, 0])) or attrs.get("ceil_mode", 0) or any(
            d != 1 for d in attrs.get("dilations", [1, 1])):
        raise NotImplementedError("MaxPool with pads, ceil_mode or dilation")
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return win.max(axis=(4, 5))


def _np_gemm(a: np.ndarray, b: np.ndarray, c: np.ndarray | None, attrs: dict) -> np.ndarray:
    a = a.T if attrs.get("transA", 0) else a
    b = b.T if attrs.get("transB", 0) else b
    y = attrs.get("alpha", 1.0) * (a @ b)
    return y if c is None else y + attrs.get("beta", 1.0) * c


def _per_axis(v: np.ndarray, x: np.ndarray, axis: int) -> np.ndarray:
    """Reshape a per-axis parameter (1-D) so that it broadcasts along `axis` of `x`."""
    if v.ndim == 0:
        return v
    shape = [1] * x.ndim
    shape[axis % x.ndim] = v.size
    return v.reshape(shape)


def quantize_linear(x: np.ndarray, scale: np.ndarray, zero_point: np.ndarray | None,
                    axis: int = 1) -> np.ndarray:
    """ONNX QuantizeLinear: saturate(round_half_even(x / scale) + zero_point)."""
    dtype = np.dtype(np.uint8) if zero_point is None else zero_point.dtype
    lo, hi = _INT_RANGES[dtype]
    zp = np.zeros_like(scale, dtype=np.int64) if zero_point is None else zero_point.astype(np.int64)
    q = np.rint(x / _per_axis(scale.astype(np.float64), x, axis)) + _per_axis(zp, x, axis)
    return np.clip(q, lo, hi).astype(dtype)


def dequantize_linear(q: np.ndarray, scale: np.ndarray, zero_point: np.ndarray | None,
                      axis: int = 1) -> np.ndarray:
    """ONNX DequantizeLinear: (q - zero_point) * scale, in float64 here."""
    zp = 0 if zero_point is None else _per_axis(zero_point.astype(np.int64), q, axis)
    return (q.astype(np.int64) - zp) * _per_axis(scale.astype(np.float64), q, axis)


def run_graph(model: onnx.ModelProto, x: np.ndarray, keep: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """Run the graph on `x` (its first input); return the graph outputs and the tensors in `keep`.

    Float initializers are promoted to float64; integer initializers (quantized weights, zero
    points) keep their type, as QuantizeLinear/DequantizeLinear need it.
    """
    env: dict[str, np.ndarray] = {}
    for t in model.graph.initializer:
        a = numpy_helper.to_array(t)
        env[t.name] = a.astype(np.float64) if a.dtype.kind == "f" else a
    env[model.graph.input[0].name] = x.astype(np.float64)
    wanted = set(keep) | {o.name for o in model.graph.output}
    out = {k: env[k] for k in wanted if k in env}
    for node in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        ins = [env[n] if n else None for n in node.input]
        opt = (lambda i: ins[i] if len(ins) > i else None)  # noqa: E731 (optional inputs)
        if node.op_type == "Conv":
            y = _np_conv(ins[0], ins[1], opt(2), attrs)
        elif node.op_type == "Relu":
            y = np.maximum(ins[0], 0)
        elif node.op_type == "MaxPool":
            y = _np_maxpool(ins[0], attrs)
        elif node.op_type == "GlobalAveragePool":
            y = ins[0].mean(axis=(2, 3), keepdims=True)
        elif node.op_type == "Flatten":
            axis = attrs.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif node.op_type == "Gemm":
            y = _np_gemm(ins[0], ins[1], opt(2), attrs)
        elif node.op_type == "QuantizeLinear":
            y = quantize_linear(ins[0], ins[1], opt(2), attrs.get("axis", 1))
        elif node.op_type == "DequantizeLinear":
            y = dequantize_linear(ins[0], ins[1], opt(2), attrs.get("axis", 1))
        else:
            raise NotImplementedError(f"op {node.op_type}")
        env[node.output[0]] = y
        if node.output[0] in wanted:
            out[node.output[0]] = y
    return out


def run_numpy(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    """The graph's first output for input `x`."""
    return run_graph(model, x)[model.graph.output[0].name]
