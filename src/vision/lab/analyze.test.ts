import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraError } from '../errors.js';
import { analyzePath, formatRecord, type AnalyzeRecord } from './analyze.js';
import { HaarFaceDetector } from '../haar-face-detector.js';
import { OnnxEmotionClassifier } from '../onnx-emotion-classifier.js';
import { stageEmotionModel } from '../testing/emotion-model.js';
import { FIXTURE_FACES, fixturePath, isOnFace } from '../testing/fixtures.js';
import { MOODBOX_CLI } from '../../daemon/testing/daemon-process.js';

const model = stageEmotionModel();
if (model === undefined) throw new Error('no emotion model in models/: run scripts/model first');
const classifier = new OnnxEmotionClassifier({}, { modelPath: model.path });
const detector = new HaarFaceDetector();
let dir: string;

beforeAll(async () => {
  await classifier.start(new AbortController().signal);
  dir = mkdtempSync(join(tmpdir(), 'moodbox-analyze-'));
});

afterAll(async () => {
  await classifier.stop();
  model.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(path: string, onError?: (err: CameraError) => void): Promise<AnalyzeRecord[]> {
  const records: AnalyzeRecord[] = [];
  for await (const record of analyzePath(path, { detector, classifier, log: { error() {} }, ...(onError ? { onError } : {}) }))
    records.push(record);
  return records;
}

const asBox = ([x, y, width, height]: readonly number[]) => ({ x: x ?? 0, y: y ?? 0, width: width ?? 0, height: height ?? 0 });

describe('analyzePath', () => {
  it('reads a happy face as happy', async () => {
    const [record, ...rest] = await collect(fixturePath('happy-face'));
    expect(rest).toEqual([]);
    expect(record?.faces).toHaveLength(1);
    const face = record!.faces[0]!;
    expect(isOnFace(asBox(face.box), FIXTURE_FACES['happy-face'][0]!)).toBe(true);
    expect(face.emotion).toBe('happy');
    expect(Object.keys(face.probabilities)).toEqual(classifier.labels);
    expect(record?.mood).toBe('happy');
    expect(formatRecord(record!)).toMatch(
      /^happy-face\.png: happy \d+% at \[\d+, \d+, \d+, \d+\]; mood happy; light: brightness \d+, noise \d+\.\d$/,
    );
    expect(record?.light.tooDark).toBe(false);
    expect(face.light.weight).toBeGreaterThan(0.9);
  });

  it('says the light and the grain it measured, and when a picture is too dark to read expressions in (issue 56)', async () => {
    // The same photo as a webcam shows it in a dim bar: darker, flat, and grainy.
    const dark = join(dir, 'dim-bar.png');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      fixturePath('happy-face'),
      '-vf',
      'eq=brightness=-0.25:contrast=0.6,noise=alls=80:allf=u',
      dark,
    ]);
    const [lit] = await collect(fixturePath('happy-face'));
    const [dim] = await collect(dark);
    expect(dim?.light.tooDark).toBe(true);
    expect(dim?.light.noise).toBeGreaterThan((lit?.light.noise ?? 0) * 3);
    expect(dim?.light.brightness).toBeLessThan(lit?.light.brightness ?? 0);
    expect(formatRecord(dim!)).toMatch(/; light: brightness \d+, noise \d+\.\d \(too dark to read expressions\)$/);
    // The face is still found there, and its vote weighs less than the same face's in daylight.
    expect(dim?.faces).toHaveLength(1);
    expect(dim?.faces[0]?.light.weight).toBeLessThan(lit?.faces[0]?.light.weight ?? 0);
  });

  it('finds every face of a group photo', async () => {
    const [record] = await collect(fixturePath('group'));
    expect(record?.faces).toHaveLength(FIXTURE_FACES.group.length);
    for (const face of FIXTURE_FACES.group) expect(record!.faces.filter((f) => isOnFace(asBox(f.box), face))).toHaveLength(1);
  });

  it('reads a folder of images in name order, reporting and skipping a broken one', async () => {
    const folder = join(dir, 'photos');
    execFileSync('mkdir', ['-p', folder]);
    copyFileSync(fixturePath('happy-face'), join(folder, 'a.png'));
    writeFileSync(join(folder, 'b.jpg'), 'not a picture');
    copyFileSync(fixturePath('no-face'), join(folder, 'c.png'));
    writeFileSync(join(folder, 'notes.txt'), 'ignored');
    const errors: CameraError[] = [];
    const records = await collect(folder, (err) => errors.push(err));
    expect(records.map((r) => [r.source, r.faces.length, r.mood])).toEqual([
      [join(folder, 'a.png'), 1, 'happy'],
      [join(folder, 'c.png'), 0, 'nobody'],
    ]);
    expect(errors.map((e) => e.code)).toEqual(['MB_ERR_CAMERA_UNREADABLE']);
    expect(errors[0]?.message).toContain('b.jpg');
  });

  it('follows the room mood through a video, on the video’s own time', async () => {
    // 4 s of the happy face, then 7 s of the empty room, at 5 fps.
    const clip = join(dir, 'visit.avi');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-loop', '1', '-t', '4', '-r', '5', '-i', fixturePath('happy-face')],
      ...['-loop', '1', '-t', '7', '-r', '5', '-i', fixturePath('no-face')],
      ...['-filter_complex', 'concat=n=2:v=1', '-c:v', 'mjpeg', '-q:v', '3', clip],
    ]);
    const records = await collect(clip);
    expect(records).toHaveLength(55);
    expect(records.map((r) => r.frame)).toEqual([...Array(55).keys()]);
    expect(records[10]?.timeMs).toBe(2000);
    const moods = records.map((r) => r.mood);
    // Nobody at first; happy once the face has led for the dwell time (2 s); nobody 5 s after it left.
    expect(moods[0]).toBe('nobody');
    const happyFrom = moods.indexOf('happy');
    expect(happyFrom).toBeGreaterThanOrEqual(10);
    expect(happyFrom).toBeLessThan(20);
    expect(moods.lastIndexOf('happy')).toBeLessThan(20 + 26);
    expect(moods.at(-1)).toBe('nobody');
  });

  it('refuses a missing path or a file that is no picture, with a clear CameraError', async () => {
    await expect(collect(join(dir, 'nowhere.png'))).rejects.toMatchObject({
      code: 'MB_ERR_CAMERA_UNREADABLE',
      message: expect.stringContaining('no such file or folder'),
    });
    const junk = join(dir, 'junk.mp4');
    writeFileSync(junk, 'not a video');
    await expect(collect(junk)).rejects.toMatchObject({ code: 'MB_ERR_CAMERA_UNREADABLE', message: expect.stringContaining('junk.mp4') });
  });
});

describe('moodbox analyze', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [MOODBOX_CLI, 'analyze', ...args, '--model', model.path], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('prints one JSON line per image', () => {
    const result = run(fixturePath('group'), '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as AnalyzeRecord;
    expect(record).toMatchObject({ source: fixturePath('group'), frame: 0 });
    expect(record.faces).toHaveLength(4);
    expect(Object.keys(record.faces[0]!)).toEqual(['box', 'emotion', 'probabilities', 'light']);
    expect(Object.keys(record.light)).toEqual(['brightness', 'noise', 'tooDark']);
  });

  it('exits 1 with a one-line error for unreadable input', () => {
    const result = run(join(dir, 'nowhere.mp4'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: cannot read .*nowhere\.mp4: no such file or folder \(MB_ERR_CAMERA_UNREADABLE\)\n$/);
  });
});
