import { describe, expect, it } from 'vitest';
import { readyWords, stopWords, tellTerminal, type TerminalStream } from './ready-words.js';

// A configured start in a terminal printed only JSON log lines, with no address and the first-run
// code inside one of them.

const NEWS = {
  version: '1.2.3',
  demo: false,
  base: 'http://127.0.0.1:8080',
  lanBase: 'http://192.168.1.20:8080',
  guestUrl: 'http://192.168.1.20:8080/guest',
  demoAdmin: '',
  firstRunCode: 'ABCD-EFGH',
};

function stream(isTTY: boolean): TerminalStream & { text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe('readyWords', () => {
  it('says where the kiosk, the admin panel and the guest page are, and the first-run code, in words', () => {
    expect(readyWords(NEWS)).toBe(
      [
        '',
        'Moodbox 1.2.3 is running.',
        '  Kiosk:       http://127.0.0.1:8080/',
        '  Admin panel: http://127.0.0.1:8080/admin (from another device: http://192.168.1.20:8080/admin)',
        '  Guest page:  http://192.168.1.20:8080/guest',
        '  No admin yet: open the admin panel to create the first one. On this box no code is needed;',
        '  from another device, type the first-run code ABCD-EFGH.',
        '  Stop:        Ctrl+C',
        '',
        '',
      ].join('\n'),
    );
  });

  it('leaves out what the box does not have: a LAN address, guests, a code; and says the demo’s admin', () => {
    const words = readyWords({
      ...NEWS,
      demo: true,
      lanBase: null,
      guestUrl: null,
      firstRunCode: undefined,
      demoAdmin: '  Admin sign-in: admin / moodbox-demo-admin (you choose a new passphrase at the first sign-in)\n',
    });
    expect(words).toContain('Moodbox 1.2.3 is running in demo mode.\n');
    expect(words).toContain('  Admin panel: http://127.0.0.1:8080/admin\n  Admin sign-in: admin / moodbox-demo-admin');
    expect(words).not.toMatch(/Guest page|first-run code|another device/);
  });
});

describe('tellTerminal', () => {
  // Started as `moodbox start > moodbox.log 2>&1` (or under nohup), the words went nowhere: the
  // first-run code was only inside a JSON line. Where stdout is no terminal, stderr has them.
  it('writes on stdout when it is a terminal, else on stderr, whatever that is (a log file, the journal)', () => {
    for (const [stdoutTTY, stderrTTY, where] of [
      [true, true, 'stdout'],
      [true, false, 'stdout'],
      [false, true, 'stderr'],
      [false, false, 'stderr'],
    ] as const) {
      const stdout = stream(stdoutTTY);
      const stderr = stream(stderrTTY);
      tellTerminal('words', { stdout, stderr });
      expect({ stdout: stdout.text, stderr: stderr.text }).toEqual({
        stdout: where === 'stdout' ? 'words' : '',
        stderr: where === 'stderr' ? 'words' : '',
      });
    }
  });
});

describe('stopWords', () => {
  it('says how the person who started it stops it: systemctl for the service, Ctrl+C at a terminal, else its process id', () => {
    expect(stopWords({ isSystemd: true, isTerminal: false, pid: 42 })).toBe('sudo systemctl stop moodbox');
    expect(stopWords({ isSystemd: false, isTerminal: true, pid: 42 })).toBe('Ctrl+C');
    expect(stopWords({ isSystemd: false, isTerminal: false, pid: 42 })).toBe('kill 42');
    expect(readyWords({ ...NEWS, stop: 'kill 42' })).toContain('\n  Stop:        kill 42\n');
  });
});
