import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Compile } from 'typebox/compile';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GuestRequest, GuestState, GuestTrack, Said } from '../../src/daemon/http/contract.js';
import {
  GuestLikeBody,
  GuestRequestBody,
  GuestRequestSchema,
  GuestSearchSchema,
  GuestStateSchema,
  GuestVoteBody,
} from '../../src/daemon/http/schemas/guest.js';
import { cover } from './fake-kiosk-socket.js';
import { ROOT } from './harness.js';

/** How often the stand-in says it is alive, as the daemon does every `ws.pingIntervalMs`. */
const ALIVE_MS = 1000;

/** A song of the fake library. */
export function guestTrack(id: number, title: string, artist: string): GuestTrack {
  return { id, title, artist, album: 'Test Album', durationMs: 200_000, coverUrl: cover(id), isStation: false };
}

/** The fake library the phone searches: every song the state below names, and a few more. */
export const LIBRARY: readonly GuestTrack[] = [
  guestTrack(1, 'Walking on Air', 'Kites'),
  guestTrack(2, 'Feather', 'Nimbus'),
  guestTrack(3, 'Paper Boats', 'Harbour Lights'),
  guestTrack(11, 'Sunny Side', 'The Brights'),
  guestTrack(12, 'Golden Hour', 'Mara Lune'),
  guestTrack(13, 'Skipping Stones', 'Pebble & Co'),
  guestTrack(14, 'A Very Long Title That Does Not Fit On One Line', 'Somebody With A Long Name'),
  guestTrack(15, 'Up We Go', 'Balloon'),
  guestTrack(16, 'Lemonade', 'Citrus Club'),
  guestTrack(21, 'Night Drive', 'Neon Harbour'),
  guestTrack(22, 'Harbour Song', 'The Quays'),
];

const byId = (id: number): GuestTrack => {
  const found = LIBRARY.find((t) => t.id === id);
  if (found === undefined) throw new Error(`Expected a track of the fake library, got ${id}`);
  return found;
};

/** A happy room, a song playing, one song up next, six suggestions, three requests an hour. */
export function guestState(): GuestState {
  return {
    isOpen: true,
    timeZone: 'UTC',
    closedReason: null,
    status: 'playing',
    nowPlaying: {
      track: byId(1),
      streamTitle: null,
      positionMs: 80_000,
      why: 'fits happy',
      whySaid: { id: 'pick.fits', values: { mood: { said: 'music.happy' } } },
      isGuestRequest: false,
      likes: 0,
      isLikedByMe: false,
      votes: { up: 0, down: 0, mine: null, downNeeded: 3 },
    },
    upNext: [
      { key: 1, track: byId(2), isGuestRequest: false, votes: { up: 0, down: 0, mine: null, downNeeded: 3 }, place: 1, expectedAt: null },
    ],
    mood: { label: 'happy', why: 'The room looked happy', whySaid: { id: 'mood.looked', values: { look: { said: 'look.happy' } } } },
    suggestions: [11, 12, 13, 14, 15, 16].map(byId),
    me: { requests: [], requestsLeft: 3, requestsPerHour: 3, nextRequestAt: null, limitReason: null },
  };
}

const checkState = Compile(GuestStateSchema);
const checkRequest = Compile(GuestRequestSchema);
const checkSearch = Compile(GuestSearchSchema);
const checkRequestBody = Compile(GuestRequestBody);
const checkLikeBody = Compile(GuestLikeBody);
const checkVoteBody = Compile(GuestVoteBody);

type Refusal = { status: number; code: string; message: string; said?: Said };

/**
 * A small server that follows the guest page's wire format (`schemas/guest.ts`): it serves the
 * built `dist/ui/guest.html` and `guest.js`, answers `/api/guest/*`, and pushes
 * `{type: 'guest/room', data}` and `{type: 'guest/mine', data}` on `/ws/guest` on connect and after every change. Every body it
 * receives and every state or answer it sends is checked against the schemas, so the page is tested
 * against the contract, not against this fake's habits. As the daemon, it knows a phone by its
 * `mb_guest` cookie, set by its first answer: `me` (its requests, what it has left) is the phone's
 * own, and a socket opened without the cookie is another phone. `refusals` make the requests of a
 * song fail with the given error.
 */
