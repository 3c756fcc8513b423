import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibraryScanState, MoodboxBus } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { LiveConfig } from '../config/live-config.js';
import { DEMO_LIBRARY, libraryFolders } from '../config/paths.js';
import { loadConfig } from '../config/load-config.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { LibraryScanner } from '../../player/library/scanner.js';
import { MusicMetadataTagReader } from '../../player/library/music-metadata-tag-reader.js';
import { makeTone } from '../../player/testing/tones.js';
import { LibraryService } from './library-service.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {}, child: () => silent };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('music folders saved in the panel', () => {
  /** A box whose install folder is `root` (its demo music in `root/demo/library`), its library scanned as the daemon does. */
  async function box(root: string, folders: string[]) {
    const clock = new FakeClock();
    const store = openSqliteStore({ clock, log: silent }, { path: ':memory:' });
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const env = { HOME: root };
    const settings = new LiveConfig(
      { store: store.settings, log: silent, bus },
      { file: undefined, env, config: loadConfig({ env }).config },
    );
    settings.save({ library: { folders } }, clock.now());
    const library = new LibraryService(
      {
        scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock, log: silent }, { coversDir: join(root, 'covers') }),
        clock,
        log: silent,
        bus,
        count: () => store.tracks.count(),
        folders: () => libraryFolders(settings.current.library.folders, root),
        store,
      },
      { scanAtStart: true },
    );
    const scans: LibraryScanState[] = [];
    const scanned = (n: number) =>
      new Promise<void>((resolve) => {
        const off = bus.on(
          'libraryScanChanged',
          (state) => {
            if (state.scanning || state.lastScan === null) return;
            scans.push(state);
            if (scans.length === n) resolve(off());
          },
          'test',
        );
      });
    const first = scanned(1);
    await library.start();
    await first;
    const titles = () =>
      store.tracks
        .list({ limit: 10 })
        .items.map((t) => t.title)
        .sort();
    const close = async () => {
      await library.stop();
      store.close();
    };
    return { settings, clock, scans, scanned, titles, close };
  }

  async function folders() {
    const root = mkdtempSync(join(tmpdir(), 'mb-folders-'));
    dirs.push(root);
    const [demo, own] = [join(root, DEMO_LIBRARY), join(root, 'own')];
    mkdirSync(demo, { recursive: true });
    mkdirSync(own);
    await makeTone(demo, { file: 'lemon-fizz.ogg', hz: 440, tags: { title: 'Lemon Fizz', artist: 'Demo' } });
    await makeTone(demo, { file: 'paper-planes.ogg', hz: 550, tags: { title: 'Paper Planes', artist: 'Demo' } });
    await makeTone(own, { file: 'our-song.ogg', hz: 660, tags: { title: 'Our Song', artist: 'The Owners' } });
    return { root, demo, own };
  }

  it('are scanned at once, and the songs of a folder no longer in the list leave the library (the demo’s, say)', async () => {
    const { root, demo, own } = await folders();
    const { settings, clock, scans, scanned, titles, close } = await box(root, [demo]);
    expect(titles()).toEqual(['Lemon Fizz', 'Paper Planes']);

    // The owner adds their folder in place of the demo's: no restart.
    const second = scanned(2);
    const change = settings.save({ library: { folders: [own] } }, clock.now());
    expect(change.restartRequired).toEqual([]);
    await second;
    expect(titles()).toEqual(['Our Song']);
    expect(scans[1]?.lastScan).toMatchObject({ added: 1, missing: 2 });
    expect(scans[1]?.tracks).toBe(1);
    await close();
  }, 60_000);

  it('take the demo songs out once a folder of the owner’s own is listed beside the demo’s, and bring them back when it goes', async () => {
    const { root, own } = await folders();
    const { settings, clock, scans, scanned, titles, close } = await box(root, [DEMO_LIBRARY]);
    expect(titles()).toEqual(['Lemon Fizz', 'Paper Planes']);

    const second = scanned(2);
    settings.save({ library: { folders: [DEMO_LIBRARY, own] } }, clock.now());
    await second;
    expect(titles()).toEqual(['Our Song']);
    expect(scans[1]?.lastScan).toMatchObject({ added: 1, missing: 2 });

    const third = scanned(3);
    settings.save({ library: { folders: [DEMO_LIBRARY] } }, clock.now());
    await third;
    expect(titles()).toEqual(['Lemon Fizz', 'Paper Planes']);
    await close();
  }, 60_000);
});
