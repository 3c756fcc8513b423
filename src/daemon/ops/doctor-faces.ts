import type { Config } from '../config/schema.js';
import { readFaceSizes } from '../../vision/face-sizes.js';
import type { Check } from './doctor-check.js';

/**
 * How large faces appear to the camera, from the running daemon (`GET /api/health` on this
 * machine: the camera's line holds the smallest, largest and median face over the last minutes),
 * and what to change when they are small. A warning when they are; ok when they are not, when the
 * camera saw no face yet, or when no daemon answers (doctor is often run before the first start).
 */
export async function checkFaceSizes(config: Config, deps: { fetch: typeof fetch }): Promise<Check> {
  const name = 'faces';
  if (!config.camera.enabled) return { name, status: 'ok', message: 'camera turned off in the configuration' };
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  let detail: string | undefined;
  try {
    const response = await deps.fetch(`http://${host.includes(':') ? `[${host}]` : host}:${config.server.port}/api/health`, {
      signal: AbortSignal.timeout(2000),
    });
    const health = (await response.json()) as { services?: Array<{ name?: string; detail?: string }> };
    detail = health.services?.find((s) => s.name === 'camera')?.detail;
  } catch {
    return {
      name,
      status: 'ok',
      message: 'Moodbox is not running here: start it and run doctor again once people were in view, to see how large their faces appear',
    };
  }
  const read = detail === undefined ? undefined : readFaceSizes(detail);
  if (read === undefined) {
    return { name, status: 'ok', message: 'the camera has seen no face in the last minutes: run doctor again once people were in view' };
  }
  const { summary: s, advice } = read;
  const message = `faces appear ${s.smallestPx}–${s.largestPx} px, median ${s.medianPx} px, over the last ${s.minutes} min (${s.frameWidth}x${s.frameHeight} camera)`;
  return advice === undefined
    ? { name, status: 'ok', message: `${message}: large enough to find and read` }
    : { name, status: 'warn', message, fix: `${advice} (docs/face-detector.md, "Placing the camera")` };
}
