import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { HidRfidReader, type HidBackend } from './hid-rfid-reader.js';

class FakeHidDevice extends EventEmitter {
  isClosed = false;
  async close(): Promise<void> {
    this.isClosed = true;
  }
  type(digits: string): void {
    const usage = (c: string): number => (c === '0' ? 0x27 : 0x1d + Number(c));
    for (const c of digits) {
      this.emit('data', Buffer.from([0, 0, usage(c), 0, 0, 0, 0, 0]));
      this.emit('data', Buffer.alloc(8));
    }
    this.emit('data', Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0]));
    this.emit('data', Buffer.alloc(8));
  }
}

function backend() {
  const state = { plugged: false, device: new FakeHidDevice(), opens: 0 };
  const hid: HidBackend = {
    devices: async () =>
      state.plugged
        ? [
            { vendorId: 0x08ff, productId: 0x0009, path: '/dev/hidraw0', product: 'RFID Reader' },
            { vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw1' },
          ]
        : [],
    open: async () => {
      state.opens += 1;
      state.device = new FakeHidDevice();
      return state.device;
    },
  };
  return { hid, state };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('HidRfidReader', () => {
  it('reports cards from the configured reader only, and reconnects with backoff when it is replugged', async () => {
    const clock = new FakeClock();
    const { hid, state } = backend();
    const reader = new HidRfidReader({ backend: hid, clock, log: { error() {} } }, { devices: ['08FF:0009'] });
    const cards: string[] = [];
    const statuses: string[] = [];
    reader.on('cardScanned', ({ cardId }) => cards.push(cardId), 'test');
    reader.on('statusChanged', ({ status }) => statuses.push(status), 'test');

    await reader.start();
    expect(reader.health()).toMatchObject({ status: 'ready', detail: 'no RFID reader plugged in; PIN sign-in only' });
    state.plugged = true;
    clock.advance(1000);
    await settle();
    expect(reader.health()).toEqual({ status: 'ready' });
    state.device.type('0004417733');
    expect(cards).toEqual(['0004417733']);

    state.device.emit('error', new Error('device disconnected'));
    state.plugged = false;
    expect(reader.health().status).toBe('degraded');
    clock.advance(1000);
    await settle();
    clock.advance(2000);
    await settle();
    state.plugged = true;
    clock.advance(4000);
    await settle();
    expect(state.opens).toBe(2);
    state.device.type('0012345678');
    expect(cards).toEqual(['0004417733', '0012345678']);
    expect(statuses).toEqual(['absent', 'connected', 'faulted', 'absent', 'connected']);
    await reader.stop();
    expect(state.device.isClosed).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
