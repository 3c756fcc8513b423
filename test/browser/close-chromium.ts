import { afterAll } from 'vitest';
import { closeChromiums } from './harness.js';

// Each test file shares one Chromium between its tests (a new context for each browser it opens);
// it closes when the file's tests are done.
afterAll(closeChromiums);
