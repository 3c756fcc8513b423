import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const DAEMON = import.meta.dirname;

/** Every source file (not a test, not a test rig) under `dir`, by its path. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The folder of `src/daemon` a path is in, or undefined for the daemon's own top-level files. */
function folderOf(path: string): string | undefined {
  const [first, ...rest] = relative(DAEMON, path).split('/');
  return rest.length === 0 || first === undefined || first.startsWith('..') ? undefined : first;
}

/** The folders each folder of `src/daemon` imports from (static and dynamic imports, types too). */
function folderImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(DAEMON)) {
    const from = folderOf(file);
    if (from === undefined) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const to = folderOf(normalize(join(dirname(file), match[1] ?? '')));
      if (to !== undefined && to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

describe('the folders of src/daemon', () => {
  it('never import each other: each pair of folders depends one way at most', () => {
    const graph = folderImports();
    // The graph is read, or the check would pass on nothing.
    expect(graph.get('backups')).toContain('store');
    const both = [...graph].flatMap(([from, tos]) =>
      [...tos].filter((to) => from < to && graph.get(to)?.has(from)).map((to) => `${from} ⇄ ${to}`),
    );
    expect(both).toEqual([]);
  });
});
