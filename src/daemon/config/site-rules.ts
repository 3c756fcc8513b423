import { SOURCES } from '../../player/sources/registered-sources.js';
import type { SourceRegistry } from '../../player/sources/source-registry.js';
import type { Config } from './schema.js';

/** Why a business plays only its own music: said wherever a setting is refused for it. */
export const BUSINESS_MUSIC_REASON =
  'streaming services (Spotify, YouTube) license their music for personal use only: a café or shop plays music it may play in public (its own library, or a stream licensed for it)';

/**
 * The rules between settings that a schema cannot say: a box set up for a business (`site.kind`)
 * plays no source registered for homes only, and each source's settings are as it says (a value
 * that would stop the start is refused when it is saved), as the registry (`sources`) says. Returns
 * each problem as `path: message`.
 */
export function siteProblems(
  config: {
    readonly site: Pick<Config['site'], 'kind'>;
    readonly music: Pick<Config['music'], 'youtube'> & { readonly source: string };
  } & Readonly<Record<string, unknown>>,
  sources: SourceRegistry = SOURCES,
): string[] {
  const problems: string[] = [];
  for (const source of sources.all) {
    const section = config[source.settings];
    if (section === undefined) continue;
    problems.push(...(source.settingsProblems?.(section) ?? []).map((problem) => `${source.settings}.${problem}`));
  }
  const allowed = sources.modesAt({ isHome: config.site.kind === 'home' });
  if (!allowed.includes(config.music.source)) {
    problems.push(
      `music.source: expected ${allowed.map((mode) => `\`${mode}\``).join(' or ')} when \`site.kind\` is \`${config.site.kind}\`, got \`${config.music.source}\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    );
  }
  if (config.site.kind === 'business' && config.music.youtube) {
    problems.push(
      `music.youtube: expected \`false\` when \`site.kind\` is \`business\`, got \`true\`: ${BUSINESS_MUSIC_REASON}; set \`site.kind\` to \`home\` for a home`,
    );
  }
  return problems;
}

/** Why a YouTube station cannot play: the box is a business's, YouTube is off, or yt-dlp is missing. */
export type YoutubeBlock = 'business' | 'off' | 'noYtDlp';

/**
 * Why a YouTube station cannot be added or played now, or undefined when it can: a business never
 * plays YouTube, a home only with `music.youtube` on and yt-dlp installed (`command -v yt-dlp`).
 * `STATION_REFUSALS.youtube` says it.
 */
export function youtubeBlock(config: Pick<Config, 'site' | 'music'>, hasYtDlp: boolean): YoutubeBlock | undefined {
  if (config.site.kind === 'business') return 'business';
  if (!config.music.youtube) return 'off';
  if (!hasYtDlp) return 'noYtDlp';
  return undefined;
}
