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
  return ajv;
}

/**
 * The configuration's validator (Ajv: every error, defaults filled in, each error with its schema).
 * Built, it is the one the build wrote beside this module; compiling the schema instead costs about
 * a quarter of a second of CPU at every start of the daemon and of every `moodbox` command. From
 * the sources (the tests), it is compiled.
 */
export async function configValidator(): Promise<ValidateFunction<Config>> {
  const precompiled = new URL(`./${PRECOMPILED_VALIDATOR}`, import.meta.url);
  if (!existsSync(fileURLToPath(precompiled))) return configAjv(false).compile<Config>(ConfigSchema);
  return ((await import(precompiled.href)) as { default: ValidateFunction<Config> }).default;
}

/**
 * The validator as an ES module, for the build to write as `PRECOMPILED_VALIDATOR`: Ajv's standalone
 * code, with the `require` its runtime helpers need (ucs2length) made for an ES module.
 */
export function configValidatorSource(): string {
  const ajv = configAjv(true);
  const code = standaloneCode.default(ajv, ajv.compile(ConfigSchema));
  return `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${code}\n`;
}
