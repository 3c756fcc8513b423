import type { KioskPresence, KioskUser } from '../../people/kiosk-presence.js';
import type { PeopleService } from '../../people/people-service.js';
import type { LiveConfig } from '../../config/live-config.js';
import { SIGN_IN_REFUSALS } from '../../people/sign-in-refusals.js';
import type { StoreReads } from '../../store/store-reads.js';
import type { ClientRequests, MyPreferences } from '../contract.js';
import { coverUrlOf } from '../track-view.js';
import type { WsContext, WsHandlers } from '../ws.js';
import { NOT_A_LANGUAGE } from '../../../player/library/tag-reader.js';

export interface MeRequestsDeps {
  presence: Pick<KioskPresence, 'touch'>;
  /** Preferences are set as the HTTP `PATCH /api/me/preferences` sets them. */
  people: Pick<PeopleService, 'setPreferences' | 'recentNames'>;
  store: Pick<StoreReads, 'users' | 'plays' | 'tracks'>;
  settings: Pick<LiveConfig, 'current'>;
  /** The guest page's address for the kiosk's QR code, or null (`guestUrlOf`). @default none */
  guestUrl?: () => string | null;
}

type MeRequests = Pick<
  ClientRequests,
  'session/options' | 'session/names' | 'session/stay' | 'me/profile' | 'me/history' | 'me/preferences'
>;

/** How many artists the preferences offer: the ones the person heard most, so the list stays short enough to tap through. */
const ARTIST_CHOICES = 30;
/** The most names suggested at once. */
const NAMES_SUGGESTED = 4;

/** How many likes count for the liked marks (the recommender reads as many). */
const LIKES_READ = 1000;

const sorted = (values: Iterable<string>): string[] =>
  [...new Set(values)].filter((v) => v.trim() !== '').sort((a, b) => a.localeCompare(b));

/**
 * The person a `me/*` request acts for (`actingFor`: their token, or the kiosk's own screen), their
 * idle sign-out started again. `MB_ERR_AUTH_REQUIRED` when nobody is signed in, when this screen may
 * not act for them, or when their session has just run out; `what` completes "Sign in to …".
 */
export function signedInPerson(context: WsContext, presence: Pick<KioskPresence, 'touch'>, what: string): KioskUser {
  if (context.actingFor(what) === null) throw SIGN_IN_REFUSALS.nobody(what);
  const person = presence.touch();
  if (person === null) throw SIGN_IN_REFUSALS.signedOut(what);
  return person;
}

/**
 * The signed-in person's own side of the kiosk on `/ws`: "tap to stay", their likes, history and
 * preferences. WebSocket requests rather than the `/api/me` routes because after a card sign-in
 * no screen holds a token, and the kiosk's own screen acts for whoever is signed in at it
 * (`actingFor`). Each counts as their activity. `session/options` is for anyone; `session/names`
 * answers names only where the screen sees the whole state (`WsContext.view`).
 */
export function meRequests({ presence, people, store, settings, guestUrl }: MeRequestsDeps): WsHandlers<MeRequests> {
  const idleTimeoutS = (): number => settings.current.sessions.kioskIdleTimeoutS;
  /** The person these requests act for, their idle time started again; refused when nobody is signed in. */
  const me = (context: WsContext, what: string) => {
    const person = signedInPerson(context, presence, what);
    const user = store.users.get(person.id);
    if (user === undefined) throw SIGN_IN_REFUSALS.accountGone(what);
    return user;
  };
  const likes = (userId: number): number[] => [
    ...new Set(
      store.plays
        .feedbackFor(userId, { limit: LIKES_READ })
        .filter((f) => f.kind === 'like')
        .map((f) => f.trackId),
    ),
  ];
  /** Names are suggested where the screen sees the whole state (the box itself, an admin), and only while the admin allows it. */
  const mayShowNames = (context: WsContext): boolean => settings.current.sessions.suggestNames && context.view() === 'all';
  const preferencesOf = (p: Partial<MyPreferences>): MyPreferences => ({
    languages: p.languages ?? [],
    artists: p.artists ?? [],
    avoidMoods: p.avoidMoods ?? [],
  });

  return {
    'session/options': async (_data, context) => ({
      selfRegistration: settings.current.sessions.selfRegistration,
      idleTimeoutS: idleTimeoutS(),
      suggestNames: mayShowNames(context),
      guestUrl: guestUrl?.() ?? null,
    }),

    // Names on the box's own screen (and to an admin), while the admin has turned the suggestions
    // on; never to the guest view (a phone, a tablet, a program on the LAN), which sees no name.
    'session/names': async ({ prefix }, context) => {
      if (!mayShowNames(context)) return { names: [] };
      return { names: people.recentNames(prefix, NAMES_SUGGESTED) };
    },

    'session/stay': async (_data, context) => {
      me(context, 'stay signed in');
      return { expiresInMs: idleTimeoutS() * 1000 };
    },

    'me/profile': async (_data, context) => {
      const user = me(context, 'see your page');
      const preferences = preferencesOf(user.preferences);
      const library = store.tracks.allWithMoods();
      // The artists they heard most (plays and likes), so the list is theirs and short.
      const heard = new Map<string, number>();
      const count = (trackId: number | null): void => {
        const artist = trackId === null ? undefined : store.tracks.get(trackId)?.artist;
        if (artist) heard.set(artist, (heard.get(artist) ?? 0) + 1);
      };
      for (const play of store.plays.list({ userId: user.id, limit: 500 }).items) count(play.trackId);
      for (const trackId of likes(user.id)) count(trackId);
      const artists = [...heard.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, ARTIST_CHOICES)
        .map(([a]) => a);
      return {
        user: { id: user.id, name: user.name },
        likedTrackIds: likes(user.id),
        preferences,
        choices: {
          languages: sorted([...library.map((t) => t.language).filter((l) => !NOT_A_LANGUAGE.has(l)), ...preferences.languages]),
          artists: sorted([...artists, ...preferences.artists]),
          avoidMoods: sorted([...library.flatMap((t) => t.moods.map((m) => m.mood)), ...preferences.avoidMoods]),
        },
        idleTimeoutS: idleTimeoutS(),
      };
    },

    'me/history': async (data, context) => {
      const user = me(context, 'see your history');
      const page = store.plays.list({ userId: user.id, limit: data?.limit ?? 20 });
      const liked = new Set(likes(user.id));
      return {
        total: page.total,
        items: page.items.map((play) => {
          const track = play.trackId === null ? undefined : store.tracks.get(play.trackId);
          return {
            id: play.id,
            trackId: play.trackId,
            // An untagged file is named by its file name, as everywhere on the kiosk.
            title: track === undefined ? null : track.title || (track.uri.split('/').pop() ?? track.uri),
            artist: track?.artist ?? null,
            coverUrl: coverUrlOf(track?.cover ?? null),
            startedAt: play.startedAt,
            mood: play.mood,
            liked: play.trackId !== null && liked.has(play.trackId),
          };
        }),
      };
    },

    'me/preferences': async (data, context) => {
      const user = me(context, 'change your preferences');
      return preferencesOf(people.setPreferences(user, data).preferences);
    },
  };
}
