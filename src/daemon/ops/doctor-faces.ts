import type { Config } from '../config/schema.js';
import { readFaceSizes } from '../../vision/face-sizes.js';
import { LIGHT_ADVICE, readLight } from '../camera/light-log.js';
import type { Check } from './doctor-check.js';

/** The running daemon's camera line (`GET /api/health` on this machine), or undefined when none answers. */
async function cameraLine(config: Config, deps: { fetch: typeof fetch }): Promise<{ detail: string | undefined } | undefined> {
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  try {
    const response = await deps.fetch(`http://${host.includes(':') ? `[${host}]` : host}:${config.server.port}/api/health`, {
      signal: AbortSignal.timeout(2000),
    });
    const health = (await response.json()) as { services?: Array<{ name?: string; detail?: string }> };
    return { detail: health.services?.find((s) => s.name === 'camera')?.detail };
  } catch {
    return undefined;
  }
}

/** The running daemon's camera line, or the check's answer when there is none to read (the camera off, no daemon): `toSee` is what a run would show. */
async function cameraLineOr(
  config: Config,
  deps: { fetch: typeof fetch },
  name: string,
  toSee: string,
): Promise<Check | { detail: string | undefined }> {
  if (!config.camera.enabled) return { name, status: 'ok', message: 'camera turned off in the configuration' };
  const line = await cameraLine(config, deps);
  return (
    line ?? {
      name,
      status: 'ok',
      message: `Moodbox is not running here: start it and run doctor again once people were in view, to see ${toSee}`,
    }
  );
}

/**
 * How large faces appear to the camera, from the running daemon (`GET /api/health` on this
 * machine: the camera's line holds the smallest, largest and median face over the last minutes),
 * and what to change when they are small. A warning when they are; ok when they are not, when the
 * camera saw no face yet, or when no daemon answers (doctor is often run before the first start).
 */
export async function checkFaceSizes(config: Config, deps: { fetch: typeof fetch }): Promise<Check> {
  const name = 'faces';
  const line = await cameraLineOr(config, deps, name, 'how large their faces appear');
  if ('status' in line) return line;
  const detail = line.detail;
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

/**
 * Whether the faces in view were too dark to read expressions over the last hour, from the running
 * daemon's camera line, and what helps (a lamp near the camera, backlight compensation). A warning
 * when they are now or were; ok otherwise, and when no daemon answers.
 */
export async function checkFaceLight(config: Config, deps: { fetch: typeof fetch }): Promise<Check> {
  const name = 'light';
  const line = await cameraLineOr(config, deps, name, 'how well lit their faces are');
  if ('status' in line) return line;
  const light = line.detail === undefined ? undefined : readLight(line.detail);
  if (light === undefined) return { name, status: 'ok', message: 'no face too dark to read expressions in the last hour' };
  const now = light.tooDarkNow ? 'faces too dark to read expressions now (the room mood holds meanwhile)' : 'faces readable now';
  const hour = light.darkMinutes === 0 ? '' : `; too dark for ${light.darkMinutes} of the last ${light.minutes} minutes with faces in view`;
  return { name, status: 'warn', message: `${now}${hour}`, fix: `${LIGHT_ADVICE} (docs/light.md, "What an owner can do about light")` };
}
