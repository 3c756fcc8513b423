import type {
  GuestMine,
  GuestRequest,
  GuestRoom,
  GuestSearch,
  GuestServerMessage,
  GuestState,
  GuestTrack,
  GuestUpNext,
} from '../../daemon/http/contract.js';
import { ApiError, type SocketLike, httpJson } from './api-client.js';
import { LinkWatch } from './link-watch.js';

export type { GuestRequest, GuestState, GuestTrack, GuestUpNext };
export { ApiError };

/** A guest's vote: `up` (sooner), `down` ("not this"), `none` (take it back). */
export type GuestVote = 'up' | 'down' | 'none';

export interface GuestApiOptions {
  /** @default `ws(s)://<page host>/ws/guest` */
  url?: string;
  /** @default `(url) => new WebSocket(url)` */
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay (ms); doubles up to 10 s. @default 1000 */
  retryMs?: number;
}

const MAX_RETRY_MS = 10_000;

/**
 * What the guest page knows of the wire: the phone's view of the room (`GET /api/guest/state`, then
 * pushed on `/ws/guest` on connect and on every change, as the room's view shared by every phone
 * and this phone's own part) and the guest's actions (search, ask for a
 * song, take it back, like, vote). The phone's identity is the cookie the daemon sets; nothing here signs in.
 * Fires `change` whenever `state` or `isOnline` changes. Actions reject with `ApiError`, whose
 * message is the daemon's own words, ready to show.
 */
