import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');

/** The events of the app's bus, read from their one map in `events.ts`. */
function eventNames(): string[] {
  const text = readFileSync(join(import.meta.dirname, 'events.ts'), 'utf8');
  const start = text.indexOf('export type MoodboxEvents = {');
  const body = text.slice(start, text.indexOf('\n};', start));
  return [...body.matchAll(/^ {2}([a-zA-Z]+): /gm)].map((m) => m[1] ?? '');
}

/** Every source file of the app, without tests and the fakes tests use (`testing/`). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the app bus', () => {
  it('has exactly one emitter for each event, its owner', () => {
    const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
    const names = eventNames();
    expect(names).toContain('roomMoodChanged');
    const emitters = Object.fromEntries(
      names.map((name) => [name, files.filter((f) => new RegExp(`\\.emit\\(\\s*'${name}'`).test(f.text)).map((f) => f.path)]),
    );
    const notOne = Object.fromEntries(Object.entries(emitters).filter(([, paths]) => paths.length !== 1));
    expect(notOne).toEqual({});
  });
});
