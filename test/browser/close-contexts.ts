import { afterAll } from 'vitest';
import { closeLeftContexts } from './harness.js';

// A test worker keeps one Chromium for all its files (a new context for each browser a test opens):
// what a file left open closes when its tests are done, so that the next file starts clean.
afterAll(closeLeftContexts);
