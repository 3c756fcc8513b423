import { createConnection, type Socket } from 'node:net';
import { PlayerError } from '../errors.js';
import { EventBus } from '../../kernel/event-bus.js';
import { encodeCommand, MpvLineDecoder, type EndFileReason, type MpvCommand, type MpvMessage } from '../mpv-ipc.js';
import type { Log } from '../../kernel/log.js';

/** What mpv tells its IPC clients without being asked. Payloads are as mpv sent them, decoded. */
// A type alias, not an interface: the event bus needs an index signature.
export type MpvIpcEvents = {
  /** mpv began to open a playlist entry. */
  startFile: { entryId: number | undefined };
  /** mpv stopped a playlist entry; `reason` says why, `fileError` what went wrong when it is `error`. */
  endFile: {
    entryId: number | undefined;
    reason: EndFileReason;
    fileError: string | undefined;
    /** For `redirect` (mpv opened a playlist and put its entries in its place): the first of them, and how many. */
    insertId?: number | undefined;
    insertCount?: number | undefined;
  };
  /** The file being started is open and its duration known: a seek now lands. */
  fileLoaded: Record<string, never>;
  /** An observed property changed (see `observe_property`); `id` is the one given when observing. */
  propertyChanged: { id: number; name: string; data: unknown };
  /**
   * Playback (re)started after a load or a seek (`playback-restart`): the audio output is open and
   * takes the file's audio from here. mpv blocks opening a FIFO nobody reads, so this comes then.
   */
  playbackRestarted: Record<string, never>;
  /**
   * The audio output was (re)configured (`audio-reconfig`): at a file's load, and again as the
   * output opens for it, which for a FIFO waits until something reads it. mpv may then block a
   * second writing into a pipe before its `playback-restart`.
   */
  audioReconfigured: Record<string, never>;
};

interface Pending {
  /** Runs as the reply is read, before events that follow it in the same chunk. */
  onData: ((data: unknown) => void) | undefined;
  resolve: (data: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * A client of mpv's JSON IPC (one command per line, replies matched by `request_id`), over a socket
 * it is handed with `attach`. It outlives the socket: when mpv is restarted the new socket is
 * attached to the same client, so subscribers to `events` stay subscribed. Knows nothing of
 * playlists or queues; the wire format itself is in `../mpv-ipc.ts`.
 */
export class MpvIpcClient {
  readonly events: EventBus<MpvIpcEvents>;
  readonly #log: Pick<Log, 'debug'>;
  #socket: Socket | undefined;
  #requestId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(deps: { log: Pick<Log, 'debug' | 'error'> }) {
    this.#log = deps.log;
    this.events = new EventBus<MpvIpcEvents>((err, event) => deps.log.error({ err, event }, 'an mpv event listener failed'));
  }

  /** True while a socket is attached. */
  get isConnected(): boolean {
    return this.#socket !== undefined;
  }

  /**
   * Reads and writes through `socket` from now on. A socket attached before is detached first, its
   * commands rejected. The socket's bytes MUST NOT have been read by anyone else.
   */
  attach(socket: Socket): void {
    this.detach(new PlayerError('MB_ERR_PLAYER_COMMAND', 'mpv was reconnected'));
    this.#socket = socket;
    const decoder = new MpvLineDecoder();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const message of decoder.push(chunk)) {
        // A socket detached while a chunk was in flight, or by a listener in the middle of one (mpv
        // taken down), speaks for an mpv that is gone: the rest is not read.
        if (this.#socket !== socket) return;
        this.#onMessage(message);
      }
    });
    socket.on('error', (err) => this.#log.debug({ err }, 'mpv socket error'));
  }

  /** Closes the socket, if any, and rejects every command still waiting for its reply with `reason`. */
  detach(reason: Error): void {
    this.#socket?.destroy();
    this.#socket = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(reason);
  }

  /**
   * Sends a command. Resolves with its reply's `data`; rejects with a `PlayerError` when mpv refuses
   * it (`MB_ERR_PLAYER_COMMAND`), goes away before answering, or is not connected
   * (`MB_ERR_PLAYER_START`). `onData` runs as soon as the reply is read, before any event that
   * follows it on the socket: for a `loadfile`, that is before its `start-file`.
   */
  command(command: MpvCommand, onData?: (data: unknown) => void): Promise<unknown> {
    const socket = this.#socket;
    if (!socket) return Promise.reject(new PlayerError('MB_ERR_PLAYER_START', 'mpv is not running'));
    const id = this.#requestId++;
    const line = encodeCommand(id, command);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { onData, resolve, reject });
      socket.write(line);
    });
  }

  /** Sends a command and does not wait for its reply (e.g. `quit`). Does nothing when not connected. */
  send(command: MpvCommand): void {
    this.#socket?.write(encodeCommand(this.#requestId++, command));
  }

  #onMessage(message: MpvMessage): void {
    switch (message.type) {
      case 'reply': {
        const pending = this.#pending.get(message.requestId);
        if (!pending) return;
        this.#pending.delete(message.requestId);
        if (message.error === 'success') {
          pending.onData?.(message.data);
          pending.resolve(message.data);
        } else pending.reject(new PlayerError('MB_ERR_PLAYER_COMMAND', `mpv refused a command: ${message.error}`));
        return;
      }
      case 'start-file':
        this.events.emit('startFile', { entryId: message.entryId });
        return;
      case 'end-file':
        this.events.emit('endFile', {
          entryId: message.entryId,
          reason: message.reason,
          fileError: message.fileError,
          insertId: message.insertId,
          insertCount: message.insertCount,
        });
        return;
      case 'file-loaded':
        this.events.emit('fileLoaded', {});
        return;
      case 'property-change':
        this.events.emit('propertyChanged', { id: message.id, name: message.name, data: message.data });
        return;
      case 'invalid':
        this.#log.debug({ line: message.line.slice(0, 200) }, 'unreadable line from mpv');
        return;
      case 'event':
        if (message.event === 'playback-restart') this.events.emit('playbackRestarted', {});
        else if (message.event === 'audio-reconfig') this.events.emit('audioReconfigured', {});
        return;
      case 'idle':
        return;
      default:
        assertNever(message);
    }
  }
}

/** Connects to the unix socket at `path`; rejects when nothing listens there (yet). */
export function connectSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function assertNever(value: never): never {
  throw new TypeError(`Expected a known mpv message, got \`${JSON.stringify(value)}\``);
}
