import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disagreeingPair } from '../../vision/testing/int8-models.js';
import { OVERRIDES_KEY } from '../config/live-config.js';
import { formatChecks, runDoctor, type Check } from './doctor.js';
import Database from 'better-sqlite3';
import { loadMigrations, openSqliteStore } from '../store/sqlite-store.js';
import { FakeClock } from '../testing/fake-clock.js';
import { systemClock } from '../../kernel/clock.js';
import { MOODBOX_CLI } from '../testing/daemon-process.js';
import type { Logger } from '../logging.js';
import { AuthService, authOptionsFrom } from '../people/auth-service.js';
import { FirstRun } from '../people/first-run.js';
import { SignInThrottle } from '../people/throttle.js';
import { actors } from '../store/audit.js';
import { AUDIO_EXTENSIONS } from '../../player/library/scanner-walk.js';

function machine(options: { devices?: string[]; model?: 'ok' | 'tampered' | 'missing'; config?: object } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'moodbox-doctor-'));
  const devDir = join(root, 'dev');
  mkdirSync(devDir);
  for (const d of options.devices ?? []) writeFileSync(join(devDir, d), '');
  const installDir = join(root, 'opt');
  mkdirSync(join(installDir, 'models'), { recursive: true });
  const model = Buffer.from('onnx bytes');
  if (options.model !== 'missing') {
    writeFileSync(join(installDir, 'models', 'emotion-int8.onnx'), options.model === 'tampered' ? Buffer.from('other bytes') : model);
    const sha256 = createHash('sha256').update(model).digest('hex');
    writeFileSync(join(installDir, 'models', 'manifest.json'), JSON.stringify({ models: { 'emotion-int8.onnx': { sha256 } } }));
  }
  const configFile = join(root, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      dataDir: join(root, 'data'),
      server: { port: 0 },
      vision: { modelPath: join(installDir, 'models', 'emotion-int8.onnx') },
      ...options.config,
    }),
  );
  // setup.sh install's record: none, as on a box run from its folder, unless a test writes it.
  const installRecord = join(root, 'installed');
  return { configFile, devDir, installDir, installRecord, env: { HOME: root, PATH: process.env['PATH'] ?? '' } };
}

const byName = (checks: Check[], name: string): Check => {
  const check = checks.find((c) => c.name === name);
  if (!check) throw new Error(`no ${name} check`);
  return check;
};

