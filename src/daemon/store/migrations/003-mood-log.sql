-- The room mood over time, one row per change, for the admin panel's charts.
CREATE TABLE mood_log (
  id         INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  mood       TEXT    NOT NULL,
  confidence REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  faces      INTEGER NOT NULL CHECK (faces >= 0)
);
CREATE INDEX mood_log_at ON mood_log (at);
