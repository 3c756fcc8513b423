-- Web radio and other streams: library entries of source `stream` (the URL is the track's uri),
-- with where each came from and how its last play went, for the admin panel.
CREATE TABLE stations (
  track_id  INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
  origin    TEXT    NOT NULL CHECK (origin IN ('admin', 'sidecar')),
  -- The stations file that lists it (origin `sidecar`).
  file      TEXT,
  -- The last time it could not be played, and why; cleared once it plays again.
  failed_at INTEGER,
  error     TEXT,
  played_at INTEGER
) WITHOUT ROWID;
