import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MoodboxEvents } from '../events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { throwingReporter } from '../../kernel/testing/listener-reporters.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { PersonalCalibrationService, type CalibrationModel } from './personal-calibration-service.js';
import { resultFromLogits } from '../../vision/emotion-classifier.js';
import type { VisionEvents } from '../../vision/vision-events.js';

const LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const MODEL: CalibrationModel = { labels: LABELS, sha256: 'a'.repeat(64), temperature: 1 };
const silent = { info() {}, warn() {} };

let seed = 11;
const random = (): number => {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
};

/** A face the model reads as `top`, whose embedding sits in cluster `cluster`. */
function face(top: string, cluster: number): { logits: Float32Array; embedding: Float32Array } {
  const logits = Float32Array.from(LABELS, (l) => (l === top ? 1.5 : 0) + random() * 0.5);
  const embedding = Float32Array.from({ length: 192 }, (_, j) => (j % 4 === cluster ? 2 : 0) + random() * 0.6);
  return { logits, embedding };
}

function setup() {
  const path = join(mkdtempSync(join(tmpdir(), 'moodbox-calibration-')), 'moodbox.db');
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
  const store = openSqliteStore({ clock, log: silent }, { path });
  const ada = store.users.create({ name: 'Ada', role: 'member' });
  const events = new EventBus<VisionEvents>(throwingReporter);
  let signedIn: { id: number } | null = ada;
  const service = new PersonalCalibrationService(
    { store: store.calibrations, clock, model: () => MODEL, signedIn: () => signedIn, bus: new EventBus<MoodboxEvents>(throwingReporter) },
    { events },
  );
  void service.start(); // its subscriptions are made before it returns
  /** One analysed frame with this face as the target (and a small face beside it). */
  const show = (f: { logits: Float32Array; embedding: Float32Array }): void => {
    const view = { trackId: 1, box: [100, 80, 120, 120] as const, emotion: 'x', confidence: 1, probabilities: {}, personal: false };
    events.emit('facesDetected', {
      frame: 1,
      at: clock.now(),
      width: 320,
      height: 240,
      faces: [
        { ...view, trackId: 2, box: [0, 0, 30, 30], isTarget: false },
        { ...view, ...f, isTarget: true },
      ],
      mood: 'neutral',
      timing: { detectMs: 1, classifyMs: 1, totalMs: 2 },
    });
  };
  return { path, clock, store, ada, service, show, signOut: () => (signedIn = null) };
}

let open: SqliteStore[] = [];
afterEach(() => {
  for (const s of open) s.close();
  open = [];
});

/** Ada records 9 neutral faces the model reads as sad and 9 smiles, then finishes. */
function calibrate(t: ReturnType<typeof setup>): void {
  t.service.begin(t.ada.id);
  for (const [expression, reads, cluster] of [
    ['neutral', 'sad', 0],
    ['happy', 'happy', 1],
  ] as const) {
    for (let i = 0; i < 9; i++) {
      t.show(face(reads, cluster));
      t.service.record(t.ada.id, expression);
      t.clock.advance(200);
    }
  }
  t.service.finish(t.ada.id);
}

describe('PersonalCalibrationService', () => {
  it("reads the signed-in person's face through their head once calibrated, and the generic way for anyone else", () => {
    const t = setup();
    open.push(t.store);
    const resting = face('sad', 0);
    const generic = { ...resultFromLogits(LABELS, resting.logits, 0), ...resting };
    expect(generic.label).toBe('sad');
    expect(t.service.personalize(generic)).toBeUndefined();

    calibrate(t);
    const view = t.service.view(t.ada.id);
    expect(view.stored).toMatchObject({ used: true, kind: 'bias', samples: { neutral: 9, happy: 9 }, currentModel: true });
    expect(view.stored?.reason).toMatch(/reads \d+ of 6 held-back faces right, the generic model \d+/);
    expect(t.service.personalize(generic)?.label).toBe('neutral');

    t.signOut();
    expect(t.service.personalize(generic)).toBeUndefined();
  });

  it('writes numbers only: the expression, 7 logits and 192 embedding values per face, and the fitted head; never pixels', () => {
    const t = setup();
    open.push(t.store);
    calibrate(t);
    const db = new Database(t.path, { readonly: true });
    const columns = db.prepare("SELECT name FROM pragma_table_info('personal_calibrations')").all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(['user_id', 'model_sha256', 'samples', 'head', 'created_at', 'updated_at']);
    const row = db.prepare('SELECT typeof(samples) AS ts, typeof(head) AS th, samples, head FROM personal_calibrations').get() as {
      ts: string;
      th: string;
      samples: string;
      head: string;
    };
    db.close();
    expect([row.ts, row.th]).toEqual(['text', 'text']);
    const samples = JSON.parse(row.samples) as Record<string, unknown>[];
    expect(samples).toHaveLength(18);
    for (const s of samples) {
      expect(Object.keys(s).sort()).toEqual(['embedding', 'expression', 'logits']);
      expect((s['logits'] as number[]).length).toBe(7);
      expect((s['embedding'] as number[]).length).toBe(192);
      expect([...(s['logits'] as unknown[]), ...(s['embedding'] as unknown[])].every((v) => typeof v === 'number')).toBe(true);
    }
    // A 48x48 face is 2,304 values: no array stored comes near that, and all of the samples hold 18 x 199 numbers.
    const longest = (v: unknown): number =>
      Array.isArray(v)
        ? Math.max(v.length, ...v.map(longest))
        : typeof v === 'object' && v !== null
          ? Math.max(0, ...Object.values(v).map(longest))
          : 0;
    expect(longest(samples)).toBe(192);
    expect(longest(JSON.parse(row.head))).toBeLessThanOrEqual(192);
    expect(row.samples.match(/-?\d+(\.\d+)?(e-?\d+)?/g)).toHaveLength(18 * 199);
  });

  it('is deleted with the person, or on their request, and then their face reads the generic way again', () => {
    const t = setup();
    open.push(t.store);
    calibrate(t);
    const resting = face('sad', 0);
    const generic = { ...resultFromLogits(LABELS, resting.logits, 0), ...resting };
    expect(t.service.remove(t.ada.id)).toBe(true);
    expect(t.service.view(t.ada.id).stored).toBeNull();
    expect(t.service.personalize(generic)).toBeUndefined();

    calibrate(t);
    expect(t.store.calibrations.get(t.ada.id)).toBeDefined();
    t.store.users.delete(t.ada.id, 'remove');
    const db = new Database(t.path, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM personal_calibrations').get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('refuses to record with no face in view or an unknown expression, naming it', () => {
    const t = setup();
    open.push(t.store);
    expect(() => t.service.record(t.ada.id, 'happy')).toThrow(/start one first/);
    t.service.begin(t.ada.id);
    expect(() => t.service.record(t.ada.id, 'happy')).toThrow(/No face is in view/);
    t.show(face('happy', 1));
    expect(() => t.service.record(t.ada.id, 'bored')).toThrow(
      /`expression`: expected one of neutral, happy, sad, surprise, angry, got `bored`/,
    );
    t.clock.advance(2000);
    expect(() => t.service.record(t.ada.id, 'happy')).toThrow(/No face is in view/);
  });
});
