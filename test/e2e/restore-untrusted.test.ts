import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startDaemon, tempDir, type Daemon } from './harness.js';
import { MOODBOX_CLI } from '../../src/daemon/testing/daemon-process.js';

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

async function signIn(): Promise<Record<string, string>> {
  const res = await fetch(`${daemon.base}/api/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Root', passphrase: PASSPHRASE }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'x-csrf-token': csrfToken };
}

async function api<T>(method: string, path: string, body?: { raw: Buffer; type: string }): Promise<{ status: number; json: T }> {
  const res = await fetch(`${daemon.base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': body.type },
    body: body?.raw,
  });
  const text = await res.text();
  return { status: res.status, json: (text === '' ? null : JSON.parse(text)) as T };
}

beforeAll(async () => {
  dir = tempDir('restore-untrusted');
  dataDir = join(dir, 'data');
  music = join(dir, 'music');
  mkdirSync(music, { recursive: true });
  const result = spawnSync(process.execPath, [MOODBOX_CLI, 'user', 'add', 'Root', '--role', 'admin'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, MOODBOX_DATA_DIR: dataDir, NO_COLOR: '1', OPENCV4NODEJS_DISABLE_AUTOBUILD: '1' },
    input: `${PASSPHRASE}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`Expected \`moodbox user add\` to succeed, got: ${result.stderr}${result.stdout}`);
  // The data folder in the configuration file, not the environment: the case where a backup could move it.
  config = {
    dataDir,
    server: { port: 0 },
    rfid: { enabled: false },
    player: { audioOutput: 'null' },
    camera: { enabled: false },
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
    db.close();
    const panelRefuses = await api<{ error: { code: string } }>('PUT', '/api/admin/settings', {
      raw: Buffer.from(JSON.stringify({ overrides: { camera: overrides.camera, library: overrides.library } })),
      type: 'application/json',
    });
    expect(panelRefuses.status).toBe(400);

    // Upload it, restore it, and start the box again as systemd would after the restart it asks for.
    const uploaded = await api<{ name: string }>('POST', '/api/admin/backups/upload', {
      raw: readFileSync(edited),
      type: 'application/vnd.sqlite3',
    });
    expect(uploaded.status).toBe(201);
    expect((await api('POST', `/api/admin/backups/${uploaded.json.name}/restore`)).status).toBe(202);
    expect(await daemon.exited).toMatchObject({ code: 75 });
    daemon = await startDaemon(dir, config);
    headers = await signIn();

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
    const backups = await api<{ lastRestore: { from: string; setAside: { tracks: number; files: string[]; stations: string[] } } }>(
      'GET',
      '/api/admin/backups',
    );
    expect(backups.json.lastRestore).toMatchObject({ from: uploaded.json.name, setAside: { tracks: 1, files: [secret], stations: [] } });
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
});
