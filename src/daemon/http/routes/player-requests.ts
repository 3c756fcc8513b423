import type { KioskPresence } from '../../people/kiosk-presence.js';
import { MUSIC_REFUSALS } from '../../music/music-refusals.js';
import { SIGN_IN_REFUSALS } from '../../people/sign-in-refusals.js';
import type { ClientRequests } from '../contract.js';
import type { WsContext, WsHandlers } from '../ws.js';
import type { TapLimiter } from '../tap-limiter.js';
import type { GuestService } from '../../guests/guest-service.js';
import type { KioskControls } from '../../music/music-director.js';
import { actors, type Actor } from '../../store/store-reads.js';

/**
 * What the kiosk's player requests need of the music: its taps, likes and skips (`MusicDirector`,
 * which audits each with who tapped). Each method MAY throw a `MoodboxError`
 * (`MB_ERR_NOT_FOUND` for an unknown track, `MB_ERR_PLAYER_NOT_ALLOWED`, `MB_ERR_AUTH_REQUIRED`),
 * which the kiosk shows as it is.
 */
export type MusicControls = KioskControls;

export interface PlayerRequestsDeps {
  music: MusicControls;
  presence: Pick<KioskPresence, 'touch'>;
  /** Counts taps per screen connection and per address. */
  taps: TapLimiter;
  /** Guests' requests: a tap from another device than the box is a guest's ask. Absent: such a tap is refused. */
  guests?: Pick<GuestService, 'request'> | undefined;
}

type PlayerRequests = Pick<ClientRequests, 'player/play' | 'player/like' | 'player/unlike' | 'player/skip'>;

/**
 * The kiosk's player requests on `/ws`: `player/play` (a tap on a suggestion), `player/like`,
 * `player/unlike` and `player/skip`. Each counts as activity of whoever is signed in at the kiosk.
 * A tap while someone is signed in plays for them and so needs their credential; a like, unlike or
 * skip always acts for a person. Taps are counted per screen connection and per address
 * (`player.tapsPerMinute`, `player.tapsPerHour`; past them 429 `MB_ERR_PLAYER_TOO_FAST`). Only a
 * tap on the box itself (the kiosk's touchscreen) plays at once; one from any other device (a phone
 * that opened the kiosk page, a host on the LAN) is a guest's ask, with the guests' rules: it needs
 * `guests.requests` on, counts against that phone's and that address's hourly requests, and plays
 * between the mood's picks, or waits for the room.
 */
export function playerRequests({ music, presence, taps, guests }: PlayerRequestsDeps): WsHandlers<PlayerRequests> {
  // Checked here, not only in the director: a guest's like must not land on someone who signs in while it waits its turn.
  // Who acts: the person signed in at the kiosk.
  const person = (context: WsContext, what: string): Actor => {
    const acting = context.actingFor(what);
    if (acting === null) throw SIGN_IN_REFUSALS.toShapePicks(what);
    return actors.person(acting.id);
  };
  return {
    'player/play': async ({ trackId }, context) => {
      const { connection } = context;
      const waitS = taps.take({ connection: connection.id, address: connection.address });
      if (waitS !== undefined) {
        throw MUSIC_REFUSALS.tooManyTaps(waitS);
      }
      if (!connection.isOnBox) {
        if (guests === undefined) {
          throw MUSIC_REFUSALS.atKioskOnly();
        }
        // As the guest page asks: the same budgets, repeat window and mood rules; it never acts for the person signed in.
        const asked = guests.request({ id: `screen-${connection.id}`, address: connection.address }, trackId);
        return { trackId, message: `Asked for as a guest. ${asked.reason}.` };
      }
      // The person signed in, or the kiosk itself with nobody signed in.
      const acting = context.actingFor('choose a song');
      presence.touch();
      return music.tap(trackId, acting === null ? actors.kiosk : actors.person(acting.id));
    },
    'player/like': async ({ trackId }, context) => {
      const actor = person(context, 'like a song');
      presence.touch();
      return music.like(trackId, actor);
    },
    'player/unlike': async ({ trackId }, context) => {
      const actor = person(context, 'unlike a song');
      presence.touch();
      return music.unlike(trackId, actor);
    },
    'player/skip': async (data, context) => {
      const actor = person(context, 'skip a song');
      presence.touch();
      return music.skip({ by: 'listener', actor, trackId: data?.trackId });
    },
  };
}
