#!/usr/bin/env bash
# Turns this Debian / Raspberry Pi OS machine into a Moodbox appliance, or takes it off again.
# Called through setup.sh, as root:
#
#   sudo scripts/setup.sh install [options]     set up, configure, check and start the service
#   sudo scripts/setup.sh uninstall [--purge]   remove the service, its rules and its user
#   (sudo scripts/setup.sh update: scripts/update.sh)
#
# Installed, the box has the `moodbox` command (systemd/moodbox-command.sh, in /usr/local/bin): it
# runs Moodbox's commands as the service user, with the service's configuration and data folder
# (`moodbox doctor` says the first-run code until the first admin is made).
#
# install options (each answers a question in advance; --yes takes the defaults for the rest):
#   --prefix DIR        where Moodbox goes (default /opt/moodbox); --here runs it where it is
#   --camera SOURCE     /dev/video0 (default), a stream URL, or none
#   --music DIR         the music folder (default /srv/music, made if missing); again for more
#   --venue KIND        business (a café, a shop, a lobby: the default) or home
#   --host ADDRESS      0.0.0.0 (default: the admin panel and guests' phones on the LAN) or 127.0.0.1
#   --language CODE     the kiosk's language: en, de, fr, es, it, pt, nl or auto (default)
#   --kiosk             the screen too: the kiosk in Chromium under cage on the console (tty1),
#                       started at boot as the moodbox-kiosk user, no desktop needed
#   --yes               ask nothing
#   --no-start          install and check, but leave the services stopped (they start at the next boot)
#
# Idempotent: run twice, the second run changes nothing. An existing /etc/moodbox/config.json is
# kept. What install did is written to /etc/moodbox/installed, which uninstall reads.
set -euo pipefail

say() { printf '\033[1mmoodbox %s:\033[0m %s\n' "$action" "$*" >&2; }
die() {
  say "$*"
  exit 1
}

action="${1:-}"
shift || true
case "$action" in
  install | uninstall) ;;
  *)
    echo "usage: scripts/setup.sh install [--prefix DIR | --here] [--camera SOURCE] [--music DIR]... [--venue business|home]" >&2
    echo "                                [--host ADDRESS] [--language CODE] [--yes] [--no-start]" >&2
    echo "       scripts/setup.sh update [--from SOURCE]" >&2
    echo "       scripts/setup.sh uninstall [--purge]" >&2
    exit 2
    ;;
esac
[[ $EUID -eq 0 ]] || die "needs root: run it with sudo"

repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/system-files.sh
source "$repo/scripts/system-files.sh"
# shellcheck source=scripts/listen-address.sh
source "$repo/scripts/listen-address.sh"
etc=/etc/moodbox
config="$etc/config.json"
record="$etc/installed"
# The service user's folder (0750 moodbox): root makes it, in /var/lib, and never acts inside it.
state=/var/lib/moodbox
# What `setup.sh update` recorded of the updates (scripts/update.sh), in a folder of root's.
updates=/var/lib/moodbox-update
user=moodbox

