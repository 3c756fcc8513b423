import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { runEvalCommand, type EvalCommandOptions, type EvalCommandResult } from './eval-command.js';
import { FER_LABELS, readFerCsv, type FerRow } from '../fer-csv.js';
import { lowLightImage, mixSeed, seededRandom } from './dim-camera.js';
import { OnnxEmotionClassifier } from '../onnx-emotion-classifier.js';
import { shrinkFace } from './shrink-face.js';
import { MOODBOX_CLI } from '../../daemon/testing/daemon-process.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const INT8 = join(ROOT, 'models', 'emotion-int8.onnx');
/** Whether the shipped manifest turns flip-TTA on for the int8 model: `eval` follows it unless told. */
const SHIPPED_FLIP_TTA = (
  JSON.parse(readFileSync(join(ROOT, 'models', 'manifest.json'), 'utf8')) as { models: Record<string, { flipTta: boolean }> }
).models['emotion-int8.onnx']?.flipTta;
const TINY = join(import.meta.dirname, '..', 'testing', 'fixtures', 'fer-tiny.csv');
const TINY_TEXT = readFileSync(TINY, 'utf8');

function tmpFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'moodbox-eval-')), name);
  writeFileSync(file, content);
  return file;
}

async function run(options: Partial<EvalCommandOptions>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runEvalCommand(
    { file: TINY, model: INT8, ...options },
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), clock: systemClock },
  );
  return { code, stdout, stderr };
}

async function runJson(options: Partial<EvalCommandOptions>): Promise<EvalCommandResult> {
  const { code, stdout, stderr } = await run({ ...options, json: true });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as EvalCommandResult;
}

/** What the daemon's classifier itself says about the PublicTest rows of the fixture. */
let expected: { rows: FerRow[]; labels: string[] };

beforeAll(async () => {
  const rows: FerRow[] = [];
  for await (const row of readFerCsv(TINY)) if (row.usage === 'PublicTest') rows.push(row);
  const classifier = new OnnxEmotionClassifier({}, { modelPath: INT8 });
  await classifier.start(new AbortController().signal);
  const results = await classifier.classify(rows.map((r) => r.pixels));
  await classifier.stop();
  expected = { rows, labels: results.map((r) => r.label) };
});

