import type Database from 'better-sqlite3';
import type { CalibrationSample, PersonalHead } from '../../vision/personal-calibration.js';
import type { CalibrationRepository, StoredCalibration } from './store.js';
import { parseJson } from '../../kernel/json.js';

interface Row {
  user_id: number;
  model_sha256: string;
  samples: string;
  head: string;
  created_at: number;
  updated_at: number;
}

/** A person's calibration: samples and head as JSON numbers. `guard` turns SQLite write failures into the store's errors. */
export function calibrationRepo(db: Database.Database, deps: { guard: <T>(fn: () => T) => T }): CalibrationRepository {
  const select = db.prepare<[number], Row>('SELECT * FROM personal_calibrations WHERE user_id = ?');
  const upsert = db.prepare(
    `INSERT INTO personal_calibrations (user_id, model_sha256, samples, head, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET model_sha256 = excluded.model_sha256, samples = excluded.samples, head = excluded.head,
       updated_at = excluded.updated_at`,
  );
  const remove = db.prepare<[number]>('DELETE FROM personal_calibrations WHERE user_id = ?');
  return {
    get(userId) {
      const row = select.get(userId);
      if (row === undefined) return undefined;
      return {
        userId: row.user_id,
        modelSha256: row.model_sha256,
        samples: parseJson(row.samples) as CalibrationSample[],
        head: parseJson(row.head) as PersonalHead,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    },
    save(c: Omit<StoredCalibration, 'createdAt' | 'updatedAt'>, at: number) {
      // Plain arrays of numbers: a Float32Array would serialise as an object keyed by index.
      const samples = c.samples.map((s) => ({
        expression: s.expression,
        logits: Array.from(s.logits),
        ...(s.embedding === undefined ? {} : { embedding: Array.from(s.embedding) }),
      }));
      deps.guard(() => upsert.run(c.userId, c.modelSha256, JSON.stringify(samples), JSON.stringify(c.head), at, at));
    },
    remove: (userId) => deps.guard(() => remove.run(userId).changes > 0),
  };
}
