import type { Config } from './schema.js';

/** Why a business plays only its own music: said wherever a setting is refused for it. */
export const BUSINESS_MUSIC_REASON =
  'streaming services (Spotify, YouTube) license their music for personal use only: a café or shop plays music it may play in public (its own library, or a stream licensed for it)';

/**
 * The rules between settings that a schema cannot say: a box set up for a business (`site.kind`)
 * plays only the local library. Returns each problem as `path: message`.
 */
export function siteProblems(config: Pick<Config, 'site' | 'music'>): string[] {
  const problems: string[] = [];
  if (config.site.kind === 'business' && config.music.source !== 'local') {
    problems.push(
      `music.source: expected \`local\` when \`site.kind\` is \`business\`, got \`${config.music.source}\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    );
  }
  if (config.site.kind === 'business' && config.music.youtube) {
    problems.push(
      `music.youtube: expected \`false\` when \`site.kind\` is \`business\`, got \`true\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    );
  }
  return problems;
}

/**
 * Why a YouTube station cannot be added or played now, or undefined when it can: a business never
 * plays YouTube, a home only with `music.youtube` on and yt-dlp installed (`command -v yt-dlp`).
 */
export function youtubeRefusal(config: Pick<Config, 'site' | 'music'>, hasYtDlp: boolean): string | undefined {
  if (config.site.kind === 'business') return `YouTube is not played at a business: ${BUSINESS_MUSIC_REASON}`;
  if (!config.music.youtube) return 'YouTube is off on this box: turn on `music.youtube` in Settings first';
  if (!hasYtDlp) return 'YouTube needs yt-dlp, which is not installed on this box: install it with `sudo apt install yt-dlp`';
  return undefined;
}
