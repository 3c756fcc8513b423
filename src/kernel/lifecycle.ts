import { ServiceError } from './errors.js';
import type { ListenerOwner } from './event-bus.js';
import type { Log } from './log.js';
import type { Said } from './said.js';

export type ServiceStatus = 'stopped' | 'starting' | 'ready' | 'degraded' | 'failed' | 'stopping';

export interface ServiceHealth {
  status: ServiceStatus;
  /** A short, human-readable line for the admin panel and `/api/health`. */
  detail?: string;
  /** `detail` as data, for the admin panel to say in its reader's language (`health-words.ts`); absent where the line is for a technician. */
  said?: Said;
}

/**
 * A long-lived part of the daemon. Its constructor only assigns fields; work begins in `start`.
 * What it subscribes to on the buses it subscribes as itself (`bus.on(event, fn, this)`): the
 * lifecycle ends those subscriptions as it stops it, before its `stop` runs (`LifecycleDeps.buses`),
 * so its own `stop` ends only what else it holds.
 */
export interface Service {
  /** Stable, lowercase name used in logs and `/api/health`. */
  readonly name: string;
  /** True for a part with nothing of its own to tell an owner (the daemon's own listeners): left out of `health`. @default false */
  readonly isQuiet?: boolean;
  /**
   * Starts the service. MUST resolve once the service can be used; MUST stop early and reject with
   * the signal's reason when `signal` aborts (the daemon is shutting down during start-up).
   */
  start(signal: AbortSignal): Promise<void>;
  /** Stops the service and releases what it holds. MUST be safe to call after a failed start. */
  stop(): Promise<void>;
  /** What the service reports about itself while running. MAY be omitted: a started service is then ready. */
  health?(): ServiceHealth;
}

/** Where services subscribe: each ends every subscription of an owner at once (`EventBus.removeListeners`). */
export interface ListenerRegistry {
  removeListeners(owner: ListenerOwner): number;
}

export interface LifecycleDeps {
  /** The services, in their dependency order: started in it, stopped in reverse. */
  services: readonly Service[];
  log: Pick<Log, 'info' | 'warn' | 'error'>;
  /** The buses the services subscribe to as themselves: each service's subscriptions end there as it stops. @default none */
  buses?: readonly ListenerRegistry[];
}

interface Entry {
  service: Service;
  state: ServiceStatus;
  error?: string;
}

/**
 * Starts services in the order given (their dependency order) and stops them in reverse, each
 * stop bounded by `stopTimeoutMs` so that one stuck service cannot hold up shutdown, and each
 * service's subscriptions on the buses ended as it stops, before its own `stop` runs, whether that
 * ends cleanly or not (zigbee2mqtt's `Extension.stop`): one start path and one stop path for every part.
 */
export class Lifecycle {
  readonly #entries: Entry[];
  readonly #log: Pick<Log, 'info' | 'warn' | 'error'>;
  readonly #buses: readonly ListenerRegistry[];
  readonly #stopTimeoutMs: number;
  readonly #abort = new AbortController();

  constructor(deps: LifecycleDeps, options: { stopTimeoutMs?: number } = {}) {
    this.#entries = deps.services.map((service) => ({ service, state: 'stopped' }));
    this.#log = deps.log;
    this.#buses = deps.buses ?? [];
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 2000;
    const names = new Set<string>();
    for (const { service } of this.#entries) {
      if (names.has(service.name)) throw new TypeError(`Expected unique service names, got \`${service.name}\` twice`);
      names.add(service.name);
    }
  }

  /** Starts every service in order. On a failure, stops those already started and rethrows. */
  async start(): Promise<void> {
    for (const entry of this.#entries) {
      if (this.#abort.signal.aborted) throw new ServiceError('MB_ERR_SERVICE_START', 'start-up was cancelled');
      entry.state = 'starting';
      const started = performance.now();
      try {
        await entry.service.start(this.#abort.signal);
        entry.state = 'ready';
        this.#log.info({ service: entry.service.name, ms: Math.round(performance.now() - started) }, 'service started');
      } catch (err) {
        entry.state = 'failed';
        entry.error = err instanceof Error ? err.message : String(err);
        await this.stop();
        entry.state = 'failed';
        throw new ServiceError('MB_ERR_SERVICE_START', `service \`${entry.service.name}\` failed to start: ${entry.error}`, {
          cause: err,
        });
      }
    }
  }

  /** Stops every started service in reverse order. Never throws; failures are logged. */
  async stop(): Promise<void> {
    this.#abort.abort(new ServiceError('MB_ERR_SERVICE_START', 'shutting down'));
    for (const entry of [...this.#entries].reverse()) {
      if (entry.state === 'stopped') continue;
      entry.state = 'stopping';
      try {
        await withTimeout(stopService(entry.service, this.#buses), this.#stopTimeoutMs, entry.service.name);
        this.#log.info({ service: entry.service.name }, 'service stopped');
      } catch (err) {
        this.#log.error({ service: entry.service.name, err }, 'service did not stop cleanly');
      } finally {
        entry.state = 'stopped';
      }
    }
  }

  /** The services whose stop has begun and not ended, in stop order: what a shutdown that overran is waiting on. */
  stopping(): string[] {
    return [...this.#entries]
      .reverse()
      .filter((e) => e.state === 'stopping')
      .map((e) => e.service.name);
  }

  /** The health of every service but the quiet ones, in start order. */
  health(): Array<{ name: string } & ServiceHealth> {
    return this.#entries
      .filter(({ service }) => service.isQuiet !== true)
      .map(({ service, state, error }) => {
        if (state === 'ready' && service.health) return { name: service.name, ...service.health() };
        return error === undefined ? { name: service.name, status: state } : { name: service.name, status: state, detail: error };
      });
  }

  /** True once every service has started and none reports `failed`. Degraded services still count as ready. */
  isReady(): boolean {
    return this.#entries.every(({ service, state }) => {
      const status = state === 'ready' && service.health ? service.health().status : state;
      return status === 'ready' || status === 'degraded';
    });
  }
}

/**
 * Stops one part as the lifecycle does: its subscriptions on `buses` end first (a stopping part hears
 * nothing more), then its own `stop` runs.
 */
export async function stopService(service: Service, buses: readonly ListenerRegistry[]): Promise<void> {
  for (const bus of buses) bus.removeListeners(service);
  await service.stop();
}

async function withTimeout(promise: Promise<void>, ms: number, name: string): Promise<void> {
  let handle: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    handle = setTimeout(() => reject(new Error(`service \`${name}\` took longer than ${ms} ms to stop`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(handle);
  }
}
