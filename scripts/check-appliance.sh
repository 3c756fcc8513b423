#!/usr/bin/env bash
# The appliance's install and uninstall on this machine, checked: run as root in a fresh Debian
# root by `scripts/check-fresh-machine.sh install` (never on a machine that matters: it installs
# Moodbox in /opt/moodbox, adds the moodbox user, then takes it all off again).
#
#   1. `setup.sh install --no-start --yes --kiosk …`: the files, the users and their groups, the
#      modes, the kiosk's packages, the `moodbox` command on the PATH (systemd does not run here: the
#      units are installed, not started);
#   2. the same again: nothing changes;
#   3. the daemon as the service user from /opt/moodbox with the written configuration, until
#      /api/health answers, and `moodbox doctor` (the installed command, as root) says the first-run
#      code the daemon logged; then its port moved from the admin panel (an admin made with
#      `moodbox user add` signs in and saves server.port, the daemon restarts): it answers there
#      alone, says so in /run/moodbox/listen.json, and the configuration file still says 8080, so
#      that every update below must find the daemon where it says it listens;
#   4. `setup.sh update` with links the service user planted in its folder (`backups` to
#      /etc/systemd/system, the old record's names to a root file): stopped at the backup, every
#      target untouched, the old version started again; then to the next commit (whose unit
#      differs: installed with it) and back, then to a commit whose daemon cannot start: rolled
#      back to the version before, with its database and its unit, and `moodbox doctor` says why;
#      then to a commit that cannot start and spoils the copy the rollback would restore: the
#      restore fails, the version before is started all the same, and `moodbox doctor` says that
#      the database could not be put back, and how to;
#   5. `setup.sh uninstall`: the unit, rules, `moodbox` command and user gone, configuration and data kept;
#      `uninstall --purge`: those gone too.
#
# Every command of Moodbox's here goes through the installed `moodbox` command, run as root: it runs
# them as the service user, with the service's configuration and data folder.
#
# systemd does not run in such a root: for `update`, MOODBOX_SERVICE_RUNNER is a runner that does
# what moodbox.service would (makes the runtime folder /run/moodbox, starts
# `/opt/moodbox/dist/daemon/cli.js start` as the moodbox user with RUNTIME_DIRECTORY, stops it with
# SIGTERM and removes the folder).
set -euo pipefail

