#!/usr/bin/env bash
# The small-face training runs, on one lent GPU machine, in about nine minutes of device time.
#
#   /usr/bin/python3 scripts/model/fer_pack.py --out .fer/fer2013.pack   # here, once (the CSV stays here)
#   scripts/model/gpu_runs.sh                                            # there, from the repository root
#
# The machine has PyTorch but not the shared datasets: the FER-2013 arrays travel as the 50 MB
# archive .fer/fer2013.pack. Every run has a time budget (train.py --time-budget), so the whole
# script ends inside one command's limit however fast the GPU is:
#
#   phase A, side by side (A_BUDGET s):
#     t64  a wide teacher (width 64) from scratch, faces shrunk with p 0.3
#     s24  the shipped width (24) from scratch, faces shrunk with p 0.6
#     s32  width 32 from scratch, faces shrunk with p 0.6 (what more channels buy at 24 px)
#   phase B, side by side (B_BUDGET s), each distilled from t64 on the clean face:
#     k24ft  the shipped model (--init-onnx, BatchNorm frozen), cyclic LR 0.01, weight average
#     k24    s24's best, cyclic LR 0.02, weight average
#     k32    s32's best, cyclic LR 0.02, weight average
#   PLAN=c, PLAN=d: the other plans below (d: five dim-light fine-tunings of the shipped model
#   for a soup, chosen afterwards by choose_soup.py; README.md, "Dim-light fine-tunings on a lent GPU")
#   PLAN=t: the width-64 teacher alone, its batches augmented by 14 worker processes (the whole
#   machine), then three dim-light fine-tunings of the shipped model distilled from it (ENSEMBLE=1:
#   from it and the shipped model together), for choose_soup.py; every phase fitted to TOTAL s
#   from the start (README.md, "A wide teacher")
#
# What comes back under $OUT: the logs, every run's metrics, reports and arguments, and the
# width-24/32 checkpoints (best, swa) as .npz (numpy: any torch version reads them back).
set -uo pipefail

out="${OUT:-/tmp/gpu-out}"
runs="${RUNS:-/tmp/gpu-runs}"
a_budget="${A_BUDGET:-200}"
b_budget="${B_BUDGET:-170}"
extra="${EXTRA:-}"  # e.g. --limit-train 1024 for a dry run
py="${PYTHON:-python3}"
mkdir -p "$out" "$runs"
export PYTHONUNBUFFERED=1 CUBLAS_WORKSPACE_CONFIG=:4096:8 OMP_NUM_THREADS=4
log="$out/gpu-runs.log"
say() { printf '%s gpu_runs: %s\n' "$(date +%T)" "$*" | tee -a "$log"; }

say "$(nvidia-smi -L 2>&1 | head -1); $($py -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())')"
$py scripts/model/fer_pack.py --unpack .fer/fer2013.pack --out /tmp/fer.npz >>"$log" 2>&1 || exit 1
say "data unpacked"

train() {  # NAME ARGS...
  local name=$1
  shift
  $py scripts/model/train.py --out "$runs/$name" --csv /tmp/fer.npz --threads 4 --eval-sizes 32,24,16 \
    --shrink-min 12 --shrink-max 48 --blur-prob 0.3 --jpeg-prob 0.3 $extra "$@" >"$runs/$name.log" 2>&1
  say "$name ended ($?): $(tail -1 "$runs/$name.log")"
}

