#!/usr/bin/env bash
# Measures the shipped emotion models with the daemon's own code and writes the figures into the
# manifest: PublicTest accuracy (float and int8, with and without flip-TTA), the int8 model's
# accuracy by face size (the daemon weighs a face's vote by it), and the latency benchmark.
# ship_model.sh runs it after a new export; run it alone after a change to how the daemon reads
# faces (for instance a denoising rule: MANIFEST_ARGS="--denoise emotion-int8.onnx=rule.json ...").
#
#   scripts/model/measure_models.sh RUN_DIR [MODELS_DIR]
#
# RUN_DIR `-` keeps the training record the manifest has (the weights unchanged, for instance after
# new label offsets: MANIFEST_ARGS="--no-temperature --label-offsets emotion-int8.onnx=offsets.json ...").
#
# MANIFEST_ARGS adds arguments to both write_manifest.py calls. Reports go to MODELS_DIR/report/.
set -euo pipefail

run="${1:?usage: scripts/model/measure_models.sh RUN_DIR [MODELS_DIR]}"
cd "$(dirname "$0")/../.."
models="${2:-models}"
csv="${FER_CSV:-/work/shared/datasets/fer2013/fer2013.csv.gz}"
py=/usr/bin/python3
cli="${MOODBOX_CLI:-src/daemon/cli.ts}"
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
say() { printf '\033[1mmeasure_models:\033[0m %s\n' "$*" >&2; }

mkdir -p "$models/report"
run_args=()
[[ $run == - ]] || run_args=(--run "$run")
# shellcheck disable=SC2086 # MANIFEST_ARGS is a list of arguments
$py scripts/model/write_manifest.py --models-dir "$models" "${run_args[@]}" ${MANIFEST_ARGS:-} >/dev/null

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
# shellcheck disable=SC2086
$py scripts/model/write_manifest.py --models-dir "$models" "${run_args[@]}" "${evals[@]}" ${MANIFEST_ARGS:-}

say "benchmark"
node --import tsx scripts/bench-emotion.ts --models-dir "$models" | tee "$models/report/bench-emotion.txt"