say() { printf '\033[1mappliance check:\033[0m %s\n' "$*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}
expect_mode() { # expect_mode PATH MODE OWNER:GROUP
  local got
  got="$(stat -c '%a %U:%G' "$1" 2>/dev/null)" || fail "$1 is missing"
  [[ "$got" == "$2 $3" ]] || fail "$1 is $got, expected $2 $3"
  say "$1: $got"
}
# What install leaves: the system's files with their times (none may be written again; folders by
# mode and owner, as their times follow any file made and removed in them), the program's files by
# content (a second run builds again, to the same bytes), the users.
snapshot() {
  find /etc/moodbox /etc/systemd/system/moodbox.service /etc/systemd/system/moodbox-kiosk.service \
    /etc/systemd/system/moodbox-backlight.service /etc/systemd/system/moodbox-backlight.path /usr/local/libexec/moodbox-backlight \
    /usr/local/libexec/moodbox-kiosk /etc/udev/rules.d/99-moodbox.rules /usr/lib/sysusers.d/moodbox.conf \
    /usr/lib/sysusers.d/moodbox-kiosk.conf /usr/local/bin/moodbox /var/lib/moodbox /srv/music \( -type f -printf '%p %m %u:%g %s %T@\n' \) -o -printf '%p %m %u:%g\n' 2>/dev/null | sort
  find /opt/moodbox/dist -type f ! -name .built -print0 | sort -z | xargs -0 sha256sum
  getent passwd moodbox moodbox-kiosk
  id moodbox
  id moodbox-kiosk
}

answers=(--no-start --yes --kiosk --camera none --music /srv/music --venue business --host 127.0.0.1 --language de)
say "1. scripts/setup.sh install ${answers[*]}"
scripts/setup.sh install "${answers[@]}"

[[ -f /opt/moodbox/dist/daemon/cli.js ]] || fail "no /opt/moodbox/dist/daemon/cli.js"
grep -q '^ExecStart=/usr/bin/node /opt/moodbox/dist/daemon/cli.js start$' /etc/systemd/system/moodbox.service ||
  fail "the unit does not start /opt/moodbox"
expect_mode /etc/systemd/system/moodbox.service 644 root:root
expect_mode /etc/udev/rules.d/99-moodbox.rules 644 root:root
expect_mode /usr/lib/sysusers.d/moodbox.conf 644 root:root
expect_mode /etc/moodbox/config.json 640 root:moodbox
expect_mode /var/lib/moodbox 750 moodbox:moodbox
expect_mode /etc/systemd/system/moodbox-kiosk.service 644 root:root
expect_mode /usr/lib/sysusers.d/moodbox-kiosk.conf 644 root:root
expect_mode /etc/systemd/system/moodbox-backlight.service 644 root:root
expect_mode /etc/systemd/system/moodbox-backlight.path 644 root:root
expect_mode /usr/local/libexec/moodbox-backlight 755 root:root
expect_mode /usr/local/libexec/moodbox-kiosk 755 root:root
expect_mode /usr/local/bin/moodbox 755 root:root
[[ "$(command -v moodbox)" == /usr/local/bin/moodbox ]] || fail "moodbox is not on the PATH: $(command -v moodbox || echo none)"
for setting in user=moodbox node=/usr/bin/node cli=/opt/moodbox/dist/daemon/cli.js '  MOODBOX_CONFIG=/etc/moodbox/config.json' \
  '  STATE_DIRECTORY=/var/lib/moodbox'; do
  grep -qxF -- "$setting" /usr/local/bin/moodbox ||
    fail "the moodbox command does not run Moodbox as the service does (no '$setting'): $(sed -n '/^# >>> /,/^# <<< /p' /usr/local/bin/moodbox)"
done
grep -q '^ExecStart=/usr/local/libexec/moodbox-kiosk /run/moodbox/listen.json /usr/bin/cage ' /etc/systemd/system/moodbox-kiosk.service ||
  fail "the kiosk unit does not start the screen through moodbox-kiosk"
for tool in cage chromium; do command -v "$tool" >/dev/null || fail "--kiosk did not install $tool"; done
[[ "$(getent passwd moodbox-kiosk | cut -d: -f6,7)" == /var/lib/moodbox-kiosk:*/nologin ]] ||
  fail "the kiosk's user is not as its sysusers file says: $(getent passwd moodbox-kiosk)"
id -nG moodbox-kiosk | tr ' ' '\n' | grep -qx video || fail "moodbox-kiosk is not in the group video"
expect_mode /srv/music 755 root:root
for group in video audio input plugdev; do
  id -nG moodbox | tr ' ' '\n' | grep -qx "$group" || fail "moodbox is not in the group $group"
done
say "moodbox: $(id moodbox)"
[[ "$(getent passwd moodbox | cut -d: -f7)" == */nologin ]] || fail "moodbox can log in: $(getent passwd moodbox)"
node -e '
  const c = require("/etc/moodbox/config.json");
  const ok = c.camera.enabled === false && c.library.folders[0] === "/srv/music" && c.site.kind === "business" &&
    c.site.language === "de" && c.server.host === "127.0.0.1";
  if (!ok) { console.error("unexpected configuration: " + JSON.stringify(c)); process.exit(1); }' ||
  fail "the configuration is not the answers"
grep -q '^prefix=/opt/moodbox$' /etc/moodbox/installed || fail "/etc/moodbox/installed does not name /opt/moodbox"

say "2. the same again: nothing may change"
snapshot >/tmp/appliance-before.txt
scripts/setup.sh install "${answers[@]}"
snapshot >/tmp/appliance-after.txt
diff /tmp/appliance-before.txt /tmp/appliance-after.txt >&2 || fail "a second install changed files, modes or the users (above)"
say "nothing changed"

say "3. the daemon as moodbox from /opt/moodbox, until /api/health answers"
runner=/usr/local/sbin/moodbox-check-runner
cat >"$runner" <<'RUNNER'
#!/usr/bin/env bash
# What moodbox.service does, where systemd does not run: start or stop the daemon as moodbox.
set -euo pipefail
pid=/run/moodbox-check.pid
case "$1" in
  start)
    # RuntimeDirectory=moodbox, RuntimeDirectoryMode=0755: made at the start, gone at the stop.
    install -d -m 0755 -o moodbox -g moodbox /run/moodbox
    setsid setpriv --reuid=moodbox --regid=moodbox --init-groups env MOODBOX_CONFIG=/etc/moodbox/config.json \
      STATE_DIRECTORY=/var/lib/moodbox RUNTIME_DIRECTORY=/run/moodbox HOME=/var/lib/moodbox NODE_ENV=production \
      node /opt/moodbox/dist/daemon/cli.js start >>/tmp/appliance-daemon.log 2>&1 </dev/null &
    echo $! >"$pid"
    ;;
  stop)
    if [[ -f "$pid" ]] && kill -0 "$(cat "$pid")" 2>/dev/null; then
      kill -TERM "$(cat "$pid")"
      for _ in $(seq 1 30); do kill -0 "$(cat "$pid")" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$pid"
    rm -rf /run/moodbox
    ;;
