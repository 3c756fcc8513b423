import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { checkConfig, loadConfig } from './load-config.js';
import { MusicSchema } from './schema-music.js';
import { siteProblems } from './site-rules.js';
import { REGISTERED_SOURCES } from '../../player/sources/registered-sources.js';
import { SourceRegistry } from '../../player/sources/source-registry.js';
import { ARCHIVE_REGISTRATION } from '../../player/sources/testing/archive/archive-source.js';

/** The box's sources with the example archive added, as its one registration line adds it. */
const WITH_ARCHIVE = new SourceRegistry([...REGISTERED_SOURCES, ARCHIVE_REGISTRATION]);

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

  it('refuses a wrong Spotify redirect as Spotify says, wherever the box plays', () => {
    const problems = checkConfig({ site: { kind: 'home' }, spotify: { clientId: 'app', redirectUri: 'https://box.example/cb' } });
    expect(problems).toEqual([
      expect.stringMatching(/^spotify\.redirectUri: expected an http address on the box's loopback .* got `https:\/\/box\.example\/cb`/),
    ]);
    expect(
      checkConfig({ site: { kind: 'home' }, spotify: { clientId: 'app', redirectUri: 'http://[::1]:8080/api/spotify/callback' } }),
    ).toEqual([]);
  });

  it('lets a business play a source registered for businesses too, and refuses the home-only ones as the registry says', () => {
    const business = { site: { kind: 'business' as const }, music: { source: 'archive', youtube: false } };
    const archive = { library: 'https://archive.example' };
    expect(siteProblems({ ...business, archive }, WITH_ARCHIVE)).toEqual([]);
    expect(siteProblems({ ...business, archive, music: { source: 'mixed', youtube: false } }, WITH_ARCHIVE)).toEqual([]);
    expect(siteProblems({ ...business, archive, music: { source: 'spotify', youtube: false } }, WITH_ARCHIVE)).toEqual([
      expect.stringMatching(/^music\.source: expected `local` or `archive` or `mixed` when `site.kind` is `business`, got `spotify`/),
    ]);
    // Its own settings are checked as it says, under its section's name.
    expect(siteProblems({ ...business, archive: { library: 'ftp://archive.example' } }, WITH_ARCHIVE)).toEqual([
      'archive.library: expected an http or https address, got `ftp://archive.example`',
    ]);
    // The box as registered today plays nothing but its library at a business.
    expect(siteProblems({ ...business, music: { source: 'mixed', youtube: false } })).toHaveLength(1);
  });

  it('marks in the schema the sources a business may not choose, and names each source, for the admin panel', () => {
    expect(JSON.parse(JSON.stringify(MusicSchema.properties.source.anyOf))).toEqual([
      { const: 'local', type: 'string' },
      { const: 'spotify', type: 'string', title: 'Spotify', homesOnly: true },
      { const: 'mixed', type: 'string', homesOnly: true },
    ]);
  });
});
