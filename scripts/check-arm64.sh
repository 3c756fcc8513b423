#!/usr/bin/env bash
# Checks, without a Raspberry Pi, that the shipped emotion models hold on the Pi's CPU: evaluates
# models/emotion-int8.onnx and models/emotion-float.onnx on FER-2013 PublicTest under qemu user-mode
# emulation of arm64, once per emulated CPU, with and without flip-TTA, and prints the accuracies
# next to the host figures in models/manifest.json.
#
#   scripts/check-arm64.sh             the tables
#   scripts/check-arm64.sh --json      one JSON object instead
#   scripts/check-arm64.sh --limit N   only the first N PublicTest faces
#
# Emulation is slow, the float model most: about 1.5 s per face and emulated CPU for the four runs
# (int8 and float, with and without flip-TTA) on one AMD EPYC core, so all 3589 faces take
# about 1.5 hours per CPU; --limit 256 takes about 6 minutes per CPU.
#
# Environment:
#   ARM64_CPUS            emulated CPUs (default "cortex-a72 cortex-a76": the Pi 4's core without,
#                         the Pi 5's core with the dot-product instructions the int8 kernels use)
#   MOODBOX_ARM64_ROOT    the arm64 chroot (default ${XDG_CACHE_HOME:-$HOME/.cache}/moodbox/arm64-root)
#   MOODBOX_ARM64_MIRROR  Debian mirror for the chroot (default: the one this machine's apt uses)
#   FER_CSV               FER-2013 CSV, relative to the repository (default
#                         ../shared/datasets/fer2013/fer2013.csv.gz)
#
# Must run as root (debootstrap, chroot, mounts). The first run installs qemu-user-static,
# debootstrap and binfmt-support when missing, mounts binfmt_misc and enables qemu-aarch64 when
# needed (both stay so), and builds an arm64 Debian bookworm chroot with Debian's Node and the
# lockfile's onnxruntime-node (its package carries the linux/arm64 binary): several minutes. Later
# runs reuse it and only refresh the models and the evaluation script. The evaluation itself is
# scripts/arm64/eval-fer.mjs, run in the chroot and on this host (same faces), whose logits are
# compared with the emulated ones. Exits 1 when the int8 model is more than 1 point below the float
# model on any emulated CPU, with or without flip-TTA.
set -euo pipefail

json=0
limit=0
while (($# > 0)); do
  case "$1" in
    --json) json=1 ;;
    --limit)
      limit="${2:-}"
      shift
      ;;
    --limit=*) limit="${1#--limit=}" ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "usage: scripts/check-arm64.sh [--json] [--limit N]" >&2
      exit 2
      ;;
  esac
  shift
done
if [[ ! "$limit" =~ ^[0-9]+$ ]]; then
  echo "scripts/check-arm64.sh: --limit needs a whole number of faces (0: all), got '$limit'" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
say() { printf '\033[1mmoodbox arm64 check:\033[0m %s\n' "$*" >&2; }

if [[ $EUID -ne 0 ]]; then
  say "must run as root: it builds an arm64 chroot and mounts binfmt_misc and proc (try: sudo $0${*:+ $*})"
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "needs node and npm on this machine (scripts/setup.sh installs them)"
  exit 1
fi

root="${MOODBOX_ARM64_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/moodbox/arm64-root}"
root="$(realpath -m "$root")"
app="$root/opt/moodbox-check"
cpus="${ARM64_CPUS:-cortex-a72 cortex-a76}"
if [[ -z "${cpus//[[:space:]]/}" ]]; then
  say "ARM64_CPUS names no CPU"
  exit 1
fi
fer_csv="${FER_CSV:-../shared/datasets/fer2013/fer2013.csv.gz}"
if [[ ! -r "$fer_csv" ]]; then
  say "cannot read the FER-2013 CSV $fer_csv (relative to $(pwd)); set FER_CSV"
  exit 1
fi
mkdir -p "$(dirname "$root")"
log="$root.log"
SECONDS=0

# One check at a time per chroot.
exec 9>"$root.lock"
if ! flock -n 9; then
  say "another check is using $root (lock: $root.lock)"
  exit 1
fi

# proc is mounted into the chroot only while this runs; /sys never is (onnxruntime would read the
# host's x86 CPU from it).
mounted=()
cleanup() {
  local m
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
}
trap cleanup EXIT
mount_proc() {
  if ! mountpoint -q "$root/proc"; then
    mount -t proc proc "$root/proc"
    mounted+=("$root/proc")
  fi
}
# Unmounts whatever an interrupted run left mounted at or under $1.
umount_under() {
  local m
  awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" || true
  done
}
# Runs a command in the chroot with a clean environment (so no NODE_EXTRA_CA_CERTS or other host
# setting leaks in); NAME=VALUE arguments before the command are set for it (QEMU_CPU).
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
# Says what failed, shows the end of its log ($2, default the setup log) and exits.
failed() {
  local file="${2:-$log}"
  say "$1 failed; the last lines of $file:"
  tail -n 20 "$file" >&2
  exit 1
}

