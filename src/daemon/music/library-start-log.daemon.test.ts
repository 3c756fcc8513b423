import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTone } from '../../player/testing/tones.js';
import { DaemonProcess, type LogLine, until, writeConfig } from '../testing/daemon-process.js';

// A new owner reading the terminal (or journalctl) at the first start was told the library was
// empty while the box was still scanning the music folders. The log says the library is empty only
// once a scan has found nothing; before the first scan ends it says the box is scanning.

const dir = mkdtempSync(join(tmpdir(), 'moodbox-library-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `moodbox start` on a music folder scanned at start, in a data folder of its own. */
async function startOn(name: string, folder: string): Promise<DaemonProcess> {
  const home = join(dir, name);
  mkdirSync(home, { recursive: true });
  const config = writeConfig(home, {
    dataDir: join(home, 'data'),
    server: { port: 0 },
    camera: { enabled: false },
    player: { audioOutput: 'null' },
    library: { folders: [folder], scanAtStart: true },
  });
  return DaemonProcess.start({ args: ['--config', config], env: { PATH: process.env['PATH'] ?? '', HOME: home } });
}

const says = (line: LogLine, words: string): boolean => JSON.stringify(line).includes(words);

describe('the log at the first start', { timeout: 60_000 }, () => {
  it('never says the library is empty while the scan finds the songs of the music folder', async () => {
    const songs = join(dir, 'songs');
    for (const [i, hz] of [440, 660].entries()) {
      await makeTone(songs, { file: `${i}.flac`, hz, seconds: 2, tags: { title: `Tone ${i}`, artist: 'Test' } });
    }
    const daemon = await startOn('songs', songs);
    try {
      // The scan has found the songs and the music has them.
      const loaded = await until(() => daemon.lines.find((l) => l['msg'] === 'music library loaded' && l['tracks'] === 2));
      expect(loaded).toBeDefined();
      expect(daemon.lines.filter((l) => says(l, 'library is empty'))).toEqual([]);
    } finally {
      await daemon.stop();
    }
    expect(daemon.lines.filter((l) => says(l, 'library is empty'))).toEqual([]);
  });

  it('says the library is empty once the scan of an empty folder has ended, and before that that it is scanning', async () => {
    const empty = join(dir, 'nothing');
    mkdirSync(empty, { recursive: true });
    const daemon = await startOn('empty', empty);
    try {
      await until(() => daemon.lines.find((l) => says(l, 'library is empty')));
      const scanned = daemon.lines.findIndex((l) => l['msg'] === 'music folder scanned');
      const emptySaid = daemon.lines.findIndex((l) => says(l, 'library is empty'));
      expect(scanned).toBeGreaterThanOrEqual(0);
      expect(emptySaid).toBeGreaterThan(scanned);
      // What the box said before: it was scanning, not that there was nothing.
      const before = daemon.lines.slice(0, scanned).filter((l) => l['msg'] === 'nothing to play');
      for (const line of before) expect(String(line['why'])).toMatch(/being scanned/);
    } finally {
      await daemon.stop();
    }
  });
});
