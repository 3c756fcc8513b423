import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANALYSIS_VERSION, moodsFromPlane } from '../../player/analysis/analyze-audio.js';
import { ForkedAnalysisWorker } from '../../player/library/analysis-worker.js';
import { LibraryAnalyzer, type AnalysisProgress } from '../../player/library/library-analyzer.js';
import { MusicMetadataTagReader } from '../../player/library/music-metadata-tag-reader.js';
import { LibraryScanner } from '../../player/library/scanner.js';
import { makeCorruptFile, makeTone } from '../../player/testing/tones.js';
import type { LibraryScanState, MoodboxBus } from '../events.js';
import { systemClock } from '../../kernel/clock.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { LibraryService } from './library-service.js';
import { MusicCatalogue } from './music-catalogue.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { stopService } from '../../kernel/lifecycle.js';

const COUNTING = pathToFileURL(join(import.meta.dirname, '../../player/testing/counting-analyzer.ts')).href;
const silent = { info() {}, warn() {} };

let dir: string;
let music: string;
let calls: string;
let stores: SqliteStore[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-analysis-'));
  music = join(dir, 'music');
  calls = join(dir, 'calls.tsv');
  stores = [];
  process.env['MOODBOX_ANALYSIS_CALLS'] = calls;
  await Promise.all([
    makeTone(music, { file: 'a.flac', hz: 220, seconds: 3, tags: { title: 'A', genre: 'Ambient' } }),
    makeTone(music, { file: 'b.flac', hz: 440, seconds: 3, tags: { title: 'B', genre: 'Metal' } }),
    makeTone(music, { file: 'c.flac', hz: 660, seconds: 3, tags: { title: 'C' } }),
    makeTone(music, { file: 'd.flac', hz: 880, seconds: 3, tags: { title: 'D', genre: 'Pop' } }),
  ]);
});

afterEach(async () => {
  for (const store of stores) store.close();
  delete process.env['MOODBOX_ANALYSIS_CALLS'];
  await rm(dir, { recursive: true, force: true });
});

function open(): SqliteStore {
  const store = openSqliteStore({ clock: systemClock, log: silent }, { path: join(dir, 'moodbox.db') });
  stores.push(store);
  return store;
}

async function scan(store: SqliteStore): Promise<void> {
  await new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: join(dir, 'covers') }).scan(
    music,
  );
}

function analyzer(
  store: SqliteStore,
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
): { analyzer: LibraryAnalyzer; worker: ForkedAnalysisWorker } {
  const worker = new ForkedAnalysisWorker({ analyzerModule: COUNTING });
  return {
    worker,
    analyzer: new LibraryAnalyzer(
      { store, worker, clock: systemClock, moodsFromPlane, ...(log ? { log } : {}) },
      { version: ANALYSIS_VERSION },
    ),
  };
}

/** Each finished analysis: the process that did it and the file. */
function analysed(): Array<{ pid: number; path: string }> {
  let text = '';
  try {
    text = readFileSync(calls, 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [pid, path] = l.split('\t');
      return { pid: Number(pid), path: path ?? '' };
    });
}

const timesEach = (): Record<string, number> =>
  analysed().reduce<Record<string, number>>(
    (n, { path }) => ({ ...n, [path.slice(music.length + 1)]: (n[path.slice(music.length + 1)] ?? 0) + 1 }),
    {},
  );

