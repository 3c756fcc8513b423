import { describe, expect, it } from 'vitest';
import { keptCheckWait } from './kept-check-wait.js';

describe('the wait for a broker to say whether it keeps a command (MQTT 3.1.1)', () => {
  it('gives up after five seconds in which the broker sent nothing', () => {
    expect(keptCheckWait({ now: 1_000, started: 1_000, heardAt: 0 })).toBe(5_000);
    expect(keptCheckWait({ now: 6_000, started: 1_000, heardAt: 0 })).toBe('no answer from the broker within 5000 ms');
  });

  it('waits on while the broker is still sending, five seconds from the last bytes it sent', () => {
    // A large kept message ahead of the answer, read slowly on a busy box: bytes came 1 s ago.
    expect(keptCheckWait({ now: 6_000, started: 1_000, heardAt: 5_000 })).toBe(4_000);
    expect(keptCheckWait({ now: 9_999, started: 1_000, heardAt: 5_000 })).toBe(1);
    expect(keptCheckWait({ now: 10_000, started: 1_000, heardAt: 5_000 })).toBe('no answer from the broker within 5000 ms');
  });

  it('counts the silence from the start of the check, not from bytes heard before it', () => {
    expect(keptCheckWait({ now: 3_000, started: 1_000, heardAt: 500 })).toBe(3_000);
  });

  it('gives up after five minutes in all, however the broker keeps sending', () => {
    expect(keptCheckWait({ now: 300_999, started: 1_000, heardAt: 300_998 })).toBe(4_999);
    expect(keptCheckWait({ now: 301_000, started: 1_000, heardAt: 300_999 })).toBe('no answer from the broker within 300000 ms');
  });
});
