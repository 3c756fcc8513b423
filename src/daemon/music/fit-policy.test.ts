import { describe, expect, it } from 'vitest';
import { distanceToRoom, fitsRoom, judgeFit, roomAimOf } from './fit-policy.js';

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
  it('fits a song as near the room as the music’s own picks reach, when the library lacks the room’s mood', () => {
    const upbeat = roomAimOf({ upbeat: 1 });
    // Calm is far from upbeat; a library of calm songs plays calm all the same, so calm is the reach.
    const reach = distanceToRoom(['calm'], upbeat);
    expect(reach).toBeGreaterThan(0.8);
    expect(judgeFit(['calm'], upbeat)).toMatchObject({ fit: 'far' });
    expect(judgeFit(['calm'], upbeat, reach)).toEqual({ fit: 'fits' });
    // Farther than the music's own picks: judged as before (waits or is declined, never fits).
    const farther = ['sad', 'mellow', 'power'].filter((m) => distanceToRoom([m], upbeat) > reach);
    expect(farther.length).toBeGreaterThan(0);
    for (const mood of farther) expect(judgeFit([mood], upbeat, reach)).toEqual(judgeFit([mood], upbeat));
    expect(distanceToRoom(['upbeat'], upbeat)).toBe(0);
    expect(distanceToRoom([], upbeat)).toBe(Number.POSITIVE_INFINITY);
  });
});
