import { describe, expect, it } from 'vitest';
import { playStatus, type PlayerState } from './player.js';

// Issue 62: the player's state is what the listener hears.

const song = { track: { id: 1, uri: '/music/1.flac' }, reason: 'mood' as const, note: '', mood: 'calm', userId: null, key: 1 };
const base: PlayerState = { current: song, upcoming: [], isPaused: false, positionMs: 36_000, volume: 50, maxVolume: 100 };
const stall = { cause: 'output' as const, detail: 'the audio output is not playing' };

describe('playStatus', () => {
  it('says stalled, with why, while a song is to play and no audio flows', () => {
    expect(playStatus({ ...base, stalled: stall })).toEqual({ status: 'stalled', stalled: stall });
    expect(playStatus(base)).toEqual({ status: 'playing' });
  });

  it('says paused or stopped whatever the output does: nothing is to be heard then', () => {
    expect(playStatus({ ...base, isPaused: true, stalled: stall })).toEqual({ status: 'paused' });
    expect(playStatus({ ...base, current: undefined, stalled: stall })).toEqual({ status: 'stopped' });
  });
});
