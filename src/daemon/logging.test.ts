import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, openLogFile } from './logging.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the log file outside systemd', () => {
  it('rotates at its size and keeps only its count of old files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'moodbox-log-'));
    const file = await openLogFile({ dataDir: dir, log: { level: 'info', file: 'logs/moodbox.log', fileMiB: 1, fileCount: 2 } });
    expect(file).toBeDefined();
    // As the daemon's logger writes to it (stdout aside).
    const log = createLogger({ level: 'info', destination: file });
    const line = 'x'.repeat(1000);
    // About 5 MiB of log in 1 MiB files: the oldest go.
    for (let i = 0; i < 5000; i++) {
      log.info({ i, line }, 'a line');
      if (i % 100 === 99) await sleep(5);
    }
    // The stream writes and rotates in the background: close it as the daemon does when it stops,
    // then wait until the files beyond the count are gone (on a busy machine that can take a while).
    const read = (): { files: string[]; numbers: number[] } => {
      const files = readdirSync(join(dir, 'logs')).filter((f) => /^moodbox\.\d+\.log$/.test(f));
      const lines = files.flatMap((f) =>
        readFileSync(join(dir, 'logs', f), 'utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      return { files, numbers: lines.map((l) => (JSON.parse(l) as { i: number }).i) };
    };
    const stream = file as unknown as NodeJS.EventEmitter & { end(): void };
    const closed = once(stream, 'close');
    stream.end();
    await closed;
    await vi.waitFor(
      () => {
        const { files, numbers } = read();
        if (files.length > 3) throw new Error(`old files not yet removed: ${files.length} files, ${numbers.length} lines`);
      },
      { timeout: 30_000, interval: 50 },
    );
    const { files, numbers } = read();
    // The current file and two old ones.
    expect(files.length).toBeLessThanOrEqual(3);
    expect(files.length).toBeGreaterThanOrEqual(2);
    // Whole JSON lines, the newest among them.
    expect(Math.max(...numbers)).toBe(4999);
    expect(numbers.length).toBeLessThan(4000);
  }, 60_000);

  it('is not opened when `log.file` is empty', async () => {
    dir = mkdtempSync(join(tmpdir(), 'moodbox-log-'));
    expect(await openLogFile({ dataDir: dir, log: { level: 'info', file: '', fileMiB: 1, fileCount: 2 } })).toBeUndefined();
  });
});
