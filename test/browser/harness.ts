import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { type Browser as PlaywrightBrowser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { MOODBOX_CLI, DaemonProcess, REPO_ROOT, until, writeConfig } from '../../src/daemon/testing/daemon-process.js';

export const ROOT = REPO_ROOT;
const CLI = MOODBOX_CLI;
export const RESULTS = join(ROOT, 'test-results/browser');

/** Fails early with a hint when the daemon or the screens are not built. */
export function assertBuilt(): void {
  for (const file of ['dist/daemon/cli.js', 'dist/ui/kiosk.js', 'dist/ui/admin.js', 'dist/ui/admin.html', 'dist/ui/guest.js']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`Expected ${file} to exist: run \`npm run build\` before the browser tests.`);
  }
  mkdirSync(RESULTS, { recursive: true });
}

/** Sizes of the built UI bundles, for the test report. */
export function bundleSizes(): string {
  return ['kiosk.js', 'admin.js'].map((f) => `${f} ${(statSync(join(ROOT, 'dist/ui', f)).size / 1024).toFixed(1)} KiB`).join(', ');
}

/** The built daemon, ready, with the address the pages open. */
export type Daemon = DaemonProcess & {
  /** The kiosk's address, as `base`. */
  url: string;
  port: number;
  dataDir: string;
};

/**
 * The configuration the browser tests run the daemon with: no camera (no OpenCV, no model), the
 * bundled demo library, and mpv playing into the null audio output.
 */
export const TEST_CONFIG = deepFreeze({
  camera: { enabled: false },
  library: { folders: [join(ROOT, 'demo/library')] },
  player: { audioOutput: 'null' },
} as const);

/** `value`, frozen to its leaves: a worker's test files share the harness, so none may change what the next reads. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/**
 * Starts the built daemon as a child process on `port` (0: a free one) and waits for `moodbox ready`.
 * `config` is written to `config.json` in `dataDir` and passed as `MOODBOX_CONFIG`; `null` starts
 * it without one, in demo mode (use `saveSettings` to change what demo mode runs).
 */
export async function startDaemon(
  dataDir: string,
  options: { port?: number; config?: Record<string, unknown> | null; env?: NodeJS.ProcessEnv } = {},
): Promise<Daemon> {
  const given = options.config === undefined ? TEST_CONFIG : options.config;
  // Hearing the demo library costs about 10 s of CPU at every start, beside the test: only the tests
  // of the analysis turn it on (`library: { analyze: true }`); demo mode (no configuration) keeps it.
  const config = given === null ? null : { ...given, library: { analyze: false, ...(given['library'] as object | undefined) } };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    MOODBOX_DATA_DIR: dataDir,
    MOODBOX_PORT: String(options.port ?? 0),
    MOODBOX_LOG_LEVEL: 'info',
    NO_COLOR: '1',
  };
  if (config === null) delete env['MOODBOX_CONFIG'];
  else env['MOODBOX_CONFIG'] = writeConfig(dataDir, config);
  const daemon = await DaemonProcess.start({ env });
  const url = daemon.base;
  return Object.assign(daemon, { url, port: Number(new URL(url).port), dataDir });
}

/**
 * A TCP port free on 127.0.0.1 now, for a daemon whose address must be known before it starts
 * (Spotify's redirect back to the box names its port).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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

/**
 * Debian's Chromium for this test worker, started by the first `launchBrowser` with these `args` and
 * kept for the worker's next files (Playwright closes it when the worker exits): starting Chromium
 * costs about half a second of CPU, a new context in it a few milliseconds.
 */
const chromiums = new Map<string, Promise<PlaywrightBrowser>>();
/** The browser contexts `launchBrowser` opened that are not closed yet. */
const openContexts = new Set<BrowserContext>();

function chromiumWith(args: readonly string[]): Promise<PlaywrightBrowser> {
  const key = args.join('\n');
  let started = chromiums.get(key);
  if (started === undefined) {
    started = chromium.launch({
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
      timeout: 60_000,
    });
    chromiums.set(key, started);
    // A failed start, or a Chromium that went away, is started again by the next caller.
    started.then(
      (browser) => browser.on('disconnected', () => chromiums.get(key) === started && chromiums.delete(key)),
      () => chromiums.delete(key),
    );
  }
  return started;
}

