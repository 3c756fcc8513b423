import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/daemon/cli.js');
export const RESULTS = join(ROOT, 'test-results/browser');

/** Fails early with a hint when the daemon or the screens are not built. */
export function assertBuilt(): void {
  for (const file of ['dist/daemon/cli.js', 'dist/ui/kiosk.js', 'dist/ui/admin.js', 'dist/ui/admin.html']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`Expected ${file} to exist: run \`npm run build\` before the browser tests.`);
  }
  mkdirSync(RESULTS, { recursive: true });
}

/** Sizes of the built UI bundles, for the test report. */
export function bundleSizes(): string {
  return ['kiosk.js', 'admin.js'].map((f) => `${f} ${(statSync(join(ROOT, 'dist/ui', f)).size / 1024).toFixed(1)} KiB`).join(', ');
}

export interface Daemon {
  url: string;
  port: number;
  dataDir: string;
  lines: Array<Record<string, unknown>>;
  /** What the daemon wrote to stderr so far (the start-up banner with the sign-in hint). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * The configuration the browser tests run the daemon with: no camera (no OpenCV, no model), the
 * bundled demo library, and mpv playing into the null audio output.
 */
export const TEST_CONFIG = {
  camera: { enabled: false },
  library: { folders: [join(ROOT, 'demo/library')] },
  player: { audioOutput: 'null' },
} as const;

/**
 * Starts the built daemon as a child process on `port` (0: a free one) and waits for `moodbox ready`.
 * `config` is written to `config.json` in `dataDir` and passed as `MOODBOX_CONFIG`; `null` starts
 * it without one, in demo mode (use `saveSettings` to change what demo mode runs).
 */
export async function startDaemon(
  dataDir: string,
  options: { port?: number; config?: Record<string, unknown> | null } = {},
): Promise<Daemon> {
  const config = options.config === undefined ? TEST_CONFIG : options.config;
  const configEnv: Record<string, string> = {};
  if (config !== null) {
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify(config, null, 2));
    configEnv['MOODBOX_CONFIG'] = file;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...configEnv,
    MOODBOX_DATA_DIR: dataDir,
    MOODBOX_PORT: String(options.port ?? 0),
    MOODBOX_LOG_LEVEL: 'info',
    NO_COLOR: '1',
  };
  if (config === null) delete env['MOODBOX_CONFIG'];
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (line['msg'] === 'moodbox ready') resolve(line);
      } catch {
        // Not a log line: ignore.
      }
    });
    void exited.then((code) => reject(new Error(`daemon exited with ${code} before ready: ${stderr.join('').slice(-2000)}`)));
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('daemon not ready within 60 s')), 60_000).unref());
  let line: Record<string, unknown>;
  try {
    line = await Promise.race([ready, timeout]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const url = String(line['kiosk']).replace(/\/$/, '');
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    lines,
    stderr: () => stderr.join(''),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** A fresh data directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Saves settings into the database of `dataDir` as the admin panel does (they apply at the next
 * start, over the defaults); creates the database with the CLI when there is none yet.
 */
export function saveSettings(dataDir: string, overrides: Record<string, unknown>): void {
  const created = spawnSync(process.execPath, [CLI, 'user', 'list'], {
    cwd: ROOT,
    env: { ...process.env, MOODBOX_DATA_DIR: dataDir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (created.status !== 0) throw new Error(`user list failed: ${created.stderr}${created.stdout}`);
  const db = new Database(join(dataDir, 'moodbox.db'));
  try {
    db.prepare(
      "INSERT INTO settings (key, value, updated_at) VALUES ('config.overrides', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(JSON.stringify(overrides), Date.now());
  } finally {
    db.close();
  }
}

/** Creates a user with the CLI against `dataDir`; the secret goes in on stdin. */
export function addUser(dataDir: string, name: string, role: 'admin' | 'member', secret: string): void {
  const result = spawnSync(process.execPath, [CLI, 'user', 'add', name, '--role', role], {
    cwd: ROOT,
    env: { ...process.env, MOODBOX_DATA_DIR: dataDir, NO_COLOR: '1' },
    input: `${secret}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`user add ${name} failed: ${result.stderr}${result.stdout}`);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile; `args` go to Chromium after the usual ones. */
export async function launchBrowser(viewport = { width: 800, height: 480 }, args: readonly string[] = []): Promise<Browser> {
  const profile = tempDir('mb-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...args,
    ],
    viewport,
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      profile.remove();
    },
  };
}

/** Saves a screenshot under test-results/browser/. */
export async function shot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  await page.screenshot({ path: join(RESULTS, `${name}-${width}x${height}.png`) });
}

/**
 * Milliseconds from the last WebSocket state message to the DOM update after it (`dom`) and to the
 * next animation frame, i.e. the first paint that can show it (`paint`), from the page's performance marks.
 */
export async function lastPushToDom(page: Page): Promise<{ dom: number; paint: number }> {
  await page.waitForFunction(() => {
    const message = performance.getEntriesByName('mb-ws-message').at(-1);
    return message !== undefined && performance.getEntriesByName('mb-painted').some((p) => p.startTime >= message.startTime);
  });
  return page.evaluate(() => {
    const message = performance.getEntriesByName('mb-ws-message').at(-1)?.startTime ?? Number.NaN;
    const after = (name: string): number => performance.getEntriesByName(name).find((e) => e.startTime >= message)?.startTime ?? Number.NaN;
    return { dom: after('mb-rendered') - message, paint: after('mb-painted') - message };
  });
}

/**
 * A small accessibility check over the whole page, shadow roots included: controls without an
 * accessible name, and (with `minTarget`) visible buttons smaller than `minTarget` CSS pixels.
 */
export async function a11yProblems(page: Page, minTarget = 0): Promise<string[]> {
  return page.evaluate((min) => {
    const problems: string[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const id = el.id;
        const labelled =
          (el.getAttribute('aria-label') ?? '').trim() !== '' ||
          (el.textContent ?? '').trim() !== '' ||
          el.closest('label') !== null ||
          (id !== '' && root.querySelector(`label[for="${CSS.escape(id)}"]`) !== null) ||
          (el instanceof HTMLInputElement &&
            el.type === 'checkbox' &&
            id !== '' &&
            root.querySelector(`label[for="${CSS.escape(id)}"]`) !== null);
        const what = `${el.tagName.toLowerCase()}${el.dataset['key'] ? `[data-key=${el.dataset['key']}]` : ''}${el.className ? `.${el.className}` : ''}`;
        if (!labelled) problems.push(`${what} has no accessible name`);
        if (min > 0 && el.tagName === 'BUTTON' && (box.width < min || box.height < min))
          problems.push(`${what} is ${Math.round(box.width)}x${Math.round(box.height)} px`);
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot);
    };
    walk(document);
    return problems;
  }, minTarget);
}
