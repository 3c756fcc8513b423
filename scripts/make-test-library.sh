#!/usr/bin/env bash
# Makes the tone fixtures: a handful of short, distinct, tagged clips made with sox and tagged with
# ffmpeg, plus a moods sidecar, for tests that need small MP3s. Needs sox and ffmpeg (with
# libmp3lame). Safe to run again. (The demo music is made by scripts/make-demo-music.ts.)
#
#   scripts/make-test-library.sh [OUT_DIR]    (default: src/player/testing/fixtures/demo-tones)
set -euo pipefail

out="${1:-$(dirname "$0")/../src/player/testing/fixtures/demo-tones}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# file | title | artist | album | genre | year | sox synth arguments (4 s each)
clips=(
  "still-water.mp3|Still Water|Moodbox Demo Ensemble|Demo Moods|Ambient|2026|sine 220 sine 277 sine 330 tremolo 0.5 40"
  "low-light.mp3|Low Light|Moodbox Demo Ensemble|Demo Moods|Jazz|2026|triangle 196 triangle 233 triangle 294 tremolo 1 30"
  "morning-walk.mp3|Morning Walk|Synthetic Sunrise|Demo Moods|Pop|2026|square 392 square 494 square 587 tremolo 4 60"
  "first-light.mp3|First Light|Synthetic Sunrise|Demo Moods|Indie|2026|sine 262 sine 330 sine 392 tremolo 2 50"
  "fast-lane.mp3|Fast Lane|The Test Tones|Demo Moods|Electronic|2026|sawtooth 440 sawtooth 554 sawtooth 659 tremolo 8 80"
  "iron-gate.mp3|Iron Gate|The Test Tones|Demo Moods|Rock|2026|sawtooth 110 square 165 sawtooth 220 overdrive 10"
)

for clip in "${clips[@]}"; do
  IFS='|' read -r file title artist album genre year synth <<<"$clip"
  first_effect="${synth%% tremolo*}"
  first_effect="${first_effect%% overdrive*}"
  effects="${synth#"$first_effect"}"
  # shellcheck disable=SC2086 # word splitting of the synth and effect lists is intended
  sox -n -r 44100 -c 2 "$tmp/raw.wav" synth 4 $first_effect $effects fade 0.2 4 0.6 gain -n -3
  ffmpeg -loglevel error -y -i "$tmp/raw.wav" -c:a libmp3lame -b:a 64k -id3v2_version 3 \
    -metadata title="$title" -metadata artist="$artist" -metadata album="$album" \
    -metadata genre="$genre" -metadata date="$year" -metadata language=eng "$out/$file"
done

cat >"$out/moods.csv" <<'CSV'
path,moods
still-water.mp3,calm:1;mellow:0.3
low-light.mp3,mellow:1;calm:0.4
morning-walk.mp3,upbeat:1;uplifting:0.5
first-light.mp3,uplifting:1;upbeat:0.3
fast-lane.mp3,energetic:1;upbeat:0.4
iron-gate.mp3,power:1;energetic:0.5
CSV

cat >"$out/LICENSE.txt" <<'TXT'
These clips are synthesised tones made by scripts/make-test-library.sh (sox + ffmpeg).
They contain no recorded music and may be shipped and used freely (CC0).
TXT

du -sh "$out"
