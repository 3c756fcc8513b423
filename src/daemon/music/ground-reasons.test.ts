import { describe, expect, it } from 'vitest';
import { saidInEnglish } from '../../kernel/testing/said-in-english.js';
import { unreadRoomReason } from './ground-reasons.js';

// With no reading of the room, the music's own pick says what it follows instead, never "for the
// room"; the English catalogue says exactly the English it is sent with.

describe('why the music plays with no reading of the room', () => {
  it('names the default mood, or the day plan whose mood it leans to, in both forms', () => {
    const reasons = [
      unreadRoomReason(null, 'calm'),
      unreadRoomReason({ name: 'lunch', mood: '' }, 'calm'),
      unreadRoomReason({ name: 'lunch', mood: 'upbeat' }, 'calm'),
      unreadRoomReason({ name: 'late', mood: 'dreamy' }, 'calm'),
    ];
    expect(reasons.map((r) => r.text)).toEqual([
      'follows the default mood, calm, with no reading of the room',
      'follows the default mood, calm, with no reading of the room',
      'follows the day plan “lunch”, upbeat',
      'follows the day plan “late”, dreamy',
    ]);
    for (const reason of reasons) {
      expect(saidInEnglish(reason.said)).toBe(reason.text);
      expect(reason.text).not.toMatch(/for the room/i);
    }
  });
});
