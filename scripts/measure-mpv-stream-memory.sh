#!/usr/bin/env bash
# mpv's resident memory playing a song over HTTP (as a station or a streamed song plays), with
# mpv's own buffer limits and with Moodbox's (src/player/mpv/mpv-args.ts), and playing the same
# file from the disk. Prints one line each.
#
#   scripts/measure-mpv-stream-memory.sh [seconds]
set -euo pipefail
seconds="${1:-15}"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
ffmpeg -v error -f lavfi -i "sine=frequency=440:duration=2400" -ac 2 -c:a libvorbis -b:a 192k "$work/song.ogg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
server=$!
sleep 1
ahead=$(sed -n 's/^export const DEMUXER_AHEAD_MIB = \([0-9]*\);/\1/p' "$(dirname "$0")/../src/player/mpv/mpv-args.ts")
behind=$(sed -n 's/^export const DEMUXER_BEHIND_MIB = \([0-9]*\);/\1/p' "$(dirname "$0")/../src/player/mpv/mpv-args.ts")
measure() {
  local label="$1"
  shift
  mpv --no-config --no-video --ao=null --really-quiet "$@" &
  local pid=$!
  sleep "$seconds"
  echo "$label: $(($(ps -o rss= -p "$pid") / 1024)) MiB resident after ${seconds} s"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
measure "over HTTP, mpv's limits" "http://127.0.0.1:$port/song.ogg"
measure "over HTTP, Moodbox's limits (${ahead} MiB ahead, ${behind} behind)" --demuxer-max-bytes="${ahead}MiB" --demuxer-max-back-bytes="${behind}MiB" "http://127.0.0.1:$port/song.ogg"
measure "from the disk, Moodbox's limits" --demuxer-max-bytes="${ahead}MiB" --demuxer-max-back-bytes="${behind}MiB" "$work/song.ogg"
