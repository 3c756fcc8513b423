import { describe, expect, it } from 'vitest';
import { saidIdsOf, saidInEnglish } from '../../kernel/testing/said-in-english.js';
import { judgeFit, roomAimOf } from '../music/fit-policy.js';
import { GUEST_GONE, GUEST_REFUSALS, type Refusal } from './guest-refusals.js';

// A guest's phone is answered in the guest's language (issue 57): each refusal travels in English
// (the error's `message`, for the API and the log) and as a message of the screens' catalogues. The
// English catalogue must say exactly the English text, or the two drift apart.

const EVERY_REFUSAL: Refusal[] = [
  GUEST_REFUSALS.closed(),
  GUEST_REFUSALS.notAllowed(),
  GUEST_REFUSALS.asked('Paper Planes'),
  GUEST_REFUSALS.recent('Paper Planes', 1),
  GUEST_REFUSALS.recent('Paper Planes', 12),
  GUEST_REFUSALS.notApproved(),
  GUEST_REFUSALS.notPlaying(),
  GUEST_REFUSALS.tooFast(7),
  GUEST_REFUSALS.phoneLimit(1, '14:32'),
  GUEST_REFUSALS.phoneLimit(3, '14:32'),
  GUEST_REFUSALS.networkFull(1, '09:05'),
  GUEST_REFUSALS.networkFull(30, '09:05'),
  GUEST_REFUSALS.networkLimit(6, 1, '23:59'),
  GUEST_REFUSALS.networkLimit(1, 3, '23:59'),
  GUEST_GONE.noSong(12),
  GUEST_GONE.songGone(12),
  GUEST_GONE.notYours(4),
  GUEST_GONE.notUpNext(4),
  GUEST_GONE.staffNotInQueue(4),
  GUEST_GONE.staffNotWaiting(4),
  GUEST_GONE.lanOnly(),
  GUEST_GONE.foreignOrigin(),
  GUEST_GONE.noOrigin(),
];

describe('what a guest is told', () => {
  it('says every refusal in the English catalogue exactly as its English text, plurals included, and the catalogue has no refusal the code never says', () => {
    expect(EVERY_REFUSAL.filter((r) => saidInEnglish(r.said) !== r.text).map((r) => [r.text, saidInEnglish(r.said)])).toEqual([]);
    // The requests' reasons and the staff's hold are `guest-reasons.ts`'s, checked in `guest-reasons.test.ts`;
    // why a song plays, in a guest's words, is `guest-why.ts`'s, checked in `guest-why.test.ts`.
    const said = new Set([
      ...EVERY_REFUSAL.map((r) => r.said.id),
      'guest.reason',
      'guest.staffHold',
      'guest.staffHoldUnnamed',
      'guest.why',
    ]);
    expect(saidIdsOf('guest').filter((id) => !said.has(id))).toEqual([]);
  });

  it('says why a song does not fit the room as its English text, with the moods as the catalogue words them', () => {
    const room = roomAimOf({ calm: 0.8, mellow: 0.2 });
    const verdicts = [
      judgeFit([], room),
      judgeFit(['uplifting'], room),
      judgeFit(['energetic'], room),
      judgeFit(['sea shanty'], roomAimOf({})),
      judgeFit(['uplifting'], { ...room, isHeld: true }),
      judgeFit(['energetic'], { ...room, isHeld: true }),
    ];
    expect(verdicts.map((v) => v.fit)).toEqual(['near', 'near', 'far', 'near', 'near', 'far']);
    for (const v of verdicts) {
      if (v.fit === 'fits') continue;
      expect(v.reasonSaid).toBeDefined();
      if (v.reasonSaid !== undefined) expect(saidInEnglish(v.reasonSaid)).toBe(v.reason);
    }
    expect(saidIdsOf('fit').sort()).toEqual(['fit.far', 'fit.farHeld', 'fit.near', 'fit.nearHeld', 'fit.unknown']);
  });
});
