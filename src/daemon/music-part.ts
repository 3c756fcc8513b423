import type { Log } from '../kernel/log.js';
import type { Config } from './config/schema.js';
import { GuestService } from './guests/guest-service.js';
import { MusicDirector, type MusicDirectorDeps } from './music/music-director.js';
import type { Track } from './store/store.js';

/** What the music part is built from: the director's ground and ports, and the guests' settings when guests may ask. */
export interface MusicPartDeps extends Omit<MusicDirectorDeps, 'guests'> {
  /** Guests from their phones, asking over the music. @default none: the music plays its own picks alone */
  guests?: GuestOptions;
}

/** The guests' part: their log, settings, and whether the box runs its demo. */
export interface GuestOptions {
  /** The guests' own log (the music's is `log`). */
  log: Log;
  /** The settings now (they may change while running). */
  settings: () => Pick<Config, 'guests' | 'site' | 'music'>;
  /** True in demo mode (no configuration file): guests are on by default. */
  isDemo: boolean;
}

export interface MusicPart {
  /** The one owner of the music (`core.music`). */
  music: MusicDirector;
  /** The guests' requests, likes and votes, when built with `guests`. */
  guests: GuestService | undefined;
}

/**
 * Builds the music's one owner and, when guests may ask, the guests' service over it, the same way
 * for the daemon (`moodbox.ts`) and for every test harness. The two need each other: the music
 * plays a guest's request after each of its own picks (`GuestQueue.next`), and the guests judge
 * each request by the music's fit and tell it when their queue changes. The guests are made over
 * the music here, and the music's `GuestQueue` answers from them: it is asked only once the music
 * has started, after this function has returned both.
 */
export function buildMusicPart(deps: MusicPartDeps & { guests: GuestOptions }): MusicPart & { guests: GuestService };
export function buildMusicPart(deps: MusicPartDeps): MusicPart;
export function buildMusicPart(deps: MusicPartDeps): MusicPart {
  const { guests: guestOptions, ...ground } = deps;
  const blocked = deps.blocked;
  const part: { guests: GuestService | undefined } = { guests: undefined };
  const music = new MusicDirector({
    ...ground,
    ...(guestOptions === undefined ? {} : { guests: { next: (judge) => part.guests?.next(judge) } }),
  });
  if (guestOptions !== undefined) {
    part.guests = new GuestService({
      clock: deps.clock,
      log: guestOptions.log,
      bus: deps.bus,
      store: deps.store,
      player: deps.player,
      music,
      settings: guestOptions.settings,
      isDemo: guestOptions.isDemo,
      ...(deps.isPlayable === undefined ? {} : { isPlayable: deps.isPlayable }),
      ...(blocked === undefined ? {} : { isBlocked: (track: Pick<Track, 'id' | 'artist'>) => blocked(track) !== null }),
    });
  }
  return { music, guests: part.guests };
}
