import { describe, expect, it } from 'vitest';
import { Lifecycle, type Service } from './lifecycle.js';

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

  it('refuses two services with the same name', () => {
    const events: string[] = [];
    expect(() => new Lifecycle({ services: [service('a', events), service('a', events)], log: silent })).toThrow(/unique/);
  });
});