describe('moodbox eval', () => {
  it('prints one JSON object with the figures of the daemon classifier', async () => {
    const result = await runJson({ usage: 'PublicTest' });
    const correct = expected.rows.filter((r, i) => r.label === expected.labels[i]).length;
    expect(result.n).toBe(8);
    expect(result.accuracy).toBe(correct / 8);
    expect(result.usage).toBe('PublicTest');
    expect(Object.keys(result.perClass)).toEqual([...FER_LABELS]);
    expect(result.perClass.angry.n).toBe(2);
    expect(result.confusion).toHaveLength(7);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(8);
    expected.rows.forEach((r, i) => {
      const col = result.predictedLabels.indexOf(expected.labels[i] ?? '');
      expect(result.confusion[r.emotion]?.[col]).toBeGreaterThan(0);
    });
    expect(result.ferPlusMajority?.n).toBe(7);
    expect(result.imagesPerSecond).toBeGreaterThan(0);
    expect(result.model).toMatchObject({ path: INT8, labels: [...FER_LABELS] });
    expect(result.flipTta).toBe(SHIPPED_FLIP_TTA);
  });

  it('reads a gzip-compressed CSV and gives the same figures', async () => {
    const plain = await runJson({ usage: 'PublicTest' });
    const gz = await runJson({ file: tmpFile('tiny.csv.gz', gzipSync(TINY_TEXT)), usage: 'PublicTest' });
    expect({ ...gz, file: '', imagesPerSecond: 0, classifySeconds: 0 }).toEqual({
      ...plain,
      file: '',
      imagesPerSecond: 0,
      classifySeconds: 0,
    });
  });

  it('evaluates a CSV without FER+ columns, with no FER+ figure', async () => {
    const text = TINY_TEXT.trimEnd()
      .split('\n')
      .map((l) => l.split(',').slice(0, 3).join(','))
      .join('\n');
    const result = await runJson({ file: tmpFile('plain.csv', `${text}\n`) });
    expect(result.n).toBe(9);
    expect(result.ferPlusMajority).toBeNull();
    const { stdout } = await run({ file: tmpFile('plain.csv', `${text}\n`) });
    expect(stdout).toContain('FER+ majority: no FER+ vote columns');
  });

  it('prints a readable report', async () => {
    const { code, stdout } = await run({ usage: 'PublicTest' });
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^model: .*emotion-int8\\.onnx \\(sha256 [0-9a-f]{12}…, flip-TTA ${SHIPPED_FLIP_TTA ? 'on' : 'off'}; ${SHIPPED_FLIP_TTA ? '100.00' : '0.00'}% of faces read twice\\)$`,
        'm',
      ),
    );
    expect(stdout).toMatch(/^data: .*fer-tiny\.csv, Usage=PublicTest: 8 images$/m);
    expect(stdout).toMatch(/^accuracy \(FER-2013 labels\): \d+\.\d\d% \(\d\/8\)/m);
    expect(stdout).toMatch(/^ {2}disgust +\d+\.\d\d% {2}\(\d\/1\)$/m);
    expect(stdout).toMatch(/^FER\+ majority accuracy: .* of 7 rows with votes/m);
    expect(stdout).toMatch(/^speed: \d+ images\/s \(1 thread, batches of 64\)$/m);
  });

  it('reads a face twice only when its first read is unsure, below the margin given, and says how many', async () => {
    const all = JSON.parse((await run({ usage: 'PublicTest', flipTta: true, json: true })).stdout) as EvalCommandResult;
    const none = JSON.parse(
      (await run({ usage: 'PublicTest', flipTta: true, mirrorBelowMargin: 0, json: true })).stdout,
    ) as EvalCommandResult;
    const some = JSON.parse(
      (await run({ usage: 'PublicTest', flipTta: true, mirrorBelowMargin: 0.5, json: true })).stdout,
    ) as EvalCommandResult;
    const once = JSON.parse((await run({ usage: 'PublicTest', flipTta: false, json: true })).stdout) as EvalCommandResult;
    expect([all.readTwice, none.readTwice, once.readTwice]).toEqual([1, 0, 0]);
    expect(some.mirrorBelowMargin).toBe(0.5);
    expect(some.readTwice).toBeGreaterThan(0);
    expect(some.readTwice).toBeLessThan(1);
    // A margin of 0 reads every face once, as flip-TTA off does; a margin of 1 every face twice.
    expect(none.confusion).toEqual(once.confusion);
    const every = JSON.parse(
      (await run({ usage: 'PublicTest', flipTta: true, mirrorBelowMargin: 1, json: true })).stdout,
    ) as EvalCommandResult;
    expect(every.confusion).toEqual(all.confusion);
    expect(every.readTwice).toBe(1);
    expect((await run({ mirrorBelowMargin: 2 })).stderr).toMatch(/--mirror-below-margin/);
  });

  it('rejects a malformed row with its line number and exits 1', async () => {
    const lines = TINY_TEXT.split('\n');
    lines[5] = (lines[5] ?? '').replace(/^\d,/, '9,');
    const { code, stdout, stderr } = await run({ file: tmpFile('bad.csv', lines.join('\n')) });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^moodbox eval: .*bad\.csv: line 6 \(data row 5\): expected emotion to be an integer 0–6, got "9"\n$/);
  });

  it('says which Usage values exist when none match', async () => {
    const { code, stderr } = await run({ usage: 'PrivateTest' });
    expect(code).toBe(1);
    expect(stderr).toContain('no rows with Usage=PrivateTest (found: PublicTest 8, Training 1)');
  });

  it('refuses a model without a manifest entry', async () => {
    const model = tmpFile('emotion-int8.onnx', readFileSync(INT8));
    const { code, stderr } = await run({ model });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read the model manifest/);
  });

  // Two cold starts of the CLI: a few seconds each on a busy machine.
  it('runs from the command line', { timeout: 90_000 }, () => {
    const args = [MOODBOX_CLI, 'eval', TINY, '--usage', 'PublicTest', '--flip-tta', '--json'];
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: ROOT });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as EvalCommandResult;
    expect(out).toMatchObject({ n: 8, flipTta: true, usage: 'PublicTest', model: { path: INT8 } });
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['accuracy', 'perClass', 'confusion', 'n']));

    const missing = spawnSync(process.execPath, [MOODBOX_CLI, 'eval', join(tmpdir(), 'no-such.csv')], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*no-such\.csv/);
  });
});

describe('moodbox eval --shrink', () => {
  it('reads each face as a camera gives a face of that size: the classifier sees the shrunk faces, and says so', async () => {
    const classifier = new OnnxEmotionClassifier({}, { modelPath: INT8 });
    await classifier.start(new AbortController().signal);
    const shrunk = await Promise.all(expected.rows.map((r) => shrinkFace(r.pixels, 16)));
    const read16 = await classifier.classify(shrunk);
    const readStored = await classifier.classify(expected.rows.map((r) => r.pixels));
    await classifier.stop();
    const labels16 = read16.map((r) => r.label);

    const result = await runJson({ usage: 'PublicTest', shrink: 16 });
    expect(result.faceSize).toBe(16);
    expect(result.correct).toBe(expected.rows.filter((r, i) => r.label === labels16[i]).length);
    // A 16 px face is not the stored face: the daemon's readings of it change.
    expect(read16).not.toEqual(readStored);
    const text = await run({ usage: 'PublicTest', shrink: 16 });
    expect(text.stdout).toContain('each shrunk to 16 px and scaled back up');
    // 48 and above: the faces as stored.
    expect((await runJson({ usage: 'PublicTest', shrink: 64 })).faceSize).toBe(48);
  });

  it('refuses a size that is not a whole number of pixels, naming the option', async () => {
    for (const shrink of [0, 2.5, Number.NaN]) {
      const { code, stderr } = await run({ shrink });
      expect(code).toBe(1);
      expect(stderr).toContain('--shrink');
    }
  });
});

describe('moodbox eval --light', () => {
  it("reads each face as a webcam shows it in that light: the classifier sees the camera model's faces, and says so", async () => {
    const classifier = new OnnxEmotionClassifier({}, { modelPath: INT8 });
    await classifier.start(new AbortController().signal);
    const dark = expected.rows.map((r) =>
      lowLightImage(r.pixels, 48, 48, { light: 0.04, exposure: 'fixed' }, seededRandom(mixSeed(3, r.row))),
    );
    const labelsDark = (await classifier.classify(dark)).map((r) => r.label);
    await classifier.stop();

    const result = await runJson({ usage: 'PublicTest', light: 0.04, exposure: 'fixed', seed: 3 });
    expect(result.light).toEqual({ light: 0.04, exposure: 'fixed', seed: 3, backlight: 1, cast: 'none' });
    expect(result.faceSize).toBe(48);
    expect(result.correct).toBe(expected.rows.filter((r, i) => r.label === labelsDark[i]).length);
    const readAs = (labels: string[], label: string): number => labels.filter((l) => l === label).length / labels.length;
    for (const label of result.predictedLabels) expect(result.predictedShare[label]).toBeCloseTo(readAs(labelsDark, label), 10);
    // Seeded: the same seed reads the same; the faces at 4% are not the stored faces.
    expect((await runJson({ usage: 'PublicTest', light: 0.04, exposure: 'fixed', seed: 3 })).confusion).toEqual(result.confusion);
    expect(dark.map((d, i) => d.some((v, j) => v !== expected.rows[i]?.pixels[j]))).not.toContain(false);
    // Without --light: no camera, and the shares of the stored faces.
    const stored = await runJson({ usage: 'PublicTest' });
    expect(stored.light).toBeNull();
    expect(stored.predictedShare['happy']).toBeCloseTo(readAs(expected.labels, 'happy'), 10);

    const text = await run({ usage: 'PublicTest', light: 0.12 });
    expect(text.stdout).toMatch(/^data: .*: 8 images, through a webcam at 12% of daylight \(auto exposure, seed 1\)$/m);
    expect(text.stdout).toMatch(/^read as: angry \d+\.\d\d%, /m);
  });

  it('reads each face lit by a warm lamp before a bright window as the camera model shows it, and says so', async () => {
    const classifier = new OnnxEmotionClassifier({}, { modelPath: INT8 });
    await classifier.start(new AbortController().signal);
    const room = { light: 0.25, backlight: 4, cast: 'warm' } as const;
    const backlit = expected.rows.map((r) => lowLightImage(r.pixels, 48, 48, room, seededRandom(mixSeed(5, r.row))));
    const labels = (await classifier.classify(backlit)).map((r) => r.label);
    await classifier.stop();

    const result = await runJson({ usage: 'PublicTest', ...room, seed: 5 });
    expect(result.light).toEqual({ ...room, exposure: 'auto', seed: 5 });
    expect(result.correct).toBe(expected.rows.filter((r, i) => r.label === labels[i]).length);
    const plain = expected.rows.map((r) => lowLightImage(r.pixels, 48, 48, { light: 0.25 }, seededRandom(mixSeed(5, r.row))));
    const mean = (faces: Uint8Array[]): number =>
      faces.reduce((sum, f) => sum + f.reduce((a, b) => a + b, 0), 0) / (faces.length * 48 * 48);
    expect(mean(backlit)).toBeLessThan(0.7 * mean(plain)); // the exposure was set for the window

    const text = await run({ usage: 'PublicTest', ...room });
    expect(text.stdout).toMatch(
      /^data: .*, through a webcam at 25% of daylight \(auto exposure, a background 4x brighter, a warm lamp, seed 1\)$/m,
    );
  });

  it('refuses a light outside (0, 1], an unknown exposure or lamp, a bad seed or backlight, and any of them without --light', async () => {
    const cases: [Partial<EvalCommandOptions>, string][] = [
      [{ light: 0 }, '--light'],
      [{ light: 1.5 }, '--light'],
      [{ light: Number.NaN }, '--light'],
      [{ light: 0.1, exposure: 'manual' as 'auto' }, '--exposure'],
      [{ light: 0.1, seed: -1 }, '--seed'],
      [{ exposure: 'fixed' }, '--exposure'],
      [{ seed: 2 }, '--seed'],
      [{ light: 0.1, backlight: 0.5 }, '--backlight'],
      [{ light: 0.1, cast: 'neon' as 'warm' }, '--cast'],
      [{ cast: 'warm' }, '--cast'],
    ];
    for (const [options, named] of cases) {
      const { code, stderr } = await run(options);
      expect(code).toBe(1);
      expect(stderr).toContain(named);
    }
  });

  it('takes --light, --exposure, --seed, --backlight and --cast on the command line', { timeout: 90_000 }, () => {
    const args = [MOODBOX_CLI, 'eval', TINY, '--usage', 'PublicTest', '--light', '0.06', '--exposure', 'fixed', '--seed', '9'];
    args.push('--backlight', '2', '--cast', 'candle', '--json');
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: ROOT });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as EvalCommandResult;
    expect(out).toMatchObject({ n: 8, light: { light: 0.06, exposure: 'fixed', seed: 9, backlight: 2, cast: 'candle' } });
    expect(Object.values(out.predictedShare).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});

describe('shrinkFace', () => {
  it('keeps a face of 48 px or more as it is, and blurs a smaller one as a distant camera would', async () => {
    const face = expected.rows[0]?.pixels ?? new Uint8Array(0);
    expect(await shrinkFace(face, 48)).toBe(face);
    const at12 = await shrinkFace(face, 12);
    expect(at12).toHaveLength(48 * 48);
    // Neighbouring pixels differ less after the round trip: the detail is gone.
    const roughness = (p: Uint8Array): number => p.reduce((sum, v, i) => (i % 48 === 0 ? sum : sum + Math.abs(v - (p[i - 1] ?? 0))), 0);
    expect(roughness(at12)).toBeLessThan(roughness(face) * 0.6);
    await expect(shrinkFace(face, 3)).rejects.toThrow(RangeError);
  });
});
