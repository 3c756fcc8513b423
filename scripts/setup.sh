#!/usr/bin/env bash
# Sets Moodbox up on Debian / Raspberry Pi OS, then (optionally) starts it or runs every test.
#
#   scripts/setup.sh          install what is missing and build (also: scripts/setup.sh build)
#   scripts/setup.sh start    ... then start Moodbox (demo mode unless MOODBOX_CONFIG is set)
#   scripts/setup.sh test     ... then run every check and test
#
#   sudo scripts/setup.sh install [options]     the appliance: /opt/moodbox, the service user,
#                                               the unit, a configuration, a check, the service
#   sudo scripts/setup.sh update [--from SRC]   a new version, built beside the running one, with
#                                               a rollback when it does not answer (scripts/update.sh)
#   sudo scripts/setup.sh uninstall [--purge]   takes it off again (scripts/appliance.sh)
#
# Idempotent: a second run only does what is left to do. Debian packages are installed as root,
# or through sudo; each step says what it does.
set -euo pipefail

mode="${1:-build}"
case "$mode" in
  build | start | test) ;;
  install | uninstall) exec "$(dirname "$0")/appliance.sh" "$@" ;;
  update) exec "$(dirname "$0")/update.sh" "${@:2}" ;;
  *)
    echo "usage: scripts/setup.sh [build|start|test|install|update|uninstall]" >&2
    exit 2
    ;;
esac

