import type { Expression, FaceGroup, RoomTrace, Scene } from './room-simulator.js';

/**
 * Café days for the room simulator, scene by scene. The expressions are what the emotion model
 * tends to read on faces at tables: mostly neutral, a smile now and then, a laugh, a tired face.
 */

/** Guests at tables, talking: mostly neutral. */
export const CHATTING: Expression = { neutral: 0.72, happy: 0.12, sad: 0.1, surprise: 0.06 };
/** A table laughing together. */
export const LAUGHING: Expression = { happy: 0.75, neutral: 0.18, surprise: 0.07 };
/** A lively crowd: a lunch rush, a group arriving together. */
export const LIVELY: Expression = { happy: 0.6, surprise: 0.2, neutral: 0.2 };
/** A face caught by surprise. */
export const SURPRISED: Expression = { surprise: 0.7, happy: 0.15, neutral: 0.15 };
/** Someone alone and low: reading, tired, a grey afternoon. */
export const LOW: Expression = { sad: 0.55, neutral: 0.4, happy: 0.05 };

const minutes = (m: number): number => m * 60;
const tables = (faces: number, expression: Expression = CHATTING): FaceGroup => ({ faces, expression });

function scene(s: number, what: string, ...groups: FaceGroup[]): Scene {
  return { s, what, groups };
}

/**
 * `faces` guests chatting for `m` minutes, people coming and going every few minutes (±2 faces),
 * and every third stretch a moment: two guests laugh at a joke for 25 s, or someone is surprised for 10 s.
 */
function chatting(m: number, faces: number, what = 'guests chatting'): Scene[] {
  const out: Scene[] = [];
  const sizes = [0, 1, -1, 2, 0, -2, 1, -1];
  for (let done = 0, i = 0; done < m; i++) {
    const step = Math.min(6, m - done);
    const size = Math.max(1, faces + (sizes[i % sizes.length] ?? 0));
    if (i % 3 === 1 && step >= 2) {
      const moment =
        i % 2 === 1
          ? laugh(25, Math.min(2, size), Math.max(0, size - 2))
          : scene(10, 'someone is surprised', tables(1, SURPRISED), tables(size - 1));
      out.push(scene(minutes(1), what, tables(size)), moment, scene(minutes(step - 1) - moment.s, what, tables(size)));
    } else {
      out.push(scene(minutes(step), what, tables(size)));
    }
    done += step;
  }
  return out;
}

/** One table of `laughing` guests laughs for `s` seconds among `others` chatting. */
function laugh(s: number, laughing: number, others: number): Scene {
  return scene(s, 'a table laughing', tables(laughing, LAUGHING), tables(others));
}

/** A weekday: quiet opening, a morning rush, a quiet hour, a lunch crowd, a tour group, the evening. */
export const WEEKDAY: RoomTrace = {
  name: 'weekday',
  opens: '07:00',
  scenes: [
    scene(minutes(10), 'closed, nobody'),
    scene(8, 'someone walks past the camera', tables(1)),
    scene(minutes(20), 'nobody'),
    ...chatting(20, 3, 'the regulars'),
    laugh(30, 2, 2),
    ...chatting(25, 4),
    scene(minutes(50), 'the morning rush', tables(8, { neutral: 0.6, happy: 0.28, surprise: 0.12 })),
    laugh(45, 3, 5),
    ...chatting(40, 4),
    scene(minutes(60), 'a quiet hour: one guest alone, reading', tables(1, LOW)),
    ...chatting(30, 3),
    scene(minutes(80), 'the lunch crowd', tables(12, LIVELY)),
    ...chatting(60, 4),
    laugh(40, 4, 2),
    ...chatting(30, 4),
    scene(minutes(15), 'nobody'),
    scene(minutes(25), 'a sudden crowd: a tour group comes in', tables(15, LIVELY)),
    ...chatting(50, 3),
    laugh(120, 3, 1),
    ...chatting(45, 3),
    scene(minutes(40), 'the last guest, tired', tables(1, LOW)),
    scene(minutes(20), 'nobody'),
  ],
};

/** A weekend: a slow morning, a long brunch, a birthday table, a quiet afternoon, a busy evening. */
export const WEEKEND: RoomTrace = {
  name: 'weekend',
  opens: '09:00',
  scenes: [
    scene(minutes(20), 'nobody'),
    ...chatting(40, 2),
    scene(minutes(100), 'brunch: families and friends', tables(6, LIVELY), tables(4)),
    laugh(60, 5, 5),
    scene(minutes(30), 'brunch winds down', tables(5)),
    scene(minutes(15), 'a birthday table sings and laughs', tables(6, LAUGHING), tables(3)),
    ...chatting(60, 5),
    scene(minutes(45), 'a quiet hour: two guests, low', tables(2, LOW)),
    scene(minutes(5), 'nobody'),
    ...chatting(40, 3),
    laugh(25, 2, 3),
    ...chatting(30, 5),
    scene(minutes(70), 'the evening fills up', tables(14, LIVELY)),
    ...chatting(40, 4),
    scene(minutes(20), 'nobody'),
  ],
};

/** A rainy day: few guests, long quiet stretches, one sudden crowd sheltering from a downpour. */
export const RAINY_DAY: RoomTrace = {
  name: 'rainy day',
  opens: '08:00',
  scenes: [
    scene(minutes(15), 'nobody'),
    ...chatting(60, 2),
    scene(minutes(90), 'a long quiet stretch: two guests, low', tables(2, LOW)),
    scene(10, 'someone looks in and leaves', tables(1, LIVELY)),
    ...chatting(40, 2),
    scene(minutes(35), 'a sudden crowd: a downpour drives people in', tables(16, { neutral: 0.5, surprise: 0.25, happy: 0.25 })),
    laugh(50, 4, 8),
    ...chatting(60, 6),
    scene(minutes(60), 'a quiet hour: one guest, low', tables(1, LOW)),
    ...chatting(45, 3),
    scene(minutes(20), 'nobody'),
  ],
};

export const CAFE_TRACES: readonly RoomTrace[] = [WEEKDAY, WEEKEND, RAINY_DAY];
