import { describe, expect, it } from 'vitest';
import type { QueueEntry, QueueItem } from '../../player/play-queue.js';
import { nextEntries, switchEntries, type NextInput } from './music-next.js';

/** A song queued by the music for the room's mood `mood`, with its note. */
function queued(id: number, mood: string, reason: QueueItem['reason'] = 'mood'): QueueItem {
  return { key: id, track: { id, uri: `/music/${id}.ogg` }, reason, note: `fits ${mood}`, mood, userId: null };
}

/** The room turned sad: the pick for it now, and a song next queued for the happy room before that fits sad too. */
function input(upcoming: QueueItem[]): NextInput {
  const pick: QueueEntry = { track: { id: 3, uri: '/music/3.ogg' }, reason: 'mood', note: 'fits sad', mood: 'sad', userId: null };
  return { current: queued(1, 'happy'), upcoming, guest: undefined, fits: () => true, pick: () => pick };
}

describe('the song next', () => {
  it('stays as it is when the room moves and it still fits, until the song playing ends', () => {
    expect(nextEntries(input([queued(2, 'happy')]))).toBeUndefined();
  });

  it('is picked again for the room when the music switches, so the song that plays says the room it plays for', () => {
    // Kept, the song queued for the happy room would start now, its history and screens saying "happy".
    expect(switchEntries(input([queued(2, 'happy')]))?.map((e) => [e.track.id, e.mood, e.note])).toEqual([[3, 'sad', 'fits sad']]);
  });

  it('puts the pick for the room before the songs staff chose, which keep their turn', () => {
    const staff = queued(4, 'happy', 'staff');
    expect(switchEntries(input([staff]))?.map((e) => [e.track.id, e.reason])).toEqual([
      [3, 'mood'],
      [4, 'staff'],
    ]);
  });
});
