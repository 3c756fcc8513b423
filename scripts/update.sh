#!/usr/bin/env bash
# Brings an installed Moodbox appliance (`setup.sh install`) to a new version, safely. As root:
#
#   sudo scripts/setup.sh update                 the version committed in the clone it runs from
#   sudo scripts/setup.sh update --from SOURCE   a git repository (its HEAD) or a release tarball (.tar.gz)
#
# 1. fetches the new version into PREFIX.next and builds it there while the old one plays on
#    (node_modules is reused when package-lock.json is unchanged);
# 2. stops the service, then backs up the database (`moodbox backup`): taken after the stop, the
#    copy holds every write and no play left open. When it fails, the old version starts again,
#    untouched;
# 3. moves the old version to PREFIX.previous and the new one in, installs its units, udev rules
#    and helpers (scripts/system-files.sh), starts it;
# 4. waits up to 60 s (MOODBOX_UPDATE_WAIT_S) for /api/health, where the daemon says it listens
#    (scripts/listen-address.sh: the admin panel may have moved it off the configuration file's
#    port). When it does not answer, it rolls back: the previous version with its units (those the
#    new one added are removed), the database from step 2, started again, and says why. Whatever
#    fails on the way back (the database's restore, say), the previous version is started, and the
#    record says what failed.
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
# scratch state folder (and scratch system folders: see system-files.sh); run, it is read whole
# before it acts (main), as the folder it comes from may be the one this update moves.
set -euo pipefail

