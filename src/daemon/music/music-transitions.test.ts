import { describe, expect, it } from 'vitest';
import { cutFadeMs, planeDistance, planePoint } from './music-transitions.js';
import { loadConfig } from '../config/load-config.js';
import { simulateRoom, type Expression, type RoomTrace, type SimulatedPlay } from '../testing/room-simulator.js';
import { DEFAULT_MOOD_COORDINATES } from '../../player/moods.js';

const SHIPPED = loadConfig({ env: {} }).config.player.transitions;

/** Guests at tables, quietly talking. */
const QUIET: Expression = { neutral: 0.9, happy: 0.05, sad: 0.05 };
/** A room that has become a party. */
const PARTY: Expression = { happy: 0.85, surprise: 0.15 };

/** The fade that ended a play: its volumes, from the last rise (or the start) down to the end, and how long it took (ms). */
function fadeOf(play: SimulatedPlay): { volumes: number[]; ms: number } {
  const steps = play.fade;
  let first = steps.length - 1;
  while (first > 0 && (steps[first - 1]?.volume ?? 0) >= (steps[first]?.volume ?? 0)) first -= 1;
  const tail = steps.slice(first);
  return { volumes: tail.map((s) => s.volume), ms: (play.endedAt ?? 0) - (tail[0]?.at ?? 0) + 100 };
}

describe('songs that finish: the cut rule and the room simulator (#39)', () => {
  it('lets the song play through a party that lasts 45 s, the next song following the room', async () => {
    const trace: RoomTrace = {
      name: 'a flicker',
      opens: '10:00',
      scenes: [
        { s: 60, groups: [{ faces: 4, expression: QUIET }] },
        { s: 45, groups: [{ faces: 4, expression: PARTY }] },
        { s: 600, groups: [{ faces: 4, expression: QUIET }] },
      ],
    };
    const report = await simulateRoom(trace);
    // The room did change (the mood tracker read it), and the change was large...
    expect(report.moodChanges).toBeGreaterThanOrEqual(2);
    // ...but it did not last: no song was cut. A box that switches at once cuts the calm song twice here.
    expect(report.plays.filter((p) => p.outcome === 'switched')).toEqual([]);
    expect(report.plays[0]?.mood).toBe('calm');
    expect(report.plays[0]?.outcome).toBe('completed');
  });

  it('cuts a calm song once a party has lasted the hold, fading it over seconds, and plays one that fits the party', async () => {
    const trace: RoomTrace = {
      name: 'a party begins',
      opens: '20:00',
      scenes: [
        { s: 30, groups: [{ faces: 4, expression: QUIET }] },
        { s: 300, groups: [{ faces: 10, expression: PARTY }] },
      ],
    };
    const report = await simulateRoom(trace);
    const [first, second] = report.plays;
    expect(first?.mood).toBe('calm');
    expect(first?.outcome).toBe('switched');
    // Not in its first minute: the hold starts when the room changed, 30 s in, and the tracker's dwell comes first.
    const playedMs = (first?.endedAt ?? 0) - (first?.startedAt ?? 0);
    expect(playedMs).toBeGreaterThanOrEqual(30_000 + SHIPPED.cutHoldMs);
    // The fade: step by step from the volume it had to under a quarter of it, over the shipped length (no tempo known).
    const fade = fadeOf(first as SimulatedPlay);
    expect(fade.volumes.length).toBeGreaterThanOrEqual(40);
    expect(fade.volumes.at(-1)).toBeLessThanOrEqual(Math.round(70 / 4));
    expect(fade.ms).toBeGreaterThanOrEqual(SHIPPED.fadeMs - 200);
    expect(['upbeat', 'energetic']).toContain(second?.mood);
    expect(report.cuts).toBe(1);
  });

  it('fades over four bars at the tempo when it is known, within ⅔ to 4⁄3 of the fade setting', () => {
    expect(cutFadeMs(SHIPPED, 120)).toBe(8000); // 16 beats at 120 bpm
    expect(cutFadeMs(SHIPPED, 160)).toBe(6000);
    expect(cutFadeMs(SHIPPED, 188)).toBe(5106);
    expect(cutFadeMs(SHIPPED, 60)).toBe(8000); // 16 s of a slow song would drag: 4⁄3 of 6 s
    expect(cutFadeMs(SHIPPED, 300)).toBe(4000);
    expect(cutFadeMs(SHIPPED, null)).toBe(6000);
    expect(cutFadeMs({ ...SHIPPED, fadeBars: 0 }, 120)).toBe(6000);
  });

  it('measures moves on the mood plane: neighbours are nearer than the shipped cut distance, the far side of the plane beyond it', () => {
    const at = (mood: string) => planePoint({ [mood]: 1 }) ?? { valence: Number.NaN, arousal: Number.NaN };
    expect(planeDistance(at('calm'), at('mellow'))).toBeLessThan(SHIPPED.cutDistance);
    expect(planeDistance(at('upbeat'), at('energetic'))).toBeLessThan(SHIPPED.cutDistance);
    expect(planeDistance(at('calm'), at('upbeat'))).toBeGreaterThan(SHIPPED.cutDistance);
    expect(planeDistance(at('mellow'), at('energetic'))).toBeGreaterThan(SHIPPED.cutDistance);
    expect(planePoint({ calm: 1, upbeat: 1 })).toEqual({
      valence: ((DEFAULT_MOOD_COORDINATES['calm']?.valence ?? 0) + (DEFAULT_MOOD_COORDINATES['upbeat']?.valence ?? 0)) / 2,
      arousal: ((DEFAULT_MOOD_COORDINATES['calm']?.arousal ?? 0) + (DEFAULT_MOOD_COORDINATES['upbeat']?.arousal ?? 0)) / 2,
    });
    expect(planePoint({ unknown: 1 })).toBeNull();
  });
});
