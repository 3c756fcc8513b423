import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MOODBOX_CLI, REPO_ROOT, until, writeConfig } from '../testing/daemon-process.js';

// A configured start in a terminal printed only JSON log lines: no address, and the first-run code
// inside one of them. On a terminal (a real pseudo-terminal here, util-linux's `script`), the
// addresses and the code are said in words, and the log is pino-pretty's, while the log file and a
// piped stdout keep the JSON. Started with both sent to a file (`> moodbox.log 2>&1`, nohup), the
// words are in that file, between its JSON lines. And a start by hand has nothing that starts it
// again: the panel's restart, which would stop it for good, is not offered.

const dir = mkdtempSync(join(tmpdir(), 'moodbox-ready-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a terminal showed: its text without colours, and the data folder the daemon used. */
interface Shown {
  text: string;
  dataDir: string;
}

/** ANSI colour and cursor sequences, which pino-pretty writes on a terminal. */
// eslint-disable-next-line no-control-regex -- ESC is what these sequences begin with.
const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** How long a start may take to say it is ready (ms). */
const READY_MS = 30_000;

/** A line of a first-run code in words, and the code itself. */
const CODE_LINE = /from another device, type the first-run code ([2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4})\./;

/**
 * Runs `moodbox start` in a terminal of its own (`shell` is the command line `script` runs), until the
 * terminal shows the ready words and whatever else `wanted` waits for; runs `whileUp` with what it
 * showed (the daemon still serving); then types Ctrl+C and waits
 * for the end. (A terminal's Ctrl+C throws away what it had not yet shown: what is asserted must have
 * been read before it.)
 */
async function startInTerminal(
  name: string,
  shell: (start: string) => string,
  wanted = /Stop: +Ctrl\+C/,
  whileUp: (plain: string) => Promise<void> = async () => {},
): Promise<Shown> {
  const { dataDir, start, env } = byHand(name);
  const child = spawn('script', ['-qfec', shell(start), '/dev/null'], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const plain = text.replace(ESCAPES, '');
        if (/Stop: +Ctrl\+C/.test(plain) && wanted.test(plain)) resolve();
      });
      void exited.then(() => reject(new Error(`Expected the ready words on the terminal, got an exit first:\n${text}`)));
      timer = setTimeout(
        () => reject(new Error(`Expected the ready words on the terminal within ${READY_MS} ms, got:\n${text}`)),
        READY_MS,
      );
    });
    await whileUp(text.replace(ESCAPES, ''));
  } finally {
    clearTimeout(timer);
    // Ctrl+C, as a person stops it: the terminal sends the daemon SIGINT.
    child.stdin.write('\u0003');
    await exited;
  }
  return { text: text.replace(ESCAPES, '').replace(/\r/g, ''), dataDir };
}

/**
 * A configured box in its own data folder, started by hand (nothing in its environment says that
 * systemd or a supervisor would start it again): the command line and the environment.
 */
function byHand(name: string): { dataDir: string; start: string; env: NodeJS.ProcessEnv } {
  const dataDir = join(dir, name);
  mkdirSync(join(dataDir, 'music'), { recursive: true });
  const config = writeConfig(dataDir, {
    camera: { enabled: false },
    rfid: { enabled: false },
    player: { audioOutput: 'null' },
    library: { folders: [join(dataDir, 'music')], analyze: false },
    log: { file: 'moodbox.log' },
  });
  const start = `'${process.execPath}' '${MOODBOX_CLI}' start --config '${config}'`;
  const env = { PATH: process.env['PATH'] ?? '', HOME: dataDir, MOODBOX_DATA_DIR: dataDir, MOODBOX_PORT: '0', TERM: 'xterm' };
  return { dataDir, start, env };
}

/** The kiosk's address the words give: `http://127.0.0.1:PORT`. */
const kioskOf = (text: string): string | undefined => /Kiosk: +(http:\/\/127\.0\.0\.1:\d+)\//.exec(text)?.[1];

/** What the daemon wrote to its log file (`log.file`: `moodbox.log`, kept as `moodbox.<n>.log`). */
function logFile(dataDir: string): string {
  const files = readdirSync(dataDir).filter((name) => /^moodbox\.\d+\.log$/.test(name));
  return files.map((name) => readFileSync(join(dataDir, name), 'utf8')).join('');
}

