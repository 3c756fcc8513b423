#!/usr/bin/env bash
# Measures a cold first start: a fresh clone of this repository, an empty npm cache, and
# `scripts/setup.sh start` until the kiosk answers on http://127.0.0.1:8080/. Run it on a quiet
# machine (nothing else building or testing) with port 8080 free; it stops the daemon it started.
#
#   scripts/measure-first-start.sh [WORKDIR]    (default /tmp/moodbox-first-start)
#
# Prints the seconds until the kiosk answered; WORKDIR/start.log has every line of the set-up with
# the second it was printed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/moodbox-first-start}"
if curl -fsS -o /dev/null http://127.0.0.1:8080/ 2>/dev/null; then
  echo "something already answers on http://127.0.0.1:8080/: stop it first" >&2
  exit 1
fi
rm -rf "$work" && mkdir -p "$work/npm-cache"
git clone -q "$repo" "$work/main"
# The data sets sit beside the repository, as in CI.
[[ -e "$repo/../shared" ]] && ln -sfn "$(cd "$repo/../shared" && pwd)" "$work/shared"
cd "$work/main"
start=$(date +%s)
(npm_config_cache="$work/npm-cache" bash scripts/setup.sh start 2>&1 |
  while IFS= read -r line; do echo "$(($(date +%s) - start))s $line"; done >"$work/start.log") &
until curl -fsS -o /dev/null http://127.0.0.1:8080/ 2>/dev/null; do
  sleep 1
  if ! pgrep -f "setup.sh start" >/dev/null && ! pgrep -f "dist/daemon/cli.js start" >/dev/null; then
    echo "the set-up stopped before the kiosk answered; see $work/start.log" >&2
    exit 1
  fi
done
echo "kiosk answered $(($(date +%s) - start)) s after scripts/setup.sh start (log: $work/start.log)"
for pid in $(pgrep -f "dist/daemon/cli.js start"); do
  [[ "$(readlink "/proc/$pid/cwd")" == "$work/main" ]] && kill "$pid"
done
wait
