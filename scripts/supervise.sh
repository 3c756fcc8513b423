#!/usr/bin/env bash
# Runs Moodbox in the foreground, starting it again whenever it asks to be restarted: exit code 75
# (a restore from the admin panel, "Restart Moodbox now", a setting that needs a new process, the
# memory guard). systemd does this for the installed service (Restart=on-failure); this loop does it
# for `scripts/setup.sh start` and `npm start`. Any other exit, Ctrl+C's clean stop among them,
# ends the loop with the daemon's own code. Arguments go to `moodbox start`.
set -uo pipefail
cd "$(dirname "$0")/.."
# Two malloc arenas, as the systemd unit sets (less memory with OpenCV's many threads).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# Tells Moodbox that this loop starts it again: the admin panel offers its restart then.
export MOODBOX_SUPERVISED=1
while true; do
  node dist/daemon/cli.js start "$@"
  code=$?
  if [[ $code -ne 75 ]]; then exit "$code"; fi
  printf '\033[1mmoodbox:\033[0m restarting, as asked\n' >&2
done