collect() {  # TAR NAME...
  local tar=$1
  shift
  for name in "$@"; do
    [[ -d $runs/$name ]] || continue
    cp "$runs/$name.log" "$runs/$name/train.log" 2>/dev/null
    for ckpt in best swa; do
      [[ -f $runs/$name/$ckpt.pt ]] || continue
      $py - "$runs/$name/$ckpt.pt" <<'PY' >>"$log" 2>&1
import os, sys, numpy as np, torch
ck = torch.load(sys.argv[1], map_location="cpu", weights_only=False)
# A wide teacher travels in half precision (4.7 M weights: 9 MB, under the limit of a file).
half = ck["width"] > 32 and "HALF_WIDE" in os.environ
np.savez(sys.argv[1][:-3] + ".npz", **{"model." + k: v.half().numpy() if half and v.is_floating_point()
                                       else v.numpy() for k, v in ck["model"].items()},
         width=ck["width"], epoch=ck.get("epoch") or 0)
PY
    done
  done
  local skip=(--exclude='*.pt')
  [[ -n ${HALF_WIDE:-} ]] || skip+=(--exclude='t64/*.npz')
  (cd "$runs" && tar czf "$out/$tar" "${skip[@]}" "$@" 2>>"$log")
  say "$tar: $(du -h "$out/$tar" | cut -f1)"
}

if [[ ${PLAN:-ab} == t ]]; then
  # Plan T: a phase fits what is left of TOTAL s (the command's limit, less the reports and the
  # archives), so the students always end and come back.
  total="${TOTAL:-560}"
  began=$SECONDS
  rule=/tmp/denoise-rule.json
  $py -c 'import json, sys; m = json.load(open("models/manifest.json"))["models"]["emotion-float.onnx"]
json.dump(m["denoise"], open(sys.argv[1], "w"))' "$rule" || exit 1
  say "plan T: the teacher (budget $a_budget s)"
  train t64 --width 64 --epochs 60 --time-budget "$a_budget" --shrink-prob 0.3 --light-prob 0.3 --light-min 0.02 \
    --eval-lights 0.25,0.04 --aug-workers 14 --threads 2 --seed 0
  HALF_WIDE=1 collect t64.tgz t64
  if [[ ! -f $runs/t64/best.pt ]]; then
    say "no teacher: stopping"
    exit 1
  fi
  b=$((total - (SECONDS - began) - 45))
  ((b > b_budget)) && b=$b_budget
  say "plan T: three students of the teacher (budget $b s each)"
  tune=(--width 24 --init-onnx models/emotion-float.onnx --freeze-bn --teacher "$runs/t64/best.pt"
    --schedule cyclic --lr 0.01 --epochs 80 --swa-start 1 --time-budget "$b" --fixed-exposure-prob 0.25
    --shrink-prob 0.4 --shrink-min 14 --shrink-max 40 --eval-lights 0.25,0.04 --light-prob 0.7
    --light-min 0.02 --denoise "$rule" --aug-workers 4 --threads 1)
  # ENSEMBLE=1: the shipped model and the teacher teach together (the mean of their readings).
  [[ -n ${ENSEMBLE:-} ]] && tune+=(--distill-onnx models/emotion-float.onnx)
  train k1 "${tune[@]}" --distill-weight 0.7 --seed 41 &
  train k2 "${tune[@]}" --distill-weight 0.7 --seed 42 --backlight-prob 0.1 --cast-prob 0.2 &
  train k3 "${tune[@]}" --distill-weight 0.5 --seed 43 &
  wait
  for name in k1 k2 k3; do collect "$name.tgz" "$name"; done
  say "done"
  exit 0
fi

if [[ ${PLAN:-ab} == d ]]; then
  # Plan D (D_BUDGET s, five side by side): the shipped model fine-tuned longer for dim light, in
  # five variants from the same start, for a weight average of several of them (a "soup") chosen
  # on the validation split here. The shipped float model teaches on the clean face; every face is
  # read through the shipped denoising rule as the daemon reads it, except in d5.
  d_budget="${D_BUDGET:-400}"
  rule=/tmp/denoise-rule.json
  $py -c 'import json, sys; m = json.load(open("models/manifest.json"))["models"]["emotion-float.onnx"]
