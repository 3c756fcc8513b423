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
 * and no address of the box or its networks unless `moodbox_guard-private=yes`. Addresses are
 * compared as numbers: every IPv6 spelling (`[0::1]`, `[::0:1]`, `[0:0:0:0:0:0:0:1]`), an IPv4
 * address inside IPv6 (`[::ffff:7f00:1]`, NAT64, 6to4), and the box's own addresses
 * (`moodbox_guard-box`: each as 32 hex digits of its IPv6 or IPv4-mapped form, `;` between them).
 * It runs on each entry before mpv opens it, ahead of mpv's ytdl hook (priority 10), and turns a
 * refused entry into one that fails to open, which the player counts as a dead entry of the
 * playlist. A name is not resolved here: a playlist entry that names a LAN host by name is not
 * caught. mpv follows no redirect (`max_redirects=0`) while this guard holds private addresses.
 */
export const STATION_GUARD_LUA = String.raw`
local function private_v4(a, b, c)
  return a == 0 or a == 10 or a == 127 or (a == 100 and b >= 64 and b <= 127) or (a == 169 and b == 254)
    or (a == 172 and b >= 16 and b <= 31) or (a == 192 and b == 168) or (a == 192 and b == 0 and c == 0)
    or (a == 198 and (b == 18 or b == 19)) or a >= 224
end

local function v4_bytes(host)
  local a, b, c, d = host:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return nil end
  a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
  if a > 255 or b > 255 or c > 255 or d > 255 then return nil end
  return { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, a, b, c, d }
end

-- An IPv6 literal as 16 numbers, or nil when it is not one.
local function v6_bytes(text)
  text = text:lower():gsub("%%.*$", "")
  local pre, a, b, c, d = text:match("^(.*:)(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if pre then
    a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
    if a > 255 or b > 255 or c > 255 or d > 255 then return nil end
    text = pre .. string.format("%x:%x", a * 256 + b, c * 256 + d)
  end
  if not text:match("^[%x:]+$") then return nil end
  local function split(part, out)
    if part == "" then return true end
    for group in (part .. ":"):gmatch("([^:]*):") do
      if group == "" or #group > 4 then return false end
      out[#out + 1] = tonumber(group, 16)
    end
    return true
  end
  local left, right = {}, {}
  local head, tail = text:match("^(.-)::(.*)$")
  if head then
    if tail:find("::", 1, true) or not split(head, left) or not split(tail, right) or #left + #right > 7 then return nil end
  elseif not split(text, left) or #left ~= 8 then
    return nil
  end
  local groups = {}
  for _, g in ipairs(left) do groups[#groups + 1] = g end
  for _ = 1, 8 - #left - #right do groups[#groups + 1] = 0 end
  for _, g in ipairs(right) do groups[#groups + 1] = g end
  local bytes = {}
  for _, g in ipairs(groups) do
    bytes[#bytes + 1] = math.floor(g / 256)
    bytes[#bytes + 1] = g % 256
  end
  return bytes
end

local function hex(bytes)
  local out = {}
  for i, byte in ipairs(bytes) do out[i] = string.format("%02x", byte) end
  return table.concat(out)
end

local function zero(bytes, from, to)
  for i = from, to do if bytes[i] ~= 0 then return false end end
  return true
end

local function is_private(host, box)
  host = host:lower()
  if host == "localhost" or host:sub(-10) == ".localhost" then return true end
  local bytes
  local v6 = host:match("^%[(.*)%]$")
  if v6 then
    bytes = v6_bytes(v6)
    -- An IPv6 literal this guard cannot read: refused whatever it names.
    if not bytes then return true end
  else
    bytes = v4_bytes(host)
    if not bytes then
      -- Another spelling of an IP address (0x7f000001, 2130706433, 127.1): refused whatever it names.
      if host:match("^[%dx.a-f]+$") and host:match("^[%d.]") then return true end
      return false
    end
  end
  if box[hex(bytes)] then return true end
  -- An IPv4 address inside IPv6: IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16).
  local v4 = nil
  if zero(bytes, 1, 10) and bytes[11] == 255 and bytes[12] == 255 then v4 = { bytes[13], bytes[14], bytes[15], bytes[16] }
  elseif bytes[1] == 0 and bytes[2] == 0x64 and bytes[3] == 0xff and bytes[4] == 0x9b and zero(bytes, 5, 12) then
    v4 = { bytes[13], bytes[14], bytes[15], bytes[16] }
  elseif bytes[1] == 0x20 and bytes[2] == 0x02 then v4 = { bytes[3], bytes[4], bytes[5], bytes[6] } end
  if v4 then
    if box[hex({ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, v4[1], v4[2], v4[3], v4[4] })] then return true end
    return private_v4(v4[1], v4[2], v4[3])
  end
  -- ::/96: unspecified, loopback and the old IPv4-compatible form; unique local, link- and site-local, multicast.
  return zero(bytes, 1, 12) or bytes[1] == 0xfc or bytes[1] == 0xfd or (bytes[1] == 0xfe and bytes[2] >= 0x80) or bytes[1] == 0xff
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
    local box = {}
    for address in (opts["moodbox_guard-box"] or ""):gmatch("[%x]+") do box[address:lower()] = true end
    if is_private(host, box) then why = "an address of this box or its local network" end
  end
  if why then
    mp.msg.warn("refused a playlist entry: " .. why)
    mp.set_property("stream-open-filename", "moodbox-refused://entry")
  end
end)
`;

/** The box's own addresses as the guard reads them (`moodbox_guard-box`): 32 hex digits each, `;` between. */
export function guardBoxAddresses(addresses: readonly Uint8Array[]): string {
  return addresses.map((bytes) => Buffer.from(bytes).toString('hex')).join(';');
}

/** Writes the guard into a new private folder; returns its path and how to remove it. */
export function writeStationGuard(): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-mpv-guard-'));
  const path = join(dir, 'station-guard.lua');
  writeFileSync(path, STATION_GUARD_LUA, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
