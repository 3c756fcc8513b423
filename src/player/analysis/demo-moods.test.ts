import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudioFile, moodsFromPlane } from './analyze-audio.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const CALM = ['still-water', 'morning-fog'];
const ENERGETIC = ['fast-lane', 'neon-runner'];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moodbox-demo-moods-'));
  // Two calm and two energetic pieces of the demo library, shortened to 30 s.
  await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts/make-demo-music.ts'),
      dir,
      '--seconds',
      '30',
      '--jobs',
      '1',
      '--only',
      [...CALM, ...ENERGETIC].join(','),
    ],
    { cwd: ROOT },
  );
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the demo library, heard', () => {
  it('hears the energetic pieces as more aroused than the calm ones, and the calm ones low on the plane', async () => {
    const arousal = async (name: string) => (await analyzeAudioFile(join(dir, `${name}.ogg`))).arousal;
    const calm = await Promise.all(CALM.map(arousal));
    const energetic = await Promise.all(ENERGETIC.map(arousal));
    expect(Math.min(...energetic)).toBeGreaterThan(Math.max(...calm));
    // A loose check: the synthetic demo sits lower on the plane than real recordings (see README.md).
    for (const a of calm) expect(a).toBeLessThan(-0.5);
    const calmMoods = moodsFromPlane({ arousal: Math.max(...calm), valence: 0 }).map((m) => m.mood);
    expect(calmMoods[0]).toMatch(/calm|mellow/);
  }, 60_000);
});
