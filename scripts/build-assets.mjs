// The part of `npm run build` that tsc does not do: copy the SQL migrations next to the compiled
// store, write the configuration's validator as code, and bundle the screens (Lit) into dist/ui.
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const at = (p) => new URL(p, root).pathname;

mkdirSync(at('dist/daemon/store/migrations'), { recursive: true });
for (const file of readdirSync(at('src/daemon/store/migrations'))) {
  if (file.endsWith('.sql')) cpSync(at(`src/daemon/store/migrations/${file}`), at(`dist/daemon/store/migrations/${file}`));
}

// Compiled here once rather than at every start of the daemon and of each `moodbox` command.
const { PRECOMPILED_VALIDATOR, configValidatorSource } = await import(at('dist/daemon/config/config-validator.js'));
writeFileSync(at(`dist/daemon/config/${PRECOMPILED_VALIDATOR}`), configValidatorSource());

mkdirSync(at('dist/ui'), { recursive: true });
const result = await build({
  entryPoints: { kiosk: at('src/ui/kiosk/main.ts'), admin: at('src/ui/admin/main.ts'), guest: at('src/ui/guest/main.ts') },
  outdir: at('dist/ui'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  tsconfig: at('src/ui/tsconfig.json'),
  metafile: true,
  logLevel: 'warning',
});
for (const page of ['index.html', 'admin.html', 'guest.html']) cpSync(at(`src/ui/${page}`), at(`dist/ui/${page}`));

const sizes = Object.keys(result.metafile.outputs)
  .filter((f) => f.endsWith('.js'))
  .map(
    (f) =>
      `${f.replace(/^.*dist\//, 'dist/')} ${(statSync(f).size / 1024).toFixed(1)} KiB (${(gzipSync(readFileSync(f)).length / 1024).toFixed(1)} KiB gzip)`,
  );
console.log(`ui bundle: ${sizes.join(', ')}`);

// The guest page opens on a phone over the venue's Wi-Fi: its bundle stays small.
const GUEST_BUDGET_KIB = 30;
const guestGzipKiB = gzipSync(readFileSync(at('dist/ui/guest.js'))).length / 1024;
if (guestGzipKiB > GUEST_BUDGET_KIB) {
  throw new Error(`Expected dist/ui/guest.js to be at most ${GUEST_BUDGET_KIB} KiB gzip, got ${guestGzipKiB.toFixed(1)} KiB.`);
}