describe('moodbox doctor', () => {
  // A café's file that named no camera ran the demo clip, and the doctor called that camera fine.
  it("says a box with a file and no camera line uses this machine's camera, a default, and fails it when none is there", async () => {
    const none = machine();
    expect(byName(await runDoctor(none), 'camera')).toMatchObject({
      status: 'fail',
      message: `${join(none.devDir, 'video0')} (this machine's camera, the default: the configuration file sets no camera.source) does not exist; no camera device (${join(none.devDir, 'video*')}) on this machine`,
    });
    const one = machine({ devices: ['video0'] });
    expect(byName(await runDoctor(one), 'camera')).toMatchObject({
      status: 'ok',
      message: `${join(one.devDir, 'video0')} (this machine's camera, the default: the configuration file sets no camera.source) can be opened`,
    });
  });

  it('says the demo camera is a recorded clip: fine in demo mode, a warning on a box with a file', async () => {
    const m = machine({ devices: ['video0'], config: { camera: { source: 'demo' } } });
    expect(byName(await runDoctor(m), 'camera')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(
        /^demo camera \(a recorded clip\): camera\.source is "demo", so the mood shown is the clip's, not the room's/,
      ),
      fix: `to use the real camera set camera.source to "${join(m.devDir, 'video0')}" (Settings › Camera)`,
    });
    const demo = await runDoctor({ ...m, configFile: undefined });
    expect(byName(demo, 'camera')).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^demo camera \(a recorded clip\): a bundled clip of faces stands in for a camera in demo mode/),
    });
  });

  it('fails a configured camera device that is not there, naming the devices it found', async () => {
    const m = machine({ devices: ['video2'], config: { camera: { source: '/dev/video0' } } });
    const camera = byName(await runDoctor(m), 'camera');
    expect(camera.status).toBe('fail');
    expect(camera.message).toContain('/dev/video0 does not exist');
    expect(camera.message).toContain(join(m.devDir, 'video2'));
    expect(camera.fix).toMatch(/plug the USB camera in/);
  });

  it('fails the camera when the program that reads it is missing, and names the package', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'moodbox-doctor-bin-'));
    const pipeline = 'v4l2src device=/dev/video0 ! videoconvert ! appsink';
    // Only ffmpeg here: a device or the demo clip reads, a GStreamer pipeline does not.
    writeFileSync(join(bin, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 });
    const withFfmpeg = (config: object) => {
      const m = machine({ devices: ['video0'], config });
      return { ...m, env: { ...m.env, PATH: bin } };
    };
    expect(byName(await runDoctor(withFfmpeg({})), 'camera').status).toBe('ok');
    expect(byName(await runDoctor(withFfmpeg({ camera: { source: pipeline } })), 'camera')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/GStreamer pipeline .*read through gst-launch-1\.0, which is not installed/),
      fix: 'sudo apt install gstreamer1.0-tools gstreamer1.0-plugins-good',
    });
    writeFileSync(join(bin, 'gst-launch-1.0'), '#!/bin/sh\n', { mode: 0o755 });
    expect(byName(await runDoctor(withFfmpeg({ camera: { source: pipeline } })), 'camera').status).toBe('ok');
    // No ffmpeg: the demo clip cannot be read either.
    const none = machine({ config: { camera: { source: 'demo' } } });
    expect(byName(await runDoctor({ ...none, env: { ...none.env, PATH: '/nonexistent' } }), 'camera')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/demo camera.*read through ffmpeg, which is not installed \(the music analysis needs it too\)/),
      fix: 'sudo apt install ffmpeg',
    });
  });

  it('checks the emotion model against its manifest', async () => {
    expect(byName(await runDoctor(machine()), 'model')).toMatchObject({ status: 'ok' });
    expect(byName(await runDoctor(machine({ model: 'tampered' })), 'model')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/does not match its manifest/),
    });
    expect(byName(await runDoctor(machine({ model: 'missing' })), 'model')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/is missing/),
    });
  });

  it('checks that the shipped int8 model reads faces as its float original does on this CPU', async () => {
    const models = join(import.meta.dirname, '..', '..', '..', 'models');
    const m = machine({ config: { vision: { modelPath: join(models, 'emotion-int8.onnx') } } });
    expect(byName(await runDoctor(m), 'int8')).toEqual({
      name: 'int8',
      status: 'ok',
      message: expect.stringMatching(/^int8 agrees with float on \d+\.\d% of 162 faces .* on .*\((x64|arm64), /),
    });
    const float = machine({ config: { vision: { modelPath: join(models, 'emotion-float.onnx') } } });
    expect(byName(await runDoctor(float), 'int8')).toMatchObject({ status: 'ok', message: expect.stringMatching(/is not an int8 model/) });
  });

  it('warns when the int8 model disagrees with its float original, and says what the daemon does', async () => {
    const m = machine({ config: { vision: { modelPath: disagreeingPair() } } });
    expect(byName(await runDoctor(m), 'int8')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/^int8 does NOT agree .*; Moodbox runs the float model instead/),
      fix: expect.stringMatching(/reinstall the models/),
    });
  });

  it('checks the face detector the configuration picks', async () => {
    const repo = join(import.meta.dirname, '..', '..', '..');
    expect(byName(await runDoctor({ ...machine(), installDir: repo }), 'detector')).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^YuNet /),
    });
    expect(byName(await runDoctor(machine()), 'detector')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/YuNet face detector .* is missing/),
    });
    const haar = machine({ config: { vision: { detector: 'haar', cascadePath: '/nonexistent.xml' } } });
    expect(byName(await runDoctor(haar), 'detector')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/opencv-data/) });
  });

  it('checks the settings saved from the admin panel as the daemon applies them', async () => {
    const m = machine();
    const dataDir = (JSON.parse(readFileSync(m.configFile, 'utf8')) as { dataDir: string }).dataDir;
    expect(byName(await runDoctor(m), 'settings')).toMatchObject({ status: 'ok', message: 'none saved from the admin panel yet' });
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: join(dataDir, 'moodbox.db') });
    store.settings.set(OVERRIDES_KEY, { player: { mpvPath: '/nonexistent/mpv', volume: 30 } }, 1);
    store.close();
    const checks = await runDoctor(m);
    expect(byName(checks, 'settings')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining(
        'player.mpvPath: can only be set in the configuration file (it runs a program, opens a file or reaches outside the box); the saved value is set aside',
      ),
    });
    // The ignored value is not the one checked: mpv is found.
    expect(byName(checks, 'mpv').status).toBe('ok');
  });

  it('says where YouTube is on and yt-dlp is missing, and what to install', async () => {
    const home = { site: { kind: 'home' }, music: { youtube: true } };
    expect((await runDoctor(machine())).map((c) => c.name)).not.toContain('yt-dlp');
    const without = machine({ config: home });
    expect(byName(await runDoctor({ ...without, env: { ...without.env, PATH: '/nonexistent' } }), 'yt-dlp')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/`music.youtube` is on but yt-dlp is not installed/),
      fix: 'sudo apt install yt-dlp',
    });
    const bin = mkdtempSync(join(tmpdir(), 'moodbox-doctor-bin-'));
    writeFileSync(join(bin, 'yt-dlp'), '#!/bin/sh\n', { mode: 0o755 });
    const withIt = machine({ config: home });
    expect(byName(await runDoctor({ ...withIt, env: { ...withIt.env, PATH: `${bin}:${withIt.env.PATH}` } }), 'yt-dlp').status).toBe('ok');
  });

  it('warns when the machine has less memory than Moodbox needs, or than it and a kiosk browser here need', async () => {
    const MiB = 2 ** 20;
    const m = machine();
    const noBrowser = { ...m, env: { ...m.env, PATH: '/nonexistent' } };
    expect(byName(await runDoctor({ ...noBrowser, totalMemory: 512 * MiB }), 'memory')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/^512 MiB of memory: Moodbox needs about 530 MiB/),
      fix: expect.stringContaining('1 GB'),
    });
    // A Raspberry Pi 4 with 1 GB: Moodbox fits, the kiosk browser beside it does not.
    expect(byName(await runDoctor({ ...noBrowser, totalMemory: 922 * MiB }), 'memory').status).toBe('ok');
    const bin = mkdtempSync(join(tmpdir(), 'moodbox-doctor-bin-'));
    writeFileSync(join(bin, 'chromium'), '#!/bin/sh\n', { mode: 0o755 });
    const withBrowser = { ...m, env: { ...m.env, PATH: bin } };
    expect(byName(await runDoctor({ ...withBrowser, totalMemory: 922 * MiB }), 'memory')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('not with the kiosk screen in Chromium here too (about 930 MiB)'),
    });
    expect(byName(await runDoctor({ ...withBrowser, totalMemory: 1905 * MiB }), 'memory').status).toBe('ok');
  });

  it('fails the snapcast output when its pipe is missing or a regular file, and passes a real FIFO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moodbox-doctor-pipe-'));
    const pipe = join(dir, 'snapfifo');
    const snapcast = machine({ config: { player: { audioOutput: 'snapcast', snapcastPipe: pipe } } });
    expect((await runDoctor(machine())).map((c) => c.name)).not.toContain('snapcast');
    expect(byName(await runDoctor(snapcast), 'snapcast')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`the Snapcast pipe ${pipe} does not exist`),
      fix: expect.stringMatching(/\/run\/snapserver\//),
    });
    writeFileSync(pipe, 'PCM written by an mpv that found no pipe');
    expect(byName(await runDoctor(snapcast), 'snapcast')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`the Snapcast pipe ${pipe} is a regular file, not a FIFO`),
    });
    rmSync(pipe);
    spawnSync('mkfifo', [pipe]);
    expect(byName(await runDoctor(snapcast), 'snapcast')).toMatchObject({
      status: 'ok',
      message: `${pipe} is a FIFO: the music goes to Snapcast`,
    });
  });

  it('finds mpv, free disk and a writable data directory on this machine', async () => {
    const checks = await runDoctor(machine());
    expect(byName(checks, 'mpv')).toMatchObject({ status: 'ok', message: expect.stringMatching(/^mpv /) });
    expect(byName(checks, 'disk').status).not.toBe('fail');
    expect(byName(checks, 'database')).toMatchObject({ status: 'ok', message: expect.stringMatching(/will be created at first start/) });
  });

  it('passes a database made by the current migrations, and fails one from a newer Moodbox (issue 38)', async () => {
    const m = machine();
    const path = join(dirname(m.configFile), 'data', 'moodbox.db');
    mkdirSync(dirname(path), { recursive: true });
    openSqliteStore({ clock: new FakeClock(0), log: { info() {}, warn() {} } }, { path }).close();
    const latest = loadMigrations().at(-1)?.version ?? 0;
    expect(byName(await runDoctor(m), 'database')).toEqual({ name: 'database', status: 'ok', message: `${path}, schema ${latest}` });
    const db = new Database(path);
    db.pragma(`user_version = ${latest + 1}`);
    db.close();
    expect(byName(await runDoctor(m), 'database')).toMatchObject({
      status: 'fail',
      message: `${path} is from a newer Moodbox (schema ${latest + 1} > ${latest})`,
    });
  });

  it('shows the disk use by part and table, and the days left at the rate the nights measured', async () => {
    const m = machine();
    const dataDir = join(dirname(m.configFile), 'data');
    const clock = new FakeClock(systemClock.now());
    const store = openSqliteStore({ clock, log: { info() {}, warn() {} } }, { path: join(dataDir, 'moodbox.db') });
    store.stats.logMoods(Array.from({ length: 5000 }, (_, i) => ({ at: i * 1000, mood: 'happy', confidence: 0.5, faces: 1 })));
    store.close();
    mkdirSync(join(dataDir, 'covers'));
    writeFileSync(join(dataDir, 'covers', 'a.jpg'), Buffer.alloc(1024 * 1024));
    mkdirSync(join(dataDir, 'backups'));
    writeFileSync(join(dataDir, 'backups', 'moodbox-nightly-1.db'), Buffer.alloc(2 * 1024 * 1024));
    const day = 86_400_000;
    const samples = (perDay: number) =>
      writeFileSync(
        join(dataDir, 'disk-use.json'),
        JSON.stringify([0, 1, 2, 3].map((n) => ({ at: clock.now() - (4 - n) * day, bytes: 10_000_000 + n * perDay }))),
      );
    samples(0);
    const flat = byName(await runDoctor(m), 'disk use');
    expect(flat).toMatchObject({ status: 'ok' });
    expect(flat.message).toMatch(/^database \d+\.\d KiB, covers 1\.0 MiB, backups 2\.0 MiB/);
    expect(flat.message).toMatch(/largest tables: mood_log /);
    expect(flat.message).toMatch(/not growing over 4 nights$/);
    // Growing by a tenth of the free space a day: ten days left, and a warning.
    const disk = statfsSync(dataDir);
    samples((disk.bavail * disk.bsize) / 10);
    const growing = byName(await runDoctor(m), 'disk use');
    expect(growing).toMatchObject({ status: 'warn', fix: expect.stringMatching(/retention/) as unknown });
    expect(growing.message).toMatch(/a day: (9|10) days left$/);
  });

  it('fails when mpv is missing or the data directory cannot be written', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'moodbox-doctor-')), 'a-file');
    writeFileSync(blocker, '');
    const m = machine({ config: { player: { mpvPath: '/nonexistent/mpv' }, dataDir: join(blocker, 'data') } });
    const checks = await runDoctor(m);
    expect(byName(checks, 'mpv')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/apt install mpv/) });
    expect(byName(checks, 'database').status).toBe('fail');
  });

  it('prints the first-run code while the box has no admin, and where to use it (issue 58)', async () => {
    const m = machine();
    const before = byName(await runDoctor(m), 'admin');
    expect(before).toMatchObject({ status: 'warn', message: expect.stringMatching(/no admin yet, and no first-run code/) });
    // Run from its folder, the commands are the folder's.
    expect(before.fix).toMatch(
      /^start Moodbox, then open http:\/\/.*\/admin on this box \(or run `node dist\/daemon\/cli\.js doctor` again/,
    );
    const store = openSqliteStore(
      { clock: new FakeClock(0), log: { info() {}, warn() {} } },
      { path: join(dirname(m.configFile), 'data', 'moodbox.db') },
    );
    const log = { info() {}, warn() {}, debug() {}, error() {} } as unknown as Logger;
    const auth = new AuthService({ store, clock: new FakeClock(0), log, throttle: new SignInThrottle({ clock: new FakeClock(0) }) }, () =>
      authOptionsFrom({ kioskIdleTimeoutS: 60, adminSessionH: 1 }),
    );
    const code = new FirstRun({ auth, store, clock: new FakeClock(0), log }).open() ?? '';
    const checks = await runDoctor(m);
    expect(byName(checks, 'admin')).toMatchObject({ status: 'warn', message: `no admin yet: first-run code ${code}` });
    expect(formatChecks(checks)).toMatch(
      /open http:\/\/.*\/admin on this box, or the admin page from a phone or laptop on this network with the code/,
    );
    await auth.createUser({ name: 'Mia', role: 'admin', secret: 'blue kettle on the shelf' }, actors.cli);
    store.close();
    expect(byName(await runDoctor(m), 'admin')).toEqual({ name: 'admin', status: 'ok', message: '1 admin can sign in' });
  });

  it('on a box setup.sh install set up, says to start the service and to read the code with the `moodbox` command (issue 82)', async () => {
    const m = machine();
    // Another folder's install: this one is still run from its folder.
    writeFileSync(m.installRecord, `prefix=${join(dirname(m.installDir), 'elsewhere')}\nhere=0\nversion=1.0.0\n`);
    expect(byName(await runDoctor(m), 'admin').fix).toContain('`node dist/daemon/cli.js doctor`');
    writeFileSync(m.installRecord, `prefix=${m.installDir}/\nhere=0\nversion=1.0.0\n`);
    const admin = byName(await runDoctor(m), 'admin');
    expect(admin).toMatchObject({ status: 'warn', message: expect.stringMatching(/no admin yet, and no first-run code/) });
    expect(admin.fix).toMatch(
      /^start Moodbox \(sudo systemctl start moodbox\), then open http:\/\/.*\/admin on this box \(or run `moodbox doctor` again for the code/,
    );
    expect(admin.fix).not.toContain('dist/daemon/cli.js');
  });

  it('counts the music in the configured folders, and fails a folder that is not there', async () => {
    const m = machine();
    const music = join(m.installDir, 'music');
    mkdirSync(join(music, 'album'), { recursive: true });
    writeFileSync(join(music, 'album', 'one.flac'), '');
    writeFileSync(join(music, 'two.mp3'), '');
    writeFileSync(join(music, 'cover.jpg'), '');
    const ok = await runDoctor({ ...m, configFile: rewrite(m.configFile, { library: { folders: [music] } }) });
    expect(byName(ok, 'music')).toEqual({ name: 'music', status: 'ok', message: `${music} (in the configuration file): 2 audio files` });
    const missing = await runDoctor({ ...m, configFile: rewrite(m.configFile, { library: { folders: [join(music, 'nope')] } }) });
    expect(byName(missing, 'music')).toMatchObject({ status: 'fail', message: expect.stringContaining('missing or not readable') });
  });

  it('names the demo music as the default where the file names no folder, not as the file’s', async () => {
    const m = machine();
    expect(byName(await runDoctor(m), 'music').message).toContain(
      `${join(m.installDir, 'demo', 'library')} (the demo music, the default: the configuration file names no folder)`,
    );
  });

  // Issue 82: the doctor warned about the file's empty folder and never named the one added in the
  // panel; it names every folder the daemon scans, and where each was set.
  it('names every music folder, those the admin panel added too, and says where each was set', async () => {
    const m = machine();
    const dataDir = (JSON.parse(readFileSync(m.configFile, 'utf8')) as { dataDir: string }).dataDir;
    const [fromFile, added, addedEmpty] = ['file-music', 'panel-music', 'panel-empty'].map((f) => join(m.installDir, f));
    for (const folder of [fromFile, added, addedEmpty]) mkdirSync(folder ?? '', { recursive: true });
    writeFileSync(join(added ?? '', 'one.mp3'), '');
    rewrite(m.configFile, { library: { folders: [fromFile] } });
    const store = openSqliteStore({ clock: new FakeClock(), log: { info() {}, warn() {} } }, { path: join(dataDir, 'moodbox.db') });
    store.settings.set(OVERRIDES_KEY, { library: { folders: [fromFile, added, addedEmpty] } }, 1);
    store.close();
    expect(byName(await runDoctor(m), 'music')).toEqual({
      name: 'music',
      status: 'warn',
      message: `no audio files in ${fromFile} (in the configuration file), ${addedEmpty} (added in the admin panel); ${added} (added in the admin panel): 1 audio file`,
      fix: `copy music there (${AUDIO_EXTENSIONS.join(' ')}), then rescan from the admin panel (Settings › Music › Music folders)`,
    });
  });

  it('says where in the admin panel guests’ requests are turned on: Settings › Guests', async () => {
    const guests = byName(await runDoctor(machine({ config: { site: { kind: 'business' } } })), 'guests');
    expect(guests.message).toContain('turn them on in the admin panel (Settings › Guests)');
    expect(guests.message).not.toContain('Kiosk');
  });

  it('reports a bad configuration as the only problem, with its field', async () => {
    const m = machine({ config: { camera: { sorce: 'demo' } } });
    const checks = await runDoctor(m);
    expect(checks).toEqual([
      expect.objectContaining({
        name: 'config',
        status: 'fail',
        message: expect.stringContaining('camera.sorce: unknown key (did you mean `source`?)'),
      }),
    ]);
  });

  it('prints a readable report and exits non-zero on a problem', { timeout: 60_000 }, () => {
    const m = machine({ model: 'missing' });
    const result = spawnSync(process.execPath, [MOODBOX_CLI, 'doctor', '--config', m.configFile], {
      encoding: 'utf8',
      env: m.env,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^\[FAIL\] model: emotion model .* is missing/m);
    expect(result.stdout).toMatch(/^\[ok {2}\] mpv: mpv /m);
    expect(result.stdout).toMatch(/problems? found\.$/m);
    expect(formatChecks([{ name: 'x', status: 'ok', message: 'fine' }])).toBe('[ok  ] x: fine\n\nNo problems found.');
  });
});

/** Merges `patch` into the configuration file at `file`; returns its path. */
function rewrite(file: string, patch: object): string {
  writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), ...patch }));
  return file;
}
