import { afterEach, describe, expect, it } from 'vitest';
import { PlayerError } from '../errors.js';
import { StationGate } from '../mpv/station-gate.js';
import { icyStream, redirectTo, type TestStream } from '../testing/stream-servers.js';
import { parseStationsFile } from './stations-file.js';
import { addressBytes, isPrivateAddress, privateAddressRefusal, vetStationUrl, type StationAddressCheck } from './stream-address.js';
import { isStreamUri, mpvFileOptions, mpvUrl, parseStreamUrl, streamKind } from './stream-url.js';

describe('stream URLs', () => {
  it('takes http and https URLs, and names the field of anything else', () => {
    expect(parseStreamUrl(' https://radio.example/live.mp3 ')).toBe('https://radio.example/live.mp3');
    expect(() => parseStreamUrl('rtsp://radio.example/live', 'stream')).toThrow('`stream`: expected an http or https URL, got `rtsp`');
    expect(() => parseStreamUrl('/music/a.flac')).toThrow('`url`: expected an http or https URL, got `/music/a.flac` (not a URL)');
    expect(() => parseStreamUrl(undefined)).toThrow('`url`: expected an http or https URL, got nothing');
  });

  it('knows radio, playlists, HLS and YouTube apart', () => {
    expect(streamKind('http://radio.example:8000/stream')).toBe('radio');
    expect(streamKind('https://radio.example/listen.pls')).toBe('playlist');
    expect(streamKind('https://radio.example/listen.M3U')).toBe('playlist');
    expect(streamKind('https://cdn.example/live/master.m3u8')).toBe('hls');
    expect(streamKind('https://music.youtube.com/playlist?list=x')).toBe('youtube');
    expect(streamKind('https://youtu.be/abc')).toBe('youtube');
    expect(streamKind('https://notyoutube.com/watch?v=abc')).toBe('radio');
  });

  it('gives mpv a network timeout for streams and the ytdl hook for YouTube alone', () => {
    expect(mpvFileOptions('/music/a.flac')).toBeUndefined();
    expect(isStreamUri('/music/http://a.flac')).toBe(false);
    // Marked as chosen by Moodbox, so that mpv's station guard holds only what their playlists add.
    expect(mpvFileOptions('http://radio.example/live', { timeoutS: 3 })).toBe(
      'network-timeout=3,script-opts-append=moodbox_guard-own=station',
    );
    expect(mpvFileOptions('https://www.youtube.com/watch?v=abc')).toBe(
      'network-timeout=10,ytdl=yes,script-opts-append=moodbox_guard-own=youtube',
    );
    expect(mpvUrl('https://www.youtube.com/watch?v=abc')).toBe('ytdl://https://www.youtube.com/watch?v=abc');
    expect(mpvUrl('https://radio.example/live')).toBe('https://radio.example/live');
  });
});

describe('stations file', () => {
  it('reads stations with their moods and genre, skipping comments', () => {
    const { stations, invalid } = parseStationsFile(
      '# name,url,moods\nname,url,moods,genre\n"Café, Paris",https://radio.example/cafe,calm:0.8;mellow,jazz\n',
    );
    expect(invalid).toEqual([]);
    expect(stations).toEqual([
      {
        line: 3,
        name: 'Café, Paris',
        url: 'https://radio.example/cafe',
        genre: 'jazz',
        moods: [
          { mood: 'mellow', weight: 1, origin: 'sidecar' },
          { mood: 'calm', weight: 0.8, origin: 'sidecar' },
        ],
      },
    ]);
  });

  it('names each bad line and the field at fault', () => {
    const { stations, invalid } = parseStationsFile(
      'name,url,moods\nA,https://a.example/x,calm\nB,https://a.example/x,calm\nC,mailto:c@example.com,calm\nD,https://d.example/,sleepy-ish:3\nE,"https://e.example/,calm\n',
    );
    expect(stations.map((s) => s.name)).toEqual(['A']);
    expect(invalid).toEqual([
      { line: 3, message: '`url`: already listed on line 2' },
      { line: 4, message: expect.stringMatching(/^`url`: expected an http or https URL, got `mailto`/) as string },
      { line: 5, message: expect.stringMatching(/^`moods`: /) as string },
      { line: 6, message: 'a quoted field is not closed: the lines after it cannot be read' },
    ]);
  });

  it('says which columns a file without the header lacks', () => {
    expect(parseStationsFile('Radio,https://a.example/x,calm\n').invalid).toEqual([
      {
        line: 1,
        message: 'Expected a header with the columns name,url,moods (missing name, url, moods), got `radio,https://a.example/x,calm`',
      },
    ]);
  });
});

describe('station addresses', () => {
  // Issue 42, item 5: addresses are compared as numbers, in every spelling, with the box's own.
  it('knows the loopback, the LAN and the box itself in every spelling of an address', async () => {
    const own = [addressBytes('203.0.113.7') as Uint8Array, addressBytes('2001:db8::7') as Uint8Array];
    for (const ip of [
      '127.0.0.1',
      '::1',
      '[0:0:0:0:0:0:0:1]',
      '0::1',
      '::0:1',
      '0000::0001',
      '::',
      '::ffff:7f00:1',
      '::ffff:127.0.0.1',
      '::FFFF:10.1.2.3',
      '64:ff9b::7f00:1',
      '2002:c0a8:0101::1',
      'fe80::1%eth0',
      'fd12::1',
      '203.0.113.7',
      '::ffff:203.0.113.7',
      '2001:DB8:0:0::7',
    ]) {
      expect([ip, isPrivateAddress(ip, own)]).toEqual([ip, true]);
    }
    for (const ip of ['203.0.113.8', '2001:db8::8', '::ffff:8.8.8.8', '2606:4700::1111', 'radio.example']) {
      expect([ip, isPrivateAddress(ip, own)]).toEqual([ip, false]);
    }
    const lookup = async (): Promise<string[]> => ['::ffff:7f00:1'];
    expect(await privateAddressRefusal('http://radio.example/', lookup)).toMatch(/^`radio\.example` \(::ffff:7f00:1\) is this box/);
    expect(await privateAddressRefusal('http://[0:0:0:0:0:0:0:1]:8080/', lookup)).toMatch(/^`::1` is this box/);
  });
});

