#!/usr/bin/env bash
# The README's two commands on a fresh machine: a minimal Debian 13 root made with debootstrap from
# Debian's own packages, nothing else installed. Clones this repository into it (what is committed:
# HEAD), runs `scripts/setup.sh test`, then `scripts/setup.sh start` until the kiosk answers, and
# prints each phase's time.
#
#   sudo scripts/check-fresh-machine.sh            # both commands
#   sudo scripts/check-fresh-machine.sh test       # only `setup.sh test`
#   sudo scripts/check-fresh-machine.sh start      # only `setup.sh start` until the kiosk answers
#   sudo scripts/check-fresh-machine.sh install    # the appliance: `setup.sh install --no-start --yes`,
#                                                  # its files, user and modes, a second run that
#                                                  # changes nothing, the daemon as the service user
#                                                  # until /api/health answers, then uninstall
#                                                  # (systemd does not run in the root: the unit is
#                                                  # installed and enabled only where it does)
#
# Needs root (debootstrap, chroot, mounts), debootstrap and network access to Debian's mirror.
# /proc, /sys, /dev and /dev/shm are mounted in a private mount namespace, so nothing stays mounted
# when the script ends, however it ends. The datasets folder beside the repository (../shared) is
# mounted read-only beside the clone, as CI has it.
#
# Environment:
#   MOODBOX_FRESH_SUITE   Debian suite (default trixie: Debian 13, whose nodejs is 20.19)
#   MOODBOX_FRESH_MIRROR  Debian mirror (default http://deb.debian.org/debian)
#   MOODBOX_FRESH_CACHE   where the base root's tarball is kept between runs (default ~/.cache/moodbox-fresh)
#   MOODBOX_FRESH_DIR     the work folder (default a new one under /var/tmp, removed at the end)
#   MOODBOX_FRESH_KEEP=1  keep the work folder (the root with its build) for a look afterwards
#   MOODBOX_SHARED        the shared folder (default ../shared beside the repository)
set -euo pipefail

what="${1:-all}"
case "$what" in
  all | test | start | install) ;;
  *)
    echo "usage: scripts/check-fresh-machine.sh [all|test|start|install]" >&2
    exit 2
    ;;
esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
suite="${MOODBOX_FRESH_SUITE:-trixie}"
mirror="${MOODBOX_FRESH_MIRROR:-http://deb.debian.org/debian}"
cache="${MOODBOX_FRESH_CACHE:-${HOME:-/root}/.cache/moodbox-fresh}"
shared="${MOODBOX_SHARED:-$repo/../shared}"
say() { printf '\033[1mfresh machine:\033[0m %s\n' "$*" >&2; }

if [[ $EUID -ne 0 ]]; then
  say "needs root (debootstrap, chroot and mounts): run it with sudo"
  exit 1
fi
for tool in debootstrap unshare chroot git curl; do
  command -v "$tool" >/dev/null || {
    say "$tool is missing (apt-get install debootstrap util-linux coreutils git curl)"
    exit 1
  }
done
[[ -d "$shared/datasets" ]] || {
  say "no datasets folder at $shared: put shared/ beside the repository or set MOODBOX_SHARED"
  exit 1
}
if [[ "$what" != test ]] && curl -s -o /dev/null -m 2 http://127.0.0.1:8080/; then
  say "something already answers on 127.0.0.1:8080: stop it first (the check starts Moodbox there)"
  exit 1
fi

work="${MOODBOX_FRESH_DIR:-$(mktemp -d /var/tmp/moodbox-fresh.XXXXXX)}"
root="$work/root"
started=$SECONDS
phases=()
phase() { # phase NAME SECONDS STATUS
  phases+=("$(printf '%-36s %5d s  %s' "$1" "$2" "$3")")
  say "$1: $2 s ($3)"
}
finish() {
  local rc=$?
  # Nothing may run on in the root: the mounts live as long as a process in their namespace.
  for p in /proc/[0-9]*; do
    [[ "$(readlink "$p/root" 2>/dev/null)" == "$root" ]] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  if grep -q " $root" /proc/self/mountinfo; then
    say "still mounted under $root (this should not happen):"
    grep " $root" /proc/self/mountinfo >&2
    rc=1
  fi
  if [[ "${MOODBOX_FRESH_KEEP:-0}" == 1 ]]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
  printf '\n%s\n' "Phases (Debian $suite root, $(nproc) cores, $(uname -m)):" >&2
  printf '  %s\n' "${phases[@]}" >&2
  printf '  %-36s %5d s\n' "in all" "$((SECONDS - started))" >&2
  exit "$rc"
}
trap finish EXIT

