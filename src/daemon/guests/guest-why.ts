import { said, type Said } from '../../kernel/said.js';
import { PLAY_REASONS } from '../../player/pick-reasons.js';

/**
 * Why the song playing plays, in a guest's words. The music's own reasons are written for the
 * staff and the signed-in person at the kiosk ("no songs fit upbeat: uplifting, the nearest mood",
 * "you liked it; fits calm"); a guest reads the mood the music plays, and how it stands with the
 * room's mood or the one staff chose: "uplifting music, close to the upbeat mood staff chose". In
 * both forms, as `guest-reasons.ts` writes them: the English (`text`) and the same sentence as data
 * (`said`, `common.said.guest.why.<id>`), for the guest page to say in the guest's language.
 */
export interface GuestWhy {
  readonly text: string;
  readonly said: Said;
}

/** A mood inside a sentence: the catalogue's word for it (`{ said: 'music.calm' }`), or the name an owner gave it. */
type MoodWord = string | { said: string };

/** The reasons that say nothing but who chose the song, or that it fits the room: a guest reads them as they are. */
const AS_THEY_ARE = new Set(['play.staff', 'play.guest', 'play.kiosk', 'play.room']);

const why = (text: string, id: string, values?: Said['values']): GuestWhy => ({ text, said: said(`guest.why.${id}`, values) });

/** A mood word in English: the catalogue's own word is its id (`music.calm` says "calm"). */
function english(word: MoodWord): string {
  return typeof word === 'string' ? word : word.said.replace(/^music\./, '');
}

function moodOf(values: Said['values'], name: string): MoodWord | undefined {
  const value = values?.[name];
  return typeof value === 'string' || (typeof value === 'object' && typeof value.said === 'string') ? value : undefined;
}

const fits = (mood: MoodWord, held: string | null): GuestWhy =>
  english(mood) === held
    ? why(`${english(mood)} music, the mood staff chose`, 'heldFits', { mood })
    : why(`${english(mood)} music, for the room’s mood`, 'roomFits', { mood });

const near = (own: MoodWord, mood: MoodWord, held: string | null): GuestWhy =>
  english(mood) === held
    ? why(`${english(own)} music, close to the ${english(mood)} mood staff chose`, 'heldNear', { own, mood })
    : why(`${english(own)} music, close to the room’s ${english(mood)} mood`, 'roomNear', { own, mood });

/**
 * The guest's words for a song playing with the reason `text` (`reason` its data, none for a song
 * that plays with no reason given), while staff hold the music to the mood `held` (null: the music
 * follows the room). A song picked for the room before staff chose another mood says so.
 */
export function guestWhy(text: string | undefined, reason: Said | null | undefined, held: string | null): GuestWhy {
  if (text !== undefined && reason !== null && reason !== undefined && AS_THEY_ARE.has(reason.id)) return { text, said: reason };
  const values = reason?.values;
  const [own, mood] = [moodOf(values, 'own'), moodOf(values, 'mood')];
  switch (reason?.id ?? '') {
    case 'pick.fitsAsOwn':
    case 'pick.nearMood':
      if (own !== undefined && mood !== undefined) return near(own, mood, held);
      break;
    case 'pick.noSongsFit': {
      const nearest = moodOf(values, 'nearest');
      if (nearest !== undefined && mood !== undefined) return near(nearest, mood, held);
      break;
    }
    case 'play.spotifyNearest': {
      const asked = moodOf(values, 'asked');
      if (mood !== undefined && asked !== undefined) return near(mood, asked, held);
      break;
    }
    case 'pick.liftStep': {
      const [from, target] = [moodOf(values, 'from'), moodOf(values, 'target')];
      if (from !== undefined && target !== undefined) {
        return why(`music on its way from ${english(from)} to ${english(target)}`, 'lift', { from, target });
      }
      break;
    }
    case 'pick.fewNear':
      if (own !== undefined) return why(`${english(own)} music for now`, 'forNow', { own });
      break;
    case 'pick.ownMood':
      if (own !== undefined) return fits(own, held);
      break;
    case 'pick.somethingDifferent':
      return why('something different', 'different');
    default:
      // A reason of the music's own that is no pick (what it follows without the camera): as it is.
      if (text !== undefined && reason !== null && reason !== undefined && !/^(pick|learned|play)\./.test(reason.id)) {
        return { text, said: reason };
      }
      break;
  }
  // Every other pick names the mood the music aims at (a person's likes, their language, what the
  // taste model learned are theirs, not the guests'): the mood alone.
  if (mood !== undefined) return fits(mood, held);
  return held !== null ? why('music staff chose', 'heldUnnamed') : PLAY_REASONS.room;
}
