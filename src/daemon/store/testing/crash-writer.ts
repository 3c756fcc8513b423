// Writes plays as fast as it can and prints each id once its transaction has committed; the crash
// test kills it with SIGKILL and checks that every printed id is still in the database.
import { writeSync } from 'node:fs';
import { systemClock } from '../../../kernel/clock.js';
import { openSqliteStore } from '../sqlite-store.js';

const path = process.argv[2];
if (path === undefined) throw new TypeError('Expected a database path argument');
const store = openSqliteStore({ clock: systemClock, log: { info() {}, warn() {} } }, { path });
const track = store.tracks.upsert({ uri: '/music/crash-test.flac', title: 'Crash test' });
for (let i = 0; i < 100_000; i++) {
  const play = store.plays.start({ trackId: track.id, reason: 'mood', mood: 'calm', startedAt: systemClock.now() });
  writeSync(1, `${play.id}\n`);
}