# The Debian mirror this machine's apt already uses: the first http(s) source of suite bookworm (or
# of this machine's own Debian release), in one-line or deb822 format.
debian_mirror() {
  local codename
  codename="$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null | tr -d '"')"
  {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -r "$f" ]] || continue
      sed -E -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v a=bookworm -v b="$codename" '$1 == "deb" && ($3 == a || $3 == b) { print $2 }'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -r "$f" ]] || continue
      awk -v a=bookworm -v b="$codename" '
        function flush(i, n, s, u) {
          if (types ~ /(^| )deb( |$)/ && enabled != "no") {
            n = split(suites, s, " ")
            for (i = 1; i <= n; i++) if (s[i] == a || s[i] == b) { split(uris, u, " "); print u[1]; break }
          }
          types = uris = suites = enabled = ""
        }
        /^[ \t]*#/ { next }
        /^[ \t]*$/ { flush(); next }
        { key = tolower($1); $1 = "" }
        key == "types:" { types = $0 } key == "uris:" { uris = $0 } key == "suites:" { suites = $0 }
        key == "enabled:" { enabled = tolower($2) }
        END { flush() }' "$f"
    done
  } | grep -E -m1 '^https?://' || true
}

# --- host tools --------------------------------------------------------------------------------
missing=()
for p in qemu-user-static debootstrap binfmt-support; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# (qemu's `-cpu help` exits with status 1.)
known_cpus=" $( (qemu-aarch64-static -cpu help || true) | awk 'NR > 1 { printf "%s ", $1 }')"
for cpu in $cpus; do
  if [[ "$known_cpus" != *" $cpu "* ]]; then
    say "qemu-aarch64 does not know the CPU '$cpu' (see: qemu-aarch64-static -cpu help)"
    exit 1
  fi
done
if [[ ! -e /proc/sys/fs/binfmt_misc/status ]]; then
  say "mounting binfmt_misc"
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if ! grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
  say "enabling qemu-aarch64 for arm64 programs"
  update-binfmts --enable qemu-aarch64
fi

# --- the arm64 chroot --------------------------------------------------------------------------
if [[ ! -f "$root/.moodbox-base" ]]; then
  mirror="${MOODBOX_ARM64_MIRROR:-$(debian_mirror)}"
  if [[ -z "$mirror" ]]; then
    say "found no Debian bookworm mirror in /etc/apt/sources.list(.d); set MOODBOX_ARM64_MIRROR=http://<a Debian mirror>/debian"
    exit 1
  fi
  if [[ -e "$root" ]]; then
    say "removing the unfinished chroot $root"
    umount_under "$root"
    rm -rf --one-file-system "$root"
  fi
  : >"$log"
  say "building an arm64 Debian bookworm chroot in $root from $mirror (a few minutes; log: $log)"
  debootstrap --arch=arm64 --foreign --variant=minbase bookworm "$root" "$mirror" >>"$log" 2>&1 || failed "debootstrap"
  cp /usr/bin/qemu-aarch64-static "$root/usr/bin/"
  in_root /debootstrap/debootstrap --second-stage >>"$log" 2>&1 || failed "debootstrap --second-stage"
  touch "$root/.moodbox-base"
fi
# A newer qemu on the host replaces the chroot's copy (used when binfmt does not preload it).
cmp -s /usr/bin/qemu-aarch64-static "$root/usr/bin/qemu-aarch64-static" || cp /usr/bin/qemu-aarch64-static "$root/usr/bin/"
mount_proc
if [[ ! -f "$root/.moodbox-node" ]]; then
  say "installing Debian's nodejs in the chroot (a few minutes under emulation; log: $log)"
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  in_root apt-get update >>"$log" 2>&1 || failed "apt-get update (in the chroot)"
  in_root apt-get install -y --no-install-recommends nodejs >>"$log" 2>&1 || failed "apt-get install nodejs (in the chroot)"
  in_root apt-get clean
  touch "$root/.moodbox-node"
fi

# --- onnxruntime-node of the lockfile, with its linux/arm64 binary -----------------------------
packages="$(node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["onnxruntime-node", "onnxruntime-common"]) {
    const p = lock["node_modules/" + name];
    if (!p) throw new Error(name + " is not in package-lock.json");
    console.log(name + "@" + p.version + " " + p.integrity);
  }')"
