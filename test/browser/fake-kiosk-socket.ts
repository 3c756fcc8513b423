import type { Page, WebSocketRoute } from 'playwright-core';
import type { StateArea, StateSnapshot, TrackView } from '../../src/daemon/http/contract.js';

/** How often the stand-in says it is alive, as the daemon does every `ws.pingIntervalMs`. */
const ALIVE_MS = 1000;

const COLOURS = ['#e76f51', '#2a9d8f', '#e9c46a', '#264653', '#8ab17d', '#b5838d', '#6d597a'];

/** A small coloured cover as a data URL, so no test depends on the library's own art. */
export function cover(i: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><circle cx="5" cy="5" r="3" fill="#fff" fill-opacity=".5"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function track(id: number, title: string, artist: string, moods: string[] = ['upbeat']): TrackView {
  return {
    id,
    title,
    artist,
    album: 'Test Album',
    durationMs: 200_000,
    coverUrl: cover(id),
    moods,
    whyKind: 'mood',
    why: 'fits upbeat',
    whySaid: { id: 'pick.fits', values: { mood: { said: 'music.upbeat' } } },
  };
}

/** Six suggestions with titles and artists of every length the kiosk must fit. */
export const SUGGESTIONS: readonly TrackView[] = [
  track(11, 'Sunny Side', 'The Brights'),
  track(12, 'Golden Hour', 'Mara Lune'),
  track(13, 'Skipping Stones', 'Pebble & Co'),
  track(14, 'A Very Long Title That Does Not Fit On One Line', 'Somebody With A Long Name'),
  track(15, 'Up We Go', 'Balloon'),
  track(16, 'Lemonade', 'Citrus Club'),
];

/** A room with one happy face, a song playing, six suggestions, nobody signed in. */
export function roomSnapshot(): StateSnapshot {
  return {
    version: '0.1.0',
    demo: false,
    timeZone: 'UTC',
    language: null,
    camera: { status: 'on', detail: null },
    mood: {
      current: 'happy',
      confidence: 0.82,
      since: 0,
      why: '1 face, looking happy',
      whySaid: { id: 'mood.oneFace', values: { look: { said: 'look.happy' } } },
      faces: 1,
    },
    player: {
      status: 'playing',
      nowPlaying: track(1, 'Walking on Air', 'Kites'),
      positionMs: 80_000,
      next: track(2, 'Feather', 'Nimbus'),
      volume: 60,
    },
    suggestions: [...SUGGESTIONS],
    session: { user: null, notice: null },
    services: [],
    library: { scanning: false, done: 0, total: 0, tracks: 0, lastScan: null, analysis: { running: false, done: 0, total: 0, failed: 0 } },
    guests: { open: 0, awaitingStaff: 0, changedAt: null },
    dayPlan: null,
    quietHours: false,
  };
}

type Reply = { data: unknown } | { error: { code: string; message: string } };

/**
 * Stands in for the daemon's WebSocket on `page`: sends `snapshot` on every connection, pushes area
 * changes with `send`, answers each request with what `answer` returns (an error for requests it
 * does not know), and drops the link while `isDown`. The page itself is served by a real daemon.
 */
export class FakeKioskSocket {
  seq = 0;
  route: WebSocketRoute | undefined;
  /** While true the "daemon" is unreachable: each connection is closed at once. */
  isDown = false;
  readonly requests: Array<{ type: string; transaction: string; data: unknown }> = [];
  snapshot: StateSnapshot;
  answers: Record<string, (data: unknown) => Reply> = {};

  constructor(snapshot: StateSnapshot = roomSnapshot()) {
    this.snapshot = snapshot;
  }

  async attach(page: Page): Promise<void> {
    await page.routeWebSocket(/\/ws$/, (ws) => {
      if (this.isDown) {
        void ws.close();
        return;
      }
      this.route = ws;
      this.seq = 0;
      ws.onMessage((text) => {
        const message = JSON.parse(String(text)) as { type: string; transaction: string; data: unknown };
        this.requests.push(message);
        const reply = this.answers[message.type]?.(message.data) ?? {
          error: { code: 'MB_ERR_NOT_FOUND', message: `No answer for ${message.type} here.` },
        };
        const base = { type: message.type, transaction: message.transaction };
        ws.send(
          JSON.stringify('data' in reply ? { ...base, status: 'ok', data: reply.data } : { ...base, status: 'error', error: reply.error }),
        );
      });
      ws.send(JSON.stringify({ type: 'state/snapshot', seq: 0, data: this.snapshot }));
      // As the daemon says it is alive on every screen's socket (`link/alive`), or the page counts the link as lost.
      const alive = setInterval(() => {
        if (this.route === ws) ws.send(JSON.stringify({ type: 'link/alive', everyMs: ALIVE_MS }));
        else clearInterval(alive);
      }, ALIVE_MS);
      ws.onClose(() => clearInterval(alive));
    });
  }

  /** Pushes a change of one area, and keeps it for the next connection. */
  send<A extends StateArea>(area: A, data: StateSnapshot[A]): void {
    this.snapshot = { ...this.snapshot, [area]: data };
    this.seq += 1;
    this.route?.send(JSON.stringify({ type: `${area}/changed`, seq: this.seq, data }));
  }

  /** The daemon goes away: the link closes and every new one is refused until `up()`. */
  async down(): Promise<void> {
    this.isDown = true;
    await this.route?.close();
  }

  up(): void {
    this.isDown = false;
  }
}