cd "$(dirname "$0")/.."
say() { printf '\033[1mmoodbox setup:\033[0m %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
# Run time: OpenCV (face detection; its headers for the native binding), the Haar cascades, mpv,
# libusb for the RFID reader, ffmpeg to hear the music (audio analysis); build: a C++ toolchain for the
# native modules, sox for the demo music.
packages=(nodejs npm libopencv-dev opencv-data mpv libusb-1.0-0 ffmpeg g++ make python3 pkg-config sox libsox-fmt-base)
# Tests: sox and ffmpeg make test audio and camera clips, Chromium drives the screens,
# systemd-analyze checks the units, numpy and onnx test the model quantizer, a private PulseAudio
# null sink lets the end-to-end tests hear what mpv plays, Jinja2 renders Home Assistant's templates.
if [[ "$mode" == test ]]; then
  packages+=(sox ffmpeg chromium systemd python3-numpy python3-onnx python3-jinja2 pulseaudio pulseaudio-utils)
  # gst-launch-1.0 and its test source for the GStreamer camera pipelines.
  packages+=(gstreamer1.0-tools gstreamer1.0-plugins-base)
  # A Mosquitto broker for the MQTT, Home Assistant and fleet tests; snapserver for multiroom.
  packages+=(mosquitto snapserver)
  # The kiosk unit's compositor: systemd-analyze verify checks that the command it runs is there.
  packages+=(cage)
fi

# The native modules build against Node's own headers, which node-gyp would otherwise download
# from nodejs.org: Debian's nodejs keeps them in libnode-dev (/usr/include/node).
system_node() { [[ "$(readlink -f "$(command -v node 2>/dev/null || echo /usr/bin/node)")" == /usr/bin/node* ]]; }
if system_node && [[ ! -f /usr/include/node/node_api.h ]]; then
  packages+=(libnode-dev)
fi

missing=()
for p in "${packages[@]}"; do
  # Node may come from NodeSource or nvm rather than Debian: accept any node/npm on PATH.
  if [[ "$p" == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ "$p" == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  if [[ $EUID -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    say "these Debian packages are missing and I am not root (and there is no sudo): ${missing[*]}"
    say "install them with: apt-get install ${missing[*]}"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_version="$(node -p 'process.versions.node')"
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  say "Node $node_version is too old: Moodbox needs Node 20.19 or newer (Debian 13 and Raspberry Pi OS ship it)"
  exit 1
fi

# --- npm packages ----------------------------------------------------------------------------
# The native modules build against the system's OpenCV; neither may download anything else.
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
export ONNXRUNTIME_NODE_INSTALL=skip
OPENCV_INCLUDE_DIR="$(pkg-config --variable=includedir opencv4)"
OPENCV_LIB_DIR="$(pkg-config --variable=libdir opencv4)"
# Only the OpenCV modules Moodbox uses: core, imgproc (frames and crops) and objdetect (the Haar
# cascade); YuNet runs on onnxruntime, not dnn. Frames come through an ffmpeg child and images are
# decoded and encoded without OpenCV, so the binding links neither imgcodecs, videoio nor highgui
# (and the 230-odd libraries they bring: Qt, GDAL, GStreamer, libav): 60 MiB less in the daemon.
# The binding compiles a module's code when opencv_modules.hpp lists it, so it builds against a
# mirror of the system's headers whose opencv_modules.hpp lists only these.
opencv_modules="CORE|IMGPROC|OBJDETECT"
opencv_mirror=".cache/opencv-include/opencv4"
rm -rf .cache/opencv-include
mkdir -p "$opencv_mirror/opencv2"
for entry in "$OPENCV_INCLUDE_DIR"/opencv2/*; do
  [[ "${entry##*/}" == opencv_modules.hpp ]] || ln -s "$entry" "$opencv_mirror/opencv2/"
done
grep -v -E "^#define HAVE_OPENCV_" "$OPENCV_INCLUDE_DIR/opencv2/opencv_modules.hpp" | grep -v -E "^#define HAVE_OPENCV_" \
  | cat - <(grep -E "^#define HAVE_OPENCV_($opencv_modules)\$" "$OPENCV_INCLUDE_DIR/opencv2/opencv_modules.hpp") >"$opencv_mirror/opencv2/opencv_modules.hpp"
OPENCV_INCLUDE_DIR="$PWD/$opencv_mirror"
# Both (all) cores for the native builds.
export JOBS=max
if system_node && [[ -f /usr/include/node/node_api.h && -z "${npm_config_nodedir:-}" ]]; then
  export npm_config_nodedir=/usr
fi
export OPENCV_INCLUDE_DIR OPENCV_LIB_DIR OPENCV_BIN_DIR=/usr/bin

stamp="node_modules/.moodbox-installed"
want="$(cat package-lock.json <(echo "node $node_version $(uname -m) opencv $opencv_modules") | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  say "installing npm packages and building the native modules (a few minutes the first time)"
  mkdir -p .cache
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >.cache/npm-ci.log 2>&1 || {
    say "npm ci failed; the end of its log (.cache/npm-ci.log):"
    tail -n 40 .cache/npm-ci.log >&2
    exit 1
  }
  # The packages' own build steps, each in its own `npm rebuild` so that they run side by side
  # (npm alone runs them one at a time on a two-core machine): the OpenCV binding's files two at a
  # time, SQLite's one large file beside them. Each keeps its output in .cache/npm-rebuild-*.log.
  # The OpenCV binding is glue between JavaScript and the system's OpenCV, which does the pixel
  # work: -O1 compiles it a fifth faster than its default -O3, and whole-frame times stayed within
  # the noise (`moodbox bench vision`, -O1 and -O3 builds alternated). SQLite (C) keeps its -O3.
  export CXXFLAGS="${CXXFLAGS:-} -O1"
  mapfile -t native < <(node -e '
    const { packages } = require("./package-lock.json");
    for (const [path, p] of Object.entries(packages))
      if (p.hasInstallScript && require("fs").existsSync(path)) console.log(path.replace(/^.*node_modules\//, ""));')
  builds=()
  for name in "${native[@]}"; do
    log=".cache/npm-rebuild-${name//\//_}.log"
    npm rebuild "$name" --foreground-scripts --no-audit --no-fund --loglevel=error >"$log" 2>&1 &
    builds+=("$!|$name|$log")
  done
  binding=node_modules/@u4/opencv4nodejs
  total="$(grep -c -E '"cc/.*\.cc"' "$binding/binding.gyp" || true)"
  running() { for job in "${builds[@]}"; do kill -0 "${job%%|*}" 2>/dev/null && return 0; done; return 1; }
  while running; do
    for _ in $(seq 15); do running && sleep 1; done
    if running; then
      say "  native build: OpenCV binding $(find "$binding/build" -name '*.o' 2>/dev/null | wc -l) of $total files compiled"
    fi
  done
  failed=0
  for job in "${builds[@]}"; do
    IFS='|' read -r pid name log <<<"$job"
    wait "$pid" || {
      say "building $name failed; the end of its log ($log):"
      tail -n 40 "$log" >&2
      failed=1
    }
  done
  ((failed == 0)) || exit 1
  echo "$want" >"$stamp"
fi

say "building"
# Emitted without a type check (the same JavaScript, a third of the time): `setup.sh test` checks the
# types with the lint. Stamped as built from the sources as they were when it started, so that the
# tests' own build step (test/build-first.ts) does not build it all again.
build_started="$(date +%s)"
npm run --silent build
touch -d "@$build_started" dist/.built

# --- Demo music --------------------------------------------------------------------------------
# Generated here rather than shipped: 24 pieces of about a minute (a synthesizer and sox), made
# again only when the generator changes.
demo_stamp="demo/library/.made-by"
demo_want="$(cat scripts/make-demo-music.ts scripts/demo-music-*.ts src/ui/components/mood-colours.ts | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$demo_stamp" || "$(cat "$demo_stamp")" != "$demo_want" ]]; then
  say "making the demo music (24 pieces, about a minute each; under a minute on two cores)"
  node --import tsx scripts/make-demo-music.ts demo/library
  echo "$demo_want" >"$demo_stamp"
fi

case "$mode" in
  start)
    say "starting Moodbox (Ctrl+C stops it)"
    # Started again when it asks to be (exit 75: a restore, "Restart Moodbox now"), as systemd would.
    exec scripts/supervise.sh
    ;;
  test)
    say "checking types, lint, import rules and format (two at a time)"
    npm run --silent check
    say "running the model tooling's tests"
    # Debian's Python: it sees Debian's numpy and onnx, whatever python3 comes first on PATH.
    /usr/bin/python3 -m unittest discover -s scripts/model -p 'test_*.py'
    say "running every test"
    # Each file's time goes to test-results/vitest.json; the slowest are printed after, pass or fail.
    status=0
    npm test -- --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
    node --import tsx scripts/test-times.ts test-results/vitest.json || true
    exit "$status"
    ;;
  build)
    say "done: start Moodbox with 'node dist/daemon/cli.js start', check this machine with 'node dist/daemon/cli.js doctor'"
    ;;
esac
