import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { ConfigSchema, type Config } from './schema.js';

/**
 * The file `npm run build` writes beside this module (dist/daemon/config/): the configuration's
 * validator as plain JavaScript, so that a start need not compile the schema.
 */
export const PRECOMPILED_VALIDATOR = 'config-validate.js';

function configAjv(source: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    verbose: true,
    strict: true,
    allowUnionTypes: true,
    ...(source ? { code: { source: true, esm: true } } : {}),
  });
  ajv.addKeyword({ keyword: 'requiresRestart', schemaType: 'boolean' });
  // Settings the admin panel may not change (`fileOnly`), or may change only to values checked for what they do (`panel`).
  ajv.addKeyword({ keyword: 'fileOnly', schemaType: 'boolean' });
  ajv.addKeyword({ keyword: 'panel', schemaType: 'string' });
  // The bundled demo music's folder in the music folders' list, for the panel to name it.
  ajv.addKeyword({ keyword: 'demoFolder', schemaType: 'string' });
  // A `music.source` setting that only a home may choose (its sources are registered for homes only).
  ajv.addKeyword({ keyword: 'homesOnly', schemaType: 'boolean' });
  return ajv;
}

/** The schema's fingerprint: a validator written for another schema (a build older than the code) is not used. */
function schemaSha256(): string {
  return createHash('sha256').update(JSON.stringify(ConfigSchema)).digest('hex');
}

/**
 * The configuration's validator (Ajv: every error, defaults filled in, each error with its schema).
 * Built, it is the one the build wrote beside this module (`dir`), when it was written for this
 * schema; compiling the schema instead costs about a quarter of a second of CPU at every start of
 * the daemon and of every `moodbox` command. From the sources (the tests), it is compiled.
 */
export async function configValidator(dir: URL = new URL('./', import.meta.url)): Promise<ValidateFunction<Config>> {
  const precompiled = new URL(PRECOMPILED_VALIDATOR, dir);
  if (existsSync(fileURLToPath(precompiled))) {
    const written = (await import(precompiled.href)) as { default: ValidateFunction<Config>; schemaSha256?: string };
    if (written.schemaSha256 === schemaSha256()) return written.default;
  }
  return configAjv(false).compile<Config>(ConfigSchema);
}

/**
 * The validator as an ES module, for the build to write as `PRECOMPILED_VALIDATOR`: Ajv's standalone
 * code, with the `require` its runtime helpers need (ucs2length) made for an ES module, and the
 * fingerprint of the schema it was written for.
 */
export function configValidatorSource(): string {
  const ajv = configAjv(true);
  const code = standaloneCode.default(ajv, ajv.compile(ConfigSchema));
  return [
    `import { createRequire } from 'node:module';`,
    `const require = createRequire(import.meta.url);`,
    `export const schemaSha256 = ${JSON.stringify(schemaSha256())};`,
    code,
    '',
  ].join('\n');
}
