import type { StateSnapshot } from '../http/contract.js';
import { initialScreenState } from '../http/state-projector.js';

/** A complete state snapshot for tests, with every area at its start-up value (the camera starting). */
export function initialSnapshot(overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    ...initialScreenState({ version: '0.0.0-test', demo: true }),
    camera: { status: 'starting', detail: null },
    ...overrides,
  };
}