esac
RUNNER
chmod 0755 "$runner"
export MOODBOX_SERVICE_RUNNER="$runner"
# Where the daemon listens: the configuration's port until the admin panel moves it below.
port=8080
healthy() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}
# moodbox_cli ARGS...: the installed version's command, which runs as the service user.
moodbox_cli() { moodbox "$@"; }
"$runner" start
healthy || {
  tail -n 30 /tmp/appliance-daemon.log >&2
  fail "/api/health did not answer"
}
say "/api/health: $(curl -fsS "http://127.0.0.1:$port/api/health" | cut -c1-160)"
[[ "$(stat -c '%U' /var/lib/moodbox/moodbox.db)" == moodbox ]] || fail "the database is not the service user's"
grep -qx '{"host":"127.0.0.1","port":8080}' /run/moodbox/listen.json || fail "the daemon does not say where it listens: $(cat /run/moodbox/listen.json)"
expect_mode /run/moodbox/listen.json 644 moodbox:moodbox
# The first-run code, as an owner reads it on the box: the one the daemon drew and logged at its start.
logged_code="$(grep -o '"code":"[A-Z0-9]\{4\}-[A-Z0-9]\{4\}"' /tmp/appliance-daemon.log | tail -n 1 | cut -d'"' -f4)"
[[ -n "$logged_code" ]] || fail "the daemon logged no first-run code: $(tail -n 5 /tmp/appliance-daemon.log)"
doctor_out="$(moodbox_cli doctor || true)"
grep -qx "\[warn\] admin: no admin yet: first-run code $logged_code" <<<"$doctor_out" ||
  fail "moodbox doctor does not say the first-run code $logged_code: $doctor_out"
grep -q "fix: open http://127.0.0.1:$port/admin on this box" <<<"$doctor_out" || fail "moodbox doctor does not say where to use the code: $doctor_out"
say "moodbox doctor says the first-run code the daemon logged: $logged_code"

