import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HidCardDecoder, usageToChar } from './decode-hid-report.js';

interface Sequence {
  expect: string[];
  reports: Array<{ at: number; hex: string }>;
}

const SEQUENCES = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'testing', 'fixtures', 'hid-card-reports.json'), 'utf8'),
) as Record<string, Sequence>;

function decode(sequence: Sequence): string[] {
  const decoder = new HidCardDecoder();
  const cards: string[] = [];
  for (const { at, hex } of sequence.reports) {
    const card = decoder.push(Buffer.from(hex, 'hex'), at);
    if (card !== undefined) cards.push(card);
  }
  return cards;
}

describe('HidCardDecoder', () => {
  it.each(Object.entries(SEQUENCES))('decodes the recorded sequence %s', (_name, sequence) => {
    expect(decode(sequence)).toEqual(sequence.expect);
  });

  it('maps digits, keypad digits and letters, and nothing else', () => {
    expect([0x1e, 0x27, 0x59, 0x62, 0x04, 0x1d].map((u) => usageToChar(u, false))).toEqual(['1', '0', '1', '0', 'a', 'z']);
    expect(usageToChar(0x04, true)).toBe('A');
    expect(usageToChar(0x2c, false)).toBeUndefined();
  });

  it('ignores an Enter with too few characters before it', () => {
    const decoder = new HidCardDecoder({ minLength: 4 });
    const key = (u: number): Uint8Array => Uint8Array.of(0, 0, u, 0, 0, 0, 0, 0);
    const up = new Uint8Array(8);
    const reports = [key(0x1e), up, key(0x1f), up, key(0x28), up];
    expect(reports.map((r, i) => decoder.push(r, i * 10)).filter(Boolean)).toEqual([]);
  });
});
