import { describe, expect, it } from 'vitest';
import { FakeClock } from '../daemon/testing/fake-clock.js';
import { CELL, hasMoved, SCAN_PACE, ScanPacer, type Thumbnail } from './scan-pace.js';

/** An 80x60 thumbnail (a 640x480 frame) of one grey, with `patch` (cells) set to another. */
function thumbnail(patch?: { x: number; y: number; width: number; height: number; grey: number }): Thumbnail {
  const [cols, rows] = [80, 60];
  const cells = new Uint8Array(cols * rows).fill(100);
  if (patch !== undefined) {
    for (let y = patch.y; y < patch.y + patch.height; y++) cells.fill(patch.grey, y * cols + patch.x, y * cols + patch.x + patch.width);
  }
  return { cells, cols, rows };
}

const FACE = { x: 200, y: 120, width: 160, height: 160 };

describe('ScanPacer', () => {
  it('scans a still room with a tracked face every stillMs, and at movingMs once something moves away from it (a fake clock)', () => {
    const clock = new FakeClock();
    const pacer = new ScanPacer();
    const still = thumbnail();
    // No face tracked: every frame is a full scan.
    expect(pacer.isDue(clock.monotonic(), still, [])).toBe(true);
    pacer.scanned(clock.monotonic(), still);
    const due = (t: Thumbnail): boolean => pacer.isDue(clock.monotonic(), t, [FACE]);
    clock.advance(SCAN_PACE.movingMs);
    expect(due(still)).toBe(false);
    // The tracked face moves, and its body below it: its own motion.
    expect(due(thumbnail({ x: FACE.x / CELL, y: FACE.y / CELL, width: 20, height: 40, grey: 200 }))).toBe(false);
    // Someone comes in at the left edge: scanned now, not before movingMs.
    const entering = thumbnail({ x: 0, y: 25, width: 6, height: 8, grey: 40 });
    expect(due(entering)).toBe(true);
    pacer.scanned(clock.monotonic(), entering);
    clock.advance(SCAN_PACE.movingMs - 100);
    expect(due(thumbnail({ x: 70, y: 25, width: 6, height: 8, grey: 40 }))).toBe(false);
    // Nothing moves since: scanned again after movedMs (a newcomer the scan missed), for stillMs after the motion.
    clock.advance(SCAN_PACE.movedMs - SCAN_PACE.movingMs);
    expect(due(entering)).toBe(false);
    clock.advance(100);
    expect(due(entering)).toBe(true);
    pacer.scanned(clock.monotonic(), entering);
    clock.advance(SCAN_PACE.movedMs);
    expect(due(entering)).toBe(true);
    pacer.scanned(clock.monotonic(), entering);
    // Still for stillMs since the motion: the next full scan after stillMs.
    clock.advance(SCAN_PACE.movedMs);
    expect(due(entering)).toBe(false);
    clock.advance(SCAN_PACE.stillMs - SCAN_PACE.movedMs - 100);
    expect(due(entering)).toBe(false);
    clock.advance(100);
    expect(due(entering)).toBe(true);
  });

  it('takes grain for no motion, and refuses a negative pace', () => {
    const before = thumbnail();
    const grain = { ...before, cells: before.cells.map((v, i) => v + ((i * 7) % 5) - 2) };
    expect(hasMoved(before, grain, [], SCAN_PACE.movedAbove)).toBe(false);
    expect(hasMoved(before, thumbnail({ x: 40, y: 30, width: 2, height: 2, grey: 130 }), [], SCAN_PACE.movedAbove)).toBe(true);
    expect(() => new ScanPacer({ stillMs: -1 })).toThrow(RangeError);
  });
});
