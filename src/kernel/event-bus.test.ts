import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus.js';
import { throwingReporter } from './testing/listener-reporters.js';

type Events = { started: { id: number }; stopped: { id: number } };

class Recorder {
  readonly seen: string[] = [];
}

function bus() {
  const failures: Array<{ message: string; event: string; owner: string | undefined }> = [];
  const events = new EventBus<Events>((err, event, owner) => failures.push({ message: (err as Error).message, event, owner }));
  return { events, failures };
}

describe('EventBus', () => {
  it("removes every listener of one owner, from every event, and leaves the others' listening", () => {
    const { events } = bus();
    const mine = new Recorder();
    const theirs = new Recorder();
    events.on('started', ({ id }) => void mine.seen.push(`started ${id}`), mine);
    events.on('stopped', ({ id }) => void mine.seen.push(`stopped ${id}`), mine);
    events.on('started', ({ id }) => void theirs.seen.push(`started ${id}`), theirs);
    events.emit('started', { id: 1 });
    expect(events.removeListeners(mine)).toBe(2);
    events.emit('started', { id: 2 });
    events.emit('stopped', { id: 2 });
    expect(mine.seen).toEqual(['started 1']);
    expect(theirs.seen).toEqual(['started 1', 'started 2']);
    expect(events.removeListeners(mine)).toBe(0);
  });

  it('reports a throwing listener with the event and its owner, and still runs the others', () => {
    const { events, failures } = bus();
    const after = new Recorder();
    events.on(
      'started',
      () => {
        throw new Error('boom');
      },
      new Recorder(),
    );
    events.on('started', () => void after.seen.push('ran'), 'metrics');
    events.emit('started', { id: 1 });
    expect(failures).toEqual([{ message: 'boom', event: 'started', owner: 'Recorder' }]);
    expect(after.seen).toEqual(['ran']);
  });

  it("reports an async listener's rejection with the event and its owner instead of leaving it unhandled", async () => {
    const { events, failures } = bus();
    events.on(
      'stopped',
      async ({ id }) => {
        await Promise.resolve();
        throw new Error(`cannot save ${id}`);
      },
      'play recorder',
    );
    events.emit('stopped', { id: 7 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([{ message: 'cannot save 7', event: 'stopped', owner: 'play recorder' }]);
  });

  it('unsubscribes a single listener with the function on() returns', () => {
    const { events } = bus();
    const seen: number[] = [];
    const off = events.on('started', ({ id }) => void seen.push(id), 'test');
    events.emit('started', { id: 1 });
    off();
    events.emit('started', { id: 2 });
    expect(seen).toEqual([1]);
    expect(events.listenerCount('started')).toBe(0);
  });

  it("fails a test's emit, naming the event and the owner, when its bus has the throwing reporter", () => {
    const events = new EventBus<Events>(throwingReporter);
    const boom = new Error('boom');
    events.on(
      'started',
      () => {
        throw boom;
      },
      new Recorder(),
    );
    expect(() => events.emit('started', { id: 1 })).toThrow(
      expect.objectContaining({ message: 'a listener of started (Recorder) failed', cause: boom }),
    );
  });
});
