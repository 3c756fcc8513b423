import type { PlayableTrack } from '../play-queue.js';

/** The longest crossfade (ms): longer, and the end of one song covers the start of the next. */
export const CROSSFADE_MAX_MS = 12_000;

/**
 * A crossfade is not arranged this close to where the song would have to stop (ms): mpv might end
 * the song before it hears of the new end, and the next song would then repeat its last seconds.
 */
const LEAD_MS = 1000;

/**
 * How one song fades into the next in a single mpv. mpv has no crossfade between playlist entries,
 * so the overlap is built from two things it does have: the song playing stops `ms` early (its
 * file-local `end`), and the next song's entry carries an audio filter (libavfilter, through mpv's
 * `lavfi` wrapper) that reads the first song's last seconds itself (`amovie`) and mixes them, fading
 * out, under the next song fading in. mpv then moves from one entry to the next gaplessly, as it
 * always does, and what it plays overlaps for exactly `ms`.
 */
export interface CrossfadePlan {
  /** Where the song playing now stops, in seconds (mpv's `end`). */
  endS: number;
  /** mpv's audio filter for the next song's entry (its per-file `af`). */
  af: string;
}

export interface CrossfadeSettings {
  /** The crossfade length, 0–12000 ms; 0: gapless. */
  crossfadeMs: number;
  /** mpv's ReplayGain mode: its gain is the next song's, and applies to the whole mix. */
  replayGain: 'track' | 'album' | 'no';
  /** Where the song playing now is, in ms. */
  positionMs: number;
}

/**
 * The crossfade from `from` (playing) into `to` (next), or undefined when they follow gaplessly:
 * crossfade off, a song of unknown length or not a local file (a stream fades in, but never out), a
 * song too short for the fade, too late to arrange it, or two songs of one album (gapless, as the
 * album runs).
 */
export function planCrossfade(from: PlayableTrack, to: PlayableTrack, settings: CrossfadeSettings): CrossfadePlan | undefined {
  const ms = settings.crossfadeMs;
  const fromMs = from.durationMs ?? undefined;
  if (ms <= 0 || fromMs === undefined || fromMs < 2 * ms) return undefined;
  // The tail is read from the file by path: a song that is not a local file has none to read.
  if (!from.uri.startsWith('/')) return undefined;
  if (to.durationMs !== undefined && to.durationMs !== null && to.durationMs < 2 * ms) return undefined;
  if (isSameAlbum(from, to)) return undefined;
  const endMs = fromMs - ms;
  if (settings.positionMs + LEAD_MS > endMs) return undefined;
  // mpv applies the next song's ReplayGain to everything the filter puts out: the tail is brought
  // to its own song's gain relative to that one, so it goes on at the loudness it had.
  const gain = settings.replayGain === 'no' ? 1 : 10 ** (((from.replayGainDb ?? 0) - (to.replayGainDb ?? 0)) / 20);
  const seconds = seconds3(ms);
  const tail =
    `amovie=filename=${escapeGraph(escapeOption(from.uri))}:seek_point=${seconds3(endMs)},asetpts=PTS-STARTPTS,` +
    `volume=${gain.toFixed(6)},afade=t=out:d=${seconds}:curve=qsin`;
  // Equal-power fades (quarter sines): the two songs together are as loud as either alone.
  const graph = `afade=t=in:d=${seconds}:curve=qsin[next];${tail}[tail];[next][tail]amix=inputs=2:duration=first:normalize=0`;
  return { endS: endMs / 1000, af: `lavfi=graph=${quoteOption(graph)}` };
}

/** Checks a crossfade length from the settings or a caller. */
export function assertCrossfadeMs(ms: number): number {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > CROSSFADE_MAX_MS) {
    throw new RangeError(`Expected \`crossfadeMs\` to be an integer from 0 to ${CROSSFADE_MAX_MS}, got \`${String(ms)}\` (${typeof ms})`);
  }
  return ms;
}

/** mpv's per-file option `name=value`, its value quoted by length (`%n%`), so that no character in it is special. */
export function fileOption(name: string, value: string): string {
  return `${name}=${quoteOption(value)}`;
}

/** Joins mpv per-file option lists (`a=1,b=2`), leaving out the missing ones; undefined when none is left. */
export function joinFileOptions(...lists: ReadonlyArray<string | undefined>): string | undefined {
  const present = lists.filter((list): list is string => list !== undefined && list !== '');
  return present.length === 0 ? undefined : present.join(',');
}

function isSameAlbum(a: PlayableTrack, b: PlayableTrack): boolean {
  const album = a.album?.trim() ?? '';
  return album !== '' && album === (b.album?.trim() ?? '');
}

/** mpv's length-quoting: `%n%` and then n bytes, whatever they are. */
function quoteOption(value: string): string {
  return `%${Buffer.byteLength(value, 'utf8')}%${value}`;
}

/** The first level of libavfilter's escaping: a filter option's value (`'`, `\` and `:` are special there). */
function escapeOption(value: string): string {
  return value.replace(/[\\':]/g, (c) => `\\${c}`);
}

/** The second level: a filter's description inside a graph (`[ ] , ;` separate filters and chains). */
function escapeGraph(value: string): string {
  return value.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

function seconds3(ms: number): string {
  return (ms / 1000).toFixed(3);
}
