import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, databasePath } from './paths.js';

// Issue 60: every file name of the data directory comes from config/paths.ts, so that a change of
// it (or a look for who opens the database) is one place.

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the data directory’s files', () => {
  it('are named in config/paths.ts alone: no other source or script spells the database’s file', () => {
    const spelled = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'scripts'))]
      .filter((path) => readFileSync(path, 'utf8').includes(`'${DATABASE_FILE}'`))
      .map((path) => relative(ROOT, path));
    expect(spelled).toEqual(['src/daemon/config/paths.ts']);
  });

  it('puts the database in the data directory', () => {
    expect(databasePath({ dataDir: '/var/lib/moodbox' })).toBe('/var/lib/moodbox/moodbox.db');
  });
});
