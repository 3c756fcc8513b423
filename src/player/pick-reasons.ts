import { said, type Said } from '../kernel/said.js';

/**
 * Why a song is picked or plays, in words: the English (`text`, kept in the history and sent to
 * what reads the API) and the same sentence as data (`said`, a message of the screens' catalogues,
 * `common.said.<id>` in `src/ui/i18n/catalogues/`), for the screens to say in the reader's
 * language. Each sentence is written here once, in both forms; `pick-reasons.test.ts` renders
 * every `said` through the English catalogue and checks it is `text`.
 */
export interface Reason {
  text: string;
  said: Said;
}

/**
 * The library moods the catalogues have a word for (`common.said.music.<mood>`, lowercase, as it
 * reads inside a sentence): the built-in moods and the common tags. A mood an owner made up is
 * sent as it is named.
 */
export const MUSIC_WORDS: readonly string[] = Object.freeze([
  'calm',
  'mellow',
  'uplifting',
  'upbeat',
  'energetic',
  'power',
  'happy',
  'sad',
  'tense',
]);

/** A library mood inside a sentence: the catalogue's word for it, or its own name when the catalogue has none. */
export function musicWord(mood: string): string | { said: string } {
  return MUSIC_WORDS.includes(mood) ? { said: `music.${mood}` } : mood;
}

const reason = (text: string, id: string, values?: Said['values']): Reason => ({ text, said: said(id, values) });

/** The recommender's reasons, by what they say (`aim`: the mood the picks aim at). */
export const PICK_REASONS = {
  /**
   * It fits the mood aimed at; a song whose own mood (`own`) is another one says that mood first
   * ("calm, which fits mellow"), so that no screen says "fits mellow" on a song tagged calm.
   */
  fits: (aim: string, own?: string) =>
    own === undefined || own === aim
      ? reason(`fits ${aim}`, 'pick.fits', { mood: musicWord(aim) })
      : reason(`${own}, which fits ${aim}`, 'pick.fitsAsOwn', { own: musicWord(own), mood: musicWord(aim) }),
  liked: (aim: string) => reason(`you liked it; fits ${aim}`, 'pick.liked', { mood: musicWord(aim) }),
  artist: (artist: string, aim: string) =>
    reason(`an artist you like (${artist}); fits ${aim}`, 'pick.artist', { artist, mood: musicWord(aim) }),
  language: (aim: string) => reason(`in your language; fits ${aim}`, 'pick.language', { mood: musicWord(aim) }),
  /** A lift (the music steps the room toward a mood) has arrived. */
  liftReached: (aim: string) => reason(`reached ${aim}, the target mood`, 'pick.liftReached', { mood: musicWord(aim) }),
  /** A lift on its way: this step's mood is `aim`. */
  liftStep: (from: string, target: string, aim: string) =>
    reason(`a step from ${from} toward ${target} (${aim})`, 'pick.liftStep', {
      from: musicWord(from),
      target: musicWord(target),
      mood: musicWord(aim),
    }),
  /** No song fits `aim` at all: the nearest mood that has songs stands in. */
  noSongsFit: (aim: string, standIn: string) =>
    reason(`no songs fit ${aim}: ${standIn}, the nearest mood`, 'pick.noSongsFit', { mood: musicWord(aim), nearest: musicWord(standIn) }),
  /** Few songs fit: one of the closest, by its own mood (`own`), or with none. */
  fallback: (own: string | undefined, aim: string) =>
    own === undefined
      ? reason('something different', 'pick.somethingDifferent')
      : own === aim
        ? reason(own, 'pick.ownMood', { own: musicWord(own) })
        : reason(`${own}, near ${aim}`, 'pick.nearMood', { own: musicWord(own), mood: musicWord(aim) }),
  /** Far from `aim` (its own mood `own`): the songs near it are few, or played lately. */
  fewNear: (own: string, aim: string) =>
    reason(`${own}: few songs near ${aim} can play now`, 'pick.fewNear', { own: musicWord(own), mood: musicWord(aim) }),
  /**
   * What the taste model learned, then the mood: `text` is `describeFeature`'s words, `feature`
   * its message (`featureSaid`), which goes on with the mood.
   */
  learned: (text: string, feature: Said, aim: string) =>
    reason(`${text}; fits ${aim}`, feature.id, { ...feature.values, mood: musicWord(aim) }),
} as const;

/** Why a song plays that no recommender picked: staff, a guest, a tap at the kiosk, a Spotify playlist. */
export const PLAY_REASONS = {
  staff: reason('chosen by staff', 'play.staff'),
  guest: reason('asked for by a guest', 'play.guest'),
  kiosk: reason('chosen at the kiosk', 'play.kiosk'),
  /** The guest page's word for a song that plays with no reason given. */
  room: reason('fits the room', 'play.room'),
  spotify: (mood: string, asked: string) =>
    mood === asked
      ? reason(`a Spotify playlist for ${mood}`, 'play.spotify', { mood: musicWord(mood) })
      : reason(`a Spotify playlist (${mood}; none is mapped to ${asked})`, 'play.spotifyNearest', {
          mood: musicWord(mood),
          asked: musicWord(asked),
        }),
} as const;
