import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { checkConfig, loadConfig } from './load-config.js';

describe('site rules', () => {
  it('plays the local library at a business by default', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.site.kind).toBe('business');
    expect(config.music.source).toBe('local');
  });

  it('refuses Spotify at a business and says why', () => {
    const problems = checkConfig({ site: { kind: 'business' }, music: { source: 'spotify' } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^music\.source: expected `local` when `site.kind` is `business`, got `spotify`: streaming services/);
    expect(checkConfig({ site: { kind: 'business' }, music: { source: 'mixed' } })).toHaveLength(1);
    expect(() => loadConfig({ env: {}, overlay: { music: { source: 'mixed' } } })).toThrow(ConfigError);
  });

  it('lets a home play Spotify', () => {
    expect(checkConfig({ site: { kind: 'home' }, music: { source: 'spotify' } })).toEqual([]);
    expect(loadConfig({ env: {}, overlay: { site: { kind: 'home' }, music: { source: 'mixed' } } }).config.music.source).toBe('mixed');
  });
});
