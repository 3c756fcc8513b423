import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { describeFaceSizes } from '../../vision/face-sizes.js';
import { describeLight, LIGHT_ADVICE } from '../camera/light-log.js';
import { checkFaceLight, checkFaceSizes } from './doctor-faces.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
});

/** A daemon's `/api/health` on 127.0.0.1 whose camera line is `detail`; resolves to its port. */
async function daemon(detail: string): Promise<number> {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        status: 'ready',
        services: [
          { name: 'store', status: 'ready' },
          { name: 'camera', status: 'ready', detail },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server?.address() as AddressInfo).port;
}

const config = (port: number): Parameters<typeof checkFaceSizes>[0] =>
  loadConfig({ env: { MOODBOX_PORT: String(port), MOODBOX_DATA_DIR: '/tmp' } }).config;

describe('checkFaceSizes (moodbox doctor)', () => {
  it("warns when the running daemon's camera sees small faces, and says what to change", async () => {
    const { line, advice } = describeFaceSizes({
      faces: 300,
      medianPx: 19,
      smallestPx: 14,
      largestPx: 41,
      frameWidth: 640,
      frameHeight: 480,
      overMs: 300_000,
    });
    const port = await daemon(`camera on; ${line}: ${advice ?? ''}; room mood happy; 9.8 frames/s analysed`);
    expect(await checkFaceSizes(config(port), { fetch })).toEqual({
      name: 'faces',
      status: 'warn',
      message: 'faces appear 14–41 px, median 19 px, over the last 5 min (640x480 camera)',
      fix: `${advice ?? ''} (docs/face-detector.md, "Placing the camera")`,
    });
  });

  it('is content with faces large enough, and says when the camera saw none or no daemon answers', async () => {
    const { line } = describeFaceSizes({
      faces: 40,
      medianPx: 36,
      smallestPx: 22,
      largestPx: 80,
      frameWidth: 640,
      frameHeight: 480,
      overMs: 120_000,
    });
    const port = await daemon(`camera on; ${line}`);
    expect(await checkFaceSizes(config(port), { fetch })).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/median 36 px.*large enough/),
    });
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    // Nobody listens there any more.
    expect(await checkFaceSizes(config(port), { fetch })).toMatchObject({ status: 'ok', message: expect.stringContaining('not running') });
    const quiet = await daemon('camera on; room mood nobody');
    expect(await checkFaceSizes(config(quiet), { fetch })).toMatchObject({ status: 'ok', message: expect.stringContaining('no face') });
  });
});

describe('checkFaceLight (moodbox doctor)', () => {
  /** The camera line a daemon writes after `darkMinutes` of `minutes` too dark (`describeLight`, as the camera service calls it). */
  const lineAfter = (darkMinutes: number, minutes: number, tooDarkNow: boolean): string =>
    `camera on; room mood happy; 9.8 frames/s analysed; ${describeLight({ minutes, darkMinutes, medianClarity: 2, byMinute: [] }, tooDarkNow) ?? ''}`;

  it("warns when the running daemon's camera finds the faces too dark, now or in the last hour, and says what helps", async () => {
    const port = await daemon(lineAfter(12, 40, true));
    expect(await checkFaceLight(config(port), { fetch })).toEqual({
      name: 'light',
      status: 'warn',
      message:
        'faces too dark to read expressions now (the room mood holds meanwhile); too dark for 12 of the last 40 minutes with faces in view',
      fix: `${LIGHT_ADVICE} (docs/light.md, "What an owner can do about light")`,
    });
    await new Promise((resolve) => server?.close(resolve));
    const earlier = await daemon(lineAfter(3, 40, false));
    expect(await checkFaceLight(config(earlier), { fetch })).toMatchObject({
      status: 'warn',
      message: 'faces readable now; too dark for 3 of the last 40 minutes with faces in view',
    });
  });

  it('is content when no face was too dark, and says when no daemon answers', async () => {
    const port = await daemon(lineAfter(0, 40, false));
    expect(await checkFaceLight(config(port), { fetch })).toEqual({
      name: 'light',
      status: 'ok',
      message: 'no face too dark to read expressions in the last hour',
    });
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect(await checkFaceLight(config(port), { fetch })).toMatchObject({ status: 'ok', message: expect.stringContaining('not running') });
  });
});
