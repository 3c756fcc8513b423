import { describe, expect, it } from 'vitest';
import { describeFaceSizes, FaceSizeLog, readFaceSizes, type FaceSizeSummary } from './face-sizes.js';

const frame = { width: 640, height: 480 };
const box = (side: number, width = side): { width: number; height: number } => ({ width, height: side });

describe('FaceSizeLog', () => {
  it('keeps one frame a second over the window: median, smallest and largest of the larger side of each box', () => {
    const log = new FaceSizeLog({ windowMs: 10_000, sampleEveryMs: 1000 });
    expect(log.summary(0)).toBeUndefined();
    log.record(0, frame, [box(20), box(30, 24), box(40)]);
    // Within the same second: not sampled.
    log.record(500, frame, [box(100)]);
    log.record(1000, frame, [box(22)]);
    // A frame with nobody is not a sample.
    log.record(2000, frame, []);
    expect(log.summary(2000)).toEqual({
      faces: 4,
      medianPx: 26,
      smallestPx: 20,
      largestPx: 40,
      frameWidth: 640,
      frameHeight: 480,
      overMs: 2000,
    });
    // Ten seconds on, the first frame's faces have left the window.
    log.record(10_500, { width: 1280, height: 720 }, [box(50)]);
    expect(log.summary(10_500)).toMatchObject({ faces: 2, medianPx: 36, smallestPx: 22, frameWidth: 1280, overMs: 10_000 });
    expect(log.summary(30_000)).toBeUndefined();
    log.record(30_000, frame, [box(33)]);
    log.clear();
    expect(log.summary(30_000)).toBeUndefined();
    expect(() => new FaceSizeLog({ windowMs: 0 })).toThrow(/`windowMs`/);
  });
});

describe('describeFaceSizes and readFaceSizes', () => {
  const summary = (medianPx: number, smallestPx: number, frameWidth = 640): FaceSizeSummary => ({
    faces: 120,
    medianPx,
    smallestPx,
    largestPx: 60,
    frameWidth,
    frameHeight: frameWidth === 640 ? 480 : 720,
    overMs: 300_000,
  });

  it('says nothing to change when faces are large enough to find and read', () => {
    expect(describeFaceSizes(summary(30, 18))).toEqual({
      line: 'faces 18–60 px, median 30 px, over the last 5 min (120 faces seen in 640x480 frames)',
      advice: undefined,
    });
  });

  it('says to move the camera or use a 1280x720 camera when most faces are small, or a narrower lens when it already is one', () => {
    expect(describeFaceSizes(summary(20, 15)).advice).toBe(
      'most faces are under 24 px, where expressions read less well: place the camera nearer the tables or lower, at eye height, or use a 1280x720 camera (in its MJPEG mode), which doubles each face',
    );
    expect(describeFaceSizes(summary(30, 13)).advice).toMatch(/^the farthest faces are under 16 px, where some are missed: /);
    expect(describeFaceSizes(summary(20, 15, 1280)).advice).toMatch(/a narrower lens or the camera's zoom, which makes each face larger$/);
  });

  it('reads the sizes and advice back from a health line', () => {
    const { line, advice } = describeFaceSizes(summary(20, 15));
    expect(readFaceSizes(`camera on; ${line}: ${advice ?? ''}; room mood happy`)).toEqual({
      summary: { faces: 120, medianPx: 20, smallestPx: 15, largestPx: 60, frameWidth: 640, frameHeight: 480, minutes: 5 },
      advice,
    });
    expect(readFaceSizes(`camera on; ${describeFaceSizes(summary(30, 18)).line}`)?.advice).toBeUndefined();
    expect(readFaceSizes('camera on; room mood happy')).toBeUndefined();
  });
});
