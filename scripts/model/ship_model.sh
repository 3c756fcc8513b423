#!/usr/bin/env bash
# Turns a finished training run into the shipped models: export, int8 quantization, the manifest,
# PublicTest figures measured by `moodbox eval` and the latency benchmark (measure_models.sh),
# the report PNGs.
#
#   scripts/model/ship_model.sh RUN_DIR [MODELS_DIR]
#
# CHECKPOINT=RUN_DIR/swa.pt exports the weight average of a fine-tuning run instead of best.pt.
# MANIFEST_ARGS adds arguments to the write_manifest.py calls (e.g. --no-temperature).
#
# RUN_DIR holds best.pt, args.json, metrics.jsonl (and report.json, curves.png, confusion.png,
# calibration.png when the run has finished; report.json's temperature goes into the manifest). MODELS_DIR defaults to models/. Evaluation reports are kept in
# MODELS_DIR/report/eval-*.json, the benchmark in MODELS_DIR/report/bench-emotion.json.
set -euo pipefail

run="${1:?usage: scripts/model/ship_model.sh RUN_DIR [MODELS_DIR]}"
cd "$(dirname "$0")/../.."
models="${2:-models}"
csv="${FER_CSV:-/work/shared/datasets/fer2013/fer2013.csv.gz}"
py=/usr/bin/python3
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
say() { printf '\033[1mship_model:\033[0m %s\n' "$*" >&2; }

mkdir -p "$models/report"
ckpt="${CHECKPOINT:-$run/best.pt}"
say "exporting $ckpt"
$py scripts/model/export_onnx.py --checkpoint "$ckpt" --output "$models/emotion-float.onnx" >"$models/report/export.json"
say "quantizing to int8"
$py scripts/model/quantize.py --model "$models/emotion-float.onnx" --output "$models/emotion-int8.onnx" \
  --csv "$csv" >"$models/report/quantize.json"
say "exposing the embedding (the personal calibration's features)"
$py scripts/model/add_embedding_output.py --models-dir "$models" >/dev/null
scripts/model/measure_models.sh "$run" "$models"

for png in curves.png confusion.png calibration.png; do
  if [[ -f "$run/$png" ]]; then cp "$run/$png" "$models/report/$png"; else say "no $run/$png yet (the run has not finished)"; fi
done
say "the light rules belong to this model: measure ACCURACY_BY_CLARITY and SMALL_FACE_LIGHT again (docs/light.md, How to reproduce)"