# --- uninstall ---------------------------------------------------------------------------------
if [[ "$action" == uninstall ]]; then
  purge=0
  for arg in "$@"; do
    case "$arg" in
      --purge) purge=1 ;;
      *) die "unknown option $arg (uninstall takes --purge)" ;;
    esac
  done
  prefix=""
  installed_here=1
  if [[ -f "$record" ]]; then
    prefix="$(sed -n 's/^prefix=//p' "$record")"
    [[ "$(sed -n 's/^here=//p' "$record")" == 1 ]] || installed_here=0
  fi
  if has_systemd && systemctl list-unit-files moodbox.service >/dev/null 2>&1; then
    say "stopping and disabling the service"
    systemctl disable --now moodbox-kiosk.service moodbox-backlight.path moodbox.service >/dev/null 2>&1 || true
  fi
  # The `moodbox` command, when it is the one install wrote (not a `moodbox` of npm's put there since).
  moodbox_command=/usr/local/bin/moodbox
  if [[ -f "$moodbox_command" && ! -L "$moodbox_command" ]] && grep -q "^# >>> the service" "$moodbox_command"; then
    rm -f "$moodbox_command"
    say "removed $moodbox_command"
  fi
  for file in /etc/systemd/system/moodbox.service /etc/systemd/system/moodbox-kiosk.service /etc/udev/rules.d/99-moodbox.rules \
    /etc/systemd/system/moodbox-backlight.path /etc/systemd/system/moodbox-backlight.service /usr/local/libexec/moodbox-backlight \
    /usr/local/libexec/moodbox-kiosk /usr/lib/sysusers.d/moodbox.conf /usr/lib/sysusers.d/moodbox-kiosk.conf; do
    if [[ -e "$file" ]]; then
      rm -f "$file"
      say "removed $file"
    fi
  done
  if has_systemd; then systemctl daemon-reload; fi
  if command -v udevadm >/dev/null && [[ -d /run/udev ]]; then udevadm control --reload || true; fi
  for name in "$user" moodbox-kiosk; do
    if id "$name" >/dev/null 2>&1; then
      userdel "$name" 2>/dev/null || true
      if getent group "$name" >/dev/null; then groupdel "$name" 2>/dev/null || true; fi
      say "removed the user $name"
    fi
  done
  # rm follows no link: a link inside these folders goes, never what it points to.
  rm -rf /var/lib/moodbox-kiosk "$updates"
  if ((installed_here == 0)) && [[ -n "$prefix" && -d "$prefix" ]]; then
    # With the versions an update kept beside it.
    rm -rf "$prefix" "$prefix.previous" "$prefix.next" "$prefix.failed"
    say "removed $prefix"
  fi
  if ((purge == 1)); then
    rm -rf "$etc" "$state"
    say "removed the configuration ($etc) and the data ($state)"
  else
    rm -f "$record"
    kept=()
    [[ -d "$etc" ]] && kept+=("the configuration in $etc")
    [[ -d "$state" ]] && kept+=("the data in $state (database and backups)")
    if ((${#kept[@]} > 0)); then
      say "kept $(printf '%s; ' "${kept[@]}" | sed 's/; $//'): give --purge to remove them too"
    fi
  fi
  say "done"
  exit 0
fi

# --- install: the answers ----------------------------------------------------------------------
prefix=/opt/moodbox
here=0
camera=""
music=()
venue=""
host=""
language=""
yes=0
start=1
kiosk=0
while (($# > 0)); do
  case "$1" in
    --prefix)
      prefix="${2:?--prefix needs a folder}"
      shift
      ;;
    --here) here=1 ;;
    --camera)
      camera="${2:?--camera needs a source}"
      shift
      ;;
    --music)
      music+=("${2:?--music needs a folder}")
      shift
      ;;
    --venue)
      venue="${2:?--venue needs business or home}"
      shift
      ;;
    --host)
      host="${2:?--host needs an address}"
      shift
      ;;
    --language)
      language="${2:?--language needs a code}"
      shift
      ;;
    --kiosk) kiosk=1 ;;
    --yes) yes=1 ;;
    --no-start) start=0 ;;
    *) die "unknown option $1 (see the top of scripts/appliance.sh)" ;;
  esac
  shift
