import { describe, expect, it } from 'vitest';
import { jsonLimitProblem } from './json-limits.js';

const LIMITS = { maxDepth: 3, maxBytes: 64 };

describe('jsonLimitProblem', () => {
  it('accepts JSON within the depth and size, as text or bytes', () => {
    for (const text of ['{"a":[{"b":1}]}', '[[[]],[[]]]', '"x"', 'null', '']) {
      expect(jsonLimitProblem(text, LIMITS), text).toBeUndefined();
      expect(jsonLimitProblem(Buffer.from(text), LIMITS), text).toBeUndefined();
    }
  });

  it('refuses nesting past the depth, at any size of the text', () => {
    expect(jsonLimitProblem('{"a":[{"b":[1]}]}', LIMITS)).toEqual({
      kind: 'depth',
      message: 'Expected JSON nested at most 3 levels deep, got deeper',
    });
    expect(jsonLimitProblem('['.repeat(60), LIMITS)?.kind).toBe('depth');
    expect(jsonLimitProblem(Buffer.from(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`), { maxDepth: 32, maxBytes: 1e6 })?.kind).toBe(
      'depth',
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonLimitProblem('{"a":"[[[[{{{{"}', LIMITS)).toBeUndefined();
    expect(jsonLimitProblem('{"a":"\\"[[[[\\\\"}', LIMITS)).toBeUndefined();
    expect(jsonLimitProblem(Buffer.from('["é\\"[[[[[[", 1]'), LIMITS)).toBeUndefined();
  });

  it('refuses a text past the size in UTF-8 bytes, before looking at it', () => {
    expect(jsonLimitProblem(`"${'é'.repeat(40)}"`, LIMITS)).toEqual({ kind: 'size', message: 'Expected JSON of at most 64 bytes, got 82' });
  });
});
