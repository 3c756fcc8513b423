import type Database from 'better-sqlite3';
import { parseModel, type TasteModel } from '../../player/taste/logistic.js';
import type { TasteRepository, TasteOwner } from './store.js';
import { parseJson } from '../../kernel/json.js';

interface Row {
  weights: string;
  squares: string;
  examples: number;
  updated_at: number;
}

function ownerKey(owner: TasteOwner): { key: string; userId: number | null } {
  if (owner === 'room') return { key: 'room', userId: null };
  if (!Number.isInteger(owner.userId) || owner.userId <= 0)
    throw new RangeError(`Expected \`userId\` to be a positive integer, got \`${owner.userId}\``);
  return { key: `person:${owner.userId}`, userId: owner.userId };
}

/** The learned tastes, one row per person and one for the room. `guard` turns SQLite write failures into the store's errors. */
export function tasteRepo(db: Database.Database, deps: { guard: <T>(fn: () => T) => T }): TasteRepository {
  const select = db.prepare<[string], Row>('SELECT weights, squares, examples, updated_at FROM taste_models WHERE owner = ?');
  const upsert = db.prepare(
    `INSERT INTO taste_models (owner, user_id, weights, squares, examples, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (owner) DO UPDATE SET weights = excluded.weights, squares = excluded.squares, examples = excluded.examples, updated_at = excluded.updated_at`,
  );
  return {
    get(owner) {
      const row = select.get(ownerKey(owner).key);
      if (row === undefined) return undefined;
      return {
        ...parseModel({ weights: parseJson(row.weights), squares: parseJson(row.squares), examples: row.examples }),
        updatedAt: row.updated_at,
      };
    },
    save(owner, model: TasteModel, at) {
      const { key, userId } = ownerKey(owner);
      deps.guard(() => upsert.run(key, userId, JSON.stringify(model.weights), JSON.stringify(model.squares), model.examples, at));
    },
    remove(owner) {
      return deps.guard(() => db.prepare('DELETE FROM taste_models WHERE owner = ?').run(ownerKey(owner).key).changes > 0);
    },
  };
}