/** Closes the browser contexts a test file left open (the browser project's set-up runs it after each file). */
export async function closeLeftContexts(): Promise<void> {
  const left = [...openContexts];
  openContexts.clear();
  await Promise.all(left.map((context) => context.close().catch(() => undefined)));
}

/**
 * A fresh browser context (no cookies, no storage: a new visitor) in Debian's Chromium, headless;
 * `args` go to Chromium after the usual ones; `device.hasTouch` makes it a touch screen (a phone).
 */
export async function launchBrowser(
  viewport = { width: 800, height: 480 },
  args: readonly string[] = [],
  device: { hasTouch?: boolean; locale?: string; timezoneId?: string } = {},
): Promise<Browser> {
  const context = await (
    await chromiumWith(args)
  ).newContext({
    viewport,
    hasTouch: device.hasTouch ?? false,
    ...(device.locale === undefined ? {} : { locale: device.locale }),
    ...(device.timezoneId === undefined ? {} : { timezoneId: device.timezoneId }),
  });
  openContexts.add(context);
  context.on('close', () => openContexts.delete(context));
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}

/**
 * Makes the box's first admin as a new owner does: opens the panel at `url` (the daemon's base)
 * with no admin yet, fills in the first-run form as `name` with `passphrase` twice, and sends it.
 */
export async function createFirstAdmin(page: Page, url: string, name: string, passphrase: string): Promise<void> {
  await page.goto(`${url}/admin`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel(/^Passphrase/).fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
}

/**
 * Opens the admin panel at `url` (a `#view` may follow /admin), signs in as `name` with
 * `passphrase`, and waits until the heading named `heading` shows.
 */
export async function signInToAdmin(page: Page, url: string, name: string, passphrase: string, heading?: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (heading !== undefined) await page.getByRole('heading', { name: heading }).waitFor({ timeout: 30_000 });
}

/**
 * With `MOODBOX_SCREENSHOTS=1`, saves a screenshot under test-results/browser/ to look at: the
 * viewport, or with `fullPage` the whole page. Without it, nothing (each costs Chromium 0.1–0.3 s of CPU).
 */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env['MOODBOX_SCREENSHOTS'] !== '1') return;
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  await page.screenshot({ path: join(RESULTS, `${name}-${width}x${height}.png`), fullPage: options.fullPage === true });
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

/** Where an element is drawn on the page, in CSS pixels from the viewport's top left. */
export type Box = NonNullable<Awaited<ReturnType<Locator['boundingBox']>>>;

/**
 * The box of the element `locator` finds; fails, naming it, when it has none (missing, hidden or
 * not laid out), so that a layout check never passes on an element that was not drawn.
 */
export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (box === null) throw new Error(`Expected ${locator.toString()} to be drawn, got no box (missing, hidden or not laid out)`);
  return box;
}

/** How long a browser test waits for what a page should show. */
export const WAIT = { timeout: 30_000 } as const;
/** The passphrase of the admin `Root` that `adminPage` creates and signs in. */
export const PASSPHRASE = 'correct horse battery staple';

/** The built daemon with a signed-in admin panel, from `adminPage`. */
export interface AdminPage {
  daemon: Daemon;
  browser: Browser;
  /** The signed-in admin panel. */
  page: Page;
  /** Closes the browser, stops the daemon and removes its data directory. */
  close(): Promise<void>;
}

