# The files an installed Moodbox keeps outside its program folder: the units, the udev rules and
# the backlight's helper. Sourced by appliance.sh (install) and update.sh (each switch of version,
# and its rollback), so that a new version's units come with it, and an old version's come back.
# Needs `say` from the script that sources it.

# Set when install_file wrote something.
changed=0

# install_file SOURCE TARGET MODE: copies only when it differs, and says so.
install_file() {
  if ! cmp -s "$1" "$2"; then
    install -D -m "$3" "$1" "$2"
    say "installed $2"
    changed=1
  fi
}

# has_kiosk: the screen was installed (`install --kiosk`, once; it stays until uninstall).
has_kiosk() { [[ -f /etc/systemd/system/moodbox-kiosk.service ]]; }

# install_system_files PREFIX KIOSK: the system's files from the version in PREFIX (KIOSK 1: the
# screen's too), then udev and systemd told of what changed.
install_system_files() {
  local prefix="$1" kiosk="$2" unit
  changed=0
  unit="$(mktemp)"
  sed "s#/opt/moodbox#$prefix#g" "$prefix/systemd/moodbox.service" >"$unit"
  install_file "$unit" /etc/systemd/system/moodbox.service 0644
  rm -f "$unit"
  install_file "$prefix/systemd/99-moodbox.rules" /etc/udev/rules.d/99-moodbox.rules 0644
  if ((kiosk == 1)); then
    install_file "$prefix/systemd/moodbox-kiosk.service" /etc/systemd/system/moodbox-kiosk.service 0644
    # The backlight off in the quiet hours: a root helper outside the program's folder (which a
    # technician's --here may leave writable to a user), started on each change of the daemon's wish.
    if [[ -f "$prefix/systemd/moodbox-backlight.sh" ]]; then
      install_file "$prefix/systemd/moodbox-backlight.sh" /usr/local/libexec/moodbox-backlight 0755
      install_file "$prefix/systemd/moodbox-backlight.service" /etc/systemd/system/moodbox-backlight.service 0644
      install_file "$prefix/systemd/moodbox-backlight.path" /etc/systemd/system/moodbox-backlight.path 0644
    fi
  fi
  if ((changed == 1)); then
    if command -v udevadm >/dev/null && [[ -d /run/udev ]]; then udevadm control --reload && udevadm trigger || true; fi
    if [[ -d /run/systemd/system ]]; then systemctl daemon-reload; fi
  fi
  if ((kiosk == 1)) && [[ -d /run/systemd/system && -f /etc/systemd/system/moodbox-backlight.path ]]; then
    systemctl enable --quiet --now moodbox-backlight.path || true
  fi
}