const servers: TestStream[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

// Issue 59: a station URL answering with a redirect to the box or its LAN is refused at play (mpv
// is handed only a URL whose every hop passed the check, and follows no redirect of its own).
describe('station redirects', () => {
  /**
   * The test's internet is a loopback address of its own (Linux answers on all of 127/8), which
   * this check takes for a public one; 127.0.0.1, the box's other addresses and the LAN stay inside.
   */
  const PUBLIC_HOST = '127.0.0.2';
  const names: Record<string, string[]> = { 'router.lan': ['192.168.1.1'], 'nas.example': ['fd00::7'] };
  const check: StationAddressCheck = {
    lookup: async (host) => names[host] ?? Promise.reject(new Error(`ENOTFOUND ${host}`)),
    isPrivate: (ip) => ip !== PUBLIC_HOST && isPrivateAddress(ip),
  };
  const vet = (url: string) => vetStationUrl(url, check, { timeoutMs: 2000 });

  it('refuses a 301, 302 or 307 to the loopback, the LAN or a name of either, before anything inside is asked', async () => {
    const inside = await icyStream({ name: 'Inside FM', title: 'Admin API - Leaked' });
    servers.push(inside);
    const port = new URL(inside.url).port;
    for (const status of [301, 302, 307]) {
      for (const [target, shown] of [
        [inside.url, '`127.0.0.1`'],
        [`http://localhost:${port}/live`, '`localhost`'],
        [`http://localhost.:${port}/live`, '`localhost.`'],
        [`http://[::1]:${port}/live`, '`::1`'],
        ['http://192.168.1.20/live', '`192.168.1.20`'],
        ['http://router.lan/live', '`router.lan` (192.168.1.1)'],
        ['http://nas.example/live', '`nas.example` (fd00::7)'],
      ] as const) {
        const bounce = await redirectTo(target, PUBLIC_HOST, status);
        servers.push(bounce);
        const refused = await vet(bounce.url).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(refused, `${status} → ${target}`).toBeInstanceOf(PlayerError);
        expect(refused, `${status} → ${target}`).toMatchObject({
          code: 'MB_ERR_PLAYER_NOT_ALLOWED',
          message: `${shown} is this box or its local network: stations must be on the internet; the owner may allow local ones in Settings, under Music: “Stations on this network” (\`music.allowPrivateStations\`) (reached by a redirect from ${bounce.url})`,
        });
        expect(bounce.connections, `${status} → ${target}`).toBe(1);
      }
    }
    expect(inside.connections).toBe(0);
  });

  it('refuses a redirect hidden behind another, and follows redirects between public stations to the one that plays', async () => {
    const inside = await icyStream({ name: 'Inside FM', title: 'Admin API - Leaked' });
    const outside = await icyStream({ name: 'Out FM', title: 'Song', host: PUBLIC_HOST });
    servers.push(inside, outside);
    const sneaky = await redirectTo(inside.url, PUBLIC_HOST, 307);
    servers.push(sneaky);
    const first = await redirectTo(sneaky.url, PUBLIC_HOST, 301);
    servers.push(first);
    await expect(vet(first.url)).rejects.toMatchObject({
      code: 'MB_ERR_PLAYER_NOT_ALLOWED',
      message: expect.stringContaining('`127.0.0.1` is this box') as unknown,
    });
    expect(inside.connections).toBe(0);

    const hop = await redirectTo(outside.url, PUBLIC_HOST, 302);
    servers.push(hop);
    const moved = await redirectTo(hop.url, PUBLIC_HOST, 301);
    servers.push(moved);
    expect(await vet(moved.url)).toBe(outside.url);
  });

  it('refuses names of the box and its network at play as at add, without asking the resolver', async () => {
    const asked: string[] = [];
    const lookup = async (host: string): Promise<string[]> => {
      asked.push(host);
      return ['93.184.216.34'];
    };
    for (const host of ['localhost.', 'ip6-localhost', 'ip6-loopback', 'admin.localhost', 'printer.local', 'nas.home.arpa']) {
      expect(await privateAddressRefusal(`http://${host}:8000/live`, lookup), host).toMatch(/^`[^`]+` is this box or its local network/);
    }
    expect(asked).toEqual([]);
    expect(await privateAddressRefusal('http://localhost.example/live', lookup)).toBeUndefined();
  });
});

// Issue 59: a Spotify track left in a business box's library was handed to mpv as `spotify:track:…`.
describe('what mpv is given', () => {
  it('never a spotify: URI, whoever asks: it is given a URL that fails to open, as a refused station is', async () => {
    const warned: unknown[] = [];
    const log = { debug() {}, info() {}, warn: (obj: unknown) => warned.push(obj), error() {} };
    for (const allowPrivateStations of [false, true]) {
      const gate = new StationGate({ log }, { allowPrivateStations });
      expect(await gate.vetted('spotify:track:4uLU6hMCjMI75M1A2tKUQC')).toBe('moodbox-refused://station');
      expect(await gate.vetted('/music/calm.flac')).toBe('/music/calm.flac');
    }
    expect(warned).toEqual([{ url: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC' }, { url: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC' }]);
  });
});
