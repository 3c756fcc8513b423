import type { GuestService, GuestPhone, GuestRequestRecord, GuestSlot } from '../../guests/guest-service.js';
import { staffHold } from '../../guests/guest-reasons.js';
import { GUEST_REFUSALS } from '../../guests/guest-refusals.js';
import { guestWhy } from '../../guests/guest-why.js';
import type { StoreReads, Track } from '../../store/store-reads.js';
import { STREAM_SOURCE } from '../../../player/streams/stream-url.js';
import type { GuestMine, GuestRequest, GuestRoom, GuestState, GuestTrack, GuestUpNext, StateSnapshot } from '../contract.js';
import type { Said } from '../../../kernel/said.js';
import type { ScreenState } from '../state-hub.js';
import { said, why, whySaid } from '../state-projector.js';
import { coverUrlOf } from '../track-view.js';

/** Up next shows the player's next song and the guests' queue, this many at most. */
const UP_NEXT = 10;
/** A key of up next that is the music's own pick (not votable): its track's id past this. */
const MUSIC_PICK_KEYS = 1_000_000_000;
/** Estimated start times are said to the minute: a phone's view then changes only when the estimate moves. */
const ESTIMATE_MS = 60_000;

export interface GuestViewDeps {
  hub: ScreenState;
  guests: GuestService;
  store: Pick<StoreReads, 'tracks'>;
}

/** What the guest page says of the room while the camera does not see it: there is no mood then. */
const NOT_SEEING: Partial<Record<StateSnapshot['camera']['status'], string>> = {
  off: 'The camera is off: the music plays without it',
  unavailable: 'The camera is not working: the music plays without it',
};

/** A song as a guest's phone shows it. */
export function guestTrack(track: Track): GuestTrack {
  return {
    id: track.id,
    title: track.title,
    artist: track.artist,
    album: track.album,
    durationMs: track.source === STREAM_SOURCE ? null : track.durationMs,
    coverUrl: coverUrlOf(track.cover),
    isStation: track.source === STREAM_SOURCE,
  };
}

/** What `phone` sees on the guest page now: never a name, never a face count. */
export function guestState(deps: GuestViewDeps, phone: GuestPhone): GuestState {
  return { ...guestRoom(deps, phone), me: guestMine(deps, phone).me };
}

/**
 * What every phone sees of the room now, without any phone's own marks: worked out once per change
 * for all the phones (`/ws/guest` sends the same text to each); with `phone`'s marks (its like, its
 * votes) when given.
 */
