import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/daemon-process.js';
import { PRECOMPILED_VALIDATOR, configValidator, configValidatorSource } from './config-validator.js';

// What a configuration file may hold, good and bad: each validator must read them alike.
const CONFIGS: readonly unknown[] = [
  {},
  { server: { port: 9000 }, camera: { source: '/dev/video0' } },
  { server: { port: 70000, prot: 1 }, log: { level: 'loud' }, camera: { enabled: 'yes' } },
  { camrea: {} },
  { version: 2, player: { policy: 'loudest', mpvArgs: [1, 2] }, mqtt: null },
  { library: { folders: 'music' }, vision: { minFacePx: -3 }, site: { name: 'x'.repeat(500) } },
  { guests: { enabled: true, maxPerHour: 'many' }, spotify: { clientId: 42 } },
];

/** What a validator makes of each configuration: the object with its defaults, and its errors. */
function readings(validate: ValidateFunction): unknown[] {
  return CONFIGS.map((config) => {
    const candidate: unknown = structuredClone(config);
    const ok = validate(candidate);
    return { ok, candidate, errors: validate.errors ?? [] };
  });
}

describe('the configuration validator the build writes', () => {
  // Beside the project's node_modules, as dist/ is, so that its runtime helpers resolve.
  const dir = join(REPO_ROOT, '.cache');
  mkdirSync(dir, { recursive: true });
  const out = mkdtempSync(join(dir, 'config-validate-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('accepts, fills in and refuses exactly what the schema compiled at run time does, with the same errors', async () => {
    const file = join(out, PRECOMPILED_VALIDATOR);
    writeFileSync(file, configValidatorSource());
    const built = ((await import(pathToFileURL(file).href)) as { default: ValidateFunction }).default;
    // The daemon takes the written one from beside its module.
    expect(await configValidator(pathToFileURL(`${out}/`))).toBe(built);
    const compiled = await configValidator();
    expect(compiled).not.toBe(built);

    const expected = readings(compiled);
    expect(readings(built)).toEqual(expected);
    // The cases above do what they are meant to: defaults filled in, and each kind of error met.
    expect(expected.filter((r) => (r as { ok: boolean }).ok)).toHaveLength(2);
    const keywords = new Set(expected.flatMap((r) => (r as { errors: { keyword: string }[] }).errors.map((e) => e.keyword)));
    expect([...keywords]).toEqual(expect.arrayContaining(['additionalProperties', 'enum', 'type', 'maximum', 'const', 'minimum']));
  });

  it('is not used when it was written for another schema (a build older than the code): the schema is compiled', async () => {
    const stale = mkdtempSync(join(dir, 'config-validate-'));
    try {
      const source = configValidatorSource().replace(/schemaSha256 = "[0-9a-f]{64}"/, `schemaSha256 = "${'0'.repeat(64)}"`);
      writeFileSync(join(stale, PRECOMPILED_VALIDATOR), source);
      const written = ((await import(pathToFileURL(join(stale, PRECOMPILED_VALIDATOR)).href)) as { default: ValidateFunction }).default;
      const validate = await configValidator(pathToFileURL(`${stale}/`));
      expect(validate).not.toBe(written);
      expect(readings(validate)).toEqual(readings(written));
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });
});