# --- The base root: debootstrap once, then a cached tarball --------------------------------------
arch="$(dpkg --print-architecture)"
tarball="$cache/debian-$suite-$arch-minbase.tar.gz"
t=$SECONDS
mkdir -p "$root" "$cache"
if [[ -f "$tarball" ]]; then
  tar -C "$root" -xzf "$tarball"
  phase "base root (from $(basename "$tarball"))" $((SECONDS - t)) ok
else
  say "debootstrap $suite ($arch, minbase) from $mirror: a few minutes, once"
  debootstrap --variant=minbase --include=ca-certificates,git,curl "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    say "debootstrap failed; the end of its log:"
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
  }
  apt_clean=("$root"/var/cache/apt/archives/*.deb)
  rm -f "${apt_clean[@]}"
  tar -C "$root" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
  phase "base root (debootstrap $suite)" $((SECONDS - t)) ok
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's own network set-up goes in, as it would on a new machine on the same network: the
# local CA certificates (a TLS-inspecting proxy's, say) and the proxy variables, if any.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1 || say "update-ca-certificates failed in the root"
fi
net_env=()
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [[ -n "${!name:-}" ]] && net_env+=("$name=${!name}")
done

# --- The clone, as a new user gets it -------------------------------------------------------------
t=$SECONDS
home="$root/home/moodbox"
mkdir -p "$home/shared"
git clone --quiet --no-local "$repo" "$home/moodbox"
phase "clone ($(git -C "$repo" rev-parse --short HEAD))" $((SECONDS - t)) ok

# --- The README's commands, in a private mount namespace -----------------------------------------
# Runs one command in the root, as root with a login's environment, from the clone.
export NET_ENV="${net_env[*]}"
inside() {
  unshare --mount --propagation private -- bash -euo pipefail -c '
    root="$1" shared="$2"; shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
    mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
    mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
    mount --bind "$shared" "$root/home/moodbox/shared" && mount -o remount,bind,ro "$root/home/moodbox/shared"
    exec chroot "$root" /usr/bin/env -i HOME=/root USER=root LANG=C.UTF-8 TERM=dumb \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt ${NET_ENV:-} \
      bash -c "cd /home/moodbox/moodbox && $*"
  ' inside "$root" "$shared" "$@"
}
# The setup's own progress lines, with the seconds since the command began.
stamped() {
  local t0=$SECONDS line
  while IFS= read -r line; do printf '[%4ds] %s\n' $((SECONDS - t0)) "$line"; done
}

status=0
# logged_phase NAME LOG PATTERN COMMAND...: COMMAND in the root, every line of it stamped into LOG
# and those matching PATTERN shown; the phase's time and result (the end of LOG when it failed).
logged_phase() {
  local name="$1" log="$2" pattern="$3" t=$SECONDS
  shift 3
  say "$name (log: $log)"
  if inside "$@" 2>&1 | stamped | tee "$log" | grep --line-buffered -E "$pattern"; then
    phase "$name" $((SECONDS - t)) ok
  else
    phase "$name" $((SECONDS - t)) FAILED
    status=1
    say "the end of its log:"
    tail -n 60 "$log" >&2
  fi
}
if [[ "$what" == install ]]; then
  logged_phase "scripts/setup.sh install / update / uninstall" "$work/install.log" \
    'moodbox (install|update|uninstall|setup):|appliance check:' scripts/check-appliance.sh
  exit "$status"
fi
if [[ "$what" != start ]]; then
  logged_phase "scripts/setup.sh test" "$work/test.log" \
    'moodbox setup:|Test Files|Tests  |FAIL|Ran [0-9]+ tests|^(OK|FAILED)' scripts/setup.sh test
fi

if [[ "$what" != test ]]; then
  t=$SECONDS
  say "scripts/setup.sh start, until the kiosk answers on http://127.0.0.1:8080/ (log: $work/start.log)"
  inside "exec setsid scripts/setup.sh start" >"$work/start.log" 2>&1 &
  runner=$!
  answered=0
  for _ in $(seq 900); do
    if curl -s -o /dev/null -m 2 http://127.0.0.1:8080/; then
      answered=1
      break
    fi
    kill -0 "$runner" 2>/dev/null || break
    sleep 1
  done
  if ((answered)); then
    phase "scripts/setup.sh start -> kiosk answers" $((SECONDS - t)) ok
  else
    phase "scripts/setup.sh start -> kiosk answers" $((SECONDS - t)) FAILED
    status=1
    say "the kiosk did not answer; the end of the log:"
    tail -n 40 "$work/start.log" >&2
  fi
  kill "$runner" 2>/dev/null || true
fi
exit "$status"
