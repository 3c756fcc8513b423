import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTone } from '../../player/testing/tones.js';
import { MOODBOX_CLI } from '../testing/daemon-process.js';

let root: string;
let config: string;

function moodbox(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MOODBOX_CLI, ...args, '--config', config], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: root },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'moodbox-cli-recommend-'));
  const music = join(root, 'music');
  config = join(root, 'config.json');
  await writeFile(config, JSON.stringify({ dataDir: join(root, 'data'), player: { audioOutput: 'null' } }));
  await Promise.all([
    makeTone(music, { file: 'lake.flac', hz: 330, seconds: 31, tags: { title: 'Lake', artist: 'Ann' } }),
    makeTone(music, { file: 'pond.flac', hz: 440, seconds: 31, tags: { title: 'Pond', artist: 'Ann' } }),
    makeTone(music, { file: 'storm.flac', hz: 550, seconds: 31, tags: { title: 'Storm', artist: 'Bob' } }),
    makeTone(music, { file: 'jingle.flac', hz: 880, seconds: 5, tags: { title: 'Jingle', artist: 'Shop' } }),
    makeTone(music, { file: 'sting.flac', hz: 990, seconds: 8, tags: { title: 'Sting', artist: 'Shop' } }),
  ]);
  await writeFile(
    join(music, 'moods.csv'),
    'path,moods\nlake.flac,calm:0.9\npond.flac,calm:0.8\nstorm.flac,power\njingle.flac,calm\nsting.flac,calm\n',
  );
  const scan = spawnSync(process.execPath, [MOODBOX_CLI, 'library', 'scan', music, '--no-analysis', '--config', config], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: root },
    timeout: 60_000,
  });
  if (scan.status !== 0) throw new Error(`scan failed: ${scan.stderr}`);
}, 90_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Each call starts the CLI afresh, a few seconds at load 20; a test here makes up to four.
describe('moodbox recommend', { timeout: 120_000 }, () => {
  // Issue 38: the command built its own index and suggested a 5 s jingle and an 8 s sting, which the daemon never picks by itself.
  it('suggests what the box would play: by the daemon’s own catalogue, never a jingle or a sting under 30 s', () => {
    const first = moodbox(['recommend', '--mood', 'calm', '--seed', '5', '--json']);
    expect(first.status).toBe(0);
    const picks = JSON.parse(first.stdout) as { next: { title: string; reason: { text: string } }; suggestions: Array<{ title: string }> };
    expect(picks.next.reason.text).toBe('fits calm');
    expect(['Lake', 'Pond']).toContain(picks.next.title);
    const titles = [picks.next.title, ...picks.suggestions.map((s) => s.title)];
    expect(titles).not.toContain('Jingle');
    expect(titles).not.toContain('Sting');
    expect(new Set(titles)).toEqual(new Set(['Lake', 'Pond', 'Storm']));
    // They are in the library all the same, to be chosen by hand.
    const listed = JSON.parse(moodbox(['library', 'list', '--mood', 'calm', '--json']).stdout) as Array<{ title: string }>;
    expect(listed.map((t) => t.title).sort()).toEqual(['Jingle', 'Lake', 'Pond', 'Sting']);
  });

  it('gives the same picks for the same seed, takes an emotion through the emotion → mood table, and names a person who is not there', () => {
    expect(moodbox(['recommend', '--mood', 'calm', '--seed', '5', '--json']).stdout).toBe(
      moodbox(['recommend', '--mood', 'calm', '--seed', '5', '--json']).stdout,
    );
    // angry → power by default.
    expect(moodbox(['recommend', '--mood', 'angry', '--seed', '1']).stdout).toMatch(/^next: Bob – Storm {2}\(fits power/);
    expect(moodbox(['recommend', '--mood', 'calm', '--user', '42'])).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('got `42`') as string,
    });
  });
});
