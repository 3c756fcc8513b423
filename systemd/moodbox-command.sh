#!/bin/bash
# `moodbox` on an installed box: Moodbox's commands (docs/commands.md), run as the service runs.
# `setup.sh install` puts it on the PATH, in /usr/local/bin (scripts/system-files.sh), and writes
# the settings below from the installed moodbox.service: its user and group, the node and the
# program of its ExecStart=, its Environment= and the data folder of its StateDirectory=. Of the
# caller's environment only how to print goes through (the terminal, the language), as nothing
# else of it reaches the service; nor does RUNTIME_DIRECTORY: /run/moodbox is the running
# service's, there only while it runs.
#
#   moodbox doctor                  checks this box; says the first-run code until there is an admin
#   moodbox user add NAME           and every other command: moodbox --help
#
# Who runs what:
#   - as root, every command runs as the service user (setpriv), except `restore`: it keeps root's
#     rights to open the file the caller names (a backup in /root, say), and takes the data folder
#     owner's rights itself before it acts in the data folder. `backup FILE` reads the data folder,
#     where root does nothing (docs/security.md): it runs as the service user, and FILE must go in a
#     folder that user can write (it says so before it starts, when it cannot);
#   - as the service user, it runs as it is;
#   - anyone else runs it again through sudo: as the service user, or as root for `restore`;
#     without sudo, it says how else.
# It runs in the caller's folder, so a path such as ./backup.db names the caller's file; one given
# to a command that runs as the service user must be one that user can reach.
set -euo pipefail

# >>> the service's settings: written from moodbox.service by setup.sh install
user=moodbox
group=moodbox
node=/usr/bin/node
cli=/opt/moodbox/dist/daemon/cli.js
service_env=(
  NODE_ENV=production
  MOODBOX_CONFIG=/etc/moodbox/config.json
  OPENCV4NODEJS_DISABLE_AUTOBUILD=1
  MALLOC_ARENA_MAX=2
  STATE_DIRECTORY=/var/lib/moodbox
)
# <<< the service's settings

say() { printf 'moodbox: %s\n' "$*" >&2; }

IFS=: read -r _ _ uid _ _ home _ <<<"$(getent passwd "$user" || true)"
if [[ -z "${uid:-}" ]]; then
  say "there is no user $user, which Moodbox runs as: install Moodbox with sudo scripts/setup.sh install"
  exit 1
fi
if [[ ! -f "$cli" ]]; then
  say "$cli is missing: install Moodbox again with sudo scripts/setup.sh install"
  exit 1
fi

# What the command sees: the service's environment, the PATH systemd gives a service, the user's
# names and home; of the caller's, only how to print (the terminal, the language).
command_env() { # command_env NAME HOME: into run_env
  run_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$2" USER="$1" LOGNAME="$1")
  local name
  for name in TERM COLORTERM NO_COLOR LANG LC_ALL; do
    if [[ -n "${!name:-}" ]]; then run_env+=("$name=${!name}"); fi
  done
  run_env+=("${service_env[@]}")
}

# `restore` keeps root's rights (above); every other command runs as the service user.
keeps_rights=0
if [[ "${1:-}" == restore ]]; then keeps_rights=1; fi

# check_backup_target RUN...: for `backup FILE`, whether the service user (RUN: the way to run as
# it) can write where FILE goes; says so and exits when it cannot, rather than a bare EACCES.
check_backup_target() {
  [[ "${args[0]:-}" == backup ]] || return 0
  local arg file="" skip=0
  for arg in "${args[@]:1}"; do
    if ((skip == 1)); then
      skip=0
    elif [[ "$arg" == -c || "$arg" == --config ]]; then
      skip=1
    elif [[ "$arg" != -* ]]; then
      file="$arg"
      break
    fi
  done
  [[ -n "$file" ]] || return 0
  while [[ "$file" == ./* ]]; do file="${file#./}"; done
  [[ "$file" == /* ]] || file="$PWD/$file"
  local folder="${file%/*}"
  if ! "$@" test -w "${folder:-/}"; then
    say "moodbox backup runs as the user $user (root does nothing in the data folder), who cannot write in ${folder:-/}: name a file in a folder $user can write, such as /tmp"
    exit 77
  fi
}
args=("$@")

if ((EUID == 0)); then
  if ((keeps_rights == 1)); then
    command_env root "${HOME:-/root}"
    exec env -i "${run_env[@]}" "$node" "$cli" "$@"
  fi
  as_user=(setpriv --reuid="$user" --regid="$group" --init-groups --)
  check_backup_target "${as_user[@]}"
  command_env "$user" "$home"
  exec "${as_user[@]}" env -i "${run_env[@]}" "$node" "$cli" "$@"
fi

if ((EUID == uid)); then
  check_backup_target
  command_env "$user" "$home"
  exec env -i "${run_env[@]}" "$node" "$cli" "$@"
fi

self="$0"
[[ "$self" == /* ]] || self="$PWD/$self"
as=(-u "$user")
if ((keeps_rights == 1)); then as=(); fi
if command -v sudo >/dev/null; then exec sudo "${as[@]}" -- "$self" "$@"; fi
IFS=: read -r me _ <<<"$(getent passwd "$EUID" || true)"
shown=moodbox
if (($# > 0)); then shown+="$(printf ' %q' "$@")"; fi
say "runs as the user $user, and you are ${me:-the user $EUID}; sudo, which would switch, is not installed here."
say "Run it as root instead: su -c ${shown@Q}"
say "(or, as root, apt-get install sudo and add ${me:-yourself} to the group sudo)"
exit 77
