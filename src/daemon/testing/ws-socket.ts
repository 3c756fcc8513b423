import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { until as poll } from './until.js';

/** The kiosk's own screen: a page of the daemon on the box, which acts for whoever is signed in (as after a card). */
export const KIOSK_SCREEN = {
  headers: { host: '127.0.0.1', origin: 'http://127.0.0.1' },
  // The fields of the connection the upgrade check reads.
  socket: { remoteAddress: '127.0.0.1', localPort: 80 } as Socket,
};

/** A page of the daemon under its LAN name on another device: acts for the person only with their token. */
export const LAN_PAGE = {
  headers: { host: 'moodbox.test', origin: 'http://moodbox.test' },
  socket: { remoteAddress: '192.168.1.20', localPort: 80 } as Socket,
};

/** Resolves once `condition` holds, polling every 10 ms (the tests' one `until`); throws after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  await poll(
    () => (condition() ? true : undefined),
    timeoutMs,
    () => 'timed out waiting for a condition',
    10,
  );
}

/**
 * Opens `/ws` on `app` as the page `options` describes and waits for the first state message;
 * `ask` sends one client request (with a kiosk token when given) and resolves with its reply.
 */
export async function socket(app: FastifyInstance, options: typeof KIOSK_SCREEN) {
  await app.ready();
  const replies: Array<Record<string, unknown>> = [];
  const ws = await app.injectWS('/ws', options, {
    onInit: (s) => s.on('message', (data) => replies.push(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>)),
  });
  await until(() => replies.length === 1);
  let next = 1;
  return {
    ws,
    async ask(type: string, data?: unknown, token?: string): Promise<Record<string, unknown>> {
      const transaction = `q${next++}`;
      ws.send(JSON.stringify({ type, data, transaction, ...(token === undefined ? {} : { token }) }));
      await until(() => replies.some((r) => r['transaction'] === transaction));
      return replies.find((r) => r['transaction'] === transaction) ?? {};
    },
  };
}