export function guestRoom(deps: GuestViewDeps, phone?: GuestPhone): GuestRoom {
  const { hub, guests, store } = deps;
  // What plays and what comes next, as the screens' projection has it: the kiosk, the admin panel,
  // Home Assistant and the phones read one state. The guests' own part (their queue, votes, likes) is the guest service's.
  const screens = hub.snapshot().data;
  const { nowPlaying: now, next } = screens.player;
  const trackOf = (id: number) => store.tracks.get(id);
  const nowTrack = now === null ? undefined : trackOf(now.id);
  const queue = guests.queue();
  const { nextAt, slots } = guests.schedule();
  const upNext: GuestUpNext[] = [];
  const nextTrack = next === null ? undefined : trackOf(next.id);
  if (next !== null && nextTrack !== undefined) {
    const isGuestRequest = next.whyKind === 'guest';
    const request = isGuestRequest ? queue.find((r) => r.trackId === next.id) : undefined;
    const when = { place: 1, expectedAt: estimate(nextAt) };
    upNext.push(
      request === undefined
        ? { key: MUSIC_PICK_KEYS + next.id, track: guestTrack(nextTrack), isGuestRequest, votes: guests.votesOn(-1), ...when }
        : { key: request.id, track: guestTrack(nextTrack), isGuestRequest: true, votes: guests.votesOn(request.id, phone), ...when },
    );
  }
  let lastPlace = upNext.length;
  for (const request of queue) {
    if (upNext.length >= UP_NEXT) break;
    if (upNext.some((u) => u.key === request.id)) continue;
    const track = trackOf(request.trackId);
    const slot = slots.get(request.id);
    if (track === undefined) continue;
    // A waiting request stands after every queued one (the queue's order), with no time until the room comes to it.
    lastPlace = slot?.place ?? lastPlace + 1;
    upNext.push({
      key: request.id,
      track: guestTrack(track),
      isGuestRequest: true,
      votes: guests.votesOn(request.id, phone),
      place: lastPlace,
      expectedAt: estimate(slot?.at ?? null),
    });
  }
  const held = screens.mood.held ?? null;
  const hold = held === null ? null : staffHold(held.music);
  // The room's mood is what the camera reads; a staff hold is what the staff chose for the music
  // (`music`, said in `why`), and what the page then shows as the mood the music follows.
  const label = screens.mood.current;
  const isOpen = guests.isOpen;
  return {
    isOpen,
    timeZone: screens.timeZone,
    closedReason: guests.closedReason,
    closedReasonSaid: isOpen ? null : GUEST_REFUSALS.closed().said,
    status: screens.player.status,
    quietUntil: screens.quietHours ? (screens.quietUntil ?? null) : null,
    nowPlaying:
      now === null || nowTrack === undefined
        ? null
        : {
            track: guestTrack(nowTrack),
            streamTitle: screens.player.streamTitle ?? null,
            positionMs: Math.max(0, Math.round(screens.player.positionMs)),
            // Why it plays, in the guests' own words: the music's reasons are notes for the staff.
            ...whyOf(guestWhy(now.why, now.whySaid, held === null ? null : held.music)),
            isGuestRequest: now.whyKind === 'guest',
            ...guests.likes(phone),
            votes: guests.votesOn('now', phone),
          },
    upNext,
    mood: {
      label,
      // `why` with no faces: the guest page never says how many people are in view.
      why: hold !== null ? hold.text : (NOT_SEEING[screens.camera.status] ?? why(label, 0)),
      whySaid:
        hold !== null
          ? hold.said
          : NOT_SEEING[screens.camera.status] !== undefined
            ? said(`camera.${screens.camera.status}`)
            : whySaid(label, 0),
      isHeld: hold !== null,
      // Only while held: what reads the mood otherwise sees it as it was.
      ...(held === null ? {} : { music: held.music }),
    },
    suggestions: guests
      .suggestions(
        screens.suggestions.map((s) => s.id),
        6,
      )
      .flatMap((id) => {
        const track = trackOf(id);
        return track === undefined ? [] : [guestTrack(track)];
      }),
  };
}

/** `phone`'s own part of its view: its requests, what it has left this hour, its like and its votes. */
export function guestMine(deps: GuestViewDeps, phone: GuestPhone): GuestMine {
  const { guests, store } = deps;
  const { slots } = guests.schedule();
  const allowance = guests.allowance(phone);
  return {
    me: {
      requests: guests.requestsOf(phone).flatMap((r) => {
        const view = guestRequest(r, store, slots.get(r.id));
        return view === undefined ? [] : [view];
      }),
      requestsLeft: allowance.left,
      requestsPerHour: allowance.perHour,
      nextRequestAt: allowance.nextAt,
      limitReason: allowance.reason,
      limitReasonSaid: allowance.reasonSaid,
    },
    isNowLikedByMe: guests.likes(phone).isLikedByMe,
    votes: guests.votesOf(phone),
  };
}

/** A request as the phone that made it sees it, with its place and estimated start while queued (`slot`). */
export function guestRequest(record: GuestRequestRecord, store: Pick<StoreReads, 'tracks'>, slot?: GuestSlot): GuestRequest | undefined {
  const track = store.tracks.get(record.trackId);
  const isQueued = record.status === 'queued' && slot !== undefined;
  return track === undefined
    ? undefined
    : {
        id: record.id,
        track: guestTrack(track),
        status: record.status,
        awaitingApproval: !record.approved && record.status === 'waiting',
        reason: record.reason,
        reasonSaid: record.reasonSaid,
        at: record.at,
        place: isQueued ? slot.place : null,
        expectedAt: isQueued ? estimate(slot.at) : null,
      };
}

/** A reason as the guest page's fields. */
function whyOf(reason: { text: string; said: Said }): { why: string; whySaid: Said } {
  return { why: reason.text, whySaid: reason.said };
}

/** An estimated time, to the minute. */
function estimate(at: number | null): number | null {
  return at === null ? null : Math.round(at / ESTIMATE_MS) * ESTIMATE_MS;
}