export class GuestApi extends EventTarget {
  #state: GuestState | null = null;
  /** The room's view and this phone's own part, as `/ws/guest` pushes them apart; the state is the two together. */
  #room: GuestRoom | null = null;
  #mine: GuestMine | null = null;
  /** How many views the push link brought: an answer over HTTP asked for before the last of them is older than it. */
  #pushes = 0;
  #isOnline = false;
  #refusal: ApiError | null = null;
  #socket: SocketLike | undefined;
  #isClosed = true;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryMs: number;
  readonly #firstRetryMs: number;
  readonly #url: string;
  readonly #createSocket: (url: string) => SocketLike;
  readonly #watch = new LinkWatch(() => {
    if (this.#socket !== undefined) this.#lose(this.#socket);
  });

  constructor(options: GuestApiOptions = {}) {
    super();
    this.#url = options.url ?? defaultUrl();
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#firstRetryMs = options.retryMs ?? 1000;
    this.#retryMs = this.#firstRetryMs;
  }

  /** The phone's last view of the room, or null before the first answer. */
  get state(): GuestState | null {
    return this.#state;
  }

  /** Whether the push link to Moodbox is up. */
  get isOnline(): boolean {
    return this.#isOnline;
  }

  /**
   * Why Moodbox does not serve this phone its view, in its own words (a phone off the box's
   * network, guests turned off): the refusal of the first load, until a later one is answered.
   * Null while served, and while it cannot be reached at all.
   */
  get refusal(): ApiError | null {
    return this.#refusal;
  }

  /**
   * Loads the state once over HTTP (the page shows at once), then opens the push link, which
   * reconnects by itself. In that order: the first answer sets the phone's cookie, and the socket
   * must carry it, or it would show another phone's requests and votes. While Moodbox refuses the
   * phone (`refusal`), it asks again now and then instead, and opens the link once it is served.
   */
  connect(): void {
    this.#isClosed = false;
    this.#load();
  }

  #load(): void {
    void this.refresh().then(
      () => this.#openLink(),
      (err: unknown) => {
        if (this.#isClosed) return;
        // Unreachable, or the daemon failed: the push link tries, and reconnects by itself.
        if (!(err instanceof ApiError) || err.status < 400 || err.status >= 500) {
          this.#openLink();
          return;
        }
        this.#refusal = err;
        this.dispatchEvent(new Event('change'));
        const waitMs = err.retryAfterS === null ? this.#retryMs : err.retryAfterS * 1000;
        this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => this.#load(), waitMs);
      },
    );
  }

  #openLink(): void {
    if (!this.#isClosed && this.#socket === undefined) this.#open();
  }

  close(): void {
    this.#isClosed = true;
    this.#watch.stop();
    clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    this.#setOnline(false);
  }

  /** Asks for the state over HTTP: after an action while the push link is down, after a vote, as a wait ends. */
  async refresh(): Promise<GuestState> {
    const pushes = this.#pushes;
    const state = await httpJson<GuestState>('GET', '/api/guest/state');
    // A view the push link brought while this answer was on its way may be newer (a like just
    // tapped): the answer does not undo it, as the daemon pushes this phone's part again only when
    // it changes. Any change the answer saw comes by the link too.
    if (!this.#isOnline || this.#pushes === pushes) this.#apply(state);
    return state;
  }

  /** Songs of the library whose title or artist has these words (at most 20). */
  async search(words: string): Promise<GuestTrack[]> {
    const q = words.trim().slice(0, 80);
    if (q === '') return [];
    return (await httpJson<GuestSearch>('GET', '/api/guest/search', { query: { q } })).tracks;
  }

  /** Asks for a song: resolves with the request (queued, or waiting for the room, with the reason). */
  async ask(trackId: number): Promise<GuestRequest> {
    const request = await httpJson<GuestRequest>('POST', '/api/guest/requests', { body: { trackId } });
    await this.#afterAction();
    return request;
  }

  /** Takes back this phone's own request while it is in the queue. */
  async cancel(requestId: number): Promise<void> {
    await httpJson<unknown>('DELETE', `/api/guest/requests/${requestId}`);
    await this.#afterAction();
  }

  /** Likes the song playing now. */
  async like(trackId: number): Promise<void> {
    await httpJson<unknown>('POST', '/api/guest/like', { body: { trackId } });
    await this.#afterAction();
  }

  /**
   * Votes on the song playing now (`'now'`) or on a song up next (its `key`); resolves with the view
   * read just after (null where it could not be read), whose counts say whether the vote counted.
   */
  async vote(on: 'now' | number, vote: GuestVote): Promise<GuestState | null> {
    await httpJson<unknown>('POST', '/api/guest/votes', { body: { on, vote } });
    return this.refresh().catch(() => null);
  }

  /** The push link brings the new state; without it, the page asks. */
  async #afterAction(): Promise<void> {
    if (!this.#isOnline) await this.refresh().catch(() => undefined);
  }

  #open(): void {
    clearTimeout(this.#retryTimer);
    const socket = this.#createSocket(this.#url);
    this.#socket = socket;
    // Watched from the start: a hung daemon may take the connection and never answer its upgrade.
    this.#watch.start();
    socket.addEventListener('open', () => {
      this.#retryMs = this.#firstRetryMs;
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.#socket) return;
      const message = parse(String(event.data));
      this.#watch.heard(message?.type === 'link/alive' ? message.everyMs : undefined);
      if (message?.type === 'guest/room') this.#room = message.data;
      else if (message?.type === 'guest/mine') this.#mine = message.data;
      else return;
      this.#pushes += 1;
      this.#isOnline = true;
      if (this.#room !== null && this.#mine !== null) this.#apply(withMine(this.#room, this.#mine));
    });
    socket.addEventListener('close', () => this.#lose(socket));
  }

  /** The socket closed, or went silent: offline until a fresh socket brings the room again. */
  #lose(socket: SocketLike): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#watch.stop();
    this.#setOnline(false);
    // A silent socket's close may never complete (its daemon does not answer): it is already forgotten.
    socket.close();
    if (this.#isClosed) return;
    this.#retryTimer = setTimeout(() => this.#open(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
  }

  #apply(state: GuestState): void {
    this.#refusal = null;
    this.#state = state;
    this.#room = state;
    this.#mine = mineOf(state);
    this.dispatchEvent(new Event('change'));
  }

  #setOnline(isOnline: boolean): void {
    if (this.#isOnline === isOnline) return;
    this.#isOnline = isOnline;
    this.dispatchEvent(new Event('change'));
  }
}

/** This phone's own part of its view `state`. */
function mineOf(state: GuestState): GuestMine {
  const votes: GuestMine['votes'] = [];
  const mine = state.nowPlaying?.votes.mine ?? null;
  if (mine !== null) votes.push({ on: 'now', vote: mine });
  for (const u of state.upNext) if (u.votes.mine !== null) votes.push({ on: u.key, vote: u.votes.mine });
  return { me: state.me, isNowLikedByMe: state.nowPlaying?.isLikedByMe ?? false, votes };
}

/** The room's view with this phone's own marks on it (as the daemon's `GET /api/guest/state` answers). */
function withMine(room: GuestRoom, mine: GuestMine): GuestState {
  const voteOn = (on: 'now' | number) => mine.votes.find((v) => v.on === on)?.vote ?? null;
  return {
    ...room,
    nowPlaying:
      room.nowPlaying === null
        ? null
        : { ...room.nowPlaying, isLikedByMe: mine.isNowLikedByMe, votes: { ...room.nowPlaying.votes, mine: voteOn('now') } },
    upNext: room.upNext.map((u) => (u.isGuestRequest ? { ...u, votes: { ...u.votes, mine: voteOn(u.key) } } : u)),
    me: mine.me,
  };
}

function parse(text: string): GuestServerMessage | null {
  try {
    return JSON.parse(text) as GuestServerMessage;
  } catch {
    return null;
  }
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws/guest`;
}
