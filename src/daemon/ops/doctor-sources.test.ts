import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { REGISTERED_SOURCES } from '../../player/sources/registered-sources.js';
import { SourceRegistry } from '../../player/sources/source-registry.js';
import { ARCHIVE_REGISTRATION } from '../../player/sources/testing/archive/archive-source.js';
import { sourceChecks } from './doctor-sources.js';

/** The box's sources with the example archive added, as its one registration line adds it. */
const WITH_ARCHIVE = new SourceRegistry([...REGISTERED_SOURCES, ARCHIVE_REGISTRATION]);

describe("the doctor's lines for the music sources", () => {
  const config = (overlay: Record<string, unknown>) => ({ ...loadConfig({ env: {}, overlay }).config, ...overlay });

  it('checks Spotify at a home with an app, under its name, and says what would stop the start', () => {
    const home = config({ site: { kind: 'home' }, server: { port: 8123 }, spotify: { clientId: ' app1 ' } });
    expect(sourceChecks(home)).toEqual([
      { name: 'spotify', status: 'ok', message: 'Spotify app app1, back to http://127.0.0.1:8123/api/spotify/callback' },
    ]);
    const odd = config({ site: { kind: 'home' }, spotify: { clientId: 'app1' } });
    expect(sourceChecks({ ...odd, spotify: { ...odd.spotify, redirectUri: 'not an address' } })).toEqual([
      expect.objectContaining({
        name: 'spotify',
        status: 'fail',
        fix: 'fix spotify.clientId and spotify.redirectUri in Settings or the configuration file',
      }),
    ]);
    // A business never plays it, and a home without an app does not use it: no line.
    expect(sourceChecks(config({ site: { kind: 'business' }, spotify: { clientId: 'app1' } }))).toEqual([]);
    expect(sourceChecks(config({ site: { kind: 'home' } }))).toEqual([]);
  });

  it('names a newly registered source where it may play, as it checks itself, with no line of the doctor changed', () => {
    const business = { ...config({ site: { kind: 'business' } }), archive: { library: 'https://archive.example' } };
    expect(sourceChecks(business, WITH_ARCHIVE)).toEqual([
      { name: 'archive', status: 'ok', message: 'recordings from https://archive.example' },
    ]);
    expect(sourceChecks({ ...business, archive: { library: '' } }, WITH_ARCHIVE)).toEqual([]);
  });
});