json.dump(m["denoise"], open(sys.argv[1], "w"))' "$rule" || exit 1
  say "plan D (budget $d_budget s each)"
  tune=(--width 24 --init-onnx models/emotion-float.onnx --freeze-bn --distill-onnx models/emotion-float.onnx
    --schedule cyclic --epochs 80 --swa-start 1 --time-budget "$d_budget" --fixed-exposure-prob 0.25
    --shrink-prob 0.4 --shrink-min 14 --shrink-max 40 --eval-lights 0.25,0.04 --threads 3)
  train d1 "${tune[@]}" --denoise "$rule" --distill-weight 0.5 --lr 0.01 --light-prob 0.7 --light-min 0.02 --seed 31 &
  train d2 "${tune[@]}" --denoise "$rule" --distill-weight 0.5 --lr 0.01 --light-prob 0.7 --light-min 0.02 --seed 32 &
  train d3 "${tune[@]}" --denoise "$rule" --distill-weight 0.5 --lr 0.01 --light-prob 0.7 --light-min 0.06 \
    --light-max 0.6 --seed 33 &
  train d4 "${tune[@]}" --denoise "$rule" --distill-weight 0.7 --lr 0.01 --light-prob 0.7 --light-min 0.02 \
    --backlight-prob 0.1 --cast-prob 0.2 --seed 34 &
  train d5 "${tune[@]}" --distill-weight 0.5 --lr 0.01 --light-prob 0.7 --light-min 0.02 --seed 35 &
  wait
  for name in d1 d2 d3 d4 d5; do collect "$name.tgz" "$name"; done  # one file each: 16 MB at most a file
  say "done"
  exit 0
fi

if [[ ${PLAN:-ab} == c ]]; then
  # Plan C (C_BUDGET s, side by side): how far one budget takes widths 24 and 32 from scratch,
  # and a longer fine-tuning of the shipped model for the 14-32 px band, distilled from itself.
  c_budget="${C_BUDGET:-200}"
  say "plan C (budget $c_budget s each)"
  train c32 --width 32 --epochs 60 --time-budget "$c_budget" --shrink-prob 0.6 --seed 0 &
  train c24 --width 24 --epochs 60 --time-budget "$c_budget" --shrink-prob 0.6 --seed 0 &
  train f24 --width 24 --init-onnx models/emotion-float.onnx --freeze-bn --distill-onnx models/emotion-float.onnx \
    --distill-weight 0.5 --schedule cyclic --lr 0.005 --epochs 60 --swa-start 2 --time-budget "$c_budget" \
    --shrink-prob 0.7 --shrink-min 14 --shrink-max 32 --seed 2 &
  wait
  collect c.tgz c32 c24 f24
  say "done"
  exit 0
fi

say "phase A (budget $a_budget s each)"
train t64 --width 64 --epochs 60 --time-budget "$a_budget" --shrink-prob 0.3 --seed 0 &
train s24 --width 24 --epochs 60 --time-budget "$a_budget" --shrink-prob 0.6 --seed 0 &
train s32 --width 32 --epochs 60 --time-budget "$a_budget" --shrink-prob 0.6 --seed 0 &
wait
collect a.tgz t64 s24 s32

if [[ -f $runs/t64/best.pt ]]; then
  teach=(--teacher "$runs/t64/best.pt" --distill-weight 0.5)
else
  say "no teacher: phase B distils from the shipped model"
  teach=(--distill-onnx models/emotion-float.onnx --distill-weight 0.5)
fi
say "phase B (budget $b_budget s each)"
cyclic=(--schedule cyclic --epochs 40 --swa-start 2 --time-budget "$b_budget" --shrink-prob 0.6 --seed 1)
train k24ft --width 24 --init-onnx models/emotion-float.onnx --freeze-bn --lr 0.01 "${cyclic[@]}" "${teach[@]}" &
if [[ -f $runs/s24/best.pt ]]; then
  train k24 --width 24 --init "$runs/s24/best.pt" --lr 0.02 "${cyclic[@]}" "${teach[@]}" &
fi
if [[ -f $runs/s32/best.pt && -f $runs/t64/best.pt ]]; then  # the shipped model can teach width 24 only
  train k32 --width 32 --init "$runs/s32/best.pt" --lr 0.02 "${cyclic[@]}" "${teach[@]}" &
fi
wait
collect b24.tgz k24ft k24
collect b32.tgz k32
say "done"
