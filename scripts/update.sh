#!/usr/bin/env bash
# Brings an installed Moodbox appliance (`setup.sh install`) to a new version, safely. As root:
#
#   sudo scripts/setup.sh update                 the version committed in the clone it runs from
#   sudo scripts/setup.sh update --from SOURCE   a git repository (its HEAD) or a release tarball (.tar.gz)
#
# 1. fetches the new version into PREFIX.next and builds it there while the old one plays on
#    (node_modules is reused when package-lock.json is unchanged);
# 2. backs up the database (`moodbox backup`, consistent while the daemon runs);
# 3. stops the service, moves the old version to PREFIX.previous and the new one in, installs its
#    units, udev rules and backlight helper (scripts/system-files.sh), starts it;
# 4. waits up to 60 s (MOODBOX_UPDATE_WAIT_S) for /api/health. When it does not answer, it rolls
#    back: the previous version (with its units) and the database from step 2, started again, and
#    says why.
#
# The result goes to /var/lib/moodbox-update/last-update.json, which `moodbox doctor` and the Health
# card show. Where systemd does not run (a build root), MOODBOX_SERVICE_RUNNER names a program that
# takes `start` or `stop` and does what the unit would.
#
# Root never acts inside the service user's folder (/var/lib/moodbox): a link planted there would
# take root anywhere. What the update does there (the database's backup, its restore) is done as
# that user, who can reach no more through a link than without one; the update's own records live
# in a folder of root's.
#
# Sourced (`source scripts/update.sh`), it only defines its steps, for a test to run them against a
# scratch state folder; run, it is read whole before it acts (main), as the folder it comes from may
# be the one this update moves.
set -euo pipefail

