import type { StoredAnalysis } from './library.js';

/**
 * A track's analysis as people read it (`library list --json`, the admin library, the data
 * export): its point and every feature measured, or why it could not be analysed.
 */
export type AudioView =
  | { arousal: number; valence: number; tempoBpm: number | null; loudnessLufs: number | null; [feature: string]: number | string | null }
  | { error: string; message: string };

/** `null` when the track was not analysed (yet). */
export function audioView(analysis: StoredAnalysis | undefined): AudioView | null {
  if (analysis === undefined) return null;
  if (analysis.audio === null) return { error: analysis.error?.reason ?? 'failed', message: analysis.error?.message ?? '' };
  const { arousal, valence, tempoBpm, loudnessLufs, features } = analysis.audio;
  return { ...features, arousal, valence, tempoBpm, loudnessLufs };
}
