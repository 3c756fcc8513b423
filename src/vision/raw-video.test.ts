import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../daemon/testing/until.js';
import { RawVideo } from './raw-video.js';

const dir = mkdtempSync(join(tmpdir(), 'moodbox-raw-video-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A child that speaks as ffmpeg at `-v level+info`: a damaged picture's error, then (once `go`
 * exists, so that the error has come first) one 2x2 picture, then `last` on stderr, then `exit`.
 */
function child(name: string, last: string, exit: number): { video: RawVideo; go: () => void } {
  const go = join(dir, name);
  const script = [
    `printf '%s\\n' '[mjpeg @ 0x55d0c0ffee00] [error] overread 8' >&2`,
    'while [ ! -e "$3" ]; do sleep 0.02; done',
    'head -c 12 /dev/zero',
    last === '' ? ':' : `printf '%s\\n' '${last}' >&2`,
    `exit ${exit}`,
  ].join('\n');
  const video = new RawVideo('sh', ['-c', script, 'sh', '-v', 'level+info', go], { format: { width: 2, height: 2, fps: 0 } });
  return { video, go: () => writeFileSync(go, '') };
}

/** `video.why()` once the child has exited (before, it "stopped writing"). */
async function whyOnceExited(video: RawVideo): Promise<string> {
  return until(() => (video.why().endsWith('stopped writing') ? undefined : video.why()));
}

describe('RawVideo', () => {
  it('does not name an error the child went on past as why it stopped', async () => {
    const cases = [
      // A damaged picture skipped, then the stream ended well: no complaint.
      { last: '', exit: 0, why: 'the stream ended' },
      // It failed later with nothing said since its last picture: the error it had is the best word.
      { last: '', exit: 1, why: 'overread 8' },
      // Its own reason after the last picture wins.
      { last: '[tcp @ 0x55d0c0ffee10] [error] Connection reset by peer', exit: 1, why: 'Connection reset by peer' },
    ];
    for (const [i, { last, exit, why }] of cases.entries()) {
      const { video, go } = child(`go-${i}`, last, exit);
      // The error has come before the picture is let out.
      await until(() => (video.why().includes('overread') ? true : undefined));
      go();
      expect(await video.next()).toHaveLength(12);
      expect(await video.next()).toBeUndefined();
      expect(await whyOnceExited(video)).toBe(why);
      await video.close();
    }
  });
});