export class FakeGuestServer {
  state: GuestState = guestState();
  /** The bodies the page sent, by route (`POST /api/guest/requests`). */
  readonly calls: Array<{ route: string; body: unknown }> = [];
  /** Songs whose request is refused, with the error the daemon would send. */
  readonly refusals = new Map<number, Refusal>();
  url = '';
  readonly #server = createServer((request, response) => {
    this.#handle(request, response).catch((err: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    });
  });
  readonly #sockets = new WebSocketServer({ noServer: true });
  #nextRequestId = 1;
  #nextKey = 100;
  #nextPhone = 1;
  /** Each phone's own requests and budget, by its cookie; a new phone starts with `state.me`. */
  readonly #mine = new Map<string, GuestState['me']>();
  readonly #phoneOf = new Map<WebSocket, string>();
  readonly #held = new Map<string, { gate: Promise<void>; sent: () => void }>();

  async start(): Promise<void> {
    this.#server.on('upgrade', (request, socket, head) => {
      if (request.url !== '/ws/guest') {
        socket.destroy();
        return;
      }
      const phone = cookieOf(request) ?? `anonymous-${this.#nextPhone++}`;
      this.#sockets.handleUpgrade(request, socket, head, (ws) => {
        this.#phoneOf.set(ws, phone);
        this.#send(ws);
        // As the daemon says it is alive on every screen's socket (`link/alive`), or the page counts the link as lost.
        const alive = setInterval(() => ws.send(JSON.stringify({ type: 'link/alive', everyMs: ALIVE_MS })), ALIVE_MS);
        ws.on('close', () => clearInterval(alive));
      });
    });
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const ws of this.#sockets.clients) ws.terminate();
    this.#sockets.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /**
   * Holds the answers to searches for `q` until `release()`, which resolves once the held answer
   * was sent: an answer that comes late.
   */
  holdSearch(q: string): { release: () => Promise<void> } {
    let open = (): void => undefined;
    let sent = (): void => undefined;
    const wasSent = new Promise<void>((resolve) => (sent = resolve));
    this.#held.set(q, { gate: new Promise<void>((resolve) => (open = resolve)), sent });
    return {
      release: () => {
        open();
        return wasSent;
      },
    };
  }

  /** Drops every phone's push link, as a daemon restart or a Wi-Fi hiccup would; new ones are welcome. */
  dropPhones(): void {
    for (const ws of this.#sockets.clients) ws.terminate();
  }

  /** Changes the state as the daemon would and pushes it to every phone. */
  change(next: GuestState): void {
    this.state = next;
    for (const ws of this.#sockets.clients) this.#send(ws);
  }

  /** What phone `phone` sees. */
  view(phone: string): GuestState {
    const view = { ...this.state, me: this.#mine.get(phone) ?? this.state.me };
    if (!checkState.Check(view)) throw new Error(`The fake's state breaks the contract: ${JSON.stringify([...checkState.Errors(view)])}`);
    return view;
  }

  /** As the daemon: the room's view (no phone's marks), then this phone's own part. */
  #send(ws: WebSocket): void {
    const { me, ...view } = this.view(this.#phoneOf.get(ws) ?? '');
    const votes: Array<{ on: 'now' | number; vote: 'up' | 'down' }> = [];
    if (view.nowPlaying?.votes.mine) votes.push({ on: 'now', vote: view.nowPlaying.votes.mine });
    for (const u of view.upNext) if (u.votes.mine) votes.push({ on: u.key, vote: u.votes.mine });
    const room = {
      ...view,
      nowPlaying:
        view.nowPlaying === null ? null : { ...view.nowPlaying, isLikedByMe: false, votes: { ...view.nowPlaying.votes, mine: null } },
      upNext: view.upNext.map((u) => ({ ...u, votes: { ...u.votes, mine: null } })),
    };
    ws.send(JSON.stringify({ type: 'guest/room', data: room }));
    ws.send(JSON.stringify({ type: 'guest/mine', data: { me, isNowLikedByMe: view.nowPlaying?.isLikedByMe ?? false, votes } }));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method} ${url.pathname}`;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    if (url.pathname.startsWith('/api/')) this.calls.push({ route, body });
    let phone = cookieOf(request);
    if (phone === undefined && url.pathname.startsWith('/api/guest/')) {
      phone = `phone-${this.#nextPhone++}`;
      response.setHeader('set-cookie', `mb_guest=${phone}; Path=/; HttpOnly; SameSite=Lax`);
    }
    const me = this.view(phone ?? '').me;
    const json = (status: number, data: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    };
    const fail = (status: number, code: string, message: string, said?: Said): void =>
      json(status, { error: { code, message, ...(said === undefined ? {} : { said }) } });
    // The page's words in another language, as the daemon serves them from the build.
    if (request.method === 'GET' && /^\/locales\/[a-z]+\.guest\.json$/.test(url.pathname)) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readFileSync(join(ROOT, 'dist/ui', url.pathname)));
      return;
    }
    switch (route) {
      case 'GET /guest':
      case 'GET /guest.js': {
        const file = url.pathname === '/guest' ? 'guest.html' : 'guest.js';
        response.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
        response.end(readFileSync(join(ROOT, 'dist/ui', file)));
        return;
      }
      case 'GET /api/guest/state':
        json(200, this.view(phone ?? ''));
        return;
      case 'GET /api/guest/search': {
        const q = (url.searchParams.get('q') ?? '').toLowerCase();
        const answer = { tracks: LIBRARY.filter((t) => `${t.title} ${t.artist}`.toLowerCase().includes(q)).slice(0, 20) };
        if (q === '' || !checkSearch.Check(answer)) throw new Error(`Expected a search of 1-80 characters, got "${q}"`);
        const held = this.#held.get(q);
        await held?.gate;
        json(200, answer);
        held?.sent();
        return;
      }
      case 'POST /api/guest/requests': {
        if (!checkRequestBody.Check(body)) return fail(400, 'MB_ERR_VALIDATION', 'Expected {trackId}.');
        const refusal = this.refusals.get(body.trackId);
        if (refusal !== undefined) return fail(refusal.status, refusal.code, refusal.message, refusal.said);
        const track = byId(body.trackId);
        const made: GuestRequest = {
          id: this.#nextRequestId++,
          track,
          status: 'queued',
          reason: 'It plays after the next song.',
          at: 1_700_000_000_000,
          place: 2,
          expectedAt: null,
        };
        if (!checkRequest.Check(made)) throw new Error('The fake’s request breaks the contract');
        this.#mine.set(phone ?? '', { ...me, requests: [made, ...me.requests], requestsLeft: me.requestsLeft - 1 });
        const s = this.state;
        this.change({
          ...s,
          upNext: [
            {
              key: this.#nextKey++,
              track,
              isGuestRequest: true,
              votes: { up: 0, down: 0, mine: null, downNeeded: 3 },
              place: 1,
              expectedAt: null,
            },
            ...s.upNext.map((u) => ({ ...u, place: u.place + 1 })),
          ],
        });
        json(201, made);
        return;
      }
      case 'POST /api/guest/like': {
        const now = this.state.nowPlaying;
        if (!checkLikeBody.Check(body)) return fail(400, 'MB_ERR_VALIDATION', 'Expected {trackId}.');
        if (now === null || now.track.id !== body.trackId) return fail(409, 'MB_ERR_CONFLICT', 'That song no longer plays.');
        this.change({ ...this.state, nowPlaying: { ...now, likes: now.likes + 1, isLikedByMe: true } });
        response.writeHead(204).end();
        return;
      }
      case 'POST /api/guest/votes': {
        if (!checkVoteBody.Check(body)) return fail(400, 'MB_ERR_VALIDATION', 'Expected {on, vote}.');
        const mine = body.vote === 'none' ? null : body.vote;
        const tally = <T extends { votes: GuestState['upNext'][number]['votes'] }>(item: T): T => {
          const v = { ...item.votes };
          if (v.mine !== null) v[v.mine] -= 1;
          if (mine !== null) v[mine] += 1;
          return { ...item, votes: { ...v, mine } };
        };
        const s = this.state;
        if (body.on === 'now') {
          if (s.nowPlaying === null) return fail(409, 'MB_ERR_CONFLICT', 'Nothing plays.');
          this.change({ ...s, nowPlaying: tally(s.nowPlaying) });
        } else {
          // As the daemon: votes are on songs guests asked for; the mood's own picks are not votable.
          if (!s.upNext.some((item) => item.key === body.on && item.isGuestRequest)) {
            return fail(404, 'MB_ERR_NOT_FOUND', 'Expected a song guests asked for, up next: it played or left the queue.');
          }
          this.change({ ...s, upNext: s.upNext.map((item) => (item.key === body.on ? tally(item) : item)) });
        }
        response.writeHead(204).end();
        return;
      }
      default:
        fail(404, 'MB_ERR_NOT_FOUND', `No ${route} here.`);
    }
  }
}

/** The phone's `mb_guest` cookie, or undefined. */
function cookieOf(request: IncomingMessage): string | undefined {
  return /(?:^|;\s*)mb_guest=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
}
