import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { saidInEnglish } from '../../kernel/testing/said-in-english.js';
import { judgeFit, roomAimOf } from '../music/fit-policy.js';
import { GUEST_REASONS, staffHold, type GuestReason, type UnfitVerdict } from './guest-reasons.js';
import { GuestRequests } from './guest-requests.js';

// A guest reads why their request stands where it does in their own language (issue 57): each
// reason travels in English (`reason`, for the API and the staff's list) and as a message of the
// screens' catalogues (`reasonSaid`). The English catalogue must say exactly the English text.

const room = roomAimOf({ calm: 0.8, mellow: 0.2 });
/** Every verdict of the room's fit a request waits with: its mood unknown, near, far, a mood the owner added, and under a hold. */
const UNFIT = [
  judgeFit([], room),
  judgeFit(['uplifting'], room),
  judgeFit(['energetic'], room),
  judgeFit(['sea shanty'], roomAimOf({})),
  // While staff hold the mood, the words name the mood staff chose.
  judgeFit(['uplifting'], { ...room, isHeld: true }),
  judgeFit(['energetic'], { ...room, isHeld: true }),
].filter((v): v is UnfitVerdict => v.fit !== 'fits');

const EVERY_REASON: GuestReason[] = [
  GUEST_REASONS.queued,
  GUEST_REASONS.queuedHeld,
  GUEST_REASONS.approval,
  GUEST_REASONS.staffDeclined,
  GUEST_REASONS.staffLate(1),
  GUEST_REASONS.staffLate(15),
  GUEST_REASONS.playing,
  GUEST_REASONS.played,
  ...(['voted-off', 'skipped', 'switched', 'failed', 'interrupted'] as const).map((outcome) => GUEST_REASONS.endedEarly(outcome)),
  GUEST_REASONS.votedOffQueue,
  GUEST_REASONS.blocked,
  GUEST_REASONS.cleared,
  GUEST_REASONS.cancelled,
  ...UNFIT.map((v) => GUEST_REASONS.fit(v)),
  ...UNFIT.flatMap((v) => [GUEST_REASONS.waited(1, v), GUEST_REASONS.waited(12, v)]),
];

type Tree = { [key: string]: string | Tree };
const english = JSON.parse(readFileSync(new URL('../../ui/i18n/catalogues/en.json', import.meta.url), 'utf8')) as Tree;
const reasonIds = Object.keys(((((english['common'] as Tree)['said'] as Tree)['guest'] as Tree)['reason'] as Tree) ?? {});

const phone = { id: 'phone-1', address: '10.0.0.9' };

describe('why a guest’s request stands where it does', () => {
  it('says every reason in the English catalogue exactly as its English text, and the catalogue has no reason the code never says', () => {
    expect(EVERY_REASON.filter((r) => r.said === null).map((r) => r.text)).toEqual([]);
    expect(EVERY_REASON.filter((r) => r.said !== null && saidInEnglish(r.said) !== r.text).map((r) => r.text)).toEqual([]);
    const said = new Set(EVERY_REASON.map((r) => r.said?.id));
    expect(reasonIds.filter((id) => !said.has(`guest.reason.${id}`))).toEqual([]);
    expect(EVERY_REASON.find((r) => r.said?.id === 'guest.reason.waitedNear')?.said?.values).toEqual({
      minutes: 1,
      own: { said: 'music.uplifting' },
      aim: { said: 'music.calm' },
    });
  });

  it('keeps a verdict without a message in English only', () => {
    const verdict: UnfitVerdict = { fit: 'near', reason: 'It waits for a livelier room' };
    expect(GUEST_REASONS.fit(verdict)).toEqual({ text: 'It waits for a livelier room', said: null });
    expect(GUEST_REASONS.waited(15, verdict)).toEqual({
      text: 'It waited 15 min and the room did not come closer: it waits for a livelier room',
      said: null,
    });
  });

  it('says the staff’s hold on the music with the catalogue’s word for a mood it has, a mood the owner added as it is named, or none', () => {
    const holds = ['calm', 'dinner jazz', ''].map(staffHold);
    expect(holds.map((h) => h.text)).toEqual([
      'The staff chose calm music for now',
      'The staff chose dinner jazz music for now',
      'The staff chose this music for now',
    ]);
    expect(holds.map((h) => h.said)).toEqual([
      { id: 'guest.staffHold', values: { music: { said: 'music.calm' } } },
      { id: 'guest.staffHold', values: { music: 'dinner jazz' } },
      { id: 'guest.staffHoldUnnamed' },
    ]);
    for (const h of holds) expect(saidInEnglish(h.said)).toBe(h.text);
  });

  it('gives a request its reason in both forms through its life: waiting, queued, playing, skipped; declined after its wait', () => {
    const requests = new GuestRequests();
    const near = judgeFit(['uplifting'], room) as UnfitVerdict;
    const first = requests.add(phone, 1, 0, near);
    expect(first).toMatchObject({ status: 'waiting', reason: near.reason, reasonSaid: { id: 'fit.near' } });
    requests.judge(() => ({ fit: 'fits' }), 60_000, 15 * 60_000);
    expect(first).toMatchObject({ status: 'queued', reasonSaid: { id: 'guest.reason.queued' } });
    requests.started(first.id, 7);
    expect(first).toMatchObject({ status: 'playing', reason: 'Playing now', reasonSaid: { id: 'guest.reason.playing' } });
    requests.ended(7, 'voted-off');
    expect(first).toMatchObject({ status: 'skipped', reason: 'Guests voted it off', reasonSaid: { id: 'guest.reason.votedOff' } });

    const second = requests.add(phone, 2, 0, near);
    requests.judge(() => near, 15 * 60_000, 15 * 60_000);
    expect(second.status).toBe('declined');
    expect(second.reasonSaid).toEqual({
      id: 'guest.reason.waitedNear',
      values: { minutes: 15, own: { said: 'music.uplifting' }, aim: { said: 'music.calm' } },
    });
    expect(saidInEnglish(second.reasonSaid ?? { id: 'none' })).toBe(second.reason);

    const third = requests.add(phone, 3, 0, { fit: 'fits' }, true);
    expect(third).toMatchObject({
      status: 'waiting',
      reason: 'Waiting for the staff to say yes',
      reasonSaid: { id: 'guest.reason.approval' },
    });
    requests.judge(() => ({ fit: 'fits' }), 20 * 60_000, 15 * 60_000);
    expect(third).toMatchObject({
      status: 'declined',
      reason: 'The staff did not get to it within 15 min',
      reasonSaid: { id: 'guest.reason.staffLate', values: { minutes: 15 } },
    });
  });
});