moved=8091
say "3b. the port moved from the admin panel to $moved, the daemon restarted"
curl -s -o /dev/null -m 2 "http://127.0.0.1:$moved/" && fail "something already answers on 127.0.0.1:$moved: stop it first"
passphrase="check-$(date +%s)-passphrase"
printf '%s\n' "$passphrase" | moodbox_cli user add check-admin --role admin >/dev/null || fail "the check's admin could not be made"
session="$(curl -fsS -c /tmp/appliance-cookies -H 'content-type: application/json' \
  -d "{\"name\":\"check-admin\",\"passphrase\":\"$passphrase\"}" "http://127.0.0.1:$port/api/admin/session")" ||
  fail "the check's admin could not sign in to the admin panel"
csrf="$(node -e 'console.log(JSON.parse(process.argv[1]).csrfToken)' "$session")"
curl -fsS -o /dev/null -b /tmp/appliance-cookies -X PUT -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
  -d "{\"overrides\":{\"server\":{\"port\":$moved}}}" "http://127.0.0.1:$port/api/admin/settings" ||
  fail "the admin panel did not save server.port"
rm -f /tmp/appliance-cookies
"$runner" stop
[[ ! -e /run/moodbox ]] || fail "the runtime folder outlived the daemon"
"$runner" start
port=$moved
healthy || {
  tail -n 30 /tmp/appliance-daemon.log >&2
  fail "the daemon does not answer on the port saved from the admin panel ($port)"
}
! curl -s -o /dev/null -m 2 http://127.0.0.1:8080/api/health || fail "the daemon still answers on 8080"
grep -qx "{\"host\":\"127.0.0.1\",\"port\":$port}" /run/moodbox/listen.json ||
  fail "the daemon does not say it listens on $port: $(cat /run/moodbox/listen.json)"
! grep -q "$port" /etc/moodbox/config.json || fail "the configuration file names $port: the updates below would not show that they follow the daemon"
say "the daemon answers on $port alone, as /run/moodbox/listen.json says; /etc/moodbox/config.json does not name it"

say "4. scripts/setup.sh update: to the next commit, back (from a tarball), and to one that cannot start"
first="$(git -C /opt/moodbox rev-parse HEAD)"
rm -rf /tmp/moodbox-next
git clone --quiet /opt/moodbox /tmp/moodbox-next
# The next version changes its unit: the update must install it, and going back must bring back the first's.
echo "# the next version" >>/tmp/moodbox-next/systemd/moodbox.service
git -C /tmp/moodbox-next -c user.name=check -c user.email=check@localhost commit --quiet -am "the next version"
next_unit() { grep -qx '# the next version' /etc/systemd/system/moodbox.service; }
# Links the service user plants in its own folder: root's update must follow none of them.
as_moodbox() { runuser -u moodbox -- "$@"; }
victim=/etc/moodbox-check-victim
printf 'precious\n' >"$victim"
chmod 0600 "$victim"
if [[ -e /var/lib/moodbox/backups ]]; then as_moodbox mv /var/lib/moodbox/backups /var/lib/moodbox/backups.kept; fi
as_moodbox ln -s /etc/systemd/system /var/lib/moodbox/backups
for name in last-update.json last-update.json.part; do as_moodbox ln -s "$victim" "/var/lib/moodbox/$name"; done
targets="$(stat -c '%n %a %U:%G' /etc/systemd/system "$victim")"
if scripts/setup.sh update --from /tmp/moodbox-next; then fail "an update whose backup would go through a planted link was not stopped"; fi
[[ "$(stat -c '%n %a %U:%G' /etc/systemd/system "$victim")" == "$targets" ]] ||
  fail "the update changed what the planted links point to: $(stat -c '%n %a %U:%G' /etc/systemd/system "$victim")"
