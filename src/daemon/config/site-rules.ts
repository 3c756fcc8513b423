import type { Config } from './schema.js';

/** Why a business plays only its own music: said wherever a setting is refused for it. */
export const BUSINESS_MUSIC_REASON =
  'streaming services (Spotify, YouTube) license their music for personal use only: a café or shop plays music it may play in public (its own library, or a stream licensed for it)';

/**
 * The rules between settings that a schema cannot say: a box set up for a business (`site.kind`)
 * plays only the local library. Returns each problem as `path: message`.
 */
export function siteProblems(config: Pick<Config, 'site' | 'music'>): string[] {
  if (config.site.kind === 'business' && config.music.source !== 'local') {
    return [
      `music.source: expected \`local\` when \`site.kind\` is \`business\`, got \`${config.music.source}\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    ];
  }
  return [];
}
