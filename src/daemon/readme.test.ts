import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_OVERRIDES } from './config/load-config.js';
import { ConfigSchema } from './config/schema.js';
import { ERROR_CODES } from './http/error-codes.js';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The reference: the README is the front door, `docs/` holds the rest. */
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ path: join(ROOT, 'docs', name), text: readFileSync(join(ROOT, 'docs', name), 'utf8') }));
const CONFIGURATION = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
const API = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');

function leafPaths(schema: { properties?: Record<string, unknown> }, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const node = child as { type?: string; properties?: Record<string, unknown> };
    return node.type === 'object' && node.properties ? leafPaths(node, path) : [path];
  });
}

describe('README and docs', () => {
  it('documents every configuration key', () => {
    const documented = [...CONFIGURATION.matchAll(/^\| `([a-zA-Z0-9.]+)` \|/gm)].map((m) => m[1]);
    expect(documented.filter((k) => k !== undefined && !k.startsWith('MB_ERR_'))).toEqual(leafPaths(ConfigSchema));
  });

  it('documents every environment override and every error code', () => {
    for (const { name } of ENV_OVERRIDES) expect(CONFIGURATION).toContain(`\`${name}\``);
    for (const code of Object.keys(ERROR_CODES))
      expect(API).toContain(`| \`${code}\` | ${ERROR_CODES[code as keyof typeof ERROR_CODES]} |`);
  });

  it('gives the quick start as exactly the two set-up commands', () => {
    const quick = README.split('## Quick start')[1]?.split('```sh')[1]?.split('```')[0] ?? '';
    expect(
      quick
        .trim()
        .split('\n')
        .map((l) => l.split('#')[0]?.trim()),
    ).toEqual(['scripts/setup.sh start', 'scripts/setup.sh test']);
  });

  it('links only to files that exist', () => {
    const pages = [{ path: join(ROOT, 'README.md'), text: README }, ...DOCS];
    const broken = pages.flatMap(({ path, text }) =>
      [...text.matchAll(/\]\(([^)#\s]+)(#[^)\s]*)?\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^[a-z]+:/.test(target) && !existsSync(join(dirname(path), target)))
        .map((target) => `${path.slice(ROOT.length + 1)} -> ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('maps each feature folder: its README names every file and says where its commands, state and events are', () => {
    for (const feature of ['backups', 'camera', 'guests', 'music', 'ops', 'people']) {
      const folder = join(ROOT, 'src', 'daemon', feature);
      const readme = readFileSync(join(folder, 'README.md'), 'utf8');
      const files = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
      expect(
        files.filter((name) => !readme.includes(`\`${name}\``)),
        `${feature}/README.md does not name`,
      ).toEqual([]);
      expect(readme, feature).toMatch(/^## Commands, state and events$/m);
      for (const part of ['Commands', 'State', 'Events']) expect(readme, `${feature}: ${part}`).toContain(`- **${part}**:`);
    }
  });

  it('describes every folder of src/: in its own README, or by its path in a README above it or in docs/layout.md', () => {
    const layout = readFileSync(join(ROOT, 'docs', 'layout.md'), 'utf8');
    const described = (folder: string): boolean => {
      if (existsSync(join(ROOT, folder, 'README.md')) || layout.includes(`\`${folder}\``) || layout.includes(`\`${folder}/\``)) return true;
      for (let above = dirname(folder); above !== '.'; above = dirname(above)) {
        const readme = join(ROOT, above, 'README.md');
        if (existsSync(readme) && readFileSync(readme, 'utf8').includes(`\`${relative(above, folder)}/\``)) return true;
      }
      return false;
    };
    // Data rather than code: test fixtures, the screens' catalogues, the database's migrations.
    const DATA = new Set(['fixtures', 'catalogues', 'migrations']);
    const folders = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !DATA.has(entry.name))
        .flatMap((entry) => [join(dir, entry.name), ...folders(join(dir, entry.name))]);
    expect(folders('src').filter((folder) => !described(folder))).toEqual([]);
  });

  it('keeps the README a short front door', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(200);
  });
});
