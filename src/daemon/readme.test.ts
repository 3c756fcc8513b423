import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_OVERRIDES } from './config/load-config.js';
import { ConfigSchema } from './config/schema.js';
import { ERROR_CODES } from './kernel/errors.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

function leafPaths(schema: { properties?: Record<string, unknown> }, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const node = child as { type?: string; properties?: Record<string, unknown> };
    return node.type === 'object' && node.properties ? leafPaths(node, path) : [path];
  });
}

describe('README', () => {
  it('documents every configuration key', () => {
    const documented = [...README.matchAll(/^\| `([a-zA-Z0-9.]+)` \|/gm)].map((m) => m[1]);
    expect(documented.filter((k) => k !== undefined && !k.startsWith('MB_ERR_'))).toEqual(leafPaths(ConfigSchema));
  });

  it('documents every environment override and every error code', () => {
    for (const { name } of ENV_OVERRIDES) expect(README).toContain(`\`${name}\``);
    for (const code of Object.keys(ERROR_CODES))
      expect(README).toContain(`| \`${code}\` | ${ERROR_CODES[code as keyof typeof ERROR_CODES]} |`);
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
});
