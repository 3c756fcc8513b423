#!/usr/bin/env bash
# Turns a finished training run into the shipped models: export, int8 quantization, the manifest,
# PublicTest figures measured by `moodbox eval` (float and int8, with and without flip-TTA),
# the report PNGs and the latency benchmark.
#
#   scripts/model/ship_model.sh RUN_DIR [MODELS_DIR]
#
# CHECKPOINT=RUN_DIR/swa.pt exports the weight average of a fine-tuning run instead of best.pt.
# MANIFEST_ARGS adds arguments to the last write_manifest.py call (e.g. --no-temperature).
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
cli="${MOODBOX_CLI:-src/daemon/cli.ts}"
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
$py scripts/model/write_manifest.py --models-dir "$models" --run "$run" >/dev/null

evals=()
for m in int8 float; do
  for tta in no-flip-tta flip-tta; do
    out="$models/report/eval-$m-$tta.json"
    cmd=(node --import tsx "$cli" eval "$csv" --usage PublicTest --model "$models/emotion-$m.onnx" "--$tta" --json)
    say "${cmd[*]}"
    "${cmd[@]}" >"$out"
    key=$([[ $tta == flip-tta ]] && echo publicTestFlipTta || echo publicTest)
    evals+=(--eval "emotion-$m.onnx=$key:$out" --eval-command "emotion-$m.onnx=$key:${cmd[*]}")
  done
done
# Accuracy by face size: each face shrunk to S px and scaled back up, as a face S px wide in a
# camera frame reaches the model; the daemon weighs a face's vote on the room by it.
for size in 48 32 24 16 12; do
  out="$models/report/eval-int8-${size}px.json"
  cmd=(node --import tsx "$cli" eval "$csv" --usage PublicTest --model "$models/emotion-int8.onnx" --shrink "$size" --json)
  say "${cmd[*]}"
  "${cmd[@]}" >"$out"
  evals+=(--size-eval "emotion-int8.onnx=$size:$out")
done
$py scripts/model/write_manifest.py --models-dir "$models" --run "$run" "${evals[@]}" ${MANIFEST_ARGS:-}

for png in curves.png confusion.png calibration.png; do
  if [[ -f "$run/$png" ]]; then cp "$run/$png" "$models/report/$png"; else say "no $run/$png yet (the run has not finished)"; fi
done

say "benchmark"
node --import tsx scripts/bench-emotion.ts --models-dir "$models" | tee "$models/report/bench-emotion.txt"
