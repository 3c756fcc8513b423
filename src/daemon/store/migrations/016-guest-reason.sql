-- A song a guest asked for from their phone plays with the reason `guest` ("asked for by a guest").
-- SQLite cannot change a CHECK in place, so `plays` is rebuilt with every row, its indexes and its
-- foreign keys as they were (as in 012).
CREATE TABLE plays_new (
  id         INTEGER PRIMARY KEY,
  track_id   INTEGER REFERENCES tracks (id) ON DELETE SET NULL,
  user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  reason     TEXT    NOT NULL CHECK (reason IN ('mood', 'tap', 'skip', 'like', 'staff', 'guest')),
  mood       TEXT,
  started_at INTEGER NOT NULL,
  ended_at   INTEGER,
  outcome    TEXT    CHECK (outcome IN ('completed', 'skipped', 'switched', 'failed', 'interrupted')),
  note       TEXT    NOT NULL DEFAULT ''
);
INSERT INTO plays_new (id, track_id, user_id, reason, mood, started_at, ended_at, outcome, note)
  SELECT id, track_id, user_id, reason, mood, started_at, ended_at, outcome, note FROM plays;
DROP TABLE plays;
ALTER TABLE plays_new RENAME TO plays;
CREATE INDEX plays_started ON plays (started_at);
CREATE INDEX plays_user ON plays (user_id, started_at);
CREATE INDEX plays_track ON plays (track_id, started_at);
