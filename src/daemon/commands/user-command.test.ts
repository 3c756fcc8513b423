import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'cli.ts');

function moodbox(dataDir: string, args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: dataDir, MOODBOX_DATA_DIR: dataDir },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('moodbox user / card', () => {
  it('sets people up without a screen: add with a PIN from stdin, list, change PIN, link a card', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-users-'));
    expect(moodbox(dataDir, ['user', 'add', 'Boss', '--role', 'admin'], 'correct horse battery\n')).toMatchObject({
      status: 0,
      stdout: 'created admin Boss (id 1)\n',
    });
    expect(moodbox(dataDir, ['user', 'add', 'Ada'], '4711\n').status).toBe(0);
    expect(moodbox(dataDir, ['user', 'pin', 'ada'], '2468\n')).toMatchObject({ status: 0, stdout: 'new PIN set for Ada\n' });
    expect(moodbox(dataDir, ['card', 'link', 'Ada', '0004417733'])).toMatchObject({ status: 0, stdout: 'card …7733 now signs in Ada\n' });
    const list = JSON.parse(moodbox(dataDir, ['user', 'list', '--json']).stdout) as unknown;
    expect(list).toEqual([
      { id: 2, name: 'Ada', role: 'member', disabled: false, cards: 1 },
      { id: 1, name: 'Boss', role: 'admin', disabled: false, cards: 0 },
    ]);
  });

  it('refuses a PIN that breaks the policy and an unknown person, with a clear message', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-users-'));
    const short = moodbox(dataDir, ['user', 'add', 'Ada'], '12\n');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('Expected a PIN of 4 to 8 digits');
    const unknown = moodbox(dataDir, ['card', 'link', 'Nobody', '0004417733']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no user named `Nobody`');
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
