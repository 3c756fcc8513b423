#!/bin/bash
# Starts the kiosk screen's browser at the page of the Moodbox daemon, wherever it listens. Run as
# moodbox-kiosk by moodbox-kiosk.service (installed as /usr/local/libexec/moodbox-kiosk):
#
#   moodbox-kiosk LISTEN_FILE COMMAND [ARGS...]
#     LISTEN_FILE   /run/moodbox/listen.json, where the daemon writes its host and port once it
#                   listens (src/daemon/ops/listen-file.ts); the admin panel may move them off
#                   the configuration file's, and the kiosk's user cannot read that file anyway
#     COMMAND ...   the browser's command line: the page's address is added as its last argument
#
# Waits up to MOODBOX_KIOSK_WAIT_S seconds (60) for the daemon to answer /api/health there, so the
# screen never shows an error page at boot; then runs the browser, and checks the file every
# MOODBOX_KIOSK_CHECK_S seconds (5): when the daemon comes back listening elsewhere (a port changed
# from the panel, then "Restart Moodbox now"), it ends the browser and itself, and the unit's
# Restart=always starts both again at the new address.
#
# The file comes from the service user: only a plain file (not a link) is read, at most 256 bytes,
# and it is taken only when it is the daemon's own line, with an IP address or localhost and a
# port of 1–65535. Otherwise, and while there is none, the page is http://127.0.0.1:8080/.
set -uo pipefail
listen_file="${1:?usage: moodbox-kiosk LISTEN_FILE COMMAND [ARGS...]}"
shift
(($# > 0)) || {
  echo "usage: moodbox-kiosk LISTEN_FILE COMMAND [ARGS...]" >&2
  exit 2
}
wait_s="${MOODBOX_KIOSK_WAIT_S:-60}"
check_s="${MOODBOX_KIOSK_CHECK_S:-5}"
fallback=http://127.0.0.1:8080/

# page: the page's address that the listen file names; nothing when it names none.
page() {
  local text host port
  local line='^\{"host":"([0-9A-Fa-f.:]+|localhost)","port":([1-9][0-9]{0,4})\}$'
  local ipv4='^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$'
  [[ -f "$listen_file" && ! -L "$listen_file" ]] || return 0
  text="$(head -c 256 -- "$listen_file" 2>/dev/null)" || return 0
  [[ "$text" =~ $line ]] || return 0
  host="${BASH_REMATCH[1]}"
  port="${BASH_REMATCH[2]}"
  ((port <= 65535)) || return 0
  case "$host" in
    localhost) ;;
    0.0.0.0) host=127.0.0.1 ;;
    ::) host='[::1]' ;;
    *:*) host="[$host]" ;;
    *) [[ "$host" =~ $ipv4 ]] || return 0 ;;
  esac
  printf 'http://%s:%s/\n' "$host" "$port"
}

url=""
deadline=$((SECONDS + wait_s))
while :; do
  url="$(page)"
  if [[ -n "$url" ]] && curl -fsS -m 5 -o /dev/null "${url}api/health" 2>/dev/null; then break; fi
  ((SECONDS < deadline)) || break
  sleep 1
done
url="${url:-$fallback}"
echo "moodbox-kiosk: showing $url" >&2

"$@" "$url" &
browser=$!
trap 'kill -TERM "$browser" 2>/dev/null; wait "$browser"; exit 143' TERM INT
while kill -0 "$browser" 2>/dev/null; do
  sleep "$check_s" &
  wait $! # (not sleep itself: a TERM is acted on at once)
  now="$(page)"
  if [[ -n "$now" && "$now" != "$url" ]]; then
    echo "moodbox-kiosk: the daemon now listens at $now: starting the screen again there" >&2
    kill -TERM "$browser" 2>/dev/null
    wait "$browser"
    exit 0
  fi
done
wait "$browser"