export interface AdminPageOptions {
  /** The name of the fresh data directory begins with this (`mb-admin-users-`). */
  prefix: string;
  /** The panel's view to open, as its hash (`#users`). @default '' (the dashboard) */
  view?: string;
  /** Signing in waits until a heading of this name shows; without it, until the sign-in was sent. */
  heading?: string;
  /** @default {width: 1280, height: 800} */
  viewport?: { width: number; height: number };
  /** A touch screen (a phone), as `launchBrowser`'s `device.hasTouch`. @default false */
  hasTouch?: boolean;
  /** As `startDaemon`'s. @default TEST_CONFIG */
  config?: Record<string, unknown> | null;
  /** As `startDaemon`'s. @default 0 (a free port) */
  port?: number;
  /** Runs on the data directory after `Root` is added and before the daemon starts: more people, seeded rows. */
  before?: (dataDir: string) => void;
  /** Runs once the daemon and the browser are up, before signing in (a fixed clock for the page, rows seeded by the page's time). */
  beforeSignIn?: (daemon: Daemon, page: Page) => Promise<void>;
}

/**
 * The usual start of an admin panel test: a fresh data directory with the admin `Root` (passphrase
 * `PASSPHRASE`), the built daemon on it, Chromium, and the panel at `view` signed in as `Root`.
 * What was started is closed again when a step fails.
 */
export async function adminPage(options: AdminPageOptions): Promise<AdminPage> {
  assertBuilt();
  const data = tempDir(options.prefix);
  let daemon: Daemon | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await daemon?.stop();
    data.remove();
  };
  try {
    addUser(data.path, 'Root', 'admin', PASSPHRASE);
    options.before?.(data.path);
    daemon = await startDaemon(data.path, {
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.config === undefined ? {} : { config: options.config }),
    });
    browser = await launchBrowser(options.viewport ?? { width: 1280, height: 800 }, [], { hasTouch: options.hasTouch ?? false });
    const page = browser.page;
    await options.beforeSignIn?.(daemon, page);
    await signInToAdmin(page, `${daemon.url}/admin${options.view ?? ''}`, 'Root', PASSPHRASE, options.heading);
    return { daemon, browser, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The daemon's state as the screens get it (`GET /api/state`). */
export async function daemonState(daemon: { url: string }): Promise<StateSnapshot> {
  return ((await (await fetch(`${daemon.url}/api/state`)).json()) as { data: StateSnapshot }).data;
}

/**
 * Waits until the daemon's state passes `ready` and returns that state: a fresh daemon scans the
 * demo library, and its camera reads the room, before it plays, suggests and says a mood.
 */
export function stateWhen(daemon: { url: string }, ready: (state: StateSnapshot) => boolean, timeoutMs = 90_000): Promise<StateSnapshot> {
  let last: StateSnapshot | undefined;
  return until(
    async () => {
      last = await daemonState(daemon);
      return ready(last) ? last : undefined;
    },
    timeoutMs,
    () => `Expected the daemon's state to be ready within ${timeoutMs} ms, got ${JSON.stringify(last)}`,
  );
}

/** A picture of `src/vision/testing/fixtures` (a PNG: one face, a group, nobody) as one JPEG frame. */
export function fixtureFrame(name: string): Buffer {
  return execFileSync('ffmpeg', ['-loglevel', 'error', '-i', join(ROOT, 'src/vision/testing/fixtures', name), '-f', 'mjpeg', '-'], {
    maxBuffer: 10 * 1024 * 1024,
  });
}

/** A camera the test controls, from `testCamera`. */
export interface TestCamera {
  /** Its stream, for the daemon's `camera.source`. */
  url: string;
  /** The picture it sends from now on. */
  show(jpeg: Buffer): void;
  /** Takes it away: its streams end and it answers no more (a camera unplugged); `start` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A camera the test controls: an MJPEG stream on 127.0.0.1 sending the picture set by `show` ten
 * times a second, which the real daemon reads with its real face detector and model (it runs in
 * its own process, so this one is free to serve it).
 */
export async function testCamera(first: Buffer, port = 0): Promise<TestCamera> {
  let current = first;
  const streams = new Set<ServerResponse>();
  const boundary = 'moodboxtest';
  let server: ReturnType<typeof createHttpServer> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const listen = async (at: number): Promise<number> => {
    const started = createHttpServer((req, res) => {
      if (req.url !== '/stream.mjpg') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': `multipart/x-mixed-replace; boundary=${boundary}`,
        'cache-control': 'no-cache',
        connection: 'close',
      });
      streams.add(res);
      res.on('close', () => streams.delete(res));
    });
    server = started;
    timer = setInterval(() => {
      for (const res of streams) {
        res.write(`--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${current.length}\r\n\r\n`);
        res.write(current);
        res.write('\r\n');
      }
    }, 100);
    await new Promise<void>((resolve) => started.listen(at, '127.0.0.1', resolve));
    const address = started.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  };
  const bound = await listen(port);
  return {
    url: `http://127.0.0.1:${bound}/stream.mjpg`,
    show: (jpeg) => {
      current = jpeg;
    },
    stop: async () => {
      clearInterval(timer);
      for (const res of streams) res.destroy();
      const stopping = server;
      server = undefined;
      if (stopping !== undefined) await new Promise<void>((resolve) => stopping.close(() => resolve()));
    },
    start: async () => {
      if (server === undefined) await listen(bound);
    },
  };
}

