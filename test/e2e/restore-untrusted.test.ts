import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, ROOT, signInAdmin, startDaemon, tempDir, type Daemon } from './harness.js';
import { MOODBOX_CLI, writeConfig } from '../../src/daemon/testing/daemon-process.js';

// A backup is a file someone downloaded, kept and brought back: as untrusted as a music folder.
// The recipe of an outside probe, as a test: download a backup, edit its settings and its tracks,
// upload it, restore it. After the restart the box uses none of what the panel would refuse.

const PASSPHRASE = 'correct horse battery staple';

let dir: string;
let dataDir: string;
let music: string;
let config: Record<string, unknown>;
let daemon: Daemon;
let headers: Record<string, string>;

const signIn = (): Promise<Record<string, string>> => signInAdmin(daemon.base, 'Root', PASSPHRASE);

async function api<T>(method: string, path: string, body?: { raw: Buffer; type: string }): Promise<{ status: number; json: T }> {
  const res = await fetch(`${daemon.base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': body.type },
    body: body?.raw,
  });
  const text = await res.text();
  return { status: res.status, json: (text === '' ? null : JSON.parse(text)) as T };
}

/** `moodbox …` as an owner runs it on the box, with the same configuration file as the daemon. */
function moodbox(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MOODBOX_CLI, ...args, '--config', writeConfig(dir, config)], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1', OPENCV4NODEJS_DISABLE_AUTOBUILD: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A backup of the box as it is now, downloaded from the panel into `name` under the test's folder. */
async function downloadBackup(name: string): Promise<string> {
  const made = await api<{ name: string }>('POST', '/api/admin/backups');
  expect(made.status).toBe(201);
  const download = await fetch(`${daemon.base}/api/admin/backups/${made.json.name}`, { headers });
  expect(download.status).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await download.arrayBuffer()));
  return file;
}

/** Writes `value` as the saved settings of the backup `file`, as a text: what a crafted file holds, not what `JSON.stringify` makes. */
function craftSettings(file: string, value: string): void {
  const db = new Database(file);
  db.prepare("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('config.overrides', ?, 0)").run(value);
  db.close();
}

/**
 * A program that says it ran (writes `ran` beside itself) and then is mpv: what a crafted
 * `player.mpvPath` would have the box start.
 */
function plantProgram(): { program: string; ran: string } {
  const program = join(dir, 'not-mpv.sh');
  const ran = join(dir, 'ran');
  writeFileSync(program, `#!/bin/sh\necho "$@" >> '${ran}'\nexec mpv "$@"\n`);
  chmodSync(program, 0o755);
  return { program, ran };
}

/** The prototype recipe: settings that reach the prototype, naming a program to run, a file to send to a broker and another data folder. */
function prototypeSettings(program: string): string {
  const inner = JSON.stringify({
    player: { mpvPath: program },
    mqtt: { enabled: true, url: 'mqtt://127.0.0.1:1', username: 'x', passwordFile: '/etc/hostname' },
    dataDir: join(dir, 'moved'),
  });
  return `{"player":{"maxVolume":55},"__proto__":${inner}}`;
}

/**
 * Uploads the backup `file` in the panel and restores it; the box asks for its restart (75) and is
 * started again as systemd would. Resolves with the upload's name.
 */
async function restoreThroughPanel(file: string): Promise<{ json: { name: string } }> {
  const uploaded = await api<{ name: string }>('POST', '/api/admin/backups/upload', {
    raw: readFileSync(file),
    type: 'application/vnd.sqlite3',
  });
  expect(uploaded.status).toBe(201);
  expect((await api('POST', `/api/admin/backups/${uploaded.json.name}/restore`)).status).toBe(202);
  expect(await daemon.exited).toMatchObject({ code: 75 });
  daemon = await startDaemon(dir, config);
  headers = await signIn();
  return uploaded;
}

/** Stops the box as systemd would for a restart, and starts it again with the same configuration. */
async function restart(): Promise<void> {
  await daemon.stop();
  daemon = await startDaemon(dir, config);
}

beforeAll(async () => {
  dir = tempDir('restore-untrusted');
  dataDir = join(dir, 'data');
  music = join(dir, 'music');
  mkdirSync(music, { recursive: true });
  addUser(dataDir, 'Root', 'admin', PASSPHRASE);
  // The data folder in the configuration file, not the environment: the case where a backup could move it.
  config = {
    dataDir,
    server: { port: 0 },
    rfid: { enabled: false },
    player: { audioOutput: 'null' },
    camera: { enabled: false, source: 'demo' },
    library: { folders: [music], scanAtStart: false, analyze: false },
  };
  daemon = await startDaemon(dir, config);
  headers = await signIn();
}, 120_000);

afterAll(async () => {
  await daemon.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a restored backup with crafted settings and rows', () => {
  it('changes none of what the panel would refuse: camera, music folders, data folder and files outside the music', async () => {
    // Download a backup, as an owner would keep one.
    const made = await api<{ name: string }>('POST', '/api/admin/backups');
    expect(made.status).toBe(201);
    const download = await fetch(`${daemon.base}/api/admin/backups/${made.json.name}`, { headers });
    expect(download.status).toBe(200);
    const edited = join(dir, 'edited.db');
    writeFileSync(edited, Buffer.from(await download.arrayBuffer()));

    // Edit it: what the same `PUT /api/admin/settings` answers 400 to, and a song outside every music folder.
    const elsewhere = join(dir, 'elsewhere');
    const secret = join(dir, 'secret.ogg');
    writeFileSync(secret, 'OggS a file that is not music of the box');
    const db = new Database(edited);
    const overrides = { camera: { source: 'http://127.0.0.1:18999/cam.mjpg' }, library: { folders: ['/etc'] }, dataDir: elsewhere };
    db.prepare("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('config.overrides', ?, 0)").run(JSON.stringify(overrides));
    const outside = db
      .prepare("INSERT INTO tracks (source, uri, title, added_at, updated_at) VALUES ('local', ?, 'Not music', 0, 0)")
      .run(secret).lastInsertRowid;
    // Rows of other sources, which the review once left alone: a station as no station is written, and a source nothing plays.
    const insert = db.prepare('INSERT INTO tracks (source, uri, title, added_at, updated_at) VALUES (?, ?, ?, 0, 0)');
    const loudRadio = insert.run('stream', 'HTTP://127.0.0.1:1/radio', 'Loud radio').lastInsertRowid;
    const gopher = insert.run('gopher', secret, 'Elsewhere').lastInsertRowid;
    db.close();
    const panelRefuses = await api<{ error: { code: string } }>('PUT', '/api/admin/settings', {
      raw: Buffer.from(JSON.stringify({ overrides: { camera: overrides.camera, library: overrides.library } })),
      type: 'application/json',
    });
    expect(panelRefuses.status).toBe(400);

    // Upload it, restore it, and start the box again as systemd would after the restart it asks for.
    const uploaded = await restoreThroughPanel(edited);

    // The settings the panel would refuse are set aside, said in the panel, and the file's are in force.
    const settings = await api<{
      config: { camera: { source: string }; library: { folders: string[] }; dataDir: string };
      overrides: Record<string, unknown>;
      setAside: Array<{ path: string; value: unknown; why: string }>;
    }>('GET', '/api/admin/settings');
    expect(settings.json.setAside.map(({ path, value }) => [path, value])).toEqual([
      ['dataDir', elsewhere],
      ['camera.source', 'http://127.0.0.1:18999/cam.mjpg'],
      ['library.folders', ['/etc']],
    ]);
    expect([settings.json.config.camera.source, settings.json.config.library.folders, settings.json.config.dataDir]).toEqual([
      'demo',
      [music],
      dataDir,
    ]);
    expect(settings.json.overrides).toEqual({});

    // The data stays where the configuration file says: backups are made and listed there, and nothing is written elsewhere.
    const after = await api<{ name: string }>('POST', '/api/admin/backups');
    expect(after.status).toBe(201);
    expect(readdirSync(join(dataDir, 'backups'))).toContain(after.json.name);
    expect(existsSync(elsewhere)).toBe(false);

    // The song outside the music is set aside, not served, and the panel says so.
    const audio = await fetch(`${daemon.base}/api/admin/tracks/${outside}/audio`, { headers });
    expect(audio.status).toBe(404);
    const tracks = await api<{ items: Array<{ id: number }> }>('GET', '/api/admin/tracks');
    expect(tracks.json.items.map((t) => t.id)).not.toContain(Number(outside));
    expect(tracks.json.items.map((t) => t.id)).not.toContain(Number(loudRadio));
    expect(tracks.json.items.map((t) => t.id)).not.toContain(Number(gopher));
    const backups = await api<{ lastRestore: { from: string; setAside: { tracks: number; files: string[]; stations: string[] } } }>(
      'GET',
      '/api/admin/backups',
    );
    expect(backups.json.lastRestore).toMatchObject({
      from: uploaded.json.name,
      setAside: { tracks: 3, files: [secret, 'HTTP://127.0.0.1:1/radio', secret], stations: [] },
    });
    const audit = await api<{ items: Array<{ action: string; target: string }> }>('GET', '/api/admin/audit?limit=50');
    expect(audit.json.items.map((e) => `${e.action} ${e.target}`)).toEqual(
      expect.arrayContaining([
        'settings.set-aside dataDir',
        'settings.set-aside camera.source',
        'settings.set-aside library.folders',
        'backup.rows-set-aside ',
      ]),
    );
  }, 180_000);

  it('uses no setting that reaches a prototype, restored through the panel: no program of the backup’s author runs', async () => {
    const { program, ran } = plantProgram();
    const crafted = await downloadBackup('prototype-panel.db');
    craftSettings(crafted, prototypeSettings(program));
    await restoreThroughPanel(crafted);
    await expectPrototypeSetAside(ran);
  }, 180_000);

  it('restores through the same door from the command line: today’s passphrase and people stay, sessions end, no prototype setting is used', async () => {
    const before = await downloadBackup('before-change.db');
    const { program, ran } = plantProgram();
    craftSettings(before, prototypeSettings(program));
    // After the backup: the owner adds a member and changes the passphrase (which signs them out), then signs in again.
    const added = await api('POST', '/api/admin/users', {
      raw: Buffer.from(JSON.stringify({ name: 'Dana', role: 'member', pin: '4821' })),
      type: 'application/json',
    });
    expect(added.status).toBe(201);
    const users = await api<Array<{ id: number; name: string }>>('GET', '/api/admin/users');
    const root = users.json.find((u) => u.name === 'Root');
    const NEW = 'a brand new passphrase for the box';
    const changed = await api('PUT', `/api/admin/users/${root?.id ?? 0}/pin`, {
      raw: Buffer.from(JSON.stringify({ pin: NEW })),
      type: 'application/json',
    });
    expect(changed.status).toBe(204);
    const tryPassphrase = (passphrase: string) =>
      fetch(`${daemon.base}/api/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Root', passphrase }),
      });
    const asSignedIn = async (res: Response): Promise<Record<string, string>> => {
      expect(res.status).toBe(200);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'x-csrf-token': csrfToken };
    };
    const oldSession = await asSignedIn(await tryPassphrase(NEW));
    expect((await fetch(`${daemon.base}/api/admin/users`, { headers: oldSession })).status).toBe(200);

    // Readied while the box runs, put in place by the restart.
    const restore = moodbox(['restore', before]);
    expect(restore.stderr).toBe('');
    expect(restore.stdout).toMatch(
      /^readied .*before-change\.db: Moodbox is running \(pid \d+\): it goes in when it restarts .*; today’s people, PINs, passphrases and cards stay, everyone is signed out/,
    );
    await restart();

    // The passphrase is today's, not the backup's; the member added since is there; the old session is signed out.
    expect((await tryPassphrase(PASSPHRASE)).status).toBe(401);
    expect((await fetch(`${daemon.base}/api/admin/users`, { headers: oldSession })).status).toBe(401);
    headers = await asSignedIn(await tryPassphrase(NEW));
    const people = await api<Array<{ name: string; disabled: boolean }>>('GET', '/api/admin/users');
    expect(people.json.map((u) => [u.name, u.disabled]).sort()).toEqual([
      ['Dana', false],
      ['Root', false],
    ]);
    await expectPrototypeSetAside(ran);
    const backups = await api<{ lastRestore: { from: string; people: { people: string; added: string[] } } }>('GET', '/api/admin/backups');
    expect(backups.json.lastRestore).toMatchObject({ from: join(dir, 'before-change.db'), people: { people: 'today', added: ['Dana'] } });

    // The passphrase back, for the test after this one.
    await api('PUT', `/api/admin/users/${root?.id ?? 0}/pin`, {
      raw: Buffer.from(JSON.stringify({ pin: PASSPHRASE })),
      type: 'application/json',
    });
    headers = await signIn();
  }, 240_000);

  it('starts within its memory with a 180 MiB setting restored, setting it aside without reading it', async () => {
    const big = await downloadBackup('big-setting.db');
    craftSettings(big, `"${'x'.repeat(180 * 2 ** 20)}"`);
    const restore = moodbox(['restore', big]);
    expect(restore.status, restore.stderr).toBe(0);
    await restart();
    headers = await signIn();
    // The unit's MemoryMax is 704 MiB; reading the row would take the daemon past 1 GiB.
    const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))?.[1]);
    expect(peakKiB / 1024).toBeLessThan(400);
    const settings = await api<{ setAside: Array<{ path: string; why: string }> }>('GET', '/api/admin/settings');
    expect(settings.json.setAside.at(-1)).toMatchObject({
      path: '(saved settings)',
      why: expect.stringMatching(/^\(saved settings\): cannot be read \(188743682 bytes, more than the 262144 a setting may take\)/),
    });
  }, 240_000);
});

/** After a restore of `prototypeSettings`: the program never ran, the file's settings are in force, and the panel and the audit say why. */
async function expectPrototypeSetAside(ran: string): Promise<void> {
  const settings = await api<{
    config: { player: { mpvPath: string; maxVolume: number }; mqtt: { enabled: boolean }; dataDir: string };
    overrides: Record<string, unknown>;
    setAside: Array<{ path: string; why: string }>;
  }>('GET', '/api/admin/settings');
  expect([settings.json.config.player.mpvPath, settings.json.config.mqtt.enabled, settings.json.config.dataDir]).toEqual([
    'mpv',
    false,
    dataDir,
  ]);
  expect(settings.json.overrides).toEqual({});
  expect(settings.json.setAside.at(-1)).toMatchObject({
    path: '(saved settings)',
    why: expect.stringMatching(/^\(saved settings\): cannot be read \(JSON with a key that reaches a prototype/),
  });
  expect(existsSync(ran)).toBe(false);
  expect(existsSync(join(dir, 'moved'))).toBe(false);
  const audit = await api<{ items: Array<{ action: string; target: string }> }>('GET', '/api/admin/audit?limit=50');
  expect(audit.json.items.map((e) => `${e.action} ${e.target}`)).toContain('settings.set-aside (saved settings)');
}
