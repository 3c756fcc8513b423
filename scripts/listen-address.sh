# shellcheck shell=bash
# Where the running daemon listens, for root's scripts: update.sh (its health check, after each
# start) and appliance.sh (install's). Sourced; needs $config (the configuration file), $state (the
# data folder), has_systemd (scripts/system-files.sh) and `say`.
#
# The daemon writes its host and port once it listens (src/daemon/ops/listen-file.ts): to
# listen.json in its runtime folder, /run/moodbox under systemd (the unit's RuntimeDirectory, gone
# at each stop), in the data folder outside systemd. The configuration file's server.host and
# server.port are not enough: the admin panel saves its own, and port 0 picks a free one.
#
# Both folders belong to the service user, and these scripts run as root: the file is opened
# without following a link (O_NOFOLLOW), and without waiting on a pipe (O_NONBLOCK); it is read only
# when it is a plain file with one name and at most 1 KiB; and what it says is taken only when the
# host is an IP literal or `localhost` and the port is 1–65535. Anything else: the configuration
# file's values (127.0.0.1 and 8080 where it has none).

# The daemon's runtime folder: moodbox.service's RuntimeDirectory.
runtime=/run/moodbox

# listen_address: "HOST PORT FROM", FROM being the file the address was read from.
# shellcheck disable=SC2016,SC2154 # JavaScript's own ${}; $config and $state: the sourcing script's
listen_address() {
  local files=("$runtime/listen.json")
  if ! has_systemd; then files+=("$state/listen.json"); fi
  node -e '
    const fs = require("node:fs");
    const net = require("node:net");
    const [config, ...files] = process.argv.slice(1);
    const isHost = (h) => typeof h === "string" && (h === "localhost" || (net.isIP(h) !== 0 && !h.includes("%")));
    const isPort = (p) => Number.isInteger(p) && p >= 1 && p <= 65535;
    const field = (o, k) =>
      o !== null && typeof o === "object" && !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
    const said = (file) => {
      let fd;
      try {
        const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = fs.constants;
        fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        const stat = fs.fstatSync(fd);
        if (!stat.isFile() || stat.nlink !== 1 || stat.size > 1024) return undefined;
        const bytes = Buffer.alloc(1024);
        const value = JSON.parse(bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0)).toString("utf8"));
        const [host, port] = [field(value, "host"), field(value, "port")];
        return isHost(host) && isPort(port) ? `${host} ${port} ${file}` : undefined;
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    };
    for (const file of files) {
      const address = said(file);
      if (address !== undefined) {
        console.log(address);
        process.exit(0);
      }
    }
    let server;
    try {
      server = field(JSON.parse(fs.readFileSync(config, "utf8")), "server");
    } catch {}
    const [host, port] = [field(server, "host"), field(server, "port")];
    console.log(`${isHost(host) ? host : "127.0.0.1"} ${isPort(port) ? port : 8080} ${config}`);' "$config" "${files[@]}"
}

# listen_url HOST PORT: the address at which this box reaches a daemon that listens on HOST:PORT.
listen_url() {
  local host="$1"
  case "$host" in
    0.0.0.0) host=127.0.0.1 ;;
    ::) host='[::1]' ;;
    *:*) host="[$host]" ;;
  esac
  printf 'http://%s:%s\n' "$host" "$2"
}

# answers SECONDS: the daemon answers /api/health within SECONDS, wherever it listens (looked up
# again each second: a version that starts writes its address once it listens).
answers() {
  local host port from url asked=""
  for _ in $(seq 1 "$1"); do
    read -r host port from < <(listen_address) || true
    url="$(listen_url "${host:-127.0.0.1}" "${port:-8080}")"
    if [[ "$url" != "$asked" ]]; then
      say "asking $url/api/health (the address from $from)"
      asked="$url"
    fi
    curl -fsS -m 5 -o /dev/null "$url/api/health" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}
