import type { Service } from '../../kernel/lifecycle.js';
import type { Logger } from '../logging.js';
import { listenAddressOf, removeListenFile, writeListenFile } from '../ops/listen-file.js';
import type { MoodboxServer } from './build-server.js';

/**
 * Listens with the server built by `buildServer`; closing it also closes every UI connection. Once
 * it listens, it says where in `listenFile` (`ops/listen-file.ts`), and removes that at the stop.
 */
export class HttpService implements Service {
  readonly name = 'http';
  readonly #build: () => Promise<MoodboxServer>;
  readonly #log: Logger;
  readonly #host: string;
  readonly #port: number;
  readonly #listenFile: string | undefined;
  #server: MoodboxServer | undefined;
  #address: string | undefined;

  constructor(
    deps: { build: () => Promise<MoodboxServer>; log: Logger },
    options: { host: string; port: number; listenFile?: string | undefined },
  ) {
    this.#build = deps.build;
    this.#log = deps.log;
    this.#host = options.host;
    this.#port = options.port;
    this.#listenFile = options.listenFile;
  }

  /** The listening address, e.g. `http://127.0.0.1:8080`; undefined before start. */
  get address(): string | undefined {
    return this.#address;
  }

  async start(): Promise<void> {
    this.#server = await this.#build();
    try {
      this.#address = await this.#server.listen({ host: this.#host, port: this.#port });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(
          `port ${this.#port} on ${this.#host} is already in use (is another Moodbox running?); set server.port or MOODBOX_PORT`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    this.#log.info({ address: this.#address }, 'listening');
    await this.#sayWhere();
  }

  /**
   * Where it listens, for the update, the install and the kiosk. A file that cannot be written is
   * logged, and serving goes on: they fall back to the configured address.
   */
  async #sayWhere(): Promise<void> {
    const address = listenAddressOf(this.#server?.server.address() ?? null);
    if (this.#listenFile === undefined || address === undefined) return;
    try {
      await writeListenFile(this.#listenFile, address);
    } catch (err) {
      this.#log.warn(
        { err, file: this.#listenFile },
        'cannot write where the server listens; the update and the kiosk fall back to the configured address',
      );
    }
  }

  async stop(): Promise<void> {
    if (this.#listenFile !== undefined) await removeListenFile(this.#listenFile).catch(() => {});
    await this.#server?.close();
    this.#server = undefined;
  }
}