done
if ((here == 1)); then prefix="$repo"; fi
# A box that has its screen keeps it: install again without --kiosk updates it too.
if has_kiosk; then kiosk=1; fi
[[ "$prefix" == /* ]] || die "--prefix must be an absolute path, got $prefix"

# ask QUESTION DEFAULT: the answer (the default with --yes or without a terminal).
ask() {
  local answer=""
  if ((yes == 0)) && [[ -t 0 ]]; then
    read -r -p "$1 [$2]: " answer
  fi
  echo "${answer:-$2}"
}

# --- install: the program ----------------------------------------------------------------------
if [[ "$prefix" != "$repo" ]]; then
  if [[ -d "$prefix/.git" ]]; then
    say "Moodbox is already in $prefix ($(git -C "$prefix" log -1 --format='%h %cs')); 'setup.sh update' brings a new version"
  elif [[ -f "$record" && "$(sed -n 's/^prefix=//p' "$record")" == "$prefix" && -f "$prefix/package.json" ]]; then
    # Updated from a release tarball: no .git, but the install record names it.
    say "Moodbox is already in $prefix; 'setup.sh update' brings a new version"
  else
    if [[ -e "$prefix" && -n "$(ls -A "$prefix" 2>/dev/null)" ]]; then
      die "$prefix is there and is not a Moodbox: move it away or give --prefix"
    fi
    command -v git >/dev/null || die "git is missing: apt-get install git"
    say "putting Moodbox in $prefix (what is committed in $repo)"
    git clone --quiet --no-hardlinks "$repo" "$prefix"
  fi
fi
say "setting up $prefix (Debian packages, npm packages, build)"
"$prefix/scripts/setup.sh" build

# --- install: the user, the unit, the rules ----------------------------------------------------
# system_user NAME: the user its sysusers file describes (systemd-sysusers, else useradd with the
# same home and groups).
system_user() {
  local conf="/usr/lib/sysusers.d/$1.conf" home comment group
  install_file "$prefix/systemd/$1.sysusers.conf" "$conf" 0644
  id "$1" >/dev/null 2>&1 && return 0
  if command -v systemd-sysusers >/dev/null; then
    systemd-sysusers "$conf"
  else
    home="$(awk -v u="$1" '$1 == "u" && $2 == u { print $NF }' "$conf")"
    comment="$(sed -n 's/^u [^"]*"\([^"]*\)".*/\1/p' "$conf")"
    useradd --system --home-dir "$home" --no-create-home --shell /usr/sbin/nologin --comment "$comment" "$1"
    for group in $(awk -v u="$1" '$1 == "m" && $2 == u { print $3 }' "$conf"); do
      getent group "$group" >/dev/null || groupadd --system "$group"
      usermod -a -G "$group" "$1"
    done
  fi
  say "created the user $1"
}
system_user "$user"
if ((kiosk == 1)); then
  missing=()
  for package in cage chromium xwayland curl; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if ((${#missing[@]} > 0)); then
    say "installing the kiosk's Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  system_user moodbox-kiosk
fi
install_system_files "$prefix" "$kiosk"
# In /var/lib, which only root writes: no link of the service user's can stand in for it.
[[ ! -L "$state" ]] || die "$state is a link, not a folder: move it away and install again"
install -d -m 0750 -o "$user" -g "$user" "$state"
install -d -m 0755 "$etc"

# --- install: the configuration ----------------------------------------------------------------
cli=("$prefix/dist/daemon/cli.js")
if [[ -f "$config" ]]; then
  say "keeping the configuration in $config"
else
  [[ -n "$camera" ]] || camera="$(ask "Camera (a device such as /dev/video0, a stream URL, or none)" /dev/video0)"
  ((${#music[@]} > 0)) || music=("$(ask "Music folder" /srv/music)")
  [[ -n "$venue" ]] || venue="$(ask "Kind of place: business (café, shop, lobby) or home" business)"
  [[ -n "$host" ]] || host="$(ask "Serve the admin panel and guests' phones on the LAN (0.0.0.0) or on this box alone (127.0.0.1)" 0.0.0.0)"
  [[ -n "$language" ]] || language="$(ask "The kiosk's language (en, de, fr, es, it, pt, nl, or auto: the browser's)" auto)"
  args=(config init --out "$config" --camera "$camera" --venue "$venue" --host "$host" --language "$language")
  for folder in "${music[@]}"; do args+=(--music "$folder"); done
  node "${cli[@]}" "${args[@]}" >/dev/null || die "the answers above were refused; run again with other ones"
  chgrp "$user" "$config"
  say "wrote $config"
  for folder in "${music[@]}"; do
    if [[ ! -d "$folder" ]]; then
      install -d -m 0755 "$folder"
      say "made the music folder $folder: copy your music there (the library scans it at start and on request)"
    fi
  done
fi
unit="$(mktemp)"
printf 'prefix=%s\nhere=%s\nversion=%s\n' "$prefix" "$here" "$(node -p "require('$prefix/package.json').version")" >"$unit"
install_file "$unit" "$record" 0644
rm -f "$unit"

# --- install: check, then start ----------------------------------------------------------------
# The installed `moodbox` command: the service's user, node and settings.
doctor() { "$(command_path)" doctor; }
say "checking this machine as the service user (moodbox doctor)"
doctor || die "moodbox doctor found a problem (above, with how to fix it); fix it and run install again"
# Whatever happens next: how the owner reaches the box from its terminal.
commands="'moodbox doctor' checks this box and says the first-run code until the first admin is made; 'moodbox --help' lists the commands"

if ! has_systemd; then
  say "systemd is not running here: the service is installed but not started"
  say "$commands"
  say "done: start it by hand with: moodbox start"
  exit 0
fi
units=(moodbox.service)
if ((kiosk == 1)); then units+=(moodbox-kiosk.service moodbox-backlight.path); fi
systemctl daemon-reload
systemctl enable --quiet "${units[@]}"
if ((start == 0)); then
  say "$commands"
  say "done: ${units[*]} enabled; they start at the next boot (or now: systemctl start ${units[*]})"
  exit 0
fi
systemctl restart "${units[@]}"
# Where the daemon says it listens (a configuration kept from before may have had its port moved
# from the admin panel): scripts/listen-address.sh.
answers 60 || die "the service did not answer within 60 s: see journalctl -u moodbox"
read -r _ port _ < <(listen_address)
address="$(hostname -I 2>/dev/null | cut -d' ' -f1)"
say "Moodbox runs: the admin page is http://${address:-127.0.0.1}:$port/admin"
doctor | grep -E '^\[(ok|warn)\] admin:' -A1 || true
say "$commands"
say "done"