/**
 * Saves `overrides` as the admin panel does (`PUT /api/admin/settings`), signed in as the admin
 * `Root` with `PASSPHRASE` (add it before the daemon starts); those that apply at once do.
 */
export async function putSettings(daemon: { url: string }, overrides: Record<string, unknown>): Promise<void> {
  const signedIn = await fetch(`${daemon.url}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Root', passphrase: PASSPHRASE }),
  });
  if (signedIn.status !== 200)
    throw new Error(`Expected Root to sign in to the admin API, got ${signedIn.status}: ${await signedIn.text()}`);
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const saved = await fetch(`${daemon.url}/api/admin/settings`, {
    method: 'PUT',
    headers: {
      cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      'x-csrf-token': csrfToken,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ overrides }),
  });
  if (saved.status !== 200) throw new Error(`Expected the settings to be saved, got ${saved.status}: ${await saved.text()}`);
}

/** Signs `name` in at the kiosk on `page` with the name keyboard and the PIN pad, and waits until the header names them. */
export async function signInAtKiosk(page: Page, name: string, pin: string): Promise<void> {
  await page.locator('button[data-action="sign-in"]:not([disabled])').click();
  for (const letter of name.toUpperCase()) await page.locator(`mb-name-pad button[data-key="${letter}"]`).click();
  await page.locator('mb-name-pad button[data-key="next"]').click();
  for (const digit of pin) await page.locator(`mb-pin-pad button[data-key="${digit}"]`).click();
  await page.locator('mb-pin-pad button[data-key="ok"]').click();
  await page.locator('header .who').filter({ hasText: name }).waitFor(WAIT);
}

/**
 * A card reader for a daemon started with `env` (`startDaemon`'s): the reader stands in for the
 * USB device at node-hid (test/browser/fake-rfid-reader.mjs), and `tap` plays a recorded card read
 * into it (`src/daemon/testing/fixtures/hid-card-reports.json`, by name: `em4100-card`).
 */
export function cardReader(dataDir: string): { env: NodeJS.ProcessEnv; tap: (recording: string) => void } {
  const taps = join(dataDir, 'hid-taps');
  mkdirSync(taps, { recursive: true });
  const preload = pathToFileURL(join(ROOT, 'test/browser/fake-rfid-reader.mjs')).href;
  const recorded = JSON.parse(readFileSync(join(ROOT, 'src/daemon/testing/fixtures/hid-card-reports.json'), 'utf8')) as Record<
    string,
    { reports: unknown[] }
  >;
  let n = 0;
  return {
    env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${preload}`.trim(), MOODBOX_FAKE_HID_DIR: taps },
    tap: (recording) => {
      const reports = recorded[recording]?.reports;
      if (reports === undefined) throw new Error(`Expected a recorded card read named ${recording}`);
      // Written aside and renamed in, so the reader never reads half a file.
      const file = join(taps, `tap-${++n}`);
      writeFileSync(`${file}.part`, JSON.stringify({ reports }));
      renameSync(`${file}.part`, `${file}.json`);
    },
  };
}
