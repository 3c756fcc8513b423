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

// The screens' words: each language's catalogue cut into one file per screen (its section and
// `common`), fetched when a reader picks the language, and the pseudo-locale made from English.
const tools = await build({
  entryPoints: [at('src/ui/i18n/catalogue-tools.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const { compileCatalogue, pseudoCatalogue, screenCatalogue, screensOf } = await import(
  `data:text/javascript;base64,${Buffer.from(tools.outputFiles[0].text).toString('base64')}`
);
const catalogues = at('src/ui/i18n/catalogues');
const english = JSON.parse(readFileSync(`${catalogues}/en.json`, 'utf8'));
const languages = readdirSync(catalogues)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(`${catalogues}/${f}`, 'utf8'))]);
mkdirSync(at('dist/ui/locales'), { recursive: true });
// A screen imports English from its catalogue: it is handed its own section and `common` of it,
// parsed, and ships no parser.
const parsedCatalogues = {
  name: 'parsed-catalogues',
  setup(b) {
    b.onResolve({ filter: /catalogues\/[a-z]+\.json$/ }, (args) => {
      const screen = /[\\/]ui[\\/]([a-z]+)[\\/]/.exec(args.importer)?.[1];
      if (screen === undefined) throw new Error(`Expected a screen's module to import ${args.path}, got ${args.importer}`);
      // One module per screen: esbuild loads a path once, and each screen has its own part of the file.
      return { path: `${new URL(args.path, `file://${args.resolveDir}/`).pathname}#${screen}`, namespace: 'catalogue' };
    });
    b.onLoad({ filter: /.*/, namespace: 'catalogue' }, (args) => {
      const [file, screen] = args.path.split('#');
      return {
        contents: JSON.stringify(compileCatalogue(screenCatalogue(JSON.parse(readFileSync(file, 'utf8')), screen))),
        loader: 'json',
      };
    });
  },
};
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
  plugins: [parsedCatalogues],
  alias: { '@formatjs/icu-messageformat-parser': '@formatjs/icu-messageformat-parser/no-parser.js' },
});
for (const page of ['index.html', 'admin.html', 'guest.html']) cpSync(at(`src/ui/${page}`), at(`dist/ui/${page}`));

for (const [language, catalogue] of [...languages, ['qps', pseudoCatalogue(english)]]) {
  for (const screen of screensOf(english)) {
    const words = compileCatalogue(screenCatalogue(catalogue, screen));
    writeFileSync(at(`dist/ui/locales/${language}.${screen}.json`), JSON.stringify(words));
  }
}

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
