"""Expose the emotion model's penultimate layer as a second graph output, `embedding`.

    /usr/bin/python3 scripts/model/add_embedding_output.py [--models-dir models] [FILE ...]

The personal calibration (src/vision/personal-calibration.ts) fits a small per-person head on the
192 pooled features that feed the final Gemm, so the daemon needs them beside the logits. The
tensor feeding the Gemm that writes `logits` is renamed `embedding` and listed as a graph output:
in the float graph that is the Flatten output, in the int8 QDQ graph the float tensor after the
last DequantizeLinear. No node is added or changed, so the logits stay what they were.

Re-runnable: a model that already has the output is left alone. Run write_manifest.py afterwards
(the sha256 changes; it lists the second output and, since the file records the sha256 it had
before, keeps the figures measured on it). Needs the onnx package only.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import onnx

REPO = Path(__file__).resolve().parents[2]
OUTPUT = "embedding"
LOGITS = "logits"


def add_embedding(model: onnx.ModelProto) -> bool:
    """Renames the final Gemm's input to `embedding` and lists it as an output; False when already there."""
    graph = model.graph
    if any(o.name == OUTPUT for o in graph.output):
        return False
    gemm = [n for n in graph.node if n.op_type == "Gemm" and LOGITS in n.output]
    if len(gemm) != 1:
        raise SystemExit(f"expected one Gemm node writing {LOGITS!r}, found {len(gemm)}")
    source = gemm[0].input[0]
    if source in {i.name for i in graph.input} or source in {t.name for t in graph.initializer}:
        raise SystemExit(f"the Gemm's input {source!r} is not computed by the graph")
    producers = [n for n in graph.node if source in n.output]
    if len(producers) != 1:
        raise SystemExit(f"expected one node writing {source!r}, found {len(producers)}")
    width = gemm_width(model, gemm[0])
    for node in graph.node:
        for field in (node.input, node.output):
            for k, name in enumerate(field):
                if name == source:
                    field[k] = OUTPUT
    for info in list(graph.value_info):
        if info.name == source:
            graph.value_info.remove(info)
    batch = graph.output[0].type.tensor_type.shape.dim[0]
    out = onnx.helper.make_tensor_value_info(OUTPUT, onnx.TensorProto.FLOAT, [batch.dim_param or batch.dim_value, width])
    graph.output.append(out)
    return True


def gemm_width(model: onnx.ModelProto, gemm: onnx.NodeProto) -> int:
    """Number of input features of the Gemm (from its weight, quantized or not)."""
    inits = {t.name: t for t in model.graph.initializer}
    weight = gemm.input[1]
    if weight not in inits:
        # QDQ: the weight is a DequantizeLinear of an int8 initializer.
        dq = next(n for n in model.graph.node if weight in n.output)
        weight = dq.input[0]
    dims = list(inits[weight].dims)
    trans_b = next((a.i for a in gemm.attribute if a.name == "transB"), 0)
    return dims[1] if trans_b else dims[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models-dir", type=Path, default=REPO / "models")
    ap.add_argument("files", nargs="*", help="model files (default: emotion-*.onnx in --models-dir)")
    args = ap.parse_args(argv)
    files = [Path(f) for f in args.files] or sorted(args.models_dir.glob("emotion-*.onnx"))
    if not files:
        raise SystemExit(f"no emotion-*.onnx in {args.models_dir}")
    for path in files:
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        model = onnx.load(str(path))
        if not add_embedding(model):
            print(f"{path}: already has an {OUTPUT!r} output")
            continue
        # The logits are those of the file as it was: write_manifest.py keeps its figures.
        onnx.helper.set_model_props(model, {**{p.key: p.value for p in model.metadata_props}, "embedding_added_to": before})
        onnx.checker.check_model(model)
        onnx.save(model, str(path))
        dims = [d.dim_param or d.dim_value for d in model.graph.output[-1].type.tensor_type.shape.dim]
        print(f"{path}: added output {OUTPUT!r} {dims}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
