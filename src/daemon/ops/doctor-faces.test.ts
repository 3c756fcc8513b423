import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { describeFaceSizes } from '../../vision/face-sizes.js';
import { checkFaceSizes } from './doctor-faces.js';

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