[[ "$(cat "$victim")" == precious ]] || fail "the update wrote through a planted link: $(cat "$victim")"
[[ "$(git -C /opt/moodbox rev-parse HEAD)" == "$first" ]] || fail "the update stopped at the backup switched versions all the same"
healthy || fail "the version the update stopped to back up was not started again"
grep -q '"result":"failed"' /var/lib/moodbox-update/last-update.json || fail "the record does not say failed: $(cat /var/lib/moodbox-update/last-update.json)"
expect_mode /var/lib/moodbox-update 755 root:root
expect_mode /var/lib/moodbox-update/last-update.json 644 root:root
for name in last-update.json last-update.json.part; do [[ ! -L "/var/lib/moodbox/$name" ]] || fail "the old record's link $name is still there"; done
as_moodbox rm /var/lib/moodbox/backups
if [[ -e /var/lib/moodbox/backups.kept ]]; then as_moodbox mv /var/lib/moodbox/backups.kept /var/lib/moodbox/backups; fi
say "links planted in /var/lib/moodbox: the update stopped at the backup and started $first again, /etc/systemd/system and $victim untouched"
rm -f "$victim"
scripts/setup.sh update --from /tmp/moodbox-next
[[ "$(git -C /opt/moodbox rev-parse HEAD)" == "$(git -C /tmp/moodbox-next rev-parse HEAD)" ]] || fail "update did not bring the next commit"
next_unit || fail "update did not install the next version's unit"
[[ -d /opt/moodbox.previous ]] || fail "update did not keep the previous version"
grep -q '"result":"ok"' /var/lib/moodbox-update/last-update.json || fail "the update's record is not ok: $(cat /var/lib/moodbox-update/last-update.json)"
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" || fail "the next version does not answer on $port"
say "updated to $(git -C /opt/moodbox rev-parse --short HEAD); $(cat /var/lib/moodbox-update/last-update.json)"
# Back to the first, from a release tarball this time (no .git in it).
git archive --format=tar.gz --prefix=moodbox/ -o /tmp/moodbox-first.tar.gz "$first"
scripts/setup.sh update --from /tmp/moodbox-first.tar.gz
[[ ! -d /opt/moodbox/.git ]] && cmp -s /opt/moodbox/src/daemon/cli.ts src/daemon/cli.ts || fail "update did not bring the first version back from the tarball"
! next_unit || fail "update kept the next version's unit on the way back"
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" || fail "the first version, from the tarball, does not answer on $port"
say "back at the first version, from /tmp/moodbox-first.tar.gz"
# A marker in the database: the rollback must bring back the database from before the update.
marker="check-$(date +%s)"
moodbox_cli user add "$marker" --role member --no-pin >/dev/null
sed -i '1a throw new Error("this version cannot start (the update check");' /tmp/moodbox-next/src/daemon/cli.ts
git -C /tmp/moodbox-next -c user.name=check -c user.email=check@localhost commit --quiet -am "a version that cannot start"
if MOODBOX_UPDATE_WAIT_S=20 scripts/setup.sh update --from /tmp/moodbox-next; then fail "an update that cannot start was not refused"; fi
[[ ! -d /opt/moodbox/.git ]] && cmp -s /opt/moodbox/src/daemon/cli.ts src/daemon/cli.ts || fail "the rollback did not bring the first version back"
! next_unit || fail "the rollback kept the failed version's unit"
grep -q '"result":"rolled-back"' /var/lib/moodbox-update/last-update.json || fail "the record does not say rolled back: $(cat /var/lib/moodbox-update/last-update.json)"
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" || fail "the version rolled back to does not answer on $port"
grep -q "$marker" <<<"$(moodbox_cli user list --json)" || fail "the database rolled back to lost what was there before the update"
doctor_line="$(moodbox_cli doctor | grep -E '^\[(ok|warn)\] version:' || true)"
[[ "$doctor_line" == *"was rolled back"* ]] || fail "moodbox doctor does not say the update was rolled back: $doctor_line"
say "rolled back; moodbox doctor: $doctor_line"
# A version that cannot start and, before it fails, spoils the copy the rollback would restore (as
# the service user, whose files the copies are): the restore fails, and the version before must be
# started all the same, and say so.
sed -i "1a for (const name of (await import('node:fs')).readdirSync('/var/lib/moodbox/backups')) if (name.startsWith('before-update-')) (await import('node:fs')).writeFileSync('/var/lib/moodbox/backups/' + name, 'spoiled');" \
  /tmp/moodbox-next/src/daemon/cli.ts
