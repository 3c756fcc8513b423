import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, judgeOrigin, type UpgradeRequest } from './origin.js';

const KIOSK: UpgradeRequest = { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080', remoteAddress: '127.0.0.1', localPort: 8080 };
const LAN = { remoteAddress: '192.168.1.20', localPort: 8080 };

describe('judgeOrigin (issue 14: the WebSocket checks Origin)', () => {
  it('knows the kiosk screen: a loopback name for this port, from this machine', () => {
    expect(judgeOrigin(KIOSK)).toBe('kiosk');
    expect(judgeOrigin({ ...KIOSK, origin: 'http://localhost:8080', host: 'localhost:8080' })).toBe('kiosk');
    expect(judgeOrigin({ ...KIOSK, origin: 'http://[::1]:8080', host: '[::1]:8080', remoteAddress: '::1' })).toBe('kiosk');
    expect(judgeOrigin({ ...KIOSK, remoteAddress: '::ffff:127.0.0.1' })).toBe('kiosk');
    // Another name for this box is still this box, when the browser is on it.
    expect(judgeOrigin({ ...KIOSK, origin: 'http://localhost:8080' })).toBe('kiosk');
  });

  it('takes a page of the host the request was sent to as the same site, but not as the kiosk', () => {
    expect(judgeOrigin({ origin: 'http://moodbox.lan:8080', host: 'moodbox.lan:8080', ...LAN })).toBe('same');
    expect(judgeOrigin({ origin: 'http://192.168.1.5:8080', host: '192.168.1.5:8080', ...LAN })).toBe('same');
    expect(judgeOrigin({ origin: 'https://moodbox.lan', host: 'moodbox.lan:443', ...LAN })).toBe('same');
    expect(judgeOrigin({ origin: 'http://moodbox.lan', host: 'MOODBOX.lan:80', ...LAN })).toBe('same');
    // From the LAN, `localhost` is the visitor's own computer: only the Host header can make it this box.
    expect(judgeOrigin({ ...KIOSK, ...LAN })).toBe('same');
    expect(judgeOrigin({ ...KIOSK, ...LAN, host: '192.168.1.5:8080' })).toBe('foreign');
    // A rebound name on this machine is the same site, never the kiosk screen.
    expect(judgeOrigin({ ...KIOSK, origin: 'http://evil.example:8080', host: 'evil.example:8080' })).toBe('same');
  });

  it('refuses every other page', () => {
    const foreign = (origin: string, host = '127.0.0.1:8080', remote = KIOSK): string => judgeOrigin({ ...remote, origin, host });
    expect(foreign('http://127.0.0.1:9999')).toBe('foreign');
    expect(foreign('http://localhost:9999')).toBe('foreign');
    expect(foreign('http://evil.example')).toBe('foreign');
    expect(foreign('http://127.0.0.1')).toBe('foreign');
    expect(foreign('null')).toBe('foreign');
    expect(foreign('')).toBe('foreign');
    expect(foreign('file://')).toBe('foreign');
    expect(foreign('http://127.0.0.1:8080/')).toBe('foreign');
    expect(foreign('http://evil.example', 'evil.example/x')).toBe('foreign');
    expect(foreign('http://b.example', 'a@b.example')).toBe('foreign');
    expect(foreign('http://moodbox.lan:8080', undefined as unknown as string, { ...KIOSK, ...LAN })).toBe('foreign');
  });

  it('lets a client without an Origin in, to read only', () => {
    expect(judgeOrigin({ ...KIOSK, origin: undefined })).toBe('none');
  });
});

describe('isLoopbackAddress', () => {
  it('knows 127/8 and ::1, plain and IPv4-mapped', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([true, true, true, true]);
    expect(['192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '1127.0.0.1', undefined].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
