import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * mpv's per-file option that marks an entry Moodbox loaded itself (checked before it was picked),
 * and whether it is a YouTube entry. Entries that its playlist (`.m3u`, `.pls`, a YouTube
 * playlist) adds do not carry it: mpv does not pass per-file options on to them.
 */
export function ownEntryOption(kind: 'station' | 'youtube'): string {
  return `script-opts-append=moodbox_guard-own=${kind}`;
}

/**
 * A Lua script for mpv that holds a station's playlist entries to the rules of stations: only
 * `http`/`https` (no `rtmp://`, `smb://`, …; `ytdl://` only in the playlist of a YouTube entry,
 * which Moodbox plays only where YouTube is allowed, so no radio playlist hands a URL to yt-dlp),
 * and no address of the box or its networks unless `moodbox_guard-private=yes`. It runs on each
 * entry before mpv opens it, ahead of mpv's ytdl hook (priority 10), and turns a refused entry
 * into one that fails to open, which the player counts as a dead entry of the playlist. A name is
 * not resolved here: a playlist entry that names a LAN host by name is not caught.
 */
export const STATION_GUARD_LUA = String.raw`
local function private_v4(a, b)
  return a == 0 or a == 10 or a == 127 or (a == 100 and b >= 64 and b <= 127) or (a == 169 and b == 254)
    or (a == 172 and b >= 16 and b <= 31) or (a == 192 and b == 168) or a >= 224
end

local function is_private(host)
  host = host:lower()
  if host == "localhost" or host:sub(-10) == ".localhost" then return true end
  local v6 = host:match("^%[(.*)%]$")
  if v6 then
    local mapped = v6:match("^::ffff:(%d+%.%d+%.%d+%.%d+)$")
    if mapped then host = mapped
    else
      return v6 == "::1" or v6 == "::" or v6:match("^f[cd]") ~= nil or v6:match("^fe[89ab]") ~= nil or v6:match("^ff") ~= nil
    end
  end
  local a, b, c, d = host:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if a then return private_v4(tonumber(a), tonumber(b)) end
  -- Another spelling of an IP address (0x7f000001, 2130706433, 127.1): refused whatever it names.
  if host:match("^[%dx.a-f]+$") and host:match("^[%d.]") then return true end
  return false
end

-- The entry Moodbox loaded last: the playlist entries that follow are its own.
local parent = nil

mp.add_hook("on_load", 5, function()
  local opts = mp.get_property_native("script-opts") or {}
  local own = opts["moodbox_guard-own"]
  if own ~= nil then
    parent = own
    return
  end
  local url = mp.get_property("stream-open-filename", "")
  local scheme, rest = url:match("^(%a[%w+.-]*)://(.*)$")
  if scheme == nil then return end
  scheme = scheme:lower()
  local why = nil
  if scheme == "ytdl" and parent == "youtube" then return end
  if scheme ~= "http" and scheme ~= "https" then
    why = scheme .. " entries are not played from a station's playlist"
  elseif opts["moodbox_guard-private"] ~= "yes" then
    local host = rest:match("^([^/?#]*)"):gsub("^.*@", "")
    host = host:match("^(%[.*%])") or host:gsub(":%d*$", "")
    if is_private(host) then why = "an address of this box or its local network" end
  end
  if why then
    mp.msg.warn("refused a playlist entry: " .. why)
    mp.set_property("stream-open-filename", "moodbox-refused://entry")
  end
end)
`;

/** Writes the guard into a new private folder; returns its path and how to remove it. */
export function writeStationGuard(): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-mpv-guard-'));
  const path = join(dir, 'station-guard.lua');
  writeFileSync(path, STATION_GUARD_LUA, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