say() { printf '\033[1mmoodbox update:\033[0m %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/system-files.sh
source "$repo/scripts/system-files.sh"
# shellcheck source=scripts/listen-address.sh
source "$repo/scripts/listen-address.sh"

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
  if has_systemd; then
    systemctl "$1" moodbox.service
  elif [[ -n "${MOODBOX_SERVICE_RUNNER:-}" ]]; then
    "$MOODBOX_SERVICE_RUNNER" "$1"
  else
    die "systemd is not running and no MOODBOX_SERVICE_RUNNER is given: cannot $1 the service"
  fi
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
stop_and_back_up() { # stop_and_back_up DIR: the running version stopped, then its database copied by the version in DIR
  # After the stop: nothing is written after the copy, and the daemon closed the play it had open.
  # When the service does not stop or the copy fails, the version is started again (return 1).
  if ! service stop; then
    backup=""
    say "the service did not stop"
    service start || true
    return 1
  fi
  if back_up_database "$1"; then return 0; fi
  service start || true
  return 1
}
remember() { # remember RESULT FROM TO REASON [BACKUP RESTORE_ERROR]: the update's record, in root's own folder
  # With BACKUP and RESTORE_ERROR: a rollback's restore of BACKUP failed so (moodbox doctor says what to do).
  [[ ! -L "$updates" ]] || die "$updates is a link, not a folder: remove it and update again"
  install -d -m 0755 -o root -g root "$updates"
  RESULT="$1" FROM="$2" TO="$3" REASON="$4" BACKUP="${5:-}" RESTORE_ERROR="${6:-}" node -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const e = process.env;
    const part = file + ".part";
    fs.rmSync(part, { force: true });
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    const fd = fs.openSync(part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    const record = { at: new Date().toISOString(), result: e.RESULT, from: e.FROM, to: e.TO, reason: e.REASON };
    if (e.RESTORE_ERROR !== "") record.restore = { result: "failed", backup: e.BACKUP, error: e.RESTORE_ERROR };
    fs.writeSync(fd, JSON.stringify(record) + "\n");
    fs.closeSync(fd);
    fs.renameSync(part, file);' "$updates/last-update.json"
  # Where versions before this one kept it: the service user's to write, so never read again.
  as_user rm -f "$state/last-update.json" "$state/last-update.json.part" 2>/dev/null || true
}
remove_added_system_files() { # remove_added_system_files BEFORE: the system's files of Moodbox that BEFORE (system_files before the switch) lacks
  local path removed=0
  while IFS= read -r path; do
    if grep -Fxq -- "$path" <<<"$1"; then continue; fi
    case "$path" in
      "$units_dir"/*.service | "$units_dir"/*.path | "$units_dir"/*.timer | "$units_dir"/*.socket)
        if has_systemd; then systemctl disable --now "$(basename "$path")" >/dev/null 2>&1 || true; fi
        ;;
    esac
    rm -rf -- "$path"
    say "removed $path, which $to added"
    removed=1
  done < <(system_files)
  if ((removed == 1)) && has_systemd; then systemctl daemon-reload || true; fi
}
roll_back() { # roll_back REASON: back to the previous version; exits 1
  # Uses what main set: prefix, previous, from, to, kiosk, backup (the copy from step 2, "" when
  # none) and system_before (system_files before the switch). Each step that fails is said and
  # recorded, and the next is tried: the previous version is started whatever happened before.
  local reason="$1" problems=() restore_error=""
  say "$reason: rolling back to $from"
  service stop || problems+=("$to did not stop")
  if [[ ! -d "$previous" ]]; then
    problems+=("the previous version is missing ($previous)")
  elif ! { rm -rf "$prefix.failed" && { [[ ! -e "$prefix" ]] || mv "$prefix" "$prefix.failed"; } && mv "$previous" "$prefix"; }; then
    problems+=("$previous could not be moved back to $prefix")
  fi
  remove_added_system_files "$system_before" || problems+=("the files $to added could not all be removed")
  install_system_files "$prefix" "$kiosk" || problems+=("the previous version's units could not all be put back")
  if [[ -n "$backup" ]]; then
    say "putting back the database from $backup"
    if ! restore_error="$(cli "$prefix" restore "$backup" 2>&1 >/dev/null)"; then
      restore_error="$(printf '%s' "$restore_error" | tr -s '\n' ' ' | sed 's/ *$//' | cut -c1-300)"
      restore_error="${restore_error:-moodbox restore failed}"
      say "the database could not be put back: $restore_error"
      problems+=("the database from before the update could not be put back from $backup ($restore_error): it is as $to left it")
    else
      restore_error=""
    fi
  fi
  service start || true
  if ((${#problems[@]} > 0)); then reason="$reason; $(printf '%s; ' "${problems[@]}" | sed 's/; $//')"; fi
  if answers "$wait_s"; then
    remember rolled-back "$from" "$to" "$reason" "$backup" "$restore_error"
    if [[ -n "$restore_error" ]]; then
      die "rolled back: $from answers again, but the database from before the update could not be put back ($restore_error); the copy is kept in $backup (moodbox doctor says what to do)"
    fi
    die "rolled back: $from answers again, with the database as it was before the update (the failed version is in $prefix.failed)"
  fi
  remember failed "$from" "$to" "$reason; $from did not answer after the rollback either" "$backup" "$restore_error"
  die "$from did not answer after the rollback either: see journalctl -u moodbox"
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

  # --- 2. stop, then back up the database ---------------------------------------------------------
  say "stopping $from to back up its database"
  if ! stop_and_back_up "$prefix"; then
    rm -rf "$next"
    remember failed "$from" "$to" "the database could not be backed up${backup:+ to $backup}; $from was started again, untouched"
    die "the database could not be backed up (above); $from was started again, untouched"
  fi

  # --- 3. switch -------------------------------------------------------------------------------
  say "switching from $from to $to"
  # What lies outside the program's folder now, so that a rollback removes what the new version adds.
  kiosk=0
  if has_kiosk; then kiosk=1; fi
  system_before="$(system_files)"
  rm -rf "$previous" || true
  if ! mv "$prefix" "$previous"; then
    rm -rf "$next"
    service start || true
    remember failed "$from" "$to" "$prefix could not be moved aside; $from was started again, untouched"
    die "$prefix could not be moved aside (above); $from was started again, untouched"
  fi
  if ! mv "$next" "$prefix"; then roll_back "$next could not be moved to $prefix"; fi
  # The new version's units, rules and helpers (a unit it changed takes effect with this start).
  # One that cannot be installed, or a unit that fails at start (`systemctl start` fails): the
  # health check below decides.
  install_system_files "$prefix" "$kiosk" || say "the units of $to could not all be installed"
  service start || true

  # --- 4. healthy, or back ---------------------------------------------------------------------
  if answers "$wait_s"; then
    remember ok "$from" "$to" ""
    say "done: $to answers (the previous version is kept in $previous)"
    exit 0
  fi
  reason="$to did not answer /api/health within $wait_s s"
  if has_systemd; then
    last="$(journalctl -u moodbox.service -n 3 --no-pager -o cat 2>/dev/null | tr '\n' ' ' | cut -c1-300)"
    [[ -z "$last" ]] || reason="$reason; its last words: $last"
  fi
  roll_back "$reason"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