if [[ "$(cat "$app/node_modules/.moodbox-packages" 2>/dev/null)" != "$packages" ]]; then
  say "putting $(cut -d' ' -f1 <<<"$packages" | tr '\n' ' ')into the chroot"
  tmp="$(mktemp -d)"
  rm -rf "$app/node_modules"
  while read -r spec integrity; do
    name="${spec%@*}"
    file="$(npm pack --silent --pack-destination "$tmp" "$spec" | tail -n1)"
    actual="$(node -e 'const c = require("crypto"), fs = require("fs");
      console.log("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tmp/$file")"
    if [[ "$actual" != "$integrity" ]]; then
      say "$spec from the registry does not match package-lock.json ($actual, expected $integrity)"
      rm -rf "$tmp"
      exit 1
    fi
    mkdir -p "$app/node_modules/$name"
    tar -xzf "$tmp/$file" -C "$app/node_modules/$name" --strip-components=1 --no-same-owner
  done <<<"$packages"
  rm -rf "$tmp"
  if [[ ! -f "$app/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node" ]]; then
    say "onnxruntime-node carries no linux/arm64 binary (bin/napi-v6/linux/arm64)"
    exit 1
  fi
  echo "$packages" >"$app/node_modules/.moodbox-packages"
fi

# --- models, faces, evaluation script ----------------------------------------------------------
mkdir -p "$app/models"
cp models/emotion-int8.onnx models/emotion-float.onnx models/manifest.json "$app/models/"
# The script beside the daemon's built denoising step, as in the repository (eval-fer.mjs imports it).
if [[ ! -f dist/vision/denoise-crop.js ]]; then
  say "no dist/vision/denoise-crop.js: build first (scripts/setup.sh, or npm run build)"
  exit 1
fi
mkdir -p "$app/scripts/arm64" "$app/dist/vision" "$app/dist/kernel"
cp scripts/arm64/eval-fer.mjs "$app/scripts/arm64/"
cp dist/vision/denoise-crop.js dist/vision/light-measure.js dist/vision/preprocess.js dist/vision/noise-steps.js \
  dist/vision/label-offsets.js "$app/dist/vision/"
cp dist/kernel/errors.js "$app/dist/kernel/"
echo '{ "type": "module" }' >"$app/dist/package.json"
faces="$app/fer-publictest.bin"
source_id="$(stat -L -c '%s %Y' "$fer_csv") $(realpath "$fer_csv")"
if [[ ! -f "$faces" || "$(cat "$faces.source" 2>/dev/null)" != "$source_id" ]]; then
  say "packing the FER-2013 PublicTest faces from $fer_csv"
  node scripts/arm64/make-fer-bin.mjs "$fer_csv" "$faces" PublicTest >/dev/null
  echo "$source_id" >"$faces.source"
fi
run="$app/run"
rm -rf "$run"
mkdir -p "$run"
setup_seconds=$SECONDS

# --- evaluation --------------------------------------------------------------------------------
# This host first, on the same faces, with the repository's node_modules (a few seconds): its
# accuracies and logits to hold the emulated ones against.
if [[ -d node_modules/onnxruntime-node ]]; then
  for model in emotion-int8.onnx emotion-float.onnx; do
    if ! node scripts/arm64/eval-fer.mjs --models models --model "$model" --data "$faces" --limit "$limit" \
      --logits "$run/host-$model.f32" >"$run/host-$model.json" 2>"$run/host-$model.log"; then
      echo "the evaluation failed on this host (see $run/host-$model.log)" >"$run/host-skipped.txt"
      rm -f "$run"/host-*.json "$run"/host-*.f32
      break
    fi
  done
else
  echo "no node_modules/onnxruntime-node on this host (run scripts/setup.sh)" >"$run/host-skipped.txt"
fi
for cpu in $cpus; do
  for model in emotion-int8.onnx emotion-float.onnx; do
    say "$cpu: $model"
    # onnxruntime's cpuinfo complains about the missing /sys, and its telemetry about a missing CA
    # bundle: harmless, kept in the run's log only.
    in_root QEMU_CPU="$cpu" node /opt/moodbox-check/scripts/arm64/eval-fer.mjs --models /opt/moodbox-check/models --model "$model" \
      --data /opt/moodbox-check/fer-publictest.bin --limit "$limit" --progress \
      --logits "/opt/moodbox-check/run/$cpu-$model.f32" >"$run/$cpu-$model.json" 2> >(tee "$run/$cpu-$model.log" | grep --line-buffered -v -e cpuinfo -e telemetry >&2) ||
      failed "the evaluation of $model on $cpu" "$run/$cpu-$model.log"
  done
done
eval_seconds=$((SECONDS - setup_seconds))

report_args=(--run "$run" --manifest models/manifest.json --cpus "$cpus" --limit "$limit"
  --emulator "$(qemu-aarch64-static --version | head -n1 | sed 's/ (.*//') user mode" --setup-seconds "$setup_seconds" --eval-seconds "$eval_seconds")
if ((json)); then report_args+=(--json); fi
node scripts/arm64/report.mjs "${report_args[@]}"
