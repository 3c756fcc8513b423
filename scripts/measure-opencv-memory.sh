#!/usr/bin/env bash
# What loading OpenCV costs a process in resident memory, by the modules it links: a tiny C program
# linked against each set prints its own VmRSS at start (the shared libraries' pages the loader
# touched), and how many libraries came with it. The binding links all six of the last line.
#
#   scripts/measure-opencv-memory.sh
set -euo pipefail
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/rss.c" <<'C'
#include <stdio.h>
#include <string.h>
int main(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  while (fgets(line, sizeof line, f)) if (!strncmp(line, "VmRSS:", 6)) { fputs(line + 6, stdout); break; }
  return 0;
}
C
printf '%-52s %10s %6s\n' "OpenCV modules linked" "RSS" "libs"
for set in "" "core imgproc" "core imgproc objdetect" "core imgproc imgcodecs" "core imgproc videoio" \
  "core imgproc highgui" "core imgproc imgcodecs videoio highgui objdetect"; do
  libs=()
  for m in $set; do libs+=("-lopencv_$m"); done
  gcc -Wl,--no-as-needed "$work/rss.c" -o "$work/rss" "${libs[@]}"
  printf '%-52s %10s %6s\n' "${set:-(none)}" "$("$work/rss" | tr -s ' \t' ' ')" "$(ldd "$work/rss" | wc -l)"
done
