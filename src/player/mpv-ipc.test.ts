import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeCommand, MpvLineDecoder } from './mpv-ipc.js';

describe('mpv JSON IPC codec', () => {
  it('encodes one command per line with its request id', () => {
    expect(encodeCommand(7, ['loadfile', '/music/a b.flac', 'append-play'])).toBe(
      '{"command":["loadfile","/music/a b.flac","append-play"],"request_id":7}\n',
    );
    expect(() => encodeCommand(1, [])).toThrow('Expected a command name, got an empty command');
  });

  it('decodes replies, file events and property changes', () => {
    expect(decodeMessage('{"data":{"playlist_entry_id":3},"request_id":4,"error":"success"}')).toEqual({
      type: 'reply',
      requestId: 4,
      error: 'success',
      data: { playlist_entry_id: 3 },
    });
    expect(decodeMessage('{"event":"end-file","reason":"error","playlist_entry_id":2,"file_error":"loading failed"}')).toEqual({
      type: 'end-file',
      entryId: 2,
      reason: 'error',
      fileError: 'loading failed',
    });
    expect(
      decodeMessage(
        '{"event":"end-file","reason":"redirect","playlist_entry_id":1,"playlist_insert_id":2,"playlist_insert_num_entries":3}',
      ),
    ).toEqual({ type: 'end-file', entryId: 1, reason: 'redirect', fileError: undefined, insertId: 2, insertCount: 3 });
    expect(encodeCommand(5, { name: 'loadfile', url: 'http://radio.example/live', flags: 'replace', options: 'network-timeout=10' })).toBe(
      '{"command":{"name":"loadfile","url":"http://radio.example/live","flags":"replace","options":"network-timeout=10"},"request_id":5}\n',
    );
    expect(decodeMessage('{"event":"property-change","id":1,"name":"pause","data":true}')).toEqual({
      type: 'property-change',
      id: 1,
      name: 'pause',
      data: true,
    });
    expect(decodeMessage('{"event":"audio-reconfig"}')).toEqual({ type: 'event', event: 'audio-reconfig' });
    expect(decodeMessage('not json')).toEqual({ type: 'invalid', line: 'not json' });
  });

  it('reassembles lines split across chunks', () => {
    const decoder = new MpvLineDecoder();
    expect(decoder.push('{"event":"start-file","playlist_')).toEqual([]);
    expect(decoder.push('entry_id":1}\n{"event":"idle"}\n{"ev')).toEqual([{ type: 'start-file', entryId: 1 }, { type: 'idle' }]);
    expect(decoder.push('ent":"file-loaded"}\n')).toEqual([{ type: 'file-loaded' }]);
  });
});
