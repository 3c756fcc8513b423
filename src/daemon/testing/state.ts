import type { StateSnapshot } from '../http/contract.js';

/** A complete state snapshot for tests, with every area at its start-up value. */
export function initialSnapshot(overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    version: '0.0.0-test',
    demo: true,
    camera: { status: 'starting', detail: null },
    mood: { current: null, confidence: 0, since: null, why: null, faces: 0 },
    player: { status: 'stopped', nowPlaying: null, positionMs: 0, next: null, volume: 70 },
    suggestions: [],
    session: { user: null, notice: null },
    services: [],
    library: { scanning: false, done: 0, total: 0, tracks: 0, lastScan: null },
    ...overrides,
  };
}