describe('analysis of the library', { timeout: 90_000 }, () => {
  it('runs in a child process (not the daemon), goes on after that process is killed, and analyses no file twice', async () => {
    const store = open();
    await scan(store);
    const { analyzer: run, worker } = analyzer(store);
    const pids: number[] = [];
    const report = await run.analyze({
      onProgress: (p: AnalysisProgress) => {
        pids.push(worker.pid ?? -1);
        // Killed between two files, as the OOM killer or a crash would.
        if (p.done === 1) process.kill(worker.pid ?? 0, 'SIGKILL');
      },
    });
    expect(report).toMatchObject({ total: 4, analysed: 4, failed: [] });
    expect(timesEach()).toEqual({ 'a.flac': 1, 'b.flac': 1, 'c.flac': 1, 'd.flac': 1 });
    const workers = new Set(analysed().map((c) => c.pid));
    expect(workers.has(process.pid)).toBe(false);
    // The work moved to a fresh process after the kill.
    expect(workers.size).toBe(2);
    expect(pids[0]).not.toBe(process.pid);

    const a = store.tracks.byUri(join(music, 'a.flac'));
    const stored = store.analyses.get(a?.id ?? 0);
    expect(stored?.version).toBe(ANALYSIS_VERSION);
    expect(stored?.audio?.loudnessLufs).toBeTypeOf('number');
    expect(store.tracks.moods(a?.id ?? 0).every((m) => m.origin === 'audio')).toBe(true);
    expect(run.pendingCount()).toBe(0);
  });

  it('after a restart goes on where it stopped, and analyses a changed file again', async () => {
    const first = open();
    await scan(first);
    const stop = new AbortController();
    const { analyzer: run } = analyzer(first);
    const stopped = await run.analyze({ signal: stop.signal, onProgress: (p) => p.done === 2 && stop.abort() });
    expect(stopped).toMatchObject({ analysed: 2, stopped: true });
    first.close();

    // The daemon starts again on the same database.
    const second = open();
    const { analyzer: again } = analyzer(second);
    expect(again.pendingCount()).toBe(2);
    expect(await again.analyze()).toMatchObject({ total: 2, analysed: 2, stopped: false });
    expect(timesEach()).toEqual({ 'a.flac': 1, 'b.flac': 1, 'c.flac': 1, 'd.flac': 1 });

    // Nothing new: nothing is analysed.
    expect(await again.analyze()).toMatchObject({ total: 0, analysed: 0 });
    // A file replaced by another version is analysed again, and only it.
    await makeTone(music, { file: 'c.flac', hz: 330, seconds: 4, tags: { title: 'C' } });
    await scan(second);
    expect(await again.analyze()).toMatchObject({ total: 1, analysed: 1 });
    expect(timesEach()).toEqual({ 'a.flac': 1, 'b.flac': 1, 'c.flac': 2, 'd.flac': 1 });
    // `--force` does them all.
    expect(await again.analyze({ force: true })).toMatchObject({ total: 4, analysed: 4 });
  });

  it("keeps an admin's moods over what it heard, and stores the analysis anyway", async () => {
    const store = open();
    await scan(store);
    const b = store.tracks.byUri(join(music, 'b.flac'))?.id ?? 0;
    const d = store.tracks.byUri(join(music, 'd.flac'))?.id ?? 0;
    store.tracks.setMoods(b, [{ mood: 'romantic', weight: 1, origin: 'admin' }]);
    expect(store.tracks.moods(d)).toEqual([{ mood: 'upbeat', weight: 0.7, origin: 'rule' }]);
    await analyzer(store).analyzer.analyze();
    expect(store.tracks.moods(b)).toEqual([{ mood: 'romantic', weight: 1, origin: 'admin' }]);
    expect(store.analyses.get(b)?.audio).not.toBeNull();
    // A track with only the genre rule's guess takes what was heard instead.
    const heard = store.analyses.get(d)?.audio;
    expect(store.tracks.moods(d)).toEqual(moodsFromPlane(heard ?? { arousal: 0, valence: 0 }).map((m) => ({ ...m, origin: 'audio' })));
  });

  it('survives bad files: each keeps its track with the reason stored, is logged once, and the rest is analysed', async () => {
    const store = open();
    await scan(store);
    const good = store.tracks.byUri(join(music, 'a.flac'))?.id ?? 0;
    // Files the tag reader let through but no analysis can hear.
    const empty = join(music, 'empty.flac');
    await writeFile(empty, '');
    const junk = await makeCorruptFile(music, 'junk.flac');
    const text = join(music, 'notes.mp3');
    await writeFile(text, 'these are not the tracks you are looking for\n'.repeat(200));
    // Cut off at 40%: the length its header promises cannot be decoded.
    const truncated = await makeTone(music, { file: 'truncated.flac', hz: 500, seconds: 30 });
    await truncate(truncated, Math.floor(((await stat(truncated)).size * 4) / 10));
    const leaving = join(music, 'leaving.flac');
    await makeTone(music, { file: 'leaving.flac', hz: 300, seconds: 3 });
    const ids = Object.fromEntries(
      [empty, junk, text, truncated, leaving].map((uri) => [
        uri.slice(music.length + 1),
        store.tracks.upsert({ uri, title: uri, fileSize: 1, fileMtimeMs: 1 }).id,
      ]),
    );
    store.tracks.setMoods(ids['junk.flac'] ?? 0, [{ mood: 'calm', weight: 0.5, origin: 'sidecar' }]);
    const warned: Array<{ path: string; reason: string }> = [];
    const log = { info() {}, warn: (o: object) => warned.push(o as { path: string; reason: string }) };
    const report = await analyzer(store, log).analyzer.analyze({
      // Removed while the library is being analysed.
      onProgress: (p) => p.done === 1 && void rm(leaving),
    });
    expect(report.analysed).toBe(4);
    expect(report.failed.map((f) => [f.path.slice(music.length + 1), f.reason]).sort()).toEqual([
      ['empty.flac', 'empty'],
      ['junk.flac', 'undecodable'],
      ['leaving.flac', 'missing'],
      ['notes.mp3', 'undecodable'],
      ['truncated.flac', 'undecodable'],
    ]);
    expect(warned.map((w) => w.path).sort()).toEqual([empty, junk, leaving, text, truncated].sort());
    for (const [file, id] of Object.entries(ids)) {
      expect(store.tracks.get(id)?.missing, file).toBe(false);
      expect(store.analyses.get(id)?.error?.reason, file).toBeTypeOf('string');
      expect(
        store.tracks.moods(id).some((m) => m.origin === 'audio'),
        file,
      ).toBe(false);
    }
    // Nothing stored is lost: the moods file's moods and the good track's analysis.
    expect(store.tracks.moods(ids['junk.flac'] ?? 0)).toEqual([{ mood: 'calm', weight: 0.5, origin: 'sidecar' }]);
    expect(store.analyses.get(good)?.audio).not.toBeNull();
    // Logged once: a second run does not try the bad files again.
    warned.length = 0;
    const again = await analyzer(store, log).analyzer.analyze();
    expect(again.total).toBe(1); // only the removed file, should it come back
    expect(warned.map((w) => w.path)).toEqual([leaving]);
  });

  it('is the one that says the library changed when the stations change, and says nothing once stopped', async () => {
    const store = open();
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const changed: Array<{ tracks: number; why: string }> = [];
    bus.on('libraryChanged', (c) => changed.push(c), 'test');
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const service = new LibraryService(
      {
        scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: join(dir, 'covers') }),
        clock: systemClock,
        log,
        bus,
        count: () => 7,
        folders: () => [music],
        store,
      },
      { scanAtStart: false },
    );
    await service.start();
    bus.emit('stationsChanged', { at: 1000 });
    expect(changed).toEqual([{ tracks: 7, why: 'stations' }]);
    await stopService(service, [bus]);
    bus.emit('stationsChanged', { at: 2000 });
    expect(changed).toHaveLength(1);
  });

  it('follows each scan of the library service, with its progress in the state pushed to the admin and the music reloaded', async () => {
    const store = open();
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const states: LibraryScanState[] = [];
    const changed: string[] = [];
    bus.on('libraryScanChanged', (s) => states.push(s), 'test');
    bus.on('libraryChanged', (c) => changed.push(c.why), 'test');
    const logged: string[] = [];
    const log = { debug() {}, info: (_: object, msg: string) => void logged.push(msg), warn() {}, error() {} };
    const service = new LibraryService(
      {
        scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: join(dir, 'covers') }),
        analyzer: analyzer(store, log).analyzer,
        clock: systemClock,
        log,
        bus,
        count: () => store.tracks.count(),
        folders: () => [music],
        store,
      },
      { scanAtStart: false },
    );
    await service.scan();
    expect(service.isAnalysing).toBe(true);
    // Asked again during the run: once it ends, what is left (nothing) is done.
    expect(await service.analyze()).toMatchObject({ total: 0 });
    expect(states.some((s) => s.analysis.running && s.analysis.total === 4)).toBe(true);
    expect(service.state.analysis).toEqual({ running: false, done: 4, total: 4, failed: 0 });
    expect(changed).toEqual(['scan', 'analysis']);
    expect(logged).toEqual(expect.arrayContaining(['analysing music', 'music analysed']));
    // Two songs more: the run hears those two, and the panel says what is heard of the whole library, 6 of 6, not 2 of 2 (issue 58).
    await Promise.all([
      makeTone(music, { file: 'e.flac', hz: 330, seconds: 3, tags: { title: 'E' } }),
      makeTone(music, { file: 'f.flac', hz: 550, seconds: 3, tags: { title: 'F' } }),
    ]);
    await service.scan();
    expect(await service.analyze()).toMatchObject({ total: 0 });
    expect(states.some((s) => s.analysis.running && s.analysis.total === 2)).toBe(true);
    expect(service.state.analysis).toEqual({ running: false, done: 6, total: 6, failed: 0 });
    await service.stop();
  });

  // Issue 38: the dashboard said "24 songs are not analysed yet" while Library said "24 of 24": an
  // analysis that changed no mood (every song tagged by hand or a moods file) did not reload the music.
  it('reloads the music when the analysis ends, also when it changed no mood, so no song is counted as not analysed', async () => {
    const store = open();
    await scan(store);
    for (const track of store.tracks.allWithMoods()) store.tracks.setMoods(track.id, [{ mood: 'calm', weight: 1, origin: 'admin' }]);
    const bus: MoodboxBus = new EventBus(throwingReporter);
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const catalogue = new MusicCatalogue({ log, store });
    catalogue.reload();
    bus.on('libraryChanged', () => catalogue.reload(), 'test');
    expect(catalogue.notAnalysed).toBe(4);
    const service = new LibraryService(
      {
        scanner: new LibraryScanner({ store, tags: new MusicMetadataTagReader(), clock: systemClock }, { coversDir: join(dir, 'covers') }),
        analyzer: analyzer(store).analyzer,
        clock: systemClock,
        log,
        bus,
        count: () => store.tracks.count(),
        folders: () => [music],
        store,
      },
      { scanAtStart: false },
    );
    expect(await service.analyze()).toMatchObject({ analysed: 4, moodsChanged: 0 });
    expect(service.state.analysis).toEqual({ running: false, done: 4, total: 4, failed: 0 });
    expect(catalogue.notAnalysed).toBe(0);
    await service.stop();
  });
});
