#!/usr/bin/env bash
# Runs a command as it would run on an x86-64 CPU with AVX2 but without AVX-512 or VNNI (most kiosk
# PCs, older NUCs, AMD Zen 2), on a CPU that has them: onnxruntime and OpenCV pick their AVX2
# kernels, so `moodbox bench vision`, `moodbox eval` and scripts/bench-emotion.ts measure that code
# path here (on this CPU's cores and clock, not another CPU's).
#
#   scripts/avx2-only.sh node dist/daemon/cli.js bench vision --detector yunet
#   scripts/avx2-only.sh node --import tsx scripts/bench-emotion.ts
#
# scripts/cpu/avx2-only.c, preloaded, answers every CPUID instruction without the AVX-512, VNNI and
# AMX bits (the kernel's CPUID faulting: /proc/cpuinfo lists `cpuid_fault`). As root, the command
# also sees a /proc/cpuinfo without those flags (a mount namespace of its own), so the CPU that
# `moodbox eval` and the benchmarks report is the one the kernels were picked for. Needs cc.
set -euo pipefail

if (($# == 0)); then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
if [[ "$(uname -m)" != x86_64 ]]; then
  echo "avx2-only: only for x86-64 (this is $(uname -m))" >&2
  exit 1
fi
if ! grep -qw cpuid_fault /proc/cpuinfo; then
  echo "avx2-only: this CPU or its hypervisor does not offer CPUID faulting (no cpuid_fault in /proc/cpuinfo)" >&2
  exit 1
fi
if ! grep -qw avx2 /proc/cpuinfo; then
  echo "avx2-only: this CPU has no AVX2" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/moodbox"
shim="$cache/avx2-only.so"
mkdir -p "$cache"
if [[ ! -f "$shim" || "$here/cpu/avx2-only.c" -nt "$shim" ]]; then
  cc -O2 -Wall -Wextra -shared -fPIC -o "$shim.tmp" "$here/cpu/avx2-only.c" -ldl
  mv "$shim.tmp" "$shim"
fi

if [[ $EUID -eq 0 ]] && command -v unshare > /dev/null; then
  cpuinfo="$(mktemp "${TMPDIR:-/tmp}/cpuinfo.XXXXXX")"
  trap 'rm -f "$cpuinfo"' EXIT
  sed -E '/^flags/ s/ (avx512[a-z0-9_]*|avx_vnni[a-z0-9_]*|amx_[a-z0-9]*|avx_ifma|avx_ne_convert)\b//g' /proc/cpuinfo > "$cpuinfo"
  # shellcheck disable=SC2016  # expanded by the inner shell
  unshare --mount --propagation private -- sh -c 'mount --bind "$1" /proc/cpuinfo && shift && exec env LD_PRELOAD="$0${LD_PRELOAD:+:$LD_PRELOAD}" "$@"' \
    "$shim" "$cpuinfo" "$@"
else
  echo "avx2-only: not root, so /proc/cpuinfo still lists AVX-512 and VNNI (the kernels do not use them)" >&2
  LD_PRELOAD="$shim${LD_PRELOAD:+:$LD_PRELOAD}" exec "$@"
fi
