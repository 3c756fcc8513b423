-- What Moodbox heard in each local file (src/player/analysis): made from one version of the file
-- (its size and mtime) by one version of the analysis; either the measured point on the
-- valence/arousal plane with the features, or why the file could not be analysed. A row that no
-- longer matches the file or ANALYSIS_VERSION is done again; deleting the track deletes it.
CREATE TABLE track_analyses (
  track_id      INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
  file_size     INTEGER,
  file_mtime_ms INTEGER,
  version       INTEGER NOT NULL,
  arousal       REAL    CHECK (arousal BETWEEN -1 AND 1),
  valence       REAL    CHECK (valence BETWEEN -1 AND 1),
  tempo_bpm     REAL,
  loudness_lufs REAL,
  features      TEXT    CHECK (features IS NULL OR json_valid(features)),
  -- The failure's reason (`empty`, `undecodable`, `protected`, …) and its message; NULL when analysed.
  error         TEXT    CHECK (error IS NULL OR length(error) > 0),
  message       TEXT,
  analysed_at   INTEGER NOT NULL,
  CHECK ((error IS NULL) = (arousal IS NOT NULL AND valence IS NOT NULL AND features IS NOT NULL))
);

-- Moods placed from the analysis carry origin `audio`. SQLite cannot change a CHECK in place: the
-- table is rebuilt with every row kept.
CREATE TABLE track_moods_new (
  track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  mood     TEXT    NOT NULL,
  weight   REAL    NOT NULL CHECK (weight > 0 AND weight <= 1),
  origin   TEXT    NOT NULL CHECK (origin IN ('admin', 'sidecar', 'rule', 'audio')),
  PRIMARY KEY (track_id, mood)
) WITHOUT ROWID;
INSERT INTO track_moods_new (track_id, mood, weight, origin) SELECT track_id, mood, weight, origin FROM track_moods;
DROP TABLE track_moods;
ALTER TABLE track_moods_new RENAME TO track_moods;
CREATE INDEX track_moods_mood ON track_moods (mood);
