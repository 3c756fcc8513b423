#!/bin/sh
# Sets every backlight of this machine as the Moodbox daemon wishes: off while the kiosk screen on
# the box sleeps in the quiet hours, on otherwise. Run as root by moodbox-backlight.service, which
# moodbox-backlight.path starts whenever the daemon writes its wish (RuntimeDirectory=moodbox).
#
#   moodbox-backlight [WISH_FILE] [BACKLIGHT_CLASS]
#     WISH_FILE         /run/moodbox/screen: "off" turns the backlights off; anything else, or no
#                       file (the daemon stopped), turns them on
#     BACKLIGHT_CLASS   /sys/class/backlight
#
# The wish comes from the service user: only a regular file is read, and only the word "off"
# means anything. Each backlight's bl_power takes 4 (powered down) or 0 (on), as the kernel's
# backlight class defines it; a machine without a backlight (an HDMI monitor) is left alone.
set -eu
wish_file="${1:-/run/moodbox/screen}"
class="${2:-/sys/class/backlight}"

power=0
if [ -f "$wish_file" ] && [ ! -L "$wish_file" ] && [ "$(head -c 16 "$wish_file" | tr -d '[:space:]')" = off ]; then
  power=4
fi
found=0
for device in "$class"/*; do
  [ -e "$device/bl_power" ] || continue
  found=1
  if [ "$(cat "$device/bl_power")" != "$power" ]; then
    echo "$power" >"$device/bl_power"
    echo "moodbox-backlight: $(basename "$device") $([ "$power" = 4 ] && echo off || echo on)"
  fi
done
if [ "$found" = 0 ]; then
  echo "moodbox-backlight: no backlight in $class (an HDMI monitor keeps its own power saving); nothing to do"
fi
exit 0
