import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../daemon/testing/fake-clock.js';
import { FakePlayer } from '../testing/fake-player.js';
import { SourcePlayer } from './source-player.js';

describe('SourcePlayer', () => {
  it('reports a listener that fails, with the event and its owner, and still tells the others', async () => {
    const errors: Array<Record<string, unknown>> = [];
    const log = { error: (fields: Record<string, unknown>) => errors.push(fields), warn() {}, info() {}, debug() {} };
    const local = new FakePlayer({ clock: new FakeClock() });
    const player = new SourcePlayer({ local, routes: [], log });
    const heard: number[] = [];
    player.events.on(
      'trackStarted',
      () => {
        throw new Error('a subscriber broke');
      },
      'the history',
    );
    player.events.on('trackStarted', ({ item }) => heard.push(item.track.id), 'the screens');
    await player.play([{ track: { id: 7, uri: '/music/a.flac', title: 'A' }, reason: 'mood', note: '', mood: null, userId: null }]);
    expect(heard).toEqual([7]);
    expect(errors).toEqual([expect.objectContaining({ event: 'trackStarted', owner: 'the history' })]);
    expect((errors[0]?.['err'] as Error).message).toBe('a subscriber broke');
  });
});
