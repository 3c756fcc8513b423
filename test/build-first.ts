// Vitest's global set-up for every project: the tests start `moodbox` (the daemon and its commands)
// and load the screens from dist/, as installed, so a source edit made since the last build is built
// first (and a build that fails fails the run, instead of the tests passing or failing on old code).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BUILT = join(ROOT, 'dist/.built');
/** Held while one run builds, so two runs started together do not write dist/ at once. */
const LOCK = join(ROOT, 'dist/.building');

/** The newest modification time among the files the build reads. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function upToDate(): boolean {
  const inputs = [join(ROOT, 'package.json'), join(ROOT, 'tsconfig.build.json'), join(ROOT, 'scripts/build-assets.mjs')];
  const newest = Math.max(newestSource(join(ROOT, 'src')), ...inputs.map((file) => statSync(file).mtimeMs));
  return existsSync(BUILT) && statSync(BUILT).mtimeMs >= newest;
}

/** Takes the build lock, waiting (up to ten minutes) for another run's build to end. */
async function lock(): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const until = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a build that was killed is older than any build takes.
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 600_000)
        rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`Expected the build another test run holds (${LOCK}) to end within ten minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export default async function buildFirst(): Promise<void> {
  if (upToDate()) return;
  await lock();
  try {
    if (upToDate()) return;
    // Stamped with the time the build started: a file saved while it ran is built next time.
    const started = new Date();
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    writeFileSync(BUILT, `${started.toISOString()}\n`);
    utimesSync(BUILT, started, started);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
