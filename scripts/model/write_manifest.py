"""Write models/manifest.json: what the daemon checks before it loads a model, and the model report.

    /usr/bin/python3 scripts/model/write_manifest.py [--models-dir models] [--run RUN_DIR] \
        [--eval FILE=KEY:EVAL.json ...] [--flip-tta FILE=true|false]

For every emotion model (`emotion-*.onnx`) in the models folder the entry is rebuilt from the file
itself: sha256, size, input and output names and shapes, labels and normalisation (from the file's
metadata, written by export_onnx.py), quantization details (quantize.py). Other fields are kept
from the existing manifest unless given again:

- `--eval emotion-int8.onnx=noTta:/tmp/int8.json` stores the figures of a `moodbox eval --json` run
  under `accuracy.<KEY>` (accuracy, per-class recall, confusion matrix, FER+ majority, images/s).
- `--run DIR` records the training run (args.json, report.json, the best epoch) under `training`,
  with the validation split that made its choices (`training.validationSplit`, `training.selection`),
  and the softmax temperature fitted on that split as the entry's `temperature` (the daemon divides
  the logits by it before the softmax; absent = 1).
- `--flip-tta FILE=true` sets whether the daemon averages each face with its mirror (default false).
- `--denoise FILE=RULE.json` sets how grainy faces are smoothed before the model reads them
  (`face_denoise.py`: `{"steps": [{"fromNoise": 9, "kernel": [2, 53, 146, 53, 2]}, ...]}`), kept
  while the file is unchanged; `--denoise FILE=none` drops it. Measure the model's figures again after.
- `--label-offsets FILE=OFFSETS.json` sets the offsets added to the logits by each face's grain
  (`fit_offsets.py`: `{"steps": [{"fromNoise": 0, "offsets": [one per label]}, ...]}`), kept while
  the file is unchanged; `--label-offsets FILE=none` drops them. Measure the figures again after.
- `--other-cpu emotion-int8.onnx=arm64-cortex-a72:/tmp/a72.json` stores figures measured on another
  CPU (`scripts/check-arm64.sh`) under `otherCpus.<KEY>`, kept while the file is unchanged.

Entries whose file no longer exists are dropped. Other models in the folder (the YuNet face
detector, which the daemon checks against its own sha256) are left out. Needs numpy and onnx only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import onnx

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MODELS = REPO / "models"
MANIFEST = "manifest.json"
# The emotion models this manifest describes; other .onnx files (the face detector) are not its business.
EMOTION_MODELS = "emotion-*.onnx"
PROVENANCE = ("Moodbox's own CNN (scripts/model/fer_model.py), trained by scripts/model/train.py on FER-2013 "
              "Usage=Training (28,709 images) with 0.3 x FER+ vote targets, best epoch selected on PublicTest; "
              "exported by export_onnx.py (BatchNorm folded, opset 13)")
VALIDATED_PROVENANCE = ("Moodbox's own CNN (scripts/model/fer_model.py), trained by scripts/model/train.py on FER-2013 "
                        "Usage=Training minus a stratified validation split ({val_rows:,} images held out, seed "
                        "{seed}) with FER+ vote targets; epoch, weight average and temperature chosen on that split, "
                        "PublicTest untouched; exported by export_onnx.py (BatchNorm folded, opset 13)")
QUANTIZED_PROVENANCE = "; quantized to int8 QDQ by quantize.py (calibration on FER-2013 Training images)"
LICENCE = ("MIT (the Moodbox project). Training data: FER-2013 (Goodfellow et al., 2013; released for research, "
           "no explicit licence) and the FER+ labels (Microsoft, MIT). No image is shipped in the model.")
EVAL_KEYS = ("n", "accuracy", "correct", "macroRecall", "perClass", "labels", "predictedLabels", "confusion",
             "ferPlusMajority", "imagesPerSecond", "flipTta", "threads", "batchSize", "usage", "file", "cpu")


def _check_steps(rule: dict, option: str, spec: str, field: str, step_ok, wrong: str) -> list[dict]:
    """The steps of a rule by grain (`{"steps": [{"fromNoise", FIELD}, ...]}`, fromNoise rising from 0
    or more, each FIELD passing `step_ok`), or exit naming what is wrong."""
    steps = rule.get("steps") if isinstance(rule, dict) else None
    if not isinstance(steps, list) or not steps:
        raise SystemExit(f"{option} {spec}: expected {{\"steps\": [{{\"fromNoise\", \"{field}\"}}, ...]}}")
    previous = -1.0
    for i, step in enumerate(steps):
        n = step.get("fromNoise")
        if not isinstance(n, (int, float)) or n < 0 or n <= previous:
            raise SystemExit(f"{option} {spec}: steps[{i}].fromNoise must be >= 0 and above the step before")
        if not step_ok(step.get(field)):
            raise SystemExit(f"{option} {spec}: steps[{i}].{field} must be {wrong}")
        previous = n
    return [{"fromNoise": s["fromNoise"], field: s[field]} for s in steps]


def check_denoise(rule: dict, spec: str) -> dict:
    """The rule as the daemon accepts it (src/vision/denoise-crop.ts), or exit naming what is wrong."""
    def kernel_ok(k) -> bool:
        return (isinstance(k, list) and 3 <= len(k) <= 9 and len(k) % 2 == 1 and sum(k) == 256 and k == k[::-1]
                and all(isinstance(w, int) and w >= 0 for w in k))
    return {"steps": _check_steps(rule, "--denoise", spec, "kernel", kernel_ok,
                                  "3-9 (odd) whole symmetric weights summing to 256")}


def check_label_offsets(rule: dict, spec: str, labels: int = 7) -> dict:
    """The offsets as the daemon accepts them (src/vision/label-offsets.ts), or exit naming what is wrong."""
    def offsets_ok(o) -> bool:
        return isinstance(o, list) and len(o) == labels and all(isinstance(v, (int, float)) and abs(v) <= 4 for v in o)
    out = {"steps": _check_steps(rule, "--label-offsets", spec, "offsets", offsets_ok, f"{labels} numbers within ±4")}
    if isinstance(rule.get("fittedOn"), str):
        out["fittedOn"] = rule["fittedOn"]
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dims(value_info: onnx.ValueInfoProto) -> list:
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def describe_model(path: Path) -> dict:
    """The manifest fields that come from the model file itself."""
    model = onnx.load(str(path))
    meta = {p.key: p.value for p in model.metadata_props}
    for key in ("labels", "preprocessing"):
        if key not in meta:
            raise SystemExit(f"{path}: no {key!r} metadata; export it with export_onnx.py")
    labels = json.loads(meta["labels"])
    pre = json.loads(meta["preprocessing"])
    # A second output, `embedding` (add_embedding_output.py), feeds the personal calibration.
    extra = [o for o in model.graph.output[1:]]
    if len(model.graph.input) != 1 or not 1 <= len(model.graph.output) <= 2 or any(o.name != "embedding" for o in extra):
        raise SystemExit(f"{path}: expected one input and one output (plus an optional `embedding`)")
    inp, out = model.graph.input[0], model.graph.output[0]
    if inp.type.tensor_type.elem_type != onnx.TensorProto.FLOAT or out.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        raise SystemExit(f"{path}: expected float32 input and output")
    ops = sorted({n.op_type for n in model.graph.node})
    entry = {
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "input": {"name": inp.name, "shape": _dims(inp), "layout": pre.get("layout", "NCHW"), "type": "float32",
                  "normalisation": {"scale": 255, "mean": pre["mean"], "std": pre["std"]}},
        "output": {"name": out.name, "shape": _dims(out), "type": "float32", "kind": "logits"},
        "labels": labels,
        "opset": max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
        "ops": ops,
        "sourceEpoch": int(meta["source_epoch"]) if meta.get("source_epoch", "None").isdigit() else None,
    }
    for emb in extra:
        entry["embedding"] = {"name": emb.name, "shape": _dims(emb), "type": "float32"}
        if "embedding_added_to" in meta:
            # Same logits as the file with this sha256: its figures still hold.
            entry["embedding"]["addedTo"] = meta["embedding_added_to"]
    if "quantization" in meta:
        entry["quantization"] = json.loads(meta["quantization"])
        if "quantized_from" in meta:
            entry["quantization"]["from"] = json.loads(meta["quantized_from"])
    return entry


def eval_figures(path: Path, command: str | None = None) -> dict:
    report = json.loads(path.read_text())
    missing = [k for k in ("n", "accuracy", "perClass", "confusion") if k not in report]
    if missing:
        raise SystemExit(f"{path}: not a `moodbox eval --json` report (missing {missing})")
    figures = {k: report[k] for k in EVAL_KEYS if k in report}
    figures["file"] = Path(str(figures.get("file", ""))).name
    figures["model"] = {"sha256": report.get("model", {}).get("sha256")}
    if command:
        figures["command"] = command
    return figures


def training_record(run: Path) -> dict:
    args = json.loads((run / "args.json").read_text())
    record: dict = {
        "data": "FER-2013 Usage=Training (28,709 images) with FER+ votes; selection on PublicTest (3,589)",
        "command": train_command(run, args),
        "args": {k: v for k, v in args.items() if k not in ("out", "csv", "cache_dir", "resume", "report_only")},
    }
    report_path = run / "report.json"
    report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    split = report.get("validation_split")
    if split is None and "val_fraction" in args and report:
        raise SystemExit(f"{report_path}: the run used a validation split but its report does not record it")
    if split is not None:
        record["data"] = (f"FER-2013 Usage=Training minus the validation split ({split['train_rows']:,} images) "
                          f"with FER+ votes; every choice on the validation split ({split['val_rows']:,}); "
                          "PublicTest (3,589) measured only at the end")
        record["validationSplit"] = split
        # Which split chose what: the reader of the manifest should not have to guess.
        record["selection"] = {
            "bestEpoch": "validation split (accuracy, no TTA)",
            "weightAverage": "validation split" if args.get("swa_start") else None,
            "temperature": "validation split (NLL with flip-TTA)" if "temperature" in report else None,
            "publicTest": "final measure only, never used for a choice",
        }
    if report:
        keep = ("checkpoint", "best_epoch", "best_swa_epochs", "epochs", "params", "macs", "accuracy", "accuracy_flip_tta",
                "val_accuracy", "val_accuracy_flip_tta", "temperature", "epochs_run", "epochs_planned", "train_seconds")
        record["report"] = {k: report[k] for k in keep if k in report}
        calib = report.get("calibration")
        if calib:
            record["report"]["calibration"] = {
                "temperature": calib["temperature"], "fittedOn": calib["fitted_on"], "eceBins": calib["ece_bins"],
                **{f"{split_name}{'FlipTta' if tta == 'flip_tta' else ''}": {
                    "eceBefore": calib[split_name][tta]["ece_before"], "eceAfter": calib[split_name][tta]["ece_after"]}
                   for split_name in ("validation", "publictest") for tta in ("flip_tta", "no_tta")}}
    metrics = run / "metrics.jsonl"
    if metrics.is_file():
        rows = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()]
        if rows:
            # The epoch that chose: by validation accuracy where the run had a split, else PublicTest (older runs).
            key = "val_acc" if all("val_acc" in r for r in rows) else "test_acc"
            best = max(rows, key=lambda r: max(r[key], r.get(f"swa_{key}", -1.0)))
            record["bestEpoch"] = best["epoch"]
            record["epochsRun"] = len(rows)
            if key == "val_acc":
                record["validationAccuracyPerEpoch"] = [r["val_acc"] for r in rows]
            record["publicTestAccuracyPerEpoch"] = [r["test_acc"] for r in rows]
            if any("swa_test_acc" in r for r in rows):
                # Accuracy of the running weight average after each epoch (None before --swa-start).
                if key == "val_acc":
                    record["validationAccuracySwaPerEpoch"] = [r.get("swa_val_acc") for r in rows]
                record["publicTestAccuracySwaPerEpoch"] = [r.get("swa_test_acc") for r in rows]
                if best.get(f"swa_{key}", -1.0) > best[key]:
                    record["bestSwaEpochs"] = best["swa_epochs"]
    return record


def train_command(run: Path, args: dict) -> str:
    """The train.py command line of a run, from its args.json (fine-tuning options when used)."""
    cmd = (f"/usr/bin/python3 scripts/model/train.py --out {run} --epochs {args['epochs']} "
           f"--width {args['width']} --seed {args['seed']} --threads {args['threads']}")
    if args.get("init"):
        cmd += f" --init {args['init']}"
    if args.get("schedule", "onecycle") != "onecycle":
        cmd += f" --schedule {args['schedule']} --lr {args['lr']} --min-lr {args['min_lr']}"
    elif args.get("lr", 0.1) != 0.1:
        cmd += f" --lr {args['lr']}"
    if args.get("swa_start"):
        cmd += f" --swa-start {args['swa_start']} --bn-images {args['bn_images']}"
    if args.get("report_from", "best") != "best":
        cmd += f" --report-from {args['report_from']}"
    if "val_fraction" in args:
        cmd += f" --val-fraction {args['val_fraction']} --split-seed {args.get('split_seed', 0)}"
    if args.get("mixup"):
        cmd += f" --mixup {args['mixup']}"
    if args.get("cutmix_prob"):
        cmd += f" --cutmix-prob {args['cutmix_prob']}"
    return cmd


def build(models_dir: Path, existing: dict, evals: list[tuple[str, str, dict]], run: Path | None,
          flip: dict[str, bool], other_cpus: list[tuple[str, str, dict]] | None = None,
          size_evals: list[tuple[str, int, dict]] | None = None, use_temperature: bool = True,
          provenance_note: str | None = None, denoise: dict[str, dict | None] | None = None,
          label_offsets: dict[str, dict | None] | None = None) -> dict:
    old = existing.get("models", {}) if isinstance(existing.get("models"), dict) else {}
    models: dict = {}
    for path in sorted(models_dir.glob(EMOTION_MODELS)):
        prev = old.get(path.name, {})
        entry = describe_model(path)
        same_model = prev.get("sha256") in (entry["sha256"], entry.get("embedding", {}).get("addedTo"))
        quantized = "quantization" in entry
        entry["flipTta"] = flip.get(path.name, prev.get("flipTta", False))
        rule = (denoise or {}).get(path.name, prev.get("denoise") if same_model else None)
        if rule is not None:
            entry["denoise"] = rule
        offsets = (label_offsets or {}).get(path.name, prev.get("labelOffsets") if same_model else None)
        if offsets is not None:
            entry["labelOffsets"] = offsets
        training = training_record(run) if run is not None else prev.get("training") if same_model else None
        split = (training or {}).get("validationSplit")
        entry["provenance"] = ((VALIDATED_PROVENANCE.format(val_rows=split["val_rows"], seed=split["seed"])
                                if split else PROVENANCE) + (QUANTIZED_PROVENANCE if quantized else ""))
        entry["licence"] = LICENCE
        # Figures measured on other bytes are dropped, never carried over to a new file.
        entry["accuracy"] = dict(prev.get("accuracy", {})) if same_model else {}
        if same_model and isinstance(prev.get("otherCpus"), dict):
            entry["otherCpus"] = dict(prev["otherCpus"])
        if same_model and isinstance(prev.get("accuracyBySize"), dict):
            entry["accuracyBySize"] = dict(prev["accuracyBySize"])
        if training is not None:
            entry["training"] = training
        # The temperature belongs to the weights: from the run that made them, else kept while the file is unchanged.
        temperature = (training or {}).get("report", {}).get("temperature")
        if temperature is None and same_model:
            temperature = prev.get("temperature")
        if temperature is not None and use_temperature:
            entry["temperature"] = temperature
        models[path.name] = entry
    # A quantized model was trained as the float model it was quantized from.
    for entry in models.values():
        source = entry.get("quantization", {}).get("from", {}).get("sha256")
        parent = next((m for m in models.values() if source in (m["sha256"], m.get("embedding", {}).get("addedTo"))), None)
        if "training" not in entry and parent is not None and "training" in parent:
            entry["training"] = parent["training"]
            if "temperature" in parent and "temperature" not in entry and use_temperature:
                entry["temperature"] = parent["temperature"]
            split = parent["training"].get("validationSplit")
            if split:
                entry["provenance"] = (VALIDATED_PROVENANCE.format(val_rows=split["val_rows"], seed=split["seed"])
                                       + QUANTIZED_PROVENANCE)
    for name, key, figures in evals:
        if name not in models:
            raise SystemExit(f"--eval {name}: no such model in {models_dir}")
        if figures["model"]["sha256"] not in (None, models[name]["sha256"]):
            raise SystemExit(f"--eval {name}={key}: the report is for sha256 {figures['model']['sha256']}, "
                             f"not the current file ({models[name]['sha256']})")
        models[name]["accuracy"][key] = figures
    for name, key, figures in other_cpus or []:
        if name not in models:
            raise SystemExit(f"--other-cpu {name}: no such model in {models_dir}")
        if figures.get("sha256") not in (None, models[name]["sha256"]):
            raise SystemExit(f"--other-cpu {name}={key}: the figures are for sha256 {figures['sha256']}, not the current file")
        models[name].setdefault("otherCpus", {})[key] = figures
    if provenance_note:
        for entry in models.values():
            entry["provenance"] = f"{entry['provenance']}. {provenance_note}"
    for name, size, report in size_evals or []:
        if name not in models:
            raise SystemExit(f"--size-eval {name}: no such model in {models_dir}")
        if report.get("model", {}).get("sha256") not in (None, models[name]["sha256"]):
            raise SystemExit(f"--size-eval {name}={size}: the report is for another file than the current one")
        if report.get("faceSize", 48) != size:
            raise SystemExit(f"--size-eval {name}={size}: the report was measured at {report.get('faceSize', 48)} px")
        if report.get("flipTta") != models[name]["flipTta"]:
            raise SystemExit(f"--size-eval {name}={size}: measured with flip-TTA {report.get('flipTta')}, "
                             f"but the daemon reads this model with flip-TTA {models[name]['flipTta']}")
        sizes = models[name].setdefault("accuracyBySize", {})
        sizes[str(size)] = round(float(report["accuracy"]), 4)
        models[name]["accuracyBySize"] = dict(sorted(sizes.items(), key=lambda kv: -int(kv[0])))
    return {"about": "Models the daemon loads; checked at start-up (sha256, input, output, labels, "
                     "normalisation). Written by scripts/model/write_manifest.py.",
            "models": models}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models-dir", type=Path, default=DEFAULT_MODELS)
    ap.add_argument("--run", type=Path, help="training run directory (args.json, report.json, metrics.jsonl)")
    ap.add_argument("--eval", action="append", default=[], metavar="FILE=KEY:PATH",
                    help="store a `moodbox eval --json` report as accuracy.KEY of FILE")
    ap.add_argument("--eval-command", action="append", default=[], metavar="FILE=KEY:COMMAND",
                    help="the command that produced an --eval report (recorded beside it)")
    ap.add_argument("--flip-tta", action="append", default=[], metavar="FILE=true|false")
    ap.add_argument("--denoise", action="append", default=[], metavar="FILE=RULE.json|none",
                    help="how grainy faces are smoothed before FILE reads them (face_denoise.py's rule)")
    ap.add_argument("--label-offsets", action="append", default=[], metavar="FILE=OFFSETS.json|none",
                    help="offsets added to FILE's logits by each face's grain (fit_offsets.py)")
    ap.add_argument("--other-cpu", action="append", default=[], metavar="FILE=KEY:JSON",
                    help="figures measured on another CPU (scripts/check-arm64.sh --json), kept while the file is unchanged")
    ap.add_argument("--size-eval", action="append", default=[], metavar="FILE=PX:PATH",
                    help="a `moodbox eval --shrink PX --json` report: its accuracy is stored as accuracyBySize.PX of FILE "
                         "(the daemon weighs a face's vote on the room by it)")
    ap.add_argument("--no-temperature", action="store_true",
                    help="leave the run's temperature out (when its validation split is not held out from the "
                         "weights, as for a fine-tuning of a model that was trained on all of Training)")
    ap.add_argument("--provenance-note", default=None,
                    help="a sentence added to every entry's provenance (how the weights were made beyond the run)")
    args = ap.parse_args(argv)

    manifest_path = args.models_dir / MANIFEST
    existing = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    commands = {}
    for spec in args.eval_command:
        target, _, command = spec.partition(":")
        commands[target] = command
    evals = []
    for spec in args.eval:
        target, _, path = spec.partition(":")
        name, _, key = target.partition("=")
        if not name or not key or not path:
            raise SystemExit(f"--eval: expected FILE=KEY:PATH, got {spec!r}")
        evals.append((name, key, eval_figures(Path(path), commands.get(target))))
    flip = {}
    for spec in args.flip_tta:
        name, _, value = spec.partition("=")
        if value not in ("true", "false"):
            raise SystemExit(f"--flip-tta: expected FILE=true|false, got {spec!r}")
        flip[name] = value == "true"
    denoise = {}
    for spec in args.denoise:
        name, _, path = spec.partition("=")
        if not name or not path:
            raise SystemExit(f"--denoise: expected FILE=RULE.json or FILE=none, got {spec!r}")
        denoise[name] = None if path == "none" else check_denoise(json.loads(Path(path).read_text()), spec)
    label_offsets = {}
    for spec in args.label_offsets:
        name, _, path = spec.partition("=")
        if not name or not path:
            raise SystemExit(f"--label-offsets: expected FILE=OFFSETS.json or FILE=none, got {spec!r}")
        label_offsets[name] = None if path == "none" else check_label_offsets(json.loads(Path(path).read_text()), spec)
    other_cpus = []
    for spec in args.other_cpu:
        target, _, path = spec.partition(":")
        name, _, key = target.partition("=")
        if not name or not key or not path:
            raise SystemExit(f"--other-cpu: expected FILE=KEY:JSON, got {spec!r}")
        other_cpus.append((name, key, json.loads(Path(path).read_text())))
    size_evals = []
    for spec in args.size_eval:
        target, _, path = spec.partition(":")
        name, _, size = target.partition("=")
        if not name or not size.isdigit() or not path:
            raise SystemExit(f"--size-eval: expected FILE=PX:PATH, got {spec!r}")
        size_evals.append((name, int(size), json.loads(Path(path).read_text())))
    manifest = build(args.models_dir, existing, evals, args.run, flip, other_cpus, size_evals, denoise=denoise,
                     label_offsets=label_offsets,
                     use_temperature=not args.no_temperature, provenance_note=args.provenance_note)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    for name, entry in manifest["models"].items():
        print(f"{name}: sha256 {entry['sha256']}, accuracy keys {sorted(entry['accuracy'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