/** The lines of `text` that are pino's JSON. */
const jsonLines = (text: string): string[] => text.split('\n').filter((line) => line.trimStart().startsWith('{"level"'));

describe('a configured start in a terminal', () => {
  it('says the addresses and the first-run code in words on stdout, with a pretty log, and JSON in the log file', async () => {
    const { text, dataDir } = await startInTerminal('tty', (start) => start, /INFO.*: moodbox ready/);
    const port = /Kiosk: +http:\/\/127\.0\.0\.1:(\d+)\//.exec(text)?.[1];
    expect(port, text).toBeDefined();
    expect(text).toContain(`  Admin panel: http://127.0.0.1:${port}/admin\n`);
    expect(text).toMatch(CODE_LINE);
    expect(text).toMatch(/INFO.*: moodbox ready/);
    expect(jsonLines(text)).toEqual([]);
    expect(logFile(dataDir)).toContain('"msg":"moodbox ready"');
  }, 60_000);

  it('offers no restart from the admin panel: nothing would start it again', async () => {
    let answers: { restart: number; operations: string[] } | undefined;
    await startInTerminal(
      'by-hand',
      (start) => start,
      /Stop: +Ctrl\+C/,
      async (plain) => {
        const base = kioskOf(plain) ?? '';
        const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
          paths: Record<string, Record<string, { operationId?: string }>>;
        };
        const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId ?? ''));
        answers = { restart: (await fetch(`${base}/api/admin/restart`, { method: 'POST' })).status, operations };
      },
    );
    // The panel asks the API for `restartDaemon`: absent, it says how to restart by hand instead.
    expect(answers?.operations).toContain('saveSettings');
    expect(answers?.operations).not.toContain('restartDaemon');
    expect(answers?.restart).toBe(404);
  }, 60_000);

  it('says them on stderr when stdout is piped away as the log, which stays JSON', async () => {
    const { text, dataDir } = await startInTerminal('piped', (start) => `${start} > '${join(dir, 'piped.log')}'`);
    expect(text).toMatch(/Kiosk: +http:\/\/127\.0\.0\.1:\d+\//);
    expect(text).toMatch(CODE_LINE);
    const piped = readFileSync(join(dir, 'piped.log'), 'utf8').trim().split('\n');
    expect(piped.length).toBeGreaterThan(5);
    expect(jsonLines(piped.join('\n'))).toHaveLength(piped.length);
    expect(logFile(dataDir)).toContain('"msg":"moodbox ready"');
  }, 60_000);
});

describe('a configured start with stdout and stderr sent to one file (`> moodbox.log 2>&1`, nohup)', () => {
  it('writes the addresses, the first-run code and how to stop it in words, between JSON lines', async () => {
    const { start, env } = byHand('to-file');
    const file = join(dir, 'to-file.log');
    // `exec`: the shell becomes the daemon, so the signal below reaches it.
    const child = spawn('sh', ['-c', `exec ${start} > '${file}' 2>&1`], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    let text = '';
    try {
      await until(
        () => {
          if (child.exitCode !== null) throw new Error(`Expected the daemon to run, got exit ${child.exitCode}`);
          text = existsSync(file) ? readFileSync(file, 'utf8') : '';
          // The words are written at once, the log's lines as the logger gets to them: both are awaited.
          const isReady = jsonLines(text).some((line) => line.includes('"msg":"moodbox ready"'));
          return isReady && /Stop: +kill \d+\n/.test(text) ? text : undefined;
        },
        READY_MS,
        () => `Expected the ready words and the "moodbox ready" line in ${file} within ${READY_MS} ms, got:\n${text}`,
      );
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(text).toMatch(CODE_LINE);
    expect(text).toMatch(/\n {2}Kiosk: +http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(text).toContain(`  Stop:        kill ${child.pid}\n`);
    // Every other line is JSON, whole: the words sit between lines, never inside one.
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const words = lines.filter((line) => !line.startsWith('{'));
    expect(words[0]).toMatch(/^Moodbox .* is running\.$/);
    expect(words.every((line) => line === words[0] || line.startsWith('  '))).toBe(true);
    for (const line of lines.filter((l) => l.startsWith('{'))) expect(() => JSON.parse(line) as unknown).not.toThrow();
  }, 60_000);
});
