import { describe, expect, it } from 'vitest';
import { fitsRoom, judgeFit, roomAimOf } from './fit-policy.js';

describe('the fit of a song to the room', () => {
  const room = roomAimOf({ upbeat: 0.6, energetic: 0.3, calm: 0.1 });

  it('aims at the heaviest mood of the room', () => {
    expect(room.aim).toBe('upbeat');
  });

  it('fits a song tagged with the aim or a mood the room weighs strongly, and no other', () => {
    expect(fitsRoom(['upbeat'], room)).toBe(true);
    expect(fitsRoom(['energetic'], room)).toBe(true);
    expect(fitsRoom(['calm'], room)).toBe(false);
  });

  it('tells a guest why a song waits or is declined, with the same rule', () => {
    expect(judgeFit(['energetic'], room)).toEqual({ fit: 'fits' });
    expect(judgeFit([], room)).toMatchObject({ fit: 'near' });
    expect(judgeFit(['sad'], roomAimOf({ calm: 1 }))).toMatchObject({ fit: 'near' });
    expect(judgeFit(['calm'], roomAimOf({ energetic: 1 }))).toMatchObject({ fit: 'far', reason: expect.stringContaining('energetic') });
  });
});
