-- People who sign in. Guests are anonymous and have no row.
CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  role            TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
  pin_hash        TEXT,
  must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  preferences     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(preferences)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

-- RFID cards, by the ID the reader types.
CREATE TABLE cards (
  card_id    TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label      TEXT    NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX cards_user ON cards (user_id);

-- Signed-in sessions: the kiosk (PIN/card) and the admin panel (cookie). Only a hash of the token is kept.
CREATE TABLE sessions (
  token_hash   TEXT    PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         TEXT    NOT NULL CHECK (kind IN ('kiosk', 'admin')),
  csrf_token   TEXT    NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The music library (local files; `source` leaves room for other providers).
CREATE TABLE tracks (
  id            INTEGER PRIMARY KEY,
  source        TEXT    NOT NULL DEFAULT 'local',
  uri           TEXT    NOT NULL,
  title         TEXT    NOT NULL DEFAULT '',
  artist        TEXT    NOT NULL DEFAULT '',
  album         TEXT    NOT NULL DEFAULT '',
  year          INTEGER,
  genre         TEXT    NOT NULL DEFAULT '',
  language      TEXT    NOT NULL DEFAULT '',
  duration_ms   INTEGER,
  replaygain_db REAL,
  cover         TEXT,
  file_size     INTEGER,
  file_mtime_ms INTEGER,
  missing       INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
  added_at      INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (source, uri)
);
CREATE INDEX tracks_artist ON tracks (artist);

-- One or more moods per track, each with a weight in (0, 1].
CREATE TABLE track_moods (
  track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  mood     TEXT    NOT NULL,
  weight   REAL    NOT NULL CHECK (weight > 0 AND weight <= 1),
  origin   TEXT    NOT NULL CHECK (origin IN ('admin', 'sidecar', 'rule')),
  PRIMARY KEY (track_id, mood)
) WITHOUT ROWID;
CREATE INDEX track_moods_mood ON track_moods (mood);

-- Play history. `reason` says what put the track on: the room mood, a tap on a suggestion, a skip
-- of the previous track, or a like. `outcome` is set when it stops.
CREATE TABLE plays (
  id         INTEGER PRIMARY KEY,
  track_id   INTEGER REFERENCES tracks (id) ON DELETE SET NULL,
  user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  reason     TEXT    NOT NULL CHECK (reason IN ('mood', 'tap', 'skip', 'like')),
  mood       TEXT,
  started_at INTEGER NOT NULL,
  ended_at   INTEGER,
  outcome    TEXT    CHECK (outcome IN ('completed', 'skipped', 'failed', 'interrupted'))
);
CREATE INDEX plays_started ON plays (started_at);
CREATE INDEX plays_user ON plays (user_id, started_at);
CREATE INDEX plays_track ON plays (track_id, started_at);

-- Likes and skips by a signed-in person, which shape their picks.
CREATE TABLE feedback (
  id       INTEGER PRIMARY KEY,
  user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  kind     TEXT    NOT NULL CHECK (kind IN ('like', 'skip')),
  at       INTEGER NOT NULL
);
CREATE INDEX feedback_user ON feedback (user_id, track_id);

-- Settings changed at run time from the admin panel (JSON values).
CREATE TABLE settings (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Who did what, for the admin panel. Never holds PINs or tokens.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  actor   TEXT    NOT NULL,
  action  TEXT    NOT NULL,
  target  TEXT    NOT NULL DEFAULT '',
  detail  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX audit_at ON audit_log (at);
