/** Shorter than this (a jingle, a test tone, a few seconds of silence), a track is never picked by itself. */
export const MIN_AUTO_PICK_MS = 30_000;

/**
 * Whether the music may pick `track` by itself, as the next song or a suggestion: not a very short
 * one. A person can still tap any track. A track of unknown length (a stream, a file not yet
 * measured) may be picked.
 */
export function isAutoPickable(track: { durationMs: number | null }): boolean {
  return track.durationMs === null || track.durationMs >= MIN_AUTO_PICK_MS;
}
