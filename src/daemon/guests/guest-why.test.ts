import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { saidInEnglish } from '../../kernel/testing/said-in-english.js';
import { said } from '../../kernel/said.js';
import { PICK_REASONS, PLAY_REASONS, type Reason } from '../../player/pick-reasons.js';
import { guestWhy } from './guest-why.js';

// A guest read "No songs fit upbeat: uplifting, the nearest mood", a note meant for the staff, on
// the guest page while staff held the music to upbeat. Guests read the mood the music plays, and
// how it stands with the room's mood or the one staff chose, never a note for the staff or the
// signed-in person's own reasons ("you liked it").

/** Why a song plays, as the music says it: every reason the recommender and the player give. */
const EVERY_REASON: Reason[] = [
  PICK_REASONS.fits('upbeat'),
  PICK_REASONS.fits('upbeat', 'uplifting'),
  PICK_REASONS.liked('calm'),
  PICK_REASONS.artist('Harbour Lights', 'calm'),
  PICK_REASONS.language('calm'),
  PICK_REASONS.liftReached('upbeat'),
  PICK_REASONS.liftStep('calm', 'upbeat', 'mellow'),
  PICK_REASONS.noSongsFit('upbeat', 'uplifting'),
  PICK_REASONS.fallback(undefined, 'calm'),
  PICK_REASONS.fallback('calm', 'calm'),
  PICK_REASONS.fallback('mellow', 'calm'),
  PICK_REASONS.fewNear('calm', 'energetic'),
  PICK_REASONS.learned('a tempo you like', said('learned.tempo', { bpm: 120 }), 'calm'),
  PICK_REASONS.fits('dinner jazz'),
  PLAY_REASONS.staff,
  PLAY_REASONS.guest,
  PLAY_REASONS.kiosk,
  PLAY_REASONS.room,
  PLAY_REASONS.spotify('calm', 'calm'),
  PLAY_REASONS.spotify('calm', 'mellow'),
];

/** The guests' own sentences of why a song plays in the English catalogue (`common.said.guest.why`). */
function catalogueWhy(): Record<string, string> {
  type Tree = { [key: string]: string | Tree };
  const english = JSON.parse(readFileSync(new URL('../../ui/i18n/catalogues/en.json', import.meta.url), 'utf8')) as Tree;
  return (((english['common'] as Tree)['said'] as Tree)['guest'] as Tree)['why'] as Record<string, string>;
}

describe('why the song playing plays, in a guest’s words', () => {
  it('says the mood the music plays and how it stands with the mood staff chose, not the staff’s note', () => {
    const standIn = PICK_REASONS.noSongsFit('upbeat', 'uplifting');
    expect(guestWhy(standIn.text, standIn.said, 'upbeat')).toEqual({
      text: 'uplifting music, close to the upbeat mood staff chose',
      said: { id: 'guest.why.heldNear', values: { own: { said: 'music.uplifting' }, mood: { said: 'music.upbeat' } } },
    });
    // With the room's mood: the room's.
    expect(guestWhy(standIn.text, standIn.said, null).text).toBe('uplifting music, close to the room’s upbeat mood');
    const fits = PICK_REASONS.fits('upbeat');
    expect(guestWhy(fits.text, fits.said, 'upbeat').text).toBe('upbeat music, the mood staff chose');
    // Picked for the room before staff chose another mood: it says it was the room's.
    expect(guestWhy(fits.text, fits.said, 'calm').text).toBe('upbeat music, for the room’s mood');
  });

  it('says every reason in the English catalogue exactly as its English text, with no note for the staff or the person at the kiosk', () => {
    for (const held of [null, 'calm', 'upbeat']) {
      for (const reason of EVERY_REASON) {
        const words = guestWhy(reason.text, reason.said, held);
        expect([reason.text, saidInEnglish(words.said)]).toEqual([reason.text, words.text]);
        expect([reason.text, words.text]).not.toEqual([
          reason.text,
          expect.stringMatching(/no songs fit|nearest|you like|your|few songs|target|Spotify/i),
        ]);
      }
    }
    // The catalogue has no sentence of a guest's that is never said.
    const ids = new Set(
      [null, 'calm', 'upbeat'].flatMap((held) => [
        ...EVERY_REASON.map((r) => guestWhy(r.text, r.said, held).said.id),
        guestWhy(undefined, undefined, held).said.id,
      ]),
    );
    expect(Object.keys(catalogueWhy()).filter((id) => !ids.has(`guest.why.${id}`))).toEqual([]);
    // Who chose it, or that it fits the room, reads as it is.
    for (const reason of [PLAY_REASONS.staff, PLAY_REASONS.guest, PLAY_REASONS.kiosk]) {
      expect(guestWhy(reason.text, reason.said, null)).toEqual({ text: reason.text, said: reason.said });
    }
    // A reason of the music's that is no pick (what it follows without the camera) reads as it is.
    const other = said('music.follows', { mood: { said: 'music.calm' } });
    expect(guestWhy('follows calm', other, null)).toEqual({ text: 'follows calm', said: other });
    // A song that plays with no reason given fits the room, or the mood staff chose.
    expect(guestWhy(undefined, undefined, null)).toEqual({ text: PLAY_REASONS.room.text, said: PLAY_REASONS.room.said });
    expect(guestWhy(undefined, undefined, 'calm').text).toBe('music staff chose');
  });
});
