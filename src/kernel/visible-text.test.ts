import { describe, expect, it } from 'vitest';
import { readableText } from './visible-text.js';

describe('readableText', () => {
  it('removes controls, escapes and direction overrides, puts breaks on one line and composes what is left', () => {
    expect(readableText('\u001b[31mred\u001b[0m\u009b1m \u202eevil\u2066 ok\r\n\tnext\u0085line\u2028end \ufeff')).toBe(
      '[31mred[0m1m evil ok next line end',
    );
    expect(readableText('Cafe\u0301')).toBe('Caf\u00e9');
    // A control between a letter and its accent does not keep them apart.
    expect(readableText('e\u0007\u0301')).toBe('\u00e9');
    // A lone surrogate is no character.
    expect(readableText('a\ud800b')).toBe('ab');
    // Ordinary text, joiners included, is kept as it is.
    expect(readableText('Björk – 坂本龍一 👩‍👩‍👧 کتاب‌ها')).toBe('Björk – 坂本龍一 👩‍👩‍👧 کتاب‌ها');
  });

  it('keeps at most so many characters, never cutting a letter from its accent or an emoji sequence in two', () => {
    expect(readableText('abcdef', 3)).toBe('abc');
    expect(readableText('ab cdef', 3)).toBe('ab');
    expect(readableText('abc', 3)).toBe('abc');
    // ǘ and a combining tilde (no precomposed form): one letter of two code points.
    expect(readableText('ab\u01d8\u0303', 3)).toBe('ab');
    expect(readableText('ab👩‍👩‍👧', 4)).toBe('ab');
    expect(readableText('ab👩‍👩‍👧', 7)).toBe('ab👩‍👩‍👧');
    expect(readableText('x'.repeat(100_053), 300)).toBe('x'.repeat(300));
  });
});
