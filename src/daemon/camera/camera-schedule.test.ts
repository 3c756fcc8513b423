import { describe, expect, it } from 'vitest';
import { cameraOffReason } from './camera-schedule.js';

// Tests run with TZ=UTC (vitest.config.ts), so local time is UTC here.
const at = (hhmm: string): number => Date.parse(`2026-11-22T${hhmm}:00Z`);

describe('camera hours', () => {
  it('says why the camera is off', () => {
    expect(cameraOffReason({ enabled: false, hours: null }, at('12:00'))).toBe('turned off by an admin');
    expect(cameraOffReason({ enabled: true, hours: { from: '08:00', to: '20:00' } }, at('21:00'))).toBe(
      'off outside camera hours (08:00–20:00)',
    );
    expect(cameraOffReason({ enabled: true, hours: null }, at('03:00'))).toBeNull();
  });
});
