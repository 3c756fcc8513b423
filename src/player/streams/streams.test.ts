import { describe, expect, it } from 'vitest';
import { parseStationsFile } from './stations-file.js';
import { addressBytes, isPrivateAddress, privateAddressRefusal } from './stream-address.js';
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
      'name,url,moods\nA,https://a.example/x,calm\nB,https://a.example/x,calm\nC,mailto:c@example.com,calm\nD,https://d.example/,sleepy-ish:3\n',
    );
    expect(stations.map((s) => s.name)).toEqual(['A']);
    expect(invalid).toEqual([
      { line: 3, message: '`url`: already listed on line 2' },
      { line: 4, message: expect.stringMatching(/^`url`: expected an http or https URL, got `mailto`/) as string },
      { line: 5, message: expect.stringMatching(/^`moods`: /) as string },
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
