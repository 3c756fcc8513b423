# shellcheck shell=bash
# The files an installed Moodbox keeps outside its program folder: the units, the udev rules, the
# backlight's helper and the `moodbox` command. Sourced by appliance.sh (install) and update.sh
# (each switch of version, and its rollback), so that a new version's units come with it, and an
# old version's come back.
# Needs `say` from the script that sources it.

# Where they go (a test of update.sh's steps points them at a scratch folder).
units_dir=/etc/systemd/system
rules_dir=/etc/udev/rules.d
libexec_dir=/usr/local/libexec
# The `moodbox` command's folder, on the PATH: when unset, the bin beside libexec_dir (/usr/local/bin;
# a test that points libexec_dir at a scratch folder gets a scratch one with it).
bin_dir=""
# There while systemd runs the machine (not in a build root).
systemd_run=/run/systemd/system

# Set when install_file wrote something.
changed=0

has_systemd() { [[ -d "$systemd_run" ]]; }

# install_file SOURCE TARGET MODE: copies only when it differs, and says so.
install_file() {
  if ! cmp -s "$1" "$2"; then
    install -D -m "$3" "$1" "$2"
    say "installed $2"
    changed=1
  fi
}

# command_path: where the `moodbox` command goes.
command_path() { printf '%s/moodbox\n' "${bin_dir:-$(dirname "$libexec_dir")/bin}"; }

# has_kiosk: the screen was installed (`install --kiosk`, once; it stays until uninstall).
has_kiosk() { [[ -f "$units_dir/moodbox-kiosk.service" ]]; }

# system_files: Moodbox's files outside its program folder, whichever version installed them, one
# a line: what an update records before it switches, so that its rollback removes what the new
# version added.
system_files() {
  local path
  for path in "$units_dir"/moodbox* "$rules_dir"/*moodbox* "$libexec_dir"/moodbox* "$(command_path)"; do
    if [[ -e "$path" || -L "$path" ]]; then printf '%s\n' "$path"; fi
  done
}

# install_command UNIT PREFIX: the `moodbox` command (PREFIX/systemd/moodbox-command.sh, when that
# version has one), with its settings written from UNIT, the service's unit as installed: the user
# and group of User= and Group=, the node and the program of ExecStart=, the NAME=VALUE words of
# Environment= (unquoted, as moodbox.service has them) and STATE_DIRECTORY for StateDirectory=.
install_command() {
  local unit="$1" source="$2/systemd/moodbox-command.sh" command user group node cli state words assignment settings
  local env=()
  [[ -f "$source" ]] || return 0
  user="$(sed -n 's/^User=//p' "$unit" | tail -n 1)"
  group="$(sed -n 's/^Group=//p' "$unit" | tail -n 1)"
  read -r node cli _ <<<"$(sed -n 's/^ExecStart=//p' "$unit" | head -n 1)"
  while read -r -a words; do env+=("${words[@]}"); done < <(sed -n 's/^Environment=//p' "$unit")
  state="$(sed -n 's/^StateDirectory=//p' "$unit" | tail -n 1)"
  if [[ -n "$state" ]]; then env+=("STATE_DIRECTORY=/var/lib/${state%% *}"); fi
  settings="$(printf 'user=%q\ngroup=%q\nnode=%q\ncli=%q\nservice_env=(\n' "${user:-root}" "${group:-${user:-root}}" "$node" "$cli"
    for assignment in "${env[@]}"; do printf '  %q\n' "$assignment"; done
    printf ')')"
  command="$(mktemp)"
  { sed '/^# >>> /q' "$source" && printf '%s\n' "$settings" && sed -n '/^# <<< /,$p' "$source"; } >"$command"
  install_file "$command" "$(command_path)" 0755
  rm -f "$command"
}

# install_system_files PREFIX KIOSK: the system's files from the version in PREFIX (KIOSK 1: the
# screen's too), then udev and systemd told of what changed.
install_system_files() {
  local prefix="$1" kiosk="$2" unit
  changed=0
  unit="$(mktemp)"
  sed "s#/opt/moodbox#$prefix#g" "$prefix/systemd/moodbox.service" >"$unit"
  install_file "$unit" "$units_dir/moodbox.service" 0644
  install_command "$unit" "$prefix"
  rm -f "$unit"
  install_file "$prefix/systemd/99-moodbox.rules" "$rules_dir/99-moodbox.rules" 0644
  if ((kiosk == 1)); then
    # The screen's starter, which finds where the daemon listens (its unit runs it): outside the
    # program's folder, as the backlight's helper.
    if [[ -f "$prefix/systemd/moodbox-kiosk.sh" ]]; then
      install_file "$prefix/systemd/moodbox-kiosk.sh" "$libexec_dir/moodbox-kiosk" 0755
    fi
    install_file "$prefix/systemd/moodbox-kiosk.service" "$units_dir/moodbox-kiosk.service" 0644
    # The backlight off in the quiet hours: a root helper outside the program's folder (which a
    # technician's --here may leave writable to a user), started on each change of the daemon's wish.
    if [[ -f "$prefix/systemd/moodbox-backlight.sh" ]]; then
      install_file "$prefix/systemd/moodbox-backlight.sh" "$libexec_dir/moodbox-backlight" 0755
      install_file "$prefix/systemd/moodbox-backlight.service" "$units_dir/moodbox-backlight.service" 0644
      install_file "$prefix/systemd/moodbox-backlight.path" "$units_dir/moodbox-backlight.path" 0644
    fi
  fi
  if ((changed == 1)); then
    if command -v udevadm >/dev/null && [[ -d /run/udev ]]; then udevadm control --reload && udevadm trigger || true; fi
    if has_systemd; then systemctl daemon-reload; fi
  fi
  if ((kiosk == 1)) && has_systemd && [[ -f "$units_dir/moodbox-backlight.path" ]]; then
    systemctl enable --quiet --now moodbox-backlight.path || true
  fi
}
