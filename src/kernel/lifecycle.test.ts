import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus.js';
import { Lifecycle, type Service } from './lifecycle.js';
import { throwingReporter } from './testing/listener-reporters.js';

const silent = { info() {}, warn() {}, error() {} };

function service(name: string, events: string[], options: { failStart?: boolean; hangStop?: boolean } = {}): Service {
  return {
    name,
    async start() {
      events.push(`start ${name}`);
      if (options.failStart) throw new Error(`${name} broke`);
    },
    async stop() {
      events.push(`stop ${name}`);
      if (options.hangStop) await new Promise(() => {});
    },
  };
}

describe('Lifecycle', () => {
  it('starts in dependency order and stops in reverse', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle({
      services: [service('store', events), service('player', events), service('http', events)],
      log: silent,
    });
    await lifecycle.start();
    expect(lifecycle.isReady()).toBe(true);
    await lifecycle.stop();
    expect(events).toEqual(['start store', 'start player', 'start http', 'stop http', 'stop player', 'stop store']);
  });

  it('stops what already started when a later service fails, and reports which one failed', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle({
      services: [service('store', events), service('camera', events, { failStart: true }), service('http', events)],
      log: silent,
    });
    await expect(lifecycle.start()).rejects.toThrow('service `camera` failed to start: camera broke');
    expect(events).toEqual(['start store', 'start camera', 'stop camera', 'stop store']);
    expect(lifecycle.health()).toEqual([
      { name: 'store', status: 'stopped' },
      { name: 'camera', status: 'failed', detail: 'camera broke' },
      { name: 'http', status: 'stopped' },
    ]);
  });

  it('does not let one stuck service hold up shutdown', async () => {
    const events: string[] = [];
    const errors: unknown[] = [];
    const log = { ...silent, error: (obj: object) => errors.push(obj) };
    const lifecycle = new Lifecycle(
      { services: [service('store', events), service('player', events, { hangStop: true })], log },
      { stopTimeoutMs: 50 },
    );
    await lifecycle.start();
    await lifecycle.stop();
    expect(events).toEqual(['start store', 'start player', 'stop player', 'stop store']);
    expect(errors).toHaveLength(1);
  });

  it('reports what a running service says about itself', async () => {
    const camera: Service = {
      name: 'camera',
      start: async () => {},
      stop: async () => {},
      health: () => ({ status: 'degraded', detail: 'camera unplugged; retrying' }),
    };
    const lifecycle = new Lifecycle({ services: [camera], log: silent });
    expect(lifecycle.isReady()).toBe(false);
    await lifecycle.start();
    expect(lifecycle.health()).toEqual([{ name: 'camera', status: 'degraded', detail: 'camera unplugged; retrying' }]);
    expect(lifecycle.isReady()).toBe(true);
  });

  it('ends what each service subscribed on the buses as it stops it, before its own stop, even one that hangs or failed to start', async () => {
    type Events = { tick: number };
    const buses = [new EventBus<Events>(throwingReporter), new EventBus<Events>(throwingReporter)];
    const heard: string[] = [];
    const listening = (name: string, options: { failStart?: boolean; hangStop?: boolean } = {}): Service => {
      const part: Service = {
        name,
        async start() {
          // Each part subscribes as itself and never ends its subscriptions in its own stop.
          for (const [i, bus] of buses.entries()) bus.on('tick', (n) => heard.push(`${name}@${i}:${n}`), part);
          if (options.failStart) throw new Error(`${name} broke`);
        },
        // What a part hears while it stops: nothing, its subscriptions already ended.
        stop: async () => {
          for (const bus of buses) bus.emit('tick', 0);
          if (options.hangStop) await new Promise(() => {});
        },
      };
      return part;
    };
    const lifecycle = new Lifecycle(
      { services: [listening('store'), listening('player', { hangStop: true })], log: silent, buses },
      { stopTimeoutMs: 50 },
    );
    await lifecycle.start();
    buses[0]?.emit('tick', 1);
    expect(heard).toEqual(['store@0:1', 'player@0:1']);
    await lifecycle.stop();
    for (const bus of buses) bus.emit('tick', 2);
    // The player, stopped first, no longer heard its own last ticks; the store, still running then, did.
    expect(heard).toEqual(['store@0:1', 'player@0:1', 'store@0:0', 'store@1:0']);
    expect(buses.map((bus) => bus.listenerCount('tick'))).toEqual([0, 0]);

    const failing = new Lifecycle({ services: [listening('camera', { failStart: true })], log: silent, buses });
    await expect(failing.start()).rejects.toThrow(/camera broke/);
    expect(buses.map((bus) => bus.listenerCount('tick'))).toEqual([0, 0]);
  });

  it('leaves a quiet part out of the health it reports, and still waits for it to be ready', async () => {
    const events: string[] = [];
    const hooks: Service = { ...service('hooks', events), isQuiet: true };
    const lifecycle = new Lifecycle({ services: [service('store', events), hooks], log: silent });
    expect(lifecycle.isReady()).toBe(false);
    await lifecycle.start();
    expect(lifecycle.health()).toEqual([{ name: 'store', status: 'ready' }]);
    expect(lifecycle.isReady()).toBe(true);
  });

  it('refuses two services with the same name', () => {
    const events: string[] = [];
    expect(() => new Lifecycle({ services: [service('a', events), service('a', events)], log: silent })).toThrow(/unique/);
  });
});
