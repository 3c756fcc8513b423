import type { Config } from '../config/schema.js';
import { SOURCES } from '../../player/sources/registered-sources.js';
import type { SourceRegistry } from '../../player/sources/source-registry.js';
import type { Check } from './doctor-check.js';

/**
 * `moodbox doctor`'s line for each music source that may play on this box (allowed where it plays
 * and set up in its settings), as the source checks itself, under the source's name.
 */
export function sourceChecks(
  config: Pick<Config, 'site' | 'server'> & Readonly<Record<string, unknown>>,
  sources: SourceRegistry = SOURCES,
): Check[] {
  return sources.usable({ isHome: config.site.kind === 'home' }, config).flatMap((source) => {
    const check = source.check?.(config[source.settings], { port: config.server.port });
    return check === undefined ? [] : [{ name: source.kind, ...check }];
  });
}
