import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../testing/state.js';
import { StateHub } from './state-hub.js';

describe('StateHub', () => {
  it('reports a listener that throws to the log, with the event, and still tells the other listeners', () => {
    const reports: Array<{ obj: object; msg: string }> = [];
    const hub = new StateHub(initialSnapshot(), { log: { error: (obj, msg) => reports.push({ obj, msg }) } });
    const failure = new Error('screen gone');
    const seen: string[] = [];
    hub.subscribe(() => {
      throw failure;
    }, 'broken screen');
    hub.subscribe((message) => seen.push(message.type), 'test');

    hub.update('camera', { status: 'on', detail: null });

    expect(seen).toEqual(['camera/changed']);
    expect(reports).toEqual([{ obj: { err: failure, event: 'message', owner: 'broken screen' }, msg: 'a screen state listener failed' }]);
    expect(hub.seq).toBe(1);
  });
});