say() { printf '\033[1mmoodbox update:\033[0m %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/system-files.sh
source "$repo/scripts/system-files.sh"

record=/etc/moodbox/installed
config=/etc/moodbox/config.json
# The service user's folder: the database and its backups.
state=/var/lib/moodbox
user=moodbox
# The update's own records, in a folder of root's (0755) that the daemon reads and cannot write.
updates=/var/lib/moodbox-update
wait_s="${MOODBOX_UPDATE_WAIT_S:-60}"

version_of() { # version_of DIR: the package version and the commit, if it is a git clone
  local v
  v="$(node -p "require('$1/package.json').version" 2>/dev/null || echo unknown)"
  if [[ -d "$1/.git" ]]; then v="$v ($(git -C "$1" rev-parse --short HEAD))"; fi
  echo "$v"
}
service() { # service start|stop
  if [[ -d /run/systemd/system ]]; then
    systemctl "$1" moodbox.service
  elif [[ -n "${MOODBOX_SERVICE_RUNNER:-}" ]]; then
    "$MOODBOX_SERVICE_RUNNER" "$1"
  else
    die "systemd is not running and no MOODBOX_SERVICE_RUNNER is given: cannot $1 the service"
  fi
}
answers() {
  for _ in $(seq 1 "$wait_s"); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}
as_user() { # as_user COMMAND...: as the service user, for anything inside its folder
  runuser -u "$user" -- "$@"
}
cli() { # cli DIR ARGS...: moodbox of that version, as the service user
  local dir="$1"
  shift
  as_user env MOODBOX_CONFIG="$config" STATE_DIRECTORY="$state" HOME="$state" node "$dir/dist/daemon/cli.js" "$@"
}
back_up_database() { # back_up_database DIR: the database copied by the version in DIR; its path in $backup ("" when none)
  backup=""
  id -u "$user" >/dev/null || return 1
  as_user test -f "$state/moodbox.db" || return 0
  backup="$state/backups/before-update-$(date -u +%Y%m%dT%H%M%SZ).db"
  say "backing up the database to $backup"
  # As the service user, who makes the folder if it is missing (0700): never root, whom a link
  # planted as `backups` would lead to hand any folder to that user.
  cli "$1" backup "$backup" >/dev/null
}
remember() { # remember RESULT FROM TO REASON: the update's record, in root's own folder
  [[ ! -L "$updates" ]] || die "$updates is a link, not a folder: remove it and update again"
  install -d -m 0755 -o root -g root "$updates"
  RESULT="$1" FROM="$2" TO="$3" REASON="$4" node -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const e = process.env;
    const part = file + ".part";
    fs.rmSync(part, { force: true });
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    const fd = fs.openSync(part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    fs.writeSync(fd, JSON.stringify({ at: new Date().toISOString(), result: e.RESULT, from: e.FROM, to: e.TO, reason: e.REASON }) + "\n");
    fs.closeSync(fd);
    fs.renameSync(part, file);' "$updates/last-update.json"
  # Where versions before this one kept it: the service user's to write, so never read again.
  as_user rm -f "$state/last-update.json" "$state/last-update.json.part" 2>/dev/null || true
}

main() {
  [[ $EUID -eq 0 ]] || die "needs root: run it with sudo"
  source="$repo"
  while (($# > 0)); do
    case "$1" in
      --from)
        source="${2:?--from needs a git repository or a .tar.gz}"
        shift
        ;;
      *) die "unknown option $1 (update takes --from SOURCE)" ;;
    esac
    shift
  done
  [[ -f "$record" ]] || die "Moodbox is not installed here (no $record): run 'setup.sh install' first"
  prefix="$(sed -n 's/^prefix=//p' "$record")"
  [[ "$(sed -n 's/^here=//p' "$record")" != 1 ]] ||
    die "this Moodbox runs where it was cloned (--here): update it with git pull and 'scripts/setup.sh build', then restart it"
  next="$prefix.next"
  previous="$prefix.previous"
  port="$(node -e "const c = require('$config'); console.log((c.server && c.server.port) || 8080)")"

  # --- 1. fetch and build beside the running version -------------------------------------------
  rm -rf "$next"
  if [[ -f "$source" && "$source" == *.tar.gz ]]; then
    say "unpacking $source into $next"
    mkdir -p "$next"
    tar -xzf "$source" -C "$next"
    # A tarball of one folder (moodbox-1.2.0/…): its contents.
    mapfile -t top < <(ls -A "$next")
    if ((${#top[@]} == 1)) && [[ -d "$next/${top[0]}" ]]; then
      mv "$next/${top[0]}" "$next.tmp" && rmdir "$next" && mv "$next.tmp" "$next"
    fi
  elif git -C "$source" rev-parse --git-dir >/dev/null 2>&1; then
    say "fetching $(git -C "$source" rev-parse --short HEAD) from $source into $next"
    git clone --quiet --no-hardlinks "$source" "$next"
  else
    die "$source is neither a git repository nor a .tar.gz"
  fi
  [[ -f "$next/package.json" && -x "$next/scripts/setup.sh" ]] || die "$source does not hold Moodbox (no package.json or scripts/setup.sh)"
  from="$(version_of "$prefix")"
  to="$(version_of "$next")"
  if [[ -d "$prefix/.git" && -d "$next/.git" && "$(git -C "$prefix" rev-parse HEAD)" == "$(git -C "$next" rev-parse HEAD)" ]]; then
    rm -rf "$next"
    say "already at $from: nothing to do"
    exit 0
  fi
  if cmp -s "$prefix/package-lock.json" "$next/package-lock.json" && [[ -d "$prefix/node_modules" ]]; then
    say "the npm packages are unchanged: reusing them"
    cp -a "$prefix/node_modules" "$next/"
  fi
  if [[ -d "$prefix/demo/library" ]]; then cp -a "$prefix/demo/library" "$next/demo/"; fi
  say "building $to beside the running $from"
  if ! "$next/scripts/setup.sh" build; then
    rm -rf "$next"
    remember failed "$from" "$to" "the new version did not build; the running one was left alone"
    die "the new version did not build (above); $from runs on, untouched"
  fi

  # --- 2. back up the database -----------------------------------------------------------------
  if ! back_up_database "$prefix"; then
    rm -rf "$next"
    remember failed "$from" "$to" "the database could not be backed up to $backup; the running version was left alone"
    die "the database could not be backed up (above); $from runs on, untouched"
  fi

  # --- 3. switch -------------------------------------------------------------------------------
  say "switching from $from to $to"
  service stop
  rm -rf "$previous"
  mv "$prefix" "$previous"
  mv "$next" "$prefix"
  # The new version's units, rules and helper (a unit it changed takes effect with this start).
  kiosk=0
  if has_kiosk; then kiosk=1; fi
  install_system_files "$prefix" "$kiosk"
  # A unit that fails at start makes `systemctl start` fail: the health check below decides.
  service start || true

  # --- 4. healthy, or back ---------------------------------------------------------------------
  if answers; then
    remember ok "$from" "$to" ""
    say "done: $to answers (the previous version is kept in $previous)"
    exit 0
  fi
  reason="$to did not answer /api/health within $wait_s s"
  if [[ -d /run/systemd/system ]]; then
    last="$(journalctl -u moodbox.service -n 3 --no-pager -o cat 2>/dev/null | tr '\n' ' ' | cut -c1-300)"
    [[ -z "$last" ]] || reason="$reason; its last words: $last"
  fi
  say "$reason: rolling back to $from"
  service stop || true
  rm -rf "$prefix.failed"
  mv "$prefix" "$prefix.failed"
  mv "$previous" "$prefix"
  install_system_files "$prefix" "$kiosk"
  if [[ -n "$backup" ]]; then
    say "putting back the database from $backup"
    cli "$prefix" restore "$backup" >/dev/null
  fi
  service start || true
  if answers; then
    remember rolled-back "$from" "$to" "$reason"
    die "rolled back: $from answers again, with the database as it was before the update (the failed version is in $prefix.failed)"
  fi
  remember failed "$from" "$to" "$reason; $from did not answer after the rollback either"
  die "$from did not answer after the rollback either: see journalctl -u moodbox"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
