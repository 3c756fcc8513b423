import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../kernel/clock.js';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import { until } from '../daemon/testing/until.js';
import type { Frame, SourceStatus } from './frame-source.js';
import { FfmpegFrameSource, parseSourceSpec, type FfmpegFrameSourceOptions } from './ffmpeg-frame-source.js';
import { encodeJpeg, readImage } from './image-io.js';
import { fixturePath } from './testing/fixtures.js';
import { startMjpegServer } from './testing/mjpeg-server.js';

let dir: string;
let clip: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moodbox-sources-'));
  clip = join(dir, 'clip.avi');
  // 10 frames at 25 fps: 5 of the happy face, then 5 of the empty room.
  for (const [i, name] of ['happy-face', 'no-face'].entries()) {
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-loop',
      '1',
      '-i',
      fixturePath(name as 'happy-face'),
      '-frames:v',
      '5',
      '-r',
      '25',
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      join(dir, `part${i}.avi`),
    ]);
  }
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    join(dir, 'part0.avi'),
    '-i',
    join(dir, 'part1.avi'),
    '-filter_complex',
    'concat=n=2:v=1',
    '-c:v',
    'mjpeg',
    '-q:v',
    '3',
    clip,
  ]);
  for (const [i, name] of (['happy-face', 'group', 'no-face'] as const).entries())
    copyFileSync(fixturePath(name), join(dir, `frame_${String(i).padStart(3, '0')}.png`));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Takes up to `max` frames, then aborts; records every status. */
async function take(
  options: FfmpegFrameSourceOptions,
  max: number,
  clock = systemClock,
): Promise<{ frames: Frame[]; statuses: SourceStatus[] }> {
  const source = new FfmpegFrameSource({ clock, log: { error() {} } }, options);
  const statuses: SourceStatus[] = [];
  source.onStatus((s) => statuses.push(s), 'test');
  const abort = new AbortController();
  const frames: Frame[] = [];
  for await (const frame of source.frames(abort.signal)) {
    frames.push(frame);
    if (frames.length >= max) abort.abort();
  }
  return { frames, statuses };
}

/** Mean grey level of a frame: the empty room is brighter than the face fixtures. */
const brightness = (frame: Frame): number => frame.image.bgrToGray().mean().w;

describe('parseSourceSpec', () => {
  it('reads every kind of source string', () => {
    expect(parseSourceSpec('0')).toEqual({ kind: 'device', device: 0 });
    expect(parseSourceSpec('/dev/video2')).toEqual({ kind: 'device', device: '/dev/video2' });
    expect(parseSourceSpec('v4l2src device=/dev/video0 ! videoconvert ! appsink')).toMatchObject({ kind: 'gstreamer' });
    expect(parseSourceSpec('http://10.0.0.5:8081/video.mjpg')).toEqual({ kind: 'url', url: 'http://10.0.0.5:8081/video.mjpg' });
    expect(parseSourceSpec('/srv/frames_%04d.png')).toEqual({ kind: 'sequence', pattern: '/srv/frames_%04d.png' });
    expect(parseSourceSpec('clips/demo.mp4')).toEqual({ kind: 'file', path: 'clips/demo.mp4' });
    expect(() => parseSourceSpec('  ')).toThrow(TypeError);
  });
});

