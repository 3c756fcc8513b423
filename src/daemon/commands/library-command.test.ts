import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorruptFile, makeTone } from '../../player/testing/tones.js';
import { MOODBOX_CLI } from '../testing/daemon-process.js';

let root: string;
let music: string;
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
  root = await mkdtemp(join(tmpdir(), 'moodbox-cli-library-'));
  music = join(root, 'music');
  config = join(root, 'config.json');
  await writeFile(config, JSON.stringify({ dataDir: join(root, 'data'), player: { audioOutput: 'null' } }));
  await Promise.all([
    makeTone(music, { file: 'lake.flac', hz: 330, tags: { title: 'Lake', artist: 'Ann' } }),
    makeTone(music, { file: 'storm.flac', hz: 550, tags: { title: 'Storm', artist: 'Bob' } }),
    makeTone(music, { file: 'sun.flac', hz: 770, tags: { title: 'Sun', artist: 'Cy', genre: 'Disco' } }),
    makeCorruptFile(music, 'junk.mp3'),
  ]);
  await writeFile(join(music, 'moods.csv'), 'path,moods\nlake.flac,calm:0.9\nstorm.flac,power\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Each `moodbox` here is a process start: 1–2 s of CPU, 5–8 s on a busy machine, and a test runs up to four.
describe('moodbox library / play', { timeout: 60_000 }, () => {
  it('scans a folder, reports the file it skipped, and lists tracks by mood', () => {
    const scan = moodbox(['library', 'scan', music, '--no-analysis']);
    expect(scan.status).toBe(0);
    expect(scan.stdout).not.toContain('analysis');
    expect(scan.stdout).toContain('4 audio files');
    expect(scan.stdout).toContain('added 3');
    expect(scan.stdout).toContain(`${join(music, 'junk.mp3')}: `);
    expect(scan.stdout).toContain('2 tracks tagged');

    const calm = JSON.parse(moodbox(['library', 'list', '--mood', 'calm', '--json']).stdout) as Array<{ title: string; moods: unknown[] }>;
    expect(calm.map((t) => t.title)).toEqual(['Lake']);
    expect(calm[0]?.moods).toEqual([{ mood: 'calm', weight: 0.9, origin: 'sidecar' }]);
    expect(moodbox(['library', 'list']).stdout).toMatch(/Cy – Sun {2}0:01 {2}\[upbeat 0\.7\]/);
  });

  it('plays a track until it ends and keeps the play in the history', () => {
    const played = moodbox(['play', '1']);
    expect(played).toMatchObject({ status: 0, stdout: 'playing Ann – Lake\ncompleted\n' });
    const db = new Database(join(root, 'data', 'moodbox.db'), { readonly: true });
    expect(db.prepare('SELECT track_id AS trackId, reason, outcome, note FROM plays').all()).toEqual([
      { trackId: 1, reason: 'tap', outcome: 'completed', note: 'played from the command line' },
    ]);
    db.close();
    expect(moodbox(['play', join(music, 'junk.mp3')])).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('cannot read') as string,
    });
  });

  it('analyses the library: `library analyze` places each track, `list --json` shows what it heard, and a second run has nothing to do', () => {
    const before = JSON.parse(moodbox(['library', 'list', '--json']).stdout) as Array<{ title: string; audio: unknown }>;
    expect(before.map((t) => t.audio)).toEqual([null, null, null]);

    const analyzed = moodbox(['library', 'analyze']);
    expect(analyzed.status).toBe(0);
    expect(analyzed.stdout).toMatch(/^analysis: 3 of 3 tracks analysed/);
    // Not a terminal: plain lines, no bar redrawn in place.
    expect(analyzed.stderr).toContain('analysing: 3/3\n');
    expect(analyzed.stderr).not.toContain('\r');

    const after = JSON.parse(moodbox(['library', 'list', '--json']).stdout) as Array<{
      title: string;
      moods: Array<{ origin: string }>;
      audio: { arousal: number; valence: number; tempoBpm: number | null; loudnessLufs: number; durationS: number };
    }>;
    for (const t of after) {
      expect(t.audio.arousal, t.title).toBeGreaterThanOrEqual(-1);
      expect(t.audio.arousal, t.title).toBeLessThanOrEqual(1);
      expect(t.audio.valence, t.title).toBeTypeOf('number');
      expect(t.audio.loudnessLufs, t.title).toBeLessThan(0);
      expect(t.audio.durationS, t.title).toBeCloseTo(1, 1);
    }
    // The moods file's moods stay; the track only the genre rule had tagged takes what was heard.
    expect(after.find((t) => t.title === 'Lake')?.moods).toEqual([{ mood: 'calm', weight: 0.9, origin: 'sidecar' }]);
    expect(after.find((t) => t.title === 'Sun')?.moods.every((m) => m.origin === 'audio')).toBe(true);

    expect(moodbox(['library', 'analyze']).stdout).toBe('analysis: every track was already analysed\n');
    expect(moodbox(['library', 'analyze', '--force', '--json']).stdout).toContain('"analysed": 3');
  }, 90_000);

  it('analyses what a scan finds unless told not to', async () => {
    await makeTone(music, { file: 'new/rain.flac', hz: 220, tags: { title: 'Rain', artist: 'Di' } });
    const scan = moodbox(['library', 'scan', music]);
    expect(scan.status).toBe(0);
    expect(scan.stdout).toContain('analysis: 1 of 1 tracks analysed');
    const rain = (JSON.parse(moodbox(['library', 'list', '--search', 'rain', '--json']).stdout) as Array<{ audio: unknown }>)[0];
    expect(rain?.audio).toMatchObject({ arousal: expect.any(Number) as number });
  }, 60_000);

  // Issue 80: a row an older version stored with a file's raw tags put escape sequences on the terminal.
  it('lists a stored row with controls in its tags without a control character, plain or as JSON', () => {
    const db = new Database(join(root, 'data', 'moodbox.db'));
    const title = `\u001b]0;owned\u0007\u001b[2JCafe\u0301\u009b31m\u202e Noir\n${'la '.repeat(33_351)}`;
    db.prepare(`INSERT INTO tracks (uri, title, artist, added_at, updated_at) VALUES (?, ?, ?, 0, 0)`).run(
      join(music, 'old-row.flac'),
      title,
      'Eve\u001b[8m\u007f',
    );
    db.close();

    const listed = moodbox(['library', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
    const line = listed.stdout.split('\n').find((l) => l.includes('Eve'));
    expect(line).toMatch(/^ +\d+ {2}Eve\[8m – \]0;owned\[2JCafé31m Noir la la /);
    expect(line?.length).toBeLessThan(400);

    // JSON keeps the stored text, but escapes what a terminal would act on.
    const json = moodbox(['library', 'list', '--json']).stdout;
    expect(json.trimEnd()).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
    expect((JSON.parse(json) as Array<{ title: string }>).some((t) => t.title === title)).toBe(true);
  }, 60_000);
});