git -C /tmp/moodbox-next -c user.name=check -c user.email=check@localhost commit --quiet -am "a version that cannot start and spoils the backup"
if MOODBOX_UPDATE_WAIT_S=20 scripts/setup.sh update --from /tmp/moodbox-next; then fail "an update that cannot start was not refused"; fi
[[ ! -d /opt/moodbox/.git ]] && cmp -s /opt/moodbox/src/daemon/cli.ts src/daemon/cli.ts || fail "the rollback with a failed restore did not bring the first version back"
! next_unit || fail "the rollback with a failed restore kept the failed version's unit"
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/health" || fail "the version rolled back to, with a failed restore, was not started (nothing answers on $port)"
grep -q '"result":"rolled-back"' /var/lib/moodbox-update/last-update.json ||
  fail "the record does not say rolled back: $(cat /var/lib/moodbox-update/last-update.json)"
grep -q '"restore":{"result":"failed","backup":"/var/lib/moodbox/backups/before-update-' /var/lib/moodbox-update/last-update.json ||
  fail "the record does not say the restore failed: $(cat /var/lib/moodbox-update/last-update.json)"
grep -q "$marker" <<<"$(moodbox_cli user list --json)" || fail "the database (as the failed version left it) lost what was there before the update"
doctor_out="$(moodbox_cli doctor || true)"
doctor_line="$(grep -E '^\[(ok|warn)\] version:' <<<"$doctor_out" || true)"
[[ "$doctor_line" == *"could not be put back"* ]] || fail "moodbox doctor does not say the database could not be put back: $doctor_line"
grep -q " restore /var/lib/moodbox/backups/before-update-" <<<"$doctor_out" || fail "moodbox doctor does not say how to put the copy back: $doctor_out"
say "rolled back with a failed restore, started all the same; moodbox doctor: $doctor_line"
"$runner" stop

say "5. scripts/setup.sh uninstall"
scripts/setup.sh uninstall
! id moodbox >/dev/null 2>&1 || fail "the user moodbox is still there"
! id moodbox-kiosk >/dev/null 2>&1 || fail "the user moodbox-kiosk is still there"
for gone in /etc/systemd/system/moodbox.service /etc/systemd/system/moodbox-kiosk.service /etc/udev/rules.d/99-moodbox.rules \
  /etc/systemd/system/moodbox-backlight.service /etc/systemd/system/moodbox-backlight.path /usr/local/libexec/moodbox-backlight \
  /usr/local/libexec/moodbox-kiosk /usr/lib/sysusers.d/moodbox.conf /usr/lib/sysusers.d/moodbox-kiosk.conf /usr/local/bin/moodbox \
  /opt/moodbox /opt/moodbox.previous /opt/moodbox.failed /var/lib/moodbox-update; do
  [[ ! -e "$gone" ]] || fail "$gone is still there"
done
[[ -f /etc/moodbox/config.json && -f /var/lib/moodbox/moodbox.db ]] || fail "uninstall did not keep the configuration and the data"
hash -r
! command -v moodbox >/dev/null || fail "a moodbox command is still on the PATH: $(command -v moodbox)"
say "removed the units, rules, the moodbox command, users and /opt/moodbox; kept /etc/moodbox and /var/lib/moodbox"
scripts/setup.sh uninstall --purge
[[ ! -e /etc/moodbox && ! -e /var/lib/moodbox ]] || fail "uninstall --purge kept the configuration or the data"
say "uninstall --purge removed /etc/moodbox and /var/lib/moodbox"
say "all checks passed"