describe('FfmpegFrameSource', () => {
  it('reads a video file to its end, in order, and says it ended', async () => {
    const { frames, statuses } = await take({ source: clip, realtime: false }, 100);
    expect(frames).toHaveLength(10);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(frames[0]?.image.cols).toBe(640);
    expect(brightness(frames[9]!)).toBeGreaterThan(brightness(frames[0]!) + 3);
    expect(statuses).toEqual([{ state: 'open', width: 640, height: 480, fps: 25 }, { state: 'ended' }]);
  });

  it('loops a video file and keeps counting frames', async () => {
    const { frames, statuses } = await take({ source: clip, realtime: false, loop: true }, 25);
    expect(frames.map((f) => f.index)).toEqual([...Array(25).keys()]);
    // Frame 10 is the first frame again.
    expect(brightness(frames[10]!)).toBeCloseTo(brightness(frames[0]!), 0);
    expect(statuses.map((s) => s.state)).toEqual(['open']);
  });

  it('paces a file at its frame rate when realtime, on the injected clock', async () => {
    const clock = new FakeClock();
    const source = new FfmpegFrameSource({ clock, log: { error() {} } }, { source: clip, realtime: true });
    const abort = new AbortController();
    const iterator = source.frames(abort.signal)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    let second = false;
    const pending = iterator.next().then(() => (second = true));
    // The second frame is decoded at once; then the source either waits its 40 ms on the clock (a
    // timer pending) or, unpaced, hands it over: whichever comes first says which it did.
    await until(() => (clock.pendingTimers > 0 || second ? true : undefined));
    expect(second).toBe(false);
    clock.advance(40);
    await pending;
    expect(second).toBe(true);
    abort.abort();
    clock.advance(1000);
    await iterator.return?.();
  });

  it('reads an image sequence', async () => {
    const { frames, statuses } = await take({ source: join(dir, 'frame_%03d.png'), realtime: false }, 10);
    expect(frames).toHaveLength(3);
    expect(statuses.at(-1)).toEqual({ state: 'ended' });
  });

  it('throws a CameraError for a missing file when told not to reopen', async () => {
    await expect(take({ source: join(dir, 'missing.mp4'), reopen: false }, 1)).rejects.toMatchObject({
      name: 'CameraError',
      code: 'MB_ERR_CAMERA_OPEN',
    });
  });

  it('reports a missing camera device or a broken GStreamer pipeline as a CameraError', async () => {
    // Issue 82: the source was said twice ("cannot open camera source /dev/video99: /dev/video99: No such file…").
    await expect(take({ source: '/dev/video99', reopen: false }, 1)).rejects.toMatchObject({
      name: 'CameraError',
      code: 'MB_ERR_CAMERA_OPEN',
      message: 'cannot open camera source /dev/video99: No such file or directory',
    });
    await expect(take({ source: 'nosuchelement ! videoconvert ! appsink', reopen: false }, 1)).rejects.toMatchObject({
      code: 'MB_ERR_CAMERA_OPEN',
      message: expect.stringContaining('appsink'),
    });
  });

  it('reads a GStreamer pipeline through gst-launch-1.0, at the configured size, and says when it stops', async () => {
    const pipeline = 'videotestsrc num-buffers=6 ! video/x-raw,width=320,height=240 ! videoconvert ! appsink max-buffers=1 drop=true';
    const source = new FfmpegFrameSource({ clock: systemClock, log: { error() {} } }, { source: pipeline, reopen: false });
    const statuses: SourceStatus[] = [];
    source.onStatus((s) => statuses.push(s), 'test');
    const frames: Frame[] = [];
    const read = async (): Promise<void> => {
      for await (const frame of source.frames(new AbortController().signal)) frames.push(frame);
    };
    // A live pipeline that ends has stopped delivering, as an unplugged camera.
    await expect(read()).rejects.toMatchObject({ code: 'MB_ERR_CAMERA_LOST' });
    expect(frames).toHaveLength(6);
    expect([frames[0]?.image.cols, frames[0]?.image.rows]).toEqual([640, 480]);
    expect(statuses).toEqual([{ state: 'open', width: 640, height: 480, fps: 0 }]);
  });

  it("throws for a file that is not a video, or has no picture, saying so in ffmpeg's words", async () => {
    const junk = join(dir, 'junk.mp4');
    copyFileSync(join(import.meta.dirname, 'testing', 'fixtures', 'faces.json'), junk);
    await expect(take({ source: junk, reopen: false }, 1)).rejects.toMatchObject({
      code: 'MB_ERR_CAMERA_OPEN',
      message: expect.stringMatching(/: Invalid data found when processing input$/) as string,
    });
    // A sound file: ffmpeg's complaint is in words of its own (no "error", no "cannot"), not a note or its exit code.
    const sound = join(dir, 'tone.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=0.2', sound]);
    await expect(take({ source: sound, reopen: false }, 1)).rejects.toMatchObject({
      code: 'MB_ERR_CAMERA_OPEN',
      message: `cannot open camera source ${sound}: Output file #0 does not contain any stream`,
    });
  });

  it("says why a network camera cannot be reached in ffmpeg's own words, without its levels or the part that spoke", async () => {
    // An RTSP camera on a port nothing listens on (ffmpeg itself connects, where an HTTP camera is asked first).
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const url = `rtsp://127.0.0.1:${port}/camera`;
    await expect(take({ source: url, reopen: false }, 1)).rejects.toMatchObject({
      code: 'MB_ERR_CAMERA_OPEN',
      message: `cannot open camera source ${url}: Connection refused`,
    });
  });

  it('reports an unavailable source and retries with doubling backoff on the clock', async () => {
    const clock = new FakeClock();
    const source = new FfmpegFrameSource(
      { clock, log: { error() {} } },
      { source: join(dir, 'missing.mp4'), retryMinMs: 500, retryMaxMs: 3000 },
    );
    const abort = new AbortController();
    const waits: number[] = [];
    source.onStatus((status) => {
      if (status.state !== 'unavailable') return;
      waits.push(status.retryInMs);
      expect(status.error.code).toBe('MB_ERR_CAMERA_OPEN');
      if (waits.length === 5) abort.abort();
      else setImmediate(() => clock.advance(status.retryInMs));
    }, 'test');
    const frames: Frame[] = [];
    for await (const frame of source.frames(abort.signal)) frames.push(frame);
    expect(frames).toEqual([]);
    expect(waits).toEqual([500, 1000, 2000, 3000, 3000]);
  });

  it('reads an MJPEG camera, survives the camera going away and picks up when it comes back', async () => {
    const jpegs = await Promise.all(
      (['happy-face', 'no-face'] as const).map(async (name) => encodeJpeg(await readImage(fixturePath(name)), 90)),
    );
    let server = await startMjpegServer({ jpegs, intervalMs: 30 });
    const source = new FfmpegFrameSource(
      { clock: systemClock, log: { error() {} } },
      { source: server.url, retryMinMs: 50, retryMaxMs: 200 },
    );
    const statuses: SourceStatus[] = [];
    source.onStatus((s) => statuses.push(s), 'test');
    const abort = new AbortController();
    let before = 0;
    let after = 0;
    const state = { phase: 'before' as 'before' | 'away' | 'back' };
    const port = server.port;
    for await (const frame of source.frames(abort.signal)) {
      expect(frame.image.cols).toBe(640);
      if (state.phase === 'before' && ++before === 5) {
        state.phase = 'away';
        await server.stop();
        // Come back once the source has noticed and is retrying.
        const off = source.onStatus((s) => {
          if (s.state !== 'unavailable') return;
          off();
          void startMjpegServer({ jpegs, intervalMs: 30, port }).then((s2) => {
            server = s2;
            state.phase = 'back';
          });
        }, 'test');
      } else if (state.phase === 'back' && ++after === 5) {
        abort.abort();
      }
    }
    await server.stop();
    expect(before).toBe(5);
    expect(after).toBe(5);
    const states = statuses.map((s) => s.state);
    expect(states[0]).toBe('open');
    expect(states).toContain('unavailable');
    expect(states.at(-1)).toBe('open');
    const lost = statuses.find((s) => s.state === 'unavailable');
    expect(lost?.state === 'unavailable' && lost.error.code).toBe('MB_ERR_CAMERA_LOST');
    // Why, as the screens say it: the stream's end or ffmpeg's complaint, never its notes on what it wrote.
    const why = lost?.state === 'unavailable' ? lost.error.message : '';
    expect(why).toMatch(/^camera source \S.* stopped delivering frames: /);
    expect(why).not.toMatch(/\d+k?i?B\b|muxing overhead|encoder\s*:|Stream #/);
  });

  it('reads a network camera as it is now, however long the reader was busy: older pictures are dropped', async () => {
    // A dark picture (the room before) and a light one (the room now).
    const jpegs = ['0x202020', '0xe0e0e0'].map((colour) =>
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=${colour}:s=640x480`, '-frames:v', '1', '-f', 'mjpeg', '-']),
    );
    const server = await startMjpegServer({ jpegs, intervalMs: 20 });
    const source = new FfmpegFrameSource({ clock: systemClock, log: { error() {} } }, { source: server.url });
    const abort = new AbortController();
    let first = true;
    let before = 0;
    try {
      for await (const frame of source.frames(abort.signal)) {
        const isRoomNow = brightness(frame) > 128;
        frame.image.release();
        if (first) {
          first = false;
          // Busy with this frame while the camera sends 100 dark pictures, then 50 light ones.
          await server.show(0, 100);
          await server.show(1, 50);
        } else if (isRoomNow) {
          abort.abort();
        } else {
          before += 1;
        }
      }
    } finally {
      await server.stop();
    }
    // At most the few pictures ffmpeg was still decoding, never the 100 the camera sent meanwhile.
    expect(before).toBeLessThan(10);
  });

  it('restarts a live camera that hangs (its stream open, no frame coming) and reads it again once it answers', async () => {
    const jpegs = [await encodeJpeg(await readImage(fixturePath('happy-face')), 90)];
    const server = await startMjpegServer({ jpegs, intervalMs: 30 });
    const source = new FfmpegFrameSource(
      { clock: systemClock, log: { error() {} } },
      { source: server.url, stallTimeoutMs: 1000, openTimeoutMs: 3000, retryMinMs: 50, retryMaxMs: 200 },
    );
    const statuses: SourceStatus[] = [];
    source.onStatus((s) => {
      statuses.push(s);
      // The camera answers again once the source has given up on the hung stream.
      if (s.state === 'unavailable' && s.error.code === 'MB_ERR_CAMERA_LOST') server.thaw();
    }, 'test');
    const abort = new AbortController();
    let frames = 0;
    // Frames already in the sockets and pipes still come after the freeze: count the ones after the source gave up.
    let framesAfterLost = 0;
    try {
      for await (const frame of source.frames(abort.signal)) {
        frame.image.release();
        frames += 1;
        if (frames === 5) server.freeze();
        if (statuses.some((s) => s.state === 'unavailable')) framesAfterLost += 1;
        if (framesAfterLost === 5) abort.abort();
      }
    } finally {
      server.thaw();
      await server.stop();
    }
    expect(framesAfterLost).toBe(5);
    const lost = statuses.find((s) => s.state === 'unavailable');
    expect(lost?.state === 'unavailable' && lost.error.code).toBe('MB_ERR_CAMERA_LOST');
    expect(lost?.state === 'unavailable' && lost.reason).toMatch(/delivered no frame for 1 s/);
    expect(statuses.map((s) => s.state)).toEqual(['open', 'unavailable', 'open']);
  });
});
