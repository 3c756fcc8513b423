import type { Service } from '../../kernel/lifecycle.js';
import type { Logger } from '../logging.js';
import type { MoodboxServer } from './build-server.js';

/** Listens with the server built by `buildServer`; closing it also closes every UI connection. */
export class HttpService implements Service {
  readonly name = 'http';
  readonly #build: () => Promise<MoodboxServer>;
  readonly #log: Logger;
  readonly #host: string;
  readonly #port: number;
  #server: MoodboxServer | undefined;
  #address: string | undefined;

  constructor(deps: { build: () => Promise<MoodboxServer>; log: Logger }, options: { host: string; port: number }) {
    this.#build = deps.build;
    this.#log = deps.log;
    this.#host = options.host;
    this.#port = options.port;
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
  }

  async stop(): Promise<void> {
    await this.#server?.close();
    this.#server = undefined;
  }
}
